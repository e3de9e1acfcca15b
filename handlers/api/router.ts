/**
 * Routes an API Gateway REST proxy event: by `resource` (what API Gateway matched), else
 * by `path` (a catch-all proxy resource or the local runtime). Unknown paths answer 404,
 * a known path with another method 405 with an Allow header.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../shared/errors';
import { header, queryValues } from './http';
import { createOrder, getOrder, listOrdersPage, type ApiDependencies } from './orders-service';
import { parseJsonRequest } from './request-body';

type Route = { readonly resource: '/orders' } | { readonly resource: '/orders/{orderId}'; readonly orderId: string };

const ALLOWED: Record<Route['resource'], readonly string[]> = {
  '/orders': ['GET', 'POST'],
  '/orders/{orderId}': ['GET'],
};

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'orderId is malformed', [{ path: 'orderId', message: 'is not valid percent-encoding' }]);
  }
}

export function matchRoute(event: Pick<APIGatewayProxyEvent, 'resource' | 'path' | 'pathParameters'>): Route | undefined {
  if (event.resource === '/orders') return { resource: '/orders' };
  if (event.resource === '/orders/{orderId}') return { resource: '/orders/{orderId}', orderId: event.pathParameters?.orderId ?? '' };
  const path = (event.path ?? '').replace(/\/+$/, '');
  if (path === '/orders') return { resource: '/orders' };
  const match = /^\/orders\/([^/]+)$/.exec(path);
  return match ? { resource: '/orders/{orderId}', orderId: decodeSegment(match[1]) } : undefined;
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
    idempotencyKey: header(event, 'idempotency-key'),
    idempotencyScope: event.requestContext?.identity?.apiKeyId ?? '',
  });
}
