/**
 * Runs the order workflow with aws-local-stepfunctions from the same definition builder
 * the stack uses, every Task state overridden to invoke the local bundle the way the
 * `arn:aws:states:::lambda:invoke` integration does:
 *
 * - the override receives the Task's effective input, i.e. the Parameters result
 *   `{ FunctionName, Payload }`, and invokes the function named by FunctionName;
 * - it returns `{ Payload, StatusCode: 200, ExecutedVersion: '$LATEST' }`, so the
 *   definition's `OutputPath: $.Payload` selects the function's return value;
 * - a function error fails the Task with the error's type as the Error name (what
 *   Retry/Catch `ErrorEquals` match, e.g. `OrderValidationError`) and a Cause that is
 *   the JSON `{ errorType, errorMessage }`, as Step Functions reports Lambda errors.
 */
import './polyfills';
import type { HandlerName } from '../packaging/handlers';
import { buildOrderWorkflowDefinition, TASK_STATE_FUNCTIONS, type OrderWorkflowFunction } from '../workflow/order-workflow-definition';
import type { FaultInjector } from './faults';
import type { InvocationLog } from './invocation-log';
import { LambdaFunctionError, type LocalLambdaFunction } from './lambda-host';

// The CommonJS build: the package's "import" condition is ESM, which tsx/jest load differently.
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

/** The workflow's functions and the handler folder each one runs. */
export const WORKFLOW_FUNCTION_HANDLERS: Record<OrderWorkflowFunction, HandlerName> = {
  orderProcessor: 'order-processor',
  inventoryCheck: 'inventory-check',
  paymentProcess: 'payment-process',
  mergeResults: 'merge-results',
  s3Storage: 's3-storage',
};

export interface WorkflowRunnerOptions {
  /** Local function ARN of each handler. */
  readonly functionArn: (handler: HandlerName) => string;
  /** The running functions, by handler. */
  readonly functions: ReadonlyMap<HandlerName, LocalLambdaFunction>;
  readonly faults: FaultInjector;
  readonly invocations: InvocationLog;
  /** Wait before every retry, in ms (replaces IntervalSeconds/BackoffRate/jitter locally). */
  retryIntervalMs: number;
}

export type WorkflowOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string }
  | { readonly status: 'TIMED_OUT' }
  | { readonly status: 'ABORTED' };

export interface RunningWorkflow {
  readonly result: Promise<WorkflowOutcome>;
  /** Stops the execution where it is (used on shutdown; the record stays RUNNING to be resumed). */
  abort(): void;
}

export interface WorkflowContext {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly startTime: string;
}

export class WorkflowRunner {
  private readonly machine: InstanceType<typeof StateMachine>;
  private readonly handlerByArn = new Map<string, HandlerName>();

  constructor(private readonly options: WorkflowRunnerOptions) {
    const arns = Object.fromEntries(
      Object.entries(WORKFLOW_FUNCTION_HANDLERS).map(([fn, handler]) => [fn, options.functionArn(handler)]),
    ) as Record<OrderWorkflowFunction, string>;
    for (const handler of Object.values(WORKFLOW_FUNCTION_HANDLERS)) this.handlerByArn.set(options.functionArn(handler), handler);
    // The library validates the definition here, so a broken definition fails at start, not per order.
    this.machine = new StateMachine(buildOrderWorkflowDefinition(arns) as never, { validationOptions: { checkPaths: true, checkArn: true } });
  }

  /** Starts one execution. */
  run(input: unknown, ctx: WorkflowContext): RunningWorkflow {
    let aborted = false;
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.keys(TASK_STATE_FUNCTIONS).map((state) => [
        state,
        (taskInput: unknown) =>
          // After abort the library still finishes the current state (retries included): do no new work.
          aborted ? Promise.reject(new LambdaFunctionError('Runtime.Stopped', 'The execution was stopped')) : this.invokeTask(state, taskInput, ctx.executionName),
      ]),
    );
    const retryIntervalOverrides = Object.fromEntries(Object.keys(TASK_STATE_FUNCTIONS).map((state) => [state, this.options.retryIntervalMs]));
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: ctx.executionArn, Name: ctx.executionName, StartTime: ctx.startTime, RoleArn: 'arn:aws:iam::000000000000:role/orders-local-workflow' },
        StateMachine: { Id: ctx.stateMachineArn, Name: ctx.stateMachineArn.split(':').pop() },
      },
    });
    const result = execution.result.then(
      (output): WorkflowOutcome => (aborted ? { status: 'ABORTED' } : { status: 'SUCCEEDED', output }),
      (error: unknown): WorkflowOutcome => {
        const e = error as Error & { cause?: Error };
        if (e?.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT' };
        const failure = e?.name === 'ExecutionError' && e.cause ? e.cause : e;
        return { status: 'FAILED', error: failure?.name ?? 'Error', cause: failure?.message ?? String(error) };
      },
    );
    return {
      result,
      abort: () => {
        aborted = true;
        execution.abort();
      },
    };
  }

  private async invokeTask(state: string, taskInput: unknown, executionName: string): Promise<unknown> {
    const { FunctionName, Payload } = (taskInput ?? {}) as { FunctionName?: string; Payload?: unknown };
    const handler = FunctionName === undefined ? undefined : this.handlerByArn.get(FunctionName);
    if (!handler) {
      // What lambda:invoke answers for a function that does not exist.
      throw new LambdaFunctionError('Lambda.ResourceNotFoundException', `Function not found: ${String(FunctionName)}`);
    }
    const { invocations, faults } = this.options;
    const attempt = invocations.nextAttempt(executionName, state);
    const startedAt = new Date();
    const base = { handler, executionName, state, attempt, startedAt: startedAt.toISOString() };
    const injected = faults.check(executionName, state);
    if (injected) {
      invocations.add({ ...base, durationMs: 0, outcome: 'injected-fault', errorType: injected.name });
      throw injected;
    }
    const fn = this.options.functions.get(handler);
    if (!fn) throw new LambdaFunctionError('Lambda.ResourceNotFoundException', `Function not found: ${FunctionName}`);
    try {
      const payload = await fn.invoke(Payload);
      invocations.add({ ...base, durationMs: Date.now() - startedAt.getTime(), outcome: 'succeeded' });
      return { Payload: payload, StatusCode: 200, ExecutedVersion: '$LATEST' };
    } catch (e) {
      const err = e instanceof LambdaFunctionError ? e : new LambdaFunctionError('Error', String((e as Error)?.message ?? e));
      invocations.add({ ...base, durationMs: Date.now() - startedAt.getTime(), outcome: 'failed', errorType: err.errorType });
      // Step Functions: Error = the function's error type, Cause = the Lambda error payload as JSON.
      const failure = new Error(JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage }));
      failure.name = err.errorType;
      throw failure;
    }
  }
}
