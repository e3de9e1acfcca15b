import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import type { WafRuleActionOverride } from '../config';
import { MAX_BODY_BYTES, WAF_FACTS, requiredBodyInspectionLimit } from '../spec/limits';

export interface WebAclProps {
  /** Web ACL name, also the prefix of every rule's CloudWatch metric name. */
  readonly name: string;
  /** ARN of the resource to protect (an API Gateway stage ARN). */
  readonly resourceArn: string;
  /** Requests per IP per evaluation window above which the IP is blocked. */
  readonly rateLimit: number;
  /** ISO 3166-1 alpha-2 codes to block; an empty list omits the geo rule. */
  readonly geoBlockCountries: readonly string[];
  /** Retention of the WAF log group, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the WAF log group. */
  readonly kmsKeyArn: string;
  /** Rate-limit evaluation window, seconds (60, 120, 300 or 600). @default 300 */
  readonly rateEvaluationWindowSeconds?: number;
  /**
   * Managed rules whose action is replaced (`rule_action_override`), applied after the
   * construct's own body-size override (which they may replace).
   * @default - none
   */
  readonly ruleActionOverrides?: readonly WafRuleActionOverride[];
  /**
   * Largest body the API accepts, bytes: the web ACL inspects bodies up to it and blocks
   * larger ones with a 413, so every valid order passes the size checks.
   * @default MAX_BODY_BYTES (spec/limits.ts)
   */
  readonly maxBodyBytes?: number;
}

/**
 * The Core Rule Set's body-size rule blocks bodies over 8 KB, below the API's limit: it
 * only counts, and BodyLargerThanApiLimit blocks at the API's own limit instead.
 */
export const BODY_SIZE_OVERRIDES: readonly WafRuleActionOverride[] = [
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'SizeRestrictions_BODY', action: 'count' },
];

/** Key of the JSON body WAF answers an oversize request with (a 413, like the API's own). */
export const BODY_TOO_LARGE_RESPONSE_KEY = 'body-too-large';

/** AWS managed rule groups, in evaluation order (cheap reputation lists first). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesAnonymousIpList',
  'AWSManagedRulesCommonRuleSet',
  // Not excluding Log4JRCE: this group is what stops Log4Shell payloads (checkov CKV_AWS_192).
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

const EVALUATION_WINDOWS = [60, 120, 300, 600];

/**
 * Parts of the request the custom SQLi/XSS rules inspect. An oversize body counts as a match:
 * WAF sees only the first inspection-limit bytes, so a payload hidden past them must not slip
 * through. The limit is raised to fit the API's largest body, so only bodies the API would
 * reject anyway are oversize.
 */
const INSPECTED_FIELDS = [{ body: { oversize_handling: 'MATCH' } }, { query_string: {} }, { uri_path: {} }];

/** URL-decode first, then HTML entities, so `%3Cscript%3E` and `&lt;script&gt;` are both caught. */
const TEXT_TRANSFORMATIONS = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'HTML_ENTITY_DECODE' },
];

/**
 * A REGIONAL WAF v2 web ACL in front of the API stage: rate limit per IP, optional geo block,
 * a body-size rule at the API's own limit (413), five AWS managed rule groups (with per-rule
 * action overrides) and custom SQLi/XSS rules, logging to `aws-waf-logs-<name>`. The body
 * inspection limit is raised so that the largest body the API accepts is inspected whole.
 *
 * The provider types each rule's `statement` as `any`, so the statement objects below are
 * written with Terraform's snake_case block names (camelCase would synthesize invalid Terraform).
 *
 * Defaults: default action allow; rate window 300 s aggregated by IP; SizeRestrictions_BODY of
 * the Core Rule Set counted, not blocked (BodyLargerThanApiLimit replaces it); every rule and
 * the ACL emit CloudWatch metrics and sampled requests.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly webAclArn: string;
  readonly logGroup: CloudwatchLogGroup;
  /** CloudWatch `Rule` dimension values (metric names) of every rule, in priority order. */
  readonly ruleMetricNames: string[];

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const window = props.rateEvaluationWindowSeconds ?? 300;
    const problems = validateWebAclProps(props, window);
    if (problems.length > 0) throw new Error(`WebAcl ${props.name} has invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

    const maxBodyBytes = props.maxBodyBytes ?? MAX_BODY_BYTES;
    const rules = webAclRules(props.name, props.rateLimit, window, props.geoBlockCountries, {
      maxBodyBytes,
      ruleActionOverrides: [...BODY_SIZE_OVERRIDES, ...(props.ruleActionOverrides ?? [])],
    });
    this.ruleMetricNames = rules.map((r) => r.visibilityConfig.metricName);

    this.webAcl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      description: `Protects the ${props.name} API stage: rate limit, geo block, AWS managed rules, SQLi and XSS.`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
      // API Gateway forwards only the first 16 KB of a body to WAF unless raised (charged per extra 16 KB, only on larger bodies).
      associationConfig: { requestBody: [{ apiGateway: { defaultSizeInspectionLimit: requiredBodyInspectionLimit(maxBodyBytes) } }] },
      customResponseBody: [
        {
          key: BODY_TOO_LARGE_RESPONSE_KEY,
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ message: `Request body is larger than ${maxBodyBytes} bytes` }),
        },
      ],
    });
    this.webAclArn = this.webAcl.arn;

    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.resourceArn, webAclArn: this.webAcl.arn });

    // WAF only delivers to log groups whose name starts with `aws-waf-logs-`.
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      // Credentials never belong in logs.
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'x-api-key' } }],
    });
  }
}

/** Every problem with the props (WAF's own limits), so one error lists them all; empty when valid. */
export function validateWebAclProps(props: WebAclProps, window: number): string[] {
  const problems: string[] = [];
  if (!EVALUATION_WINDOWS.includes(window))
    problems.push(`rateEvaluationWindowSeconds is ${window}; use one of ${EVALUATION_WINDOWS.join(', ')}`);
  if (!Number.isInteger(props.rateLimit) || props.rateLimit < 10 || props.rateLimit > 2_000_000_000) {
    problems.push(`rateLimit is ${props.rateLimit}; use an integer from 10 to 2000000000 (WAF's rate-based rule limits)`);
  }
  const badCountries = props.geoBlockCountries.filter((c) => !/^[A-Z]{2}$/.test(c));
  if (badCountries.length > 0)
    problems.push(`geoBlockCountries contains ${JSON.stringify(badCountries)}; use ISO 3166-1 alpha-2 codes such as "CU"`);
  const unknownGroups = (props.ruleActionOverrides ?? []).filter((o) => !(MANAGED_RULE_GROUPS as readonly string[]).includes(o.group));
  if (unknownGroups.length > 0)
    problems.push(
      `ruleActionOverrides names ${unknownGroups.map((o) => `${o.group}:${o.rule}`).join(', ')}; the groups of this web ACL are ${MANAGED_RULE_GROUPS.join(', ')}`,
    );
  const maxBody = props.maxBodyBytes ?? MAX_BODY_BYTES;
  const largest = WAF_FACTS.bodyInspectionLimits.KB_64;
  if (!Number.isInteger(maxBody) || maxBody < 1 || maxBody > largest)
    problems.push(`maxBodyBytes is ${maxBody}; WAF inspects at most ${largest} bytes of a body, so use an integer from 1 to ${largest}`);
  return problems;
}

/** The rules of the web ACL, pure so tests and the dashboard can read them without a stack. */
export function webAclRules(
  name: string,
  rateLimit: number,
  windowSeconds: number,
  geoBlockCountries: readonly string[],
  body: { readonly maxBodyBytes?: number; readonly ruleActionOverrides?: readonly WafRuleActionOverride[] } = {},
): Wafv2WebAclRule[] {
  const maxBodyBytes = body.maxBodyBytes ?? MAX_BODY_BYTES;
  const overrides = body.ruleActionOverrides ?? BODY_SIZE_OVERRIDES;
  const visibility = (rule: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${name}-${rule}`, sampledRequestsEnabled: true });
  const block = { block: {} };
  const rules: Wafv2WebAclRule[] = [
    {
      name: 'RateLimitPerIp',
      priority: 0,
      action: block,
      statement: { rate_based_statement: { limit: rateLimit, evaluation_window_sec: windowSeconds, aggregate_key_type: 'IP' } },
      visibilityConfig: visibility('RateLimitPerIp'),
    },
  ];
  if (geoBlockCountries.length > 0) {
    rules.push({
      name: 'GeoBlock',
      priority: 1,
      action: block,
      statement: { geo_match_statement: { country_codes: [...geoBlockCountries] } },
      visibilityConfig: visibility('GeoBlock'),
    });
  }
  rules.push({
    name: 'BodyLargerThanApiLimit',
    priority: 2,
    // A 413 with the API's own message: the body is over the limit the API would answer 413 for.
    action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: BODY_TOO_LARGE_RESPONSE_KEY } } },
    statement: {
      size_constraint_statement: {
        comparison_operator: 'GT',
        size: maxBodyBytes,
        // WAF sees the first `inspection limit` bytes (set to fit maxBodyBytes): anything beyond is oversize, a match.
        field_to_match: { body: { oversize_handling: 'MATCH' } },
        text_transformation: [{ priority: 0, type: 'NONE' }],
      },
    },
    visibilityConfig: visibility('BodyLargerThanApiLimit'),
  });
  MANAGED_RULE_GROUPS.forEach((group, i) => {
    // Later entries for the same rule win, so configuration can replace the construct's defaults.
    const byRule = new Map(overrides.filter((o) => o.group === group).map((o) => [o.rule, o.action]));
    rules.push({
      name: group,
      priority: 10 + i,
      // `none` keeps each managed rule's own action (block) except the overridden ones; `count` would only observe.
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: group,
          vendor_name: 'AWS',
          ...(byRule.size > 0
            ? { rule_action_override: [...byRule].map(([rule, action]) => ({ name: rule, action_to_use: { [action]: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(group),
    });
  });
  rules.push(
    {
      name: 'SqlInjectionBodyQueryUri',
      priority: 20,
      action: block,
      statement: {
        or_statement: {
          statement: INSPECTED_FIELDS.map((field) => ({
            sqli_match_statement: { field_to_match: field, text_transformation: TEXT_TRANSFORMATIONS },
          })),
        },
      },
      visibilityConfig: visibility('SqlInjectionBodyQueryUri'),
    },
    {
      name: 'XssBodyQueryUri',
      priority: 21,
      action: block,
      statement: {
        or_statement: {
          statement: INSPECTED_FIELDS.map((field) => ({
            xss_match_statement: { field_to_match: field, text_transformation: TEXT_TRANSFORMATIONS },
          })),
        },
      },
      visibilityConfig: visibility('XssBodyQueryUri'),
    },
  );
  return rules;
}
