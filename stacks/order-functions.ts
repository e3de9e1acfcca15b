import { Construct } from 'constructs';
import { BundledFunction, type IamStatement } from './bundled-function';
import { FUNCTIONS, HANDLER_NAMES, type HandlerName, WORKFLOW_ROLE_HANDLERS, functionEnvironment, functionName } from '../spec/functions';
import { STORAGE_ACCESS, objectArns } from '../spec/storage-layout';
import type { OrderWorkflowFunctionArns } from '../workflow/order-workflow-definition';
import { awsContext } from './aws-stack-defaults';
import { type KmsKeyGrant, kmsKeyGrant, knownArn } from './known-arns';

export { METRICS_NAMESPACE } from '../spec/functions';

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
  /**
   * Reserved concurrency: one number for every function, or a number per handler name (a function
   * not listed is unreserved).
   * @default - the spec's per-environment value for the function (spec/functions.ts), else unreserved
   */
  readonly reservedConcurrency?: number | Readonly<Record<string, number>>;
  /** Environment name, for the spec's per-environment reserved concurrency. @default - none */
  readonly environment?: string;
  /** Attach every function to these subnets and security groups. @default - not in a VPC */
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: string;
}

/** `<prefix>-<handler>`: the name of a handler's function (and of its log group `/aws/lambda/<name>`); the spec's format. */
export const orderFunctionName = functionName;

/**
 * The six order Lambda functions, each a `BundledFunction` with its own least-privilege role:
 * the API function may start and describe executions of this state machine, read order records
 * and list the index; the storage function may only put objects under the record and index
 * prefixes (both from the storage layout in spec/storage-layout.ts); the workflow steps have
 * only BundledFunction's logs, X-Ray and KMS-decrypt defaults. Memory, timeout and environment
 * come from the spec's function table, which the local runtime uses too.
 *
 * Defaults: Powertools log level INFO; the spec's reserved concurrency (unreserved).
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
        functionName: functionName(props.namePrefix, handler),
        description: FUNCTIONS[handler].description,
        artifactsBucketName: props.artifactsBucketName,
        logRetentionDays: props.logRetentionDays,
        kmsKeyArn: props.kmsKeyArn,
        memorySize: FUNCTIONS[handler].memoryMb,
        timeoutSeconds: FUNCTIONS[handler].timeoutSeconds,
        environment: environment[handler],
        policyStatements: statements[handler],
        reservedConcurrency: reservedConcurrencyOf(handler, props),
        vpc: props.vpc,
      });
      return [handler, fn] as const;
    });
    this.functions = Object.fromEntries(entries) as Record<HandlerName, BundledFunction>;
    this.functionNames = HANDLER_NAMES.map((h) => functionName(props.namePrefix, h));
    this.functionNameOf = Object.fromEntries(HANDLER_NAMES.map((h) => [h, functionName(props.namePrefix, h)])) as Record<
      HandlerName,
      string
    >;
    // Built from the configured names (known on a first plan), referencing each function for ordering.
    this.workflowArns = Object.fromEntries(
      Object.entries(WORKFLOW_ROLE_HANDLERS).map(([role, handler]) => [
        role,
        knownArn.lambdaFunction(awsContext(this), this.functions[handler].functionName),
      ]),
    ) as unknown as OrderWorkflowFunctionArns;
  }
}

/** Reserved concurrency of one function: the props' value, else the spec's for the environment, else unreserved. */
export function reservedConcurrencyOf(
  handler: HandlerName,
  props: Pick<OrderFunctionsProps, 'reservedConcurrency' | 'environment'>,
): number | undefined {
  const configured = typeof props.reservedConcurrency === 'number' ? props.reservedConcurrency : props.reservedConcurrency?.[handler];
  return configured ?? (props.environment === undefined ? undefined : FUNCTIONS[handler].reservedConcurrency[props.environment]);
}

/** Environment variables per function: the spec's function table (spec/functions.ts), with Terraform references as values. */
export function orderFunctionEnvironment(props: OrderFunctionsProps): Record<HandlerName, Record<string, string>> {
  const values = {
    namePrefix: props.namePrefix,
    stateMachineArn: props.stateMachineArn,
    ordersBucketName: props.ordersBucketName,
    ordersKmsKeyId: props.kmsKeyArn,
    paymentApprovalLimit: props.paymentApprovalLimit,
    logLevel: props.logLevel,
  };
  return Object.fromEntries(HANDLER_NAMES.map((h) => [h, functionEnvironment(h, values)])) as Record<HandlerName, Record<string, string>>;
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
      {
        Sid: 'ReadOrders',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objectArns(props.ordersBucketArn, STORAGE_ACCESS.api.getObjectPrefixes),
      },
      {
        Sid: 'ListOrderIndex',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: props.ordersBucketArn,
        // IfExists: S3 also checks ListBucket (with no s3:prefix in the context) to answer a
        // GetObject of a missing key with 404 instead of 403, which GET /orders/{id} relies on.
        Condition: { StringLikeIfExists: { 's3:prefix': `${STORAGE_ACCESS.api.listPrefix}*` } },
      },
    ],
    'order-processor': [],
    'inventory-check': [],
    'payment-process': [],
    'merge-results': [],
    's3-storage': [
      {
        Sid: 'WriteOrders',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: objectArns(props.ordersBucketArn, STORAGE_ACCESS['s3-storage'].putObjectPrefixes),
      },
      // Write-once records bound to their execution, and the order counter, are read before they are written.
      {
        Sid: 'ReadOrders',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objectArns(props.ordersBucketArn, STORAGE_ACCESS['s3-storage'].getObjectPrefixes),
      },
      {
        Sid: 'TellMissingOrders',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: props.ordersBucketArn,
        // Only so that a GetObject of a missing key answers 404 (not 403); it lists nothing else.
        Condition: { StringLikeIfExists: { 's3:prefix': `${STORAGE_ACCESS['s3-storage'].listPrefix}*` } },
      },
      // SSE-KMS puts need a data key from the orders key.
      { Sid: 'EncryptOrders', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], ...kmsKey },
    ],
  };
}
