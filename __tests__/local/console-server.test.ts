/**
 * The console's server over HTTP: the page and its files with a strict CSP, the JSON it reads,
 * the fault controls, and the host and header checks that keep other sites out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../local/console/console-server';
import { startTestRuntime, type TestRuntime, validOrder } from '../helpers/local-runtime';

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(() => t?.cleanup());

function consoleFetch(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, t.runtime.consoleUrl), init);
}

/** A raw request with any Host header (fetch does not let a caller set Host). */
function rawGet(path: string, host: string): Promise<number> {
  const url = new URL(t.runtime.consoleUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local console server', () => {
  it.each(['/', '/console.js', '/console.css', '/vendor/dagre.min.js'])(
    'GIVEN GET %s THEN it is served with the strict CSP and nosniff',
    async (path) => {
      const res = await consoleFetch(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(500);
    },
  );

  it('THEN the CSP allows scripts, styles and requests only from the console itself', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('THEN the page writes no value as HTML: no innerHTML, outerHTML, insertAdjacentHTML or document.write, no inline script or style', () => {
    const dir = join(__dirname, '..', '..', 'local', 'console', 'static');
    const script = readFileSync(join(dir, 'console.js'), 'utf8');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=/i);
  });

  it('GIVEN a Host that is not the console (DNS rebinding) THEN 421 and nothing else', async () => {
    expect(await rawGet('/api/executions', 'evil.example:80')).toBe(421);
    expect(await rawGet('/', `localhost:${new URL(t.runtime.consoleUrl).port}`)).toBe(200);
  });

  it('GIVEN a finished order THEN the list shows it with its order status, and its detail has the events and the stored order', async () => {
    const posted = await t.postOrder(validOrder());
    const id = posted.json.orderId as string;
    await t.runtime.waitForExecution(id);
    const list = (await (await consoleFetch('/api/executions')).json()) as { executions: Array<Record<string, unknown>> };
    expect(list.executions.find((x) => x.name === id)).toMatchObject({ status: 'SUCCEEDED', orderStatus: 'completed' });
    const detail = (await (await consoleFetch(`/api/executions/${encodeURIComponent(id)}`)).json()) as {
      events: Array<{ type: string }>;
      order: { status: number; body: { orderId: string } };
    };
    expect(detail.events[0]?.type).toBe('ExecutionStarted');
    expect(detail.events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(detail.order).toMatchObject({ status: 200, body: { orderId: id } });
    expect((await consoleFetch('/api/executions/no-such-order')).status).toBe(404);
  });

  it('GIVEN the definition endpoint THEN it is the definition the workflow runs', async () => {
    const body = (await (await consoleFetch('/api/definition')).json()) as { definition: { StartAt: string }; stateMachineArn: string };
    expect(body.stateMachineArn).toBe(t.runtime.stateMachineArn);
    expect(body.definition.StartAt).toBe('ProcessOrder');
  });

  it('GIVEN PUT /api/faults THEN it needs JSON and the console header, rejects bad specs with 400, and sets the runtime faults', async () => {
    const put = (body: unknown, headers: Record<string, string>) =>
      consoleFetch('/api/faults', { method: 'PUT', headers, body: JSON.stringify(body) });
    const json = { 'content-type': 'application/json', 'x-orders-console': '1' };
    expect((await put({ faults: ['CheckInventory:Lambda.ServiceException:1'] }, { 'content-type': 'text/plain' })).status).toBe(403);
    expect((await put({ faults: ['CheckInventory:Lambda.ServiceException:1'] }, { 'content-type': 'application/json' })).status).toBe(403);
    const bad = await put({ faults: ['Nowhere:Boom'] }, json);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/Nowhere/);
    const ok = await put({ faults: ['CheckInventory:Lambda.ServiceException:2'] }, json);
    expect(ok.status).toBe(200);
    expect(t.runtime.faults.list()).toEqual([{ state: 'CheckInventory', error: 'Lambda.ServiceException', times: 2 }]);
    expect((await put({ faults: [] }, json)).status).toBe(200);
    expect(t.runtime.faults.list()).toEqual([]);
  });
});
