/**
 * `npm start`: builds the handler bundles and runs the whole order system on loopback.
 * Options: --port, --data-dir, --fault (repeatable), --retry-interval-ms, --help.
 * Faults can also come from ORDERS_LOCAL_FAULTS (comma-separated). SIGINT, SIGTERM and SIGHUP
 * stop it, and so does the exit of the process that launched it (npm, tsx).
 */
import { HELP, parseCli, startMessage, UsageError } from './cli-options';
import { FaultSpecError, type FaultSpec } from './faults';
import { watchLaunchChain } from './parent-watch';
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

/** Stops the runtime once, whatever asked first (a signal, the launch chain exiting); a second signal exits at once. */
function installShutdown(runtime: Promise<LocalRuntime | undefined>): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${reason}: stopping (unfinished orders resume at the next start)...`);
    runtime
      .then((rt) => rt?.stop())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          console.error((e as Error)?.message ?? e);
          process.exit(1);
        },
      );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  watchLaunchChain((pid) => shutdown(`process ${pid} that launched npm start exited`));
}

/** Output to a closed terminal or pipe, and a promise nobody awaited, must not end the process. */
function keepRunningOnStrayErrors(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  process.on('unhandledRejection', (reason) => {
    console.error(`Internal error (the runtime keeps running): ${(reason as Error)?.message ?? String(reason)}`);
  });
}

/** The ports the start was asked for, for its error message. */
let startedWith: { port?: number; consolePort?: number } = {};

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
  keepRunningOnStrayErrors();
  startedWith = { port: cli.port, consolePort: cli.consolePort };
  console.log('Building handler bundles and starting the local runtime...');
  const starting = startLocalRuntime({
    dataDir: cli.dataDir,
    port: cli.port,
    faults: cli.faults,
    retryScale: cli.retryScale,
    ...(cli.retryIntervalMs !== undefined ? { retryIntervalMs: cli.retryIntervalMs } : {}),
    consolePort: cli.consolePort,
    watch: cli.watch,
  });
  installShutdown(starting.catch(() => undefined));
  const rt = await starting;
  rt.onExecutionFinished(({ record, durationMs }) => {
    const outcome =
      record.status === 'SUCCEEDED' ? (outcomeOf(record.output) ?? 'succeeded') : `${record.status} (${record.error ?? 'no error'})`;
    console.log(
      `${new Date().toISOString()}  order ${record.name}  ${outcome}  ${durationMs} ms${record.redriveCount ? `  (re-driven, ${record.redriveCount}x)` : record.runs > 1 ? `  (resumed, run ${record.runs})` : ''}`,
    );
  });
  printReady(rt, cli.faults);
}

main().catch((e: unknown) => {
  console.error(startMessage(e, startedWith));
  process.exit(1);
});
