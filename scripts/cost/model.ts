/**
 * Dollars per million orders and sustained orders per second, from a stack's settings, the
 * usage of one order measured on the local runtime, a price table and a quota table. Pure
 * functions: every number in the output follows from these inputs and the assumptions below.
 */
import { ORDER_COUNT_SHARDS } from '../../spec/storage-layout';
import type { StackCostConfig } from './config';
import type { OrderUsage } from './measure';

export interface Prices {
  readonly transcribed: string;
  readonly apiGateway: { readonly source: string; readonly restRequestsPerMillion: number };
  readonly waf: {
    readonly source: string;
    readonly requestsPerMillion: number;
    readonly webAclPerMonth: number;
    readonly rulePerMonth: number;
  };
  readonly lambda: {
    readonly source: string;
    readonly requestsPerMillion: number;
    readonly gbSecond: Readonly<Record<'arm64' | 'x86_64', number>>;
  };
  readonly stepFunctions: {
    readonly source: string;
    readonly standardPerThousandTransitions: number;
    readonly expressRequestsPerMillion: number;
    readonly expressGbSecond: number;
    readonly expressMemoryIncrementMb: number;
    readonly expressDurationIncrementMs: number;
  };
  readonly s3: { readonly source: string; readonly putCopyPostListPerThousand: number; readonly getSelectPerThousand: number };
  readonly kms: { readonly source: string; readonly requestsPerTenThousand: number };
  readonly cloudWatchLogs: { readonly source: string; readonly ingestedPerGb: number };
  readonly xray: { readonly source: string; readonly tracesRecordedPerMillion: number };
}

export interface Quota {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

export interface Quotas {
  readonly transcribed: string;
  readonly apiGatewayAccountRps: Quota;
  readonly lambdaConcurrentExecutions: Quota;
  readonly stepFunctionsStartExecution: Quota;
  readonly stepFunctionsStateTransitions: Quota;
  readonly s3PutPerPrefix: Quota;
  readonly s3GetPerPrefix: Quota;
  readonly kmsSymmetricCryptoRps: Quota;
}

/** What cannot be measured locally, stated once. */
export const ASSUMPTIONS = {
  /** Lambda's own JSON log lines per invocation (platform.start, platform.report). */
  lambdaPlatformLogBytes: 600,
  /** One WAF log record (JSON with headers and matched rules). */
  wafLogBytesPerRequest: 1500,
  /** Bytes a `$context.*` value takes in an access-log line, on average. */
  accessLogValueBytes: 20,
  /** X-Ray's default sampling beyond the 1 request/s reservoir. */
  xraySampleRate: 0.05,
  /** Standard memory an Express execution is billed for (the smallest increment: the state is a few KB). */
  expressMemoryMb: 64,
  /**
   * Round trip of one small S3 request from Lambda in the same Region, ms. S3 publishes no such
   * figure (nor a per-key write rate); measure yours. Only the order-counter row depends on it.
   */
  s3RoundTripMs: 30,
} as const;

export interface CostLine {
  readonly service: string;
  readonly driver: string;
  readonly dollarsPerMillionOrders: number;
}

export interface CostReport {
  readonly lines: readonly CostLine[];
  /** Everything but the workflow itself. */
  readonly sharedTotal: number;
  readonly standardWorkflow: CostLine;
  readonly expressWorkflow: CostLine;
}

const MILLION = 1_000_000;

/** Bytes of one access-log line: the template with each `$context.*` replaced by a typical value. */
export function accessLogLineBytes(format: string | undefined): number {
  if (!format) return 0;
  return Buffer.byteLength(format.replace(/\$context\.[A-Za-z.]+/g, 'x'.repeat(ASSUMPTIONS.accessLogValueBytes))) + 1;
}

export function logBytesPerOrder(config: StackCostConfig, usage: OrderUsage): number {
  const functionBytes = Object.values(usage.functions).reduce(
    (sum, f) => sum + f.logBytes + f.invocations * ASSUMPTIONS.lambdaPlatformLogBytes,
    0,
  );
  const workflowBytes = config.workflowLogLevel === 'ALL' ? usage.workflowLogBytes : 0;
  return (
    functionBytes + workflowBytes + accessLogLineBytes(config.accessLogFormat) + (config.wafLogging ? ASSUMPTIONS.wafLogBytesPerRequest : 0)
  );
}

/** Upper bound of KMS requests per order: one per SSE-KMS object request, as without an S3 bucket key. */
export function kmsRequestsPerOrderWithoutBucketKey(usage: OrderUsage): number {
  return usage.s3.put + usage.s3.get;
}

export function costPerMillionOrders(config: StackCostConfig, usage: OrderUsage, prices: Prices): CostReport {
  const apiRequests = usage.functions.api?.invocations ?? 1;
  const lines: CostLine[] = [
    {
      service: 'API Gateway (REST)',
      driver: `${apiRequests} request/order × $${prices.apiGateway.restRequestsPerMillion}/M`,
      dollarsPerMillionOrders: apiRequests * prices.apiGateway.restRequestsPerMillion,
    },
    {
      service: `WAF (${config.wafRules} rules)`,
      driver: `${apiRequests} request/order × $${prices.waf.requestsPerMillion}/M (plus $${prices.waf.webAclPerMonth} + $${prices.waf.rulePerMonth}/rule a month)`,
      dollarsPerMillionOrders: apiRequests * prices.waf.requestsPerMillion,
    },
  ];
  for (const fn of config.functions) {
    const use = usage.functions[fn.handler as keyof OrderUsage['functions']];
    if (!use || use.invocations === 0) continue;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    const msPerInvocation = Math.ceil(use.durationMs / use.invocations);
    const gbSeconds = use.invocations * (fn.memoryMb / 1024) * (msPerInvocation / 1000);
    const dollars = use.invocations * prices.lambda.requestsPerMillion + gbSeconds * MILLION * prices.lambda.gbSecond[fn.architecture];
    lines.push({
      service: `Lambda ${fn.handler}`,
      driver: `${use.invocations}× ${msPerInvocation} ms at ${fn.memoryMb} MB ${fn.architecture}`,
      dollarsPerMillionOrders: dollars,
    });
  }
  const s3Dollars =
    ((usage.s3.put + usage.s3.list + usage.s3.other) / 1000) * prices.s3.putCopyPostListPerThousand * MILLION +
    (usage.s3.get / 1000) * prices.s3.getSelectPerThousand * MILLION;
  lines.push({
    service: 'S3 requests',
    driver: `${usage.s3.put} PUT, ${usage.s3.get} GET, ${usage.s3.list} LIST per order`,
    dollarsPerMillionOrders: s3Dollars,
  });
  const kmsUpper = kmsRequestsPerOrderWithoutBucketKey(usage);
  lines.push({
    service: 'KMS requests',
    driver: `≈ 0 with the bucket key (configured); ${kmsUpper}/order without one would be $${((kmsUpper * prices.kms.requestsPerTenThousand * MILLION) / 10_000).toFixed(2)}`,
    dollarsPerMillionOrders: 0,
  });
  const logBytes = logBytesPerOrder(config, usage);
  lines.push({
    service: 'CloudWatch Logs ingestion',
    driver: `${(logBytes / 1024).toFixed(1)} KiB/order (functions, workflow level ${config.workflowLogLevel}, access log${config.wafLogging ? ', WAF' : ''})`,
    dollarsPerMillionOrders: ((logBytes * MILLION) / 1024 ** 3) * prices.cloudWatchLogs.ingestedPerGb,
  });
  const traced = config.apiXrayTracing || config.functions.some((f) => f.xrayActive);
  lines.push({
    service: 'X-Ray',
    driver: traced ? `1 trace/order, ${ASSUMPTIONS.xraySampleRate * 100}% sampled` : 'tracing off',
    dollarsPerMillionOrders: traced ? ASSUMPTIONS.xraySampleRate * prices.xray.tracesRecordedPerMillion : 0,
  });

  const standardWorkflow: CostLine = {
    service: 'Step Functions STANDARD',
    driver: `${usage.stateTransitions} transitions/order × $${prices.stepFunctions.standardPerThousandTransitions}/1,000`,
    dollarsPerMillionOrders: (usage.stateTransitions / 1000) * prices.stepFunctions.standardPerThousandTransitions * MILLION,
  };
  const sf = prices.stepFunctions;
  const billedMs = Math.ceil(usage.executionMs / sf.expressDurationIncrementMs) * sf.expressDurationIncrementMs;
  const billedGb = (Math.ceil(ASSUMPTIONS.expressMemoryMb / sf.expressMemoryIncrementMb) * sf.expressMemoryIncrementMb) / 1024;
  const expressWorkflow: CostLine = {
    service: 'Step Functions EXPRESS (alternative)',
    driver: `1 request + ${billedMs} ms × ${billedGb * 1024} MB per order`,
    dollarsPerMillionOrders: sf.expressRequestsPerMillion + (billedMs / 1000) * billedGb * sf.expressGbSecond * MILLION,
  };
  return { lines, sharedTotal: lines.reduce((sum, l) => sum + l.dollarsPerMillionOrders, 0), standardWorkflow, expressWorkflow };
}

export interface CapacityRow {
  readonly layer: string;
  readonly quota: string;
  readonly perOrder: string;
  readonly ordersPerSecond: number;
  readonly source: string;
}

/** Sustained orders per second each layer allows, lowest first: the first row is the bottleneck. */
export function capacity(config: StackCostConfig, usage: OrderUsage, quotas: Quotas): CapacityRow[] {
  const rows: CapacityRow[] = [];
  const apiRequests = usage.functions.api?.invocations ?? 1;
  const q = (quota: Quota) => `${quota.value.toLocaleString('en-US')} ${quota.unit}`;
  rows.push({
    layer: 'API Gateway account throttle',
    quota: q(quotas.apiGatewayAccountRps),
    perOrder: `${apiRequests} request`,
    ordersPerSecond: quotas.apiGatewayAccountRps.value / apiRequests,
    source: quotas.apiGatewayAccountRps.source,
  });
  if (config.apiThrottleRps !== undefined) {
    rows.push({
      layer: 'API usage plan (per API key)',
      quota: `${config.apiThrottleRps} requests/s (burst ${config.apiThrottleBurst ?? '–'})`,
      perOrder: `${apiRequests} request`,
      ordersPerSecond: config.apiThrottleRps / apiRequests,
      source: `synthesized ${config.stack} (aws_api_gateway_usage_plan)`,
    });
  }
  if (config.stageThrottleRps !== undefined) {
    rows.push({
      layer: 'API stage throttle (all clients)',
      quota: `${config.stageThrottleRps} requests/s (burst ${config.stageThrottleBurst ?? '–'})`,
      perOrder: `${apiRequests} request`,
      ordersPerSecond: config.stageThrottleRps / apiRequests,
      source: `synthesized ${config.stack} (aws_api_gateway_method_settings */*)`,
    });
  }
  const busySeconds = (handler: string) => {
    const u = usage.functions[handler as keyof OrderUsage['functions']];
    return u ? u.durationMs / 1000 : 0;
  };
  const totalBusy = config.functions.reduce((sum, f) => sum + busySeconds(f.handler), 0);
  rows.push({
    layer: 'Lambda account concurrency',
    quota: q(quotas.lambdaConcurrentExecutions),
    perOrder: `${totalBusy.toFixed(3)} s of execution (all functions, measured locally)`,
    ordersPerSecond: quotas.lambdaConcurrentExecutions.value / totalBusy,
    source: quotas.lambdaConcurrentExecutions.source,
  });
  for (const fn of config.functions) {
    const busy = busySeconds(fn.handler);
    if (fn.reservedConcurrency === undefined || busy === 0) continue;
    rows.push({
      layer: `Lambda ${fn.handler} reserved concurrency`,
      quota: `${fn.reservedConcurrency} concurrent executions`,
      perOrder: `${busy.toFixed(3)} s`,
      ordersPerSecond: fn.reservedConcurrency / busy,
      source: `synthesized ${config.stack} (reserved_concurrent_executions)`,
    });
  }
  rows.push({
    layer: 'Step Functions StartExecution',
    quota: q(quotas.stepFunctionsStartExecution),
    perOrder: '1 execution',
    ordersPerSecond: quotas.stepFunctionsStartExecution.value,
    source: quotas.stepFunctionsStartExecution.source,
  });
  rows.push({
    layer: 'Step Functions state transitions',
    quota: q(quotas.stepFunctionsStateTransitions),
    perOrder: `${usage.stateTransitions} transitions`,
    ordersPerSecond: quotas.stepFunctionsStateTransitions.value / usage.stateTransitions,
    source: quotas.stepFunctionsStateTransitions.source,
  });
  if (usage.s3IndexPuts > 0) {
    rows.push({
      layer: 'S3 writes to the index prefix',
      quota: q(quotas.s3PutPerPrefix),
      perOrder: `${usage.s3IndexPuts} PUT`,
      ordersPerSecond: quotas.s3PutPerPrefix.value / usage.s3IndexPuts,
      source: quotas.s3PutPerPrefix.source,
    });
  }
  if (usage.s3.get > 0) {
    rows.push({
      layer: 'S3 reads of the records prefix',
      quota: q(quotas.s3GetPerPrefix),
      perOrder: `${usage.s3.get} GET`,
      ordersPerSecond: quotas.s3GetPerPrefix.value / usage.s3.get,
      source: quotas.s3GetPerPrefix.source,
    });
  }
  if (usage.s3CounterPuts > 0) {
    // Updates of one shard are compare-and-swaps: from many execution environments at once, each
    // success costs a GET and a conditional PUT (the losers read again), so a shard commits about
    // one update per two round trips. Not a quota: an estimate from the design.
    const perShard = 1000 / (2 * ASSUMPTIONS.s3RoundTripMs);
    rows.push({
      layer: `Order counter (${ORDER_COUNT_SHARDS} shards, totalCount)`,
      quota: `≈ ${perShard.toFixed(0)} updates/s per shard (estimate: 1 GET + 1 conditional PUT at ${ASSUMPTIONS.s3RoundTripMs} ms each)`,
      perOrder: `${usage.s3CounterPuts} conditional PUT on its shard`,
      ordersPerSecond: (ORDER_COUNT_SHARDS * perShard) / usage.s3CounterPuts,
      source: 'estimate from handlers/shared/order-count.ts; S3 publishes no per-key write rate',
    });
  }
  const kms = kmsRequestsPerOrderWithoutBucketKey(usage);
  rows.push({
    layer: 'KMS (upper bound: no bucket key)',
    quota: q(quotas.kmsSymmetricCryptoRps),
    perOrder: `≤ ${kms} requests`,
    ordersPerSecond: quotas.kmsSymmetricCryptoRps.value / kms,
    source: quotas.kmsSymmetricCryptoRps.source,
  });
  return rows.sort((a, b) => a.ordersPerSecond - b.ordersPerSecond);
}
