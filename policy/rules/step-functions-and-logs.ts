/** Step Functions (checkov CKV_AWS_284, 285) and CloudWatch Logs (CKV_AWS_66, 158, 338) rules. */
import { ANY_VALUE, valueCheck, verdictRule } from '../helpers';
import type { PolicyRule } from '../types';

const SFN = ['aws_sfn_state_machine'];
const LOG_GROUP = ['aws_cloudwatch_log_group'];

export const stepFunctionsRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_284', title: 'State machine has X-Ray tracing enabled', area: 'Step Functions' },
    SFN,
    (r) => valueCheck(r.config, ['tracing_configuration', 'enabled'], [true]),
    'tracing_configuration.enabled is not true',
  ),
  verdictRule(
    { id: 'CKV_AWS_285', title: 'State machine has execution history logging enabled', area: 'Step Functions' },
    SFN,
    (r) => valueCheck(r.config, ['logging_configuration', 'include_execution_data'], [true]),
    'logging_configuration.include_execution_data is not true',
  ),
];

export const logsRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_66', title: 'CloudWatch log group specifies retention days', area: 'CloudWatch Logs' },
    LOG_GROUP,
    (r) => valueCheck(r.config, ['retention_in_days'], ANY_VALUE),
    'retention_in_days is not set (logs kept forever)',
  ),
  verdictRule(
    { id: 'CKV_AWS_158', title: 'CloudWatch log group is encrypted by KMS', area: 'CloudWatch Logs' },
    LOG_GROUP,
    (r) => valueCheck(r.config, ['kms_key_id'], ANY_VALUE),
    'kms_key_id is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_338', title: 'CloudWatch log group retains logs for at least 1 year', area: 'CloudWatch Logs' },
    LOG_GROUP,
    (r) => {
      // As checkov: only an integer is judged (0 = never expire, or 365 and more); anything else that is
      // set — an expression, a string — is UNKNOWN; an unset value fails.
      const days = r.config.retention_in_days;
      if (days === undefined || days === null)
        return { verdict: 'fail', message: 'retention_in_days is not set; set 365 or more (or 0 to never expire)' };
      if (typeof days !== 'number' || !Number.isInteger(days))
        return { verdict: 'unknown', message: 'retention_in_days is not an integer literal' };
      return days === 0 || days >= 365 ? 'pass' : { verdict: 'fail', message: `retention_in_days is ${days}; at least 365 needed` };
    },
    'retention_in_days is under 365',
  ),
];
