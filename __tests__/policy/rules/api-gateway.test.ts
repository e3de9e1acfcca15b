import { runVerdictCases, type VerdictCase } from '../rule-cases';

const M = 'aws_api_gateway_method.m';
const S = 'aws_api_gateway_stage.s';
const SETTINGS = 'aws_api_gateway_method_settings.all';
const API = 'aws_api_gateway_rest_api.api';
const method = (body: string) =>
  `resource "aws_api_gateway_method" "m" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  resource_id = "r"\n${body}\n}\n`;
const stage = (body = '') =>
  `resource "aws_api_gateway_stage" "s" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name = "prod"\n  deployment_id = "d"\n${body}\n}\n`;
const restApi = (types?: string) =>
  `resource "aws_api_gateway_rest_api" "api" {\n  name = "api"\n${types ? `  endpoint_configuration {\n    types = ["${types}"]\n  }` : ''}\n}\n`;
const settings = (body: string) =>
  `${stage()}resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name = aws_api_gateway_stage.s.stage_name\n  method_path = "*/*"\n  settings {\n${body}\n  }\n}\n`;
const wafv2 = (rules: string) =>
  `resource "aws_wafv2_web_acl" "acl" {\n  name = "acl"\n  scope = "REGIONAL"\n${rules}\n}\nresource "aws_wafv2_web_acl_association" "a" {\n  resource_arn = aws_api_gateway_stage.s.arn\n  web_acl_arn = aws_wafv2_web_acl.acl.arn\n}\n`;
const BAD_INPUTS_RULE =
  '  rule {\n    name = "bad-inputs"\n    priority = 1\n    override_action {\n      none {}\n    }\n    statement {\n      managed_rule_group_statement {\n        name = "AWSManagedRulesKnownBadInputsRuleSet"\n        vendor_name = "AWS"\n      }\n    }\n  }';
const v2Stage = (body = '') =>
  `resource "aws_apigatewayv2_stage" "v2" {\n  api_id = aws_apigatewayv2_api.v2.id\n  name = "prod"\n${body}\n}\n`;

const cases: VerdictCase[] = [
  {
    id: 'CKV_AWS_59',
    name: 'fails authorization NONE without API key',
    tf: method('http_method = "GET"\nauthorization = "NONE"'),
    expect: { [M]: 'fail' },
  },
  { id: 'CKV_AWS_59', name: 'fails a missing authorization (NONE)', tf: method('http_method = "POST"'), expect: { [M]: 'fail' } },
  {
    id: 'CKV_AWS_59',
    name: 'fails api_key_required = false',
    tf: method('http_method = "GET"\nauthorization = "NONE"\napi_key_required = false'),
    expect: { [M]: 'fail' },
  },
  {
    id: 'CKV_AWS_59',
    name: 'passes with an API key',
    tf: method('http_method = "GET"\nauthorization = "NONE"\napi_key_required = true'),
    expect: { [M]: 'pass' },
  },
  { id: 'CKV_AWS_59', name: 'passes OPTIONS', tf: method('http_method = "OPTIONS"\nauthorization = "NONE"'), expect: { [M]: 'pass' } },
  {
    id: 'CKV_AWS_59',
    name: 'passes IAM authorization',
    tf: method('http_method = "GET"\nauthorization = "AWS_IAM"'),
    expect: { [M]: 'pass' },
  },

  { id: 'CKV2_AWS_53', name: 'fails without request validator', tf: method('http_method = "GET"'), expect: { [M]: 'fail' } },
  {
    id: 'CKV2_AWS_53',
    name: 'passes with one',
    tf: method('http_method = "GET"\nrequest_validator_id = aws_api_gateway_request_validator.v.id'),
    expect: { [M]: 'pass' },
  },

  { id: 'CKV_AWS_73', name: 'fails without X-Ray', tf: stage(), expect: { [S]: 'fail' } },
  { id: 'CKV_AWS_73', name: 'passes xray_tracing_enabled', tf: stage('xray_tracing_enabled = true'), expect: { [S]: 'pass' } },

  { id: 'CKV_AWS_76', name: 'fails without access logs', tf: stage(), expect: { [S]: 'fail' } },
  {
    id: 'CKV_AWS_76',
    name: 'passes a destination',
    tf: stage('access_log_settings {\n destination_arn = aws_cloudwatch_log_group.l.arn\n format = "x"\n}'),
    expect: { [S]: 'pass' },
  },
  { id: 'CKV_AWS_76', name: 'judges HTTP API (v2) stages too', tf: v2Stage(), expect: { 'aws_apigatewayv2_stage.v2': 'fail' } },

  { id: 'CKV_AWS_120', name: 'fails without cache', tf: stage(), expect: { [S]: 'fail' } },
  { id: 'CKV_AWS_120', name: 'passes cache_cluster_enabled', tf: stage('cache_cluster_enabled = true'), expect: { [S]: 'pass' } },

  { id: 'CKV2_AWS_51', name: 'fails a REST stage without client certificate', tf: stage(), expect: { [S]: 'fail' } },
  {
    id: 'CKV2_AWS_51',
    name: 'passes a REST stage with one',
    tf: stage('client_certificate_id = aws_api_gateway_client_certificate.c.id'),
    expect: { [S]: 'pass' },
  },
  {
    id: 'CKV2_AWS_51',
    name: 'passes an HTTP API stage',
    tf: `resource "aws_apigatewayv2_api" "v2" {\n  name = "h"\n  protocol_type = "HTTP"\n}\n${v2Stage()}`,
    expect: { 'aws_apigatewayv2_stage.v2': 'pass' },
  },
  {
    id: 'CKV2_AWS_51',
    name: 'fails a WebSocket API stage without certificate',
    tf: `resource "aws_apigatewayv2_api" "v2" {\n  name = "w"\n  protocol_type = "WEBSOCKET"\n}\n${v2Stage()}`,
    expect: { 'aws_apigatewayv2_stage.v2': 'fail' },
  },

  { id: 'CKV_AWS_276', name: 'fails data trace on', tf: settings('    data_trace_enabled = true'), expect: { [SETTINGS]: 'fail' } },
  { id: 'CKV_AWS_276', name: 'passes data trace off', tf: settings('    data_trace_enabled = false'), expect: { [SETTINGS]: 'pass' } },
  { id: 'CKV_AWS_276', name: 'passes when unset', tf: settings('    metrics_enabled = true'), expect: { [SETTINGS]: 'pass' } },

  {
    id: 'CKV_AWS_225',
    name: 'fails without cache_data_encrypted',
    tf: settings('    metrics_enabled = true'),
    expect: { [SETTINGS]: 'fail' },
  },
  {
    id: 'CKV_AWS_225',
    name: 'passes cache_data_encrypted',
    tf: settings('    cache_data_encrypted = true'),
    expect: { [SETTINGS]: 'pass' },
  },

  {
    id: 'CKV_AWS_217',
    name: 'fails a deployment without create_before_destroy',
    tf: 'resource "aws_api_gateway_deployment" "d" {\n  rest_api_id = "x"\n}',
    expect: { 'aws_api_gateway_deployment.d': 'fail' },
  },
  {
    id: 'CKV_AWS_217',
    name: 'passes with it',
    tf: 'resource "aws_api_gateway_deployment" "d" {\n  rest_api_id = "x"\n  lifecycle {\n    create_before_destroy = true\n  }\n}',
    expect: { 'aws_api_gateway_deployment.d': 'pass' },
  },
  { id: 'CKV_AWS_237', name: 'fails a REST API without create_before_destroy', tf: restApi(), expect: { [API]: 'fail' } },
  {
    id: 'CKV_AWS_237',
    name: 'passes with it (cdktf JSON)',
    tf: { resource: { aws_api_gateway_rest_api: { api: { name: 'api', lifecycle: { create_before_destroy: true } } } } },
    expect: { [API]: 'pass' },
  },

  { id: 'CKV2_AWS_4', name: 'fails a stage without method settings', tf: stage(), expect: { [S]: 'fail' } },
  {
    id: 'CKV2_AWS_4',
    name: 'passes INFO with metrics',
    tf: settings('    logging_level = "INFO"\n    metrics_enabled = true'),
    expect: { [S]: 'pass' },
  },
  {
    id: 'CKV2_AWS_4',
    name: 'passes ERROR with metrics',
    tf: settings('    logging_level = "ERROR"\n    metrics_enabled = true'),
    expect: { [S]: 'pass' },
  },
  { id: 'CKV2_AWS_4', name: 'fails OFF', tf: settings('    logging_level = "OFF"\n    metrics_enabled = true'), expect: { [S]: 'fail' } },
  { id: 'CKV2_AWS_4', name: 'fails without metrics', tf: settings('    logging_level = "INFO"'), expect: { [S]: 'fail' } },

  { id: 'CKV2_AWS_29', name: 'passes a PRIVATE API', tf: restApi('PRIVATE') + stage(), expect: { [S]: 'pass' } },
  { id: 'CKV2_AWS_29', name: 'fails a REGIONAL API without WAF', tf: restApi('REGIONAL') + stage(), expect: { [S]: 'fail' } },
  {
    id: 'CKV2_AWS_29',
    name: 'passes a REGIONAL API with a WAFv2 association',
    tf: restApi('REGIONAL') + stage() + wafv2(''),
    expect: { [S]: 'pass' },
  },
  {
    id: 'CKV2_AWS_29',
    name: 'passes a REGIONAL API with a WAF Classic regional association',
    tf: `${restApi('REGIONAL')}${stage()}resource "aws_wafregional_web_acl_association" "a" {\n  resource_arn = aws_api_gateway_stage.s.arn\n  web_acl_id = "acl"\n}`,
    expect: { [S]: 'pass' },
  },
  { id: 'CKV2_AWS_29', name: 'fails an EDGE (default) API even with WAF', tf: restApi() + stage() + wafv2(''), expect: { [S]: 'fail' } },
  {
    id: 'CKV2_AWS_29',
    name: 'passes a stage whose REST API is not in the configuration',
    tf: stage().replace('aws_api_gateway_rest_api.api.id', 'var.api_id'),
    expect: { [S]: 'pass' },
  },

  { id: 'CKV2_AWS_77', name: 'fails a stage without web ACL', tf: stage(), expect: { [S]: 'fail' } },
  { id: 'CKV2_AWS_77', name: 'fails a web ACL without KnownBadInputs', tf: stage() + wafv2(''), expect: { [S]: 'fail' } },
  { id: 'CKV2_AWS_77', name: 'passes a web ACL with KnownBadInputs', tf: stage() + wafv2(BAD_INPUTS_RULE), expect: { [S]: 'pass' } },
];

runVerdictCases('API Gateway', cases);
