/** Step Functions (checkov CKV_AWS_284, 285) and CloudWatch Logs (CKV_AWS_66, 158, 338) rules. */
import { get, isExpression, isSet, isTrue, perResource, unknown } from '../helpers';
import type { PolicyRule } from '../types';

const SFN = ['aws_sfn_state_machine'];
const LOG_GROUP = ['aws_cloudwatch_log_group'];

export const stepFunctionsRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_284', title: 'State machine has X-Ray tracing enabled', area: 'Step Functions' }, SFN, (r) =>
    isTrue(get(r.config, 'tracing_configuration', 'enabled')) ? undefined : 'tracing_configuration.enabled is not true',
  ),
  perResource({ id: 'CKV_AWS_285', title: 'State machine has execution history logging enabled', area: 'Step Functions' }, SFN, (r) =>
    isTrue(get(r.config, 'logging_configuration', 'include_execution_data'))
      ? undefined
      : 'logging_configuration.include_execution_data is not true',
  ),
];

export const logsRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_66', title: 'CloudWatch log group specifies retention days', area: 'CloudWatch Logs' }, LOG_GROUP, (r) =>
    isSet(r.config.retention_in_days) ? undefined : 'retention_in_days is not set (logs kept forever)',
  ),
  perResource({ id: 'CKV_AWS_158', title: 'CloudWatch log group is encrypted by KMS', area: 'CloudWatch Logs' }, LOG_GROUP, (r) =>
    isSet(r.config.kms_key_id) ? undefined : 'kms_key_id is not set',
  ),
  perResource(
    { id: 'CKV_AWS_338', title: 'CloudWatch log group retains logs for at least 1 year', area: 'CloudWatch Logs' },
    LOG_GROUP,
    (r) => {
      const days = r.config.retention_in_days;
      // As checkov: a value only known at apply time cannot be judged; an unset value fails
      // (checkov reads a missing retention_in_days as a failure, only an explicit 0 as "never expire").
      if (isExpression(days)) return unknown(r, 'retention_in_days is an expression');
      if (!isSet(days)) return 'retention_in_days is not set; set 365 or more (or 0 to never expire)';
      const n = Number(days);
      return Number.isInteger(n) && (n === 0 || n >= 365) ? undefined : `retention_in_days is ${JSON.stringify(days)}; at least 365 needed`;
    },
  ),
];
