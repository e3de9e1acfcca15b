import { ConfigurationError, InvalidStateError } from '../../../handlers/shared/errors';
import { DEFAULT_CATALOGUE, checkInventory, parseCatalogue } from '../../../handlers/shared/inventory';

const NOW = new Date('2026-11-26T01:00:00.000Z');
const catalogue = parseCatalogue('{"Laptop": 5, "Mouse": 10, "Sold Out": 0}');

describe('default catalogue', () => {
  it.each(['Laptop', 'Mouse', 'Keyboard', 'Monitor'])('stocks the README example item %s with at least 10 units', (name) => {
    expect(DEFAULT_CATALOGUE[name]).toBeGreaterThanOrEqual(10);
  });

  it('is used when INVENTORY_CATALOGUE is unset or empty', () => {
    expect(parseCatalogue(undefined).get('laptop')).toEqual({ name: 'Laptop', inStock: DEFAULT_CATALOGUE.Laptop });
    expect(parseCatalogue('  ').size).toBe(Object.keys(DEFAULT_CATALOGUE).length);
  });
});

describe('parseCatalogue', () => {
  it.each([
    ['not JSON', '{Laptop: 5}', /not valid JSON/],
    ['an array', '[1,2]', /must be a JSON object/],
    ['a negative stock', '{"Laptop": -1}', /"Laptop" is -1/],
    ['a fractional stock', '{"Laptop": 1.5}', /non-negative integer/],
    ['a string stock', '{"Laptop": "5"}', /non-negative integer/],
    ['a blank name', '{" ": 5}', /non-negative integer stock/],
  ])('GIVEN %s THEN a ConfigurationError explains it', (_n, json, message) => {
    expect(() => parseCatalogue(json)).toThrow(ConfigurationError);
    expect(() => parseCatalogue(json)).toThrow(message);
  });
});

describe('checkInventory', () => {
  it('GIVEN items in stock THEN the check is available and lists each item', () => {
    expect(
      checkInventory(
        [
          { name: 'Laptop', quantity: 5, price: 1 },
          { name: 'Mouse', quantity: 1, price: 1 },
        ],
        catalogue,
        NOW,
      ),
    ).toEqual({
      status: 'available',
      checkedAt: NOW.toISOString(),
      items: [
        { name: 'Laptop', requested: 5, inStock: 5 },
        { name: 'Mouse', requested: 1, inStock: 10 },
      ],
      unavailableItems: [],
    });
  });

  it('matches names case-insensitively and ignores surrounding spaces', () => {
    expect(checkInventory([{ name: ' lApToP ', quantity: 1, price: 1 }], catalogue, NOW).status).toBe('available');
  });

  it.each<[string, Array<{ name: string; quantity: number }>, Array<{ name: string; requested: number; inStock: number; reason: string }>]>(
    [
      ['an unknown item', [{ name: 'Spaceship', quantity: 1 }], [{ name: 'Spaceship', requested: 1, inStock: 0, reason: 'unknown item' }]],
      [
        'more than in stock',
        [{ name: 'Laptop', quantity: 6 }],
        [{ name: 'Laptop', requested: 6, inStock: 5, reason: 'insufficient stock: requested 6, in stock 5' }],
      ],
      [
        'a sold-out item',
        [{ name: 'Sold Out', quantity: 1 }],
        [{ name: 'Sold Out', requested: 1, inStock: 0, reason: 'insufficient stock: requested 1, in stock 0' }],
      ],
      [
        'repeated lines that together exceed stock',
        [
          { name: 'Laptop', quantity: 3 },
          { name: 'laptop', quantity: 3 },
        ],
        [{ name: 'Laptop', requested: 6, inStock: 5, reason: 'insufficient stock: requested 6, in stock 5' }],
      ],
      [
        'two problems at once',
        [
          { name: 'Laptop', quantity: 9 },
          { name: 'Mouse', quantity: 1 },
          { name: 'Unicorn', quantity: 2 },
        ],
        [
          { name: 'Laptop', requested: 9, inStock: 5, reason: 'insufficient stock: requested 9, in stock 5' },
          { name: 'Unicorn', requested: 2, inStock: 0, reason: 'unknown item' },
        ],
      ],
    ],
  )('GIVEN %s THEN the check is unavailable and says why', (_n, lines, unavailable) => {
    const result = checkInventory(
      lines.map((l) => ({ ...l, price: 1 })),
      catalogue,
      NOW,
    );
    expect(result.status).toBe('unavailable');
    expect(result.unavailableItems).toEqual(unavailable);
  });

  it('GIVEN repeated lines within stock THEN they are summed and available', () => {
    const result = checkInventory(
      [
        { name: 'Laptop', quantity: 2, price: 1 },
        { name: 'Laptop', quantity: 3, price: 1 },
      ],
      catalogue,
      NOW,
    );
    expect(result).toMatchObject({ status: 'available', items: [{ name: 'Laptop', requested: 5, inStock: 5 }] });
  });

  it.each([[undefined], [[]], [[{ name: 5, quantity: 1 }]]])('GIVEN malformed items %j THEN InvalidStateError', (items) => {
    expect(() => checkInventory(items as never, catalogue, NOW)).toThrow(InvalidStateError);
  });
});
