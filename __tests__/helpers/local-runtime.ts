/**
 * Starts the local runtime for an end-to-end test: free ports, a fresh temp data dir,
 * the real handler bundles (built once per content hash and shared by all test files),
 * short retry waits. `restart()` stops and starts again on the same data dir;
 * `cleanup()` stops and deletes the temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBundles } from '../../local/bundles';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime';
import { sampleOrderBody } from '../fixtures/sample-order';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
  readonly json: any;
}

export interface TestRuntime {
  readonly runtime: LocalRuntime;
  readonly dataDir: string;
  /** Any request against the API; `body` objects are sent as JSON. */
  request(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<HttpResult>;
  /** POST /orders with a JSON body and optional Idempotency-Key. */
  postOrder(body: unknown, idempotencyKey?: string): Promise<HttpResult>;
  get(path: string): Promise<HttpResult>;
  /** Stops the runtime and starts it again on the same data dir (options may change, e.g. faults). */
  restart(overrides?: Partial<LocalRuntimeOptions>): Promise<TestRuntime>;
  /** Stops the runtime (data dir kept). */
  stop(): Promise<void>;
  /** Stops the runtime and deletes the data dir. */
  cleanup(): Promise<void>;
}

export type TestRuntimeOptions = Partial<LocalRuntimeOptions>;

export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'order-infra-local-'));
  const bundlesDir = options.bundlesDir ?? (await ensureBundles());
  const runtimeOptions: LocalRuntimeOptions = { port: 0, quiet: true, retryIntervalMs: 10, ...options, dataDir, bundlesDir };
  const runtime = await startLocalRuntime(runtimeOptions);
  const request: TestRuntime['request'] = async (method, path, init = {}) => {
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === 'string' || init.body instanceof Uint8Array
          ? init.body
          : JSON.stringify(init.body);
    const headers = {
      ...(body !== undefined && typeof init.body !== 'string' && !(init.body instanceof Uint8Array)
        ? { 'content-type': 'application/json' }
        : {}),
      ...init.headers,
    };
    const response = await fetch(`${runtime.apiUrl}${path}`, { method, body, headers });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  const self: TestRuntime = {
    runtime,
    dataDir,
    request,
    postOrder: (body, key) => request('POST', '/orders', { body, headers: key ? { 'Idempotency-Key': key } : {} }),
    get: (path) => request('GET', path),
    restart: async (overrides = {}) => {
      await runtime.stop();
      return startTestRuntime({ ...runtimeOptions, ...overrides, dataDir, bundlesDir });
    },
    stop: () => runtime.stop(),
    cleanup: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** A valid order body; override fields per test. */
export function validOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...sampleOrderBody(), ...overrides };
}
