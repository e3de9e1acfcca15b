/**
 * Turns the raw POST body into a plain JSON value, or a 4xx HttpError naming the
 * problem: size (413, measured in bytes after base64 decoding), content type (415),
 * invalid UTF-8, malformed JSON, nesting, duplicate keys, prototype-pollution keys and unsafe
 * characters (400). Keeps each number's source text, so amounts are checked as decimals.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../spec/limits';
import { HttpError } from '../shared/errors';
import { formatPath, type FieldError } from '../shared/order-schema';
import { header } from './http';
import { readJsonSource } from './json-source';

/** Both limits live in the spec (spec/limits.ts), where a test holds them against the WAF. */
export { MAX_BODY_BYTES, MAX_JSON_DEPTH };
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * C0/C1 controls and DEL, line/paragraph separators, bidi overrides and isolates
 * ("Trojan Source"), U+FFFD (what a proxy leaves of invalid UTF-8) and noncharacters.
 */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Unicode's 66 noncharacters: U+FDD0-U+FDEF and the last two code points of each of the 17 planes. */
const NONCHARACTER = new RegExp(
  `[\\u{FDD0}-\\u{FDEF}${Array.from({ length: 17 }, (_, plane) => `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`).join('')}]`,
  'u',
);

function decodeBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) {
    // Bytes, not characters: 30,000 × "é" is 60,000 bytes on the wire.
    if (raw.length > MAX_BODY_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw tooLarge();
    return raw;
  }
  if (raw.length > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4) throw tooLarge();
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  try {
    // The byte order mark is kept (and refused below) as API Gateway passes a text body's on.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'Request body is not valid UTF-8');
  }
}

function tooLarge(): HttpError {
  return new HttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
}

function checkContentType(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): void {
  const contentType = header(event, 'content-type');
  if (contentType === undefined) return;
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8')) {
    throw new HttpError(415, `Content-Type must be application/json (UTF-8), got ${JSON.stringify(contentType.slice(0, 100))}`, undefined, {
      Accept: 'application/json',
    });
  }
}

/** Nesting depth of JSON text, counted outside strings; stops as soon as the limit is passed. */
export function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

function stringProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate';
  if (UNSAFE_CHARACTER.test(value)) return 'contains a control or otherwise unsafe character';
  if (NONCHARACTER.test(value)) return 'contains a Unicode noncharacter';
  return undefined;
}

/** Every forbidden key and unsafe string in a parsed value, with its path. */
export function findUnsafeContent(value: unknown, path: Array<string | number> = [], found: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) found.push({ path: formatPath(path), message: `value ${problem}` });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findUnsafeContent(v, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyProblem = FORBIDDEN_KEYS.has(key) ? 'is a forbidden key' : stringProblem(key) ? `key ${stringProblem(key)}` : undefined;
      if (keyProblem) {
        found.push({ path: formatPath([...path, key]), message: `field name ${keyProblem}` });
        continue;
      }
      findUnsafeContent((value as Record<string, unknown>)[key], [...path, key], found);
    }
  }
  return found;
}

export interface JsonRequest {
  /** The parsed body. */
  readonly value: unknown;
  /** The source text of every number in it, by field path (`items[0].price` → `19.99`). */
  readonly numberText: ReadonlyMap<string, string>;
}

/** The request's JSON value and its number texts; throws HttpError (4xx) for anything that is not safe JSON. */
export function parseJsonRequest(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers' | 'multiValueHeaders'>,
): JsonRequest {
  checkContentType(event);
  const text = decodeBody(event);
  // RFC 8259 forbids sending one; JSON.parse's own message would show it as an invisible character.
  if (text.startsWith('\ufeff')) throw new HttpError(400, 'Request body starts with a byte order mark (U+FEFF); send the JSON without one');
  if (text.trim() === '') throw new HttpError(400, 'Request body is required: a JSON object describing the order');
  if (exceedsDepth(text, MAX_JSON_DEPTH)) throw new HttpError(400, `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message names the position, never our code: safe to pass on.
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const source = readJsonSource(text);
  // JSON.parse keeps the last of two equal keys: which one the client meant is unknowable.
  if (source.duplicateKeys.length > 0) throw new HttpError(400, 'Request body contains duplicate keys', source.duplicateKeys);
  const unsafe = findUnsafeContent(value);
  if (unsafe.length > 0) throw new HttpError(400, 'Request body contains forbidden keys or characters', unsafe);
  return { value, numberText: source.numberText };
}

/** The request's JSON value; throws HttpError (4xx) for anything that is not safe JSON. */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers' | 'multiValueHeaders'>): unknown {
  return parseJsonRequest(event).value;
}
