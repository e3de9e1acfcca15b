import { Construct } from 'constructs';
import { BundledFunction, type IamStatement } from './bundled-function';
import { HANDLER_NAMES, type HandlerName } from '../packaging/handlers';
import type { OrderWorkflowFunctionArns } from '../workflow/order-workflow-definition';
import { awsContext } from './aws-stack-defaults';
import { type KmsKeyGrant, kmsKeyGrant, knownArn } from './known-arns';

export interface OrderFunctionsProps {
  /** Prefix of every function name, e.g. `orders-dev`. */
  readonly namePrefix: string;
  /** Bucket the function zips are uploaded to. */
  readonly artifactsBucketName: string;
  /** Orders bucket name (Terraform reference). */
  readonly ordersBucketName: string;
  /** Orders bucket ARN (Terraform reference). */
  readonly ordersBucketArn: string;
  /** KMS key of logs, environment variables and the orders bucket. */
  readonly kmsKeyArn: string;
  /** Retention of the function log groups, days. */
  readonly logRetentionDays: number;
  /** Name of the order workflow state machine. */
  readonly stateMachineName: string;
  /** ARN of the state machine, computed from its name (so the API function does not depend on it). */
  readonly stateMachineArn: string;
  /** Prefix of the state machine's execution ARNs: `arn:<partition>:states:<region>:<account>:execution:<name>`. */
  readonly executionArnPrefix: string;
  /** Orders above this amount are declined by the simulated payment processor. */
  readonly paymentApprovalLimit: number;
  /** Reserved concurrency by handler name; a function not listed is unreserved. @default - every function unreserved */
  readonly reservedConcurrency?: Readonly<Record<string, number>>;
  /** Attach every function to these subnets and security groups. @default - not in a VPC */
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: string;
}

/** Memory (MB) and timeout (s) per function: the API does S3 reads in parallel and answers within API Gateway's 29 s; the steps are small. */
export const FUNCTION_SIZING: Record<HandlerName, { memorySize: number; timeoutSeconds: number; description: string }> = {
  api: { memorySize: 512, timeoutSeconds: 15, description: 'Order API: POST /orders, GET /orders, GET /orders/{orderId}' },
  'order-processor': { memorySize: 256, timeoutSeconds: 10, description: 'Order workflow: re-validate, normalise and stamp the order' },
  'inventory-check': { memorySize: 256, timeoutSeconds: 10, description: 'Order workflow: check stock of every item' },
  'payment-process': { memorySize: 256, timeoutSeconds: 10, description: 'Order workflow: simulated payment charge and refund' },
  'merge-results': { memorySize: 256, timeoutSeconds: 10, description: 'Order workflow: combine inventory and payment results' },
  's3-storage': { memorySize: 256, timeoutSeconds: 15, description: 'Order workflow: store the order record and index entry in S3' },
};

/** `<prefix>-<handler>`: the name of a handler's function (and of its log group `/aws/lambda/<name>`). */
export function orderFunctionName(namePrefix: string, handler: HandlerName): string {
  return `${namePrefix}-${handler}`;
}

/** Metrics namespace of every handler's Powertools metrics. */
export const METRICS_NAMESPACE = 'OrderInfra';

/**
 * The six order Lambda functions, each a `BundledFunction` with its own least-privilege role:
 * the API function may start and describe executions of this state machine and read the
 * orders prefix; the storage function may only put objects under `orders/`; the workflow
 * steps have only BundledFunction's logs, X-Ray and KMS-decrypt defaults.
 *
 * Defaults: Powertools log level INFO; unreserved concurrency.
 */
export class OrderFunctions extends Construct {
  readonly functions: Record<HandlerName, BundledFunction>;
  /** Function names as literal strings (dashboard and alarm dimensions). */
  readonly functionNames: string[];
  /** Function name of each handler, as literal strings. */
  readonly functionNameOf: Record<HandlerName, string>;
  /** The task function ARNs the workflow definition needs. */
  readonly workflowArns: OrderWorkflowFunctionArns;

  constructor(scope: Construct, id: string, props: OrderFunctionsProps) {
    super(scope, id);
    const statements = orderFunctionStatements(props, kmsKeyGrant(this, awsContext(this), props.kmsKeyArn));
    const environment = orderFunctionEnvironment(props);
    const entries = HANDLER_NAMES.map((handler) => {
      const fn = new BundledFunction(this, handler, {
        handler,
        functionName: orderFunctionName(props.namePrefix, handler),
        description: FUNCTION_SIZING[handler].description,
        artifactsBucketName: props.artifactsBucketName,
        logRetentionDays: props.logRetentionDays,
        kmsKeyArn: props.kmsKeyArn,
        memorySize: FUNCTION_SIZING[handler].memorySize,
        timeoutSeconds: FUNCTION_SIZING[handler].timeoutSeconds,
        environment: environment[handler],
        policyStatements: statements[handler],
        reservedConcurrency: props.reservedConcurrency?.[handler],
        vpc: props.vpc,
      });
      return [handler, fn] as const;
    });
    this.functions = Object.fromEntries(entries) as Record<HandlerName, BundledFunction>;
    this.functionNames = HANDLER_NAMES.map((h) => orderFunctionName(props.namePrefix, h));
    this.functionNameOf = Object.fromEntries(HANDLER_NAMES.map((h) => [h, orderFunctionName(props.namePrefix, h)])) as Record<
      HandlerName,
      string
    >;
    const f = this.functions;
    const arn = (h: HandlerName) => knownArn.lambdaFunction(awsContext(this), f[h].functionName);
    this.workflowArns = {
      orderProcessor: arn('order-processor'),
      inventoryCheck: arn('inventory-check'),
      paymentProcess: arn('payment-process'),
      mergeResults: arn('merge-results'),
      s3Storage: arn('s3-storage'),
    };
  }
}

/** Environment variables per function (docs/architecture.md, "Handlers and their environment"). */
export function orderFunctionEnvironment(props: OrderFunctionsProps): Record<HandlerName, Record<string, string>> {
  const common = (handler: HandlerName) => ({
    // The function name, not the handler name: Powertools uses it as the metrics' `service`
    // dimension, which must tell dev from prod when both share an account and region.
    POWERTOOLS_SERVICE_NAME: `${props.namePrefix}-${handler}`,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
  });
  return {
    api: { ...common('api'), STATE_MACHINE_ARN: props.stateMachineArn, ORDERS_BUCKET: props.ordersBucketName },
    'order-processor': common('order-processor'),
    'inventory-check': common('inventory-check'),
    'payment-process': { ...common('payment-process'), PAYMENT_APPROVAL_LIMIT: String(props.paymentApprovalLimit) },
    'merge-results': common('merge-results'),
    's3-storage': { ...common('s3-storage'), ORDERS_BUCKET: props.ordersBucketName, ORDERS_KMS_KEY_ID: props.kmsKeyArn },
  };
}

/** Permissions beyond BundledFunction's defaults (logs, X-Ray, kms:Decrypt), per function. */
export function orderFunctionStatements(
  props: OrderFunctionsProps,
  kmsKey: KmsKeyGrant = { Resource: props.kmsKeyArn },
): Record<HandlerName, IamStatement[]> {
  return {
    api: [
      { Sid: 'StartOrderWorkflow', Effect: 'Allow', Action: 'states:StartExecution', Resource: props.stateMachineArn },
      {
        Sid: 'DescribeOrderWorkflowExecutions',
        Effect: 'Allow',
        Action: 'states:DescribeExecution',
        Resource: `${props.executionArnPrefix}:*`,
      },
      { Sid: 'ReadOrders', Effect: 'Allow', Action: 's3:GetObject', Resource: `${props.ordersBucketArn}/orders/*` },
      {
        Sid: 'ListOrderIndex',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: props.ordersBucketArn,
        // IfExists: S3 also checks ListBucket (with no s3:prefix in the context) to answer a
        // GetObject of a missing key with 404 instead of 403, which GET /orders/{id} relies on.
        Condition: { StringLikeIfExists: { 's3:prefix': 'orders/index/*' } },
      },
    ],
    'order-processor': [],
    'inventory-check': [],
    'payment-process': [],
    'merge-results': [],
    's3-storage': [
      { Sid: 'WriteOrders', Effect: 'Allow', Action: 's3:PutObject', Resource: `${props.ordersBucketArn}/orders/*` },
      // SSE-KMS puts need a data key from the orders key.
      { Sid: 'EncryptOrders', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], ...kmsKey },
    ],
  };
}
