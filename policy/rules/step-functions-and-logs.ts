/** Step Functions (checkov CKV_AWS_284, 285) and CloudWatch Logs (CKV_AWS_66, 158, 338) rules. */
import { get, isExpression, isSet, isTrue, perResource } from '../helpers';
import type { PolicyRule } from '../types';

const SFN = ['aws_sfn_state_machine'];
const LOG_GROUP = ['aws_cloudwatch_log_group'];

export const stepFunctionsRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_284', title: 'State machine has X-Ray tracing enabled', area: 'Step Functions' }, SFN, (r) =>
    isTrue(get(r.config, 'tracing_configuration', 'enabled')) ? undefined : 'tracing_configuration.enabled is not true',
  ),
  perResource({ id: 'CKV_AWS_285', title: 'State machine has execution history logging enabled', area: 'Step Functions' }, SFN, (r) =>
    isTrue(get(r.config, 'logging_configuration', 'include_execution_data')) ? undefined : 'logging_configuration.include_execution_data is not true',
  ),
];

export const logsRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_66', title: 'CloudWatch log group specifies retention days', area: 'CloudWatch Logs' }, LOG_GROUP, (r) =>
    isSet(r.config.retention_in_days) ? undefined : 'retention_in_days is not set (logs kept forever)',
  ),
  perResource({ id: 'CKV_AWS_158', title: 'CloudWatch log group is encrypted by KMS', area: 'CloudWatch Logs' }, LOG_GROUP, (r) =>
    isSet(r.config.kms_key_id) ? undefined : 'kms_key_id is not set',
  ),
  perResource({ id: 'CKV_AWS_338', title: 'CloudWatch log group retains logs for at least 1 year', area: 'CloudWatch Logs' }, LOG_GROUP, (r) => {
    const days = r.config.retention_in_days;
    if (isExpression(days)) return undefined;
    const n = Number(days);
    // 0 / unset means "never expire", which satisfies "at least a year".
    return !isSet(days) || n === 0 || n >= 365 ? undefined : `retention_in_days is ${n}; at least 365 needed`;
  }),
];
