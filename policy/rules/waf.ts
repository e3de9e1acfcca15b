/** WAF rules (checkov CKV_AWS_175, 192, 342, CKV2_AWS_31) and ORDERS_WAF_LOG4J_OVERRIDE. */
import { blocks, get, linked, type Verdict, verdictRule } from '../helpers';
import type { PolicyRule } from '../types';

const area = 'WAF';
const ACL = ['aws_wafv2_web_acl'];
const ALL_ACLS = ['aws_waf_web_acl', 'aws_wafregional_web_acl', 'aws_wafv2_web_acl'];
const RULE_GROUPS = ['aws_wafv2_rule_group', 'aws_wafregional_rule_group', 'aws_waf_rule_group'];

/** The managed rule group statement of a WAF rule, when it has one. */
export function managedGroup(rule: Record<string, unknown>): Record<string, unknown> | undefined {
  return blocks(get(rule, 'statement', 'managed_rule_group_statement'))[0];
}

export function hasManagedRuleGroup(rule: Record<string, unknown>, name: string): boolean {
  return managedGroup(rule)?.name === name;
}

/** checkov's `value != [{}]`: a block that is present and not a single empty block. */
function nonEmptyBlock(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const list = Array.isArray(value) ? value : [value];
  return !(list.length === 1 && list[0] && typeof list[0] === 'object' && Object.keys(list[0]).length === 0);
}

/** The KnownBadInputs rule's statement verdict, as checkov CKV_AWS_192 walks the rules. */
function log4jVerdict(config: Record<string, unknown>): { verdict: Verdict; message?: string } {
  for (const rule of blocks(config.rule)) {
    const statement = rule.statement;
    if (statement === undefined || statement === null) continue;
    const first = blocks(statement)[0];
    if (!first) return { verdict: 'unknown', message: 'a rule statement is not a block' };
    const group = blocks(first.managed_rule_group_statement)[0];
    if (group?.name !== 'AWSManagedRulesKnownBadInputsRuleSet') continue;
    if (blocks(group.excluded_rule).some((x) => x.name === 'Log4JRCE')) {
      return { verdict: 'fail', message: 'Log4JRCE is excluded in AWSManagedRulesKnownBadInputsRuleSet' };
    }
    return blocks(get(rule, 'override_action', 'none')).length > 0
      ? { verdict: 'pass' }
      : { verdict: 'fail', message: 'the KnownBadInputs rule group override_action is not none (count mode?)' };
  }
  return { verdict: 'fail', message: 'no AWSManagedRulesKnownBadInputsRuleSet rule' };
}

export const wafRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_175', title: 'WAF has associated rules', area },
    ALL_ACLS,
    // checkov: a `rules` or `rule` block that is not a single empty block (rule_json does not count).
    (r) => (nonEmptyBlock(r.config.rules) || nonEmptyBlock(r.config.rule) ? 'pass' : 'fail'),
    'the web ACL has no rule',
  ),
  verdictRule(
    { id: 'CKV_AWS_342', title: 'WAF rule has any actions', area },
    [...ALL_ACLS, ...RULE_GROUPS],
    (r) => {
      const rules = [r.config.rule, r.config.rules, r.config.activated_rule].map(blocks).find((b) => b.length > 0);
      if (!rules) return { verdict: 'unknown', message: 'no rules (checkov: UNKNOWN)' };
      const bad = rules.filter(
        (rule) =>
          !nonEmptyBlock(rule.action) &&
          !nonEmptyBlock(rule.override_action) &&
          !blocks(rule.statement).some((s) => blocks(s.managed_rule_group_statement).length > 0),
      );
      return bad.length > 0 ? { verdict: 'fail', message: `rules without action: ${bad.map((b) => String(b.name)).join(', ')}` } : 'pass';
    },
    'a rule has no action',
  ),
  verdictRule(
    { id: 'CKV_AWS_192', title: 'WAF prevents message lookup in Log4j2 (CVE-2021-44228)', area },
    ACL,
    (r) => log4jVerdict(r.config),
    'no AWSManagedRulesKnownBadInputsRuleSet rule in block mode',
  ),
  verdictRule(
    { id: 'ORDERS_WAF_LOG4J_OVERRIDE', title: 'WAF does not override the Log4JRCE rule to a non-blocking action', area },
    ACL,
    // checkov CKV_AWS_192 reads only excluded_rule; rule_action_override is its successor and an
    // override of Log4JRCE to count/allow/captcha disarms the rule the same way.
    (r) =>
      blocks(r.config.rule).some((rule) =>
        blocks(managedGroup(rule)?.rule_action_override).some(
          (x) => x.name === 'Log4JRCE' && !blocks(get(x, 'action_to_use')).some((a) => 'block' in a),
        ),
      )
        ? 'fail'
        : 'pass',
    'rule_action_override sets Log4JRCE to an action other than block',
  ),
  verdictRule(
    { id: 'CKV2_AWS_31', title: 'WAF2 has a logging configuration', area },
    ACL,
    (r, m) => (linked(m, r, 'aws_wafv2_web_acl_logging_configuration').length > 0 ? 'pass' : 'fail'),
    'no aws_wafv2_web_acl_logging_configuration for this web ACL',
  ),
];
