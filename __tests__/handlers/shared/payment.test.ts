import { InvalidStateError } from '../../../handlers/shared/errors';
import { refundIdFor, transactionIdFor } from '../../../handlers/shared/ids';
import { DEFAULT_PAYMENT_APPROVAL_LIMIT, chargeOrder, refundState } from '../../../handlers/shared/payment';
import { ORDER_ID, executionInput, inventory, order, payment, withResults } from '../fixtures';

const NOW = new Date('2026-11-26T02:00:00.000Z');

describe('chargeOrder', () => {
  it('has a documented default limit of 10000', () => {
    expect(DEFAULT_PAYMENT_APPROVAL_LIMIT).toBe(10_000);
  });

  it.each<[number, number, 'approved' | 'declined']>([
    [1359.96, 10_000, 'approved'],
    [10_000, 10_000, 'approved'],
    [10_000.01, 10_000, 'declined'],
    [0.3, 0.3, 'approved'],
    [250, 100, 'declined'],
  ])('GIVEN total %s and limit %s THEN the charge is %s', (total, limit, status) => {
    expect(chargeOrder(order({ totalAmount: total }), limit, NOW).status).toBe(status);
  });

  it('GIVEN an approved charge THEN it carries the derived transaction id, amount and currency', () => {
    expect(chargeOrder(order(), 10_000, NOW)).toEqual({
      status: 'approved',
      transactionId: transactionIdFor(ORDER_ID),
      amount: 1359.96,
      currency: 'USD',
      processedAt: NOW.toISOString(),
    });
  });

  it('GIVEN a declined charge THEN the reason names the amount and the limit', () => {
    expect(chargeOrder(order({ totalAmount: 20_000 }), 10_000, NOW).reason).toBe('amount 20000 USD exceeds the approval limit of 10000');
  });

  it('GIVEN a retried charge THEN the transaction id is the same (never two charges)', () => {
    expect(chargeOrder(order(), 10_000, new Date(1)).transactionId).toBe(chargeOrder(order(), 10_000, new Date(2)).transactionId);
  });

  it.each([[null], [{}], [{ ...order(), totalAmount: -1 }], [{ ...order(), orderId: 'x' }]])('GIVEN %j THEN InvalidStateError', (input) => {
    expect(() => chargeOrder(input, 10_000)).toThrow(InvalidStateError);
  });
});

describe('refundState', () => {
  const txn = transactionIdFor(ORDER_ID);

  it('GIVEN a record with an approved payment THEN the payment is refunded with a derived refund id and refundRequired false', () => {
    const record = {
      orderId: ORDER_ID,
      finalStatus: 'failed',
      refundRequired: true,
      results: { paymentProcessing: payment('approved', { transactionId: txn }) },
    };
    const { state, decision } = refundState(record, NOW);
    expect(decision).toBe('refunded');
    expect(state).toEqual({
      orderId: ORDER_ID,
      finalStatus: 'failed',
      refundRequired: false,
      results: {
        paymentProcessing: {
          ...payment('approved', { transactionId: txn }),
          status: 'refunded',
          refundId: refundIdFor(txn),
          processedAt: NOW.toISOString(),
          reason: 'refunded: the order could not be completed',
        },
      },
    });
  });

  it('GIVEN an already refunded payment (a retried refund) THEN the same refund comes back', () => {
    const first = refundState(
      { orderId: ORDER_ID, results: { paymentProcessing: payment('approved', { transactionId: txn }) } },
      NOW,
    ).state;
    const second = refundState(first, new Date('2030-01-01T00:00:00Z'));
    expect(second.decision).toBe('already-refunded');
    expect(second.state.results.paymentProcessing).toEqual(first.results.paymentProcessing);
  });

  it('GIVEN a failed Parallel (no results in the state) THEN not-charged with the would-be transaction id', () => {
    const failed = { ...executionInput(), error: { Error: 'States.Timeout', Cause: 'x' } };
    const { state, decision } = refundState(failed, NOW);
    expect(decision).toBe('not-charged');
    expect(state.results.paymentProcessing).toEqual({
      status: 'not-charged',
      transactionId: txn,
      amount: 1359.96,
      currency: 'USD',
      processedAt: NOW.toISOString(),
      reason: 'no captured payment to refund',
    });
    expect(state).toMatchObject({ error: failed.error, refundRequired: false });
  });

  it('GIVEN a failed merge whose results show an approved payment THEN it is refunded', () => {
    const failed = { ...withResults(inventory(), payment('approved', { transactionId: txn })), error: { Error: 'Error', Cause: '{}' } };
    const { state, decision } = refundState(failed, NOW);
    expect(decision).toBe('refunded');
    expect(state.results.paymentProcessing).toMatchObject({ status: 'refunded', refundId: refundIdFor(txn) });
    // The sibling result is kept: one results object, updated in place.
    expect(state.results.inventoryCheck).toEqual(inventory());
  });

  it('GIVEN a declined payment THEN not-charged naming the decline', () => {
    const { state, decision } = refundState(
      { orderId: ORDER_ID, results: { paymentProcessing: payment('declined', { reason: 'over limit' }) } },
      NOW,
    );
    expect(decision).toBe('not-charged');
    expect(state.results.paymentProcessing).toMatchObject({ status: 'not-charged', reason: 'payment was declined: over limit' });
  });

  it.each([[null], [[]], [{ results: { paymentProcessing: payment() } }]])('GIVEN %j THEN InvalidStateError', (input) => {
    expect(() => refundState(input)).toThrow(InvalidStateError);
  });
});
