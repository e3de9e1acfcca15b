/**
 * A raw HTTP client for the trust suites and the API benchmark. It sends bodies as exact
 * bytes (invalid UTF-8, lone-surrogate escapes, 1 MiB bodies) and lets a case remove the
 * content type, which `fetch` would not allow.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Path and query, e.g. `/orders?limit=10`. */
  readonly path: string;
  /** A header set to null is not sent. */
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as sent, decoded as UTF-8. */
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

// Keep-alive so load tests and the benchmark measure the API, not TCP handshakes.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one request to `baseUrl` (e.g. `http://127.0.0.1:3000`) and buffers the answer. A request
 * that fails with ECONNRESET on a reused keep-alive socket is sent once more on a new one: the
 * server closed that idle socket (its keep-alive timeout) as the request went out, so it never
 * read it (Node's documented pattern, `request.reusedSocket`).
 */
export async function send(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  try {
    return await sendOnce(baseUrl, req);
  } catch (error) {
    if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET')
      return sendOnce(baseUrl, req);
    throw error;
  }
}

function sendOnce(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) if (value !== null) headers[name] = value;
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    // A server may answer 413 and close before reading a large body: that is a valid answer.
    r.on('error', (error) => reject(Object.assign(error, { reusedSocket: r.reusedSocket })));
    r.end(body);
  });
}

/** POSTs a JSON-serialisable order with `content-type: application/json`. */
export function postOrder(baseUrl: string, order: unknown, idempotencyKey?: string): Promise<RawResponse> {
  return send(baseUrl, {
    method: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: JSON.stringify(order),
  });
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results keep input order. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Closes idle keep-alive sockets so jest and the benchmark can exit. */
export function closeIdleConnections(): void {
  agent.destroy();
}
