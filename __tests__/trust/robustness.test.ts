/**
 * The local runtime under abuse, over HTTP: requests Node's parser or the adapter refuse
 * all get a JSON body; execution names of any script never reach the file system as such;
 * overload is answered 503 + Retry-After before anything starts (a 202 was started, a 503
 * was not); a stray object under the records prefix never fails a page.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { orderIdFromIdempotencyKey } from '../../handlers/shared/ids';
import { indexKey, recordKey } from '../../handlers/shared/storage-layout';
import { MAX_REQUEST_HEADERS } from '../../local/api-gateway';
import { closeIdleConnections, postOrder, runPool, send } from './http';
import { VALID_ORDER } from './hostile-cases';
import { rawExchange, type RawAnswer } from './raw-http';
import { startTrustRuntime, type TrustRuntime } from './trust-runtime';

const MAX_IN_FLIGHT = 3;
const MAX_IN_FLIGHT_PER_CONNECTION = 2;

let rt: TrustRuntime;
let port: number;

beforeAll(async () => {
  rt = await startTrustRuntime({ maxInFlight: MAX_IN_FLIGHT, maxInFlightPerConnection: MAX_IN_FLIGHT_PER_CONNECTION });
  port = Number(new URL(rt.baseUrl).port);
}, 120_000);

afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

/** Every answer is JSON `{ message }` naming the problem, never a bodiless status. */
function expectJsonError(answer: RawAnswer | undefined, status: number, message: RegExp): void {
  expect(answer?.status).toBe(status);
  expect(answer?.headers['content-type']).toMatch(/^application\/json/);
  expect((answer?.json as { message?: string } | undefined)?.message).toMatch(message);
}

const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}Connection: close\r\n\r\n`;

describe('GIVEN requests Node or the adapter refuse WHEN sent THEN each gets its 4xx with a JSON body and the server keeps serving', () => {
  it.each([
    ['//[', 400, /request target is malformed/],
    ['//a:99999/orders', 400, /request target is malformed/],
    ['//%zz/orders', 400, /request target is malformed/],
    ['/orders/[1]', 400, /request target is malformed/],
    ['/orders/%zz', 400, /percent-encoding/],
    ['*', 400, /request target is malformed/],
    ['orders', 400, /request target is malformed|Malformed request/],
  ])('request-target %s → %i', async (target, status, message) => {
    const [answer] = await rawExchange(port, get(target));
    expectJsonError(answer, status, message);
  });

  it(`GIVEN more than ${MAX_REQUEST_HEADERS} headers, the Content-Type and Idempotency-Key last THEN 431 JSON, not silently dropped headers`, async () => {
    const many = Array.from({ length: 1100 }, (_, i) => `x-h${i}: 1\r\n`).join('');
    const body = JSON.stringify(VALID_ORDER);
    const request = `POST /orders HTTP/1.1\r\nHost: localhost\r\n${many}Content-Type: application/json\r\nIdempotency-Key: many-headers\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const [answer] = await rawExchange(port, request);
    expectJsonError(answer, 431, /Too many request headers \(1104; at most 100\)/);
    expect(rt.runtime.execution(orderIdFromIdempotencyKey('many-headers'))).toBeUndefined();
  });

  it('GIVEN exactly the header limit THEN the request is served', async () => {
    const headers = Array.from({ length: MAX_REQUEST_HEADERS - 2 }, (_, i) => `x-h${i}: 1\r\n`).join('');
    const [answer] = await rawExchange(port, get('/orders?limit=1', headers));
    expect(answer?.status).toBe(200);
  });

  it('GIVEN headers over 16 KiB THEN 431 JSON (Node parser error answered by the adapter)', async () => {
    const [answer] = await rawExchange(port, get('/orders', `x-big: ${'a'.repeat(20_000)}\r\n`));
    expectJsonError(answer, 431, /header fields too large/);
  });

  it('GIVEN HTTP/1.1 without Host THEN 400 JSON; HTTP/1.0 without Host is served', async () => {
    expectJsonError((await rawExchange(port, 'GET /orders HTTP/1.1\r\nConnection: close\r\n\r\n'))[0], 400, /Host header is required/);
    expect((await rawExchange(port, 'GET /orders?limit=1 HTTP/1.0\r\n\r\n'))[0]?.status).toBe(200);
  });

  it.each([
    ['a garbage request line', 'HELLO\r\n\r\n', 400, /Malformed/],
    ['a malformed Content-Length', 'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, /Content-Length/],
    [
      'both Content-Length and chunked',
      'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      /Malformed/,
    ],
    ['a header name with a space', 'GET /orders HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400, /header name or value/],
    ['an unsupported Expect', 'POST /orders HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}', 417, /Expectation/],
  ])('GIVEN %s THEN %i JSON', async (_case, request, status, message) => {
    expectJsonError((await rawExchange(port, request))[0], status, message);
  });

  it('THEN the server still answers', async () => {
    expect((await send(rt.baseUrl, { method: 'GET', path: '/orders?limit=1' })).status).toBe(200);
  });
});

describe('GIVEN execution names Step Functions accepts WHEN started on the local endpoint THEN file names stay bounded and distinct', () => {
  let sfn: SFNClient;
  beforeAll(() => {
    sfn = new SFNClient({ endpoint: rt.runtime.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  });
  afterAll(() => sfn.destroy());

  it('80 × "@", 80 CJK characters, 40 emoji and two names differing in one character all start, describe and get their own file', async () => {
    const names = ['@'.repeat(80), '李'.repeat(80), '😀'.repeat(40), `${'é'.repeat(79)}a`, `${'é'.repeat(79)}b`];
    for (const name of names) {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: rt.runtime.stateMachineArn, name, input: '{}' }));
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      expect(described.name).toBe(name);
    }
    await rt.runtime.waitForIdle(30_000);
    const files = readdirSync(join(rt.runtime.dataDir, 'executions'));
    for (const file of files) expect(Buffer.byteLength(file)).toBeLessThanOrEqual(70);
    for (const name of names) expect(rt.runtime.execution(name)?.status).not.toBe('RUNNING');
    expect(new Set(files).size).toBe(files.length);
    expect(files.length).toBeGreaterThanOrEqual(names.length);
    expect((await send(rt.baseUrl, { method: 'GET', path: '/orders?limit=1' })).status).toBe(200);
  });
});

describe('GIVEN more concurrent requests than the in-flight bounds WHEN sent THEN the excess gets 503 + Retry-After and was never started', () => {
  it('30 keyed POSTs at once: every 202 is stored exactly once, every 503 left no execution and no record; their retries succeed', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `pressure-${i}`);
    const first = await runPool(keys, keys.length, (key) => postOrder(rt.baseUrl, VALID_ORDER, key));
    const accepted = keys.filter((_, i) => first[i].status === 202);
    const refused = keys.filter((_, i) => first[i].status === 503);
    expect(accepted.length + refused.length).toBe(keys.length);
    expect(refused.length).toBeGreaterThan(0);
    for (const res of first.filter((r) => r.status === 503)) {
      expect(res.headers['retry-after']).toBe('1');
      expect((res.json as { message: string }).message).toMatch(/busy|in flight/);
    }
    await rt.waitForStored(accepted.map((k) => orderIdFromIdempotencyKey(k)));
    const records = new Set(await rt.listKeys('orders/records/'));
    for (const key of refused) {
      expect(rt.runtime.execution(orderIdFromIdempotencyKey(key))).toBeUndefined();
      expect(records.has(recordKey(orderIdFromIdempotencyKey(key)))).toBe(false);
    }
    // Retried one by one, within the bounds: all accepted, and still one record per key.
    for (const key of refused) expect((await postOrder(rt.baseUrl, VALID_ORDER, key)).status).toBe(202);
    await rt.waitForStored(keys.map((k) => orderIdFromIdempotencyKey(k)));
    const stored = (await rt.listKeys('orders/records/')).filter((k) =>
      keys.some((key) => k === recordKey(orderIdFromIdempotencyKey(key))),
    );
    expect(stored).toHaveLength(keys.length);
  }, 60_000);

  it(`8 pipelined GETs on one connection: at most ${MAX_IN_FLIGHT_PER_CONNECTION} at once are served, the rest 503 JSON, all answered in order`, async () => {
    const pipelined = Array.from({ length: 8 }, (_, i) => `GET /orders?limit=1 HTTP/1.1\r\nHost: x\r\nX-Seq: ${i}\r\n\r\n`).join('');
    const answers = await rawExchange(port, pipelined, 8);
    expect(answers).toHaveLength(8);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    for (const a of answers) {
      expect([200, 503]).toContain(a.status);
      expect(a.headers['content-type']).toMatch(/^application\/json/);
    }
  });
});

describe('GIVEN an object under the records prefix that is not a valid order WHEN listing THEN it is skipped, never a 500', () => {
  it('a non-JSON record and a record of another order are left out; the valid order is listed', async () => {
    const good = await postOrder(rt.baseUrl, VALID_ORDER, 'listing-good');
    const goodId = (good.json as { orderId: string }).orderId;
    await rt.waitForStored([goodId]);
    const later = new Date(Date.now() + 60_000).toISOString();
    const junkId = orderIdFromIdempotencyKey('listing-junk');
    const otherId = orderIdFromIdempotencyKey('listing-other');
    await rt.putObject(recordKey(junkId), 'not json {');
    await rt.putObject(indexKey(later, junkId), '{}');
    await rt.putObject(recordKey(otherId), JSON.stringify({ orderId: goodId, finalStatus: 'completed', createdAt: later }));
    await rt.putObject(indexKey(later, otherId), '{}');

    const page = await send(rt.baseUrl, { method: 'GET', path: '/orders?limit=100' });

    expect(page.status).toBe(200);
    const ids = (page.json as { orders: Array<{ orderId: string }> }).orders.map((o) => o.orderId);
    expect(ids).toContain(goodId);
    expect(ids).not.toContain(junkId);
    expect(ids.filter((id) => id === goodId)).toHaveLength(1);
  });
});
