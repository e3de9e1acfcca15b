/** Lambda rules (checkov CKV_AWS_50, 115, 116, 173, 272, 301, 363, 364). */
import { get, isExpression, isSet, perResource } from '../helpers';
import type { PolicyRule } from '../types';

const area = 'Lambda';
const FN = ['aws_lambda_function'];
const PERMISSION = ['aws_lambda_permission'];

/**
 * Runtimes checkov's CKV_AWS_363 treats as deprecated, plus those whose AWS Lambda deprecation date
 * has passed since (checkov adds each one on its date): nodejs18.x (2025-09-01), python3.9
 * (2025-12-15), nodejs20.x (2026-04-30).
 */
export const DEPRECATED_LAMBDA_RUNTIMES = [
  'python3.9',
  'python3.8',
  'python3.7',
  'python3.6',
  'python2.7',
  'dotnetcore3.1',
  'dotnet7',
  'dotnet6',
  'dotnet5.0',
  'dotnetcore2.1',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'nodejs20.x',
  'nodejs18.x',
  'nodejs16.x',
  'nodejs14.x',
  'nodejs12.x',
  'nodejs10.x',
  'nodejs8.10',
  'nodejs6.10',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs',
  'java8',
  'go1.x',
  'provided',
  'ruby2.7',
  'ruby2.5',
];

export const lambdaRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_50', title: 'X-Ray tracing is enabled for Lambda', area }, FN, (r) => {
    const mode = get(r.config, 'tracing_config', 'mode');
    return mode === 'Active' || mode === 'PassThrough' || isExpression(mode)
      ? undefined
      : `tracing_config.mode is ${JSON.stringify(mode)}; set "Active"`;
  }),
  perResource({ id: 'CKV_AWS_115', title: 'Lambda function is configured for function-level concurrent execution limit', area }, FN, (r) =>
    isSet(r.config.reserved_concurrent_executions) ? undefined : 'reserved_concurrent_executions is not set',
  ),
  perResource({ id: 'CKV_AWS_116', title: 'Lambda function is configured for a Dead Letter Queue (DLQ)', area }, FN, (r) =>
    isSet(get(r.config, 'dead_letter_config', 'target_arn')) ? undefined : 'dead_letter_config.target_arn is not set',
  ),
  perResource({ id: 'CKV_AWS_173', title: 'Lambda environment variables are encrypted (KMS key set)', area }, FN, (r) => {
    const variables = get(r.config, 'environment', 'variables');
    if (!isSet(variables)) return undefined;
    return isSet(r.config.kms_key_arn) ? undefined : 'environment variables are set but kms_key_arn is not';
  }),
  perResource({ id: 'CKV_AWS_272', title: 'Lambda function validates code-signing', area }, FN, (r) =>
    isSet(r.config.code_signing_config_arn) ? undefined : 'code_signing_config_arn is not set',
  ),
  perResource({ id: 'CKV_AWS_363', title: 'Lambda runtime is not deprecated', area }, FN, (r) =>
    typeof r.config.runtime === 'string' && DEPRECATED_LAMBDA_RUNTIMES.includes(r.config.runtime)
      ? `runtime ${r.config.runtime} is deprecated`
      : undefined,
  ),
  perResource({ id: 'CKV_AWS_301', title: 'Lambda function is not publicly accessible', area }, PERMISSION, (r) =>
    r.config.principal === '*' ? 'principal is "*"' : undefined,
  ),
  perResource(
    { id: 'CKV_AWS_364', title: 'Lambda permissions delegated to AWS services are limited by SourceArn or SourceAccount', area },
    PERMISSION,
    (r) => {
      const principal = r.config.principal;
      // Only service principals (x.amazonaws.com) are in scope, as in checkov.
      if (typeof principal !== 'string' || !/^[\w-]+\.amazonaws\.com$/.test(principal)) return undefined;
      return isSet(r.config.source_arn) || isSet(r.config.source_account)
        ? undefined
        : `principal ${principal} without source_arn or source_account`;
    },
  ),
];
