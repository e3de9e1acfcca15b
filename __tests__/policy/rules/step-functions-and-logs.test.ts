import { modelOf, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const SM = 'aws_sfn_state_machine.orders';
const sm = (extra: Record<string, unknown>) => ({
  resource: { aws_sfn_state_machine: { orders: { name: 'orders', role_arn: 'r', definition: '{}', ...extra } } },
});
const LG = 'aws_cloudwatch_log_group.api';
const lg = (extra: Record<string, unknown>) => ({
  resource: { aws_cloudwatch_log_group: { api: { name: '/aws/lambda/orders-prod-api', ...extra } } },
});

const cases: RuleCase[] = [
  {
    id: 'CKV_AWS_284',
    bad: sm({ tracing_configuration: { enabled: false } }),
    offender: SM,
    good: sm({ tracing_configuration: { enabled: true } }),
  },
  {
    id: 'CKV_AWS_285',
    bad: sm({ logging_configuration: { level: 'ALL', include_execution_data: false, log_destination: 'x:*' } }),
    offender: SM,
    good: sm({
      logging_configuration: { level: 'ALL', include_execution_data: true, log_destination: '${aws_cloudwatch_log_group.sfn.arn}:*' },
    }),
  },
  { id: 'CKV_AWS_66', bad: lg({}), offender: LG, good: lg({ retention_in_days: 14 }) },
  { id: 'CKV_AWS_158', bad: lg({ retention_in_days: 14 }), offender: LG, good: lg({ kms_key_id: '${aws_kms_key.app.arn}' }) },
  { id: 'CKV_AWS_338', bad: lg({ retention_in_days: 14 }), offender: LG, good: lg({ retention_in_days: 365 }) },
];

runRuleCases('Step Functions and CloudWatch Logs', cases);

describe('CKV_AWS_338 edge cases (checkov semantics)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['unset retention (checkov fails it)', {}, 'fail'],
    ['retention 0 (never expire)', { retention_in_days: 0 }, 'pass'],
    ['retention 364', { retention_in_days: 364 }, 'fail'],
    ['retention 3653', { retention_in_days: 3653 }, 'pass'],
    ['an apply-time expression (checkov: unknown)', { retention_in_days: '${var.days}' }, 'unknown'],
  ])('%s -> %s', (_case, extra, status) => {
    // GIVEN one log group / WHEN the rule runs / THEN its verdict is checkov's
    const [finding] = ruleById('CKV_AWS_338').evaluate(modelOf(lg(extra)));
    expect(finding.status).toBe(status);
  });
});
