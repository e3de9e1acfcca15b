import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { awsPartitionOf, type OrderInfraConfig } from '../config';
import { createOrderRequestJsonSchema } from '../handlers/shared/order-schema';
import { AccessLogBucket } from './access-log-bucket';
import { awsContext, configureAwsStack } from './aws-stack-defaults';
import { EncryptionKey } from './encryption-key';
import { HardenedBucket } from './hardened-bucket';
import { Monitoring } from './monitoring';
import { OrderApi } from './order-api';
import { METRICS_NAMESPACE, OrderFunctions } from './order-functions';
import { OrderWorkflow } from './order-workflow';
import { WebAcl } from './web-acl';

export interface OrderAppStackProps {
  /** The environment's validated configuration. */
  readonly config: OrderInfraConfig;
  /** Operations host (from the network stack) for the EC2 widget and status-check alarm. @default - no EC2 monitoring */
  readonly opsHostInstanceId?: string;
}

/**
 * `orders-app-<env>`: the request path WAF → API Gateway → API Lambda → Step Functions →
 * task Lambdas → S3, with its KMS key, buckets and monitoring.
 *
 * Bucket names end in the account id (read by `aws_caller_identity` at plan time): S3 names are
 * global, and the suffix must be stable and deterministic (never a timestamp or random value).
 * The state machine ARN is computed from its name, so the API function's policy does not
 * depend on the state machine (which depends on the task functions): no cycle.
 */
export class OrderAppStack extends TerraformStack {
  readonly apiUrl: string;
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: OrderAppStackProps) {
    super(scope, id);
    const { config } = props;
    const prefix = config.namePrefix;
    configureAwsStack(this, config, id);

    const { accountId, partition } = awsContext(this);

    const key = new EncryptionKey(this, 'app-key', {
      alias: `${prefix}-app`,
      description: `order-infra ${config.environment}: logs, alarms topic, S3 buckets and Lambda environment`,
      existingKeyArn: config.existingKmsKeyArn,
    });
    // Who read or wrote which order object is an audit question: both buckets log S3 access.
    const accessLogs = new AccessLogBucket(this, 'access-log-bucket', {
      bucketName: `${prefix}-access-logs-${accountId}`,
      accountId,
      partition,
      sourceBucketPrefix: `${prefix}-`,
      expirationDays: Math.max(config.logRetentionDays, 90),
      forceDestroy: config.forceDestroy,
    });
    const artifacts = new HardenedBucket(this, 'artifacts-bucket', {
      bucketName: `${prefix}-artifacts-${accountId}`,
      kmsKeyArn: key.keyArn,
      forceDestroy: config.forceDestroy,
      accessLogBucket: accessLogs,
    });
    const orders = new HardenedBucket(this, 'orders-bucket', {
      bucketName: `${prefix}-orders-${accountId}`,
      kmsKeyArn: key.keyArn,
      forceDestroy: config.forceDestroy,
      accessLogBucket: accessLogs,
    });

    const stateMachineName = `${prefix}-order-workflow`;
    const functions = new OrderFunctions(this, 'functions', {
      namePrefix: prefix,
      artifactsBucketName: artifacts.bucketName,
      ordersBucketName: orders.bucketName,
      ordersBucketArn: orders.bucketArn,
      kmsKeyArn: key.keyArn,
      logRetentionDays: config.logRetentionDays,
      stateMachineName,
      stateMachineArn: `arn:${partition}:states:${config.region}:${accountId}:stateMachine:${stateMachineName}`,
      executionArnPrefix: `arn:${partition}:states:${config.region}:${accountId}:execution:${stateMachineName}`,
      paymentApprovalLimit: config.paymentApprovalLimit,
      reservedConcurrency: config.lambdaReservedConcurrency,
    });

    const workflow = new OrderWorkflow(this, 'workflow', {
      stateMachineName,
      functionArns: functions.workflowArns,
      accountId,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: key.keyArn,
      // A synth-time literal (not the partition data source) keeps the definition readable in the plan.
      partition: awsPartitionOf(config.region),
    });
    this.stateMachineArn = workflow.stateMachineArn;

    const apiName = `${prefix}-api`;
    const api = new OrderApi(this, 'api', {
      apiName,
      stageName: config.environment,
      functionName: functions.functions.api.functionName,
      functionInvokeArn: functions.functions.api.function.invokeArn,
      requestBodySchema: createOrderRequestJsonSchema(),
      api: config.api,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: key.keyArn,
      accountId,
      partition,
    });
    this.apiUrl = api.ordersUrl;

    const webAclName = `${prefix}-web-acl`;
    const waf = new WebAcl(this, 'web-acl', {
      name: webAclName,
      resourceArn: api.stageArn,
      rateLimit: config.wafRateLimit,
      geoBlockCountries: config.geoBlockCountries,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: key.keyArn,
    });

    const monitoring = new Monitoring(this, 'monitoring', {
      namePrefix: prefix,
      region: config.region,
      accountId,
      partition,
      kmsKeyArn: key.keyArn,
      apiName,
      stageName: config.environment,
      stateMachineArn: workflow.stateMachineArn,
      functionNames: functions.functionNames,
      metricsNamespace: METRICS_NAMESPACE,
      webAclName,
      wafRuleMetricNames: waf.ruleMetricNames,
      opsHostInstanceId: props.opsHostInstanceId,
      existingAlarmTopicArn: config.existingAlarmTopicArn,
      alarmEmail: config.alarmEmail,
    });

    // snake_case ids: read by other Terraform configurations through terraform_remote_state.
    const outputs: Array<[string, string, string]> = [
      ['api_gateway_url', api.ordersUrl, 'URL of the /orders resource (POST to create, GET to list)'],
      ['state_machine_arn', workflow.stateMachineArn, 'ARN of the order workflow state machine'],
      ['orders_bucket_name', orders.bucketName, 'Bucket holding order records and the listing index'],
      ['monitoring_dashboard_name', monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the order system'],
      ['waf_web_acl_arn', waf.webAclArn, 'ARN of the WAF web ACL in front of the API stage'],
      // The key's value is sensitive and deliberately not an output: `aws apigateway get-api-key --include-value`.
      ['api_key_id', api.apiKey.id, 'Id of the default API key'],
    ];
    for (const [name, value, description] of outputs) new TerraformOutput(this, name, { value, description });
  }
}
