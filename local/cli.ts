/**
 * `npm start`: builds the handler bundles and runs the whole order system on loopback.
 * Options: --port, --data-dir, --fault (repeatable), --retry-interval-ms, --help.
 * Faults can also come from ORDERS_LOCAL_FAULTS (comma-separated).
 */
import { HELP, parseCli, UsageError } from './cli-options';
import { FaultSpecError, type FaultSpec } from './faults';
import { startLocalRuntime, type LocalRuntime } from './runtime';

function printReady(rt: LocalRuntime, faults: readonly FaultSpec[]): void {
  const u = rt.apiUrl;
  const lines = [
    '',
    `Order API running at ${u}`,
    `Console: ${rt.consoleUrl}  (orders, executions, the workflow path of each, fault injection)`,
    'API key not required locally (the deployed API requires x-api-key).',
    '',
    'Try it:',
    `  curl -s -X POST ${u}/orders -H 'content-type: application/json' -H 'Idempotency-Key: demo-1' \\`,
    `       -d '{"customerName":"Ada Lovelace","items":[{"name":"Laptop","quantity":1,"price":999.99}],"totalAmount":999.99,"currency":"USD"}'`,
    `  curl -s ${u}/orders/<orderId>`,
    `  curl -s '${u}/orders?limit=10'`,
    '',
    `Data: ${rt.dataDir} (S3 at ${rt.s3Endpoint}, Step Functions at ${rt.sfnEndpoint}, function logs in ${rt.dataDir}/logs)`,
  ];
  if (faults.length > 0)
    lines.push(
      `Faults: ${faults.map((f) => `${f.state} fails with ${f.error} ${f.times === 'always' ? 'always' : `${f.times}x per execution`}`).join('; ')}`,
    );
  if (rt.resumed.length > 0) {
    // `resumed` holds the records as they were on disk: RUNNING ones resume, FAILED ones are re-driven.
    const label = (r: { name: string; status: string }) => (r.status === 'RUNNING' ? r.name : `${r.name} (re-driven after ${r.status})`);
    lines.push(`Resumed ${rt.resumed.length} unfinished execution(s): ${rt.resumed.map(label).join(', ')}`);
  }
  lines.push('Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

function outcomeOf(output: string | undefined): string | undefined {
  try {
    const o = JSON.parse(output ?? 'null') as Record<string, unknown> | null;
    const status = o?.finalStatus ?? o?.status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || e instanceof FaultSpecError) {
      console.error(`${e.message}\n\n${HELP}`);
      process.exit(2);
    }
    throw e;
  }
  if (cli.help) {
    console.log(HELP);
    return;
  }
  console.log('Building handler bundles and starting the local runtime...');
  const rt = await startLocalRuntime({
    dataDir: cli.dataDir,
    port: cli.port,
    faults: cli.faults,
    retryScale: cli.retryScale,
    ...(cli.retryIntervalMs !== undefined ? { retryIntervalMs: cli.retryIntervalMs } : {}),
    consolePort: cli.consolePort,
    watch: cli.watch,
  });
  rt.onExecutionFinished(({ record, durationMs }) => {
    const outcome =
      record.status === 'SUCCEEDED' ? (outcomeOf(record.output) ?? 'succeeded') : `${record.status} (${record.error ?? 'no error'})`;
    console.log(
      `${new Date().toISOString()}  order ${record.name}  ${outcome}  ${durationMs} ms${record.redriveCount ? `  (re-driven, ${record.redriveCount}x)` : record.runs > 1 ? `  (resumed, run ${record.runs})` : ''}`,
    );
  });
  printReady(rt, cli.faults);
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second Ctrl-C does not wait for the clean stop.
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping (unfinished orders resume at the next start)...`);
    rt.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') console.error(`Port already in use (${err.message}); pass --port <n> or --port 0.`);
  else console.error(err?.message ?? e);
  process.exit(1);
});
