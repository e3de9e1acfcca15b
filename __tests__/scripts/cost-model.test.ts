/**
 * The cost and capacity model: each figure follows from the measured usage, the synthesized
 * settings and the committed price and quota tables, and the tables say where they come from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStackCostConfig, type StackCostConfig } from '../../scripts/cost/config';
import type { OrderUsage } from '../../scripts/cost/measure';
import { ORDER_COUNT_SHARDS } from '../../handlers/shared/storage-layout';
import { ASSUMPTIONS, capacity, costPerMillionOrders, type Prices, type Quotas } from '../../scripts/cost/model';
import { REPO_ROOT, synthesizedOutdir } from '../policy/synthesized';

const prices = JSON.parse(readFileSync(join(REPO_ROOT, 'cost', 'prices-us-east-1.json'), 'utf8')) as Prices;
const quotas = JSON.parse(readFileSync(join(REPO_ROOT, 'cost', 'quotas-us-east-1.json'), 'utf8')) as Quotas;

const fn = (handler: string, memoryMb = 256, architecture: 'arm64' | 'x86_64' = 'arm64', reservedConcurrency?: number) => ({
  name: `orders-test-${handler}`,
  handler,
  memoryMb,
  architecture,
  reservedConcurrency,
  xrayActive: true,
});

const config = (overrides: Partial<StackCostConfig> = {}): StackCostConfig => ({
  stack: 'orders-app-test',
  functions: [fn('api', 512, 'arm64', 50), fn('s3-storage')],
  workflowType: 'STANDARD',
  workflowLogLevel: 'ALL',
  workflowLogsData: true,
  apiThrottleRps: 100,
  apiThrottleBurst: 200,
  stageThrottleRps: 100,
  stageThrottleBurst: 200,
  accessLogFormat: '{"id":"$context.requestId"}',
  apiXrayTracing: true,
  wafRules: 9,
  wafLogging: true,
  ...overrides,
});

const usage = (overrides: Partial<OrderUsage> = {}): OrderUsage => {
  const none = { invocations: 0, durationMs: 0, logBytes: 0 };
  return {
    orders: 1,
    stateTransitions: 7,
    executionMs: 150,
    workflowLogBytes: 8000,
    functions: {
      api: { invocations: 1, durationMs: 100.2, logBytes: 900 },
      's3-storage': { invocations: 1, durationMs: 50, logBytes: 1000 },
      'order-processor': none,
      'inventory-check': none,
      'payment-process': none,
      'merge-results': none,
    },
    s3: { put: 2, get: 1, list: 0, other: 0 },
    s3IndexPuts: 1,
    s3CounterPuts: 0,
    sfnApiCalls: 2,
    ...overrides,
  };
};

const line = (report: ReturnType<typeof costPerMillionOrders>, service: string) => report.lines.find((l) => l.service === service)!;

describe('cost per million orders', () => {
  it('GIVEN 7 transitions per order THEN STANDARD costs 7 × $25 per million orders, and twice the transitions cost twice as much', () => {
    const seven = costPerMillionOrders(config(), usage(), prices).standardWorkflow.dollarsPerMillionOrders;
    expect(seven).toBeCloseTo(7 * prices.stepFunctions.standardPerThousandTransitions * 1000, 6);
    expect(costPerMillionOrders(config(), usage({ stateTransitions: 14 }), prices).standardWorkflow.dollarsPerMillionOrders).toBeCloseTo(
      2 * seven,
      6,
    );
  });

  it('GIVEN an execution of 150 ms THEN EXPRESS bills 200 ms (100 ms increments) at 64 MB plus one request', () => {
    const express = costPerMillionOrders(config(), usage(), prices).expressWorkflow.dollarsPerMillionOrders;
    expect(express).toBeCloseTo(
      prices.stepFunctions.expressRequestsPerMillion + 0.2 * (64 / 1024) * prices.stepFunctions.expressGbSecond * 1e6,
      6,
    );
    expect(costPerMillionOrders(config(), usage({ executionMs: 200 }), prices).expressWorkflow.dollarsPerMillionOrders).toBeCloseTo(
      express,
      9,
    );
  });

  it('GIVEN a 100.2 ms invocation at 512 MB THEN Lambda bills 101 ms, and x86_64 costs more than arm64 for the same work', () => {
    const arm = line(costPerMillionOrders(config(), usage(), prices), 'Lambda api');
    expect(arm.dollarsPerMillionOrders).toBeCloseTo(prices.lambda.requestsPerMillion + 0.5 * 0.101 * 1e6 * prices.lambda.gbSecond.arm64, 6);
    const x86 = line(costPerMillionOrders(config({ functions: [fn('api', 512, 'x86_64')] }), usage(), prices), 'Lambda api');
    expect(x86.dollarsPerMillionOrders).toBeGreaterThan(arm.dollarsPerMillionOrders);
  });

  it('GIVEN 2 PUTs and 1 GET per order THEN S3 costs their list prices per million orders', () => {
    expect(line(costPerMillionOrders(config(), usage(), prices), 'S3 requests').dollarsPerMillionOrders).toBeCloseTo(
      2 * prices.s3.putCopyPostListPerThousand * 1000 + prices.s3.getSelectPerThousand * 1000,
      6,
    );
  });

  it('GIVEN workflow logging turned off THEN the log bill drops by the workflow events', () => {
    const all = line(costPerMillionOrders(config(), usage(), prices), 'CloudWatch Logs ingestion').dollarsPerMillionOrders;
    const off = line(
      costPerMillionOrders(config({ workflowLogLevel: 'OFF' }), usage(), prices),
      'CloudWatch Logs ingestion',
    ).dollarsPerMillionOrders;
    expect(all - off).toBeCloseTo(((8000 * 1e6) / 1024 ** 3) * prices.cloudWatchLogs.ingestedPerGb, 6);
  });
});

describe('capacity', () => {
  it('GIVEN the quotas THEN rows are sorted lowest first, so the first row is the bottleneck, and each divides its quota by the per-order need', () => {
    const rows = capacity(config(), usage(), quotas);
    const rates = rows.map((r) => r.ordersPerSecond);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(rows[0].ordersPerSecond).toBe(Math.min(...rates));
    expect(rows.find((r) => r.layer === 'Step Functions state transitions')!.ordersPerSecond).toBeCloseTo(
      quotas.stepFunctionsStateTransitions.value / 7,
      6,
    );
    expect(rows.find((r) => r.layer === 'Lambda api reserved concurrency')!.ordersPerSecond).toBeCloseTo(50 / 0.1002, 6);
  });

  it('GIVEN two counter updates per order THEN the counter row allows shards × (1 s / two round trips) / 2 orders/s, and halving the updates doubles it', () => {
    const counter = (puts: number) =>
      capacity(config(), usage({ s3CounterPuts: puts }), quotas).find((r) => r.layer.startsWith('Order counter'))!;
    const perShard = 1000 / (2 * ASSUMPTIONS.s3RoundTripMs);
    expect(counter(2).ordersPerSecond).toBeCloseTo((ORDER_COUNT_SHARDS * perShard) / 2, 6);
    expect(counter(1).ordersPerSecond).toBeCloseTo(2 * counter(2).ordersPerSecond, 6);
    expect(counter(2).source).toMatch(/estimate/);
    // With the default round trip it is below the API throttle: the first bottleneck.
    expect(capacity(config(), usage({ s3CounterPuts: 2 }), quotas)[0].layer).toMatch(/^Order counter/);
  });

  it('GIVEN no counter writes THEN there is no counter row', () => {
    expect(capacity(config(), usage(), quotas).some((r) => r.layer.startsWith('Order counter'))).toBe(false);
  });

  it('GIVEN a stage throttle above StartExecution THEN StartExecution becomes the bottleneck', () => {
    const rows = capacity(config({ stageThrottleRps: 5000, apiThrottleRps: 5000 }), usage(), quotas);
    expect(rows[0].layer).toBe('Step Functions StartExecution');
  });
});

describe('price and quota tables', () => {
  it('GIVEN the committed tables THEN they are dated and every entry names its source page', () => {
    for (const table of [prices, quotas] as unknown as Array<Record<string, unknown>>) {
      expect(String(table.transcribed)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const entries = Object.values(table).filter((v): v is { source: string } => typeof v === 'object' && v !== null);
      expect(entries.length).toBeGreaterThan(5);
      for (const e of entries) expect(e.source).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
    }
  });
});

describe('reading the synthesized stack', () => {
  it('GIVEN the real prod app stack THEN every function, the workflow and the API settings are read from it', () => {
    const c = readStackCostConfig('orders-app-prod', join(synthesizedOutdir(), 'stacks', 'orders-app-prod', 'cdk.tf.json'));
    expect(c.functions.map((f) => f.handler).sort()).toEqual([
      'api',
      'inventory-check',
      'merge-results',
      'order-processor',
      'payment-process',
      's3-storage',
    ]);
    expect(c.functions.every((f) => f.memoryMb >= 128 && (f.architecture === 'arm64' || f.architecture === 'x86_64'))).toBe(true);
    expect(c.workflowType).toBe('STANDARD');
    expect(c.stageThrottleRps).toBeGreaterThan(0);
    expect(c.wafRules).toBeGreaterThan(0);
  });
});
