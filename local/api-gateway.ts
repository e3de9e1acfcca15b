/**
 * The local API Gateway: turns HTTP requests into API Gateway REST proxy events
 * (version 1.0 payload) for the api bundle and its results back into responses, for the
 * three routes of the API contract. Differences from AWS are on purpose and documented
 * in docs/local.md: no API key, no WAF, no request-model validation (the handler's own
 * validation answers), and unknown routes answer the deployed gateway's 404 naming the routes.
 *
 * Every answer the adapter gives itself is JSON `{ message }`, including the ones Node's
 * HTTP parser would give without a body. Requests beyond the in-flight bounds get `503`
 * with `Retry-After` before the function is invoked: a 5xx from here never started anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { API_ROUTES, matchResource, unknownRouteAnswer } from '../spec/routes';
import { buildProxyEvent, type ProxyEventRoute } from './api-proxy-event';
import { BodyTooLargeError, listen, readBody, type LocalHttpServer } from './http-util';
import type { InvocationLog } from './invocation-log';
import type { LocalLambdaFunction } from './lambda-host';

/** API Gateway's payload quota. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Request headers accepted; more get 431 (Node would silently drop the ones past its own count). */
export const MAX_REQUEST_HEADERS = 100;
/** Requests served at once over all connections, by default. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/** Requests of one connection (HTTP/1.1 pipelining) served at once, by default. */
export const DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 4;
/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** The spec's routes; `null` path parameters for a resource without any, as API Gateway sends. */
export const ROUTES: readonly ProxyEventRoute[] = API_ROUTES.map((r) => ({
  method: r.method,
  resource: r.resource,
  match: (segments: string[]) => {
    const params = matchResource(r.resource, segments);
    return params && Object.keys(params).length === 0 ? null : params;
  },
}));

export interface ApiGatewayOptions {
  readonly api: LocalLambdaFunction;
  readonly invocations: InvocationLog;
  readonly host: string;
  readonly port: number;
  readonly accountId: string;
  /** Requests served at once over all connections; more get 503. @default DEFAULT_MAX_IN_FLIGHT */
  readonly maxInFlight?: number;
  /** Requests of one connection served at once; more get 503. @default DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION */
  readonly maxInFlightPerConnection?: number;
  /** Why the API cannot serve now (e.g. a dependency is down), answered 503; undefined = available. @default - always available */
  readonly unavailable?: () => string | undefined;
}

type Headers = Record<string, string>;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function sendBusy(req: IncomingMessage, res: ServerResponse, message: string, headers: Headers): void {
  req.resume();
  sendJson(res, 503, { message }, { ...headers, 'retry-after': String(RETRY_AFTER_SECONDS), 'x-amzn-ErrorType': 'ServiceUnavailable' });
}

/** Counts requests in flight, overall and per connection. */
class InFlightLimiter {
  private total = 0;
  private readonly perSocket = new WeakMap<Socket, number>();

  constructor(
    readonly max: number,
    readonly maxPerConnection: number,
  ) {}

  /** A release function, or a message saying which bound was reached. */
  acquire(socket: Socket): (() => void) | string {
    const mine = this.perSocket.get(socket) ?? 0;
    if (mine >= this.maxPerConnection)
      return `Too many requests in flight on this connection (at most ${this.maxPerConnection}); retry after ${RETRY_AFTER_SECONDS} s`;
    if (this.total >= this.max) return `The local API is busy (${this.max} requests in flight); retry after ${RETRY_AFTER_SECONDS} s`;
    this.total += 1;
    this.perSocket.set(socket, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      this.perSocket.set(socket, (this.perSocket.get(socket) ?? 1) - 1);
    };
  }
}

/**
 * An origin-form target (`/path?query`): the path of RFC 3986 characters (unreserved,
 * sub-delims, `:`, `@`, `/` and percent-escapes, checked when decoded), the query of any
 * visible ASCII as clients send it. A target starting with `//` reads as an authority: malformed.
 */
const ORIGIN_FORM = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*(?:\?[\x21-\x22\x24-\x7e]*)?$/;

/** The request-target as a URL: origin-form (`/path?query`) or absolute-form; undefined when malformed. */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  if (!target) return undefined;
  try {
    if (ORIGIN_FORM.test(target)) return new URL(`http://local${target}`);
    if (/^https?:\/\/[^/?#]+(?:\/(?!\/)[^#\s]*)?$/i.test(target)) return new URL(target);
  } catch {
    return undefined;
  }
  return undefined;
}

/** 400/431 for a request head the adapter refuses, or undefined. */
function headProblem(req: IncomingMessage): { status: number; message: string; headers?: Headers } | undefined {
  if (req.rawHeaders.length / 2 > MAX_REQUEST_HEADERS)
    return { status: 431, message: `Too many request headers (${req.rawHeaders.length / 2}; at most ${MAX_REQUEST_HEADERS})` };
  if (req.httpVersion === '1.1' && req.headers.host === undefined) return { status: 400, message: 'The Host header is required' };
  return undefined;
}

type RoutedRequest = { url: URL; segments: string[]; route: ProxyEventRoute } | { status: number; message: string; headers?: Headers };

function routeRequest(req: IncomingMessage): RoutedRequest {
  const url = parseRequestTarget(req.url);
  if (!url) return { status: 400, message: 'The request target is malformed; send a path such as /orders' };
  let segments: string[];
  try {
    segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { status: 400, message: 'The request path is not valid percent-encoding' };
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const route = ROUTES.find((r) => r.method === method && r.match(segments) !== undefined);
  // As the deployed gateway's MISSING_AUTHENTICATION_TOKEN response answers (stacks/order-api.ts).
  if (!route) {
    const { status, message } = unknownRouteAnswer();
    return { status, message, headers: { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' } };
  }
  return { url, segments, route };
}

/** The body as the proxy event carries it: text as a string, other bytes base64-encoded (the handler decides). */
function eventBody(raw: Buffer): { body: string | null; isBase64Encoded: boolean } {
  if (raw.length === 0) return { body: null, isBase64Encoded: false };
  try {
    // ignoreBOM keeps a leading byte order mark in the text, as API Gateway passes it on.
    return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw), isBase64Encoded: false };
  } catch {
    return { body: raw.toString('base64'), isBase64Encoded: true };
  }
}

/** Invokes the api function and records the invocation; undefined when the function failed. */
async function invokeApi(options: ApiGatewayOptions, event: unknown): Promise<{ result: unknown } | undefined> {
  const startedAt = Date.now();
  const attempt = options.invocations.nextAttempt(undefined, undefined);
  const record = (outcome: 'succeeded' | 'failed', errorType?: string) =>
    options.invocations.add({
      handler: 'api',
      attempt,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      outcome,
      ...(errorType ? { errorType } : {}),
    });
  try {
    const result = await options.api.invoke(event);
    record('succeeded');
    return { result };
  } catch (e) {
    record('failed', (e as Error).name);
    return undefined;
  }
}

/** Writes the function's proxy result, or API Gateway's 502 when it is malformed. */
function sendProxyResult(res: ServerResponse, result: unknown, apiHeaders: Headers): void {
  const r = result as
    | ({ statusCode?: unknown; headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]> } & {
        body?: unknown;
        isBase64Encoded?: unknown;
      })
    | null;
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.statusCode !== 'number' ||
    !Number.isInteger(r.statusCode) ||
    r.statusCode < 100 ||
    r.statusCode > 599
  ) {
    sendJson(res, 502, { message: 'Internal server error' }, { ...apiHeaders, 'x-amzn-ErrorType': 'InternalServerErrorException' });
    return;
  }
  const text = r.body === undefined || r.body === null ? '' : String(r.body);
  const out = Buffer.from(text, r.isBase64Encoded === true ? 'base64' : 'utf8');
  const responseHeaders: Record<string, string | string[]> = { ...apiHeaders };
  // The adapter frames the body itself, so the handler's framing headers are dropped.
  const framing = (name: string) => ['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase());
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) if (!framing(k)) responseHeaders[k] = (v ?? []).map(String);
  for (const [k, v] of Object.entries(r.headers ?? {})) if (!framing(k)) responseHeaders[k] = String(v);
  responseHeaders['content-length'] = String(out.length);
  res.writeHead(r.statusCode, responseHeaders);
  res.end(out);
}

async function handle(options: ApiGatewayOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = crypto.randomUUID();
  const apiHeaders = { 'x-amzn-RequestId': requestId };
  const refused = headProblem(req) ?? routeRequest(req);
  if ('status' in refused) {
    req.resume();
    if (refused.status === 431) res.setHeader('connection', 'close');
    return sendJson(res, refused.status, { message: refused.message }, { ...apiHeaders, ...refused.headers });
  }
  const down = options.unavailable?.();
  if (down) return sendBusy(req, res, down, apiHeaders);
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    res.setHeader('connection', 'close');
    return sendJson(res, 413, { message: `Request body larger than ${MAX_BODY_BYTES} bytes (the API Gateway limit)` }, apiHeaders);
  }
  const event = buildProxyEvent({
    req,
    ...refused,
    ...eventBody(raw),
    requestId,
    accountId: options.accountId,
    domainName: `${options.host}:${options.port}`,
  });
  const invoked = await invokeApi(options, event);
  // A function error reaches the client as API Gateway's generic 502.
  if (!invoked)
    return sendJson(res, 502, { message: 'Internal server error' }, { ...apiHeaders, 'x-amzn-ErrorType': 'InternalServerErrorException' });
  sendProxyResult(res, invoked.result, apiHeaders);
}

/** Starts the local API on host:port (0 = a free port). */
export function startApiGateway(options: ApiGatewayOptions): Promise<LocalHttpServer> {
  let server: LocalHttpServer | undefined;
  const limiter = new InFlightLimiter(
    options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    options.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
  );
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const release = limiter.acquire(req.socket);
    if (typeof release === 'string') return sendBusy(req, res, release, { 'x-amzn-RequestId': crypto.randomUUID() });
    res.once('finish', release);
    res.once('close', release);
    // With port 0 the real port is known only after listen: events carry the real one.
    handle({ ...options, port: server?.port ?? options.port }, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.end();
    });
  };
  return listen(onRequest, options.host, options.port).then((s) => (server = s));
}
