/**
 * The API's routes: one list that API Gateway's resources and methods (stacks/order-api.ts),
 * the handler's router (handlers/api/router.ts) and the local adapter (local/api-gateway.ts)
 * are built from.
 */

export type RouteResource = '/orders' | '/orders/{orderId}';
export type RouteMethod = 'GET' | 'POST';

export interface ApiRoute {
  /** Stable id, used in construct ids. */
  readonly id: string;
  readonly method: RouteMethod;
  readonly resource: RouteResource;
  /** Query-string parameters the method declares (none required). */
  readonly queryParameters: readonly string[];
  /** Whether the method has a JSON body validated against the order model. */
  readonly hasBody: boolean;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { id: 'post-orders', method: 'POST', resource: '/orders', queryParameters: [], hasBody: true },
  { id: 'get-orders', method: 'GET', resource: '/orders', queryParameters: ['limit', 'nextToken'], hasBody: false },
  { id: 'get-order', method: 'GET', resource: '/orders/{orderId}', queryParameters: [], hasBody: false },
];

/** Path parameters of a resource, in order: `/orders/{orderId}` → `['orderId']`. */
export function pathParameters(resource: RouteResource): string[] {
  return [...resource.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

/** The methods each resource allows (the `Allow` header of a 405). */
export function allowedMethods(routes: readonly ApiRoute[] = API_ROUTES): Record<RouteResource, RouteMethod[]> {
  const allowed = {} as Record<RouteResource, RouteMethod[]>;
  for (const r of routes) (allowed[r.resource] ??= []).push(r.method);
  for (const methods of Object.values(allowed)) methods.sort();
  return allowed;
}

/**
 * Matches decoded path segments (`['orders', 'ord_…']`) against a resource template; the
 * path parameters when it matches, undefined otherwise.
 */
export function matchResource(resource: RouteResource, segments: readonly string[]): Record<string, string> | undefined {
  const template = resource.split('/').slice(1);
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i += 1) {
    const param = /^\{(\w+)\}$/.exec(template[i]);
    if (param) {
      if (segments[i] === '') return undefined;
      params[param[1]] = segments[i];
    } else if (template[i] !== segments[i]) return undefined;
  }
  return params;
}

/**
 * What the gateway answers a method and path no route has (API Gateway's MISSING_AUTHENTICATION_TOKEN
 * response, which by default is a 403 "Missing Authentication Token"), in AWS and locally alike.
 */
export function unknownRouteAnswer(routes: readonly ApiRoute[] = API_ROUTES): { readonly status: 404; readonly message: string } {
  return {
    status: 404,
    message: `No route for this method and path; the API serves ${routes.map((r) => `${r.method} ${r.resource}`).join(', ')}`,
  };
}
