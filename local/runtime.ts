/**
 * The local runtime: local S3 (our S3-compatible server in a supervised child process), the handler bundles in worker
 * threads, the order workflow on aws-local-stepfunctions behind a Step Functions JSON
 * endpoint, and the API Gateway adapter — all on loopback, all state under `dataDir`.
 * `startLocalRuntime` is what `npm start` and the end-to-end tests call.
 */
import './polyfills';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { stateMachineArn as stateMachineArnOf } from '../spec/arns';
import {
  DEFAULT_PAYMENT_APPROVAL_LIMIT,
  FUNCTIONS,
  HANDLER_NAMES,
  type HandlerName,
  functionEnvironment,
  functionName,
} from '../spec/functions';
import { startApiGateway } from './api-gateway';
import { startConsoleServer } from './console/console-server';
import { ensureBundles } from './bundles';
import { DataDirIoError } from './data-dir-errors';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { ExecutionHistoryStore, type HistoryEvent } from './execution-history';
import { ExecutionStore, type ExecutionFileSystem, type ExecutionRecord } from './execution-store';
import { FaultInjector, type FaultSpec } from './faults';
import { InvocationLog } from './invocation-log';
import { LocalLambdaFunction } from './lambda-host';
import { LocalS3Server } from './s3-server';
import { S3Supervisor } from './s3-supervisor';
import { startSfnEndpoint } from './sfn-endpoint';
import { LocalStepFunctions, type ExecutionFinishedEvent } from './step-functions';
import { type HandlerWatcher, watchHandlers } from './watch';
import { WorkflowRunner, type WorkflowRunnerOptions } from './workflow-runner';
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
  /** Factor on every Retrier's IntervalSeconds and MaxDelaySeconds (BackoffRate, MaxAttempts, jitter kept). @default 0.01 */
  readonly retryScale?: number;
  /** Lambda function timeout of every function, ms. @default - each function's deployed timeout (spec/functions.ts) */
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
  /** Where one-line warnings go (a log file or execution record that cannot be written). @default - stderr unless quiet */
  readonly onWarning?: (message: string) => void;
  /** API requests served at once over all connections; more get 503 with Retry-After. @default 64 */
  readonly maxInFlight?: number;
  /** API requests of one connection (pipelining) served at once; more get 503. @default 4 */
  readonly maxInFlightPerConnection?: number;
  /** File operations of the execution store; fault tests inject I/O errors here. @default node:fs/promises */
  readonly fileSystem?: Partial<ExecutionFileSystem>;
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
  /**
   * The local S3 server, stoppable and restartable (same port, same data). Supervised: a
   * process that dies unasked is restarted (`restarts` counts them); `pid` is its process.
   */
  readonly s3: {
    stop(): Promise<void>;
    start(): Promise<void>;
    readonly running: boolean;
    readonly pid: number | undefined;
    readonly restarts: number;
  };
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

/** Stands in for the orders key: the local S3 server does not encrypt, the variable is there because the stack sets it. */
export const LOCAL_KMS_KEY_ID = `arn:aws:kms:us-east-1:${LOCAL_ACCOUNT_ID}:alias/${LOCAL_NAME_PREFIX}-app`;

/**
 * Variables a local function has that the stack does not set: the ones Lambda itself sets in
 * every function (region, name, version, memory) and the local endpoints, credentials and
 * switches that stand in for AWS.
 */
export const LOCAL_RUNTIME_VARIABLES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_S3_FORCE_PATH_STYLE',
  'AWS_EC2_METADATA_DISABLED',
  'POWERTOOLS_DEV',
  'TZ',
  'ORDERS_LOCAL_HANDLER',
] as const;

/** How a local function is run: the stack's environment and memory (spec/functions.ts) plus the local stand-ins for AWS. */
export interface LocalFunctionConfig {
  readonly functionName: string;
  readonly environment: Record<string, string>;
  readonly memorySizeMb: number;
  readonly timeoutMs: number;
}

/** The local configuration of one function (only these variables, like a Lambda). */
export function localFunctionConfig(
  handler: HandlerName,
  o: {
    region: string;
    s3: string;
    sfn: string;
    bucket: string;
    stateMachineArn: string;
    timeoutMs?: number;
    extra?: Readonly<Record<string, string>>;
  },
): LocalFunctionConfig {
  const name = functionName(LOCAL_NAME_PREFIX, handler);
  const { memoryMb, timeoutSeconds } = FUNCTIONS[handler];
  const environment = {
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    // Any credentials work locally (signatures are not verified); these name what they are.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_S3: o.s3,
    AWS_ENDPOINT_URL_SFN: o.sfn,
    // The switch handlers/shared/s3-client.ts reads (the SDK already uses path style for an IP endpoint).
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    POWERTOOLS_DEV: 'false',
    TZ: 'UTC',
    ORDERS_LOCAL_HANDLER: handler,
    // What the stack gives this function, with local values.
    ...functionEnvironment(handler, {
      namePrefix: LOCAL_NAME_PREFIX,
      stateMachineArn: o.stateMachineArn,
      ordersBucketName: o.bucket,
      ordersKmsKeyId: LOCAL_KMS_KEY_ID,
      paymentApprovalLimit: DEFAULT_PAYMENT_APPROVAL_LIMIT,
    }),
    ...o.extra,
  };
  return { functionName: name, environment, memorySizeMb: memoryMb, timeoutMs: o.timeoutMs ?? timeoutSeconds * 1000 };
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
  for (const name of ['functionTimeoutMs', 'maxInFlight', 'maxInFlightPerConnection'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) problems.push(`${name} is ${value}; use a whole number > 0`);
  }
  if (problems.length > 0) throw new Error(`Invalid local runtime options: ${problems.join('; ')}`);
}

/** Everything startLocalRuntime derives from its options before starting anything. */
interface RuntimeSettings {
  readonly options: LocalRuntimeOptions;
  readonly host: string;
  readonly region: string;
  readonly dataDir: string;
  readonly bucketName: string;
  readonly stateMachineArn: string;
  /** Overrides every function's timeout (tests); each function's own from the spec otherwise. */
  readonly functionTimeoutMs: number | undefined;
  readonly warn: (message: string) => void;
}

function resolveSettings(options: LocalRuntimeOptions): RuntimeSettings {
  const region = options.region ?? 'us-east-1';
  return {
    options,
    host: options.host ?? '127.0.0.1',
    region,
    dataDir: resolve(options.dataDir),
    bucketName: `${LOCAL_NAME_PREFIX}-orders`,
    stateMachineArn: stateMachineArnOf({
      partition: 'aws',
      region,
      accountId: LOCAL_ACCOUNT_ID,
      stateMachineName: `${LOCAL_NAME_PREFIX}-order-workflow`,
    }),
    functionTimeoutMs: options.functionTimeoutMs,
    warn: options.onWarning ?? (options.quiet ? () => undefined : (message) => console.error(message)),
  };
}

/** What has been started so far, stopped in reverse order by stopAll (also after a failed start). */
class StartedParts {
  readonly functions = new Map<HandlerName, LocalLambdaFunction>();
  readonly servers: LocalHttpServer[] = [];
  service: LocalStepFunctions | undefined;
  watcher: HandlerWatcher | undefined;
  s3: LocalS3Server | undefined;
  s3Supervisor: S3Supervisor | undefined;
  lock: DataDirLock | undefined;

  async stopAll(): Promise<void> {
    if (this.watcher) await this.watcher.close();
    if (this.service) await this.service.stop();
    await Promise.allSettled(this.servers.map((s) => s.close()));
    await Promise.allSettled([...this.functions.values()].map((f) => f.close()));
    await (this.s3Supervisor ? this.s3Supervisor.stop() : this.s3?.stop());
    this.lock?.release();
  }
}

/** One LocalLambdaFunction per handler bundle, each with its own environment and log file. */
function createFunctions(
  settings: RuntimeSettings,
  parts: StartedParts,
  bundlesDir: string,
  s3Endpoint: string,
  sfnEndpoint: string,
): void {
  const { region, functionTimeoutMs, dataDir } = settings;
  for (const handler of HANDLER_NAMES) {
    // Name, environment, memory and timeout as the stack gives the function (spec/functions.ts).
    const config = localFunctionConfig(handler, {
      region,
      s3: s3Endpoint,
      sfn: sfnEndpoint,
      bucket: settings.bucketName,
      stateMachineArn: settings.stateMachineArn,
      timeoutMs: functionTimeoutMs,
      extra: settings.options.environment ?? {},
    });
    parts.functions.set(
      handler,
      new LocalLambdaFunction({
        ...config,
        file: join(bundlesDir, handler, 'index.js'),
        logFile: join(dataDir, 'logs', `${handler}.log`),
        region,
        accountId: LOCAL_ACCOUNT_ID,
        onLogError: (error) =>
          settings.warn(`${DataDirIoError.from(error, `write the ${handler} function log`).message}; its output is dropped`),
      }),
    );
  }
}

/** Creates the data dir and takes its lock: nothing in it is read before this. */
function claimDataDir(dataDir: string): DataDirLock {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw DataDirIoError.from(error, `create the data dir ${dataDir}`);
  }
  return acquireDataDirLock(dataDir);
}

interface Workflow {
  readonly store: ExecutionStore;
  readonly history: ExecutionHistoryStore;
  readonly service: LocalStepFunctions;
  readonly invocations: InvocationLog;
  readonly faults: FaultInjector;
  readonly runnerOptions: WorkflowRunnerOptions;
}

function createWorkflow(settings: RuntimeSettings, parts: StartedParts): Workflow {
  const { options, region, dataDir } = settings;
  const functionArn = (handler: HandlerName) =>
    `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName(LOCAL_NAME_PREFIX, handler)}`;
  const invocations = new InvocationLog();
  const faults = new FaultInjector(options.faults ?? []);
  let store: ExecutionStore;
  let history: ExecutionHistoryStore;
  try {
    store = new ExecutionStore(join(dataDir, 'executions'), { fileSystem: options.fileSystem, onUnreadable: settings.warn });
    history = new ExecutionHistoryStore(join(dataDir, 'history'));
  } catch (error) {
    throw DataDirIoError.from(error, `open the executions folder in ${dataDir}`);
  }
  const runnerOptions: WorkflowRunnerOptions = {
    functionArn,
    functions: parts.functions,
    faults,
    invocations,
    retryIntervalMs: options.retryIntervalMs,
    retryScale: options.retryScale,
    history,
    region,
  };
  const service = new LocalStepFunctions(store, new WorkflowRunner(runnerOptions), settings.stateMachineArn, (error, started) =>
    settings.warn(`${error.message}; ${started ? 'the execution resumes at the next start' : 'the order was not started (answered 503)'}`),
  );
  parts.service = service;
  return { store, history, service, invocations, faults, runnerOptions };
}

/** The API adapter, the console and (with `watch`) the bundle watcher, once the workflow can run. */
async function startFrontends(
  settings: RuntimeSettings,
  parts: StartedParts,
  workflow: Workflow,
): Promise<{ apiUrl: string; consoleUrl: string }> {
  const { options, host, dataDir } = settings;
  const apiServer = await startApiGateway({
    api: parts.functions.get('api')!,
    invocations: workflow.invocations,
    host,
    port: options.port ?? 3000,
    accountId: LOCAL_ACCOUNT_ID,
    maxInFlight: options.maxInFlight,
    maxInFlightPerConnection: options.maxInFlightPerConnection,
    // While the S3 server is down (restarting), nothing is accepted that could not be stored.
    unavailable: () => parts.s3Supervisor?.unavailable()?.message,
  });
  parts.servers.push(apiServer);
  const apiUrl = `http://${host}:${apiServer.port}`;
  const consoleServer = await startConsoleServer({
    service: workflow.service,
    history: workflow.history,
    faults: workflow.faults,
    apiUrl: () => apiUrl,
    host,
    port: options.consolePort ?? 0,
  });
  parts.servers.push(consoleServer);
  if (options.watch) {
    // Bundles of an earlier --watch session are never loaded again.
    rmSync(join(dataDir, 'watch-bundles'), { recursive: true, force: true });
    const log = options.onWatchLog ?? ((line: string) => options.quiet || console.log(line));
    parts.watcher = await watchHandlers({
      functions: parts.functions,
      outDir: join(dataDir, 'watch-bundles'),
      log,
      projectRoot: options.watchProjectRoot,
    });
  }
  return { apiUrl, consoleUrl: `http://${host}:${consoleServer.port}/` };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  validateRuntimeOptions(options);
  const settings = resolveSettings(options);
  const { host, dataDir } = settings;
  const parts = new StartedParts();
  parts.lock = claimDataDir(dataDir);
  try {
    const bundlesDir = options.bundlesDir ? resolve(options.bundlesDir) : await ensureBundles();
    // The S3 port is fixed before the S3 server starts so the functions (whose environment names it)
    // can load their bundles while it boots: the two slowest start steps overlap.
    const s3Port = options.s3Port || (await freePort(host));
    const s3 = new LocalS3Server({ directory: join(dataDir, 's3'), buckets: [settings.bucketName], port: s3Port, host });
    parts.s3 = s3;
    parts.s3Supervisor = new S3Supervisor(s3);
    const s3Started = s3.start();
    // Never leave the start promise unobserved: a failure is rethrown by the await below.
    s3Started.catch(() => undefined);
    const workflow = createWorkflow(settings, parts);
    const sfnServer = await startSfnEndpoint(workflow.service, host, options.sfnPort ?? 0, {
      service: workflow.service,
      history: workflow.history,
      createdAt: new Date().toISOString(),
    });
    parts.servers.push(sfnServer);
    const sfnEndpoint = `http://${host}:${sfnServer.port}`;
    createFunctions(settings, parts, bundlesDir, s3.endpoint, sfnEndpoint);
    // Load every bundle now (in parallel) so the first order does not pay five cold starts.
    await Promise.all([s3Started, ...[...parts.functions.values()].map((f) => f.warm())]);
    // Ports first: a start that fails (a port in use) must not have resumed, and so re-run,
    // any unfinished execution.
    const urls = await startFrontends(settings, parts, workflow);
    const resumed = await workflow.service.resumeUnfinished();
    return runtimeHandle(settings, parts, workflow, { ...urls, sfnEndpoint, bundlesDir, resumed });
  } catch (e) {
    await parts.stopAll();
    throw e;
  }
}

function runtimeHandle(
  settings: RuntimeSettings,
  parts: StartedParts,
  workflow: Workflow,
  started: { apiUrl: string; consoleUrl: string; sfnEndpoint: string; bundlesDir: string; resumed: ExecutionRecord[] },
): LocalRuntime {
  const s3 = parts.s3!;
  const supervisor = parts.s3Supervisor!;
  const { store, history, service, runnerOptions } = workflow;
  let stopping: Promise<void> | undefined;
  return {
    ...started,
    s3Endpoint: s3.endpoint,
    bucketName: settings.bucketName,
    stateMachineArn: settings.stateMachineArn,
    dataDir: settings.dataDir,
    invocations: workflow.invocations,
    faults: workflow.faults,
    s3: {
      stop: () => s3.stop(),
      start: () => s3.start(),
      get running() {
        return s3.running;
      },
      get pid() {
        return s3.pid;
      },
      get restarts() {
        return supervisor.restarts;
      },
    },
    execution: (name) => store.get(name),
    history: (name) => history.get(name),
    executions: () => store.list(),
    runningExecutions: () => service.runningNames(),
    setRetryIntervalMs: (ms) => {
      validateRuntimeOptions({ dataDir: settings.dataDir, retryIntervalMs: ms });
      runnerOptions.retryIntervalMs = ms;
    },
    waitForIdle: (timeoutMs) => service.waitForIdle(timeoutMs),
    waitForExecution: (name, timeoutMs = 30000) => waitForExecution(store, name, timeoutMs),
    onExecutionFinished: (listener) => service.onExecutionFinished(listener),
    stop: () => (stopping ??= parts.stopAll()),
  };
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
