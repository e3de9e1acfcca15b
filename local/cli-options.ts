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
  --retry-interval-ms <n>  wait before each Retry attempt (default 100; AWS waits seconds)
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
  readonly retryIntervalMs: number;
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  return {
    help: v.help === true,
    port: intOption('port', v.port ?? env.PORT, 3000, 65535),
    dataDir: v['data-dir'] ?? '.local',
    faults: [...parseFaultList(env.ORDERS_LOCAL_FAULTS), ...(v.fault ?? []).map(parseFaultSpec)],
    retryIntervalMs: intOption('retry-interval-ms', v['retry-interval-ms'], 100, 600000),
  };
}
