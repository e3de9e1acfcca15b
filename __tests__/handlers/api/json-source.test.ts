/**
 * What the API reads from the JSON text beyond JSON.parse: duplicate keys and each number's
 * source text, and the exact two-decimal rule on that text (the same bundle runs in Lambda).
 */
import { readJsonSource } from '../../../handlers/api/json-source';
import { parseJsonRequest } from '../../../handlers/api/request-body';
import { HttpError } from '../../../handlers/shared/errors';
import { hasAtMostTwoDecimalsText } from '../../../handlers/shared/money';
import { numberTextErrors, validateCreateOrderRequest } from '../../../handlers/shared/order-schema';

const jsonEvent = (body: string) => ({
  body,
  isBase64Encoded: false,
  headers: { 'content-type': 'application/json' },
  multiValueHeaders: {},
});

function rejection(body: string): HttpError {
  try {
    parseJsonRequest(jsonEvent(body));
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('readJsonSource', () => {
  it('GIVEN nested objects and arrays THEN every number keeps its text under its field path', () => {
    const source = readJsonSource('{ "a": [1, 2.50, {"b": -1e-9}], "c": {"d": 19.990000001}, "s": "x\\"1.5" }');
    expect([...source.numberText]).toEqual([
      ['a[0]', '1'],
      ['a[1]', '2.50'],
      ['a[2].b', '-1e-9'],
      ['c.d', '19.990000001'],
    ]);
    expect(source.duplicateKeys).toEqual([]);
  });

  it('GIVEN a key twice in one object (also when written with an escape) THEN each repeat is reported by path; equal keys in sibling objects are fine', () => {
    const source = readJsonSource('{"a":1,"items":[{"x":1},{"x":2,"x":3}],"\\u0061":2}');
    expect(source.duplicateKeys).toEqual([
      { path: 'items[1].x', message: 'duplicate key' },
      { path: 'a', message: 'duplicate key' },
    ]);
  });
});

describe('hasAtMostTwoDecimalsText', () => {
  it.each([
    ['19.99', true],
    ['1.50', true],
    ['1.500000', true],
    ['5e2', true],
    ['100e-4', true],
    ['1E+2', true],
    ['0.01', true],
    ['19.990000001', false],
    ['19.99000000000000000001', false],
    ['0.30000000000000004', false],
    ['1e-9', false],
    ['0.001', false],
    ['1.005', false],
    ['1.5e-2', false],
  ])('%s → %s', (text, expected) => {
    expect(hasAtMostTwoDecimalsText(text)).toBe(expected);
  });
});

describe('parseJsonRequest', () => {
  it('GIVEN duplicate keys THEN 400 naming each repeated field', () => {
    const error = rejection('{"customerName":"Ada","customerName":"Eve"}');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('Request body contains duplicate keys');
    expect(error.errors).toEqual([{ path: 'customerName', message: 'duplicate key' }]);
  });

  it.each([
    ['U+FDD0', '\ufdd0'],
    ['U+FDEF', '\ufdef'],
    ['U+FFFE', '\ufffe'],
    ['U+1FFFE', '\u{1fffe}'],
    ['U+10FFFF', '\u{10ffff}'],
  ])('GIVEN the noncharacter %s in a string THEN 400 naming the field', (_name, char) => {
    const error = rejection(JSON.stringify({ customerName: `Ada ${char}` }));
    expect(error.errors).toEqual([{ path: 'customerName', message: expect.stringMatching(/control or otherwise unsafe|noncharacter/) }]);
  });

  it('GIVEN U+FDCF and U+1FFFD (next to noncharacters, but assigned or private) THEN they parse', () => {
    expect(() => parseJsonRequest(jsonEvent(JSON.stringify({ customerName: 'Ada \ufdcf \u{1fffd}' })))).not.toThrow();
  });
});

describe('validateCreateOrderRequest', () => {
  const body = (price: number, total = price) => ({
    customerName: 'Ada',
    items: [{ name: 'Mouse', quantity: 1, price }],
    totalAmount: total,
  });

  it.each([0.30000000000000004, 19.990000001, 1e-9, 0.001])(
    'GIVEN the double %s (no source text, as the order-processor sees it) THEN the price is rejected exactly, without a tolerance',
    (price) => {
      const result = validateCreateOrderRequest(body(price));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors).toContainEqual({ path: 'items[0].price', message: 'price must have at most two decimal places' });
    },
  );

  it('GIVEN source text finer than the double shows THEN price and total are rejected once each', () => {
    const numberText = new Map([
      ['items[0].quantity', '1'],
      ['items[0].price', '19.99000000000000000001'],
      ['totalAmount', '19.990'],
    ]);
    const result = validateCreateOrderRequest(body(19.99), numberTextErrors(body(19.99), numberText));
    expect(!result.ok && result.errors).toEqual([{ path: 'items[0].price', message: 'price must have at most two decimal places' }]);
  });

  it.each([
    ['1.0', false],
    ['1e0', false],
    ['1E0', false],
    ['1', true],
  ])('GIVEN a quantity written %s THEN it is accepted: %s', (text, ok) => {
    const numberText = new Map([
      ['items[0].quantity', text],
      ['items[0].price', '19.99'],
      ['totalAmount', '19.99'],
    ]);
    const result = validateCreateOrderRequest(body(19.99), numberTextErrors(body(19.99), numberText));
    if (ok) expect(result.ok).toBe(true);
    else
      expect(!result.ok && result.errors).toEqual([
        { path: 'items[0].quantity', message: 'quantity must be written as a whole number, without a fraction or exponent' },
      ]);
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b'],
    ['HANGUL FILLER U+3164', '\u3164'],
    ['word joiner, soft hyphen, BOM and ideographic space', '\u2060\u00ad\ufeff\u3000'],
  ])('GIVEN a customerName of only %s THEN it is blank', (_name, customerName) => {
    const result = validateCreateOrderRequest({ ...body(1), customerName });
    expect(!result.ok && result.errors).toContainEqual({ path: 'customerName', message: 'customerName must not be blank' });
  });

  it('GIVEN a name with a zero-width joiner inside visible text (an emoji sequence) THEN it is not blank', () => {
    expect(validateCreateOrderRequest({ ...body(1), customerName: '👩\u200d💻 Ada' }).ok).toBe(true);
  });
});
