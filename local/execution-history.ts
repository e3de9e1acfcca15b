/**
 * Execution history in the shapes of Step Functions' `GetExecutionHistory`, built from the
 * event log aws-local-stepfunctions emits while it runs a definition, and kept on disk with
 * the execution (`<dataDir>/history/<sha256 of the name>.json`) so it survives a restart.
 *
 * The library reports states (entered, exited, failed, retried, caught) and Parallel
 * branches; AWS reports a Task as TaskScheduled → TaskStarted → TaskSucceeded / TaskFailed /
 * TaskTimedOut between the state's Entered and Exited events, a retry as a new
 * TaskScheduled after the failure (the state is not entered again), a Catch as the state's
 * Exited event after the failure, and a Parallel state as Entered → Started → (the branches'
 * states) → Succeeded / Failed → Exited. `toHistoryEvents` does that translation.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One event of the library's log (the fields this module reads). */
export interface LibraryEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
  readonly parentState?: { readonly name: string; readonly type: string };
}

/** A history event as `GetExecutionHistory` returns it (timestamp in epoch milliseconds here; seconds on the wire). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** Which run of an execution the events belong to: the first, a re-drive (AWS's RedriveExecution), or a resume after a local restart. */
export type RunKind =
  | { readonly kind: 'first' }
  | { readonly kind: 'redrive'; readonly redriveCount: number }
  | { readonly kind: 'resume' };

/** What the history of one execution needs to know about the workflow. */
export interface HistoryContext {
  readonly region: string;
  readonly roleArn: string;
  /** The Task states' `TimeoutSeconds`, by state name (for TaskScheduled's `timeoutInSeconds`). */
  readonly taskTimeouts: Readonly<Record<string, number | undefined>>;
}

const LAMBDA = { resourceType: 'lambda', resource: 'invoke' } as const;

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return json(cause);
}

/**
 * Translates the library's events of one run into AWS history events, numbered from `firstId`.
 * `parameters` gives each Task state's effective parameters (what the Task sent to Lambda).
 */
export function toHistoryEvents(
  events: readonly LibraryEvent[],
  context: HistoryContext,
  parameters: ReadonlyMap<string, unknown> = new Map(),
  firstId = 1,
  run: RunKind = { kind: 'first' },
): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  // Parallel branches interleave, so a Task's or Parallel's phase is tracked per state name.
  const phase = new Map<string, 'started' | 'failed'>();
  // As in AWS, a state's own events chain to each other through previousEventId (branches interleave).
  const lastIdOfState = new Map<string, number>();
  let current: string | undefined;
  const push = (timestamp: number, type: string, details: Record<string, unknown> = {}) => {
    const id = firstId + out.length;
    const previous = current !== undefined && !type.endsWith('StateEntered') ? lastIdOfState.get(current) : undefined;
    out.push({ id, previousEventId: previous ?? id - 1, timestamp, type, ...details });
    if (current !== undefined) lastIdOfState.set(current, id);
  };
  const scheduled = (timestamp: number, name: string) => {
    push(timestamp, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...LAMBDA,
        region: context.region,
        parameters: json(parameters.get(name)),
        ...(context.taskTimeouts[name] !== undefined ? { timeoutInSeconds: context.taskTimeouts[name] } : {}),
      },
    });
    push(timestamp, 'TaskStarted', { taskStartedEventDetails: { ...LAMBDA } });
    phase.set(name, 'started');
  };
  for (const e of events) {
    const state = e.state;
    current = state?.name;
    switch (e.type) {
      case 'ExecutionStarted':
        if (run.kind === 'first') {
          push(e.timestamp, 'ExecutionStarted', {
            executionStartedEventDetails: { input: json(e.input), inputDetails: { truncated: false }, roleArn: context.roleArn },
          });
        } else if (run.kind === 'redrive') {
          push(e.timestamp, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: run.redriveCount } });
        }
        // A run resumed after a restart of the local runtime continues the same history.
        break;
      case 'StateEntered':
        if (!state) break;
        push(e.timestamp, `${state.type}StateEntered`, {
          stateEnteredEventDetails: { name: state.name, input: json(state.input), inputDetails: { truncated: false } },
        });
        if (state.type === 'Task') scheduled(e.timestamp, state.name);
        if (state.type === 'Parallel') {
          push(e.timestamp, 'ParallelStateStarted');
          phase.set(state.name, 'started');
        }
        break;
      case 'StateFailed':
        if (!state) break;
        if (state.type === 'Task') {
          const timedOut = e.Error === 'States.Timeout';
          push(e.timestamp, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
            [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...LAMBDA, error: e.Error, cause: causeText(e.Cause) },
          });
          phase.set(state.name, 'failed');
        } else if (state.type === 'Parallel') {
          phase.set(state.name, 'failed');
          push(e.timestamp, 'ParallelStateFailed', { parallelStateFailedEventDetails: { error: e.Error, cause: causeText(e.Cause) } });
        }
        break;
      case 'StateRetried':
        if (state?.type === 'Task') scheduled(e.timestamp, state.name);
        break;
      case 'StateExited':
        if (!state) break;
        if (state.type === 'Task' && phase.get(state.name) === 'started') {
          push(e.timestamp, 'TaskSucceeded', {
            taskSucceededEventDetails: { ...LAMBDA, output: json(state.output), outputDetails: { truncated: false } },
          });
        }
        if (state.type === 'Parallel' && phase.get(state.name) === 'started') push(e.timestamp, 'ParallelStateSucceeded');
        phase.delete(state.name);
        push(e.timestamp, `${state.type}StateExited`, {
          stateExitedEventDetails: { name: state.name, output: json(state.output), outputDetails: { truncated: false } },
        });
        break;
      case 'ExecutionSucceeded':
        push(e.timestamp, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: json(e.output), outputDetails: { truncated: false } },
        });
        break;
      case 'ExecutionFailed':
        push(e.timestamp, 'ExecutionFailed', { executionFailedEventDetails: { error: e.Error, cause: causeText(e.Cause) } });
        break;
      case 'ExecutionTimeout':
        push(e.timestamp, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } });
        break;
      case 'ExecutionAborted':
        push(e.timestamp, 'ExecutionAborted', { executionAbortedEventDetails: {} });
        break;
      // StateCaught: AWS shows the catch as the state's Exited event, which the library sends next.
      // ParallelBranch*: AWS has no per-branch events for Parallel (the branches' states carry it).
      default:
        break;
    }
  }
  return out;
}

/** Fields of event details that carry execution data (dropped when `includeExecutionData` is false). */
const DATA_FIELDS = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

/** An event without its input, output and parameters, as `includeExecutionData: false` returns it. */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      copy[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !DATA_FIELDS.has(k)));
    } else copy[key] = value;
  }
  return copy as HistoryEvent;
}

/** The events of every execution, in memory and under `directory`, one file per execution. */
export class ExecutionHistoryStore {
  private readonly histories = new Map<string, HistoryEvent[]>();
  private readonly writes = new Map<string, Promise<void>>();
  private tmpCounter = 0;

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
    for (const file of readdirSync(directory)) {
      const full = join(directory, file);
      if (file.endsWith('.tmp')) {
        // Left by a crash between write and rename; the previous complete file is still there.
        rmSync(full, { force: true });
        continue;
      }
      if (!file.endsWith('.json')) continue;
      try {
        const saved = JSON.parse(readFileSync(full, 'utf8')) as { name?: unknown; events?: unknown };
        if (typeof saved.name === 'string' && Array.isArray(saved.events)) this.histories.set(saved.name, saved.events as HistoryEvent[]);
      } catch {
        // Not written by this store (writes are atomic): ignore it.
      }
    }
  }

  /** The events of one execution, oldest first (empty for an unknown name). */
  get(name: string): readonly HistoryEvent[] {
    return this.histories.get(name) ?? [];
  }

  /** Appends one run's events (numbered after the ones already there) and persists them. */
  append(name: string, build: (firstId: number) => HistoryEvent[]): Promise<void> {
    const events = [...this.get(name)];
    events.push(...build(events.length + 1));
    this.histories.set(name, events);
    const previous = this.writes.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(name, events))
      .catch((e: unknown) => {
        // The history is a diagnostic: a failed write must never fail the execution it describes.
        console.error(`local history: could not save the history of ${name}: ${(e as Error).message}`);
      });
    this.writes.set(name, next);
    return next;
  }

  /** Waits for every pending write. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  /** The file of one execution: a hash, so any name AWS accepts (1-80 characters of any script) fits a file name. */
  fileOf(name: string): string {
    return join(this.directory, `${createHash('sha256').update(name).digest('hex')}.json`);
  }

  private async write(name: string, events: readonly HistoryEvent[]): Promise<void> {
    const file = this.fileOf(name);
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    await writeFile(tmp, JSON.stringify({ name, events }));
    await rename(tmp, file);
  }
}
