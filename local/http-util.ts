/** Small HTTP helpers shared by the local endpoints. */
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Thrown by readBody when the body exceeds the limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads a request body up to `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(`body of ${declared} bytes exceeds ${limit}`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(`body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks)));
    req.on('error', (e) => failed || reject(e));
  });
}

/** A listening HTTP server that closes idle keep-alive sockets on close(). */
export interface LocalHttpServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** A response body for an error Node's HTTP parser found before any handler ran. */
export type ClientErrorBody = (status: number, message: string) => { readonly contentType: string; readonly body: string };

/** Parser error codes → status and a message naming the problem (never Node's internals). */
function describeClientError(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'Request header fields too large (at most 16 KiB of request line and headers)' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return { status: 408, message: 'Request not received in time' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: 'Malformed request: unknown or malformed method' };
    case 'HPE_INVALID_URL':
      return { status: 400, message: 'Malformed request: the request target is not valid' };
    case 'HPE_INVALID_VERSION':
      return { status: 400, message: 'Malformed request: unsupported HTTP version' };
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_HEADER_VALUE':
      return { status: 400, message: 'Malformed request: a header name or value is not valid' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return { status: 400, message: 'Malformed request: Content-Length and Transfer-Encoding are invalid or conflict' };
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 400, message: 'Malformed request: invalid chunked body' };
    default:
      return { status: 400, message: 'Malformed HTTP request' };
  }
}

/** Answers a request Node's parser rejected with a body in the server's error format, then closes. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket, format: ClientErrorBody): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, message } = describeClientError(error.code);
  const { contentType, body } = format(status, message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}

export interface ListenOptions {
  /** Body of the answers Node's parser gives (400, 408, 431) and of `Expect` failures (417). @default - JSON `{ message }` */
  readonly clientErrorBody?: ClientErrorBody;
}

const JSON_MESSAGE: ClientErrorBody = (_status, message) => ({ contentType: 'application/json', body: JSON.stringify({ message }) });

export async function listen(handler: RequestListener, host: string, port: number, options: ListenOptions = {}): Promise<LocalHttpServer> {
  // Host is checked by the handlers (Node's own check answers without a body); the header count
  // is bounded by the 16 KiB header limit and checked by the handlers (Node would drop the rest silently).
  const server = createServer({ requireHostHeader: false, maxHeaderSize: 16 * 1024 }, handler);
  server.maxHeadersCount = 0;
  const format = options.clientErrorBody ?? JSON_MESSAGE;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, format));
  server.on('checkExpectation', (req, res) => {
    const { contentType, body } = format(417, `Expectation ${JSON.stringify(String(req.headers.expect).slice(0, 50))} is not supported`);
    res.writeHead(417, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  });
  // Clients (SDK, curl, load tests) keep connections alive; shutdown must not wait on them.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
