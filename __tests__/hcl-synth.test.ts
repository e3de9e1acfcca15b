/**
 * `npm run synth:hcl` must write valid HCL: every stack's cdk.tf is parsed by the HCL parser
 * that cdktf itself ships (@cdktf/hcl2json, HashiCorp's hcl library compiled to wasm).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appNodeArgs } from '../scripts/app-command';

// Loaded untyped: its .d.ts pulls the DOM lib into the whole program, which changes Node's fetch types.
const { parse } = require('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<{ resource?: Record<string, unknown> }>;
};

const ROOT = resolve(__dirname, '..');
const STACKS = ['orders-app-dev', 'orders-app-prod', 'orders-bootstrap', 'orders-network-dev', 'orders-network-prod'];

describe('HCL synth', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'orders-hcl-'));
    execFileSync(process.execPath, appNodeArgs(), {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TMPDIR: tmpdir(),
        CHECKPOINT_DISABLE: '1',
        CDKTF_OUTDIR: outdir,
        SYNTH_HCL_OUTPUT: 'true',
      },
      stdio: 'pipe',
    });
  }, 180_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('GIVEN SYNTH_HCL_OUTPUT=true WHEN the app synthesizes THEN every stack gets a cdk.tf', () => {
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(STACKS);
  });

  it.each(STACKS)(
    'GIVEN the HCL of %s WHEN parsed by the HCL parser THEN it is valid and keeps its policies as jsonencode()',
    async (stack) => {
      const hcl = readFileSync(join(outdir, 'stacks', stack, 'cdk.tf'), 'utf8');
      const parsed = await parse(`${stack}.tf`, hcl);
      expect(Object.keys(parsed.resource ?? {}).length).toBeGreaterThan(0);
      // The cdktf renderer's broken form: a quoted JSON document whose inner quotes are not escaped.
      expect(hcl).not.toMatch(/= "\{"/);
      // cdktf's writer loses the value of required_version; the app writes it back.
      expect(hcl).toMatch(/^\s*required_version = ">= 1\.10"$/m);
      expect(hcl).not.toMatch(/^\s*\d+ = "/m);
    },
  );
});
