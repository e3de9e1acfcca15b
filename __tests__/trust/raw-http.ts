/**
 * Bytes on a socket, for requests no HTTP client would send: malformed request-targets,
 * missing Host, thousands of headers, garbage request lines, pipelining.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown;
}

/** Splits a byte stream of HTTP/1.1 responses (each with Content-Length) into answers. */
export function parseResponses(data: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = data;
  while (rest.startsWith('HTTP/')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    answers.push({ status: Number(statusLine.split(' ')[1]), headers, body, json });
    rest = rest.slice(headEnd + 4 + length);
  }
  return answers;
}

/** Writes `request` to host:port and collects every answer until the server closes or `expected` answers arrived. */
export function rawExchange(port: number, request: string, expected = 1, timeoutMs = 5000): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponses(data));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      if (parseResponses(data).length >= expected) finish();
    });
    socket.on('end', finish);
    socket.on('error', (e) => (data ? finish() : reject(e)));
    socket.write(request);
  });
}
