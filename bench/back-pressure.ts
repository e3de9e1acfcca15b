/**
 * The back-pressure part of `npm run bench`: where the local API starts answering 503
 * (concurrency ramp of GET /orders), the overload (300 connections × 20 pipelined
 * GETs) with the peak RSS of the runtime process, and a burst of keyed POSTs in which
 * every 202 must end stored and no 503 may have started anything.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { orderIdFromIdempotencyKey } from '../handlers/shared/ids';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION } from '../local/api-gateway';
import { recordKey } from '../handlers/shared/storage-layout';
import { runPool } from '../__tests__/trust/http';
import { loadOrder } from '../__tests__/trust/load-mix';
import { rawExchange } from '../__tests__/trust/raw-http';
import type { TrustRuntime } from '../__tests__/trust/trust-runtime';

export interface RampStep {
  readonly concurrency: number;
  readonly requests: number;
  readonly ok: number;
  readonly busy: number;
  readonly other: number;
  /** 200s per second. */
  readonly okPerSec: number;
}

export interface BackPressureReport {
  readonly ramp: RampStep[];
  /** The first step with a 503, or undefined when none answered 503. */
  readonly firstBusy?: RampStep;
  readonly overload: { readonly requests: number; readonly byStatus: Record<string, number>; readonly seconds: number };
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly burst: { readonly posts: number; readonly accepted: number; readonly refused: number };
}

function status(
  agent: Agent,
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Samples the process RSS until stopped; returns the peak in MB. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}

async function ramp(rt: TrustRuntime, agent: Agent): Promise<RampStep[]> {
  const steps: RampStep[] = [];
  for (const concurrency of [4, 16, 32, 64, 128, 256]) {
    const requests = Math.max(400, concurrency * 4);
    const start = performance.now();
    const codes = await runPool(
      Array.from({ length: requests }, (_, i) => i),
      concurrency,
      () => status(agent, rt.baseUrl, 'GET', '/orders?limit=10'),
    );
    const seconds = (performance.now() - start) / 1000;
    const ok = codes.filter((c) => c === 200).length;
    const busy = codes.filter((c) => c === 503).length;
    steps.push({ concurrency, requests, ok, busy, other: requests - ok - busy, okPerSec: ok / seconds });
  }
  return steps;
}

/** 300 connections, each sending 20 pipelined GETs at once. */
async function overload(rt: TrustRuntime): Promise<BackPressureReport['overload']> {
  const port = Number(new URL(rt.baseUrl).port);
  const pipelined =
    Array.from({ length: 19 }, () => 'GET /orders?limit=10 HTTP/1.1\r\nHost: x\r\n\r\n').join('') +
    'GET /orders?limit=10 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const start = performance.now();
  const answers = await Promise.all(Array.from({ length: 300 }, () => rawExchange(port, pipelined, 20, 60_000).catch(() => [])));
  const byStatus: Record<string, number> = {};
  let requests = 0;
  for (const list of answers) {
    requests += 20;
    for (const a of list) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    byStatus.unanswered = (byStatus.unanswered ?? 0) + 20 - list.length;
  }
  if (byStatus.unanswered === 0) delete byStatus.unanswered;
  return { requests, byStatus, seconds: (performance.now() - start) / 1000 };
}

/** 200 keyed POSTs at once: 202s must all be stored, 503s must have started nothing. */
async function burst(rt: TrustRuntime, agent: Agent): Promise<BackPressureReport['burst']> {
  const runId = Date.now().toString(36);
  const keys = Array.from({ length: 200 }, (_, i) => `burst-${runId}-${i}`);
  const codes = await Promise.all(
    keys.map((key, i) =>
      status(agent, rt.baseUrl, 'POST', '/orders', JSON.stringify(loadOrder(i).body), {
        'content-type': 'application/json',
        'idempotency-key': key,
      }),
    ),
  );
  const accepted = keys.filter((_, i) => codes[i] === 202);
  const refused = keys.filter((_, i) => codes[i] === 503);
  if (accepted.length + refused.length !== keys.length)
    throw new Error(`burst: answers other than 202/503: ${codes.filter((c) => c !== 202 && c !== 503)}`);
  await rt.waitForStored(
    accepted.map((k) => orderIdFromIdempotencyKey(k)),
    600_000,
  );
  const records = new Set(await rt.listKeys('orders/records/'));
  const started = refused.filter(
    (k) => rt.runtime.execution(orderIdFromIdempotencyKey(k)) || records.has(recordKey(orderIdFromIdempotencyKey(k))),
  );
  if (started.length > 0) throw new Error(`burst: ${started.length} requests answered 503 were started anyway`);
  return { posts: keys.length, accepted: accepted.length, refused: refused.length };
}

export async function benchBackPressure(rt: TrustRuntime): Promise<BackPressureReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  try {
    const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
    const rss = rssSampler();
    const steps = await ramp(rt, agent);
    const over = await overload(rt);
    const b = await burst(rt, agent);
    return { ramp: steps, firstBusy: steps.find((s) => s.busy > 0), overload: over, peakRssMb: rss.stop(), baselineRssMb, burst: b };
  } finally {
    agent.destroy();
  }
}

export function printBackPressure(report: BackPressureReport): void {
  console.log(
    `\nBack-pressure: GET /orders?limit=10 at rising concurrency (bounds: ${DEFAULT_MAX_IN_FLIGHT} in flight, ${DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION} per connection)\n`,
  );
  console.table(
    report.ramp.map((s) => ({
      'in flight (clients)': s.concurrency,
      requests: s.requests,
      'ok (200)': s.ok,
      'busy (503)': s.busy,
      other: s.other,
      'ok/s': Number(s.okPerSec.toFixed(1)),
    })),
  );
  const first = report.firstBusy;
  console.log(
    first
      ? `503s begin at ${first.concurrency} concurrent clients, while serving ${first.okPerSec.toFixed(0)} req/s`
      : 'no 503 at any step of the ramp',
  );
  const o = report.overload;
  console.log(
    `overload, 300 connections x 20 pipelined GETs: ${JSON.stringify(o.byStatus)} in ${o.seconds.toFixed(1)} s; ` +
      `runtime RSS ${report.baselineRssMb.toFixed(0)} MB before, peak ${report.peakRssMb.toFixed(0)} MB`,
  );
  const b = report.burst;
  console.log(`burst of ${b.posts} keyed POSTs: ${b.accepted} x 202 (all stored), ${b.refused} x 503 (none started)`);
}
