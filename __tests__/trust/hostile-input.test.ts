/**
 * Hostile input over real HTTP against one local runtime: every malformed or malicious
 * request gets its exact 4xx with a clear JSON message and no stack trace, the server
 * stays up, and nothing is stored or started. Valid non-ASCII names and SQL/script text
 * are data: accepted, stored verbatim, returned JSON-escaped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../packaging/bundle';
import { HOSTILE_CASES, VALID_DATA_CASES, VALID_ORDER, type HostileCase } from './hostile-cases';
import { closeIdleConnections, postOrder, send } from './http';
import { startTrustRuntime, type TrustRuntime } from './trust-runtime';

/** `items[0].price`, `items.0.price` and `/items/0/price` all name the same field. */
function normalisePath(path: unknown): string {
  const text = Array.isArray(path) ? path.join('.') : String(path);
  return text
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^[./]+/, '')
    .replace(/\//g, '.');
}

/**
 * The string as the API must write it inside its JSON: standard JSON escaping plus `<`, `>`
 * and `&` as \u003c, \u003e, \u0026 (handlers/api/http.ts `safeJson`), so customer text
 * stays inert even if a client pastes the body into HTML.
 */
function safeJsonString(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Stack frames ("at fn (file:line)"), absolute paths or Node internals must never reach a client. */
const STACK_TRACE = /\n\s+at |\bat [\w.<>]+ \(|\/work\/|node:internal|[\w-]+\.(ts|js):\d+/;

let rt: TrustRuntime;
let before: { records: number; index: number; executions: number };

beforeAll(async () => {
  rt = await startTrustRuntime();
  before = await rt.snapshot();
});

afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

describe('GIVEN a running local runtime WHEN it receives hostile input', () => {
  it('has as many hostile cases as the README and docs/trust.md say, with unique names', () => {
    const claimed = [
      ...readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8').matchAll(/(\d+) hostile requests/g),
      ...readFileSync(join(PROJECT_ROOT, 'docs', 'trust.md'), 'utf8').matchAll(/(\d+) malformed or malicious requests/g),
    ].map((m) => Number(m[1]));
    expect(claimed.length).toBeGreaterThanOrEqual(3);
    expect(new Set(claimed)).toEqual(new Set([HOSTILE_CASES.length]));
    expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))(
    '%s → exact 4xx, clear JSON message, no stack trace',
    async (_name, c: HostileCase) => {
      // Act
      const headers = { ...(c.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...c.headers };
      const res = await send(rt.baseUrl, { method: c.method, path: c.path, headers, body: c.body });

      // Assess
      expect({ status: res.status, body: res.text.slice(0, 300) }).toEqual({ status: c.status, body: expect.any(String) });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json as { message?: unknown; errors?: Array<{ path?: unknown; message?: unknown }> };
      expect(typeof body?.message).toBe('string');
      expect((body.message as string).length).toBeGreaterThan(5);
      expect(res.text).not.toMatch(STACK_TRACE);
      if (c.errorPath !== undefined) {
        const paths = (body.errors ?? []).map((e) => normalisePath(e.path));
        expect(paths).toContain(c.errorPath);
        for (const e of body.errors ?? []) expect(typeof e.message).toBe('string');
      }
    },
  );

  it('THEN the server still answers and no order was stored or started for any of them', async () => {
    // Act
    const list = await send(rt.baseUrl, { method: 'GET', path: '/orders?limit=100' });
    const after = await rt.snapshot();

    // Assess
    expect(list.status).toBe(200);
    expect((list.json as { orders: unknown[] }).orders).toHaveLength(0);
    expect(after).toEqual(before);
  });
});

describe('GIVEN valid orders carrying non-ASCII, SQL and script text WHEN posted', () => {
  const accepted = new Map<string, string>();

  beforeAll(async () => {
    for (const v of VALID_DATA_CASES) {
      const res = await postOrder(rt.baseUrl, { ...VALID_ORDER, customerName: v.customerName });
      if (res.status === 202) accepted.set(v.name, (res.json as { orderId: string }).orderId);
    }
    await rt.waitForStored([...accepted.values()]);
  });

  it.each(VALID_DATA_CASES.map((v) => [v.name, v] as const))('%s is accepted (202) and stored verbatim', async (name, v) => {
    // Assess: the API accepted it and the stored record holds the exact characters.
    expect(accepted.has(name)).toBe(true);
    const record = await rt.readRecord(accepted.get(name)!);
    expect((record as { orderDetails: { customerName: string } }).orderDetails.customerName).toBe(v.customerName);
  });

  it.each(VALID_DATA_CASES.map((v) => [v.name, v] as const))('%s is returned JSON-escaped by GET /orders/{id}', async (name, v) => {
    // Act
    const res = await send(rt.baseUrl, { method: 'GET', path: `/orders/${accepted.get(name)}` });

    // Assess: a JSON document (never HTML) whose string round-trips exactly; quotes and
    // backslashes escaped, so the text cannot break out of its JSON string.
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toContain(safeJsonString(v.customerName));
    expect(res.text).not.toContain('<script');
    expect((res.json as { orderDetails: { customerName: string } }).orderDetails.customerName).toBe(v.customerName);
  });
});
