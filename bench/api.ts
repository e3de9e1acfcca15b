/**
 * API benchmark on the local runtime (`npm run bench`): throughput and p50/p99 latency of
 * POST /orders and of GET /orders?limit=10 at 100 and at 10,000 stored orders, plus the
 * S3 calls one page costs, counted on the wire; then back-pressure (bench/back-pressure.ts):
 * where 503s begin, an overload with the peak RSS, a POST burst. A benchmark, not a test: it
 * asserts only that every request succeeded, every order was stored and no 503 started one.
 *
 * Options (flags or environment): --orders=N (BENCH_ORDERS, 500), --concurrency=N
 * (BENCH_CONCURRENCY, 25), --gets=N (BENCH_GETS, 500), --stored=N (BENCH_STORED, 10000).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newOrderId } from '../handlers/shared/ids';
import { indexKey, recordKey } from '../handlers/shared/storage-layout';
import { LocalLambdaFunction } from '../local/lambda-host';
import { closeIdleConnections, postOrder, runPool, send } from '../__tests__/trust/http';
import { loadOrder } from '../__tests__/trust/load-mix';
import { startTrustRuntime, type TrustRuntime } from '../__tests__/trust/trust-runtime';
import { benchBackPressure, printBackPressure, type BackPressureReport } from './back-pressure';
import { listingFigures, reportFigures } from './figures';

function option(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = flag?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase()}`];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}=${raw} must be a positive integer (default ${fallback})`);
  return n;
}

const ORDERS = option('orders', 500);
const CONCURRENCY = option('concurrency', 25);
const GETS = option('gets', 500);
const STORED = option('stored', 10_000);
const PAGE = 10;

interface Row {
  readonly scenario: string;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  /** p50 of 50 sequential requests (GET only). */
  readonly p50Alone?: number;
  readonly s3CallsPerPage?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `count` timed requests with CONCURRENCY in flight; every one must answer `status`. */
async function measure(scenario: string, count: number, status: number, fn: (i: number) => ReturnType<typeof send>): Promise<Row> {
  const latencies: number[] = [];
  const start = performance.now();
  await runPool(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const t = performance.now();
      const res = await fn(i);
      latencies.push(performance.now() - t);
      if (res.status !== status) throw new Error(`${scenario}: request ${i} answered ${res.status}: ${res.text.slice(0, 300)}`);
    },
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { scenario, requests: count, reqPerSec: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** A completed order record as s3-storage writes it, for seeding. */
function seedRecord(orderId: string, createdAt: Date): string {
  const item = { name: 'Keyboard', quantity: 1, price: 49.99 };
  return JSON.stringify({
    orderId,
    createdAt: createdAt.toISOString(),
    completedAt: new Date(createdAt.getTime() + 900).toISOString(),
    orderDetails: { customerName: 'Seeded Customer', items: [item], totalAmount: 49.99, currency: 'USD' },
    inventoryCheck: {
      status: 'available',
      checkedAt: createdAt.toISOString(),
      items: [{ name: 'Keyboard', requested: 1, inStock: 150 }],
      unavailableItems: [],
    },
    paymentProcessing: {
      status: 'approved',
      transactionId: `txn_seed${orderId.slice(-16)}`,
      amount: 49.99,
      currency: 'USD',
      processedAt: createdAt.toISOString(),
    },
    finalStatus: 'completed',
  });
}

/** Seeds `count` orders straight into the local S3 with the project's key layout (record, then index entry). */
async function seed(rt: TrustRuntime, count: number, startMillis: number): Promise<void> {
  await runPool(
    Array.from({ length: count }, (_, i) => i),
    50,
    async (i) => {
      const createdAt = new Date(startMillis + i * 1000);
      const orderId = newOrderId(createdAt.getTime());
      await rt.putObject(recordKey(orderId), seedRecord(orderId, createdAt));
      await rt.putObject(indexKey(createdAt, orderId), JSON.stringify({ orderId, finalStatus: 'completed' }));
    },
  );
}

/**
 * Counts S3 calls of one GET /orders page: the api bundle (the very file zipped for Lambda)
 * runs in its own worker with AWS_ENDPOINT_URL_S3 pointing at a counting proxy in front
 * of the local S3.
 */
async function s3CallsPerPage(rt: TrustRuntime): Promise<string> {
  const calls: string[] = [];
  const target = new URL(rt.runtime.s3Endpoint);
  const proxy: Server = createServer((req, res) => {
    calls.push(req.method === 'GET' && /[?&]list-type=2/.test(req.url ?? '') ? 'List' : req.method === 'GET' ? 'Get' : (req.method ?? '?'));
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const api = new LocalLambdaFunction({
    functionName: 'bench-api',
    file: join(rt.runtime.bundlesDir, 'api', 'index.js'),
    environment: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_SFN: rt.runtime.sfnEndpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      ORDERS_BUCKET: rt.runtime.bucketName,
      STATE_MACHINE_ARN: rt.runtime.stateMachineArn,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    timeoutMs: 30_000,
    memorySizeMb: 256,
    logFile: join(rt.runtime.dataDir, 'logs', 'bench-api.log'),
    region: 'us-east-1',
    accountId: '000000000000',
  });
  const page = async (nextToken?: string) => {
    calls.length = 0;
    const query = { limit: String(PAGE), ...(nextToken ? { nextToken } : {}) };
    const result = (await api.invoke({
      resource: '/orders',
      path: '/orders',
      httpMethod: 'GET',
      headers: {},
      multiValueHeaders: {},
      body: null,
      isBase64Encoded: false,
      queryStringParameters: query,
      multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
      pathParameters: null,
      stageVariables: null,
      requestContext: { requestId: 'bench', identity: { sourceIp: '127.0.0.1', apiKeyId: null } },
    })) as { statusCode: number; body: string };
    if (result.statusCode !== 200) throw new Error(`GET /orders answered ${result.statusCode}: ${result.body.slice(0, 300)}`);
    const counts = `${calls.filter((c) => c === 'List').length} list + ${calls.filter((c) => c === 'Get').length} get`;
    return {
      counts,
      other: calls.filter((c) => c !== 'List' && c !== 'Get').length,
      token: (JSON.parse(result.body) as { pagination: { nextToken?: string } }).pagination.nextToken,
    };
  };
  try {
    const first = await page();
    const second = await page(first.token);
    if (first.other + second.other > 0) throw new Error('a GET /orders page made S3 calls other than List/Get');
    return first.counts === second.counts ? first.counts : `${first.counts} (page 2: ${second.counts})`;
  } finally {
    await api.close();
    proxy.close();
  }
}

const getPage = (rt: TrustRuntime) => () => send(rt.baseUrl, { method: 'GET', path: `/orders?limit=${PAGE}` });

async function benchGet(rt: TrustRuntime, stored: number): Promise<Row> {
  // Warm the api worker, the keep-alive connections and s3rver before timing.
  await runPool(
    Array.from({ length: 50 }, (_, i) => i),
    CONCURRENCY,
    () => getPage(rt)(),
  );
  // One client alone: latency without queueing behind 24 others.
  const alone: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const t = performance.now();
    await getPage(rt)();
    alone.push(performance.now() - t);
  }
  const row = await measure(`GET /orders?limit=${PAGE} at ${stored.toLocaleString('en-US')} stored`, GETS, 200, getPage(rt));
  return {
    ...row,
    p50Alone: percentile(
      alone.sort((a, b) => a - b),
      50,
    ),
    s3CallsPerPage: await s3CallsPerPage(rt),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `order-infra API benchmark: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rt = await startTrustRuntime({ retryIntervalMs: 100 });
  const rows: Row[] = [];
  let backPressure: BackPressureReport | undefined;
  try {
    const base = Date.UTC(2025, 0, 1);
    await seed(rt, 100, base);
    rows.push(await benchGet(rt, 100));

    const runId = Date.now().toString(36);
    const ids: string[] = [];
    const post = await measure(`POST /orders (${ORDERS} orders)`, ORDERS, 202, async (i) => {
      const res = await postOrder(rt.baseUrl, loadOrder(i).body, `bench-${runId}-${i}`);
      if (res.status === 202) ids.push((res.json as { orderId: string }).orderId);
      return res;
    });
    const drainStart = performance.now();
    await rt.waitForStored(ids, 600_000);
    rows.push(post);
    console.log(
      `${ORDERS} orders accepted; all stored ${((performance.now() - drainStart) / 1000).toFixed(1)} s after the last POST answered`,
    );

    const have = (await rt.snapshot()).records;
    const seedStart = performance.now();
    await seed(rt, Math.max(0, STORED - have), base + 100 * 1000);
    const stored = (await rt.snapshot()).records;
    console.log(`seeded to ${stored} stored orders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    rows.push(await benchGet(rt, stored));
    backPressure = await benchBackPressure(rt);
  } finally {
    closeIdleConnections();
    await rt.stop();
  }
  console.log(`\n${CONCURRENCY} requests in flight; latency in ms\n`);
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      requests: r.requests,
      'req/s': Number(r.reqPerSec.toFixed(1)),
      'p50 ms': Number(r.p50.toFixed(1)),
      'p99 ms': Number(r.p99.toFixed(1)),
      'p50 ms, 1 in flight': r.p50Alone === undefined ? '-' : Number(r.p50Alone.toFixed(1)),
      'S3 calls per page': r.s3CallsPerPage ?? '-',
    })),
  );
  if (backPressure) printBackPressure(backPressure);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  // rows: GET at 100 stored, POST, GET at the full store.
  reportFigures(listingFigures(rows[0], rows[2]));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
