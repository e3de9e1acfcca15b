import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, findTerraformJson, loadModel, PolicyInputError, parseHcl, runPolicies } from '../../policy/engine';
import { ruleById } from './rule-cases';

const LOG_GROUP_14_DAYS = {
  resource: {
    aws_cloudwatch_log_group: { api_logs_1A2B: { name: '/aws/lambda/api', retention_in_days: 14, kms_key_id: '${aws_kms_key.k.arn}' } },
  },
};

describe('policy engine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-engine-'));
    for (const stack of ['orders-app-dev', 'orders-app-prod']) {
      mkdirSync(join(dir, 'cdktf.out', 'stacks', stack), { recursive: true });
      writeFileSync(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(LOG_GROUP_14_DAYS));
    }
    mkdirSync(join(dir, 'other', 'team-a'), { recursive: true });
    writeFileSync(join(dir, 'other', 'team-a', 'main.tf.json'), JSON.stringify(LOG_GROUP_14_DAYS));
    writeFileSync(join(dir, 'other', 'team-a', 'notes.json'), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads cdk.tf.json of every stack under cdktf.out/stacks, named by folder', () => {
    const model = loadModel(findTerraformJson(join(dir, 'cdktf.out')));
    expect(model.stacks).toEqual(['orders-app-dev', 'orders-app-prod']);
    expect(model.resources.map((r) => `${r.stack}: ${r.address}`)).toEqual([
      'orders-app-dev: aws_cloudwatch_log_group.api_logs_1A2B',
      'orders-app-prod: aws_cloudwatch_log_group.api_logs_1A2B',
    ]);
  });

  it('reads every *.tf.json under any other folder, one module (stack) per folder', () => {
    const files = findTerraformJson(join(dir, 'other'));
    expect(files.map((f) => f.slice(dir.length))).toEqual(['/other/team-a/main.tf.json']);
    expect(loadModel(files, join(dir, 'other')).stacks).toEqual(['team-a']);
  });

  it('renders variable defaults, locals and jsonencode of literals (to the structure) into resources, as checkov renders them', () => {
    const model = buildModel([
      {
        stack: 'm',
        json: {
          variable: { name: { default: 'orders' }, unset: {} },
          locals: { prefix: 'arn:aws:s3:::' },
          resource: {
            aws_s3_bucket_policy: {
              p: {
                bucket: '${var.name}',
                other: '${var.unset}',
                // cdktf writes Fn.jsonencode as an HCL object literal inside ${...}
                policy:
                  '${jsonencode({"Statement" = [{"Effect" = "Allow", "Resource" = "${local.prefix}${var.name}/*", "Principal" = aws_iam_role.r.arn}]})}',
              },
            },
          },
        },
      },
    ]);
    const [p] = model.ofType('aws_s3_bucket_policy');
    expect(p.config.bucket).toBe('orders');
    expect(p.config.other).toBe('${var.unset}');
    expect(p.config.policy).toEqual({
      Statement: [{ Effect: 'Allow', Resource: 'arn:aws:s3:::orders/*', Principal: '${aws_iam_role.r.arn}' }],
    });
  });

  it('leaves out resources with count = 0 (rendered from a variable) or an empty for_each: they create no instance', () => {
    const model = buildModel([
      {
        stack: 'm',
        json: {
          variable: { enabled: { default: 0 } },
          resource: { aws_s3_bucket: { off: { count: '${var.enabled}' }, none: { for_each: [] }, on: { count: 1 } } },
        },
      },
    ]);
    expect(model.ofType('aws_s3_bucket').map((r) => r.name)).toEqual(['on']);
  });

  it('expands dynamic blocks over a literal for_each, as checkov does', async () => {
    const hcl = [
      'variable "ports" {',
      '  default = [22, 443]',
      '}',
      'resource "aws_security_group" "sg" {',
      '  name = "sg"',
      '  dynamic "ingress" {',
      '    for_each = var.ports',
      '    content {',
      '      from_port   = ingress.value',
      '      to_port     = ingress.value',
      '      protocol    = "tcp"',
      '      cidr_blocks = ["0.0.0.0/0"]',
      '      description = "port ${ingress.value}"',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const model = buildModel([{ stack: 'm', json: await parseHcl('main.tf', hcl) }]);
    const [sg] = model.ofType('aws_security_group');
    expect(sg.config.ingress).toEqual([
      { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], description: 'port 22' },
      { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], description: 'port 443' },
    ]);
    expect(ruleById('CKV_AWS_24').evaluate(model)[0].status).toBe('fail');
  });

  it('reads HCL as hcl2json shapes it (blocks as lists) and links resources through a shared unset variable', async () => {
    const hcl = [
      'variable "bucket" {}',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = var.bucket',
      '}',
      'resource "aws_s3_bucket_versioning" "v" {',
      '  bucket = var.bucket',
      '  versioning_configuration {',
      '    status = "Enabled"',
      '  }',
      '}',
    ].join('\n');
    const model = buildModel([{ stack: 'm', json: await parseHcl('main.tf', hcl) }]);
    const [finding] = ruleById('CKV_AWS_21').evaluate(model);
    expect(finding).toMatchObject({ status: 'pass', resource: { address: 'aws_s3_bucket.b' } });
  });

  it('rejects a missing folder with a clear error', () => {
    expect(() => findTerraformJson(join(dir, 'nope'))).toThrow(PolicyInputError);
  });

  it('prefixes data sources with data. in addresses', () => {
    const model = buildModel([{ stack: 's', json: { data: { aws_caller_identity: { me: {} } } } }]);
    expect(model.ofType('data.aws_caller_identity').map((r) => r.address)).toEqual(['data.aws_caller_identity.me']);
  });

  it('applies a stack-scoped waiver in dev only: 14-day retention is WAIVED in dev and FAILS in prod', () => {
    // GIVEN the same log group in a dev and a prod stack
    const model = loadModel(findTerraformJson(join(dir, 'cdktf.out')));
    // WHEN CKV_AWS_338 (retention >= 365 days) runs with the project's waivers
    const [result] = runPolicies(model, [ruleById('CKV_AWS_338')]);
    // THEN the prod one fails and the dev one is waived with its reason
    expect(result.status).toBe('FAIL');
    expect(result.failures.map((f) => f.resource.stack)).toEqual(['orders-app-prod']);
    expect(result.waived.map((w) => w.finding.resource.stack)).toEqual(['orders-app-dev']);
    expect(result.waived[0].waiver.reason).toMatch(/14 days/);
  });

  it('reports WAIVED when every failure is waived and N/A when no resource applies', () => {
    const dev = buildModel([{ stack: 'orders-app-dev', json: LOG_GROUP_14_DAYS }]);
    const results = runPolicies(dev, [ruleById('CKV_AWS_338'), ruleById('CKV_AWS_50'), ruleById('CKV_AWS_66')]);
    expect(results.map((r) => r.status)).toEqual(['WAIVED', 'N/A', 'PASS']);
  });

  it('waives CKV_AWS_145 only on the S3 access-log target bucket', () => {
    // GIVEN an SSE-S3 log bucket receiving the orders bucket's access logs, and an SSE-S3 bucket that is not a log target
    const model = buildModel([
      {
        stack: 'orders-app-prod',
        json: {
          resource: {
            aws_s3_bucket: { orders: { bucket: 'orders' }, logs: { bucket: 'logs' }, other: { bucket: 'other' } },
            aws_s3_bucket_logging: {
              orders: { bucket: '${aws_s3_bucket.orders.id}', target_bucket: '${aws_s3_bucket.logs.id}', target_prefix: 'o/' },
            },
          },
        },
      },
    ]);
    const [result] = runPolicies(model, [ruleById('CKV_AWS_145')]);
    expect(result.waived.map((w) => w.finding.resource.address)).toEqual(['aws_s3_bucket.logs']);
    expect(result.failures.map((f) => f.resource.address).sort()).toEqual(['aws_s3_bucket.orders', 'aws_s3_bucket.other']);
  });
});
