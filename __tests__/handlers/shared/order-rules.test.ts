import { OrderValidationError } from '../../../handlers/shared/errors';
import { requestHash } from '../../../handlers/shared/ids';
import { normaliseOrderRequest, processOrder } from '../../../handlers/shared/order-rules';
import { executionInput } from '../fixtures';

const NOW = new Date('2030-01-01T00:00:00.000Z');

describe('normaliseOrderRequest', () => {
  it('trims names, rounds to cents, upper-cases the currency', () => {
    expect(
      normaliseOrderRequest({
        customerName: '  Zoë  ',
        items: [{ name: ' Mouse ', quantity: 3, price: 0.1 }],
        totalAmount: 0.30000000000000004,
        currency: 'eur',
      }),
    ).toEqual({ customerName: 'Zoë', items: [{ name: 'Mouse', quantity: 3, price: 0.1 }], totalAmount: 0.3, currency: 'EUR' });
  });

  it('defaults the currency to USD', () => {
    expect(normaliseOrderRequest({ customerName: 'A', items: [{ name: 'Mouse', quantity: 1, price: 1 }], totalAmount: 1 }).currency).toBe(
      'USD',
    );
  });
});

describe('processOrder (order-processor)', () => {
  it('GIVEN a valid execution input WHEN processed THEN it returns the normalised Order stamped with receivedAt', () => {
    const input = executionInput({ customerName: '  Ada Lovelace ', currency: 'usd' });
    expect(processOrder(input, () => NOW)).toEqual({
      orderId: input.orderId,
      createdAt: input.receivedAt,
      customerName: 'Ada Lovelace',
      items: input.items,
      totalAmount: 1359.96,
      currency: 'USD',
      requestHash: input.requestHash,
    });
  });

  it('GIVEN the same input twice (a retry) THEN createdAt is the same', () => {
    expect(processOrder(executionInput(), () => new Date(1)).createdAt).toBe(processOrder(executionInput(), () => new Date(2)).createdAt);
  });

  it('GIVEN no receivedAt THEN createdAt is now and the request hash is computed', () => {
    const { receivedAt: _r, requestHash: _h, ...input } = executionInput();
    const result = processOrder(input, () => NOW);
    expect(result.createdAt).toBe(NOW.toISOString());
    expect(result.requestHash).toBe(
      requestHash({ customerName: input.customerName, items: input.items, totalAmount: input.totalAmount, currency: input.currency }),
    );
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'hello', '(root)'],
    ['no orderId', { ...executionInput(), orderId: undefined }, 'orderId'],
    ['a malformed orderId', executionInput({ orderId: 'ord_../../x' }), 'orderId'],
    ['a bad receivedAt', executionInput({ receivedAt: 'yesterday' }), 'receivedAt'],
    ['a bad requestHash', executionInput({ requestHash: 'zz' }), 'requestHash'],
    ['a wrong total', executionInput({ totalAmount: 1 }), 'totalAmount'],
    ['an unknown field', { ...executionInput(), admin: true }, 'admin'],
    ['a zero quantity', executionInput({ items: [{ name: 'Laptop', quantity: 0, price: 1 }], totalAmount: 0.01 }), 'items[0].quantity'],
  ])('GIVEN %s THEN an OrderValidationError names %s', (_n, input, path) => {
    let thrown: unknown;
    try {
      processOrder(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OrderValidationError);
    // Step Functions sees `name` as the error type: it must not be a retried Lambda.* one.
    expect((thrown as Error).name).toBe('OrderValidationError');
    expect((thrown as OrderValidationError).errors.map((e) => e.path)).toContain(path);
  });
});
