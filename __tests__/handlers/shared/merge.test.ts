import { InvalidStateError } from '../../../handlers/shared/errors';
import { mergeResults } from '../../../handlers/shared/merge';
import { ORDER_ID, inventory, order, payment, withResults } from '../fixtures';

const NOW = new Date('2026-11-26T02:00:00.000Z');

describe('mergeResults', () => {
  it('GIVEN stock available and payment approved THEN completed with no refund, the order fields as they were (one state shape)', () => {
    const o = order();
    expect(mergeResults(withResults(inventory(), payment()), NOW)).toEqual({
      ...o,
      results: { inventoryCheck: inventory(), paymentProcessing: payment() },
      completedAt: NOW.toISOString(),
      finalStatus: 'completed',
      refundRequired: false,
    });
  });

  it('GIVEN an order without requestHash THEN the record has none (nothing invented)', () => {
    const { requestHash: _h, ...o } = order();
    expect(mergeResults({ ...o, results: { inventoryCheck: inventory(), paymentProcessing: payment() } }, NOW)).not.toHaveProperty(
      'requestHash',
    );
  });

  it.each<[string, 'available' | 'unavailable', Parameters<typeof payment>[0], string, boolean]>([
    [
      'approved payment, stock unavailable',
      'unavailable',
      'approved',
      'items unavailable: Laptop (insufficient stock: requested 1, in stock 0)',
      true,
    ],
    ['declined payment, stock available', 'available', 'declined', 'payment declined: over the limit', false],
    [
      'declined payment, stock unavailable',
      'unavailable',
      'declined',
      'payment declined: over the limit; items unavailable: Laptop (insufficient stock: requested 1, in stock 0)',
      false,
    ],
    ['payment not charged', 'available', 'not-charged', 'payment not-charged', false],
  ])('GIVEN %s THEN failed with the reason, refundRequired %s', (_n, stock, pay, reason, refund) => {
    const record = mergeResults(withResults(inventory(stock), payment(pay, pay === 'declined' ? { reason: 'over the limit' } : {})), NOW);
    expect(record).toMatchObject({ finalStatus: 'failed', failureReason: reason, refundRequired: refund });
  });

  it('GIVEN the inventory branch failed after its retries and payment approved THEN failed with the step error and a refund required', () => {
    const failed = {
      status: 'error' as const,
      error: { Error: 'Lambda.ServiceException', Cause: JSON.stringify({ errorMessage: 'boom' }) },
    };
    const record = mergeResults({ ...order(), results: { inventoryCheck: failed, paymentProcessing: payment() } }, NOW);
    expect(record).toMatchObject({
      finalStatus: 'failed',
      failureReason: 'inventory check failed: Lambda.ServiceException: boom',
      refundRequired: true,
      results: { paymentProcessing: payment() },
    });
    expect(record.results.inventoryCheck).toBeUndefined();
  });

  it('GIVEN the payment branch failed after its retries THEN failed, payment recorded not-charged, no refund', () => {
    const failed = { status: 'error' as const, error: { Error: 'States.Timeout', Cause: 'timed out' } };
    const record = mergeResults({ ...order(), results: { inventoryCheck: inventory(), paymentProcessing: failed } }, NOW);
    expect(record).toMatchObject({
      finalStatus: 'failed',
      failureReason: 'payment step failed: States.Timeout: timed out',
      refundRequired: false,
      results: {
        paymentProcessing: {
          status: 'not-charged',
          amount: order().totalAmount,
          currency: order().currency,
          reason: 'States.Timeout: timed out',
        },
      },
    });
  });

  it.each([[null], [{ orderId: ORDER_ID }], [{ ...order(), results: { inventoryCheck: inventory() } }]])(
    'GIVEN %j THEN InvalidStateError',
    (input) => {
      expect(() => mergeResults(input, NOW)).toThrow(InvalidStateError);
    },
  );
});
