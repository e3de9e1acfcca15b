/**
 * The local Step Functions service: StartExecution with the real service's name
 * idempotency, DescribeExecution, executions persisted by the ExecutionStore and run
 * by the WorkflowRunner, RUNNING executions of a previous process resumed at start.
 */
import { EventEmitter } from 'node:events';
import { executionArnOf } from '../spec/arns';
import { DataDirIoError } from './data-dir-errors';
import type { ExecutionRecord, ExecutionStore } from './execution-store';
import type { RunKind } from './execution-history';
import { checkArn } from './sfn-arns';
import { SfnServiceError } from './sfn-service-error';
import type { RedrivePoint, RunningWorkflow, WorkflowRunner } from './workflow-runner';

export { SfnServiceError } from './sfn-service-error';

/** Step Functions' execution-name rule: 1-80 characters, none of whitespace, brackets, wildcards or these specials. */
const INVALID_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;
/** Maximum execution input, bytes (the service's 256 KiB payload quota). */
const MAX_INPUT_BYTES = 256 * 1024;
/** Re-drives of one FAILED execution across restarts (AWS allows 1,000; a few ride out any local outage). */
export const MAX_LOCAL_REDRIVES = 5;

function isRedrivable(record: ExecutionRecord): boolean {
  return record.status === 'FAILED' && record.redriveFrom !== undefined && (record.redriveCount ?? 0) < MAX_LOCAL_REDRIVES;
}

export interface ExecutionFinishedEvent {
  readonly record: ExecutionRecord;
  readonly durationMs: number;
}

export class LocalStepFunctions {
  private readonly running = new Map<string, { workflow: RunningWorkflow; done: Promise<void> }>();
  /** StartExecutions whose record is being written: an identical repeat waits for the same outcome. */
  private readonly starting = new Map<string, { input: string; started: Promise<{ executionArn: string; startDate: string }> }>();
  /** Executions a StopExecution call aborted: they end ABORTED (not left RUNNING as at shutdown). */
  private readonly stopRequests = new Map<string, { error?: string; cause?: string }>();
  private readonly events = new EventEmitter();
  private stopped = false;

  constructor(
    private readonly store: ExecutionStore,
    readonly runner: WorkflowRunner,
    readonly stateMachineArn: string,
    /** Told about every record write that failed: `started` false for a refused StartExecution (answered 503), true once running (the run goes on in memory). */
    private readonly onWriteError: (error: DataDirIoError, started: boolean) => void = () => undefined,
  ) {}

  /** Every execution record (ListExecutions, the console). */
  listExecutions(): ExecutionRecord[] {
    return this.store.list();
  }

  /**
   * StopExecution: aborts a running execution, which then ends ABORTED with the given error and
   * cause. Like AWS, stopping an execution that has already ended changes nothing.
   */
  async stopExecution(executionArn: unknown, error?: string, cause?: string): Promise<{ stopDate: string }> {
    const record = this.describeExecution(executionArn);
    const entry = this.running.get(record.name);
    if (record.status !== 'RUNNING' || !entry) return { stopDate: record.stopDate ?? new Date().toISOString() };
    this.stopRequests.set(record.name, { error, cause });
    entry.workflow.abort();
    await entry.done;
    return { stopDate: this.store.get(record.name)?.stopDate ?? new Date().toISOString() };
  }

  /** Listens for executions reaching a terminal status (not for aborts at shutdown). */
  onExecutionFinished(listener: (event: ExecutionFinishedEvent) => void): () => void {
    this.events.on('finished', listener);
    return () => this.events.off('finished', listener);
  }

  executionArn(name: string): string {
    const arn = executionArnOf(this.stateMachineArn, name);
    if (arn === undefined) throw new Error(`not a state machine ARN: ${this.stateMachineArn}`);
    return arn;
  }

  /** The checked name, input and parsed input of a StartExecution request; throws the service's error otherwise. */
  private checkStartRequest(request: { stateMachineArn?: unknown; name?: unknown; input?: unknown }): {
    name: string;
    input: string;
    parsed: unknown;
  } {
    if (this.stopped) throw new SfnServiceError('ServiceUnavailable', 'The local runtime is stopping', 503);
    checkArn('stateMachineArn', request.stateMachineArn, 'stateMachine');
    if (request.stateMachineArn !== this.stateMachineArn)
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(request.stateMachineArn)}'`);
    const name = request.name === undefined ? crypto.randomUUID() : request.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 80 || INVALID_NAME_CHARS.test(name))
      throw new SfnServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
    const input = request.input === undefined ? '{}' : request.input;
    if (typeof input !== 'string' || Buffer.byteLength(input) > MAX_INPUT_BYTES)
      throw new SfnServiceError('InvalidExecutionInput', 'Invalid execution input: must be a JSON string of at most 262144 bytes');
    try {
      return { name, input, parsed: JSON.parse(input) };
    } catch {
      throw new SfnServiceError('InvalidExecutionInput', 'Invalid execution input: not valid JSON');
    }
  }

  /** StartExecution: returns the new (or, for an identical repeat while RUNNING, the same) execution. */
  startExecution(request: {
    stateMachineArn?: unknown;
    name?: unknown;
    input?: unknown;
  }): Promise<{ executionArn: string; startDate: string }> {
    let checked: ReturnType<LocalStepFunctions['checkStartRequest']>;
    try {
      checked = this.checkStartRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const { name, input, parsed } = checked;
    // Check-and-set happens synchronously, so two concurrent identical starts get one execution.
    const pending = this.starting.get(name);
    if (pending?.input === input) return pending.started;
    const existing = this.store.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return Promise.resolve({ executionArn: existing.executionArn, startDate: existing.startDate });
      }
      return Promise.reject(new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`));
    }
    const record: ExecutionRecord = {
      executionArn: this.executionArn(name),
      stateMachineArn: this.stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      runs: 1,
    };
    return this.persistStart(record, parsed);
  }

  /**
   * Persists a new execution before answering (an accepted execution survives a crash right
   * after), then runs it. A record that cannot be written is forgotten and the caller gets a
   * 503: not started, safe to retry.
   */
  private persistStart(record: ExecutionRecord, parsed: unknown): Promise<{ executionArn: string; startDate: string }> {
    const { name, input } = record;
    const started = this.store.put(record).then(
      () => {
        this.launch(record, parsed);
        return { executionArn: record.executionArn, startDate: record.startDate };
      },
      (error: unknown) => {
        this.store.discard(record);
        const io = DataDirIoError.from(error, `write the record of execution ${JSON.stringify(name.slice(0, 80))}`);
        this.onWriteError(io, false);
        throw new SfnServiceError('ServiceUnavailable', `Execution not started: ${io.message}`, 503);
      },
    );
    this.starting.set(name, { input, started });
    const done = () => this.starting.delete(name);
    started.then(done, done);
    return started;
  }

  /** DescribeExecution. */
  describeExecution(executionArn: unknown): ExecutionRecord {
    checkArn('executionArn', executionArn, 'execution');
    // The name is the ARN's last part: a map lookup, not a scan (the bench stores 10,000 executions).
    const prefix = this.executionArn('');
    const name = typeof executionArn === 'string' && executionArn.startsWith(prefix) ? executionArn.slice(prefix.length) : undefined;
    const record = name === undefined ? undefined : this.store.get(name);
    if (!record || record.executionArn !== executionArn)
      throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(executionArn)}'`);
    return record;
  }

  /**
   * Runs again every execution of a previous process that has not stored its order:
   * - left RUNNING (the process stopped): from the start (or from its re-drive point), which
   *   is safe because every step is idempotent (charge and refund ids derive from the order
   *   id; storage keys from the order id and createdAt = receivedAt);
   * - FAILED, which this definition reaches only when StoreFailedOrder failed every retry
   *   (e.g. an S3 outage longer than the storage retry window): re-driven like AWS's
   *   RedriveExecution, from the failed state with its input, so compensation already done
   *   (a refund) is not undone by charging again. At most MAX_LOCAL_REDRIVES times, so an
   *   execution that can never succeed does not run on every start.
   */
  async resumeUnfinished(): Promise<ExecutionRecord[]> {
    const unfinished = this.store.list().filter((r) => !this.running.has(r.name) && (r.status === 'RUNNING' || isRedrivable(r)));
    for (const record of unfinished) {
      const resumed: ExecutionRecord =
        record.status === 'RUNNING'
          ? { ...record, runs: record.runs + 1 }
          : {
              // What AWS's RedriveExecution does to the record: RUNNING again, stop/error cleared, count kept.
              executionArn: record.executionArn,
              stateMachineArn: record.stateMachineArn,
              name: record.name,
              input: record.input,
              status: 'RUNNING',
              startDate: record.startDate,
              runs: record.runs + 1,
              redriveCount: (record.redriveCount ?? 0) + 1,
              redriveDate: new Date().toISOString(),
              redriveFrom: record.redriveFrom,
            };
      await this.store.put(resumed);
      const runKind: RunKind =
        record.status === 'RUNNING' ? { kind: 'resume' } : { kind: 'redrive', redriveCount: resumed.redriveCount ?? 1 };
      this.launch(resumed, JSON.parse(record.input), resumed.redriveFrom, runKind);
    }
    return unfinished;
  }

  /** Names of executions running in this process. */
  runningNames(): string[] {
    return [...this.running.keys()];
  }

  /** Resolves when no execution is running (or after timeoutMs, rejecting). */
  async waitForIdle(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      if (Date.now() > deadline) throw new Error(`Executions still running after ${timeoutMs} ms: ${this.runningNames().join(', ')}`);
      await Promise.race([...[...this.running.values()].map((r) => r.done), new Promise((r) => setTimeout(r, 100))]);
    }
  }

  /** Aborts every running execution; their records stay RUNNING so the next start resumes them. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running.values()];
    for (const { workflow } of all) workflow.abort();
    await Promise.allSettled(all.map((r) => r.done));
    await this.store.flush();
  }

  private launch(record: ExecutionRecord, input: unknown, from?: RedrivePoint, runKind?: RunKind): void {
    const started = Date.now();
    const workflow = this.runner.run(
      input,
      { executionArn: record.executionArn, executionName: record.name, stateMachineArn: this.stateMachineArn, startTime: record.startDate },
      from,
      runKind,
    );
    const done = workflow.result.then(async (outcome) => {
      const stopRequest = this.stopRequests.get(record.name);
      this.stopRequests.delete(record.name);
      if (outcome.status === 'ABORTED' && !stopRequest) return;
      const stopDate = new Date().toISOString();
      if (outcome.status === 'ABORTED') {
        const aborted: ExecutionRecord = {
          ...record,
          status: 'ABORTED',
          stopDate,
          ...(stopRequest?.error !== undefined ? { error: stopRequest.error } : {}),
          ...(stopRequest?.cause !== undefined ? { cause: stopRequest.cause } : {}),
        };
        await this.store
          .put(aborted)
          .catch((error: unknown) => this.onWriteError(DataDirIoError.from(error, 'write the execution record'), true));
        this.events.emit('finished', { record: aborted, durationMs: Date.now() - started } satisfies ExecutionFinishedEvent);
        return;
      }
      const finished: ExecutionRecord =
        outcome.status === 'SUCCEEDED'
          ? { ...record, status: 'SUCCEEDED', stopDate, output: JSON.stringify(outcome.output ?? null) }
          : outcome.status === 'FAILED'
            ? {
                ...record,
                status: 'FAILED',
                stopDate,
                error: outcome.error,
                cause: outcome.cause,
                ...(outcome.redriveFrom ? { redriveFrom: outcome.redriveFrom } : {}),
              }
            : { ...record, status: 'TIMED_OUT', stopDate };
      // Written or not, the run is over: a record left RUNNING on disk is resumed at the next start (every step is idempotent).
      await this.store
        .put(finished)
        .catch((error: unknown) => this.onWriteError(DataDirIoError.from(error, 'write the execution record'), true));
      this.events.emit('finished', { record: finished, durationMs: Date.now() - started } satisfies ExecutionFinishedEvent);
    });
    const entry = {
      workflow,
      done: done
        .catch(() => undefined)
        .finally(() => {
          if (this.running.get(record.name) === entry) this.running.delete(record.name);
        }),
    };
    this.running.set(record.name, entry);
  }
}
