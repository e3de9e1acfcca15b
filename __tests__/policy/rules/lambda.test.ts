import { runVerdictCases, type VerdictCase } from '../rule-cases';

const FN = 'aws_lambda_function.fn';
const PERM = 'aws_lambda_permission.p';
/** An HCL Lambda function with `body` inside it. */
const fn = (body: string) => `resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n${body}\n}\n`;
const perm = (body: string) =>
  `resource "aws_lambda_permission" "p" {\n  action = "lambda:InvokeFunction"\n  function_name = "fn"\n${body}\n}\n`;

const cases: VerdictCase[] = [
  { id: 'CKV_AWS_50', name: 'passes tracing mode Active', tf: fn('tracing_config {\n mode = "Active"\n}'), expect: { [FN]: 'pass' } },
  {
    id: 'CKV_AWS_50',
    name: 'passes tracing mode PassThrough',
    tf: fn('tracing_config {\n mode = "PassThrough"\n}'),
    expect: { [FN]: 'pass' },
  },
  { id: 'CKV_AWS_50', name: 'fails without tracing_config', tf: fn(''), expect: { [FN]: 'fail' } },
  {
    id: 'CKV_AWS_50',
    name: 'is UNKNOWN for a mode left to a variable without default',
    tf: `variable "mode" {}\n${fn('tracing_config {\n mode = var.mode\n}')}`,
    expect: { [FN]: 'unknown' },
  },
  {
    id: 'CKV_AWS_50',
    name: 'renders a variable default and judges it',
    tf: `variable "mode" {\n default = "Off"\n}\n${fn('tracing_config {\n mode = var.mode\n}')}`,
    expect: { [FN]: 'fail' },
  },

  { id: 'CKV_AWS_115', name: 'fails without reserved concurrency', tf: fn(''), expect: { [FN]: 'fail' } },
  {
    id: 'CKV_AWS_115',
    name: 'fails -1 (Terraform\'s "no reservation")',
    tf: fn('reserved_concurrent_executions = -1'),
    expect: { [FN]: 'fail' },
  },
  {
    id: 'CKV_AWS_115',
    name: 'fails -1 written as JSON',
    tf: { resource: { aws_lambda_function: { fn: { reserved_concurrent_executions: -1 } } } },
    expect: { [FN]: 'fail' },
  },
  { id: 'CKV_AWS_115', name: 'passes a limit', tf: fn('reserved_concurrent_executions = 5'), expect: { [FN]: 'pass' } },
  {
    id: 'CKV_AWS_115',
    name: 'passes 0 (a limit that stops the function)',
    tf: fn('reserved_concurrent_executions = 0'),
    expect: { [FN]: 'pass' },
  },

  { id: 'CKV_AWS_116', name: 'fails without dead_letter_config', tf: fn(''), expect: { [FN]: 'fail' } },
  {
    id: 'CKV_AWS_116',
    name: 'passes a target reference',
    tf: fn('dead_letter_config {\n target_arn = aws_sqs_queue.dlq.arn\n}'),
    expect: { [FN]: 'pass' },
  },
  { id: 'CKV_AWS_116', name: 'fails an empty target', tf: fn('dead_letter_config {\n target_arn = ""\n}'), expect: { [FN]: 'fail' } },

  { id: 'CKV_AWS_117', name: 'fails outside a VPC', tf: fn(''), expect: { [FN]: 'fail' } },
  {
    id: 'CKV_AWS_117',
    name: 'passes with vpc_config',
    tf: fn('vpc_config {\n subnet_ids = [aws_subnet.a.id]\n security_group_ids = [aws_security_group.fn.id]\n}'),
    expect: { [FN]: 'pass' },
  },

  {
    id: 'CKV_AWS_173',
    name: 'fails environment variables without kms_key_arn',
    tf: fn('environment {\n variables = { A = "1" }\n}'),
    expect: { [FN]: 'fail' },
  },
  {
    id: 'CKV_AWS_173',
    name: 'fails an environment block without variables and without key',
    tf: fn('environment {}'),
    expect: { [FN]: 'fail' },
  },
  {
    id: 'CKV_AWS_173',
    name: 'fails an empty kms_key_arn',
    tf: fn('kms_key_arn = ""\nenvironment {\n variables = { A = "1" }\n}'),
    expect: { [FN]: 'fail' },
  },
  {
    id: 'CKV_AWS_173',
    name: 'passes environment with a key',
    tf: fn('kms_key_arn = aws_kms_key.k.arn\nenvironment {\n variables = { A = "1" }\n}'),
    expect: { [FN]: 'pass' },
  },
  {
    id: 'CKV_AWS_173',
    name: 'fails a key without environment (state drift)',
    tf: fn('kms_key_arn = aws_kms_key.k.arn'),
    expect: { [FN]: 'fail' },
  },
  { id: 'CKV_AWS_173', name: 'is UNKNOWN with neither', tf: fn(''), expect: { [FN]: 'unknown' } },

  { id: 'CKV_AWS_272', name: 'fails without code signing', tf: fn(''), expect: { [FN]: 'fail' } },
  {
    id: 'CKV_AWS_272',
    name: 'passes with a code signing config',
    tf: fn('code_signing_config_arn = aws_lambda_code_signing_config.c.arn'),
    expect: { [FN]: 'pass' },
  },
  {
    id: 'CKV_AWS_272',
    name: "fails a container image too (checkov's exemption never matches)",
    tf: fn('package_type = "Image"'),
    expect: { [FN]: 'fail' },
  },

  { id: 'CKV_AWS_363', name: "fails a runtime on checkov's list", tf: fn('runtime = "nodejs16.x"'), expect: { [FN]: 'fail' } },
  { id: 'CKV_AWS_363', name: 'passes a current runtime', tf: fn('runtime = "nodejs24.x"'), expect: { [FN]: 'pass' } },
  { id: 'CKV_AWS_363', name: "passes nodejs18.x, not yet on checkov's list", tf: fn('runtime = "nodejs18.x"'), expect: { [FN]: 'pass' } },
  { id: 'CKV_AWS_363', name: 'passes a function without runtime (container image)', tf: fn(''), expect: { [FN]: 'pass' } },
  {
    id: 'ORDERS_LAMBDA_RUNTIME_EOL',
    name: 'fails nodejs18.x, past its AWS date',
    tf: fn('runtime = "nodejs18.x"'),
    expect: { [FN]: 'fail' },
  },
  { id: 'ORDERS_LAMBDA_RUNTIME_EOL', name: 'fails what checkov fails', tf: fn('runtime = "python3.8"'), expect: { [FN]: 'fail' } },
  { id: 'ORDERS_LAMBDA_RUNTIME_EOL', name: 'passes nodejs24.x', tf: fn('runtime = "nodejs24.x"'), expect: { [FN]: 'pass' } },

  { id: 'CKV_AWS_301', name: 'fails principal "*"', tf: perm('principal = "*"'), expect: { [PERM]: 'fail' } },
  { id: 'CKV_AWS_301', name: 'passes a service principal', tf: perm('principal = "apigateway.amazonaws.com"'), expect: { [PERM]: 'pass' } },

  {
    id: 'CKV_AWS_364',
    name: 'fails a service principal without source',
    tf: perm('principal = "s3.amazonaws.com"'),
    expect: { [PERM]: 'fail' },
  },
  {
    id: 'CKV_AWS_364',
    name: 'passes a service principal with source_arn',
    tf: perm('principal = "apigateway.amazonaws.com"\nsource_arn = "${aws_api_gateway_rest_api.api.execution_arn}/*"'),
    expect: { [PERM]: 'pass' },
  },
  {
    id: 'CKV_AWS_364',
    name: 'passes a service principal with source_account',
    tf: perm('principal = "events.amazonaws.com"\nsource_account = "123456789012"'),
    expect: { [PERM]: 'pass' },
  },
  { id: 'CKV_AWS_364', name: 'is UNKNOWN for an account principal', tf: perm('principal = "123456789012"'), expect: { [PERM]: 'unknown' } },
  { id: 'CKV_AWS_364', name: 'is UNKNOWN for "*"', tf: perm('principal = "*"'), expect: { [PERM]: 'unknown' } },
];

runVerdictCases('Lambda', cases);
