/**
 * The hostile-input table: malformed or malicious requests, each with the exact 4xx it
 * must get and (for body rules) the field its `errors[].path` must name.
 *
 * Bodies are raw text or bytes on purpose: lone surrogates, invalid UTF-8, `__proto__`
 * keys and 10k-level nesting cannot be expressed faithfully through `JSON.stringify`.
 */
import { sampleOrderBody } from '../fixtures/sample-order';

export interface HostileCase {
  /** Shown in the test name. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  readonly path: string;
  /** Raw request body (string is sent as UTF-8). @default - no body */
  readonly body?: string | Buffer;
  /** Extra request headers; `content-type: application/json` is added to POSTs unless set here (null removes it). */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** The exact status the API must answer. */
  readonly status: number;
  /** A field path that `errors[].path` must name (dot notation, array indexes as numbers). @default - not checked */
  readonly errorPath?: string;
}

/** A valid order; every body case below breaks exactly one thing of it. */
export const VALID_ORDER: Readonly<ReturnType<typeof sampleOrderBody>> = sampleOrderBody();

type Order = Record<string, unknown>;

function order(patch: (o: Order & { items: Order[] }) => void): string {
  const o = structuredClone(VALID_ORDER) as unknown as Order & { items: Order[] };
  patch(o);
  return JSON.stringify(o);
}

/** Splices raw JSON text into the valid order in place of `customerName`'s value. */
function rawName(rawJsonValue: string): string {
  return JSON.stringify(VALID_ORDER).replace('"Ada Lovelace"', rawJsonValue);
}

/** A one-item order whose total is consistent, for quantity/price cases. */
function oneItem(name: unknown, quantity: unknown, price: unknown, totalAmount: unknown): string {
  return JSON.stringify({ customerName: 'Ada Lovelace', items: [{ name, quantity, price }], totalAmount, currency: 'USD' });
}

const TEN_K = 'x'.repeat(10_000);
const nestedArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestedObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const post = (
  name: string,
  body: string | Buffer,
  status: number,
  errorPath?: string,
  headers?: Record<string, string | null>,
): HostileCase => ({
  name,
  method: 'POST',
  path: '/orders',
  body,
  status,
  errorPath,
  headers,
});
const get = (name: string, path: string, status: number, errorPath?: string): HostileCase => ({
  name,
  method: 'GET',
  path,
  status,
  errorPath,
});

/** Malformed JSON and wrong document shapes. */
const DOCUMENT_CASES: HostileCase[] = [
  post('empty body', '', 400),
  post('whitespace-only body', '   \n ', 400),
  post('truncated JSON', '{"customerName": "Ada", "items": [', 400),
  post('trailing comma', '{"customerName":"Ada",}', 400),
  post('single-quoted JSON', "{'customerName':'Ada'}", 400),
  post('NaN literal', order((o) => (o.totalAmount = 1)).replace('"totalAmount":1', '"totalAmount":NaN'), 400),
  post('JSON null', 'null', 400),
  post('JSON array', '[]', 400),
  post('JSON string', '"order"', 400),
  post('JSON number', '42', 400),
  post('empty object', '{}', 400, 'customerName'),
  post('10k-level nested array', nestedArray(10_000), 400),
  post('10k-level nested object in customerName', rawName(nestedObject(10_000)), 400),
  post('100k-level nested array (200 KB)', nestedArray(100_000), 413),
  post(
    'invalid UTF-8 bytes in customerName',
    Buffer.concat([
      Buffer.from('{"customerName":"Ada'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(JSON.stringify(VALID_ORDER).slice('{"customerName":"Ada Lovelace'.length)),
    ]),
    400,
  ),
  post(
    'a UTF-8 byte order mark before the JSON',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(VALID_ORDER))]),
    400,
  ),
  post(
    'overlong UTF-8 encoding of "/"',
    Buffer.concat([
      Buffer.from('{"customerName":"Ada'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from(JSON.stringify(VALID_ORDER).slice('{"customerName":"Ada Lovelace'.length)),
    ]),
    400,
  ),
  post(
    'oversize body (70 KiB)',
    order((o) => (o.customerName = 'x'.repeat(70 * 1024))),
    413,
  ),
  post('oversize body (1 MiB of whitespace)', ' '.repeat(1024 * 1024) + JSON.stringify(VALID_ORDER), 413),
  post('wrong content type text/plain', JSON.stringify(VALID_ORDER), 415, undefined, { 'content-type': 'text/plain' }),
  post('wrong content type form-urlencoded', 'customerName=Ada&totalAmount=1', 415, undefined, {
    'content-type': 'application/x-www-form-urlencoded',
  }),
  post('content type application/xml', JSON.stringify(VALID_ORDER), 415, undefined, { 'content-type': 'application/xml' }),
  post('JSON with a latin1 charset', JSON.stringify(VALID_ORDER), 415, undefined, { 'content-type': 'application/json; charset=latin1' }),
];

/** Field rules: types, presence, ranges, arithmetic. */
const FIELD_CASES: HostileCase[] = [
  post(
    'customerName missing',
    order((o) => delete o.customerName),
    400,
    'customerName',
  ),
  post(
    'customerName a number',
    order((o) => (o.customerName = 42)),
    400,
    'customerName',
  ),
  post(
    'customerName null',
    order((o) => (o.customerName = null)),
    400,
    'customerName',
  ),
  post(
    'customerName an array',
    order((o) => (o.customerName = ['Ada'])),
    400,
    'customerName',
  ),
  post(
    'customerName empty',
    order((o) => (o.customerName = '')),
    400,
    'customerName',
  ),
  post(
    'customerName whitespace only',
    order((o) => (o.customerName = '     ')),
    400,
    'customerName',
  ),
  post(
    'customerName 101 characters',
    order((o) => (o.customerName = 'a'.repeat(101))),
    400,
    'customerName',
  ),
  post(
    'customerName 10k characters',
    order((o) => (o.customerName = TEN_K)),
    400,
    'customerName',
  ),
  post(
    'customerName with NUL',
    order((o) => (o.customerName = 'Ada\u0000Lovelace')),
    400,
    'customerName',
  ),
  post(
    'customerName with ESC sequence',
    order((o) => (o.customerName = 'Ada\u001b[31mLovelace')),
    400,
    'customerName',
  ),
  post(
    'customerName with newline',
    order((o) => (o.customerName = 'Ada\nLovelace')),
    400,
    'customerName',
  ),
  post(
    'customerName with DEL',
    order((o) => (o.customerName = 'Ada\u007fLovelace')),
    400,
    'customerName',
  ),
  post('customerName with lone high surrogate (raw \\ud800)', rawName('"Ada\\ud800Lovelace"'), 400, 'customerName'),
  post('customerName with lone low surrogate (raw \\udc00)', rawName('"\\udc00Ada"'), 400, 'customerName'),
  post(
    'items missing',
    order((o) => delete (o as Order).items),
    400,
    'items',
  ),
  post(
    'items an object',
    order((o) => ((o as Order).items = { name: 'Laptop' })),
    400,
    'items',
  ),
  post(
    'items empty',
    order((o) => ((o as Order).items = [])),
    400,
    'items',
  ),
  post(
    '51 items',
    JSON.stringify({
      customerName: 'Ada',
      items: Array.from({ length: 51 }, () => ({ name: 'Mouse', quantity: 1, price: 1 })),
      totalAmount: 51,
    }),
    400,
    'items',
  ),
  post(
    'item null',
    order((o) => ((o as Order).items = [null])),
    400,
    'items.0',
  ),
  post(
    'item name missing',
    order((o) => delete o.items[0].name),
    400,
    'items.0.name',
  ),
  post(
    'item name empty',
    order((o) => (o.items[0].name = '')),
    400,
    'items.0.name',
  ),
  post(
    'item name 10k characters',
    order((o) => (o.items[1].name = TEN_K)),
    400,
    'items.1.name',
  ),
  post('item name with lone surrogate (raw)', order(() => undefined).replace('"Mouse"', '"Mo\\udfffuse"'), 400, 'items.1.name'),
  post('quantity zero', oneItem('Mouse', 0, 10, 0), 400, 'items.0.quantity'),
  post('quantity negative', oneItem('Mouse', -2, 10, -20), 400, 'items.0.quantity'),
  post('quantity fractional', oneItem('Mouse', 1.5, 10, 15), 400, 'items.0.quantity'),
  post('quantity 1001', oneItem('Mouse', 1001, 1, 1001), 400, 'items.0.quantity'),
  post('quantity written 2.0', oneItem('Mouse', 2, 10, 20).replace('"quantity":2', '"quantity":2.0'), 400, 'items.0.quantity'),
  post('quantity written 2e0', oneItem('Mouse', 2, 10, 20).replace('"quantity":2', '"quantity":2e0'), 400, 'items.0.quantity'),
  post('quantity huge (1e308)', oneItem('Mouse', 1e308, 1, 1e308), 400, 'items.0.quantity'),
  post(
    'quantity 1e400 (parses to Infinity)',
    oneItem('Mouse', 1, 1, 1).replace('"quantity":1', '"quantity":1e400'),
    400,
    'items.0.quantity',
  ),
  post('quantity a string', oneItem('Mouse', '2', 10, 20), 400, 'items.0.quantity'),
  post('quantity a boolean', oneItem('Mouse', true, 10, 10), 400, 'items.0.quantity'),
  post('price zero', oneItem('Mouse', 1, 0, 0), 400, 'items.0.price'),
  post('price negative', oneItem('Mouse', 1, -5, -5), 400, 'items.0.price'),
  post('price with three decimals', oneItem('Mouse', 1, 10.005, 10.005), 400, 'items.0.price'),
  post('price above 1,000,000', oneItem('Laptop', 1, 1_000_000.01, 1_000_000.01), 400, 'items.0.price'),
  post('price huge (1e300)', oneItem('Laptop', 1, 1e300, 1e300), 400, 'items.0.price'),
  post('price a string', oneItem('Mouse', 1, '10.00', 10), 400, 'items.0.price'),
  post('price null', oneItem('Mouse', 1, null, 10), 400, 'items.0.price'),
  post(
    'totalAmount missing',
    order((o) => delete o.totalAmount),
    400,
    'totalAmount',
  ),
  post(
    'totalAmount off by one cent',
    order((o) => (o.totalAmount = 1051.0)),
    400,
    'totalAmount',
  ),
  post(
    'totalAmount far too low',
    order((o) => (o.totalAmount = 0.01)),
    400,
    'totalAmount',
  ),
  post(
    'totalAmount negative',
    order((o) => (o.totalAmount = -1050.99)),
    400,
    'totalAmount',
  ),
  post(
    'totalAmount a string',
    order((o) => (o.totalAmount = '1050.99')),
    400,
    'totalAmount',
  ),
  post(
    'currency lowercase letters with digit',
    order((o) => (o.currency = 'us1')),
    400,
    'currency',
  ),
  post(
    'currency two letters',
    order((o) => (o.currency = 'US')),
    400,
    'currency',
  ),
  post(
    'currency four letters',
    order((o) => (o.currency = 'USDT')),
    400,
    'currency',
  ),
  post(
    'currency a number',
    order((o) => (o.currency = 840)),
    400,
    'currency',
  ),
];

/** Unknown fields, including prototype-pollution keys at the top level and nested. */
const EXTRA_FIELD_CASES: HostileCase[] = [
  post(
    'unknown top-level field',
    order((o) => (o.status = 'completed')),
    400,
    'status',
  ),
  post(
    'unknown item field',
    order((o) => (o.items[0].discount = 100)),
    400,
    'items.0.discount',
  ),
  post(
    'orderId supplied by the client',
    order((o) => (o.orderId = 'ord_attacker')),
    400,
    'orderId',
  ),
  post('__proto__ at top level', JSON.stringify(VALID_ORDER).replace('{', '{"__proto__":{"isAdmin":true},'), 400, '__proto__'),
  post(
    'constructor at top level',
    JSON.stringify(VALID_ORDER).replace('{', '{"constructor":{"prototype":{"isAdmin":true}},'),
    400,
    'constructor',
  ),
  post('prototype at top level', JSON.stringify(VALID_ORDER).replace('{', '{"prototype":{"polluted":1},'), 400, 'prototype'),
  post(
    '__proto__ inside an item',
    JSON.stringify(VALID_ORDER).replace('{"name":"Laptop"', '{"__proto__":{"price":0},"name":"Laptop"'),
    400,
    'items.0.__proto__',
  ),
  post(
    'constructor inside an item',
    JSON.stringify(VALID_ORDER).replace('{"name":"Mouse"', '{"constructor":{"prototype":{"x":1}},"name":"Mouse"'),
    400,
    'items.1.constructor',
  ),
  post('__proto__ as customerName value object', rawName('{"__proto__":{"toString":"x"}}'), 400, 'customerName.__proto__'),
];

/** Idempotency-Key header rules (1–64 of A-Za-z0-9_-). */
const IDEMPOTENCY_PATH = 'headers.Idempotency-Key';
const IDEMPOTENCY_CASES: HostileCase[] = [
  post('Idempotency-Key 65 characters', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': 'k'.repeat(65) }),
  post('Idempotency-Key with a space', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': 'order 1' }),
  post('Idempotency-Key with a slash', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': '../../etc/passwd' }),
  post('Idempotency-Key with quotes and semicolon', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': "k';DROP--" }),
  post('Idempotency-Key empty', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': '' }),
  post('Idempotency-Key with a Latin-1 letter', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': 'cl\u00e9' }),
  post('Idempotency-Key with percent-encoding', JSON.stringify(VALID_ORDER), 400, IDEMPOTENCY_PATH, { 'idempotency-key': 'k%00' }),
];

/** GET query and path parameters. */
const READ_CASES: HostileCase[] = [
  get('limit zero', '/orders?limit=0', 400, 'query.limit'),
  get('limit 101', '/orders?limit=101', 400, 'query.limit'),
  get('limit negative', '/orders?limit=-5', 400, 'query.limit'),
  get('limit fractional', '/orders?limit=2.5', 400, 'query.limit'),
  get('limit not a number', '/orders?limit=ten', 400, 'query.limit'),
  get('limit huge', '/orders?limit=99999999999999999999', 400, 'query.limit'),
  get('limit hex', '/orders?limit=0x10', 400, 'query.limit'),
  get('limit empty', '/orders?limit=', 400, 'query.limit'),
  get('limit given twice', '/orders?limit=5&limit=6', 400, 'query.limit'),
  get('nextToken garbage', '/orders?nextToken=%%%not-a-token', 400, 'query.nextToken'),
  get(
    'nextToken random base64',
    `/orders?nextToken=${Buffer.from('orders/records/../../x').toString('base64url')}`,
    400,
    'query.nextToken',
  ),
  get('nextToken 10k characters', `/orders?nextToken=${'A'.repeat(10_000)}`, 400, 'query.nextToken'),
  get('nextToken with script', `/orders?nextToken=${encodeURIComponent('<script>alert(1)</script>')}`, 400, 'query.nextToken'),
  get('order id with path traversal', '/orders/..%2F..%2Fetc%2Fpasswd', 400, 'orderId'),
  get('order id with SQL', `/orders/${encodeURIComponent("1' OR '1'='1")}`, 400, 'orderId'),
  get('order id with NUL', '/orders/abc%00def', 400, 'orderId'),
  get('order id 300 characters', `/orders/${'a'.repeat(300)}`, 400, 'orderId'),
  get('order id with script', `/orders/${encodeURIComponent('<script>')}`, 400, 'orderId'),
  get('order id in lowercase', `/orders/ord_${'a'.repeat(26)}`, 400, 'orderId'),
  get('order id with an excluded letter (U)', `/orders/ord_${'U'.repeat(26)}`, 400, 'orderId'),
  get('well-formed order id that does not exist', `/orders/ord_${'0'.repeat(26)}`, 404),
  { name: 'DELETE /orders (no such method)', method: 'DELETE', path: '/orders', status: 404 },
  { name: 'PUT /orders/{id} (no such method)', method: 'PUT', path: `/orders/ord_${'0'.repeat(26)}`, body: '{}', status: 404 },
  get('unknown path /admin', '/admin', 404),
  get('path traversal outside /orders', '/orders/../../etc/passwd', 404),
];

/** Splices raw JSON number text in place of a one-item order's price and total (both 19.99). */
function rawAmount(priceText: string, totalText = priceText): string {
  return oneItem('Mouse', 1, 19.99, 19.99)
    .replace('"price":19.99', `"price":${priceText}`)
    .replace('"totalAmount":19.99', `"totalAmount":${totalText}`);
}

/** Amounts as exact decimals, duplicate keys, noncharacters and invisible-only names. */
const STRICT_INPUT_CASES: HostileCase[] = [
  post('price below a cent (1e-9)', rawAmount('1e-9'), 400, 'items.0.price'),
  post('price 19.990000001 (nine decimals)', rawAmount('19.990000001'), 400, 'items.0.price'),
  post('price 0.30000000000000004 (a float artefact)', rawAmount('0.30000000000000004'), 400, 'items.0.price'),
  post('price finer than a double can tell from 19.99', rawAmount('19.99000000000000000001', '19.99'), 400, 'items.0.price'),
  post('totalAmount with three decimals (1.005)', rawAmount('1.005', '1.005'), 400, 'totalAmount'),
  post('totalAmount finer than a double can tell from 19.99', rawAmount('19.99', '19.990000000000000000001'), 400, 'totalAmount'),
  post('duplicate key customerName', JSON.stringify(VALID_ORDER).replace('{', '{"customerName":"Eve",'), 400, 'customerName'),
  post('duplicate key price in an item', rawAmount('19.99').replace('"price":19.99', '"price":0.01,"price":19.99'), 400, 'items.0.price'),
  post('noncharacter U+FDD0 in customerName', rawName('"Ada \ufdd0"'), 400, 'customerName'),
  post('noncharacter U+FDEF in customerName', rawName('"Ada \ufdef"'), 400, 'customerName'),
  post('noncharacter U+1FFFE in customerName', rawName('"Ada \ud83f\udffe"'), 400, 'customerName'),
  post('noncharacter U+10FFFF (raw UTF-8) in customerName', rawName('"Ada \u{10FFFF}"'), 400, 'customerName'),
  post('customerName of zero-width spaces', rawName('"\u200b\u200b\u200b"'), 400, 'customerName'),
  post('customerName of HANGUL FILLER U+3164', rawName('"\u3164\u3164"'), 400, 'customerName'),
  post('customerName of word joiners, soft hyphens and a BOM', rawName('"\u2060\u00ad\ufeff \u180e"'), 400, 'customerName'),
  post(
    'item name of zero-width spaces',
    order((o) => (o.items[0].name = '\u200b \u200c\u200d')),
    400,
    'items.0.name',
  ),
];

export const HOSTILE_CASES: readonly HostileCase[] = [
  ...STRICT_INPUT_CASES,
  ...DOCUMENT_CASES,
  ...FIELD_CASES,
  ...EXTRA_FIELD_CASES,
  ...IDEMPOTENCY_CASES,
  ...READ_CASES,
];

/** Names and strings that are valid data and must round-trip verbatim. */
export const VALID_DATA_CASES: ReadonlyArray<{ readonly name: string; readonly customerName: string }> = [
  { name: 'Latin accent', customerName: 'José Álvarez' },
  { name: 'diaeresis', customerName: 'Zoë Brontë' },
  { name: 'CJK', customerName: '李小龍' },
  { name: 'SQL text', customerName: "Robert'); DROP TABLE orders;--" },
  { name: 'script text', customerName: '<script>alert(1)</script>' },
  { name: 'quotes and backslash', customerName: 'O"Brien \\ Sons' },
];
