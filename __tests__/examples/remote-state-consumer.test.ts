import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { synthesizedOutdir } from '../policy/synthesized';

// Loaded untyped: its .d.ts pulls the DOM lib into the whole program (as in __tests__/hcl-synth.test.ts).
const { parse: parseHcl } = require('@cdktf/hcl2json') as {
  parse(
    filename: string,
    contents: string,
  ): Promise<{ data?: { terraform_remote_state?: Record<string, Array<{ backend: string; config: Record<string, string> }>> } }>;
};

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'remote-state-consumer');

interface RemoteState {
  name: string;
  backend?: string;
  bucket?: string;
  key?: string;
  region?: string;
}
interface Synthesized {
  output?: Record<string, unknown>;
  terraform?: { backend?: { s3?: Record<string, unknown> } };
}

/** A light reading of HCL: enough to find remote-state blocks and the outputs they are read for. */
function readExample(): { states: RemoteState[]; reads: Array<{ state: string; output: string }> } {
  const hcl = readdirSync(EXAMPLE)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(EXAMPLE, f), 'utf8'))
    .join('\n');
  const states = [...hcl.matchAll(/^data "terraform_remote_state" "(\w+)" \{\n([\s\S]*?)^\}/gm)].map(([, name, body]) => {
    const attr = (n: string) => new RegExp(`^\\s*${n}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    return { name, backend: attr('backend'), bucket: attr('bucket'), key: attr('key'), region: attr('region') };
  });
  const reads = [...hcl.matchAll(/data\.terraform_remote_state\.(\w+)\.outputs\.(\w+)/g)].map(([, state, output]) => ({ state, output }));
  return { states, reads };
}

describe('examples/remote-state-consumer', () => {
  const { states, reads } = readExample();
  let outdir: string;
  const stackOf = (s: RemoteState) => /\/([\w-]+)\.tfstate$/.exec(s.key ?? '')?.[1] ?? '';
  const synthesized = (stack: string): Synthesized =>
    JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Synthesized;

  beforeAll(() => {
    outdir = synthesizedOutdir();
  }, 180_000);

  it('reads the network and app stacks through the S3 backend', () => {
    expect(states.map((s) => [s.name, s.backend, stackOf(s)])).toEqual([
      ['orders_network', 's3', 'orders-network-dev'],
      ['orders_app', 's3', 'orders-app-dev'],
    ]);
    expect(reads.length).toBeGreaterThan(3);
  });

  it('is valid HCL whose remote states are exactly the ones the light reading found', async () => {
    // GIVEN the example as HashiCorp's HCL parser (compiled to wasm, shipped with cdktf) reads it
    const files = readdirSync(EXAMPLE).filter((f) => f.endsWith('.tf'));
    const parsed = await Promise.all(files.map((f) => parseHcl(f, readFileSync(join(EXAMPLE, f), 'utf8'))));
    const declared = parsed.flatMap((p) =>
      Object.entries(p.data?.terraform_remote_state ?? {}).map(([name, [block]]) => ({
        name,
        backend: block.backend,
        bucket: block.config.bucket,
        key: block.config.key,
        region: block.config.region,
      })),
    );
    // THEN the regex reading above missed no block and misread no setting
    expect(declared.sort((a, b) => a.name.localeCompare(b.name))).toEqual([...states].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('reads only remote states it declares', () => {
    expect(reads.filter((r) => !states.some((s) => s.name === r.state))).toEqual([]);
  });

  it.each(['orders_network', 'orders_app'])('%s: bucket, key and region match the backend the project synthesizes', (name) => {
    const state = states.find((s) => s.name === name)!;
    const backend = synthesized(stackOf(state)).terraform?.backend?.s3;
    expect(backend).toMatchObject({ bucket: state.bucket, key: state.key, region: state.region, use_lockfile: true, encrypt: true });
  });

  it('reads only outputs that exist in the stack each remote state points at', () => {
    const missing = reads.filter((r) => {
      const state = states.find((s) => s.name === r.state)!;
      return !(r.output in (synthesized(stackOf(state)).output ?? {}));
    });
    expect(missing).toEqual([]);
  });
});

/** Every ORDERS_* variable config/ reads: reader.<kind>('NAME', ...) plus ORDERS_ENVIRONMENTS. */
function configVariables(): string[] {
  const dir = join(ROOT, 'config');
  const source = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const names = [...source.matchAll(/reader\.\w+\(\s*'([A-Z_]+)'/g)].map((m) => m[1]);
  // A regex that silently stopped matching would make the README checks below vacuous.
  expect(names.length).toBeGreaterThan(20);
  return [...new Set(['ENVIRONMENTS', ...names])].map((n) => `ORDERS_${n}`);
}

describe('README.md', () => {
  it('has a configuration table row for every ORDERS_* variable config/ reads', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(configVariables().filter((v) => !readme.includes(`| \`${v}\` |`))).toEqual([]);
  });
});

describe('docs/existing-estates.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'existing-estates.md'), 'utf8');

  it('documents every ORDERS_* variable config/ reads', () => {
    expect(configVariables().filter((v) => !doc.includes(v))).toEqual([]);
  });

  it('shows the cdktf import APIs and links the example', () => {
    expect(doc).toMatch(/importFrom\(/);
    expect(doc).toMatch(/generateConfigForImport\(/);
    expect(doc).toContain('examples/remote-state-consumer/main.tf');
  });
});

describe('examples/remote-state-consumer grants', () => {
  const hcl = readFileSync(join(EXAMPLE, 'main.tf'), 'utf8');

  it('lets the reporting job decrypt order records with the app key, through S3 only', () => {
    const statement = /statement \{\n\s*sid\s*= "DecryptOrderRecords"\n([\s\S]*?)\n {2}\}/.exec(hcl)?.[1] ?? '';
    expect(statement).toMatch(/actions\s*= \["kms:Decrypt"\]/);
    expect(statement).toMatch(/resources = \[data\.terraform_remote_state\.orders_app\.outputs\.app_kms_key_arn\]/);
    expect(statement).toMatch(/variable = "kms:ViaService"/);
  });
});
