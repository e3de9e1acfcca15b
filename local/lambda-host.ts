/**
 * Runs each handler bundle like a warm Lambda execution environment: one worker thread
 * per function, the bundle `require`d once (module-scope clients are reused, as in
 * Lambda), its own `process.env`, invocations with a Lambda-like context, errors
 * reported as `{ errorType, errorMessage }` the way the Lambda Node.js runtime does.
 *
 * Worker threads rather than in-process `require`: every function gets its own
 * environment (two runtimes in one test process point at different ports) and a
 * handler that crashes takes down only its worker.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
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
  /** Told once when the log file cannot be written (full disk, read-only dir); the function keeps running. @default - ignored */
  readonly onLogError?: (error: Error) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One function: a worker started on first use and again after a crash. */
export class LocalLambdaFunction {
  private worker: (Worker & { ready: Promise<void> }) | undefined;
  private readonly pending = new Map<string, Pending>();
  private log: WriteStream | undefined;
  /** The log file failed: output is dropped from then on (a full disk must not stop the orders). */
  private logFailed = false;
  private closed = false;
  /** The bundle new workers load: the configured one until `swapBundle` replaces it. */
  private file: string;

  constructor(readonly config: LambdaFunctionConfig) {
    this.file = config.file;
  }

  /** The bundle new invocations run. */
  get bundleFile(): string {
    return this.file;
  }

  /**
   * Runs `file` for new invocations: a new worker loads it (its init phase, like a new Lambda
   * version) while invocations in flight finish on the old worker, which ends once they have
   * (or at the function timeout).
   */
  async swapBundle(file: string): Promise<void> {
    if (this.closed) return;
    const old = this.worker;
    this.file = file;
    this.worker = undefined;
    await this.warm();
    if (old) {
      const inFlight = [...this.pending.keys()];
      const retire = setInterval(() => {
        if (inFlight.every((id) => !this.pending.has(id))) {
          clearInterval(retire);
          void old.terminate();
        }
      }, 50);
      retire.unref();
      setTimeout(() => {
        clearInterval(retire);
        void old.terminate();
      }, this.config.timeoutMs + 1000).unref();
    }
  }

  /** Starts the worker and loads the bundle (the "init phase"), so the first invocation is warm. */
  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.ensureWorker().ready;
  }

  /** Invokes the function; resolves with its JSON result, rejects with a LambdaFunctionError. */
  invoke(event: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new LambdaFunctionError('Runtime.Stopped', 'The local runtime is stopping'));
    const worker = this.ensureWorker();
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
        this.pending.delete(id);
        reject(new LambdaFunctionError('Sandbox.Timedout', `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, event, context });
    });
  }

  /** Terminates the worker; pending invocations fail with `Runtime.Stopped`. */
  async close(): Promise<void> {
    this.closed = true;
    this.failPending('Runtime.Stopped', 'The local runtime is stopping');
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    const log = this.log;
    if (log && !this.logFailed)
      await new Promise<void>((resolve) => {
        log.once('error', () => resolve());
        log.end(() => resolve());
      });
  }

  private ensureWorker(): Worker & { ready: Promise<void> } {
    if (this.worker) return this.worker;
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
    worker.on('message', (msg: { ready?: boolean; id: string; ok: boolean; json?: string; errorType?: string; errorMessage?: string }) => {
      if (msg.ready) return markReady();
      const entry = this.pending.get(msg.id);
      if (!entry) return;
      this.pending.delete(msg.id);
      clearTimeout(entry.timer);
      if (msg.ok) entry.resolve(JSON.parse(msg.json ?? 'null'));
      else entry.reject(new LambdaFunctionError(msg.errorType ?? 'Error', msg.errorMessage ?? ''));
    });
    const onGone = (reason: string) => {
      markReady();
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending('Runtime.ExitError', `The function's process exited: ${reason}`);
    };
    worker.on('error', (e) => onGone(e.message));
    worker.on('exit', (code) => onGone(`exit code ${code}`));
    // Idle workers must not keep `npm test` or the CLI alive on their own.
    worker.unref();
    this.worker = Object.assign(worker, { ready });
    return this.worker;
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
    const worker = this.worker;
    if (worker) {
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
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.reject(new LambdaFunctionError(errorType, message));
    }
  }
}
