import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { awsPartitionOf, type OrderInfraConfig } from '../config';
import { createOrderRequestJsonSchema } from '../handlers/shared/order-schema';
import { HANDLER_NAMES } from '../packaging/handlers';
import { executionArnPrefix, stateMachineArn } from '../spec/arns';
import { AccessLogBucket } from './access-log-bucket';
import { type AwsContext, awsContext, configureAwsStack } from './aws-stack-defaults';
import { EncryptionKey } from './encryption-key';
import { FunctionVpcAccess } from './function-vpc-access';
import { HardenedBucket } from './hardened-bucket';
import { Monitoring } from './monitoring';
import { NetworkState } from './network-state';
import { OrderApi, orderApiLogGroupNames } from './order-api';
import { METRICS_NAMESPACE, OrderFunctions, orderFunctionName } from './order-functions';
import { OrderWorkflow, workflowLogGroupName } from './order-workflow';
import { WebAcl } from './web-acl';

export interface OrderAppStackProps {
  /** The environment's validated configuration. */
  readonly config: OrderInfraConfig;
  /**
   * Network stack whose state this stack reads (`ops_host_instance_id` for the EC2 widget and
   * status-check alarm; `vpc_id` and `private_subnet_ids` when the functions run in the VPC).
   * @default - no network state: no EC2 monitoring, and `lambdaInVpc` is rejected
   */
  readonly networkStackName?: string;
}

/** Names of the app's parts, all derived from the environment's prefix. */
function appNames(config: OrderInfraConfig) {
  const prefix = config.namePrefix;
  return {
    prefix,
    stateMachine: `${prefix}-order-workflow`,
    api: `${prefix}-api`,
    webAcl: `${prefix}-web-acl`,
  };
}
type AppNames = ReturnType<typeof appNames>;

interface AppBuckets {
  readonly artifacts: HardenedBucket;
  readonly orders: HardenedBucket;
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
  private readonly context: AwsContext;
  private readonly names: AppNames;

  constructor(scope: Construct, id: string, props: OrderAppStackProps) {
    super(scope, id);
    const { config } = props;
    if (config.lambdaInVpc && props.networkStackName === undefined) {
      throw new Error('OrderAppStack: lambdaInVpc (ORDERS_LAMBDA_IN_VPC=true) needs networkStackName, the stack whose subnets it uses');
    }
    configureAwsStack(this, config, id);
    this.context = awsContext(this);
    this.names = appNames(config);
    const network = props.networkStackName
      ? new NetworkState(this, 'network', { config, networkStackName: props.networkStackName })
      : undefined;

    const key = this.appKey(config);
    const buckets = this.buckets(config, key.keyArn);
    const functions = this.orderFunctions(config, key.keyArn, buckets, network);
    const { workflow, api, waf } = this.requestPath(config, key.keyArn, functions);
    this.stateMachineArn = workflow.stateMachineArn;
    this.apiUrl = api.ordersUrl;
    const monitoring = this.monitoring(config, key.keyArn, workflow, functions, waf, network);
    this.outputs([
      ['api_gateway_url', api.ordersUrl, 'URL of the /orders resource (POST to create, GET to list)'],
      ['state_machine_arn', workflow.stateMachineArn, 'ARN of the order workflow state machine'],
      ['orders_bucket_name', buckets.orders.bucketName, 'Bucket holding order records and the listing index'],
      ['app_kms_key_arn', key.keyArn, 'KMS key of the order records (readers need kms:Decrypt on it), logs and the alarm topic'],
      ['monitoring_dashboard_name', monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the order system'],
      ['waf_web_acl_arn', waf.webAclArn, 'ARN of the WAF web ACL in front of the API stage'],
      // The key's value is sensitive and deliberately not an output: `aws apigateway get-api-key --include-value`.
      ['api_key_id', api.apiKey.id, 'Id of the default API key'],
    ]);
  }

  /** The state machine, the REST API in front of the API function, and the WAF in front of the API. */
  private requestPath(config: OrderInfraConfig, kmsKeyArn: string, functions: OrderFunctions) {
    const workflow = new OrderWorkflow(this, 'workflow', {
      stateMachineName: this.names.stateMachine,
      functionArns: functions.workflowArns,
      accountId: this.context.accountId,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: kmsKeyArn,
      // A synth-time literal (not the partition data source) keeps the definition readable in the plan.
      partition: awsPartitionOf(config.region),
      logExecutionData: config.workflowLogExecutionData,
    });

    const api = new OrderApi(this, 'api', {
      apiName: this.names.api,
      stageName: config.environment,
      functionName: functions.functions.api.functionName,
      functionInvokeArn: functions.functions.api.function.invokeArn,
      requestBodySchema: createOrderRequestJsonSchema(),
      api: config.api,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: kmsKeyArn,
      partition: this.context.partition,
    });
    const waf = new WebAcl(this, 'web-acl', {
      name: this.names.webAcl,
      resourceArn: api.stageArn,
      rateLimit: config.wafRateLimit,
      geoBlockCountries: config.geoBlockCountries,
      ruleActionOverrides: config.wafRuleActionOverrides,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: kmsKeyArn,
    });
    return { workflow, api, waf };
  }

  /** The app key: CloudWatch Logs may use it for this stack's log groups only; CloudWatch alarms for the alarm topic. */
  private appKey(config: OrderInfraConfig): EncryptionKey {
    const { prefix, stateMachine, api, webAcl } = this.names;
    return new EncryptionKey(this, 'app-key', {
      alias: `${prefix}-app`,
      description: `order-infra ${config.environment}: order records, artifacts, logs, alarm topic and Lambda environment`,
      existingKeyArn: config.existingKmsKeyArn,
      logGroupNames: [
        ...HANDLER_NAMES.map((handler) => `/aws/lambda/${orderFunctionName(prefix, handler)}`),
        ...orderApiLogGroupNames(api, config.environment),
        workflowLogGroupName(stateMachine),
        `aws-waf-logs-${webAcl}`,
      ],
      // Alarms publish to the encrypted topic as cloudwatch.amazonaws.com, which needs the key ("Enable
      // compatibility between event sources from AWS services and encrypted topics",
      // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); an existing topic has its own key.
      services: config.existingAlarmTopicArn === undefined ? ['cloudwatch'] : [],
    });
  }

  /** The artifacts and orders buckets, both logging S3 access (who read or wrote which order is an audit question). */
  private buckets(config: OrderInfraConfig, kmsKeyArn: string): AppBuckets {
    const { prefix } = this.names;
    const { accountId, partition } = this.context;
    const accessLogs = new AccessLogBucket(this, 'access-log-bucket', {
      bucketName: `${prefix}-access-logs-${accountId}`,
      accountId,
      partition,
      sourceBucketPrefix: `${prefix}-`,
      expirationDays: Math.max(config.logRetentionDays, 90),
      forceDestroy: config.forceDestroy,
    });
    const bucket = (id: string, name: string) =>
      new HardenedBucket(this, id, {
        bucketName: `${prefix}-${name}-${accountId}`,
        kmsKeyArn,
        forceDestroy: config.forceDestroy,
        accessLogBucketName: accessLogs.bucketName,
      });
    return { artifacts: bucket('artifacts-bucket', 'artifacts'), orders: bucket('orders-bucket', 'orders') };
  }

  /** The six functions; in the network stack's private subnets when `lambdaInVpc` is set. */
  private orderFunctions(config: OrderInfraConfig, kmsKeyArn: string, buckets: AppBuckets, network?: NetworkState): OrderFunctions {
    const { prefix, stateMachine } = this.names;
    const { accountId, partition } = this.context;
    const vpcAccess =
      config.lambdaInVpc && network
        ? new FunctionVpcAccess(this, 'function-vpc-access', {
            namePrefix: prefix,
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
          })
        : undefined;
    return new OrderFunctions(this, 'functions', {
      namePrefix: prefix,
      artifactsBucketName: buckets.artifacts.bucketName,
      ordersBucketName: buckets.orders.bucketName,
      ordersBucketArn: buckets.orders.bucketArn,
      kmsKeyArn,
      logRetentionDays: config.logRetentionDays,
      stateMachineName: stateMachine,
      stateMachineArn: stateMachineArn({ partition, region: config.region, accountId, stateMachineName: stateMachine }),
      executionArnPrefix: executionArnPrefix({ partition, region: config.region, accountId, stateMachineName: stateMachine }),
      paymentApprovalLimit: config.paymentApprovalLimit,
      reservedConcurrency: config.lambdaReservedConcurrency,
      environment: config.environment,
      vpc: vpcAccess && network ? { subnetIds: network.privateSubnetIds, securityGroupIds: [vpcAccess.securityGroupId] } : undefined,
    });
  }

  private monitoring(
    config: OrderInfraConfig,
    kmsKeyArn: string,
    workflow: OrderWorkflow,
    functions: OrderFunctions,
    waf: WebAcl,
    network?: NetworkState,
  ): Monitoring {
    return new Monitoring(this, 'monitoring', {
      namePrefix: this.names.prefix,
      region: config.region,
      accountId: this.context.accountId,
      partition: this.context.partition,
      kmsKeyArn,
      apiName: this.names.api,
      stageName: config.environment,
      stateMachineArn: workflow.stateMachineArn,
      functionNames: functions.functionNameOf,
      metricsNamespace: METRICS_NAMESPACE,
      webAclName: this.names.webAcl,
      wafRuleMetricNames: waf.ruleMetricNames,
      opsHostInstanceId: network?.opsHostInstanceId,
      existingAlarmTopicArn: config.existingAlarmTopicArn,
      alarmEmail: config.alarmEmail,
    });
  }

  /** snake_case outputs: read by other Terraform configurations through terraform_remote_state. */
  private outputs(outputs: Array<[name: string, value: string, description: string]>): void {
    for (const [name, value, description] of outputs) new TerraformOutput(this, name, { value, description });
  }
}
