/**
 * `npm run cost [-- --env prod|dev] [--orders N]`: dollars per million orders per service and the
 * sustained orders per second each layer allows, from the synthesized app stack (synthesized now,
 * into a temp folder, by cdktf.json's app), the usage of N orders run through the local runtime's
 * parts, and the dated price and quota tables in cost/. Needs no network and no AWS account.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appNodeArgs } from './app-command';
import { markdownTable } from './build-handlers';
import { readStackCostConfig } from './cost/config';
import { measureOrders } from './cost/measure';
import { ASSUMPTIONS, capacity, costPerMillionOrders, type Prices, type Quotas } from './cost/model';

const ROOT = resolve(__dirname, '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const dollars = (n: number) => `$${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')}`;

async function main(): Promise<void> {
  const env = option('env', 'prod');
  const orders = Number(option('orders', '5'));
  if (!['dev', 'prod'].includes(env)) throw new Error(`--env must be dev or prod, got ${env}`);
  if (!Number.isInteger(orders) || orders < 1) throw new Error(`--orders must be a positive integer, got ${orders}`);
  const prices = JSON.parse(readFileSync(join(ROOT, 'cost', 'prices-us-east-1.json'), 'utf8')) as Prices;
  const quotas = JSON.parse(readFileSync(join(ROOT, 'cost', 'quotas-us-east-1.json'), 'utf8')) as Quotas;

  const outdir = mkdtempSync(join(tmpdir(), 'order-infra-cost-synth-'));
  let config: ReturnType<typeof readStackCostConfig>;
  try {
    const synth = spawnSync(process.execPath, appNodeArgs(), {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    });
    if (synth.status !== 0) throw new Error(`synthesizing the app failed (node ${appNodeArgs().join(' ')})`);
    const stack = `orders-app-${env}`;
    config = readStackCostConfig(stack, join(outdir, 'stacks', stack, 'cdk.tf.json'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const usage = await measureOrders(orders);
  const report = costPerMillionOrders(config, usage, prices);
  const out = (s: string) => process.stdout.write(`${s}\n`);

  out(`Cost per million orders, ${config.stack}, us-east-1 list prices transcribed ${prices.transcribed} (cost/prices-us-east-1.json)`);
  out(`Usage per order measured on the local runtime (${usage.orders} orders, node ${process.version}): durations are this machine's.\n`);
  const rows = [...report.lines, report.standardWorkflow].map((l) => [l.service, l.driver, dollars(l.dollarsPerMillionOrders)]);
  rows.push(['**total, STANDARD workflow**', '', `**${dollars(report.sharedTotal + report.standardWorkflow.dollarsPerMillionOrders)}**`]);
  rows.push([report.expressWorkflow.service, report.expressWorkflow.driver, dollars(report.expressWorkflow.dollarsPerMillionOrders)]);
  rows.push(['**total, EXPRESS workflow**', '', `**${dollars(report.sharedTotal + report.expressWorkflow.dollarsPerMillionOrders)}**`]);
  out(markdownTable(['service', 'per order', 'per million orders'], rows));
  out(
    `\nAssumed (not measurable locally): ${ASSUMPTIONS.lambdaPlatformLogBytes} B of Lambda platform log lines per invocation, ` +
      `${ASSUMPTIONS.wafLogBytesPerRequest} B per WAF log record, ${ASSUMPTIONS.xraySampleRate * 100}% X-Ray sampling, ` +
      `Express billed at ${ASSUMPTIONS.expressMemoryMb} MB, an S3 round trip of ${ASSUMPTIONS.s3RoundTripMs} ms from Lambda (the order-counter capacity). Monthly fixed costs (WAF ACL and rules, KMS key, alarms, dashboard) are in the README.`,
  );
  const cap = capacity(config, usage, quotas);
  out(`\nCapacity: sustained orders per second under default quotas (cost/quotas-us-east-1.json, transcribed ${quotas.transcribed})\n`);
  out(
    markdownTable(
      ['layer', 'quota', 'per order', 'orders/s', 'source'],
      cap.map((r) => [r.layer, r.quota, r.perOrder, Math.floor(r.ordersPerSecond).toLocaleString('en-US'), r.source]),
    ),
  );
  out(`\nFirst bottleneck: ${cap[0].layer} at ${Math.floor(cap[0].ordersPerSecond).toLocaleString('en-US')} orders/s.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
