import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from '../../stacks/web-acl';

const BASE: WebAclProps = {
  name: 'orders-dev-web-acl',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/abc123/stages/dev',
  rateLimit: 2000,
  geoBlockCountries: ['CU', 'IR', 'KP', 'SY'],
  logRetentionDays: 14,
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
};

function synth(props: WebAclProps): { raw: string; json: any; acl: any; rules: any[] } {
  const raw = Testing.synthScope((scope) => {
    new WebAcl(scope, 'waf', props);
  });
  const json = JSON.parse(raw);
  const acl = Object.values(json.resource.aws_wafv2_web_acl)[0] as any;
  return { raw, json, acl, rules: acl.rule };
}

/** Every object key under `value`, recursively. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  return [];
}

describe('WebAcl', () => {
  let withGeo: ReturnType<typeof synth>;
  let withoutGeo: ReturnType<typeof synth>;
  beforeAll(() => {
    withGeo = synth(BASE);
    withoutGeo = synth({ ...BASE, geoBlockCountries: [], rateLimit: 500, rateEvaluationWindowSeconds: 60 });
  });

  it('is a REGIONAL ACL that allows by default, with metrics and sampled requests', () => {
    expect(withGeo.raw).toHaveResourceWithProperties(Wafv2WebAcl, {
      name: 'orders-dev-web-acl',
      scope: 'REGIONAL',
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: 'orders-dev-web-acl' },
    });
  });

  it('blocks an IP over the configured rate limit per 300-second window', () => {
    const rule = withGeo.rules.find((r) => r.name === 'RateLimitPerIp');
    expect(rule.action).toEqual({ block: {} });
    expect(rule.statement).toEqual({ rate_based_statement: { limit: 2000, evaluation_window_sec: 300, aggregate_key_type: 'IP' } });
  });

  it('takes the configured limit and window', () => {
    const rule = withoutGeo.rules.find((r) => r.name === 'RateLimitPerIp');
    expect(rule.statement.rate_based_statement).toEqual({ limit: 500, evaluation_window_sec: 60, aggregate_key_type: 'IP' });
  });

  it('blocks the configured countries', () => {
    const rule = withGeo.rules.find((r) => r.name === 'GeoBlock');
    expect(rule.action).toEqual({ block: {} });
    expect(rule.statement).toEqual({ geo_match_statement: { country_codes: ['CU', 'IR', 'KP', 'SY'] } });
  });

  it('omits the geo rule when the country list is empty', () => {
    expect(withoutGeo.rules.map((r) => r.name)).not.toContain('GeoBlock');
    expect(withoutGeo.raw).not.toContain('geo_match_statement');
  });

  it.each([...MANAGED_RULE_GROUPS])('uses the AWS managed group %s with override_action none and no excluded rules', (group) => {
    const rule = withGeo.rules.find((r) => r.name === group);
    expect(rule).toBeDefined();
    expect(rule.override_action).toEqual({ none: {} });
    expect(rule.action).toBeUndefined();
    expect(rule.statement.managed_rule_group_statement).toEqual(expect.objectContaining({ name: group, vendor_name: 'AWS' }));
    expect(rule.statement.managed_rule_group_statement.excluded_rule).toBeUndefined();
  });

  it('GIVEN no overrides THEN only the Core Rule Set body-size rule is counted; every other managed rule keeps its action', () => {
    const overrides = withGeo.rules.flatMap((r) =>
      (r.statement.managed_rule_group_statement?.rule_action_override ?? []).map((o: any) => [r.name, o]),
    );
    expect(overrides).toEqual([['AWSManagedRulesCommonRuleSet', { name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]]);
  });

  it('GIVEN rule action overrides THEN each becomes a rule_action_override of its group, a later one for the same rule winning', () => {
    const { rules } = synth({
      ...BASE,
      ruleActionOverrides: [
        { group: 'AWSManagedRulesAnonymousIpList', rule: 'HostingProviderIPList', action: 'count' },
        { group: 'AWSManagedRulesCommonRuleSet', rule: 'NoUserAgent_HEADER', action: 'count' },
        { group: 'AWSManagedRulesCommonRuleSet', rule: 'SizeRestrictions_BODY', action: 'block' },
      ],
    });
    const of = (group: string) => rules.find((r) => r.name === group).statement.managed_rule_group_statement.rule_action_override;
    expect(of('AWSManagedRulesAnonymousIpList')).toEqual([{ name: 'HostingProviderIPList', action_to_use: { count: {} } }]);
    expect(of('AWSManagedRulesCommonRuleSet')).toEqual([
      { name: 'SizeRestrictions_BODY', action_to_use: { block: {} } },
      { name: 'NoUserAgent_HEADER', action_to_use: { count: {} } },
    ]);
  });

  it('GIVEN an override for a group the ACL does not use THEN it names the override and the groups', () => {
    expect(() =>
      synth({ ...BASE, ruleActionOverrides: [{ group: 'AWSManagedRulesBotControlRuleSet', rule: 'X', action: 'count' }] }),
    ).toThrow(
      /ruleActionOverrides names AWSManagedRulesBotControlRuleSet:X; the groups of this web ACL are AWSManagedRulesAmazonIpReputationList, /,
    );
  });

  it('blocks bodies over the API limit with a 413 JSON answer and inspects bodies up to that limit', () => {
    const rule = withGeo.rules.find((r) => r.name === 'BodyLargerThanApiLimit');
    expect(rule.action).toEqual({ block: { custom_response: { response_code: 413, custom_response_body_key: 'body-too-large' } } });
    expect(rule.statement.size_constraint_statement).toEqual(
      expect.objectContaining({ comparison_operator: 'GT', size: 65536, field_to_match: { body: { oversize_handling: 'MATCH' } } }),
    );
    expect(withGeo.acl.association_config).toEqual({ request_body: [{ api_gateway: { default_size_inspection_limit: 'KB_64' } }] });
    expect(withGeo.acl.custom_response_body).toEqual([
      { key: 'body-too-large', content_type: 'APPLICATION_JSON', content: '{"message":"Request body is larger than 65536 bytes"}' },
    ]);
  });

  it.each([
    [20_000, 'KB_32'],
    [16_384, 'KB_16'],
  ])('GIVEN maxBodyBytes %i THEN the inspection limit is the smallest that fits (%s)', (maxBodyBytes, limit) => {
    expect(synth({ ...BASE, maxBodyBytes }).acl.association_config.request_body[0].api_gateway.default_size_inspection_limit).toBe(limit);
  });

  it('GIVEN a body limit WAF cannot inspect THEN it names the setting, the value and the fix', () => {
    expect(() => synth({ ...BASE, maxBodyBytes: 70_000 })).toThrow(
      'maxBodyBytes is 70000; WAF inspects at most 65536 bytes of a body, so use an integer from 1 to 65536',
    );
  });

  it.each([
    ['SqlInjectionBodyQueryUri', 'sqli_match_statement'],
    ['XssBodyQueryUri', 'xss_match_statement'],
  ])('%s blocks %s on body (oversize = match), query string and URI path, URL- and HTML-decoded', (name, statementKey) => {
    const rule = withGeo.rules.find((r) => r.name === name);
    expect(rule.action).toEqual({ block: {} });
    const inner = rule.statement.or_statement.statement.map((s: any) => s[statementKey]);
    expect(inner.map((s: any) => s.field_to_match)).toEqual([
      { body: { oversize_handling: 'MATCH' } },
      { query_string: {} },
      { uri_path: {} },
    ]);
    for (const s of inner) {
      expect(s.text_transformation).toEqual([
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'HTML_ENTITY_DECODE' },
      ]);
    }
  });

  it('writes Terraform snake_case keys inside every rule statement (camelCase would be invalid Terraform)', () => {
    const keys = allKeys(withGeo.rules.map((r) => r.statement));
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => /[A-Z]/.test(k))).toEqual([]);
  });

  it('gives every rule a unique priority, CloudWatch metrics and sampled requests', () => {
    expect(withGeo.rules).toHaveLength(3 + MANAGED_RULE_GROUPS.length + 2);
    expect(new Set(withGeo.rules.map((r) => r.priority)).size).toBe(withGeo.rules.length);
    for (const rule of withGeo.rules) {
      expect(rule.visibility_config).toEqual({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: `orders-dev-web-acl-${rule.name}`,
      });
      // every rule has exactly one of action / override_action (checkov CKV_AWS_342)
      expect(Number(rule.action !== undefined) + Number(rule.override_action !== undefined)).toBe(1);
    }
  });

  it('is associated with the given resource', () => {
    expect(withGeo.raw).toHaveResourceWithProperties(Wafv2WebAclAssociation, {
      resource_arn: BASE.resourceArn,
      web_acl_arn: expect.stringMatching(/^\$\{aws_wafv2_web_acl\.[\w-]+\.arn\}$/),
    });
  });

  it('logs to an encrypted aws-waf-logs-* group with retention, redacting credentials', () => {
    expect(withGeo.raw).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: 'aws-waf-logs-orders-dev-web-acl',
      retention_in_days: 14,
      kms_key_id: BASE.kmsKeyArn,
    });
    expect(withGeo.raw).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, {
      log_destination_configs: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}$/)],
      resource_arn: expect.stringMatching(/aws_wafv2_web_acl\..*\.arn/),
      redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'x-api-key' } }],
    });
  });

  it.each<[string, Partial<WebAclProps>, RegExp]>([
    ['a rate limit below WAF’s minimum', { rateLimit: 5 }, /rateLimit is 5; use an integer from 10 to 2000000000/],
    ['a fractional rate limit', { rateLimit: 100.5 }, /rateLimit is 100.5; use an integer/],
    [
      'a country that is not an alpha-2 code',
      { geoBlockCountries: ['CU', 'iran'] },
      /geoBlockCountries contains \["iran"\]; use ISO 3166-1 alpha-2 codes/,
    ],
  ])('rejects %s, naming the setting, the value and the fix', (_case, override, message) => {
    expect(() => Testing.synthScope((scope) => new WebAcl(scope, 'waf', { ...BASE, ...override }))).toThrow(message);
  });

  it('reports every problem in one error', () => {
    expect(() =>
      Testing.synthScope((scope) => new WebAcl(scope, 'waf', { ...BASE, rateLimit: 1, rateEvaluationWindowSeconds: 30 })),
    ).toThrow(/rateEvaluationWindowSeconds is 30[\s\S]*rateLimit is 1/);
  });

  it('rejects an evaluation window WAF does not offer, naming the setting and the allowed values', () => {
    expect(() => Testing.synthScope((scope) => new WebAcl(scope, 'waf', { ...BASE, rateEvaluationWindowSeconds: 240 }))).toThrow(
      /rateEvaluationWindowSeconds is 240; use one of 60, 120, 300, 600/,
    );
  });
});
