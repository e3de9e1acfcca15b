/**
 * The function table: every Lambda of the order system, the handler folder it runs, its
 * role in the workflow, the environment variables it gets, its memory, timeout and reserved
 * concurrency. The stack (stacks/order-functions.ts) and the local runtime (local/runtime.ts)
 * both build each function from this table, so a function gets the same variables and
 * memory in AWS and on a laptop.
 */

/** The handler folders under `handlers/`, each with `index.ts` exporting only `handler`. */
export const HANDLER_NAMES = ['api', 'order-processor', 'inventory-check', 'payment-process', 'merge-results', 's3-storage'] as const;

export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The workflow's names for the functions its Task states invoke. */
export type WorkflowRole = 'orderProcessor' | 'inventoryCheck' | 'paymentProcess' | 'mergeResults' | 's3Storage';

/** Namespace of every handler's Powertools metrics (the dashboard and alarms read it). */
export const METRICS_NAMESPACE = 'OrderInfra';

/** Orders above this amount are declined by the simulated payment processor, unless configured. */
export const DEFAULT_PAYMENT_APPROVAL_LIMIT = 10_000;

/** Powertools log level of every function, unless configured. */
export const DEFAULT_LOG_LEVEL = 'INFO';

/** The values a function's environment is built from: Terraform references in the stack, local values locally. */
export interface FunctionEnvironmentValues {
  /** Prefix of every function name (`orders-dev`, `orders-local`). */
  readonly namePrefix: string;
  readonly stateMachineArn: string;
  readonly ordersBucketName: string;
  /** KMS key the storage step encrypts order objects with. */
  readonly ordersKmsKeyId: string;
  readonly paymentApprovalLimit: number;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/** Variables a function reads, and where each value comes from. */
type VariableSource = (values: FunctionEnvironmentValues) => string;

export interface FunctionSpec {
  /** Role in the workflow; undefined for the API function (API Gateway invokes it). */
  readonly workflowRole?: WorkflowRole;
  readonly description: string;
  /** Memory, MB (the local runtime reports the same value in the Lambda context). */
  readonly memoryMb: number;
  /** Function timeout, seconds; the workflow's Task timeout keeps a margin above it (spec/time-budgets.ts). */
  readonly timeoutSeconds: number;
  /** Variables beyond the common Powertools ones. */
  readonly variables: Readonly<Record<string, VariableSource>>;
  /**
   * Reserved concurrency per environment when the configuration sets none for the function;
   * an environment not listed is unreserved (a new account's quota can be as low as 10).
   */
  readonly reservedConcurrency: Readonly<Record<string, number>>;
}

/**
 * Memory and timeout: the API does S3 reads in parallel and answers within API Gateway's 29 s;
 * the steps are small.
 */
export const FUNCTIONS: Readonly<Record<HandlerName, FunctionSpec>> = {
  api: {
    description: 'Order API: POST /orders, GET /orders, GET /orders/{orderId}',
    memoryMb: 512,
    timeoutSeconds: 15,
    variables: { STATE_MACHINE_ARN: (v) => v.stateMachineArn, ORDERS_BUCKET: (v) => v.ordersBucketName },
    reservedConcurrency: {},
  },
  'order-processor': {
    workflowRole: 'orderProcessor',
    description: 'Order workflow: re-validate, normalise and stamp the order',
    memoryMb: 256,
    timeoutSeconds: 10,
    variables: {},
    reservedConcurrency: {},
  },
  'inventory-check': {
    workflowRole: 'inventoryCheck',
    description: 'Order workflow: check stock of every item',
    memoryMb: 256,
    timeoutSeconds: 10,
    variables: {},
    reservedConcurrency: {},
  },
  'payment-process': {
    workflowRole: 'paymentProcess',
    description: 'Order workflow: simulated payment charge and refund',
    memoryMb: 256,
    timeoutSeconds: 10,
    variables: { PAYMENT_APPROVAL_LIMIT: (v) => String(v.paymentApprovalLimit) },
    reservedConcurrency: {},
  },
  'merge-results': {
    workflowRole: 'mergeResults',
    description: 'Order workflow: combine inventory and payment results',
    memoryMb: 256,
    timeoutSeconds: 10,
    variables: {},
    reservedConcurrency: {},
  },
  's3-storage': {
    workflowRole: 's3Storage',
    description: 'Order workflow: store the order record and index entry in S3',
    memoryMb: 256,
    timeoutSeconds: 15,
    variables: { ORDERS_BUCKET: (v) => v.ordersBucketName, ORDERS_KMS_KEY_ID: (v) => v.ordersKmsKeyId },
    reservedConcurrency: {},
  },
};

/** `<prefix>-<handler>`: the function's name in AWS and locally. */
export function functionName(namePrefix: string, handler: HandlerName): string {
  return `${namePrefix}-${handler}`;
}

/** The environment a function gets: the Powertools variables plus its own (FUNCTIONS[handler].variables). */
export function functionEnvironment(handler: HandlerName, values: FunctionEnvironmentValues): Record<string, string> {
  const own = Object.entries(FUNCTIONS[handler].variables).map(([name, source]) => [name, source(values)] as const);
  return {
    // The function name, not the handler name: Powertools uses it as the metrics' `service`
    // dimension, which must tell dev from prod when both share an account and region.
    POWERTOOLS_SERVICE_NAME: functionName(values.namePrefix, handler),
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: values.logLevel ?? DEFAULT_LOG_LEVEL,
    ...Object.fromEntries(own),
  };
}

/** The handler folder of each workflow role (pure: a bundle that does not read it drops the table). */
export const WORKFLOW_ROLE_HANDLERS = /* @__PURE__ */ Object.fromEntries(
  /* @__PURE__ */ HANDLER_NAMES.flatMap((h) => (FUNCTIONS[h].workflowRole ? [[FUNCTIONS[h].workflowRole, h]] : [])),
) as Readonly<Record<WorkflowRole, HandlerName>>;

/** Narrows an arbitrary string to a `HandlerName`. */
export function isHandlerName(value: string): value is HandlerName {
  return (HANDLER_NAMES as readonly string[]).includes(value);
}
