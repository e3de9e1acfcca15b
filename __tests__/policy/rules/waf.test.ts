import { modelOf, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const ACL = 'aws_wafv2_web_acl.acl';
const managed = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  priority: 1,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { name, vendor_name: 'AWS', ...extra } },
  visibility_config: { metric_name: name, cloudwatch_metrics_enabled: true, sampled_requests_enabled: true },
});
const rate = (action?: Record<string, unknown>) => ({
  name: 'rate',
  priority: 2,
  ...(action ? { action } : {}),
  statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } },
});
const acl = (rule: unknown[], extra: Record<string, unknown> = {}) => ({
  resource: { aws_wafv2_web_acl: { acl: { name: 'orders', scope: 'REGIONAL', default_action: { allow: {} }, rule, ...extra } } },
});

const cases: RuleCase[] = [
  { id: 'CKV_AWS_175', bad: acl([]), offender: ACL, good: acl([managed('AWSManagedRulesCommonRuleSet')]) },
  { id: 'CKV_AWS_342', bad: acl([rate()]), offender: ACL, good: acl([rate({ block: {} })]) },
  {
    id: 'CKV_AWS_192',
    bad: acl([
      managed('AWSManagedRulesKnownBadInputsRuleSet', { rule_action_override: [{ name: 'Log4JRCE', action_to_use: { count: {} } }] }),
    ]),
    offender: ACL,
    good: acl([managed('AWSManagedRulesKnownBadInputsRuleSet')]),
  },
  {
    id: 'CKV2_AWS_31',
    bad: acl([managed('AWSManagedRulesCommonRuleSet')]),
    offender: ACL,
    good: {
      resource: {
        ...acl([managed('AWSManagedRulesCommonRuleSet')]).resource,
        aws_wafv2_web_acl_logging_configuration: {
          log: { resource_arn: '${aws_wafv2_web_acl.acl.arn}', log_destination_configs: ['${aws_cloudwatch_log_group.waf.arn}'] },
        },
      },
    },
  },
];

runRuleCases('WAF', cases);

describe('CKV_AWS_192 Log4JRCE overrides', () => {
  const known = (extra: Record<string, unknown>) => acl([managed('AWSManagedRulesKnownBadInputsRuleSet', extra)]);
  it.each<[string, Record<string, unknown>, string]>([
    ['Log4JRCE excluded', { excluded_rule: [{ name: 'Log4JRCE' }] }, 'fail'],
    ['Log4JRCE overridden to count', { rule_action_override: [{ name: 'Log4JRCE', action_to_use: { count: {} } }] }, 'fail'],
    ['Log4JRCE overridden to block (still blocks)', { rule_action_override: [{ name: 'Log4JRCE', action_to_use: { block: {} } }] }, 'pass'],
    [
      'another rule overridden to count',
      { rule_action_override: [{ name: 'JavaDeserializationRCE_BODY', action_to_use: { count: {} } }] },
      'pass',
    ],
  ])('%s -> %s', (_case, extra, status) => {
    expect(ruleById('CKV_AWS_192').evaluate(modelOf(known(extra)))[0].status).toBe(status);
  });

  it('fails a KnownBadInputs group in count mode (override_action count)', () => {
    const counting = acl([{ ...managed('AWSManagedRulesKnownBadInputsRuleSet'), override_action: { count: {} } }]);
    expect(ruleById('CKV_AWS_192').evaluate(modelOf(counting))[0].status).toBe('fail');
  });
});
