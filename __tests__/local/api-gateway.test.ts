/**
 * The API Gateway adapter on its own, with a fixture function that echoes the proxy
 * event it receives (or answers what the test asks for): event shape, body encoding,
 * limits, unknown routes and malformed function results.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BODY_BYTES, startApiGateway } from '../../local/api-gateway';
import type { LocalHttpServer } from '../../local/http-util';
import { InvocationLog } from '../../local/invocation-log';
import { LocalLambdaFunction } from '../../local/lambda-host';

const ECHO_FUNCTION = `
exports.handler = async (event, context) => {
  const body = event.body && !event.isBase64Encoded ? event.body : '';
  if (body.startsWith('throw')) { const e = new Error('boom at /secret/path.js:1'); e.name = 'TypeError'; throw e; }
  if (body === 'malformed') return { body: 'no status' };
  return { statusCode: 200, headers: { 'X-Echo': 'yes', 'Content-Length': '1' }, body: JSON.stringify({ event, remaining: context.getRemainingTimeInMillis(), fn: context.functionName }) };
};`;

let dir: string;
let fn: LocalLambdaFunction;
let server: LocalHttpServer;
let base: string;
const invocations = new InvocationLog();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-apigw-'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', 'index.js'), ECHO_FUNCTION);
  fn = new LocalLambdaFunction({
    functionName: 'orders-local-api',
    file: join(dir, 'api', 'index.js'),
    environment: {},
    timeoutMs: 5000,
    memorySizeMb: 256,
    logFile: join(dir, 'logs', 'api.log'),
    region: 'us-east-1',
    accountId: '000000000000',
  });
  server = await startApiGateway({ api: fn, invocations, host: '127.0.0.1', port: 0, accountId: '000000000000' });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await fn?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method, body, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    })(),
  };
}

describe('proxy event', () => {
  it('GIVEN GET /orders/{orderId} with a query WHEN called THEN the event has resource, pathParameters, single and multi-value query, headers in their case and a requestContext', async () => {
    const res = await call('GET', '/orders/ord_X%20Y?limit=2&tag=a&tag=b', undefined, { 'X-Custom': 'one' });
    expect(res.status).toBe(200);
    const { event, remaining, fn: functionName } = res.json;
    expect(event).toMatchObject({
      resource: '/orders/{orderId}',
      httpMethod: 'GET',
      path: '/orders/ord_X%20Y',
      pathParameters: { orderId: 'ord_X Y' },
      queryStringParameters: { limit: '2', tag: 'b' },
      multiValueQueryStringParameters: { limit: ['2'], tag: ['a', 'b'] },
      body: null,
      isBase64Encoded: false,
      requestContext: { stage: 'local', resourcePath: '/orders/{orderId}', identity: { sourceIp: '127.0.0.1' } },
    });
    expect(event.headers['X-Custom']).toBe('one');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one']);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(remaining).toBeGreaterThan(0);
    expect(functionName).toBe('orders-local-api');
    expect(res.headers.get('x-echo')).toBe('yes');
  });

  it('GIVEN GET /orders without a query WHEN called THEN the query maps are null and pathParameters null', async () => {
    const { json } = await call('GET', '/orders');
    expect(json.event).toMatchObject({
      resource: '/orders',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
    });
  });

  it('GIVEN a UTF-8 body WHEN posted THEN it reaches the handler as a string', async () => {
    const { json } = await call('POST', '/orders', '{"customerName":"José 李小龍"}', { 'content-type': 'application/json' });
    expect(json.event.body).toBe('{"customerName":"José 李小龍"}');
    expect(json.event.isBase64Encoded).toBe(false);
  });

  it('GIVEN a body that is not valid UTF-8 WHEN posted THEN it reaches the handler base64-encoded with isBase64Encoded true', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const { json } = await call('POST', '/orders', bytes);
    expect(json.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(json.event.body, 'base64')).toEqual(Buffer.from(bytes));
  });
});

describe('answers the adapter gives itself', () => {
  it.each([
    ['DELETE', '/orders'],
    ['PUT', '/orders/ord_1'],
    ['GET', '/'],
    ['GET', '/orders/a/b'],
    ['GET', '/other'],
  ])('GIVEN %s %s WHEN called THEN 404 naming the routes, as the deployed gateway answers', async (method, path) => {
    const res = await call(method, path);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      message: 'No route for this method and path; the API serves POST /orders, GET /orders, GET /orders/{orderId}',
    });
  });

  it('GIVEN a body over 10 MB WHEN posted THEN 413 and the function is not invoked', async () => {
    const before = invocations.count({ handler: 'api' });
    const res = await call('POST', '/orders', new Uint8Array(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(invocations.count({ handler: 'api' })).toBe(before);
    expect(res.json.message).toMatch(/larger than/);
  });

  it('GIVEN a function that throws WHEN called THEN 502 Internal server error without the error text', async () => {
    const res = await call('POST', '/orders', 'throw');
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.text).not.toContain('secret');
  });

  it('GIVEN a function result without statusCode WHEN called THEN 502 like API Gateway', async () => {
    const res = await call('POST', '/orders', 'malformed');
    expect(res.status).toBe(502);
  });

  it('GIVEN a bad percent-encoding in the path WHEN called THEN 400 naming it', async () => {
    const res = await call('GET', '/orders/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/percent-encoding/);
  });
});
