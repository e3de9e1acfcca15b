import { ref, runRuleCases, type RuleCase } from '../rule-cases';

const API = 'aws_api_gateway_rest_api.api';
const STAGE = 'aws_api_gateway_stage.stage';
const method = (extra: Record<string, unknown>) => ({
  resource: {
    aws_api_gateway_method: { post: { rest_api_id: ref(API), resource_id: 'r', http_method: 'POST', authorization: 'NONE', ...extra } },
  },
});
const stage = (extra: Record<string, unknown> = {}, others: Record<string, Record<string, unknown>> = {}) => ({
  resource: {
    aws_api_gateway_rest_api: { api: { name: 'orders', endpoint_configuration: { types: ['REGIONAL'] } } },
    aws_api_gateway_stage: { stage: { rest_api_id: ref(API), deployment_id: 'd', stage_name: 'v1', ...extra } },
    ...others,
  },
});
const settings = (s: Record<string, unknown>) => ({
  aws_api_gateway_method_settings: {
    all: { rest_api_id: ref(API), stage_name: ref(STAGE, 'stage_name'), method_path: '*/*', settings: s },
  },
});
const acl = (ruleName: string) => ({
  aws_wafv2_web_acl: {
    acl: {
      name: 'orders',
      scope: 'REGIONAL',
      rule: [
        {
          name: ruleName,
          priority: 1,
          override_action: { none: {} },
          statement: { managed_rule_group_statement: { name: ruleName, vendor_name: 'AWS' } },
        },
      ],
    },
  },
  aws_wafv2_web_acl_association: { assoc: { resource_arn: ref(STAGE, 'arn'), web_acl_arn: ref('aws_wafv2_web_acl.acl', 'arn') } },
});
const deployment = (lifecycle?: Record<string, unknown>) => ({
  resource: { aws_api_gateway_deployment: { d: { rest_api_id: ref(API), ...(lifecycle ? { lifecycle } : {}) } } },
});

const cases: RuleCase[] = [
  { id: 'CKV_AWS_59', bad: method({}), offender: 'aws_api_gateway_method.post', good: method({ api_key_required: true }) },
  {
    id: 'CKV2_AWS_53',
    bad: method({}),
    offender: 'aws_api_gateway_method.post',
    good: method({ request_validator_id: ref('aws_api_gateway_request_validator.body') }),
  },
  { id: 'CKV_AWS_73', bad: stage(), offender: STAGE, good: stage({ xray_tracing_enabled: true }) },
  {
    id: 'CKV_AWS_76',
    bad: stage(),
    offender: STAGE,
    good: stage({ access_log_settings: { destination_arn: ref('aws_cloudwatch_log_group.access', 'arn'), format: '{}' } }),
  },
  { id: 'CKV_AWS_120', bad: stage(), offender: STAGE, good: stage({ cache_cluster_enabled: true }) },
  { id: 'CKV2_AWS_51', bad: stage(), offender: STAGE, good: stage({ client_certificate_id: ref('aws_api_gateway_client_certificate.c') }) },
  {
    id: 'CKV_AWS_276',
    bad: { resource: settings({ data_trace_enabled: true }) },
    offender: 'aws_api_gateway_method_settings.all',
    good: { resource: settings({ data_trace_enabled: false, logging_level: 'ERROR' }) },
  },
  { id: 'CKV_AWS_217', bad: deployment(), offender: 'aws_api_gateway_deployment.d', good: deployment({ create_before_destroy: true }) },
  {
    id: 'CKV2_AWS_4',
    bad: stage({}, settings({ logging_level: 'OFF', metrics_enabled: true })),
    offender: STAGE,
    good: stage({}, settings({ logging_level: 'ERROR', metrics_enabled: true })),
  },
  { id: 'CKV2_AWS_29', bad: stage(), offender: STAGE, good: stage({}, acl('AWSManagedRulesCommonRuleSet')) },
  {
    id: 'CKV2_AWS_77',
    bad: stage({}, acl('AWSManagedRulesCommonRuleSet')),
    offender: STAGE,
    good: stage({}, acl('AWSManagedRulesKnownBadInputsRuleSet')),
  },
];

runRuleCases('API Gateway', cases);
