/**
 * The local runtime: local S3 (s3rver child process), the handler bundles in worker
 * threads, the order workflow on aws-local-stepfunctions behind a Step Functions JSON
 * endpoint, and the API Gateway adapter — all on loopback, all state under `dataDir`.
 * `startLocalRuntime` is what `npm start` and the end-to-end tests call.
 */
import './polyfills';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { HANDLER_NAMES, type HandlerName } from '../packaging/handlers';
import { startApiGateway } from './api-gateway';
import { startConsoleServer } from './console/console-server';
import { ensureBundles } from './bundles';
import { ExecutionHistoryStore, type HistoryEvent } from './execution-history';
import { ExecutionStore, type ExecutionRecord } from './execution-store';
import { FaultInjector, type FaultSpec } from './faults';
import { InvocationLog } from './invocation-log';
import { LocalLambdaFunction } from './lambda-host';
import { LocalS3Server } from './s3-server';
import { startSfnEndpoint } from './sfn-endpoint';
import { LocalStepFunctions, type ExecutionFinishedEvent } from './step-functions';
import { type HandlerWatcher, watchHandlers } from './watch';
import { WorkflowRunner } from './workflow-runner';
import type { LocalHttpServer } from './http-util';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_NAME_PREFIX = 'orders-local';

export interface LocalRuntimeOptions {
  /** Folder holding all state: `s3/`, `executions/`, `logs/`. */
  readonly dataDir: string;
  /** API port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** Loopback address every server binds to. @default '127.0.0.1' */
  readonly host?: '127.0.0.1';
  /** S3 port; 0 picks a free one (kept across s3.stop()/start()). @default 0 */
  readonly s3Port?: number;
  /** Step Functions endpoint port; 0 picks a free one. @default 0 */
  readonly sfnPort?: number;
  /** Faults injected into Task states. @default [] */
  readonly faults?: readonly FaultSpec[];
  /** Folder with `<handler>/index.js`. @default - bundles built (and cached) from handlers/ */
  readonly bundlesDir?: string;
  /** A fixed wait before each retry, ms, instead of the definition's scaled backoff (for tests that need one exact window). @default - the definition's backoff × retryScale */
  readonly retryIntervalMs?: number;
  /** Factor on every Retrier's IntervalSeconds and MaxDelaySeconds (BackoffRate, MaxAttempts, jitter kept). @default 0.05 */
  readonly retryScale?: number;
  /** Lambda function timeout, ms. @default 10000 (the deployed default) */
  readonly functionTimeoutMs?: number;
  /** Region in ARNs and for the SDK. @default 'us-east-1' */
  readonly region?: string;
  /** Extra environment for every function (e.g. INVENTORY_CATALOGUE, PAYMENT_APPROVAL_LIMIT). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Print nothing (the CLI prints; tests do not). @default false */
  readonly quiet?: boolean;
  /** Port of the local console; 0 picks a free one. @default 0 */
  readonly consolePort?: number;
  /** Rebuild a handler's bundle when its sources change and swap it in for new invocations. @default false */
  readonly watch?: boolean;
  /** Called with each line the watcher prints (rebuilt bundles and their sizes). @default - console.log unless quiet */
  readonly onWatchLog?: (line: string) => void;
  /** The checkout `watch` rebuilds from (tests watch a copy). @default - this checkout */
  readonly watchProjectRoot?: string;
}

export interface LocalRuntime {
  /** `http://127.0.0.1:<port>` — the API root; routes are `/orders` and `/orders/{orderId}`. */
  readonly apiUrl: string;
  /** The local console: executions, the workflow graph with each execution's path, faults. */
  readonly consoleUrl: string;
  readonly s3Endpoint: string;
  readonly sfnEndpoint: string;
  readonly bucketName: string;
  readonly stateMachineArn: string;
  readonly dataDir: string;
  readonly bundlesDir: string;
  /** Every function invocation (task state, attempt, outcome). */
  readonly invocations: InvocationLog;
  /** The active faults; `set()` replaces them on the running runtime. */
  readonly faults: FaultInjector;
  /** The local S3 server, stoppable and restartable (same port, same data). */
  readonly s3: { stop(): Promise<void>; start(): Promise<void>; readonly running: boolean };
  /** Executions of a previous process that had not stored their order (left RUNNING, or FAILED before storing) and were re-run at this start. */
  readonly resumed: readonly ExecutionRecord[];
  /** Execution records, by name (the order id). */
  execution(name: string): ExecutionRecord | undefined;
  /** The history events of one execution (GetExecutionHistory's events, timestamps in ms). */
  history(name: string): readonly HistoryEvent[];
  executions(): ExecutionRecord[];
  /** Names of executions running now. */
  runningExecutions(): string[];
  /** Changes the retry wait for executions started from now on (e.g. longer to ride out an S3 outage). */
  setRetryIntervalMs(ms: number): void;
  /** Resolves when no execution is running; rejects after timeoutMs. */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Resolves with the record once the named execution has ended; rejects after timeoutMs. */
  waitForExecution(name: string, timeoutMs?: number): Promise<ExecutionRecord>;
  /** Called for every execution that ends (not for ones stopped by stop()). */
  onExecutionFinished(listener: (event: ExecutionFinishedEvent) => void): () => void;
  /** Stops everything; RUNNING executions stay RUNNING on disk and resume at the next start. */
  stop(): Promise<void>;
}

/** The environment every function gets: only these variables, like a Lambda. */
function functionEnvironment(
  handler: HandlerName,
  o: {
    region: string;
    s3: string;
    sfn: string;
    bucket: string;
    stateMachineArn: string;
    functionName: string;
    timeoutMs: number;
    extra: Readonly<Record<string, string>>;
  },
): Record<string, string> {
  return {
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    // s3rver's default credentials; nothing else accepts them.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: o.s3,
    AWS_ENDPOINT_URL_SFN: o.sfn,
    // The switch handlers/shared/s3-client.ts reads (the SDK already uses path style for an IP endpoint).
    AWS_S3_FORCE_PATH_STYLE: 'true',
    // s3rver does not understand the SDK's default flexible checksums: stream uploads are corrupted without these.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_EC2_METADATA_DISABLED: 'true',
    ORDERS_BUCKET: o.bucket,
    STATE_MACHINE_ARN: o.stateMachineArn,
    POWERTOOLS_SERVICE_NAME: 'orders',
    POWERTOOLS_METRICS_NAMESPACE: 'OrderInfra/local',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_DEV: 'false',
    TZ: 'UTC',
    ORDERS_LOCAL_HANDLER: handler,
    ...o.extra,
  };
}

/** Checks every option first and reports all problems in one error (setting, value, fix). */
export function validateRuntimeOptions(options: LocalRuntimeOptions): void {
  const problems: string[] = [];
  const port = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 65535))
      problems.push(`${name} is ${value}; use an integer from 0 (any free port) to 65535`);
  };
  if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '')
    problems.push(`dataDir is ${JSON.stringify(options.dataDir)}; give the folder that holds the local state, e.g. ".local"`);
  port('port', options.port);
  port('s3Port', options.s3Port);
  port('sfnPort', options.sfnPort);
  port('consolePort', options.consolePort);
  if (options.host !== undefined && options.host !== '127.0.0.1')
    problems.push(`host is ${JSON.stringify(options.host)}; the local runtime listens on loopback only ("127.0.0.1")`);
  if (options.retryIntervalMs !== undefined && !(Number.isInteger(options.retryIntervalMs) && options.retryIntervalMs >= 0))
    problems.push(`retryIntervalMs is ${options.retryIntervalMs}; use a whole number of milliseconds >= 0`);
  if (options.retryScale !== undefined && !(Number.isFinite(options.retryScale) && options.retryScale >= 0 && options.retryScale <= 1))
    problems.push(`retryScale is ${options.retryScale}; use a number from 0 (retry at once) to 1 (the deployed waits)`);
  if (options.functionTimeoutMs !== undefined && !(Number.isInteger(options.functionTimeoutMs) && options.functionTimeoutMs > 0))
    problems.push(`functionTimeoutMs is ${options.functionTimeoutMs}; use a whole number of milliseconds > 0`);
  if (problems.length > 0) throw new Error(`Invalid local runtime options: ${problems.join('; ')}`);
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  validateRuntimeOptions(options);
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const retryIntervalMs = options.retryIntervalMs;
  const functionTimeoutMs = options.functionTimeoutMs ?? 10000;
  const dataDir = resolve(options.dataDir);
  const bucketName = `${LOCAL_NAME_PREFIX}-orders`;
  const stateMachineArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${LOCAL_NAME_PREFIX}-order-workflow`;
  const functionName = (handler: HandlerName) => `${LOCAL_NAME_PREFIX}-${handler}`;
  const functionArn = (handler: HandlerName) => `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName(handler)}`;
  mkdirSync(dataDir, { recursive: true });

  const bundlesDir = options.bundlesDir ? resolve(options.bundlesDir) : await ensureBundles();
  // The S3 port is fixed before s3rver starts so the functions (whose environment names it)
  // can load their bundles while s3rver boots: the two slowest start steps overlap.
  const s3Port = options.s3Port || (await freePort(host));
  const s3 = new LocalS3Server({ directory: join(dataDir, 's3'), buckets: [bucketName], port: s3Port, host });
  const functions = new Map<HandlerName, LocalLambdaFunction>();
  const servers: LocalHttpServer[] = [];
  let service: LocalStepFunctions | undefined;
  let watcher: HandlerWatcher | undefined;
  const stopAll = async () => {
    if (watcher) await watcher.close();
    if (service) await service.stop();
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled([...functions.values()].map((f) => f.close()));
    await s3.stop();
  };
  try {
    const s3Started = s3.start();
    // Never leave the start promise unobserved: a failure is rethrown by the await below.
    s3Started.catch(() => undefined);
    const invocations = new InvocationLog();
    const faults = new FaultInjector(options.faults ?? []);
    const store = new ExecutionStore(join(dataDir, 'executions'));
    const history = new ExecutionHistoryStore(join(dataDir, 'history'));
    const runnerOptions = { functionArn, functions, faults, invocations, retryIntervalMs, retryScale: options.retryScale, history, region };
    const runner = new WorkflowRunner(runnerOptions);
    service = new LocalStepFunctions(store, runner, stateMachineArn);
    const sfnServer = await startSfnEndpoint(service, host, options.sfnPort ?? 0, {
      service,
      history,
      createdAt: new Date().toISOString(),
    });
    servers.push(sfnServer);
    const sfnEndpoint = `http://${host}:${sfnServer.port}`;
    for (const handler of HANDLER_NAMES) {
      functions.set(
        handler,
        new LocalLambdaFunction({
          functionName: functionName(handler),
          file: join(bundlesDir, handler, 'index.js'),
          environment: functionEnvironment(handler, {
            region,
            s3: s3.endpoint,
            sfn: sfnEndpoint,
            bucket: bucketName,
            stateMachineArn,
            functionName: functionName(handler),
            timeoutMs: functionTimeoutMs,
            extra: options.environment ?? {},
          }),
          timeoutMs: functionTimeoutMs,
          memorySizeMb: 256,
          logFile: join(dataDir, 'logs', `${handler}.log`),
          region,
          accountId: LOCAL_ACCOUNT_ID,
        }),
      );
    }
    // Load every bundle now (in parallel) so the first order does not pay five cold starts.
    await Promise.all([s3Started, ...[...functions.values()].map((f) => f.warm())]);
    const resumed = await service.resumeUnfinished();
    const apiServer = await startApiGateway({
      api: functions.get('api')!,
      invocations,
      host,
      port: options.port ?? 3000,
      accountId: LOCAL_ACCOUNT_ID,
    });
    servers.push(apiServer);
    const apiUrl = `http://${host}:${apiServer.port}`;
    const consoleServer = await startConsoleServer({
      service,
      history,
      faults,
      apiUrl: () => apiUrl,
      host,
      port: options.consolePort ?? 0,
    });
    servers.push(consoleServer);
    if (options.watch) {
      // Bundles of an earlier --watch session are never loaded again.
      rmSync(join(dataDir, 'watch-bundles'), { recursive: true, force: true });
      const log = options.onWatchLog ?? ((line: string) => options.quiet || console.log(line));
      watcher = await watchHandlers({ functions, outDir: join(dataDir, 'watch-bundles'), log, projectRoot: options.watchProjectRoot });
    }
    const svc = service;
    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      consoleUrl: `http://${host}:${consoleServer.port}/`,
      s3Endpoint: s3.endpoint,
      sfnEndpoint,
      bucketName,
      stateMachineArn,
      dataDir,
      bundlesDir,
      invocations,
      faults,
      s3: {
        stop: () => s3.stop(),
        start: () => s3.start(),
        get running() {
          return s3.running;
        },
      },
      resumed,
      execution: (name) => store.get(name),
      history: (name) => history.get(name),
      executions: () => store.list(),
      runningExecutions: () => svc.runningNames(),
      setRetryIntervalMs: (ms) => {
        validateRuntimeOptions({ dataDir, retryIntervalMs: ms });
        runnerOptions.retryIntervalMs = ms;
      },
      waitForIdle: (timeoutMs) => svc.waitForIdle(timeoutMs),
      waitForExecution: (name, timeoutMs = 30000) => waitForExecution(store, name, timeoutMs),
      onExecutionFinished: (listener) => svc.onExecutionFinished(listener),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** A port free on host right now (the OS picks it). */
function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForExecution(store: ExecutionStore, name: string, timeoutMs: number): Promise<ExecutionRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = store.get(name);
    if (record && record.status !== 'RUNNING') return record;
    if (Date.now() > deadline) throw new Error(`Execution ${name} is ${record ? record.status : 'unknown'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
