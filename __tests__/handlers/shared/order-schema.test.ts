import {
  createOrderRequestJsonSchema,
  formatPath,
  itemsTotalCents,
  orderSchemas,
  validateCreateOrderRequest,
} from '../../../handlers/shared/order-schema';
import { orderRequestBody } from '../fixtures';

const valid = orderRequestBody;

type Body = ReturnType<typeof valid> & Record<string, unknown>;

describe('the create-order schema', () => {
  it.each<[string, (b: Body) => unknown]>([
    ['the README example', (b) => b],
    ['no currency (defaults later to USD)', ({ currency: _c, ...b }) => b],
    ['a lower-case currency (normalised later)', (b) => ({ ...b, currency: 'eur' })],
    ['non-ASCII names', (b) => ({ ...b, customerName: 'José Zoë 李小龍' })],
    ['SQL and script text as data', (b) => ({ ...b, customerName: "Robert'); DROP TABLE orders;-- <script>" })],
    ['a 100-character name', (b) => ({ ...b, customerName: 'x'.repeat(100) })],
    ['100 characters after trimming (104 with the padding)', (b) => ({ ...b, customerName: `  ${'x'.repeat(100)}  ` })],
    [
      'an item name of 100 characters after trimming',
      (b) => ({ ...b, items: [{ ...b.items[0], name: ` ${'n'.repeat(100)}\t` }, b.items[1]] }),
    ],
    ['100 non-BMP characters (200 UTF-16 units)', (b) => ({ ...b, customerName: '😀'.repeat(100) })],
    [
      '50 items',
      (b) => ({ ...b, items: Array.from({ length: 50 }, () => ({ name: 'Mouse', quantity: 1, price: 0.01 })), totalAmount: 0.5 }),
    ],
    [
      'quantity 1000 at the maximum price',
      (b) => ({ ...b, items: [{ name: 'Laptop', quantity: 1000, price: 1_000_000 }], totalAmount: 1_000_000_000 }),
    ],
    ['float-unfriendly cents (3 x 0.1)', (b) => ({ ...b, items: [{ name: 'Mouse', quantity: 3, price: 0.1 }], totalAmount: 0.3 })],
    [
      'a total of 135,000,000.02 (its double times 100 is 13500000002.000002)',
      (b) => ({
        ...b,
        items: [
          { name: 'Laptop', quantity: 135, price: 1_000_000 },
          { name: 'Mouse', quantity: 1, price: 0.02 },
        ],
        totalAmount: 135000000.02,
      }),
    ],
  ])('GIVEN %s WHEN validated THEN it is accepted', (_name, make) => {
    const result = validateCreateOrderRequest(make(valid() as Body));
    expect(result).toEqual(expect.objectContaining({ ok: true }));
  });

  it.each<[string, (b: Body) => unknown, string, RegExp]>([
    ['body not an object', () => [1, 2], '(root)', /must be an object/],
    ['body null', () => null, '(root)', /must be an object/],
    ['missing customerName', ({ customerName: _n, ...b }) => b, 'customerName', /is required/],
    ['customerName a number', (b) => ({ ...b, customerName: 42 }), 'customerName', /must be a string/],
    ['empty customerName', (b) => ({ ...b, customerName: '' }), 'customerName', /must not be empty/],
    ['blank customerName', (b) => ({ ...b, customerName: '   ' }), 'customerName', /must not be blank/],
    [
      '101-character customerName',
      (b) => ({ ...b, customerName: 'x'.repeat(101) }),
      'customerName',
      /at most 100 characters after trimming$/,
    ],
    [
      '101 characters after trimming, padded',
      (b) => ({ ...b, customerName: ` ${'x'.repeat(101)} ` }),
      'customerName',
      /at most 100 characters after trimming$/,
    ],
    ['101 non-BMP characters', (b) => ({ ...b, customerName: '😀'.repeat(101) }), 'customerName', /at most 100 characters after trimming$/],
    [
      'a short name with more than 1000 characters of padding',
      (b) => ({ ...b, customerName: `${' '.repeat(1000)}Ada` }),
      'customerName',
      /at most 1000 with surrounding whitespace/,
    ],
    ['10k-character customerName', (b) => ({ ...b, customerName: 'x'.repeat(10_000) }), 'customerName', /at most 100/],
    ['items missing', ({ items: _i, ...b }) => b, 'items', /is required/],
    ['items not an array', (b) => ({ ...b, items: { name: 'Laptop' } }), 'items', /must be an array/],
    ['no items', (b) => ({ ...b, items: [], totalAmount: 1 }), 'items', /at least 1/],
    [
      '51 items',
      (b) => ({ ...b, items: Array.from({ length: 51 }, () => ({ name: 'Mouse', quantity: 1, price: 1 })), totalAmount: 51 }),
      'items',
      /at most 50/,
    ],
    ['item not an object', (b) => ({ ...b, items: ['Laptop'] }), 'items[0]', /must be an object/],
    ['item name empty', (b) => ({ ...b, items: [{ ...b.items[0], name: '' }, b.items[1]] }), 'items[0].name', /must not be empty/],
    [
      'item name 101 characters',
      (b) => ({ ...b, items: [{ ...b.items[0], name: 'n'.repeat(101) }, b.items[1]] }),
      'items[0].name',
      /at most 100/,
    ],
    ['quantity 0', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: 0 }] }), 'items[1].quantity', /at least 1/],
    ['quantity negative', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: -3 }] }), 'items[1].quantity', /at least 1/],
    ['quantity fractional', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: 1.5 }] }), 'items[1].quantity', /integer/],
    ['quantity 1001', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: 1001 }] }), 'items[1].quantity', /at most 1000/],
    ['quantity huge', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: 1e300 }] }), 'items[1].quantity', /integer|at most/],
    [
      'quantity a string',
      (b) => ({ ...b, items: [b.items[0], { ...b.items[1], quantity: '3' }] }),
      'items[1].quantity',
      /must be an integer/,
    ],
    ['price 0', (b) => ({ ...b, items: [{ ...b.items[0], price: 0 }, b.items[1]] }), 'items[0].price', /greater than 0/],
    ['price negative', (b) => ({ ...b, items: [{ ...b.items[0], price: -5 }, b.items[1]] }), 'items[0].price', /greater than 0/],
    [
      'price over a million',
      (b) => ({ ...b, items: [{ ...b.items[0], price: 1_000_000.01 }, b.items[1]] }),
      'items[0].price',
      /at most 1000000/,
    ],
    [
      'price with three decimals',
      (b) => ({ ...b, items: [{ ...b.items[0], price: 1299.999 }, b.items[1]] }),
      'items[0].price',
      /two decimal/,
    ],
    [
      'price Infinity (1e400 after JSON.parse)',
      (b) => ({ ...b, items: [{ ...b.items[0], price: JSON.parse('1e400') }, b.items[1]] }),
      'items[0].price',
      /^price must be at most 1000000$/,
    ],
    ['price a string', (b) => ({ ...b, items: [{ ...b.items[0], price: '1299.99' }, b.items[1]] }), 'items[0].price', /must be a number/],
    ['unknown item field', (b) => ({ ...b, items: [{ ...b.items[0], sku: 'L1' }, b.items[1]] }), 'items[0].sku', /unknown field/],
    ['total off by a cent', (b) => ({ ...b, totalAmount: 1359.97 }), 'totalAmount', /sum of price x quantity \(1359\.96\)/],
    ['total with three decimals', (b) => ({ ...b, totalAmount: 1359.961 }), 'totalAmount', /two decimal/],
    ['total missing', ({ totalAmount: _t, ...b }) => b, 'totalAmount', /is required/],
    ['total zero', (b) => ({ ...b, totalAmount: 0 }), 'totalAmount', /greater than 0/],
    ['currency of two letters', (b) => ({ ...b, currency: 'US' }), 'currency', /three-letter/],
    ['currency with digits', (b) => ({ ...b, currency: 'U5D' }), 'currency', /three-letter/],
    ['currency not in ISO 4217', (b) => ({ ...b, currency: 'XYZ' }), 'currency', /not an ISO 4217/],
    ['currency a number', (b) => ({ ...b, currency: 840 }), 'currency', /must be a string/],
    ['unknown top-level field', (b) => ({ ...b, discount: 10 }), 'discount', /unknown field/],
    [
      'a price of 1e309 (JSON parses it to Infinity)',
      (b) => ({ ...b, items: [{ ...b.items[0], price: Number.POSITIVE_INFINITY }] }),
      'items[0].price',
      /^price must be at most 1000000$/,
    ],
    ['a total of -1e309', (b) => ({ ...b, totalAmount: Number.NEGATIVE_INFINITY }), 'totalAmount', /^totalAmount must be greater than 0$/],
    [
      'a quantity of 1e24 (no safe integer)',
      (b) => ({ ...b, items: [{ ...b.items[0], quantity: 1e24 }] }),
      'items[0].quantity',
      /^quantity must be at most 1000$/,
    ],
    [
      'a quantity of -1e24',
      (b) => ({ ...b, items: [{ ...b.items[0], quantity: -1e24 }] }),
      'items[0].quantity',
      /^quantity must be at least 1$/,
    ],
  ])('GIVEN %s WHEN validated THEN %s is named', (_name, make, path, message) => {
    const result = validateCreateOrderRequest(make(valid() as Body));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('GIVEN a quantity of 1e24 WHEN validated THEN its field is named once, with the bound it breaks', () => {
    const body = valid() as Body;
    const result = validateCreateOrderRequest({ ...body, items: [{ ...body.items[0], quantity: 1e24 }] });
    expect(result).toEqual({ ok: false, errors: [{ path: 'items[0].quantity', message: 'quantity must be at most 1000' }] });
  });

  it.each([
    ['10,000 characters', 'x'.repeat(10_000)],
    ['101 characters padded with 1000 spaces', `${' '.repeat(1000)}${'x'.repeat(101)}`],
  ])('GIVEN a customerName of %s WHEN validated THEN it is named once, not once per length rule', (_name, customerName) => {
    const result = validateCreateOrderRequest({ ...valid(), customerName });
    expect(result.ok ? [] : result.errors.filter((e) => e.path === 'customerName')).toHaveLength(1);
  });

  it('GIVEN several bad fields WHEN validated THEN every one is listed', () => {
    const result = validateCreateOrderRequest({
      customerName: '',
      items: [{ name: 'Laptop', quantity: 0, price: -1, colour: 'red' }],
      totalAmount: 'x',
      extra: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual([
      'customerName',
      'extra',
      'items[0].colour',
      'items[0].price',
      'items[0].quantity',
      'totalAmount',
    ]);
  });

  it('GIVEN an unknown field and a wrong total WHEN validated THEN both are listed', () => {
    const result = validateCreateOrderRequest({ ...valid(), totalAmount: 1, note: 'x' });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['note', 'totalAmount']);
  });

  it('computes the total in integer cents', () => {
    expect(
      itemsTotalCents([
        { quantity: 3, price: 19.99 },
        { quantity: 1, price: 0.1 },
      ]),
    ).toBe(6007);
  });

  it.each([
    [[], '(root)'],
    [['items', 2, 'price'], 'items[2].price'],
    [['customerName'], 'customerName'],
  ])('formatPath(%j) is %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('createOrderRequestJsonSchema', () => {
  const schema = createOrderRequestJsonSchema() as Record<string, any>;

  it('is draft-04 for an API Gateway model', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  });

  it('is strict and requires the order fields at every level', () => {
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['customerName', 'items', 'totalAmount'] });
    expect(schema.properties.items).toMatchObject({ type: 'array', minItems: 1, maxItems: 50 });
    expect(schema.properties.items.items).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'quantity', 'price'],
    });
  });

  it('carries lengths, ranges and the currency pattern in draft-04 form', () => {
    // The raw cap: the 100-character rule applies after trimming, which JSON Schema cannot say.
    expect(schema.properties.customerName).toEqual({ type: 'string', minLength: 1, maxLength: 1000 });
    expect(schema.properties.items.items.properties.quantity).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
    // draft-04 spells an exclusive bound as a boolean next to minimum.
    expect(schema.properties.items.items.properties.price).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1_000_000,
    });
    expect(schema.properties.currency).toEqual({ type: 'string', pattern: '^[A-Za-z]{3}$' });
  });

  it('describes exactly the fields the zod schema accepts', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(orderSchemas().createOrderRequest.def.shape).sort());
  });
});

describe('orderSchemas', () => {
  it('GIVEN repeated calls THEN the schemas are built once and shared', () => {
    expect(orderSchemas()).toBe(orderSchemas());
    expect(orderSchemas().createOrderRequest).toBe(orderSchemas().createOrderRequest);
  });
});
