/**
 * The order workflow's Amazon States Language definition: one pure function used by
 * the Terraform stack (with function ARNs as Terraform references) and by the local
 * runtime (with local ARNs), so both run exactly the same state machine.
 *
 * This module imports nothing from cdktf, constructs or the stacks.
 *
 * Data flow (every Task invokes a Lambda with the state as its payload and takes the
 * function's return value as the new state, `OutputPath: $.Payload`):
 *
 *   ProcessOrder        order-processor   execution input  -> Order
 *   CheckInventoryAndPayment (Parallel)   Order -> Order + results { inventoryCheck, paymentProcessing }
 *     CheckInventory    inventory-check   Order -> InventoryCheckResult
 *     ProcessPayment    payment-process   Order -> PaymentResult (charge)
 *   MergeResults        merge-results     Order + results -> OrderRecord (+ refundRequired)
 *   IsRefundRequired    Choice            refundRequired == true -> RefundPayment, else StoreOrder
 *   RefundPayment       payment-process   { action: "refund", state } -> OrderRecord (payment refunded)
 *   StoreOrder          s3-storage        { record, executionName } -> StoredOrderResult
 *
 * Failure path: each Parallel branch catches its own failure (after retries) into a result
 * with `status: "error"` (InventoryCheckFailed, PaymentFailed), so the sibling's result — a
 * captured payment above all — survives and MergeResults decides (failed, refund if captured).
 * A failure of MergeResults or StoreOrder, or of the Parallel state itself, goes to
 * CompensatePayment (an idempotent refund of whatever the state shows captured), then to
 * StoreFailedOrder; a failure of ProcessOrder (nothing charged yet) or RefundPayment goes
 * straight to StoreFailedOrder. So every order that started ends stored, completed or failed.
 *
 *   InventoryCheckFailed / PaymentFailed (Pass)  branch state + error -> { status: "error", error }
 *   CompensatePayment   payment-process   { action: "refund", state } -> state + paymentProcessing
 *   StoreFailedOrder    s3-storage        { outcome: "failed", state, executionName } -> StoredOrderResult
 */

/** ARNs of the Lambda functions the workflow invokes. */
export interface OrderWorkflowFunctionArns {
  readonly orderProcessor: string;
  readonly inventoryCheck: string;
  readonly paymentProcess: string;
  readonly mergeResults: string;
  readonly s3Storage: string;
}

export type OrderWorkflowFunction = keyof OrderWorkflowFunctionArns;

/** Transient Lambda errors that every Task retries (AWS's recommended list). */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** Every Task state and the function it invokes. */
export const TASK_STATE_FUNCTIONS = {
  ProcessOrder: 'orderProcessor',
  CheckInventory: 'inventoryCheck',
  ProcessPayment: 'paymentProcess',
  MergeResults: 'mergeResults',
  RefundPayment: 'paymentProcess',
  StoreOrder: 's3Storage',
  CompensatePayment: 'paymentProcess',
  StoreFailedOrder: 's3Storage',
} as const satisfies Record<string, OrderWorkflowFunction>;

export type TaskStateName = keyof typeof TASK_STATE_FUNCTIONS;

/** Seconds a single Lambda invocation may take before the Task times out. */
const TASK_TIMEOUT_SECONDS = 60;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type AslDefinition = { [key: string]: Json };

function transientRetry(): Json[] {
  return [
    {
      ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS],
      IntervalSeconds: 1,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: 20,
      JitterStrategy: 'FULL',
    },
  ];
}

/** Storage retries longer: a brief S3 outage must not fail an accepted order. */
function storageRetry(): Json[] {
  return [
    // The order is stored by another execution: permanent, retrying cannot change whose it is.
    { ErrorEquals: ['OrderConflictError'], MaxAttempts: 0 },
    ...transientRetry(),
    {
      ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
      IntervalSeconds: 2,
      MaxAttempts: 6,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: 'FULL',
    },
  ];
}

/** Options of the definition. */
export interface OrderWorkflowDefinitionOptions {
  /** AWS partition of the service-integration ARNs (`aws-us-gov`, `aws-cn`, ...). @default 'aws' */
  readonly partition?: string;
}

function lambdaTaskIn(
  partition: string,
  functionArn: string,
  payload: Json,
  next: string | null,
  extra: AslDefinition = {},
): AslDefinition {
  return {
    Type: 'Task',
    Resource: `arn:${partition}:states:::lambda:invoke`,
    Parameters: { FunctionName: functionArn, ...(typeof payload === 'string' ? { 'Payload.$': payload } : { Payload: payload }) },
    OutputPath: '$.Payload',
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: transientRetry(),
    ...extra,
    ...(next === null ? { End: true } : { Next: next }),
  };
}

function catchAllTo(next: string, resultPath = '$.error'): Json[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next }];
}

/** A Parallel branch's Task that turns its own failure into an `error` result instead of failing the Parallel. */
function branch(partition: string, taskState: string, functionArn: string, failedState: string): AslDefinition {
  return {
    StartAt: taskState,
    States: {
      [taskState]: lambdaTaskIn(partition, functionArn, '$', null, { Catch: catchAllTo(failedState) }),
      [failedState]: { Type: 'Pass', Parameters: { status: 'error', 'error.$': '$.error' }, End: true },
    },
  };
}

/** Builds the order workflow's ASL definition for the given function ARNs. */
export function buildOrderWorkflowDefinition(arns: OrderWorkflowFunctionArns, options: OrderWorkflowDefinitionOptions = {}): AslDefinition {
  const partition = options.partition ?? 'aws';
  const lambdaTask = (functionArn: string, payload: Json, next: string | null, extra?: AslDefinition) =>
    lambdaTaskIn(partition, functionArn, payload, next, extra);
  return {
    Comment:
      'Order workflow: process order, check inventory and take payment in parallel, merge, store. Every started order ends stored as completed or failed.',
    StartAt: 'ProcessOrder',
    TimeoutSeconds: 3600,
    States: {
      ProcessOrder: lambdaTask(arns.orderProcessor, '$', 'CheckInventoryAndPayment', { Catch: catchAllTo('StoreFailedOrder') }),
      CheckInventoryAndPayment: {
        Type: 'Parallel',
        Branches: [
          branch(partition, 'CheckInventory', arns.inventoryCheck, 'InventoryCheckFailed'),
          branch(partition, 'ProcessPayment', arns.paymentProcess, 'PaymentFailed'),
        ],
        ResultSelector: { 'inventoryCheck.$': '$[0]', 'paymentProcessing.$': '$[1]' },
        ResultPath: '$.results',
        Catch: catchAllTo('CompensatePayment'),
        Next: 'MergeResults',
      },
      MergeResults: lambdaTask(arns.mergeResults, '$', 'IsRefundRequired', { Catch: catchAllTo('CompensatePayment') }),
      IsRefundRequired: {
        Type: 'Choice',
        Choices: [{ Variable: '$.refundRequired', BooleanEquals: true, Next: 'RefundPayment' }],
        Default: 'StoreOrder',
      },
      RefundPayment: lambdaTask(arns.paymentProcess, { action: 'refund', 'state.$': '$' }, 'StoreOrder', {
        Catch: catchAllTo('StoreFailedOrder'),
      }),
      // The execution name binds the stored record to this execution (only its retries may rewrite it).
      StoreOrder: lambdaTask(arns.s3Storage, { 'record.$': '$', 'executionName.$': '$$.Execution.Name' }, null, {
        Retry: storageRetry(),
        Catch: catchAllTo('CompensatePayment'),
      }),
      CompensatePayment: lambdaTask(arns.paymentProcess, { action: 'refund', 'state.$': '$' }, 'StoreFailedOrder', {
        Catch: catchAllTo('StoreFailedOrder', '$.compensationError'),
      }),
      StoreFailedOrder: lambdaTask(arns.s3Storage, { outcome: 'failed', 'state.$': '$', 'executionName.$': '$$.Execution.Name' }, null, {
        Retry: storageRetry(),
      }),
    },
  };
}
