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
import { type HandlerName, WORKFLOW_ROLE_HANDLERS } from '../spec/functions';
import { buildOrderWorkflowDefinition, TASK_STATE_FUNCTIONS, type OrderWorkflowFunction } from '../workflow/order-workflow-definition';
import type { FaultInjector } from './faults';
import type { InvocationLog } from './invocation-log';
import { LambdaFunctionError, type LocalLambdaFunction } from './lambda-host';

type AslDefinitionLike = { StartAt: string; States: Record<string, AslState> } & Record<string, unknown>;

// The CommonJS build: the package's "import" condition is ESM, which tsx/jest load differently.
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

/** The workflow's functions and the handler folder each one runs (the spec's function table). */
export const WORKFLOW_FUNCTION_HANDLERS: Readonly<Record<OrderWorkflowFunction, HandlerName>> = WORKFLOW_ROLE_HANDLERS;

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

/** Where a re-drive restarts a FAILED execution: the top-level Task state that failed, and that state's input. */
export interface RedrivePoint {
  readonly state: string;
  readonly input: unknown;
}

export type WorkflowOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string; readonly redriveFrom?: RedrivePoint }
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

type AslState = { Type?: string; Parameters?: { 'Payload.$'?: string; Payload?: { 'state.$'?: string } } };

/**
 * A top-level Task state's own input, recovered from the Lambda payload its Parameters
 * built: `'Payload.$': '$'` sends the input itself, `Payload: { 'state.$': '$' }` wraps it.
 * Undefined for any other shape (that state is then not re-drivable).
 */
function stateInputFromPayload(definition: AslState | undefined, payload: unknown): { input: unknown } | undefined {
  if (definition?.Type !== 'Task') return undefined;
  if (definition.Parameters?.['Payload.$'] === '$') return { input: payload };
  if (definition.Parameters?.Payload?.['state.$'] === '$' && payload !== null && typeof payload === 'object')
    return { input: (payload as { state?: unknown }).state };
  return undefined;
}

export class WorkflowRunner {
  private readonly definition: AslDefinitionLike;
  /** One machine per start state: the full definition from StartAt, plus re-drive entry points. */
  private readonly machines = new Map<string, InstanceType<typeof StateMachine>>();
  private readonly handlerByArn = new Map<string, HandlerName>();

  constructor(private readonly options: WorkflowRunnerOptions) {
    const arns = Object.fromEntries(
      Object.entries(WORKFLOW_FUNCTION_HANDLERS).map(([fn, handler]) => [fn, options.functionArn(handler)]),
    ) as Record<OrderWorkflowFunction, string>;
    for (const handler of Object.values(WORKFLOW_FUNCTION_HANDLERS)) this.handlerByArn.set(options.functionArn(handler), handler);
    this.definition = buildOrderWorkflowDefinition(arns) as unknown as AslDefinitionLike;
    // The library validates the definition here, so a broken definition fails at start, not per order.
    this.machineFrom(this.definition.StartAt);
  }

  private machineFrom(startAt: string): InstanceType<typeof StateMachine> {
    let machine = this.machines.get(startAt);
    if (!machine) {
      // A re-drive entry point leaves the states before it unreachable, which the validator
      // rejects; the same definition was validated as a whole in the constructor.
      const validationOptions = startAt === this.definition.StartAt ? { checkPaths: true, checkArn: true } : { noValidate: true };
      machine = new StateMachine({ ...this.definition, StartAt: startAt } as never, { validationOptions });
      this.machines.set(startAt, machine);
    }
    return machine;
  }

  /**
   * Starts one execution, from the definition's StartAt or, for a re-drive, from the state
   * that failed with that state's input (what AWS's RedriveExecution does).
   */
  run(input: unknown, ctx: WorkflowContext, from?: RedrivePoint): RunningWorkflow {
    let aborted = false;
    // The last top-level Task that failed, cleared by any success: where a FAILED execution stopped.
    let lastFailure: RedrivePoint | undefined;
    const track = (state: string, taskInput: unknown) => (outcome: 'ok' | 'failed') => {
      if (outcome === 'ok') lastFailure = undefined;
      else {
        const recovered = stateInputFromPayload(this.definition.States[state], (taskInput as { Payload?: unknown } | undefined)?.Payload);
        lastFailure = recovered ? { state, input: recovered.input } : undefined;
      }
    };
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.keys(TASK_STATE_FUNCTIONS).map((state) => [
        state,
        (taskInput: unknown) => {
          // After abort the library still finishes the current state (retries included): do no new work.
          if (aborted) return Promise.reject(new LambdaFunctionError('Runtime.Stopped', 'The execution was stopped'));
          const done = track(state, taskInput);
          return this.invokeTask(state, taskInput, ctx.executionName).then(
            (result) => {
              done('ok');
              return result;
            },
            (error: unknown) => {
              done('failed');
              throw error;
            },
          );
        },
      ]),
    );
    const retryIntervalOverrides = Object.fromEntries(
      Object.keys(TASK_STATE_FUNCTIONS).map((state) => [state, this.options.retryIntervalMs]),
    );
    if (from && !(from.state in this.definition.States)) {
      // A record from another definition: fail it again rather than guess where to restart.
      return {
        result: Promise.resolve({
          status: 'FAILED',
          error: 'States.Runtime',
          cause: `cannot re-drive from ${from.state}: not a state of the order workflow`,
        }),
        abort: () => undefined,
      };
    }
    const execution = this.machineFrom(from?.state ?? this.definition.StartAt).run((from ? from.input : input) as never, {
      overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: ctx.executionArn,
          Name: ctx.executionName,
          StartTime: ctx.startTime,
          RoleArn: 'arn:aws:iam::000000000000:role/orders-local-workflow',
        },
        StateMachine: { Id: ctx.stateMachineArn, Name: ctx.stateMachineArn.split(':').pop() },
      },
    });
    const result = execution.result.then(
      (output): WorkflowOutcome => (aborted ? { status: 'ABORTED' } : { status: 'SUCCEEDED', output }),
      (error: unknown): WorkflowOutcome => {
        const e = error as Error & { cause?: Error };
        if (e?.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT' };
        const failure = e?.name === 'ExecutionError' && e.cause ? e.cause : e;
        return {
          status: 'FAILED',
          error: failure?.name ?? 'Error',
          cause: failure?.message ?? String(error),
          ...(lastFailure ? { redriveFrom: lastFailure } : {}),
        };
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
