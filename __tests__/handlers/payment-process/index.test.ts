import type { handler as Handler } from '../../../handlers/payment-process/index';
import { transactionIdFor } from '../../../handlers/shared/ids';
import { captureMetrics } from '../../helpers/emf';
import { ORDER_ID, order, payment } from '../fixtures';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
delete process.env.POWERTOOLS_METRICS_DISABLED;
const countersEmitted = captureMetrics();
let handler: typeof Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../handlers/payment-process/index'));
});
afterEach(() => {
  delete process.env.PAYMENT_APPROVAL_LIMIT;
});

describe('payment-process handler', () => {
  it('GIVEN an order under the default limit THEN approved with the derived transaction id', async () => {
    await expect(handler(order())).resolves.toMatchObject({ status: 'approved', transactionId: transactionIdFor(ORDER_ID) });
    expect(countersEmitted()).toEqual([{ PaymentsApproved: 1 }]);
  });

  it('GIVEN an order over the default 10000 THEN declined', async () => {
    await expect(handler(order({ totalAmount: 10_000.01 }))).resolves.toMatchObject({ status: 'declined' });
    expect(countersEmitted()).toEqual([{ PaymentsDeclined: 1 }]);
  });

  it('GIVEN PAYMENT_APPROVAL_LIMIT=1000 THEN 1359.96 is declined', async () => {
    process.env.PAYMENT_APPROVAL_LIMIT = '1000';
    await expect(handler(order())).resolves.toMatchObject({ status: 'declined', reason: expect.stringMatching(/approval limit of 1000/) });
  });

  it.each([['abc'], ['-5'], ['0'], ['1e3']])('GIVEN PAYMENT_APPROVAL_LIMIT=%s THEN a ConfigurationError naming it', async (value) => {
    process.env.PAYMENT_APPROVAL_LIMIT = value;
    await expect(handler(order())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/PAYMENT_APPROVAL_LIMIT/),
    });
  });

  it('GIVEN { action: "refund", state } THEN the state comes back with the payment refunded and refundRequired false', async () => {
    const state = { orderId: ORDER_ID, finalStatus: 'failed', refundRequired: true, results: { paymentProcessing: payment('approved') } };
    const result = (await handler({ action: 'refund', state })) as Record<string, any>;
    expect(result).toMatchObject({
      orderId: ORDER_ID,
      finalStatus: 'failed',
      refundRequired: false,
      results: { paymentProcessing: { status: 'refunded' } },
    });
    expect(countersEmitted()).toEqual([{ PaymentsRefunded: 1 }]);
    // A refund already made is not counted again.
    await handler({ action: 'refund', state: result });
    expect(countersEmitted()).toEqual([{ PaymentsRefunded: 1 }]);
  });
});
