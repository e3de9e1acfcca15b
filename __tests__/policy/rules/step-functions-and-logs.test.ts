import { runVerdictCases, type VerdictCase } from '../rule-cases';

const SM = 'aws_sfn_state_machine.sm';
const LG = 'aws_cloudwatch_log_group.lg';
const sm = (body: string) => `resource "aws_sfn_state_machine" "sm" {\n  name = "sm"\n  role_arn = "r"\n  definition = "{}"\n${body}\n}\n`;
const lg = (body: string) => `resource "aws_cloudwatch_log_group" "lg" {\n  name = "lg"\n${body}\n}\n`;

const stepFunctions: VerdictCase[] = [
  { id: 'CKV_AWS_284', name: 'fails without tracing', tf: sm(''), expect: { [SM]: 'fail' } },
  { id: 'CKV_AWS_284', name: 'passes tracing enabled', tf: sm('tracing_configuration {\n enabled = true\n}'), expect: { [SM]: 'pass' } },
  {
    id: 'CKV_AWS_285',
    name: 'fails without execution data',
    tf: sm('logging_configuration {\n level = "ALL"\n}'),
    expect: { [SM]: 'fail' },
  },
  {
    id: 'CKV_AWS_285',
    name: 'passes include_execution_data',
    tf: sm('logging_configuration {\n level = "ALL"\n include_execution_data = true\n}'),
    expect: { [SM]: 'pass' },
  },
];

const logs: VerdictCase[] = [
  { id: 'CKV_AWS_66', name: 'fails without retention', tf: lg(''), expect: { [LG]: 'fail' } },
  { id: 'CKV_AWS_66', name: 'passes a retention', tf: lg('retention_in_days = 14'), expect: { [LG]: 'pass' } },
  { id: 'CKV_AWS_66', name: 'passes 0 (a value is set)', tf: lg('retention_in_days = 0'), expect: { [LG]: 'pass' } },
  { id: 'CKV_AWS_158', name: 'fails without KMS key', tf: lg(''), expect: { [LG]: 'fail' } },
  { id: 'CKV_AWS_158', name: 'passes a key reference', tf: lg('kms_key_id = aws_kms_key.k.arn'), expect: { [LG]: 'pass' } },
  { id: 'CKV_AWS_338', name: 'fails without retention', tf: lg(''), expect: { [LG]: 'fail' } },
  { id: 'CKV_AWS_338', name: 'fails 14 days', tf: lg('retention_in_days = 14'), expect: { [LG]: 'fail' } },
  { id: 'CKV_AWS_338', name: 'passes 365 days', tf: lg('retention_in_days = 365'), expect: { [LG]: 'pass' } },
  { id: 'CKV_AWS_338', name: 'passes 0 (never expire)', tf: lg('retention_in_days = 0'), expect: { [LG]: 'pass' } },
  {
    id: 'CKV_AWS_338',
    name: 'is UNKNOWN for a variable without default',
    tf: `variable "days" {}\n${lg('retention_in_days = var.days')}`,
    expect: { [LG]: 'unknown' },
  },
  {
    id: 'CKV_AWS_338',
    name: 'judges a rendered variable default',
    tf: `variable "days" {\n default = 30\n}\n${lg('retention_in_days = var.days')}`,
    expect: { [LG]: 'fail' },
  },
];

runVerdictCases('Step Functions', stepFunctions);
runVerdictCases('CloudWatch Logs', logs);
