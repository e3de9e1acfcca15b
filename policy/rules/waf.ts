/** WAF rules (checkov CKV_AWS_175, 192, 342, CKV2_AWS_31). */
import { blocks, connected, get, isSet, perResource } from '../helpers';
import type { PolicyRule } from '../types';

const area = 'WAF';
const ACL = ['aws_wafv2_web_acl'];

/** The managed rule group statement of a WAF rule, when it has one. */
export function managedGroup(rule: Record<string, unknown>): Record<string, unknown> | undefined {
  return blocks(get(rule, 'statement', 'managed_rule_group_statement'))[0];
}

export function hasManagedRuleGroup(rule: Record<string, unknown>, name: string): boolean {
  return managedGroup(rule)?.name === name;
}

/** A block set to a non-empty object, e.g. `override_action { none {} }`. */
function hasAnyAction(value: unknown): boolean {
  return blocks(value).some((b) => Object.keys(b).length > 0);
}

export const wafRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_175', title: 'WAF has associated rules', area }, ACL, (r) =>
    blocks(r.config.rule).length > 0 || isSet(r.config.rule_json) ? undefined : 'the web ACL has no rule',
  ),
  perResource({ id: 'CKV_AWS_342', title: 'WAF rule has any actions', area }, ACL, (r) => {
    const bad = blocks(r.config.rule).filter(
      (rule) => !hasAnyAction(rule.action) && !hasAnyAction(rule.override_action) && !managedGroup(rule),
    );
    return bad.length > 0 ? `rules without action: ${bad.map((b) => String(b.name)).join(', ')}` : undefined;
  }),
  perResource({ id: 'CKV_AWS_192', title: 'WAF prevents message lookup in Log4j2 (CVE-2021-44228)', area }, ACL, (r) => {
    const rule = blocks(r.config.rule).find((x) => hasManagedRuleGroup(x, 'AWSManagedRulesKnownBadInputsRuleSet'));
    if (!rule) return 'no AWSManagedRulesKnownBadInputsRuleSet rule';
    const group = managedGroup(rule)!;
    // checkov looks at excluded_rule; rule_action_override is its successor, so an override of
    // Log4JRCE to anything but block (count, allow, captcha) disarms the rule the same way.
    const excluded = blocks(group.excluded_rule).some((x) => x.name === 'Log4JRCE');
    const overridden = blocks(group.rule_action_override).some(
      (x) => x.name === 'Log4JRCE' && !blocks(get(x, 'action_to_use')).some((a) => 'block' in a),
    );
    if (excluded || overridden) return 'Log4JRCE is excluded or overridden in AWSManagedRulesKnownBadInputsRuleSet';
    return blocks(get(rule, 'override_action', 'none')).length > 0
      ? undefined
      : 'the KnownBadInputs rule group override_action is not none (count mode?)';
  }),
  perResource({ id: 'CKV2_AWS_31', title: 'WAF2 has a logging configuration', area }, ACL, (r, m) =>
    connected(m, r, 'aws_wafv2_web_acl_logging_configuration', 'resource_arn', ['arn']).length > 0
      ? undefined
      : 'no aws_wafv2_web_acl_logging_configuration for this web ACL',
  ),
];
