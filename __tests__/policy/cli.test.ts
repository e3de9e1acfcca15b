import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../policy/cli';

async function run(args: string[], cwd?: string): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(args, (l) => out.push(l), cwd);
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
        aws_kms_key: { k: { enable_key_rotation: true } },
        aws_kms_key_policy: {
          kp: {
            key_id: '${aws_kms_key.k.id}',
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

  it('prints one line per rule with the offending address and exits 1 on a failure', async () => {
    const { code, out } = await run([join(dir, 'bad')]);
    expect(code).toBe(1);
    expect(out.find((l) => l.includes('CKV_AWS_363'))).toMatch(/^FAIL +CKV_AWS_363 .*bad: aws_lambda_function\.api/);
    // the project's waivers do not apply to Terraform that is not its cdktf output...
    expect(out[0]).toMatch(/\(no waivers applied\)$/);
    expect(out.find((l) => l.includes('CKV_AWS_116'))).toMatch(/^FAIL/);
    expect(out.at(-1)).toMatch(/failed/);
  });

  it('applies the waiver table to another folder on request (--waivers)', async () => {
    const { out } = await run([join(dir, 'bad'), '--waivers']);
    expect(out[0]).not.toMatch(/no waivers/);
    expect(out.find((l) => l.includes('CKV_AWS_116'))).toMatch(/^WAIVED/);
  });

  it('shows waived resources and the reason on a rule that also fails elsewhere', async () => {
    // GIVEN a 14-day log group in a dev stack (waived) and in a prod stack (not waived)
    const lg = { resource: { aws_cloudwatch_log_group: { lg: { name: 'x', retention_in_days: 14, kms_key_id: 'k' } } } };
    for (const stack of ['orders-app-dev', 'orders-app-prod']) {
      mkdirSync(join(dir, 'mixed', 'stacks', stack), { recursive: true });
      writeFileSync(join(dir, 'mixed', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(lg));
    }
    const { code, out } = await run([join(dir, 'mixed')]);
    const at = out.findIndex((l) => l.includes('CKV_AWS_338'));
    expect(code).toBe(1);
    expect(out[at]).toMatch(/^FAIL .*orders-app-prod: aws_cloudwatch_log_group\.lg$/);
    expect(out.slice(at + 1, at + 4).join('\n')).toMatch(/waived: orders-app-dev: aws_cloudwatch_log_group\.lg[\s\S]*14 days/);
  });

  it('exits 0 when every rule passes, is waived or does not apply', async () => {
    const { code, out } = await run([join(dir, 'good')]);
    expect(out.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(code).toBe(0);
    expect(out.find((l) => l.includes('CKV_AWS_7 '))).toMatch(/^PASS/);
  });

  it('runs on a folder of plain HCL (*.tf) files, one module per folder, variables shared across files', async () => {
    // GIVEN a module written in HCL over two files: the bucket name comes from a variable default
    mkdirSync(join(dir, 'hcl', 'storage'), { recursive: true });
    writeFileSync(join(dir, 'hcl', 'storage', 'variables.tf'), 'variable "name" {\n  default = "team-data"\n}\n');
    writeFileSync(
      join(dir, 'hcl', 'storage', 'main.tf'),
      [
        'resource "aws_s3_bucket" "data" {',
        '  bucket = var.name',
        '}',
        'resource "aws_s3_bucket_versioning" "data" {',
        '  bucket = "team-data"',
        '  versioning_configuration {',
        '    status = "Enabled"',
        '  }',
        '}',
        'resource "aws_lambda_function" "fn" {',
        '  function_name = "fn"',
        '  runtime       = "nodejs14.x"',
        '}',
      ].join('\n'),
    );
    // WHEN the CLI reads the folder
    const { code, out } = await run([join(dir, 'hcl')]);
    // THEN it reads both files as one module, links the versioning by the rendered name, and fails the old runtime
    expect(out[0]).toMatch(/^Policy suite: 3 resources in 1 stack\(s\): storage \(no waivers applied\)$/);
    expect(out.find((l) => l.includes('CKV_AWS_21 '))).toMatch(/^PASS/);
    expect(out.find((l) => l.includes('CKV_AWS_363'))).toMatch(/^FAIL .*storage: aws_lambda_function\.fn/);
    expect(code).toBe(1);
  });

  it("takes variable values from the module's terraform.tfvars over defaults", async () => {
    // GIVEN a function whose runtime is a variable with a current default, set to an old runtime in terraform.tfvars
    mkdirSync(join(dir, 'tfvars'));
    writeFileSync(
      join(dir, 'tfvars', 'main.tf'),
      'variable "runtime" {\n  default = "nodejs24.x"\n}\nresource "aws_lambda_function" "fn" {\n  runtime = var.runtime\n}\n',
    );
    writeFileSync(join(dir, 'tfvars', 'terraform.tfvars'), 'runtime = "nodejs16.x"\n');
    // WHEN the CLI reads the folder / THEN the tfvars value is judged
    const { out } = await run([join(dir, 'tfvars')]);
    expect(out.find((l) => l.includes('CKV_AWS_363'))).toMatch(/^FAIL .*tfvars: aws_lambda_function\.fn/);
  });

  it("passes a local module call's arguments to the module's variables", async () => {
    // GIVEN a root module calling ./modules/fn with a runtime, and the module's own safe default
    mkdirSync(join(dir, 'modules-root', 'modules', 'fn'), { recursive: true });
    writeFileSync(
      join(dir, 'modules-root', 'main.tf'),
      'locals {\n  rt = "nodejs16.x"\n}\nmodule "fn" {\n  source  = "./modules/fn"\n  runtime = local.rt\n}\n',
    );
    writeFileSync(
      join(dir, 'modules-root', 'modules', 'fn', 'main.tf'),
      'variable "runtime" {\n  default = "nodejs24.x"\n}\nresource "aws_lambda_function" "fn" {\n  runtime = var.runtime\n}\n',
    );
    // WHEN the CLI reads the tree / THEN the module's function is judged with the caller's value
    const { out } = await run([join(dir, 'modules-root')]);
    expect(out.find((l) => l.includes('CKV_AWS_363'))).toMatch(/^FAIL .*modules\/fn: aws_lambda_function\.fn/);
  });

  it('names an HCL file that does not parse and exits 2', async () => {
    mkdirSync(join(dir, 'bad-hcl'));
    writeFileSync(join(dir, 'bad-hcl', 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = \n');
    const { code, out } = await run([join(dir, 'bad-hcl')]);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/bad-hcl\/main\.tf is not valid HCL/);
  });

  it('says how to get input when a folder holds no Terraform JSON', async () => {
    const { code, out } = await run([join(dir, 'empty')]);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/cdktf synth/);
  });

  it('names a file that is not valid JSON and exits 2 instead of crashing', async () => {
    // GIVEN a folder whose only Terraform JSON file is truncated
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'main.tf.json'), '{"resource": {');
    // WHEN the CLI reads it
    const { code, out } = await run([join(dir, 'broken')]);
    // THEN it reports the file, no rule lines, exit code 2
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/broken\/main\.tf\.json is not valid JSON/);
    expect(out.some((l) => /^(PASS|FAIL|WAIVED)/.test(l))).toBe(false);
  });

  it('rejects a missing folder and unknown options with usage, exit 2', async () => {
    expect((await run([join(dir, 'missing')])).code).toBe(2);
    const { code, out } = await run(['--bogus']);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/Usage/);
  });

  it('prints the checkov ids of the suite for checkov --check (not the ORDERS_ rules)', async () => {
    const ids = (await run(['--print-checks'])).out[0].split(',');
    expect(ids).toEqual(expect.arrayContaining(['CKV_AWS_117', 'CKV2_AWS_62', 'CKV_AWS_225', 'CKV_AWS_237', 'CKV_AWS_70']));
    expect(ids.filter((id) => id.startsWith('ORDERS_'))).toEqual([]);
  });

  it('prints the checkov skip list, adding stack-scoped waivers for a matching stack', async () => {
    const all = (await run(['--print-skip-checks'])).out[0].split(',');
    const dev = (await run(['--print-skip-checks', '--stack', 'orders-app-dev'])).out[0].split(',');
    const prod = (await run(['--print-skip-checks', '--stack', 'orders-app-prod'])).out[0].split(',');
    expect(all).toContain('CKV_AWS_120');
    expect(dev).toEqual(expect.arrayContaining(['CKV_AWS_115', 'CKV_AWS_338']));
    expect(prod).not.toContain('CKV_AWS_338');
    expect((await run(['--print-soft-fail-checks'])).out[0].split(',')).toEqual(expect.arrayContaining(['CKV_AWS_145', 'CKV_AWS_18']));
  });
});
