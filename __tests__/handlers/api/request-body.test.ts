import { HttpError } from '../../../handlers/shared/errors';
import { MAX_BODY_BYTES, exceedsDepth, findUnsafeContent, parseJsonBody } from '../../../handlers/api/request-body';

interface BodyEvent {
  body: string | null;
  isBase64Encoded: boolean;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
}

function event(
  body: string | null,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  isBase64Encoded = false,
): BodyEvent {
  return { body, isBase64Encoded, headers, multiValueHeaders: {} };
}

function rejection(e: BodyEvent): HttpError {
  try {
    parseJsonBody(e);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const order = '{"customerName":"A","items":[{"name":"Mouse","quantity":1,"price":1}],"totalAmount":1}';

describe('parseJsonBody', () => {
  it.each<[string, BodyEvent]>([
    ['plain JSON', event(order)],
    ['no Content-Type header', event(order, {})],
    ['Content-Type with charset, any case', event(order, { 'content-TYPE': 'Application/JSON; charset=UTF-8' })],
    ['a base64-encoded body', event(Buffer.from(order).toString('base64'), {}, true)],
    ['non-ASCII letters', event('{"customerName":"José Zoë 李小龍 😀"}')],
    ['escaped surrogate pairs', event('{"customerName":"\\ud83d\\ude00"}')],
    ['a body of exactly 64 KiB', event(`{"customerName":"${'x'.repeat(MAX_BODY_BYTES - 19)}"}`)],
  ])('GIVEN %s THEN it parses', (_n, e) => {
    expect(() => parseJsonBody(e)).not.toThrow();
  });

  it.each<[string, number, BodyEvent, RegExp, string]>([
    ['no body', 400, event(null), /body is required/, ''],
    ['an empty body', 400, event(''), /body is required/, ''],
    ['whitespace only', 400, event('  \n '), /body is required/, ''],
    ['malformed JSON', 400, event('{"customerName": '), /not valid JSON/, ''],
    ['single quotes', 400, event("{'a': 1}"), /not valid JSON/, ''],
    ['trailing garbage', 400, event(`${order}x`), /not valid JSON/, ''],
    ['a body over 64 KiB', 413, event(`{"a":"${'x'.repeat(MAX_BODY_BYTES)}"}`), /larger than 65536 bytes/, ''],
    ['64 KiB of multi-byte characters (bytes, not characters)', 413, event(`{"a":"${'é'.repeat(40_000)}"}`), /larger than/, ''],
    ['an oversize base64 body', 413, event(Buffer.from('x'.repeat(MAX_BODY_BYTES + 1)).toString('base64'), {}, true), /larger than/, ''],
    ['text/plain', 415, event(order, { 'Content-Type': 'text/plain' }), /application\/json/, ''],
    ['form encoding', 415, event('a=1', { 'content-type': 'application/x-www-form-urlencoded' }), /application\/json/, ''],
    ['JSON in Latin-1', 415, event(order, { 'Content-Type': 'application/json; charset=iso-8859-1' }), /UTF-8/, ''],
    [
      'invalid UTF-8 bytes',
      400,
      event(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64'), {}, true),
      /not valid UTF-8/,
      '',
    ],
    ['a byte order mark before the JSON', 400, event(`\ufeff${order}`), /byte order mark \(U\+FEFF\)/, ''],
    [
      'a byte order mark in a base64 body',
      400,
      event(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(order)]).toString('base64'), {}, true),
      /byte order mark/,
      '',
    ],
    ['a replacement character left by a proxy', 400, event('{"customerName":"Jos\ufffd"}'), /forbidden keys or characters/, 'customerName'],
    ['deep nesting', 400, event(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), /nested deeper than 5/, ''],
    ['nesting just over the limit', 400, event('{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}'), /nested deeper/, ''],
    ['__proto__', 400, event('{"__proto__":{"isAdmin":true}}'), /forbidden/, '__proto__'],
    ['constructor', 400, event('{"items":[{"constructor":{"prototype":{}}}]}'), /forbidden/, 'items[0].constructor'],
    ['prototype', 400, event('{"prototype":1}'), /forbidden/, 'prototype'],
    ['a lone high surrogate', 400, event('{"customerName":"\\ud800"}'), /forbidden/, 'customerName'],
    ['a lone low surrogate', 400, event('{"items":[{"name":"a\\udc00b"}]}'), /forbidden/, 'items[0].name'],
    ['a NUL character', 400, event('{"customerName":"a\\u0000b"}'), /forbidden/, 'customerName'],
    ['a newline', 400, event('{"customerName":"a\\nb"}'), /forbidden/, 'customerName'],
    ['an escape character', 400, event('{"customerName":"\\u001b[31mred"}'), /forbidden/, 'customerName'],
    ['a C1 control', 400, event('{"customerName":"a\\u0085"}'), /forbidden/, 'customerName'],
    ['a bidi override', 400, event('{"customerName":"abc\\u202edcba"}'), /forbidden/, 'customerName'],
    ['a control character in a key', 400, event('{"a\\u0007":1}'), /forbidden/, 'a\u0007'],
  ])('GIVEN %s THEN %i', (_n, status, e, message, path) => {
    const error = rejection(e);
    expect(error.statusCode).toBe(status);
    expect(error.message).toMatch(message);
    if (path !== '') expect(error.errors?.map((x) => x.path)).toContain(path);
  });
});

describe('exceedsDepth', () => {
  it.each<[string, number, boolean]>([
    ['{"a":[1,{"b":2}]}', 3, false],
    ['{"a":[1,{"b":2}]}', 2, true],
    ['{"a":"[[[[[[[[[["}', 1, false],
    ['{"a":"\\"[[[[["}', 1, false],
    ['[]', 1, false],
  ])('exceedsDepth(%s, %i) is %s', (text, limit, expected) => {
    expect(exceedsDepth(text, limit)).toBe(expected);
  });
});

describe('findUnsafeContent', () => {
  it('lists every problem with its path', () => {
    expect(findUnsafeContent({ a: ['ok', 'x\u0001'], constructor: 1, b: { c: '\udfff' } } as unknown)).toEqual([
      { path: 'a[1]', message: 'value contains a control or otherwise unsafe character' },
      { path: 'constructor', message: 'field name is a forbidden key' },
      { path: 'b.c', message: 'value contains an unpaired UTF-16 surrogate' },
    ]);
  });
});
