/**
 * The options of `npm start` (local/cli.ts): parsed and validated here, apart from the
 * process wiring, so tests check them without spawning a process.
 */
import { parseArgs } from 'node:util';
import { parseFaultList, parseFaultSpec, TASK_STATE_NAMES, type FaultSpec } from './faults';

export const HELP = `Usage: npm start -- [options]

Runs the order system locally (no AWS account, no Docker): API Gateway adapter,
the handler bundles, the Step Functions workflow and an S3-compatible store.

Options:
  --port <n>               API port on 127.0.0.1 (default 3000, 0 = any free port)
  --data-dir <dir>         where orders, executions and logs are kept (default .local/)
  --fault <spec>           make a Task state fail, repeatable:
                           <TaskState>:<ErrorName>[:<count>|always]
                           e.g. --fault CheckInventory:Lambda.ServiceException:2
  --retry-scale <f>        retries wait as the definition says (IntervalSeconds, BackoffRate,
                           MaxDelaySeconds, JitterStrategy) times this factor (default 0.01;
                           1 = the deployed waits, 0 = retry at once)
  --retry-interval-ms <n>  a fixed wait before every Retry attempt instead (for tests)
  --console-port <n>       port of the local console on 127.0.0.1 (default 3001, or any free
                           port when --port is 0; 0 = any free port)
  --watch                  rebuild a handler's bundle when its source changes and use it for
                           new invocations (executions in flight and data are kept)
  -h, --help               show this help

Environment:
  ORDERS_LOCAL_FAULTS      faults as a comma-separated list of <spec>
  PORT                     API port when --port is not given

Task states: ${TASK_STATE_NAMES.join(', ')}
`;

/** A bad command line; the message names the option, its value and the fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function intOption(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} is "${value}"; use a whole number from 0 to ${max}`);
  return Number(value);
}

export interface CliOptions {
  readonly help: boolean;
  readonly port: number;
  readonly dataDir: string;
  readonly faults: FaultSpec[];
  readonly retryScale: number;
  readonly retryIntervalMs?: number;
  readonly consolePort: number;
  readonly watch: boolean;
}

function scaleOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(n >= 0 && n <= 1))
    throw new UsageError(`--retry-scale is "${value}"; use a number from 0 to 1, e.g. 0.01`);
  return n;
}

/** Parses argv (without node and script) and the ORDERS_LOCAL_FAULTS / PORT variables. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'retry-interval-ms': { type: 'string' },
        'retry-scale': { type: 'string' },
        'console-port': { type: 'string' },
        watch: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const port = intOption('port', v.port ?? env.PORT, 3000, 65535);
  return {
    help: v.help === true,
    port,
    dataDir: v['data-dir'] ?? '.local',
    faults: [...parseFaultList(env.ORDERS_LOCAL_FAULTS), ...(v.fault ?? []).map(parseFaultSpec)],
    retryScale: scaleOption(v['retry-scale'], 0.01),
    ...(v['retry-interval-ms'] !== undefined ? { retryIntervalMs: intOption('retry-interval-ms', v['retry-interval-ms'], 0, 600000) } : {}),
    // With the API on any free port, the console takes one too: two runtimes side by side never collide.
    consolePort: intOption('console-port', v['console-port'], port === 0 ? 0 : 3001, 65535),
    watch: v.watch === true,
  };
}

/** One line for a failed start; a port in use names the option that set it (`ports`: the options' values). */
export function startMessage(e: unknown, ports: { readonly port?: number; readonly consolePort?: number } = {}): string {
  const err = e as NodeJS.ErrnoException & { port?: number };
  if (err?.code === 'EADDRINUSE') {
    const option = err.port !== undefined && err.port === ports.consolePort && err.port !== ports.port ? '--console-port' : '--port';
    return `Port already in use (${err.message}); pass ${option} <n> or ${option} 0.`;
  }
  // Lock and data-dir errors already are one line naming the process or path and the fix.
  return String(err?.message ?? e).split('\n')[0];
}
