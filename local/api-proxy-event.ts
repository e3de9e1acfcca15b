/** The API Gateway REST proxy event (payload version 1.0) the local adapter builds for one request. */
import type { IncomingMessage } from 'node:http';

export interface ProxyEventRoute {
  readonly method: string;
  readonly resource: string;
  /** Path parameters when the segments match (null: matches without parameters), undefined otherwise. */
  readonly match: (segments: string[]) => Record<string, string> | null | undefined;
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

function identity(sourceIp: string, userAgent: string | null) {
  return {
    sourceIp,
    userAgent,
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
  };
}

export interface ProxyEventParts {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly segments: string[];
  readonly route: ProxyEventRoute;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
  readonly requestId: string;
  readonly accountId: string;
  /** `host:port` the API listens on. */
  readonly domainName: string;
}

export function buildProxyEvent(p: ProxyEventParts) {
  const { headers, multiValueHeaders } = headerMaps(p.req);
  const query = queryMaps(p.url);
  const method = (p.req.method ?? 'GET').toUpperCase();
  const now = new Date();
  const sourceIp = (p.req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    resource: p.route.resource,
    path: p.url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: p.route.match(p.segments) ?? null,
    stageVariables: null,
    requestContext: {
      accountId: p.accountId,
      apiId: 'local',
      domainName: p.domainName,
      domainPrefix: 'local',
      extendedRequestId: p.requestId,
      httpMethod: method,
      identity: identity(sourceIp, headers['User-Agent'] ?? headers['user-agent'] ?? null),
      path: `/local${p.url.pathname}`,
      protocol: `HTTP/${p.req.httpVersion}`,
      requestId: p.requestId,
      requestTime: now.toISOString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: p.route.resource,
      stage: 'local',
      authorizer: null,
    },
    body: p.body,
    isBase64Encoded: p.isBase64Encoded,
  };
}
