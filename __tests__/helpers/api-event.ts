/** Builds API Gateway REST proxy events for handler tests. */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ApiEventOptions {
  readonly method: string;
  readonly path: string;
  /** API Gateway's matched resource. @default - derived from path (/orders or /orders/{orderId}) */
  readonly resource?: string | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string | string[]>;
  readonly apiKeyId?: string;
}

export function apiEvent(options: ApiEventOptions): APIGatewayProxyEvent {
  const segments = options.path.split('/').filter(Boolean);
  const derived = segments.length === 1 ? '/orders' : segments.length === 2 ? '/orders/{orderId}' : options.path;
  const resource = options.resource === undefined ? derived : options.resource;
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers = { ...(body !== null ? { 'Content-Type': 'application/json' } : {}), ...(options.headers ?? {}) };
  const query = Object.entries(options.query ?? {});
  return {
    httpMethod: options.method,
    path: options.path,
    resource: resource as string,
    body,
    isBase64Encoded: false,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query.length ? Object.fromEntries(query.map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1] : v])) : null,
    multiValueQueryStringParameters: query.length ? Object.fromEntries(query.map(([k, v]) => [k, Array.isArray(v) ? v : [v]])) : null,
    pathParameters: segments.length === 2 ? { orderId: segments[1] } : null,
    stageVariables: null,
    requestContext: { requestId: 'req-test-1', identity: { apiKeyId: options.apiKeyId ?? null } } as never,
  };
}
