import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../policy/cli';

function run(args: string[], cwd?: string): { code: number; out: string[] } {
  const out: string[] = [];
  const code = main(args, (l) => out.push(l), cwd);
  return { code, out };
}

describe('policy CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    const write = (name: string, doc: unknown) => {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'main.tf.json'), JSON.stringify(doc));
    };
    write('bad', { resource: { aws_lambda_function: { api: { runtime: 'nodejs16.x', function_name: 'api' } } } });
    write('good', {
      resource: {
        aws_kms_key: {
          k: {
            enable_key_rotation: true,
            policy: JSON.stringify({
              Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }],
            }),
          },
        },
      },
    });
    mkdirSync(join(dir, 'empty'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line per rule with the offending address and exits 1 on a failure', () => {
    const { code, out } = run([join(dir, 'bad')]);
    expect(code).toBe(1);
    expect(out.find((l) => l.includes('CKV_AWS_363'))).toMatch(/^FAIL +CKV_AWS_363 .*bad\/main: aws_lambda_function\.api/);
    expect(out.find((l) => l.includes('CKV_AWS_116'))).toMatch(/^WAIVED/);
    expect(out.at(-1)).toMatch(/failed/);
  });

  it('shows waived resources and the reason on a rule that also fails elsewhere', () => {
    // GIVEN a 14-day log group in a dev stack (waived) and in a prod stack (not waived)
    const lg = { resource: { aws_cloudwatch_log_group: { lg: { name: 'x', retention_in_days: 14, kms_key_id: 'k' } } } };
    for (const stack of ['orders-app-dev', 'orders-app-prod']) {
      mkdirSync(join(dir, 'mixed', 'stacks', stack), { recursive: true });
      writeFileSync(join(dir, 'mixed', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(lg));
    }
    const { code, out } = run([join(dir, 'mixed')]);
    const at = out.findIndex((l) => l.includes('CKV_AWS_338'));
    expect(code).toBe(1);
    expect(out[at]).toMatch(/^FAIL .*orders-app-prod: aws_cloudwatch_log_group\.lg$/);
    expect(out.slice(at + 1, at + 4).join('\n')).toMatch(/waived: orders-app-dev: aws_cloudwatch_log_group\.lg[\s\S]*14 days/);
  });

  it('exits 0 when every rule passes, is waived or does not apply', () => {
    const { code, out } = run([join(dir, 'good')]);
    expect(out.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(code).toBe(0);
    expect(out.find((l) => l.includes('CKV_AWS_7 '))).toMatch(/^PASS/);
  });

  it('says how to get input when a folder holds no Terraform JSON', () => {
    const { code, out } = run([join(dir, 'empty')]);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/cdktf synth/);
  });

  it('names a file that is not valid JSON and exits 2 instead of crashing', () => {
    // GIVEN a folder whose only Terraform JSON file is truncated
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'main.tf.json'), '{"resource": {');
    // WHEN the CLI reads it
    const { code, out } = run([join(dir, 'broken')]);
    // THEN it reports the file, no rule lines, exit code 2
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/broken\/main\.tf\.json is not valid JSON/);
    expect(out.some((l) => /^(PASS|FAIL|WAIVED)/.test(l))).toBe(false);
  });

  it('rejects a missing folder and unknown options with usage, exit 2', () => {
    expect(run([join(dir, 'missing')]).code).toBe(2);
    const { code, out } = run(['--bogus']);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/Usage/);
  });

  it('prints the checkov skip list, adding stack-scoped waivers for a matching stack', () => {
    const all = run(['--print-skip-checks']).out[0].split(',');
    const dev = run(['--print-skip-checks', '--stack', 'orders-app-dev']).out[0].split(',');
    const prod = run(['--print-skip-checks', '--stack', 'orders-app-prod']).out[0].split(',');
    expect(all).toContain('CKV_AWS_120');
    expect(dev).toEqual(expect.arrayContaining(['CKV_AWS_115', 'CKV_AWS_338']));
    expect(prod).not.toContain('CKV_AWS_338');
    expect(run(['--print-soft-fail-checks']).out[0].split(',')).toEqual(expect.arrayContaining(['CKV_AWS_145', 'CKV_AWS_18']));
  });
});
