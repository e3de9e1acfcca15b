/**
 * Runs each handler bundle like warm Lambda execution environments: worker threads (one
 * at first, more while all are busy, up to one per CPU and at most four), each `require`s the bundle once
 * (module-scope clients are reused, as in Lambda) with its own `process.env`; invocations
 * get a Lambda-like context, errors are reported as `{ errorType, errorMessage }` the way
 * the Lambda Node.js runtime does. Unlike Lambda, one environment may run several
 * invocations at once (a local machine has few cores, not hundreds of environments).
 *
 * Worker threads rather than in-process `require`: every function gets its own
 * environment (two runtimes in one test process point at different ports) and a
 * handler that crashes takes down only its worker.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The worker's code: plain CommonJS evaluated by Node, so it runs the same under tsx and jest. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let mod, loadError;
try { mod = require(workerData.file); } catch (e) { loadError = e; }
parentPort.postMessage({ ready: true });
parentPort.on('message', async (msg) => {
  const deadline = msg.context.deadline;
  const context = Object.assign({}, msg.context, {
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {}, fail() {}, succeed() {},
  });
  try {
    if (loadError) throw Object.assign(new Error(String(loadError && loadError.message)), { name: 'Runtime.ImportModuleError' });
    if (!mod || typeof mod.handler !== 'function') throw Object.assign(new Error('index.handler is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
    const result = await mod.handler(msg.event, context);
    const json = JSON.stringify(result === undefined ? null : result);
    parentPort.postMessage({ id: msg.id, ok: true, json });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort.postMessage({ id: msg.id, ok: false, errorType: err.name || 'Error', errorMessage: String(err.message) });
  }
});
`;

/** A function error as the Lambda runtime reports it; `name` is the error type. */
export class LambdaFunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(errorMessage);
    this.name = errorType;
  }
}

export interface LambdaFunctionConfig {
  /** Function name, e.g. `orders-local-api`. */
  readonly functionName: string;
  /** Absolute path of the bundle (`index.js`). */
  readonly file: string;
  /** The function's environment (the only variables its process.env holds). */
  readonly environment: Record<string, string>;
  /** Function timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Memory size reported in the context. */
  readonly memorySizeMb: number;
  /** File the function's stdout/stderr go to (its "log group"). */
  readonly logFile: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * Execution environments (worker threads) the function may run at once; each runs any number
   * of invocations concurrently. @default DEFAULT_MAX_ENVIRONMENTS (one per CPU, at most 4)
   */
  readonly maxEnvironments?: number;
  /** Told once when the log file cannot be written (full disk, read-only dir); the function keeps running. @default - ignored */
  readonly onLogError?: (error: Error) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  environment: ExecutionEnvironment;
}

/** One worker thread: a warm execution environment of the function. */
interface ExecutionEnvironment {
  readonly worker: Worker;
  /** Resolves once the bundle is loaded (or failed to load). */
  readonly ready: Promise<void>;
  /** Invocations this environment is running. */
  readonly inFlight: Set<string>;
}

/** At most this many environments per function by default: each worker holds its own heap (~40 MB). */
export const MAX_DEFAULT_ENVIRONMENTS = 4;

/**
 * Environments a function may run at once by default: one per CPU the process may use, up to
 * MAX_DEFAULT_ENVIRONMENTS, so a busy function uses the cores (Lambda runs each concurrent
 * invocation in its own environment) without six functions × many cores of heaps.
 */
export const DEFAULT_MAX_ENVIRONMENTS = Math.min(MAX_DEFAULT_ENVIRONMENTS, Math.max(1, availableParallelism()));

/**
 * One function: warm environments (worker threads) started on demand. An invocation goes to an
 * idle environment, else to a new one while fewer than `maxEnvironments` run, else to the
 * least busy one; an environment that crashes is replaced by the next invocation that needs one.
 */
export class LocalLambdaFunction {
  private environments: ExecutionEnvironment[] = [];
  private readonly pending = new Map<string, Pending>();
  private log: WriteStream | undefined;
  /** The log file failed: output is dropped from then on (a full disk must not stop the orders). */
  private logFailed = false;
  private closed = false;
  /** The bundle new environments load: the configured one until `swapBundle` replaces it. */
  private file: string;
  private readonly maxEnvironments: number;

  constructor(readonly config: LambdaFunctionConfig) {
    this.file = config.file;
    this.maxEnvironments = config.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS;
    if (!Number.isInteger(this.maxEnvironments) || this.maxEnvironments < 1) {
      throw new RangeError(`maxEnvironments of ${config.functionName} must be a positive integer, got ${config.maxEnvironments}`);
    }
  }

  /** The bundle new invocations run. */
  get bundleFile(): string {
    return this.file;
  }

  /** Environments running now (started and not crashed, retired or closed). */
  get environmentCount(): number {
    return this.environments.length;
  }

  /**
   * Runs `file` for new invocations: a new environment loads it (its init phase, like a new
   * Lambda version) while invocations in flight finish on the old environments, which end once
   * they have (or at the function timeout).
   */
  async swapBundle(file: string): Promise<void> {
    if (this.closed) return;
    const old = this.environments;
    this.file = file;
    this.environments = [];
    await this.warm();
    for (const environment of old) {
      const retire = setInterval(() => {
        if (environment.inFlight.size === 0) {
          clearInterval(retire);
          void environment.worker.terminate();
        }
      }, 50);
      retire.unref();
      setTimeout(() => {
        clearInterval(retire);
        void environment.worker.terminate();
      }, this.config.timeoutMs + 1000).unref();
    }
  }

  /** Starts one environment and loads the bundle (the "init phase"), so the first invocation is warm. */
  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return (this.environments[0] ?? this.startEnvironment()).ready;
  }

  /** Invokes the function; resolves with its JSON result, rejects with a LambdaFunctionError. */
  invoke(event: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new LambdaFunctionError('Runtime.Stopped', 'The local runtime is stopping'));
    const environment = this.environmentFor();
    const id = randomUUID();
    const { functionName, region, accountId, timeoutMs, memorySizeMb } = this.config;
    const context = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
      memoryLimitInMB: String(memorySizeMb),
      awsRequestId: id,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/[$LATEST]${functionName}`,
      deadline: Date.now() + timeoutMs,
    };
    return new Promise((resolve, reject) => {
      // Lambda stops waiting at the function timeout; the local worker keeps running
      // the late invocation, whose result is then ignored.
      const timer = setTimeout(() => {
        this.settle(id);
        reject(new LambdaFunctionError('Sandbox.Timedout', `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, environment });
      environment.inFlight.add(id);
      environment.worker.postMessage({ id, event, context });
    });
  }

  /** Terminates every environment; pending invocations fail with `Runtime.Stopped`. */
  async close(): Promise<void> {
    this.closed = true;
    this.failPending('Runtime.Stopped', 'The local runtime is stopping');
    const environments = this.environments;
    this.environments = [];
    await Promise.all(environments.map((e) => e.worker.terminate()));
    const log = this.log;
    if (log && !this.logFailed)
      await new Promise<void>((resolve) => {
        log.once('error', () => resolve());
        log.end(() => resolve());
      });
  }

  /** An idle environment, else a new one while there is room, else the least busy. */
  private environmentFor(): ExecutionEnvironment {
    const idle = this.environments.find((e) => e.inFlight.size === 0);
    if (idle) return idle;
    if (this.environments.length < this.maxEnvironments) return this.startEnvironment();
    return this.environments.reduce((least, e) => (e.inFlight.size < least.inFlight.size ? e : least));
  }

  /** Removes an invocation from the books (answered, timed out or failed). */
  private settle(id: string): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.environment.inFlight.delete(id);
    return entry;
  }

  private startEnvironment(): ExecutionEnvironment {
    this.openLog();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file },
      env: this.config.environment,
      stdout: true,
      stderr: true,
    });
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    for (const output of [worker.stdout, worker.stderr]) {
      if (this.log && !this.logFailed) output.pipe(this.log, { end: false });
      else output.resume();
    }
    const environment: ExecutionEnvironment = { worker, ready, inFlight: new Set() };
    worker.on('message', (msg: { ready?: boolean; id: string; ok: boolean; json?: string; errorType?: string; errorMessage?: string }) => {
      if (msg.ready) return markReady();
      const entry = this.settle(msg.id);
      if (!entry) return;
      if (msg.ok) entry.resolve(JSON.parse(msg.json ?? 'null'));
      else entry.reject(new LambdaFunctionError(msg.errorType ?? 'Error', msg.errorMessage ?? ''));
    });
    const onGone = (reason: string) => {
      markReady();
      const index = this.environments.indexOf(environment);
      if (index >= 0) this.environments.splice(index, 1);
      for (const id of [...environment.inFlight]) {
        this.settle(id)?.reject(new LambdaFunctionError('Runtime.ExitError', `The function's process exited: ${reason}`));
      }
    };
    worker.on('error', (e) => onGone(e.message));
    worker.on('exit', (code) => onGone(`exit code ${code}`));
    // Idle workers must not keep `npm test` or the CLI alive on their own.
    worker.unref();
    this.environments.push(environment);
    return environment;
  }

  private openLog(): void {
    if (this.log || this.logFailed) return;
    try {
      mkdirSync(join(this.config.logFile, '..'), { recursive: true });
    } catch (error) {
      this.logBroken(error as Error);
      return;
    }
    const log = createWriteStream(this.config.logFile, { flags: 'a' });
    log.on('error', (error) => this.logBroken(error));
    this.log = log;
  }

  /** Stops writing the log file (once) and drains the worker's output so it never blocks. */
  private logBroken(error: Error): void {
    if (this.logFailed) return;
    this.logFailed = true;
    for (const { worker } of this.environments) {
      for (const output of [worker.stdout, worker.stderr]) {
        if (this.log) output.unpipe(this.log);
        output.resume();
      }
    }
    this.log?.destroy();
    this.log = undefined;
    this.config.onLogError?.(error);
  }

  private failPending(errorType: string, message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new LambdaFunctionError(errorType, message));
  }
}
