import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { loadConfig } from '../../config';
import { createOrderRequestJsonSchema } from '../../handlers/shared/order-schema';
import { unknownRouteAnswer } from '../../spec/routes';
import { OrderApi, type OrderApiProps } from '../../stacks/order-api';

const dev = loadConfig('dev', {});
const prod = loadConfig('prod', {});
const BASE: OrderApiProps = {
  apiName: 'orders-dev-api',
  stageName: 'dev',
  functionName: '${aws_lambda_function.api.function_name}',
  functionInvokeArn: '${aws_lambda_function.api.invoke_arn}',
  requestBodySchema: createOrderRequestJsonSchema(),
  api: { ...dev.api, manageAccountRole: true },
  logRetentionDays: 14,
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  partition: 'aws',
};

function synth(props: OrderApiProps) {
  const raw = Testing.synthScope((scope) => {
    new OrderApi(scope, 'api', props);
  });
  const json = JSON.parse(raw);
  const r = json.resource;
  const byLogicalId = (type: string, fragment: string) => Object.entries(r[type]).find(([k]) => k.includes(fragment))![1] as any;
  return { raw, json, r, byLogicalId };
}

describe('OrderApi', () => {
  let devApi: ReturnType<typeof synth>;
  let prodApi: ReturnType<typeof synth>;
  let changedModel: ReturnType<typeof synth>;
  beforeAll(() => {
    devApi = synth(BASE);
    prodApi = synth({ ...BASE, apiName: 'orders-prod-api', stageName: 'prod', api: { ...prod.api, manageAccountRole: false } });
    changedModel = synth({ ...BASE, requestBodySchema: { ...BASE.requestBodySchema, title: 'changed' } });
  });

  it('is a REGIONAL REST API reading API keys from the header', () => {
    expect(devApi.raw).toHaveResourceWithProperties(ApiGatewayRestApi, {
      name: 'orders-dev-api',
      endpoint_configuration: { types: ['REGIONAL'] },
      api_key_source: 'HEADER',
    });
  });

  it('creates a replacement REST API before destroying the old one (no window without an API)', () => {
    expect(devApi.byLogicalId('aws_api_gateway_rest_api', 'rest-api').lifecycle).toEqual({ create_before_destroy: true });
  });

  it('has the resources /orders and /orders/{orderId}', () => {
    const parts = Object.values(devApi.r.aws_api_gateway_resource).map((x: any) => x.path_part);
    expect(parts.sort()).toEqual(['orders', '{orderId}']);
    expect(devApi.byLogicalId('aws_api_gateway_resource', 'orders').parent_id).toMatch(/aws_api_gateway_rest_api\..*\.root_resource_id/);
    expect(devApi.byLogicalId('aws_api_gateway_resource', 'order_').parent_id).toMatch(/aws_api_gateway_resource\..*orders.*\.id/);
  });

  it.each([
    ['post-orders', 'POST', 'body-validator', undefined],
    [
      'get-orders',
      'GET',
      'parameters-validator',
      { 'method.request.querystring.limit': false, 'method.request.querystring.nextToken': false },
    ],
    ['get-order', 'GET', 'parameters-validator', { 'method.request.path.orderId': true }],
  ])('method %s (%s) requires an API key and validates with %s', (id, httpMethod, validator, params) => {
    const method = devApi.byLogicalId('aws_api_gateway_method', id);
    expect(method.http_method).toBe(httpMethod);
    expect(method.api_key_required).toBe(true);
    expect(method.authorization).toBe('NONE');
    expect(method.request_validator_id).toMatch(new RegExp(`aws_api_gateway_request_validator\\..*${validator}.*\\.id`));
    expect(method.request_parameters).toEqual(params);
  });

  it('validates the POST body with the model generated from the handler’s schema', () => {
    const post = devApi.byLogicalId('aws_api_gateway_method', 'post-orders');
    expect(post.request_models).toEqual({ 'application/json': expect.stringMatching(/aws_api_gateway_model\..*\.name/) });
    expect(devApi.raw).toHaveResourceWithProperties(ApiGatewayModel, {
      name: 'CreateOrderRequest',
      content_type: 'application/json',
      schema: JSON.stringify(createOrderRequestJsonSchema()),
    });
    const schema = JSON.parse(devApi.byLogicalId('aws_api_gateway_model', 'create-order').schema);
    expect(schema.required).toEqual(expect.arrayContaining(['customerName', 'items', 'totalAmount']));
    expect(schema.additionalProperties).toBe(false);
    const body = devApi.byLogicalId('aws_api_gateway_request_validator', 'body-validator');
    expect(body).toEqual(expect.objectContaining({ validate_request_body: true, validate_request_parameters: true }));
    const params = devApi.byLogicalId('aws_api_gateway_request_validator', 'parameters-validator');
    expect(params).toEqual(expect.objectContaining({ validate_request_body: false, validate_request_parameters: true }));
  });

  it('integrates every method with the API function as a Lambda proxy', () => {
    const integrations = Object.values(devApi.r.aws_api_gateway_integration) as any[];
    expect(integrations).toHaveLength(3);
    for (const i of integrations) {
      expect(i).toEqual(expect.objectContaining({ type: 'AWS_PROXY', integration_http_method: 'POST', uri: BASE.functionInvokeArn }));
      expect(i.http_method).toMatch(/aws_api_gateway_method\..*\.http_method/);
    }
  });

  it('redeploys on any change of a method, integration or model, creating the new deployment first', () => {
    const deployment = devApi.byLogicalId('aws_api_gateway_deployment', 'deployment');
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const trigger: string = deployment.triggers.redeployment;
    expect(trigger).toMatch(/^\$\{sha1\(jsonencode\(\[/);
    for (const ref of [
      'aws_api_gateway_method',
      'aws_api_gateway_integration',
      'aws_api_gateway_model',
      'aws_api_gateway_request_validator',
      'aws_api_gateway_resource',
      'aws_api_gateway_gateway_response',
    ]) {
      expect(trigger).toContain(ref);
    }
    expect(trigger.match(/aws_api_gateway_method\.[\w-]+\.id/g)).toHaveLength(3);
    expect(trigger.match(/aws_api_gateway_integration\.[\w-]+\.id/g)).toHaveLength(3);
    // a model change alone (same ids) changes the trigger through the synth-time shape hash
    expect(changedModel.byLogicalId('aws_api_gateway_deployment', 'deployment').triggers.redeployment).not.toBe(trigger);
    expect(synth(BASE).byLogicalId('aws_api_gateway_deployment', 'deployment').triggers.redeployment).toBe(trigger);
  });

  it('answers an unknown method or path 404 naming the routes, as the local adapter does, and deploys that answer', () => {
    const response = devApi.byLogicalId('aws_api_gateway_gateway_response', 'unknown-route-response');
    expect(response).toEqual({
      rest_api_id: expect.stringContaining('aws_api_gateway_rest_api.'),
      response_type: 'MISSING_AUTHENTICATION_TOKEN',
      status_code: '404',
      response_templates: {
        'application/json': JSON.stringify({
          message: 'No route for this method and path; the API serves POST /orders, GET /orders, GET /orders/{orderId}',
        }),
      },
    });
    // The template is the body: it must be JSON (no substitutions that could break it).
    expect(JSON.parse(response.response_templates['application/json'])).toEqual({ message: unknownRouteAnswer().message });
    expect(devApi.byLogicalId('aws_api_gateway_deployment', 'deployment').depends_on).toContainEqual(
      expect.stringMatching(/^aws_api_gateway_gateway_response\./),
    );
  });

  it('has a stage named after the environment with X-Ray, JSON access logs and no cache cluster', () => {
    expect(devApi.raw).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: 'dev',
      xray_tracing_enabled: true,
      cache_cluster_enabled: false,
    });
    const stage = devApi.byLogicalId('aws_api_gateway_stage', 'stage');
    expect(stage.access_log_settings.destination_arn).toMatch(/aws_cloudwatch_log_group\..*access.*\.arn/);
    const format = JSON.parse(stage.access_log_settings.format);
    for (const v of [
      'requestId',
      'extendedRequestId',
      'identity.sourceIp',
      'identity.caller',
      'identity.user',
      'requestTime',
      'httpMethod',
      'resourcePath',
      'status',
      'protocol',
      'responseLength',
      'integrationErrorMessage',
      'wafResponseCode',
    ]) {
      expect(Object.values(format)).toContain(`$context.${v}`);
    }
    expect(stage.client_certificate_id).toBeUndefined();
  });

  it('creates the access and execution log groups with retention and KMS', () => {
    const groups = Object.values(devApi.r.aws_cloudwatch_log_group) as any[];
    expect(groups.map((g) => g.name).sort()).toEqual(
      [
        '/aws/apigateway/orders-dev-api/dev/access',
        expect.stringMatching(/^API-Gateway-Execution-Logs_\$\{aws_api_gateway_rest_api\..*\.id\}\/dev$/),
      ].sort(),
    );
    for (const g of groups) expect(g).toEqual(expect.objectContaining({ retention_in_days: 14, kms_key_id: BASE.kmsKeyArn }));
  });

  it.each([
    ['dev', () => devApi, 'INFO', 40, 20],
    ['prod', () => prodApi, 'ERROR', 200, 100],
  ])(
    '%s method settings: metrics, logging level, no data trace, throttling above zero, caching off, cache encrypted',
    (_env, get, level, burst, rate) => {
      expect(get().raw).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
        method_path: '*/*',
        settings: {
          metrics_enabled: true,
          logging_level: level,
          data_trace_enabled: false,
          throttling_burst_limit: burst,
          throttling_rate_limit: rate,
          caching_enabled: false,
          // checkov CKV_AWS_225 (3.x) inspects cache_data_encrypted; it must hold even with caching off
          cache_data_encrypted: true,
        },
      });
    },
  );

  it.each([
    ['dev', () => devApi, 40, 20, 10_000],
    ['prod', () => prodApi, 200, 100, 100_000],
  ])('%s usage plan throttles and sets a daily quota, with an API key attached', (_env, get, burst, rate, quota) => {
    expect(get().raw).toHaveResourceWithProperties(ApiGatewayUsagePlan, {
      throttle_settings: { burst_limit: burst, rate_limit: rate },
      quota_settings: { limit: quota, period: 'DAY' },
      api_stages: [
        {
          api_id: expect.stringMatching(/aws_api_gateway_rest_api/),
          stage: expect.stringMatching(/aws_api_gateway_stage\..*\.stage_name/),
        },
      ],
    });
    expect(get().raw).toHaveResourceWithProperties(ApiGatewayApiKey, { enabled: true });
    expect(get().raw).toHaveResourceWithProperties(ApiGatewayUsagePlanKey, {
      key_type: 'API_KEY',
      key_id: expect.stringMatching(/aws_api_gateway_api_key/),
    });
  });

  it('manages the account-level CloudWatch role only when switched on', () => {
    expect(devApi.raw).toHaveResourceWithProperties(ApiGatewayAccount, {
      cloudwatch_role_arn: expect.stringMatching(/aws_iam_role\..*\.arn/),
    });
    expect(devApi.raw).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    const role = Object.values(devApi.r.aws_iam_role)[0] as any;
    // No condition: API Gateway documents no aws:SourceAccount for this role, and an absent key would deny it.
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(devApi.byLogicalId('aws_api_gateway_stage', 'stage').depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_api_gateway_account\./)]),
    );
    expect(prodApi.raw).not.toHaveResource(ApiGatewayAccount);
    expect(prodApi.raw).not.toHaveResource(IamRole);
  });

  it('lets API Gateway invoke the function only from this API’s /orders paths', () => {
    expect(devApi.raw).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      function_name: BASE.functionName,
      source_arn: expect.stringMatching(/^\$\{aws_api_gateway_rest_api\.[\w-]+\.execution_arn\}\/\*\/\*\/orders\*$/),
    });
  });
});
