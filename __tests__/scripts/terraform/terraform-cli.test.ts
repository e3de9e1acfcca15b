import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as planOffline } from '../../../scripts/plan-offline';
import {
  formatDiagnostic,
  initsThenInParallel,
  providerNotice,
  providerSource,
  terraformEnv,
} from '../../../scripts/terraform/terraform-cli';
import { judgeValidation, main as validate } from '../../../scripts/validate';

describe('the Terraform CLI helpers', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'orders-tf-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mirrorWith = (...versions: string[]) => {
    for (const v of versions)
      mkdirSync(join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', v, 'linux_amd64'), { recursive: true });
    return { ORDERS_TF_PROVIDER_MIRROR: join(dir, 'mirror') };
  };

  it('GIVEN no mirror variable THEN the registry and the pinned version are used, untranslated', () => {
    const source = providerSource('6.25.0', {});
    expect(source).toEqual({ pinned: '6.25.0', version: '6.25.0', translations: [] });
    expect(providerNotice(source)).toBeUndefined();
    expect(terraformEnv(dir, source, {}).TF_CLI_CONFIG_FILE).toBeUndefined();
  });

  it('GIVEN a mirror holding the pinned version THEN it is used as pinned', () => {
    expect(providerSource('6.25.0', mirrorWith('5.100.0', '6.25.0'))).toMatchObject({ version: '6.25.0', translations: [] });
  });

  it('GIVEN a mirror with older versions only THEN the newest is used with the translations, and the notice says so first', () => {
    const source = providerSource('6.25.0', mirrorWith('5.9.0', '5.100.0', '5.72.1'));
    expect(source.version).toBe('5.100.0');
    expect(source.translations).toHaveLength(2);
    expect(providerNotice(source)).toMatch(
      /^NOTE using hashicorp\/aws 5\.100\.0 from .*, not the pinned 6\.25\.0.*region -> .*name.*nodejs22\.x/,
    );
  });

  it('GIVEN an empty mirror THEN it fails naming the variable and the expected folder', () => {
    expect(() => providerSource('6.25.0', { ORDERS_TF_PROVIDER_MIRROR: dir })).toThrow(
      /ORDERS_TF_PROVIDER_MIRROR=.* holds no hashicorp\/aws provider/,
    );
  });

  it('GIVEN a mirror THEN the CLI configuration installs registry providers from it only, with a shared plugin cache', () => {
    const env = terraformEnv(dir, providerSource('6.25.0', mirrorWith('5.100.0')), {});
    const config = readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8');
    expect(config).toContain(`path    = ${JSON.stringify(join(dir, 'mirror'))}`);
    expect(config).toMatch(/filesystem_mirror \{[^}]*include = \["registry\.terraform\.io\/\*\/\*"\]/);
    expect(config).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/\*\/\*"\]/);
    expect(config).toContain(`plugin_cache_dir = ${JSON.stringify(join(dir, 'plugin-cache'))}`);
  });

  it('GIVEN a validate diagnostic THEN one line shows file:line, address, summary and detail', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        summary: 'Unsupported attribute',
        detail: 'This object has no\nargument named "region".',
        address: 'aws_kms_key.k',
        range: { filename: 'cdk.tf.json', start: { line: 12 } },
      }),
    ).toBe('ERROR cdk.tf.json:12: aws_kms_key.k: Unsupported attribute: This object has no argument named "region".');
  });

  it.each([
    ['npm run validate', validate],
    ['npm run plan:offline', planOffline],
  ])('GIVEN no terraform on PATH WHEN %s runs THEN it exits 2 saying how to install Terraform', async (_name, main) => {
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      const out: string[] = [];
      expect(await main([], (l) => out.push(l))).toBe(2);
      expect(out).toEqual([
        expect.stringMatching(
          /^No `terraform` on PATH\. Install Terraform 1\.10 or later \(https:\/\/developer\.hashicorp\.com\/terraform\/install/,
        ),
      ]);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('judgeValidation', () => {
  const diagnostic = (severity: string) => ({ severity, summary: 's', range: { filename: 'cdk.tf', start: { line: 3 } } });
  it.each([
    ['no diagnostics', { valid: true, diagnostics: [] }, true, 0],
    ['an error', { valid: false, diagnostics: [diagnostic('error')] }, false, 1],
    [
      'only a warning (every diagnostic beyond the translation table fails)',
      { valid: true, diagnostics: [diagnostic('warning')] },
      false,
      1,
    ],
  ])('GIVEN %s THEN ok is %s', (_label, report, ok, lines) => {
    const judged = judgeValidation(JSON.stringify(report));
    expect(judged.ok).toBe(ok);
    expect(judged.lines).toHaveLength(lines);
  });

  it('GIVEN output that is not JSON THEN it fails, showing it', () => {
    expect(judgeValidation('Error: no')).toEqual({ ok: false, lines: ['terraform validate printed no JSON: Error: no'] });
  });
});

describe('initsThenInParallel', () => {
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('GIVEN four stacks THEN inits run one at a time, no second step starts before the last init ended, and two second steps overlap', async () => {
    const events: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const jobs = [0, 1, 2, 3].map((n) => ({
      init: async () => {
        events.push(`init ${n} start`);
        await tick(5);
        events.push(`init ${n} end`);
        return n * 10;
      },
      after: async (init: number) => {
        events.push(`after ${n} start`);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await tick(10);
        running -= 1;
        return `${n}:${init}`;
      },
    }));
    expect(await initsThenInParallel(jobs, 2)).toEqual(['0:0', '1:10', '2:20', '3:30']);
    // Every init ends before the next starts, and before any second step.
    expect(events.slice(0, 8)).toEqual([0, 1, 2, 3].flatMap((n) => [`init ${n} start`, `init ${n} end`]));
    expect(events.slice(8).every((e) => e.startsWith('after '))).toBe(true);
    expect(mostAtOnce).toBe(2);
  });
});
