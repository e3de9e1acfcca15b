import type { handler as Handler } from '../../../handlers/inventory-check/index';
import { order } from '../fixtures';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
let handler: typeof Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../handlers/inventory-check/index'));
});
afterEach(() => {
  delete process.env.INVENTORY_CATALOGUE;
});

describe('inventory-check handler', () => {
  it('GIVEN the default catalogue THEN the README items are available', async () => {
    await expect(handler(order())).resolves.toMatchObject({ status: 'available', unavailableItems: [] });
  });

  it('GIVEN INVENTORY_CATALOGUE THEN it is the stock', async () => {
    process.env.INVENTORY_CATALOGUE = '{"Laptop": 0, "Mouse": 100}';
    const result = await handler(order());
    expect(result.status).toBe('unavailable');
    expect(result.unavailableItems).toEqual([
      { name: 'Laptop', requested: 1, inStock: 0, reason: 'insufficient stock: requested 1, in stock 0' },
    ]);
  });

  it('GIVEN a malformed INVENTORY_CATALOGUE THEN a ConfigurationError naming it', async () => {
    process.env.INVENTORY_CATALOGUE = 'nope';
    await expect(handler(order())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/INVENTORY_CATALOGUE/),
    });
  });
});
