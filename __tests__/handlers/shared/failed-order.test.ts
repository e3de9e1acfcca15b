import { InvalidStateError } from '../../../handlers/shared/errors';
import { buildFailedRecord, buildStoredRecord, describeStepError } from '../../../handlers/shared/failed-order';
import { ORDER_ID, executionInput, inventory, order, payment, withResults } from '../fixtures';

const NOW = new Date('2026-11-26T02:00:00.000Z');
const lambdaCause = JSON.stringify({
  errorType: 'OrderValidationError',
  errorMessage: 'order is invalid: totalAmount: wrong',
  trace: ['at secret (/var/task/index.js:1:1)'],
});

describe('describeStepError', () => {
  it.each([
    [
      'a Lambda error: the errorMessage of its JSON Cause, never the trace',
      { Error: 'OrderValidationError', Cause: lambdaCause },
      'OrderValidationError: order is invalid: totalAmount: wrong',
    ],
    ['a States error with a text Cause', { Error: 'States.Timeout', Cause: 'Task timed out' }, 'States.Timeout: Task timed out'],
    ['no Cause', { Error: 'States.TaskFailed' }, 'States.TaskFailed'],
  ])('GIVEN %s', (_n, error, expected) => {
    expect(describeStepError(error)).toBe(expected);
    expect(describeStepError(error)).not.toMatch(/\/var\/task/);
  });

  it('caps a huge cause at 1000 characters', () => {
    expect(describeStepError({ Error: 'E', Cause: 'x'.repeat(5000) })!.length).toBe(1000);
  });
});

describe('buildFailedRecord', () => {
  it('GIVEN the execution input of a failed ProcessOrder THEN a failed record keeps the order details and the reason', () => {
    const input = executionInput();
    expect(buildFailedRecord({ ...input, error: { Error: 'OrderValidationError', Cause: lambdaCause } }, NOW)).toEqual({
      orderId: ORDER_ID,
      createdAt: input.receivedAt,
      completedAt: NOW.toISOString(),
      orderDetails: { customerName: input.customerName, items: input.items, totalAmount: input.totalAmount, currency: input.currency },
      finalStatus: 'failed',
      failureReason: 'OrderValidationError: order is invalid: totalAmount: wrong',
      requestHash: input.requestHash,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['the execution input (ProcessOrder failed)', { ...executionInput(), error: { Error: 'States.Timeout' } }],
    ['an Order with results (MergeResults failed)', { ...withResults(inventory(), payment()), error: { Error: 'States.Timeout' } }],
    [
      'a merged order (StoreOrder failed, then compensated)',
      {
        ...order(),
        results: { paymentProcessing: payment('refunded') },
        finalStatus: 'completed',
        error: { Error: 'States.Timeout' },
      },
    ],
  ])('GIVEN %s THEN the record keeps its requestHash (keyed repeats are answered from it later)', (_n, state) => {
    expect(buildFailedRecord(state, NOW).requestHash).toBe('a'.repeat(64));
  });

  it('GIVEN a state without requestHash THEN the record has none', () => {
    const { requestHash: _h, ...input } = executionInput();
    expect(buildFailedRecord({ ...input, error: { Error: 'States.Timeout' } }, NOW)).not.toHaveProperty('requestHash');
  });

  it('GIVEN a compensated Parallel failure THEN the record carries the payment and the reason', () => {
    const state = {
      ...order(),
      error: { Error: 'States.Timeout', Cause: 'CheckInventory timed out' },
      results: { paymentProcessing: payment('not-charged') },
      refundRequired: false,
    };
    expect(buildFailedRecord(state, NOW)).toMatchObject({
      finalStatus: 'failed',
      paymentProcessing: payment('not-charged'),
      failureReason: 'States.Timeout: CheckInventory timed out',
      createdAt: order().createdAt,
    });
  });

  it('GIVEN a failed merge with results THEN inventory and payment come from the results', () => {
    const state = {
      ...withResults(inventory('unavailable'), payment('refunded')),
      error: { Error: 'Error', Cause: '{"errorMessage":"boom"}' },
    };
    expect(buildFailedRecord(state, NOW)).toMatchObject({
      inventoryCheck: inventory('unavailable'),
      paymentProcessing: payment('refunded'),
      failureReason: 'Error: boom',
    });
  });

  it('GIVEN a merged order whose refund failed THEN both reasons are kept', () => {
    const record = {
      ...order(),
      completedAt: 'x',
      finalStatus: 'failed',
      failureReason: 'items unavailable: Laptop (unknown item)',
      refundRequired: true,
      results: { paymentProcessing: payment('approved') },
      error: { Error: 'Lambda.ServiceException', Cause: 'service unavailable' },
    };
    const failed = buildFailedRecord(record, NOW);
    expect(failed.failureReason).toBe(
      `Lambda.ServiceException: service unavailable; items unavailable: Laptop (unknown item); payment ${payment().transactionId} is captured and was not refunded`,
    );
    const o = order();
    expect(failed.orderDetails).toEqual({ customerName: o.customerName, items: o.items, totalAmount: o.totalAmount, currency: o.currency });
    expect(failed).not.toHaveProperty('refundRequired');
  });

  it('GIVEN a failed inventory branch THEN the record has no inventoryCheck (a branch failure is not a result)', () => {
    const state = {
      ...order(),
      results: { inventoryCheck: { status: 'error' as const, error: { Error: 'States.Timeout' } }, paymentProcessing: payment('refunded') },
      error: { Error: 'States.Timeout' },
    };
    expect(buildFailedRecord(state, NOW)).not.toHaveProperty('inventoryCheck');
  });

  it('GIVEN a compensation that failed too THEN the record says so', () => {
    const state = { ...order(), error: { Error: 'States.TaskFailed' }, compensationError: { Error: 'Lambda.Unknown', Cause: 'x' } };
    expect(buildFailedRecord(state, NOW).failureReason).toBe('States.TaskFailed; compensation failed: Lambda.Unknown: x');
  });

  it('GIVEN no error at all THEN a generic reason and now as createdAt', () => {
    expect(buildFailedRecord({ orderId: ORDER_ID }, NOW)).toMatchObject({
      failureReason: 'the workflow failed',
      createdAt: NOW.toISOString(),
    });
  });

  it.each([[null], ['x'], [{ orderId: 'nope' }]])('GIVEN %j THEN InvalidStateError', (state) => {
    expect(() => buildFailedRecord(state)).toThrow(InvalidStateError);
  });
});

describe('buildStoredRecord', () => {
  it('GIVEN the merged order THEN the stored record nests the order fields under orderDetails', () => {
    const o = order();
    const merged = {
      ...o,
      results: { inventoryCheck: inventory(), paymentProcessing: payment() },
      completedAt: NOW.toISOString(),
      finalStatus: 'completed',
      refundRequired: false,
    };
    expect(buildStoredRecord(merged)).toEqual({
      orderId: ORDER_ID,
      createdAt: o.createdAt,
      completedAt: NOW.toISOString(),
      orderDetails: { customerName: o.customerName, items: o.items, totalAmount: o.totalAmount, currency: o.currency },
      inventoryCheck: inventory(),
      paymentProcessing: payment(),
      finalStatus: 'completed',
      requestHash: o.requestHash,
    });
  });

  it.each([[null], [{ ...order(), finalStatus: 'completed' }], [{ ...order(), results: { paymentProcessing: payment() } }]])(
    'GIVEN %j (not a merged order) THEN InvalidStateError',
    (state) => {
      expect(() => buildStoredRecord(state)).toThrow(InvalidStateError);
    },
  );
});
