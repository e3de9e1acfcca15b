/**
 * What one order costs in requests, measured on the local runtime's parts: the api bundle takes
 * `POST /orders` (its StartExecution goes to a recording stand-in for Step Functions), the
 * workflow definition runs the execution input it started through aws-local-stepfunctions with
 * every Task invoking the real bundle, and every S3 call of every function passes a counting
 * proxy in front of a local S3 server. Counted per order: state transitions (every state
 * entered, Parallel branches included), each function's invocations, duration and log bytes,
 * S3 requests by kind, and the Step Functions log events (level ALL) in bytes.
 */
import '../../local/polyfills';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDER_COUNT_PREFIX, ORDER_INDEX_PREFIX } from '../../handlers/shared/storage-layout';
import type { HandlerName } from '../../packaging/handlers';
import { ensureBundles } from '../../local/bundles';
import { LocalLambdaFunction } from '../../local/lambda-host';
import { WORKFLOW_FUNCTION_HANDLERS } from '../../local/workflow-runner';
import {
  buildOrderWorkflowDefinition,
  TASK_STATE_FUNCTIONS,
  type OrderWorkflowFunctionArns,
} from '../../workflow/order-workflow-definition';
import { startLocalS3 } from '../../__tests__/helpers/local-s3';

const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

export interface FunctionUsage {
  invocations: number;
  /** Sum of the invocations' wall times on this machine, ms. */
  durationMs: number;
  /** Bytes the function wrote to its log. */
  logBytes: number;
}

export interface OrderUsage {
  readonly orders: number;
  /** Per order: states entered (what Standard workflows bill as state transitions). */
  readonly stateTransitions: number;
  /** Per order: wall time of one execution, ms (what Express bills as duration). */
  readonly executionMs: number;
  /** Per order: bytes of the execution's history events as JSON (what level ALL logs). */
  readonly workflowLogBytes: number;
  /** Per order, by function. */
  readonly functions: Readonly<Record<HandlerName, FunctionUsage>>;
  /** Per order: S3 requests, by billing class. */
  readonly s3: { readonly put: number; readonly get: number; readonly list: number; readonly other: number };
  /** Per order: PUTs under the index prefix (all orders share it: the per-prefix rate applies). */
  readonly s3IndexPuts: number;
  /** Per order: conditional PUTs of order-counter shards (each to the one shard the order hashes to). */
  readonly s3CounterPuts: number;
  /** Per order: Step Functions API calls the api function made. */
  readonly sfnApiCalls: number;
}

const BUCKET = 'orders-cost';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders-cost';

/** A valid order body, the README's example. */
function orderBody(i: number): string {
  return JSON.stringify({
    customerName: `Cost Customer ${i}`,
    items: [
      { name: 'Laptop', quantity: 1, price: 1299.99 },
      { name: 'Mouse', quantity: 3, price: 19.99 },
    ],
    totalAmount: 1359.96,
    currency: 'USD',
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** Runs `orders` orders end to end and returns the usage of one order (totals divided by `orders`). */
export async function measureOrders(orders = 3): Promise<OrderUsage> {
  const dir = mkdtempSync(join(tmpdir(), 'order-infra-cost-'));
  const s3 = await startLocalS3({ buckets: [BUCKET] });
  const s3Calls = { put: 0, get: 0, list: 0, other: 0 };
  let indexPuts = 0;
  let counterPuts = 0;
  const started: string[] = [];
  let sfnApiCalls = 0;

  const s3Proxy = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'PUT') {
      s3Calls.put += 1;
      // Path style: /<bucket>/<key>
      const key = decodeURIComponent(url.split('?')[0]);
      if (key.startsWith(`/${BUCKET}/${ORDER_INDEX_PREFIX}`)) indexPuts += 1;
      if (key.startsWith(`/${BUCKET}/${ORDER_COUNT_PREFIX}`)) counterPuts += 1;
    } else if (req.method === 'GET' && /[?&]list-type=2/.test(url)) s3Calls.list += 1;
    else if (req.method === 'GET' || req.method === 'HEAD') s3Calls.get += 1;
    else s3Calls.other += 1;
    const target = new URL(s3.endpoint);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  // Answers StartExecution like Step Functions (and records the input); nothing else is expected.
  const sfn = createServer(async (req, res) => {
    sfnApiCalls += 1;
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await readBody(req)) || '{}') as { name?: string; input?: string };
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    if (target.endsWith('.StartExecution')) {
      started.push(body.input ?? '{}');
      res.end(
        JSON.stringify({
          executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${body.name}`,
          startDate: Date.now() / 1000,
        }),
      );
    } else {
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'ExecutionDoesNotExist', message: 'none' }));
    }
  });
  const s3Endpoint = await listen(s3Proxy);
  const sfnEndpoint = await listen(sfn);

  const bundles = await ensureBundles();
  const functions = new Map<HandlerName, LocalLambdaFunction>();
  const usage = {} as Record<HandlerName, FunctionUsage>;
  const fn = (handler: HandlerName): LocalLambdaFunction => {
    let f = functions.get(handler);
    if (!f) {
      f = new LocalLambdaFunction({
        functionName: `orders-cost-${handler}`,
        file: join(bundles, handler, 'index.js'),
        environment: {
          ...s3.env,
          AWS_ENDPOINT_URL_S3: s3Endpoint,
          AWS_ENDPOINT_URL_SFN: sfnEndpoint,
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          ORDERS_BUCKET: BUCKET,
          STATE_MACHINE_ARN,
          POWERTOOLS_SERVICE_NAME: 'orders',
          POWERTOOLS_METRICS_NAMESPACE: 'OrderInfra/cost',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          TZ: 'UTC',
        },
        timeoutMs: 30_000,
        memorySizeMb: 256,
        logFile: join(dir, 'logs', `${handler}.log`),
        region: 'us-east-1',
        accountId: '000000000000',
      });
      functions.set(handler, f);
      usage[handler] = { invocations: 0, durationMs: 0, logBytes: 0 };
    }
    return f;
  };
  const invoke = async (handler: HandlerName, event: unknown): Promise<unknown> => {
    const t = performance.now();
    try {
      return await fn(handler).invoke(event);
    } finally {
      usage[handler].invocations += 1;
      usage[handler].durationMs += performance.now() - t;
    }
  };

  const arnOf = (handler: HandlerName) => `arn:aws:lambda:us-east-1:000000000000:function:orders-cost-${handler}`;
  const arns = Object.fromEntries(
    Object.entries(WORKFLOW_FUNCTION_HANDLERS).map(([key, handler]) => [key, arnOf(handler)]),
  ) as unknown as OrderWorkflowFunctionArns;
  const handlerByArn = new Map(Object.values(WORKFLOW_FUNCTION_HANDLERS).map((h) => [arnOf(h), h]));
  const machine = new StateMachine(buildOrderWorkflowDefinition(arns) as never, {
    validationOptions: { checkPaths: true, checkArn: true },
  });
  const taskHandler = async (taskInput: { FunctionName: string; Payload: unknown }) => ({
    Payload: await invoke(handlerByArn.get(taskInput.FunctionName)!, taskInput.Payload),
    StatusCode: 200,
    ExecutedVersion: '$LATEST',
  });
  // Every Task state, Parallel branches' included (the library looks overrides up by state name).
  const taskStates = Object.keys(TASK_STATE_FUNCTIONS);
  const finalStatuses: string[] = [];

  let transitions = 0;
  let workflowLogBytes = 0;
  let executionMs = 0;
  try {
    // Warm every function first: cold starts are a per-environment cost, not a per-order one.
    await Promise.all([...Object.values(WORKFLOW_FUNCTION_HANDLERS), 'api' as const].map((h) => fn(h).warm()));
    for (let i = 0; i < orders; i += 1) {
      const response = (await invoke('api', {
        resource: '/orders',
        path: '/orders',
        httpMethod: 'POST',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': `cost-${Date.now()}-${i}` },
        body: orderBody(i),
        isBase64Encoded: false,
        requestContext: { requestId: `cost-${i}`, identity: { sourceIp: '127.0.0.1', apiKeyId: null } },
      })) as { statusCode: number; body: string };
      if (response.statusCode !== 202) throw new Error(`POST /orders answered ${response.statusCode}: ${response.body}`);
      const input = JSON.parse(started[started.length - 1]);
      const t = performance.now();
      const execution = machine.run(input, {
        overrides: {
          taskResourceLocalHandlers: Object.fromEntries(taskStates.map((s) => [s, taskHandler])) as never,
        },
        // The storage Tasks pass $$.Execution.Name; the API names executions by orderId.
        context: { Execution: { Name: input.orderId } },
      });
      const counting = (async () => {
        for await (const event of execution.eventLogs) {
          workflowLogBytes += Buffer.byteLength(JSON.stringify(event));
          if (event.type === 'StateEntered') transitions += 1;
        }
      })();
      const output = (await execution.result) as { finalStatus?: string };
      await counting;
      finalStatuses.push(output?.finalStatus ?? 'unknown');
      executionMs += performance.now() - t;
    }
  } finally {
    for (const f of functions.values()) await f.close();
    s3Proxy.close();
    sfn.close();
    await s3.stop();
  }
  for (const handler of functions.keys()) {
    try {
      usage[handler].logBytes = statSync(join(dir, 'logs', `${handler}.log`)).size;
    } catch {
      usage[handler].logBytes = 0;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  // A measurement of failed orders would price the wrong path.
  if (finalStatuses.some((s) => s !== 'completed')) throw new Error(`orders did not complete: ${finalStatuses.join(', ')}`);
  const per = (n: number) => n / orders;
  return {
    orders,
    stateTransitions: per(transitions),
    executionMs: per(executionMs),
    workflowLogBytes: per(workflowLogBytes),
    functions: Object.fromEntries(
      Object.entries(usage).map(([h, u]) => [
        h,
        { invocations: per(u.invocations), durationMs: per(u.durationMs), logBytes: per(u.logBytes) },
      ]),
    ) as Record<HandlerName, FunctionUsage>,
    s3: { put: per(s3Calls.put), get: per(s3Calls.get), list: per(s3Calls.list), other: per(s3Calls.other) },
    s3IndexPuts: per(indexPuts),
    s3CounterPuts: per(counterPuts),
    sfnApiCalls: per(sfnApiCalls),
  };
}
