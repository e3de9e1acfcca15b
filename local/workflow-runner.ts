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
import { type ExecutionHistoryStore, type LibraryEvent, type RunKind, toHistoryEvents } from './execution-history';
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
  /**
   * A fixed wait before every retry, in ms, instead of the definition's backoff (tests that
   * need one exact retry window set it). @default - the definition's backoff, scaled by `retryScale`
   */
  retryIntervalMs?: number;
  /**
   * Factor applied to every Retrier's `IntervalSeconds` and `MaxDelaySeconds` (BackoffRate,
   * MaxAttempts and JitterStrategy as defined), so a local run keeps the definition's shape
   * at a fraction of its duration. @default DEFAULT_RETRY_SCALE
   */
  readonly retryScale?: number;
  /** Where each run's events go (GetExecutionHistory, the console). @default - not recorded */
  readonly history?: ExecutionHistoryStore;
  /** Region named in the history's TaskScheduled events. @default 'us-east-1' */
  readonly region?: string;
}

const TERMINAL_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimeout', 'ExecutionAborted']);
const LOCAL_WORKFLOW_ROLE_ARN = 'arn:aws:iam::000000000000:role/orders-local-workflow';

type FoundState = { TimeoutSeconds?: number; Branches?: { States: Record<string, FoundState> }[] };

/** A state of the definition by name, inside Parallel branches too. */
function findState(states: Record<string, unknown>, name: string): FoundState | undefined {
  for (const [key, value] of Object.entries(states as Record<string, FoundState>)) {
    if (key === name) return value;
    for (const branch of value.Branches ?? []) {
      const found = findState(branch.States, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Local retries wait 1/100 of the definition's intervals: the storage retries' ~14 minutes become ~8.5 s. */
export const DEFAULT_RETRY_SCALE = 0.01;

type Retrier = { IntervalSeconds?: number; MaxDelaySeconds?: number } & Record<string, unknown>;
type StateWithRetry = { Retry?: Retrier[]; Branches?: { States: Record<string, StateWithRetry> }[] } & Record<string, unknown>;

/**
 * A copy of the definition whose Retriers wait `scale` times as long: IntervalSeconds (1 s when
 * absent, as in AWS) and MaxDelaySeconds are multiplied; everything else is kept.
 */
export function scaleRetries<T extends { States: Record<string, unknown> }>(definition: T, scale: number): T {
  const scaleStates = (states: Record<string, StateWithRetry>): Record<string, StateWithRetry> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => [
        name,
        {
          ...state,
          ...(state.Retry
            ? {
                Retry: state.Retry.map((r) => ({
                  ...r,
                  IntervalSeconds: (r.IntervalSeconds ?? 1) * scale,
                  ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: r.MaxDelaySeconds * scale } : {}),
                })),
              }
            : {}),
          ...(state.Branches ? { Branches: state.Branches.map((b) => ({ ...b, States: scaleStates(b.States) })) } : {}),
        },
      ]),
    );
  return { ...definition, States: scaleStates(definition.States as Record<string, StateWithRetry>) };
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
  /** The definition the machines run: retries scaled for local speed. */
  private readonly runnable: AslDefinitionLike;

  constructor(private readonly options: WorkflowRunnerOptions) {
    const arns = Object.fromEntries(
      Object.entries(WORKFLOW_FUNCTION_HANDLERS).map(([fn, handler]) => [fn, options.functionArn(handler)]),
    ) as Record<OrderWorkflowFunction, string>;
    for (const handler of Object.values(WORKFLOW_FUNCTION_HANDLERS)) this.handlerByArn.set(options.functionArn(handler), handler);
    this.definition = buildOrderWorkflowDefinition(arns) as unknown as AslDefinitionLike;
    // The library validates the deployed definition here, so a broken one fails at start, not per order.
    new StateMachine(this.definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
    this.runnable = scaleRetries(this.definition, options.retryScale ?? DEFAULT_RETRY_SCALE);
  }

  /** The definition as deployed (the console draws it). */
  get deployedDefinition(): Readonly<Record<string, unknown>> {
    return this.definition;
  }

  private machineFrom(startAt: string): InstanceType<typeof StateMachine> {
    let machine = this.machines.get(startAt);
    if (!machine) {
      // Validated as deployed in the constructor; the scaled copy has fractional intervals and a
      // re-drive entry point leaves the states before it unreachable, both of which the validator rejects.
      machine = new StateMachine({ ...this.runnable, StartAt: startAt } as never, { validationOptions: { noValidate: true } });
      this.machines.set(startAt, machine);
    }
    return machine;
  }

  /**
   * Starts one execution, from the definition's StartAt or, for a re-drive, from the state
   * that failed with that state's input (what AWS's RedriveExecution does).
   */
  run(input: unknown, ctx: WorkflowContext, from?: RedrivePoint, runKind: RunKind = { kind: 'first' }): RunningWorkflow {
    let aborted = false;
    // Each Task's effective parameters (what it sent to Lambda), for the history's TaskScheduled events.
    const parameters = new Map<string, unknown>();
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
          parameters.set(state, taskInput);
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
    const fixedInterval = this.options.retryIntervalMs;
    const retryIntervalOverrides =
      fixedInterval === undefined
        ? undefined
        : Object.fromEntries(Object.keys(TASK_STATE_FUNCTIONS).map((state) => [state, fixedInterval]));
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
      overrides: {
        taskResourceLocalHandlers: taskResourceLocalHandlers as never,
        ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: ctx.executionArn,
          Name: ctx.executionName,
          StartTime: ctx.startTime,
          RoleArn: LOCAL_WORKFLOW_ROLE_ARN,
        },
        StateMachine: { Id: ctx.stateMachineArn, Name: ctx.stateMachineArn.split(':').pop() },
      },
    });
    const recorded = this.record(
      ctx.executionName,
      execution.eventLogs as AsyncGenerator<LibraryEvent>,
      execution.result,
      parameters,
      runKind,
    );
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
      // The history of a run is complete (and saved) before its outcome is reported.
      result: result.then(async (outcome) => {
        await recorded;
        return outcome;
      }),
      abort: () => {
        aborted = true;
        execution.abort();
      },
    };
  }

  /**
   * Collects one run's events while it runs and, once its result is settled, appends them to the
   * execution's history. The library queues every event before it settles the result, so a few
   * turns of the event loop drain the queue; waiting for the log to close is not safe (an aborted
   * run may never close it).
   */
  private async record(
    name: string,
    log: AsyncGenerator<LibraryEvent>,
    settled: Promise<unknown>,
    parameters: Map<string, unknown>,
    runKind: RunKind,
  ): Promise<void> {
    const history = this.options.history;
    if (!history) return;
    const events: LibraryEvent[] = [];
    let ended = false;
    void (async () => {
      for await (const event of log) {
        events.push(event);
        if (TERMINAL_EVENTS.has(event.type)) break;
      }
      ended = true;
    })().catch(() => undefined);
    await settled.catch(() => undefined);
    for (let turn = 0; turn < 20 && !ended; turn++) await new Promise((r) => setImmediate(r));
    const taskTimeouts = Object.fromEntries(
      Object.keys(TASK_STATE_FUNCTIONS).map((state) => [state, findState(this.definition.States, state)?.TimeoutSeconds]),
    );
    const context = { region: this.options.region ?? 'us-east-1', roleArn: LOCAL_WORKFLOW_ROLE_ARN, taskTimeouts };
    await history.append(name, (firstId) => toHistoryEvents(events, context, parameters, firstId, runKind));
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
