/**
 * The local console: a small page on 127.0.0.1 that lists orders and executions live and,
 * for one execution, draws the workflow from the same ASL definition the stack deploys with
 * the path it took, its retries and catches, each state's duration, input and output, and the
 * stored order beside it; plus the fault-injection controls `--fault` offers.
 *
 * The page is static (HTML, one script, one stylesheet, dagre for the layout) and reads JSON
 * from `/api/*`. Every response carries a strict Content-Security-Policy; the page writes
 * values only as text (never as HTML), so nothing that came from an order can run. Requests
 * are accepted only for this server's own host (no DNS rebinding), and the one write (faults)
 * needs a JSON body and a custom header, which a cross-site form or fetch cannot send.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { ExecutionHistoryStore } from '../execution-history';
import type { ExecutionRecord } from '../execution-store';
import { type FaultInjector, FaultSpecError, parseFaultSpec, TASK_STATE_NAMES } from '../faults';
import { type LocalHttpServer, listen, readBody } from '../http-util';
import type { LocalStepFunctions } from '../step-functions';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STATIC_DIR = join(__dirname, 'static');

/** The files the page is made of: path → file and type. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(STATIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/console.js': { file: join(STATIC_DIR, 'console.js'), type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: join(STATIC_DIR, 'console.css'), type: 'text/css; charset=utf-8' },
  '/vendor/dagre.min.js': { file: dagreBrowserBuild(), type: 'text/javascript; charset=utf-8' },
};

/** dagre's minified browser build (the package exports only its module entry points, so it is found beside them). */
function dagreBrowserBuild(): string {
  return join(dirname(require.resolve('@dagrejs/dagre')), 'dagre.min.js');
}

/** The executions the list shows at most (newest first). */
export const CONSOLE_LIST_LIMIT = 200;

export interface ConsoleServerOptions {
  readonly service: LocalStepFunctions;
  readonly history: ExecutionHistoryStore;
  readonly faults: FaultInjector;
  /** The API's URL, for the stored order (`GET /orders/{orderId}`), known once the API listens. */
  readonly apiUrl: () => string | undefined;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

function securityHeaders(type: string, length: number): Record<string, string | number> {
  return {
    'content-type': type,
    'content-length': length,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, securityHeaders('application/json; charset=utf-8', Buffer.byteLength(text)));
  res.end(text);
}

function orderStatusOf(record: ExecutionRecord): string | undefined {
  try {
    const output = JSON.parse(record.output ?? 'null') as { finalStatus?: unknown; status?: unknown } | null;
    const status = output?.finalStatus ?? output?.status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

function summary(record: ExecutionRecord): Record<string, unknown> {
  const stop = record.stopDate ? Date.parse(record.stopDate) : undefined;
  return {
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    stopDate: record.stopDate,
    durationMs: stop === undefined ? undefined : stop - Date.parse(record.startDate),
    orderStatus: orderStatusOf(record),
    redriveCount: record.redriveCount,
  };
}

async function storedOrder(apiUrl: string | undefined, orderId: string): Promise<unknown> {
  if (!apiUrl) return undefined;
  try {
    const res = await fetch(`${apiUrl}/orders/${encodeURIComponent(orderId)}`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as unknown };
  } catch (e) {
    return { status: 0, body: { message: `could not read the order: ${(e as Error).message}` } };
  }
}

async function handleApi(options: ConsoleServerOptions, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const { service, history, faults } = options;
  if (req.method === 'GET' && path === '/api/executions') {
    const records = service
      .listExecutions()
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name))
      .slice(0, CONSOLE_LIST_LIMIT);
    return sendJson(res, 200, { executions: records.map(summary) });
  }
  if (req.method === 'GET' && path.startsWith('/api/executions/')) {
    let name: string;
    try {
      name = decodeURIComponent(path.slice('/api/executions/'.length));
    } catch {
      return sendJson(res, 400, { message: 'the execution name is not valid percent-encoding' });
    }
    const record = service.listExecutions().find((r) => r.name === name);
    if (!record) return sendJson(res, 404, { message: 'no execution of that name' });
    return sendJson(res, 200, {
      execution: { ...summary(record), input: record.input, output: record.output, error: record.error, cause: record.cause },
      events: history.get(name),
      order: await storedOrder(options.apiUrl(), name),
    });
  }
  if (req.method === 'GET' && path === '/api/definition') {
    return sendJson(res, 200, { stateMachineArn: service.stateMachineArn, definition: service.runner.deployedDefinition });
  }
  if (req.method === 'GET' && path === '/api/faults') {
    return sendJson(res, 200, { faults: faults.list(), taskStates: TASK_STATE_NAMES });
  }
  if (req.method === 'PUT' && path === '/api/faults') {
    // A cross-site page can neither set this header nor send JSON without a preflight we never allow.
    if (req.headers['x-orders-console'] !== '1' || !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 403, { message: 'send the faults as application/json with the header X-Orders-Console: 1' });
    }
    let specs: unknown;
    try {
      specs = (JSON.parse((await readBody(req, 16 * 1024)).toString('utf8')) as { faults?: unknown }).faults;
    } catch {
      return sendJson(res, 400, { message: 'the body must be JSON: {"faults": ["<TaskState>:<ErrorName>[:<count>|always]", ...]}' });
    }
    if (!Array.isArray(specs) || !specs.every((s) => typeof s === 'string')) {
      return sendJson(res, 400, { message: 'faults must be a list of strings such as "CheckInventory:Lambda.ServiceException:2"' });
    }
    try {
      faults.set(specs.map((s) => parseFaultSpec(s as string)));
    } catch (e) {
      if (e instanceof FaultSpecError) return sendJson(res, 400, { message: e.message });
      throw e;
    }
    return sendJson(res, 200, { faults: faults.list(), taskStates: TASK_STATE_NAMES });
  }
  return sendJson(res, 404, { message: `no such console resource: ${req.method} ${path}` });
}

/** Starts the console on host:port. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<LocalHttpServer> {
  const files = new Map(Object.entries(STATIC_FILES).map(([path, f]) => [path, { body: readFileSync(f.file), type: f.type }]));
  let allowedHosts = new Set<string>();
  const server = await listen(
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      // Only this server's own names: a page on another site that rebinds its DNS name to 127.0.0.1 gets nothing.
      if (!allowedHosts.has(String(req.headers.host ?? ''))) return sendJson(res, 421, { message: 'unknown host' });
      if (path === '/favicon.ico') {
        res.writeHead(204, securityHeaders('image/x-icon', 0));
        res.end();
        return;
      }
      const file = req.method === 'GET' ? files.get(path === '/index.html' ? '/' : path) : undefined;
      if (file) {
        res.writeHead(200, securityHeaders(file.type, file.body.length));
        res.end(file.body);
        return;
      }
      handleApi(options, req, res, path).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { message: `console error: ${(e as Error).message}` });
        else res.end();
      });
    },
    options.host,
    options.port,
  );
  allowedHosts = new Set([`${options.host}:${server.port}`, `localhost:${server.port}`]);
  return server;
}
