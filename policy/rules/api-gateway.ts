/** API Gateway rules (checkov CKV_AWS_59, 73, 76, 120, 217, 225, 237, 276, CKV2_AWS_4, 29, 51, 53, 77). */
import {
  ANY_VALUE,
  asList,
  at,
  blocks,
  graphEquals,
  graphExists,
  linked,
  negativeValueCheck,
  normaliseBool,
  valueCheck,
  verdictRule,
} from '../helpers';
import type { PolicyModel, PolicyRule, TfResource } from '../types';
import { hasManagedRuleGroup } from './waf';

const area = 'API Gateway';
const STAGE = ['aws_api_gateway_stage'];
const METHOD = ['aws_api_gateway_method'];
const METHOD_SETTINGS = ['aws_api_gateway_method_settings'];

/** WAFv2 web ACLs associated with a stage (through aws_wafv2_web_acl_association). */
export function stageWebAcls(model: PolicyModel, stage: TfResource): TfResource[] {
  const associations = linked(model, stage, 'aws_wafv2_web_acl_association');
  return model.ofType('aws_wafv2_web_acl', stage.stack).filter((acl) => associations.some((a) => linked(model, acl, a.type).includes(a)));
}

/** checkov CKV2_AWS_29: which WAF the REST API's endpoint type requires, and whether the stage has it. */
function protectedByWaf(stage: TfResource, model: PolicyModel): boolean {
  const apis = linked(model, stage, 'aws_api_gateway_rest_api');
  // A stage whose REST API is not in this configuration passes (checkov's "no connected API" branch).
  if (apis.length === 0) return true;
  return apis.some((api) => {
    const types = asList(at(api.config, ['endpoint_configuration', 'types']));
    if (types.includes('PRIVATE')) return true;
    if (!types.includes('REGIONAL')) return false;
    return (
      linked(model, stage, 'aws_wafregional_web_acl_association').length > 0 ||
      linked(model, stage, 'aws_wafv2_web_acl_association').length > 0
    );
  });
}

export const apiGatewayRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_59', title: 'No open access to back-end resources through API', area },
    METHOD,
    (r) => {
      // checkov: a non-OPTIONS method with authorization NONE (an absent authorization is NONE) and no API key.
      const method = r.config.http_method;
      const authorization = r.config.authorization ?? 'NONE';
      const apiKey = r.config.api_key_required;
      const open =
        method !== undefined &&
        method !== 'OPTIONS' &&
        authorization === 'NONE' &&
        (apiKey === undefined || normaliseBool(apiKey) === false);
      return open ? 'fail' : 'pass';
    },
    (r) => `${String(r.config.http_method)} has authorization NONE and no API key required`,
  ),
  verdictRule(
    { id: 'CKV2_AWS_53', title: 'API Gateway request is validated', area },
    METHOD,
    (r) => (graphExists(r.config.request_validator_id) ? 'pass' : 'fail'),
    'request_validator_id is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_73', title: 'API Gateway has X-Ray tracing enabled', area },
    STAGE,
    (r) => valueCheck(r.config, ['xray_tracing_enabled'], [true]),
    'xray_tracing_enabled is not true',
  ),
  verdictRule(
    { id: 'CKV_AWS_76', title: 'API Gateway has access logging enabled', area },
    [...STAGE, 'aws_apigatewayv2_stage'],
    (r) => valueCheck(r.config, ['access_log_settings', 'destination_arn'], ANY_VALUE),
    'access_log_settings.destination_arn is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_120', title: 'API Gateway caching is enabled', area },
    STAGE,
    (r) => valueCheck(r.config, ['cache_cluster_enabled'], [true]),
    'cache_cluster_enabled is not true',
  ),
  verdictRule(
    { id: 'CKV2_AWS_51', title: 'API Gateway endpoints use client certificate authentication', area },
    [...STAGE, 'aws_apigatewayv2_stage'],
    (r, m) => {
      if (graphExists(r.config.client_certificate_id)) return 'pass';
      if (r.type === 'aws_api_gateway_stage') return 'fail';
      // HTTP API stages (and stages whose API is not in the configuration) pass; WebSocket stages need a certificate.
      const apis = linked(m, r, 'aws_apigatewayv2_api');
      return apis.length === 0 || apis.some((a) => a.config.protocol_type !== 'WEBSOCKET') ? 'pass' : 'fail';
    },
    'client_certificate_id is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_276', title: 'Data trace is not enabled in API Gateway method settings', area },
    METHOD_SETTINGS,
    (r) => negativeValueCheck(r.config, ['settings', 'data_trace_enabled'], [true]),
    'settings.data_trace_enabled is true (logs full request/response bodies)',
  ),
  verdictRule(
    { id: 'CKV_AWS_225', title: 'API Gateway method setting caching is enabled (cache data encrypted)', area },
    METHOD_SETTINGS,
    // checkov's title speaks of caching but the check inspects settings.cache_data_encrypted only.
    (r) => valueCheck(r.config, ['settings', 'cache_data_encrypted'], [true]),
    'settings.cache_data_encrypted is not true',
  ),
  verdictRule(
    { id: 'CKV_AWS_217', title: 'Create before destroy for API Gateway deployments', area },
    ['aws_api_gateway_deployment'],
    (r) => valueCheck(r.config, ['lifecycle', 'create_before_destroy'], [true]),
    'lifecycle.create_before_destroy is not true',
  ),
  verdictRule(
    { id: 'CKV_AWS_237', title: 'Create before destroy for API Gateway REST APIs', area },
    ['aws_api_gateway_rest_api'],
    (r) => valueCheck(r.config, ['lifecycle', 'create_before_destroy'], [true]),
    'lifecycle.create_before_destroy is not true',
  ),
  verdictRule(
    { id: 'CKV2_AWS_4', title: 'API Gateway stage has logging level defined as appropriate', area },
    STAGE,
    (r, m) =>
      linked(m, r, 'aws_api_gateway_method_settings').some((s) => {
        const level = at(s.config, ['settings', 'logging_level']);
        return (
          (graphEquals(level, 'ERROR') || graphEquals(level, 'INFO')) && graphEquals(at(s.config, ['settings', 'metrics_enabled']), true)
        );
      })
        ? 'pass'
        : 'fail',
    'no aws_api_gateway_method_settings with logging_level ERROR/INFO and metrics_enabled for this stage',
  ),
  verdictRule(
    { id: 'CKV2_AWS_29', title: 'Public API Gateway is protected by WAF', area },
    STAGE,
    (r, m) => (protectedByWaf(r, m) ? 'pass' : 'fail'),
    'the REST API is not PRIVATE, or is REGIONAL without a WAF web ACL association for this stage (EDGE APIs always fail)',
  ),
  // Not verified against checkov: the graph check found for this rule set carries another id, so this
  // keeps the suite's earlier meaning (the stage's WAFv2 web ACL has the KnownBadInputs rule group).
  verdictRule(
    { id: 'CKV2_AWS_77', title: 'API Gateway attached WAFv2 web ACL has the AMR for the Log4j vulnerability', area },
    STAGE,
    (r, m) => {
      const acls = stageWebAcls(m, r);
      if (acls.length === 0) return { verdict: 'fail', message: 'no WAFv2 web ACL is associated with this stage' };
      return acls.some((acl) => blocks(acl.config.rule).some((rule) => hasManagedRuleGroup(rule, 'AWSManagedRulesKnownBadInputsRuleSet')))
        ? 'pass'
        : 'fail';
    },
    'the associated web ACL has no AWSManagedRulesKnownBadInputsRuleSet rule',
  ),
];
