/**
 * The order workflow's Amazon States Language definition: one pure function used by
 * the Terraform stack (with function ARNs as Terraform references) and by the local
 * runtime (with local ARNs), so both run exactly the same state machine.
 *
 * This module imports nothing from cdktf, constructs or the stacks; its timeouts and retry
 * policies come from spec/time-budgets.ts, which holds the relations between them.
 *
 * Data flow (every Task invokes a Lambda with the state as its payload and takes the
 * function's return value as the new state, `OutputPath: $.Payload`):
 *
 *   ProcessOrder        order-processor   execution input  -> Order
 *   CheckInventoryAndPayment (Parallel)   Order -> Order + results { inventoryCheck, paymentProcessing }
 *     CheckInventory    inventory-check   Order -> InventoryCheckResult
 *     ProcessPayment    payment-process   Order -> PaymentResult (charge)
 *   MergeResults        merge-results     Order + results -> MergedOrder (results settled, outcome, refundRequired)
 *   IsRefundRequired    Choice            refundRequired == true -> RefundPayment, else StoreOrder
 *   RefundPayment       payment-process   { action: "refund", state } -> MergedOrder (results.paymentProcessing refunded)
 *   StoreOrder          s3-storage        MergedOrder -> StoredOrderResult (the stored record nests the order fields)
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
 *   CompensatePayment   payment-process   { action: "refund", state } -> state with results.paymentProcessing
 *   StoreFailedOrder    s3-storage        { outcome: "failed", state } -> StoredOrderResult
 */

import { FUNCTIONS, WORKFLOW_ROLE_HANDLERS, type WorkflowRole } from '../spec/functions';
import {
  LAMBDA_TRANSIENT_ERRORS,
  type RetryPolicy,
  STATE_MACHINE_TIMEOUT_SECONDS,
  STORAGE_RETRY,
  TRANSIENT_RETRY,
  taskTimeoutSeconds,
} from '../spec/time-budgets';

export { LAMBDA_TRANSIENT_ERRORS };

/** ARNs of the Lambda functions the workflow invokes, by workflow role. */
export type OrderWorkflowFunctionArns = Readonly<Record<WorkflowRole, string>>;

export type OrderWorkflowFunction = WorkflowRole;

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

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type AslDefinition = { [key: string]: Json };

const retrier = (policy: RetryPolicy): Json => ({ ...policy, ErrorEquals: [...policy.ErrorEquals] });

function transientRetry(): Json[] {
  return [retrier(TRANSIENT_RETRY)];
}

/** Storage retries longer: an S3 outage of S3_OUTAGE_RIDE_OUT must not fail an accepted order. */
function storageRetry(): Json[] {
  return [...transientRetry(), retrier(STORAGE_RETRY)];
}

/** A Task waits for its function's timeout plus a cold start. */
function taskTimeoutFor(role: WorkflowRole): number {
  return taskTimeoutSeconds(FUNCTIONS[WORKFLOW_ROLE_HANDLERS[role]].timeoutSeconds);
}

/** Options of the definition. */
export interface OrderWorkflowDefinitionOptions {
  /** AWS partition of the service-integration ARNs (`aws-us-gov`, `aws-cn`, ...). @default 'aws' */
  readonly partition?: string;
}

function lambdaTaskIn(
  partition: string,
  arns: OrderWorkflowFunctionArns,
  role: WorkflowRole,
  payload: Json,
  next: string | null,
  extra: AslDefinition = {},
): AslDefinition {
  return {
    Type: 'Task',
    Resource: `arn:${partition}:states:::lambda:invoke`,
    Parameters: { FunctionName: arns[role], ...(typeof payload === 'string' ? { 'Payload.$': payload } : { Payload: payload }) },
    OutputPath: '$.Payload',
    TimeoutSeconds: taskTimeoutFor(role),
    Retry: transientRetry(),
    ...extra,
    ...(next === null ? { End: true } : { Next: next }),
  };
}

function catchAllTo(next: string, resultPath = '$.error'): Json[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next }];
}

/** A Parallel branch's Task that turns its own failure into an `error` result instead of failing the Parallel. */
function branch(
  partition: string,
  arns: OrderWorkflowFunctionArns,
  taskState: string,
  role: WorkflowRole,
  failedState: string,
): AslDefinition {
  return {
    StartAt: taskState,
    States: {
      [taskState]: lambdaTaskIn(partition, arns, role, '$', null, { Catch: catchAllTo(failedState) }),
      [failedState]: { Type: 'Pass', Parameters: { status: 'error', 'error.$': '$.error' }, End: true },
    },
  };
}

/** Builds the order workflow's ASL definition for the given function ARNs. */
export function buildOrderWorkflowDefinition(arns: OrderWorkflowFunctionArns, options: OrderWorkflowDefinitionOptions = {}): AslDefinition {
  const partition = options.partition ?? 'aws';
  const lambdaTask = (role: WorkflowRole, payload: Json, next: string | null, extra?: AslDefinition) =>
    lambdaTaskIn(partition, arns, role, payload, next, extra);
  return {
    Comment:
      'Order workflow: process order, check inventory and take payment in parallel, merge, store. Every started order ends stored as completed or failed.',
    StartAt: 'ProcessOrder',
    TimeoutSeconds: STATE_MACHINE_TIMEOUT_SECONDS,
    States: {
      ProcessOrder: lambdaTask('orderProcessor', '$', 'CheckInventoryAndPayment', { Catch: catchAllTo('StoreFailedOrder') }),
      CheckInventoryAndPayment: {
        Type: 'Parallel',
        Branches: [
          branch(partition, arns, 'CheckInventory', 'inventoryCheck', 'InventoryCheckFailed'),
          branch(partition, arns, 'ProcessPayment', 'paymentProcess', 'PaymentFailed'),
        ],
        ResultSelector: { 'inventoryCheck.$': '$[0]', 'paymentProcessing.$': '$[1]' },
        ResultPath: '$.results',
        Catch: catchAllTo('CompensatePayment'),
        Next: 'MergeResults',
      },
      MergeResults: lambdaTask('mergeResults', '$', 'IsRefundRequired', { Catch: catchAllTo('CompensatePayment') }),
      IsRefundRequired: {
        Type: 'Choice',
        Choices: [{ Variable: '$.refundRequired', BooleanEquals: true, Next: 'RefundPayment' }],
        Default: 'StoreOrder',
      },
      RefundPayment: lambdaTask('paymentProcess', { action: 'refund', 'state.$': '$' }, 'StoreOrder', {
        Catch: catchAllTo('StoreFailedOrder'),
      }),
      StoreOrder: lambdaTask('s3Storage', '$', null, { Retry: storageRetry(), Catch: catchAllTo('CompensatePayment') }),
      CompensatePayment: lambdaTask('paymentProcess', { action: 'refund', 'state.$': '$' }, 'StoreFailedOrder', {
        Catch: catchAllTo('StoreFailedOrder', '$.compensationError'),
      }),
      StoreFailedOrder: lambdaTask('s3Storage', { outcome: 'failed', 'state.$': '$' }, null, { Retry: storageRetry() }),
    },
  };
}
