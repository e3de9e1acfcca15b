/** Lambda rules (checkov CKV_AWS_50, 115, 116, 117, 173, 272, 301, 363, 364) and ORDERS_LAMBDA_RUNTIME_EOL. */
import { ANY_VALUE, at, blocks, negativeValueCheck, valueCheck, type Verdict, verdictRule } from '../helpers';
import type { PolicyRule } from '../types';

const area = 'Lambda';
const FN = ['aws_lambda_function'];
const PERMISSION = ['aws_lambda_permission'];

/** checkov CKV_AWS_363's forbidden runtimes, exactly (its list lags AWS's deprecation dates; see ORDERS_LAMBDA_RUNTIME_EOL). */
export const CHECKOV_DEPRECATED_LAMBDA_RUNTIMES = [
  'dotnetcore3.1',
  'nodejs12.x',
  'python3.6',
  'python2.7',
  'dotnet5.0',
  'dotnetcore2.1',
  'ruby2.5',
  'nodejs10.x',
  'nodejs8.10',
  'nodejs4.3',
  'nodejs6.10',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'nodejs4.3-edge',
  'nodejs',
  'java8',
  'python3.7',
  'go1.x',
  'provided',
  'ruby2.7',
  'nodejs14.x',
  'nodejs16.x',
  'python3.8',
  'dotnet7',
  'dotnet6',
];

/** Runtimes whose AWS Lambda deprecation date has passed but which checkov's list above does not name yet. */
export const LAMBDA_RUNTIMES_PAST_AWS_DEPRECATION = ['nodejs18.x', 'python3.9', 'nodejs20.x'];

/** A key present with a value (checkov's `key in conf`; JSON null counts as absent). */
const present = (config: Record<string, unknown>, key: string): boolean => config[key] !== undefined && config[key] !== null;

export const lambdaRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_50', title: 'X-Ray tracing is enabled for Lambda', area },
    FN,
    (r) => valueCheck(r.config, ['tracing_config', 'mode'], ['PassThrough', 'Active']),
    (r) => `tracing_config.mode is ${JSON.stringify(at(r.config, ['tracing_config', 'mode']))}; set "Active" or "PassThrough"`,
  ),
  verdictRule(
    { id: 'CKV_AWS_115', title: 'Lambda function is configured for function-level concurrent execution limit', area },
    FN,
    (r) => {
      // checkov fails a missing value and -1 (Terraform's "no reservation"); any other value passes.
      const v = at(r.config, ['reserved_concurrent_executions']);
      return v === undefined || v === null || v === -1 || v === '-1' ? 'fail' : 'pass';
    },
    (r) =>
      at(r.config, ['reserved_concurrent_executions']) === undefined
        ? 'reserved_concurrent_executions is not set'
        : 'reserved_concurrent_executions is -1 (no reservation)',
  ),
  verdictRule(
    { id: 'CKV_AWS_116', title: 'Lambda function is configured for a Dead Letter Queue (DLQ)', area },
    FN,
    (r) => valueCheck(r.config, ['dead_letter_config', 'target_arn'], ANY_VALUE),
    'dead_letter_config.target_arn is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_117', title: 'Lambda function is configured inside a VPC', area },
    FN,
    (r) => valueCheck(r.config, ['vpc_config'], ANY_VALUE),
    'vpc_config is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_173', title: 'Lambda environment variables are encrypted (KMS key set)', area },
    FN,
    (r): Verdict | { verdict: Verdict; message: string } => {
      // checkov: any environment block (even without variables) needs a non-empty kms_key_arn; a
      // kms_key_arn without environment fails too (state drift); neither is UNKNOWN.
      if (blocks(r.config.environment).length > 0) {
        if (!present(r.config, 'kms_key_arn')) return { verdict: 'fail', message: 'an environment block is set but kms_key_arn is not' };
        return r.config.kms_key_arn === '' ? { verdict: 'fail', message: 'kms_key_arn is empty' } : 'pass';
      }
      if (present(r.config, 'kms_key_arn')) return { verdict: 'fail', message: 'kms_key_arn is set without an environment block' };
      return { verdict: 'unknown', message: 'neither environment nor kms_key_arn is set (checkov: UNKNOWN)' };
    },
    'environment and kms_key_arn do not match',
  ),
  verdictRule(
    { id: 'CKV_AWS_272', title: 'Lambda function validates code-signing', area },
    FN,
    // checkov means to exempt container images (`package_type == "Image"`) but compares the attribute's
    // list form with a string, so in Terraform configuration the exemption never applies; followed as is.
    (r) => valueCheck(r.config, ['code_signing_config_arn'], ANY_VALUE),
    'code_signing_config_arn is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_363', title: 'Lambda runtime is not deprecated', area },
    FN,
    (r) => negativeValueCheck(r.config, ['runtime'], CHECKOV_DEPRECATED_LAMBDA_RUNTIMES),
    (r) => `runtime ${String(r.config.runtime)} is deprecated`,
  ),
  verdictRule(
    { id: 'ORDERS_LAMBDA_RUNTIME_EOL', title: 'Lambda runtime is not past its AWS deprecation date', area },
    FN,
    (r) => negativeValueCheck(r.config, ['runtime'], [...CHECKOV_DEPRECATED_LAMBDA_RUNTIMES, ...LAMBDA_RUNTIMES_PAST_AWS_DEPRECATION]),
    (r) => `runtime ${String(r.config.runtime)} is past its AWS Lambda deprecation date`,
  ),
  verdictRule(
    { id: 'CKV_AWS_301', title: 'Lambda function is not publicly accessible', area },
    PERMISSION,
    (r) => negativeValueCheck(r.config, ['principal'], ['*']),
    'principal is "*"',
  ),
  verdictRule(
    { id: 'CKV_AWS_364', title: 'Lambda permissions delegated to AWS services are limited by SourceArn or SourceAccount', area },
    PERMISSION,
    (r) => {
      // checkov splits the principal on "." and judges only `<service>.amazonaws.com[...]` principals;
      // any other principal (an account, an ARN, "*", an expression) is UNKNOWN.
      const principal = at(r.config, ['principal']);
      if (typeof principal !== 'string') return { verdict: 'unknown', message: 'principal is not a string' };
      const parts = principal.split('.');
      if (parts.length < 3 || parts[1] !== 'amazonaws' || parts[2] !== 'com') {
        return { verdict: 'unknown', message: `principal ${principal} is not a service principal (checkov: UNKNOWN)` };
      }
      return present(r.config, 'source_arn') || present(r.config, 'source_account') ? 'pass' : 'fail';
    },
    (r) => `principal ${String(r.config.principal)} without source_arn or source_account`,
  ),
];
