/**
 * Routes an API Gateway REST proxy event: by `resource` (what API Gateway matched), else
 * by `path` (a catch-all proxy resource or the local runtime). Unknown paths answer 404,
 * a known path with another method 405 with an Allow header.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { allowedMethods, matchResource, type RouteResource } from '../../spec/routes';
import { HttpError } from '../shared/errors';
import { headerValues, queryValues } from './http';
import { createOrder, getOrder, listOrdersPage, type ApiDependencies } from './orders-service';
import { parseJsonRequest } from './request-body';

type Route = { readonly resource: '/orders' } | { readonly resource: '/orders/{orderId}'; readonly orderId: string };

/** The Idempotency-Key header; sent twice with different values it is ambiguous, as a repeated `limit` is. */
function idempotencyKey(event: APIGatewayProxyEvent): string | undefined {
  const values = [...new Set(headerValues(event, 'idempotency-key'))];
  if (values.length > 1) {
    throw new HttpError(400, 'Idempotency-Key header was sent more than once with different values', [
      { path: 'headers.Idempotency-Key', message: `must be sent once; got ${values.length} different values` },
    ]);
  }
  return values[0];
}

/** Methods per resource, from the spec's route list (API Gateway and the local adapter use the same list). */
const ALLOWED: Record<RouteResource, readonly string[]> = allowedMethods();

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'orderId is malformed', [{ path: 'orderId', message: 'is not valid percent-encoding' }]);
  }
}

export function matchRoute(event: Pick<APIGatewayProxyEvent, 'resource' | 'path' | 'pathParameters'>): Route | undefined {
  if (event.resource === '/orders' && '/orders' in ALLOWED) return { resource: '/orders' };
  if (event.resource === '/orders/{orderId}' && '/orders/{orderId}' in ALLOWED)
    return { resource: '/orders/{orderId}', orderId: event.pathParameters?.orderId ?? '' };
  const segments = (event.path ?? '').replace(/\/+$/, '').split('/').slice(1);
  if ('/orders' in ALLOWED && matchResource('/orders', segments)) return { resource: '/orders' };
  const one = '/orders/{orderId}' in ALLOWED ? matchResource('/orders/{orderId}', segments) : undefined;
  return one ? { resource: '/orders/{orderId}', orderId: decodeSegment(one.orderId) } : undefined;
}

export async function route(event: APIGatewayProxyEvent, deps: ApiDependencies): Promise<APIGatewayProxyResult> {
  const method = (event.httpMethod ?? '').toUpperCase();
  const matched = matchRoute(event);
  if (!matched) throw new HttpError(404, `No route for ${method} ${String(event.path ?? '').slice(0, 200)}`);
  if (!ALLOWED[matched.resource].includes(method)) {
    throw new HttpError(405, `Method ${method.slice(0, 20)} is not allowed on ${matched.resource}`, undefined, {
      Allow: ALLOWED[matched.resource].join(', '),
    });
  }
  if (matched.resource === '/orders/{orderId}') return getOrder(deps, matched.orderId);
  if (method === 'GET') return listOrdersPage(deps, { limit: queryValues(event, 'limit'), nextToken: queryValues(event, 'nextToken') });
  const json = parseJsonRequest(event);
  return createOrder(deps, {
    body: json.value,
    numberText: json.numberText,
    idempotencyKey: idempotencyKey(event),
    idempotencyScope: event.requestContext?.identity?.apiKeyId ?? '',
  });
}
