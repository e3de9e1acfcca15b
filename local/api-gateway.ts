/**
 * The local API Gateway: turns HTTP requests into API Gateway REST proxy events
 * (version 1.0 payload) for the api bundle and its results back into responses, for the
 * three routes of the API contract. Differences from AWS are on purpose and documented
 * in docs/local.md: no API key, no WAF, no request-model validation (the handler's own
 * validation answers), and unknown routes answer 404 (AWS answers 403 with the same body).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ROUTES, matchResource } from '../spec/routes';
import type { InvocationLog } from './invocation-log';
import type { LocalLambdaFunction } from './lambda-host';
import { BodyTooLargeError, listen, readBody, type LocalHttpServer } from './http-util';

/** API Gateway's payload quota. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Route {
  readonly method: string;
  readonly resource: string;
  readonly match: (segments: string[]) => Record<string, string> | null | undefined;
}

/** The spec's routes; `null` path parameters for a resource without any, as API Gateway sends. */
export const ROUTES: readonly Route[] = API_ROUTES.map((r) => ({
  method: r.method,
  resource: r.resource,
  match: (segments: string[]) => {
    const params = matchResource(r.resource, segments);
    return params && Object.keys(params).length === 0 ? null : params;
  },
}));

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Headers as API Gateway passes them: original case, last value wins, plus the multi-value map. */
function headerMaps(req: IncomingMessage): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

function queryMaps(url: URL): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

export interface ApiGatewayOptions {
  readonly api: LocalLambdaFunction;
  readonly invocations: InvocationLog;
  readonly host: string;
  readonly port: number;
  readonly accountId: string;
}

async function handle(options: ApiGatewayOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const apiHeaders = { 'x-amzn-RequestId': requestId };
  const url = new URL(req.url ?? '/', 'http://local');
  let segments: string[];
  try {
    segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return sendJson(res, 400, { message: 'The request path is not valid percent-encoding' }, apiHeaders);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const route = ROUTES.find((r) => r.method === method && r.match(segments) !== undefined);
  if (!route) {
    // API Gateway answers unknown resources and methods with this body (and status 403).
    req.resume();
    return sendJson(
      res,
      404,
      { message: 'Missing Authentication Token' },
      { ...apiHeaders, 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' },
    );
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { message: `Request body larger than ${MAX_BODY_BYTES} bytes (the API Gateway limit)` }, apiHeaders);
    }
    throw e;
  }
  // Text bodies go as strings; bytes that are not UTF-8 go base64-encoded and the handler decides.
  let body: string | null = null;
  let isBase64Encoded = false;
  if (raw.length > 0) {
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      body = raw.toString('base64');
      isBase64Encoded = true;
    }
  }
  const { headers, multiValueHeaders } = headerMaps(req);
  const query = queryMaps(url);
  const pathParameters = route.match(segments) ?? null;
  const now = new Date();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const event = {
    resource: route.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: options.accountId,
      apiId: 'local',
      domainName: `${options.host}:${options.port}`,
      domainPrefix: 'local',
      extendedRequestId: requestId,
      httpMethod: method,
      identity: {
        sourceIp,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        user: null,
        userArn: null,
        accessKey: null,
        accountId: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        principalOrgId: null,
      },
      path: `/local${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: now.toISOString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: route.resource,
      stage: 'local',
      authorizer: null,
    },
    body,
    isBase64Encoded,
  };
  const startedAt = Date.now();
  const attempt = options.invocations.nextAttempt(undefined, undefined);
  let result: unknown;
  try {
    result = await options.api.invoke(event);
    options.invocations.add({
      handler: 'api',
      attempt,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      outcome: 'succeeded',
    });
  } catch (e) {
    options.invocations.add({
      handler: 'api',
      attempt,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      outcome: 'failed',
      errorType: (e as Error).name,
    });
    // A function error reaches the client as API Gateway's generic 502.
    return sendJson(res, 502, { message: 'Internal server error' }, { ...apiHeaders, 'x-amzn-ErrorType': 'InternalServerErrorException' });
  }
  const r = result as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    body?: unknown;
    isBase64Encoded?: unknown;
  } | null;
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.statusCode !== 'number' ||
    !Number.isInteger(r.statusCode) ||
    r.statusCode < 100 ||
    r.statusCode > 599
  ) {
    // API Gateway's answer to a malformed proxy response.
    return sendJson(res, 502, { message: 'Internal server error' }, { ...apiHeaders, 'x-amzn-ErrorType': 'InternalServerErrorException' });
  }
  const out =
    r.body === undefined || r.body === null
      ? Buffer.alloc(0)
      : r.isBase64Encoded === true
        ? Buffer.from(String(r.body), 'base64')
        : Buffer.from(String(r.body), 'utf8');
  const responseHeaders: Record<string, string | string[]> = { ...apiHeaders };
  // The adapter frames the body itself, so the handler's framing headers are dropped.
  const framing = (name: string) => ['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase());
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) if (!framing(k)) responseHeaders[k] = (v ?? []).map(String);
  for (const [k, v] of Object.entries(r.headers ?? {})) if (!framing(k)) responseHeaders[k] = String(v);
  responseHeaders['content-length'] = String(out.length);
  res.writeHead(r.statusCode, responseHeaders);
  res.end(out);
}

/** Starts the local API on host:port (0 = a free port). */
export function startApiGateway(options: ApiGatewayOptions): Promise<LocalHttpServer> {
  let server: LocalHttpServer | undefined;
  const started = listen(
    (req, res) => {
      // With port 0 the real port is known only after listen: events carry the real one.
      handle({ ...options, port: server?.port ?? options.port }, req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
        else res.end();
      });
    },
    options.host,
    options.port,
  );
  return started.then((s) => (server = s));
}
