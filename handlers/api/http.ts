/**
 * API Gateway proxy results: JSON bodies, error shape `{ message, errors?, requestId? }`,
 * and headers that keep a browser from interpreting the JSON (nosniff, no caching).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FieldError } from '../shared/order-schema';

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
} as const;

/**
 * JSON with <, >, & and the JS line separators escaped: customer text such as
 * `<script>` stays inert even if a client pastes the body into HTML.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jsonResponse(statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: safeJson(body) };
}

export function errorResponse(
  statusCode: number,
  message: string,
  errors?: readonly FieldError[],
  headers?: Readonly<Record<string, string>>,
  requestId?: string,
): APIGatewayProxyResult {
  return jsonResponse(
    statusCode,
    { message, ...(errors && errors.length > 0 ? { errors } : {}), ...(requestId ? { requestId } : {}) },
    headers,
  );
}

/** A header's value, name matched case-insensitively (API Gateway keeps the client's case). */
export function header(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && values && values.length > 0) return values[values.length - 1];
  }
  return undefined;
}

/**
 * Every value a header was sent with, names matched case-insensitively (`Idempotency-Key` and
 * `idempotency-key` are one header, which API Gateway keeps as two keys).
 */
export function headerValues(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>, name: string): string[] {
  const wanted = name.toLowerCase();
  const matching = (map: Record<string, unknown> | null | undefined) =>
    Object.entries(map ?? {}).filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined && value !== null);
  const multi = matching(event.multiValueHeaders).flatMap(([, values]) => values as string[]);
  return multi.length > 0 ? multi : matching(event.headers).map(([, value]) => value as string);
}

/** Every value a query parameter was given (a repeated `limit` is ambiguous: rejected by callers). */
export function queryValues(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
  name: string,
): string[] {
  const multi = event.multiValueQueryStringParameters?.[name];
  if (multi && multi.length > 0) return multi;
  const single = event.queryStringParameters?.[name];
  return single === undefined || single === null ? [] : [single];
}
