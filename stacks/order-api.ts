import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { ApiConfig } from '../config';
import { API_ROUTES, pathParameters, type RouteMethod, type RouteResource, unknownRouteAnswer } from '../spec/routes';
import { serviceTrustPolicy } from './iam-documents';

export interface OrderApiProps {
  /** REST API name, e.g. `orders-dev-api`. */
  readonly apiName: string;
  /** Stage name (the environment). */
  readonly stageName: string;
  /** Name of the API Lambda function (for the invoke permission). */
  readonly functionName: string;
  /** `invoke_arn` of the API Lambda function. */
  readonly functionInvokeArn: string;
  /** JSON Schema (draft-04) of the POST /orders body. */
  readonly requestBodySchema: Record<string, unknown>;
  /** Throttling, quota, logging level and the account-role switch. */
  readonly api: ApiConfig;
  /** Retention of the access and execution log groups, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the log groups. */
  readonly kmsKeyArn: string;
  /** AWS partition (managed policy ARN). */
  readonly partition: string;
}

/** Access log line: one JSON object per request, `$context` variables only. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  wafResponseCode: '$context.wafResponseCode',
  wafError: '$context.waf.error',
  apiKeyId: '$context.identity.apiKeyId',
});

interface Route {
  readonly id: string;
  readonly method: RouteMethod;
  readonly path: RouteResource;
  readonly validator: 'body' | 'parameters';
  readonly requestParameters?: Record<string, boolean>;
}

/** API Gateway's methods, one per route of the spec (the handler's router and the local adapter use the same list). */
export const ROUTES: readonly Route[] = API_ROUTES.map((r) => {
  const parameters = {
    ...Object.fromEntries(r.queryParameters.map((q) => [`method.request.querystring.${q}`, false])),
    ...Object.fromEntries(pathParameters(r.resource).map((p) => [`method.request.path.${p}`, true])),
  };
  return {
    id: r.id,
    method: r.method,
    path: r.resource,
    validator: r.hasBody ? 'body' : 'parameters',
    ...(Object.keys(parameters).length > 0 ? { requestParameters: parameters } : {}),
  };
});

/**
 * Names of the API's log groups, as the key policy must know them before the API exists: the access
 * log group, and the execution log group with `*` for the REST API id that API Gateway puts in its name.
 */
export function orderApiLogGroupNames(apiName: string, stageName: string): [access: string, execution: string] {
  return [`/aws/apigateway/${apiName}/${stageName}/access`, `API-Gateway-Execution-Logs_*/${stageName}`];
}

/**
 * The REGIONAL REST API in front of the API function: `POST /orders`, `GET /orders`,
 * `GET /orders/{orderId}` as Lambda proxy integrations, API keys with a usage plan, a stage
 * named after the environment with JSON access logs, X-Ray and method settings.
 *
 * Defaults: every method requires an API key; caching off (a write API with per-order reads
 * gains nothing from a cache cluster that costs money per hour); no client certificate (the
 * integration is Lambda, not an HTTP backend that could verify one).
 */
export class OrderApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly apiKey: ApiGatewayApiKey;
  readonly deployment: ApiGatewayDeployment;
  /** The gateway's answer to a method and path no route has: 404 naming the routes. */
  readonly unknownRouteResponse: ApiGatewayGatewayResponse;
  /** `<invoke_url>/orders`. */
  readonly ordersUrl: string;
  readonly stageArn: string;

  constructor(scope: Construct, id: string, props: OrderApiProps) {
    super(scope, id);
    this.restApi = new ApiGatewayRestApi(this, 'rest-api', {
      name: props.apiName,
      description: 'Order API: POST /orders starts the order workflow, GET /orders lists, GET /orders/{orderId} reads.',
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
      // A replacement (e.g. a new endpoint type) exists before the old API goes: no window without an API.
      lifecycle: { createBeforeDestroy: true },
    });
    // An unknown method or path: a 404 naming the routes, not the default 403 "Missing Authentication Token".
    const unknownRoute = unknownRouteAnswer();
    this.unknownRouteResponse = new ApiGatewayGatewayResponse(this, 'unknown-route-response', {
      restApiId: this.restApi.id,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: String(unknownRoute.status),
      responseTemplates: { 'application/json': JSON.stringify({ message: unknownRoute.message }) },
    });
    this.deployment = this.deploymentOfRoutes(props);
    this.stage = this.loggedStage(props);
    this.stageArn = this.stage.arn;
    this.ordersUrl = `${this.stage.invokeUrl}/orders`;
    this.apiKey = this.keyWithUsagePlan(props);

    new LambdaPermission(this, 'invoke-permission', {
      statementId: 'AllowApiGatewayInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 'apigateway.amazonaws.com',
      // Any stage and method of this API, only on the /orders paths.
      sourceArn: `${this.restApi.executionArn}/*/*/orders*`,
    });
  }

  /** Resources, model, validators, one method and Lambda proxy integration per route, and the deployment of them. */
  private deploymentOfRoutes(props: OrderApiProps): ApiGatewayDeployment {
    const restApiId = this.restApi.id;
    const orders = new ApiGatewayResource(this, 'orders', { restApiId, parentId: this.restApi.rootResourceId, pathPart: 'orders' });
    const order = new ApiGatewayResource(this, 'order', { restApiId, parentId: orders.id, pathPart: '{orderId}' });
    const resources = { '/orders': orders, '/orders/{orderId}': order };

    const schema = JSON.stringify(props.requestBodySchema);
    const model = new ApiGatewayModel(this, 'create-order-model', {
      restApiId,
      name: 'CreateOrderRequest',
      description: 'POST /orders body (generated from the zod schema the handler validates with)',
      contentType: 'application/json',
      schema,
    });
    const validator = (id: string, name: string, validateRequestBody: boolean) =>
      new ApiGatewayRequestValidator(this, id, { restApiId, name, validateRequestBody, validateRequestParameters: true });
    const validators = {
      body: validator('body-validator', 'body-and-parameters', true),
      parameters: validator('parameters-validator', 'parameters-only', false),
    };

    const { methods, integrations } = this.routeMethods(resources, validators, model, props.functionInvokeArn);

    // Redeploy when anything that shapes the API changes: a synth-time hash of the literal
    // routes, schema, validators and integration settings, plus the ids of the objects (which
    // change when Terraform replaces one).
    const shapeHash = createHash('sha256')
      .update(
        JSON.stringify({
          routes: ROUTES,
          schema,
          validators: ['body-and-parameters', 'parameters-only'],
          integration: 'AWS_PROXY/POST',
          apiKeyRequired: true,
          // The gateway response's literal settings, as the constructor set them.
          unknownRoute: { status: this.unknownRouteResponse.statusCodeInput, templates: this.unknownRouteResponse.responseTemplatesInput },
        }),
      )
      .digest('hex');
    const ids = [orders, order, model, validators.body, validators.parameters, this.unknownRouteResponse, ...methods, ...integrations].map(
      (r) => r.id,
    );
    return new ApiGatewayDeployment(this, 'deployment', {
      restApiId,
      description: 'Order API deployment',
      triggers: { redeployment: Fn.sha1(Fn.jsonencode([shapeHash, props.functionInvokeArn, ...ids])) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...methods, ...integrations, this.unknownRouteResponse],
    });
  }

  /** One method (API key required, validated) and one Lambda proxy integration per route. */
  private routeMethods(
    resources: Record<Route['path'], ApiGatewayResource>,
    validators: Record<Route['validator'], ApiGatewayRequestValidator>,
    model: ApiGatewayModel,
    functionInvokeArn: string,
  ): { methods: ApiGatewayMethod[]; integrations: ApiGatewayIntegration[] } {
    const restApiId = this.restApi.id;
    const methods: ApiGatewayMethod[] = [];
    const integrations: ApiGatewayIntegration[] = [];
    for (const route of ROUTES) {
      const method = new ApiGatewayMethod(this, `${route.id}-method`, {
        restApiId,
        resourceId: resources[route.path].id,
        httpMethod: route.method,
        // Access is by API key and usage plan (checkov CKV_AWS_59 accepts NONE with api_key_required).
        authorization: 'NONE',
        apiKeyRequired: true,
        requestValidatorId: validators[route.validator].id,
        requestModels: route.validator === 'body' ? { 'application/json': model.name } : undefined,
        requestParameters: route.requestParameters,
      });
      methods.push(method);
      integrations.push(
        new ApiGatewayIntegration(this, `${route.id}-integration`, {
          restApiId,
          resourceId: method.resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          // Lambda is always invoked with POST, whatever the client's method.
          integrationHttpMethod: 'POST',
          uri: functionInvokeArn,
        }),
      );
    }
    return { methods, integrations };
  }

  /** The stage with X-Ray, JSON access logs, execution logs (in a log group of our own) and method settings. */
  private loggedStage(props: OrderApiProps): ApiGatewayStage {
    const { api } = props;
    const restApiId = this.restApi.id;
    const [accessLogGroupName] = orderApiLogGroupNames(props.apiName, props.stageName);
    const accessLogs = new CloudwatchLogGroup(this, 'access-log-group', {
      name: accessLogGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    // API Gateway would create this execution log group itself, without retention or encryption.
    const executionLogs = new CloudwatchLogGroup(this, 'execution-log-group', {
      name: `API-Gateway-Execution-Logs_${restApiId}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const account = api.manageAccountRole ? this.accountRole(props) : undefined;

    const stage = new ApiGatewayStage(this, 'stage', {
      restApiId,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      description: `The ${props.stageName} stage of ${props.apiName}`,
      xrayTracingEnabled: true,
      cacheClusterEnabled: false,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      // Logging needs the account's CloudWatch role in place before the stage enables it.
      dependsOn: [executionLogs, ...(account ? [account] : [])],
    });

    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId,
      stageName: stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        loggingLevel: api.loggingLevel,
        // Full request/response bodies would put customer data in the logs.
        dataTraceEnabled: false,
        throttlingBurstLimit: api.throttleBurstLimit,
        throttlingRateLimit: api.throttleRateLimit,
        // A cached POST would answer without starting an order; a cached GET would serve stale status.
        cachingEnabled: false,
        // Should caching ever be switched on, cached responses (order data) are encrypted at rest.
        cacheDataEncrypted: true,
      },
    });
    return stage;
  }

  /** The default API key, and the usage plan throttling it and giving it a daily quota. */
  private keyWithUsagePlan(props: OrderApiProps): ApiGatewayApiKey {
    const { api } = props;
    const usagePlan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${props.apiName}-usage-plan`,
      description: `Throttle and daily quota per API key of ${props.apiName}`,
      apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
      throttleSettings: { burstLimit: api.throttleBurstLimit, rateLimit: api.throttleRateLimit },
      quotaSettings: { limit: api.quotaPerDay, period: 'DAY' },
    });
    const apiKey = new ApiGatewayApiKey(this, 'api-key', {
      name: `${props.apiName}-key`,
      description: `Default client key of ${props.apiName}`,
      enabled: true,
    });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: apiKey.id, keyType: 'API_KEY', usagePlanId: usagePlan.id });
    return apiKey;
  }

  /** The per-region `aws_api_gateway_account` and the role it lets API Gateway push logs with. */
  private accountRole(props: OrderApiProps): ApiGatewayAccount {
    const role = new IamRole(this, 'cloudwatch-role', {
      name: `${props.apiName}-apigw-cloudwatch`,
      description: 'Lets API Gateway write execution and access logs to CloudWatch Logs (account-level setting)',
      // No aws:SourceAccount condition: API Gateway's documentation gives none for the account's CloudWatch
      // role, and a condition on a key the service does not send would stop all logging. The role is
      // passed only by principals with iam:PassRole on it, and its policy only writes logs.
      assumeRolePolicy: serviceTrustPolicy('apigateway.amazonaws.com'),
    });
    // AWS's managed policy grants the logs actions on "*": this role is the region's single
    // API Gateway account setting, used for every API's log groups, so it cannot be scoped to ours.
    const attachment = new IamRolePolicyAttachment(this, 'cloudwatch-role-policy', {
      role: role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
    });
    return new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.arn, dependsOn: [attachment] });
  }
}
