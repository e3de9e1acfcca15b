import { runVerdictCases, type VerdictCase } from '../rule-cases';

const ACL = 'aws_wafv2_web_acl.acl';
const acl = (rules: string) =>
  `resource "aws_wafv2_web_acl" "acl" {\n  name = "acl"\n  scope = "REGIONAL"\n  default_action {\n    allow {}\n  }\n${rules}\n}\n`;
const managed = (name: string, extra = '', override = '    override_action {\n      none {}\n    }\n') =>
  `  rule {\n    name = "${name}"\n    priority = 1\n${override}    statement {\n      managed_rule_group_statement {\n        name = "${name}"\n        vendor_name = "AWS"\n${extra}\n      }\n    }\n  }\n`;
const RATE =
  '  rule {\n    name = "rate"\n    priority = 2\n    action {\n      block {}\n    }\n    statement {\n      rate_based_statement {\n        limit = 100\n        aggregate_key_type = "IP"\n      }\n    }\n  }\n';
const NO_ACTION =
  '  rule {\n    name = "bare"\n    priority = 3\n    action {}\n    statement {\n      rate_based_statement {\n        limit = 100\n      }\n    }\n  }\n';
const BAD = 'AWSManagedRulesKnownBadInputsRuleSet';

const cases: VerdictCase[] = [
  { id: 'CKV_AWS_175', name: 'fails a web ACL without rules', tf: acl(''), expect: { [ACL]: 'fail' } },
  { id: 'CKV_AWS_175', name: 'fails an empty rule {}', tf: acl('  rule {}'), expect: { [ACL]: 'fail' } },
  { id: 'CKV_AWS_175', name: 'passes a rule', tf: acl(RATE), expect: { [ACL]: 'pass' } },
  {
    id: 'CKV_AWS_175',
    name: 'judges WAF Classic global and regional web ACLs',
    tf: 'resource "aws_waf_web_acl" "g" {\n  name = "g"\n  rules {\n    priority = 1\n    rule_id = "r"\n  }\n}\nresource "aws_wafregional_web_acl" "r" {\n  name = "r"\n}',
    expect: { 'aws_waf_web_acl.g': 'pass', 'aws_wafregional_web_acl.r': 'fail' },
  },
  {
    id: 'CKV_AWS_175',
    name: 'fails rule_json alone (checkov reads only rule blocks)',
    tf: { resource: { aws_wafv2_web_acl: { acl: { name: 'acl', rule_json: '[]' } } } },
    expect: { [ACL]: 'fail' },
  },

  { id: 'CKV_AWS_342', name: 'passes rules with actions and managed groups', tf: acl(RATE + managed(BAD)), expect: { [ACL]: 'pass' } },
  { id: 'CKV_AWS_342', name: 'fails a rule with an empty action', tf: acl(RATE + NO_ACTION), expect: { [ACL]: 'fail' } },
  { id: 'CKV_AWS_342', name: 'is UNKNOWN without rules', tf: acl(''), expect: { [ACL]: 'unknown' } },
  {
    id: 'CKV_AWS_342',
    name: 'judges rule groups too',
    tf: `resource "aws_wafv2_rule_group" "g" {\n  name = "g"\n  scope = "REGIONAL"\n  capacity = 10\n${RATE}}`,
    expect: { 'aws_wafv2_rule_group.g': 'pass' },
  },

  { id: 'CKV_AWS_192', name: 'fails without the KnownBadInputs group', tf: acl(RATE), expect: { [ACL]: 'fail' } },
  { id: 'CKV_AWS_192', name: 'passes the group with override_action none', tf: acl(managed(BAD)), expect: { [ACL]: 'pass' } },
  {
    id: 'CKV_AWS_192',
    name: 'fails the group in count mode',
    tf: acl(managed(BAD, '', '    override_action {\n      count {}\n    }\n')),
    expect: { [ACL]: 'fail' },
  },
  {
    id: 'CKV_AWS_192',
    name: 'fails Log4JRCE excluded',
    tf: acl(managed(BAD, '        excluded_rule {\n          name = "Log4JRCE"\n        }')),
    expect: { [ACL]: 'fail' },
  },
  {
    id: 'CKV_AWS_192',
    name: 'passes Log4JRCE overridden to count (checkov reads only excluded_rule; see ORDERS_WAF_LOG4J_OVERRIDE)',
    tf: acl(
      managed(
        BAD,
        '        rule_action_override {\n          name = "Log4JRCE"\n          action_to_use {\n            count {}\n          }\n        }',
      ),
    ),
    expect: { [ACL]: 'pass' },
  },
  {
    id: 'ORDERS_WAF_LOG4J_OVERRIDE',
    name: 'fails Log4JRCE overridden to count',
    tf: acl(
      managed(
        BAD,
        '        rule_action_override {\n          name = "Log4JRCE"\n          action_to_use {\n            count {}\n          }\n        }',
      ),
    ),
    expect: { [ACL]: 'fail' },
  },
  {
    id: 'ORDERS_WAF_LOG4J_OVERRIDE',
    name: 'passes an override of another rule to count',
    tf: acl(
      managed(
        BAD,
        '        rule_action_override {\n          name = "UserAgent_BadBots_HEADER"\n          action_to_use {\n            count {}\n          }\n        }',
      ),
    ),
    expect: { [ACL]: 'pass' },
  },

  { id: 'CKV2_AWS_31', name: 'fails without logging configuration', tf: acl(RATE), expect: { [ACL]: 'fail' } },
  {
    id: 'CKV2_AWS_31',
    name: 'passes a connected logging configuration',
    tf: `${acl(RATE)}resource "aws_wafv2_web_acl_logging_configuration" "l" {\n  resource_arn = aws_wafv2_web_acl.acl.arn\n  log_destination_configs = ["x"]\n}`,
    expect: { [ACL]: 'pass' },
  },
];

runVerdictCases('WAF', cases);
