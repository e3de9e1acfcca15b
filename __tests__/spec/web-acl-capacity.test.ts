/**
 * The web ACL's capacity (WCU) from AWS WAF's published costs, over the synthesized rules:
 * docs/app.md states it and that it stays inside the 1,500 WCU of the base price.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Json, resourcesOf, synthesizedDevApp } from './synthesized-app';

/**
 * AWS WAF developer guide: "AWS Managed Rules rule groups list" (capacity of each group) and the
 * rule statement pages (SQLi 20 at low sensitivity, 30 at high; XSS 40; either doubled on a JSON
 * body, +10 on all query arguments; +10 per text transformation; rate-based 2; geo 1; size 1).
 */
const MANAGED_GROUP_WCU: Record<string, number> = {
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
};
const BASE_PRICE_WCU = 1500;

const transformations = (s: Json) => 10 * (s.text_transformation ?? []).filter((t: Json) => t.type !== 'NONE').length;
const componentFactor = (s: Json) => (s.field_to_match?.json_body ? 2 : 1);
const allQueryArguments = (s: Json) => (s.field_to_match?.all_query_arguments ? 10 : 0);

/** WCU of one rule statement; a statement type without a cost here fails, so a new rule is counted. */
function statementWcu(statement: Json): number {
  const [[type, s]] = Object.entries(statement) as [[string, Json]];
  switch (type) {
    case 'rate_based_statement':
      return 2 + (s.scope_down_statement ? statementWcu(s.scope_down_statement) : 0);
    case 'geo_match_statement':
      return 1;
    case 'size_constraint_statement':
      return 1 + transformations(s);
    case 'sqli_match_statement':
      return (s.sensitivity_level === 'HIGH' ? 30 : 20) * componentFactor(s) + allQueryArguments(s) + transformations(s);
    case 'xss_match_statement':
      return 40 * componentFactor(s) + allQueryArguments(s) + transformations(s);
    case 'or_statement':
    case 'and_statement':
      return (s.statement as Json[]).reduce((sum, inner) => sum + statementWcu(inner), 0);
    case 'not_statement':
      return statementWcu(s.statement);
    case 'managed_rule_group_statement': {
      const wcu = MANAGED_GROUP_WCU[s.name];
      if (wcu === undefined) throw new Error(`no capacity known for the managed rule group ${s.name}`);
      return wcu;
    }
    default:
      throw new Error(`no WCU cost known for a ${type}`);
  }
}

describe('web ACL capacity', () => {
  const acl = () => resourcesOf(synthesizedDevApp(), 'aws_wafv2_web_acl')[0][1];
  const total = () => (acl().rule as Json[]).reduce((sum, rule) => sum + statementWcu(rule.statement), 0);

  it('stays inside the WCU included in the base price', () => {
    expect(total()).toBeLessThanOrEqual(BASE_PRICE_WCU);
  });

  it('is what docs/app.md says', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'docs', 'app.md'), 'utf8');
    const stated = /the rules use about ([\d,]+) web ACL capacity units/.exec(text);
    expect(stated).not.toBeNull();
    expect(Number(stated![1].replace(/,/g, ''))).toBe(total());
  });

  it('counts every statement it is given, and refuses one it has no cost for', () => {
    const sqli = {
      sqli_match_statement: { field_to_match: { body: {} }, text_transformation: [{ type: 'URL_DECODE' }, { type: 'NONE' }] },
    };
    expect(statementWcu(sqli)).toBe(30);
    expect(statementWcu({ or_statement: { statement: [sqli, { geo_match_statement: {} }] } })).toBe(31);
    expect(statementWcu({ xss_match_statement: { field_to_match: { json_body: {} } } })).toBe(80);
    expect(() => statementWcu({ regex_match_statement: {} })).toThrow('no WCU cost known for a regex_match_statement');
    expect(() => statementWcu({ managed_rule_group_statement: { name: 'AWSManagedRulesBotControlRuleSet' } })).toThrow(/BotControl/);
  });
});
