/** API Gateway rules (checkov CKV_AWS_59, 73, 76, 120, 217, 276, CKV2_AWS_4, 29, 51, 53, 77). */
import { asList, blocks, connected, get, isExpression, isSet, isTrue, perResource, refersTo } from '../helpers';
import type { PolicyModel, PolicyRule, TfResource } from '../types';
import { hasManagedRuleGroup } from './waf';

const area = 'API Gateway';
const STAGE = ['aws_api_gateway_stage'];
const METHOD = ['aws_api_gateway_method'];

/** WAFv2 web ACLs associated with a stage (through aws_wafv2_web_acl_association). */
export function stageWebAcls(model: PolicyModel, stage: TfResource): TfResource[] {
  const associations = connected(model, stage, 'aws_wafv2_web_acl_association', 'resource_arn', ['arn']);
  return model
    .ofType('aws_wafv2_web_acl', stage.stack)
    .filter((acl) => associations.some((a) => refersTo(a.config.web_acl_arn, acl, ['arn'])));
}

function restApiOf(model: PolicyModel, stage: TfResource): TfResource | undefined {
  return model.ofType('aws_api_gateway_rest_api', stage.stack).find((api) => refersTo(stage.config.rest_api_id, api, ['id']));
}

export const apiGatewayRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_59', title: 'No open access to back-end resources through API', area }, METHOD, (r) => {
    const open = r.config.authorization === 'NONE' && r.config.http_method !== 'OPTIONS' && !isTrue(r.config.api_key_required);
    return open ? `${r.config.http_method} has authorization NONE and api_key_required is not true` : undefined;
  }),
  perResource({ id: 'CKV2_AWS_53', title: 'API Gateway request is validated', area }, METHOD, (r) =>
    isSet(r.config.request_validator_id) ? undefined : 'request_validator_id is not set',
  ),
  perResource({ id: 'CKV_AWS_73', title: 'API Gateway has X-Ray tracing enabled', area }, STAGE, (r) =>
    isTrue(r.config.xray_tracing_enabled) ? undefined : 'xray_tracing_enabled is not true',
  ),
  perResource({ id: 'CKV_AWS_76', title: 'API Gateway has access logging enabled', area }, STAGE, (r) =>
    isSet(get(r.config, 'access_log_settings', 'destination_arn')) ? undefined : 'access_log_settings.destination_arn is not set',
  ),
  perResource({ id: 'CKV_AWS_120', title: 'API Gateway caching is enabled', area }, STAGE, (r) =>
    isTrue(r.config.cache_cluster_enabled) ? undefined : 'cache_cluster_enabled is not true',
  ),
  perResource({ id: 'CKV2_AWS_51', title: 'API Gateway endpoints use client certificate authentication', area }, STAGE, (r) =>
    isSet(r.config.client_certificate_id) ? undefined : 'client_certificate_id is not set',
  ),
  perResource(
    { id: 'CKV_AWS_276', title: 'Data trace is not enabled in API Gateway method settings', area },
    ['aws_api_gateway_method_settings'],
    (r) => {
      const value = get(r.config, 'settings', 'data_trace_enabled');
      return value === true || value === 'true' ? 'settings.data_trace_enabled is true (logs full request/response bodies)' : undefined;
    },
  ),
  perResource(
    { id: 'CKV_AWS_217', title: 'Create before destroy for API Gateway deployments', area },
    ['aws_api_gateway_deployment'],
    (r) => (isTrue(get(r.config, 'lifecycle', 'create_before_destroy')) ? undefined : 'lifecycle.create_before_destroy is not true'),
  ),
  perResource({ id: 'CKV2_AWS_4', title: 'API Gateway stage has logging level defined as appropriate', area }, STAGE, (r, m) => {
    const settings = connected(m, r, 'aws_api_gateway_method_settings', 'stage_name', ['stage_name']);
    const ok = settings.some((s) => {
      const level = get(s.config, 'settings', 'logging_level');
      const metrics = get(s.config, 'settings', 'metrics_enabled');
      return (level === 'ERROR' || level === 'INFO' || isExpression(level)) && isTrue(metrics);
    });
    return ok ? undefined : 'no aws_api_gateway_method_settings with logging_level ERROR/INFO and metrics_enabled for this stage';
  }),
  perResource({ id: 'CKV2_AWS_29', title: 'Public API Gateway is protected by WAF', area }, STAGE, (r, m) => {
    const api = restApiOf(m, r);
    const types = asList(get(api?.config, 'endpoint_configuration', 'types'));
    if (types.includes('PRIVATE')) return undefined;
    const associated =
      connected(m, r, 'aws_wafv2_web_acl_association', 'resource_arn', ['arn']).length > 0 ||
      connected(m, r, 'aws_wafregional_web_acl_association', 'resource_arn', ['arn']).length > 0;
    return associated ? undefined : 'no WAF web ACL association for this stage';
  }),
  perResource(
    { id: 'CKV2_AWS_77', title: 'API Gateway attached WAFv2 web ACL has the AMR for the Log4j vulnerability', area },
    STAGE,
    (r, m) => {
      const acls = stageWebAcls(m, r);
      if (acls.length === 0) return 'no WAFv2 web ACL is associated with this stage';
      return acls.some((acl) => blocks(acl.config.rule).some((rule) => hasManagedRuleGroup(rule, 'AWSManagedRulesKnownBadInputsRuleSet')))
        ? undefined
        : 'the associated web ACL has no AWSManagedRulesKnownBadInputsRuleSet rule';
    },
  ),
];
