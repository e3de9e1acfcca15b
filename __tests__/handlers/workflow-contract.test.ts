/**
 * The handlers' rules run through the real workflow definition (aws-local-stepfunctions,
 * Task states overridden in-process): proves the data contract between steps — the
 * Parallel's results, the refund Choice, every Catch — end to end, without bundles.
 * Storage goes to an in-memory S3 stand-in; the real-S3 behaviour is tested elsewhere.
 */
import type { PutObjectCommand } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import { buildOrderWorkflowDefinition, TASK_STATE_FUNCTIONS } from '../../workflow/order-workflow-definition';
import { buildFailedRecord, buildStoredRecord } from '../../handlers/shared/failed-order';
import { checkInventory, parseCatalogue } from '../../handlers/shared/inventory';
import { mergeResults } from '../../handlers/shared/merge';
import { processOrder } from '../../handlers/shared/order-rules';
import { chargeOrder, refundState } from '../../handlers/shared/payment';
import { storeOrder } from '../../handlers/shared/storage';
import { recordKey } from '../../handlers/shared/storage-layout';
import type { StoredOrder } from '../../handlers/shared/types';
import { executionInput } from './fixtures';

// aws-local-stepfunctions 3.0.0 calls Promise.withResolvers, which Node 20 lacks (test-only polyfill).
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

type Step = (payload: any) => unknown;

const objects = new Map<string, string>();
const fakeS3 = {
  send: async (command: unknown) => {
    const input = (command as PutObjectCommand).input;
    objects.set(input.Key!, String(input.Body));
    return {};
  },
};

const defaultSteps: Record<string, Step> = {
  orderProcessor: (p) => processOrder(p),
  inventoryCheck: (p) => checkInventory(p.items, parseCatalogue('{"Laptop": 5, "Mouse": 100}')),
  paymentProcess: (p) => (p.action === 'refund' ? refundState(p.state).state : chargeOrder(p, 10_000)),
  mergeResults: (p) => mergeResults(p),
  s3Storage: (p) =>
    storeOrder({ s3: fakeS3, bucket: 'orders' }, p.outcome === 'failed' ? buildFailedRecord(p.state) : buildStoredRecord(p)),
};

const ARNS = { orderProcessor: 'op', inventoryCheck: 'ic', paymentProcess: 'pp', mergeResults: 'mr', s3Storage: 's3' };
// One machine for the file: constructing validates the definition, which is the slow part.
const machine = new StateMachine(buildOrderWorkflowDefinition(ARNS) as never);

/** Runs one execution; `fail` makes a Task state throw a Lambda-style error every time. */
async function run(input: unknown, fail: Partial<Record<keyof typeof TASK_STATE_FUNCTIONS, string>> = {}) {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    Object.entries(TASK_STATE_FUNCTIONS).map(([state, fn]) => [
      state,
      async (params: any) => {
        calls.push(state);
        try {
          if (fail[state as keyof typeof TASK_STATE_FUNCTIONS])
            throw Object.assign(new Error('injected failure'), { name: fail[state as keyof typeof TASK_STATE_FUNCTIONS] });
          return { Payload: await defaultSteps[fn](params.Payload) };
        } catch (error) {
          // What Lambda reports: errorType as the error name, a JSON Cause with errorMessage.
          const e = error as Error;
          throw Object.assign(new Error(JSON.stringify({ errorType: e.name, errorMessage: e.message })), { name: e.name });
        }
      },
    ]),
  );
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: Object.fromEntries(Object.keys(TASK_STATE_FUNCTIONS).map((s) => [s, 0])),
    },
  });
  const output = await execution.result;
  const stored = JSON.parse(objects.get(recordKey((input as { orderId: string }).orderId)) ?? 'null') as StoredOrder | null;
  return { output, stored, calls };
}

beforeEach(() => objects.clear());

describe('order workflow with the real handlers rules', () => {
  it('GIVEN stock and an approvable total THEN the order is stored completed, charged once, never refunded', async () => {
    const { output, stored, calls } = await run(executionInput({ items: [{ name: 'Laptop', quantity: 1, price: 999 }], totalAmount: 999 }));
    expect(output).toMatchObject({ finalStatus: 'completed' });
    expect(stored).toMatchObject({
      finalStatus: 'completed',
      paymentProcessing: { status: 'approved' },
      inventoryCheck: { status: 'available' },
    });
    expect(stored).not.toHaveProperty('refundRequired');
    // The Parallel's branches may run in either order.
    expect([calls[0], ...calls.slice(1, 3).sort(), ...calls.slice(3)]).toEqual([
      'ProcessOrder',
      'CheckInventory',
      'ProcessPayment',
      'MergeResults',
      'StoreOrder',
    ]);
  });

  it('GIVEN approved payment but too little stock THEN refunded and stored failed naming the item', async () => {
    const { stored, calls } = await run(executionInput({ items: [{ name: 'Laptop', quantity: 6, price: 100 }], totalAmount: 600 }));
    expect(calls).toContain('RefundPayment');
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      failureReason: 'items unavailable: Laptop (insufficient stock: requested 6, in stock 5)',
      paymentProcessing: { status: 'refunded' },
    });
  });

  it('GIVEN a total over the limit THEN declined, not refunded, stored failed with the reason', async () => {
    const { stored, calls } = await run(executionInput({ items: [{ name: 'Mouse', quantity: 11, price: 1000 }], totalAmount: 11_000 }));
    expect(calls).not.toContain('RefundPayment');
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      paymentProcessing: { status: 'declined' },
      failureReason: expect.stringMatching(/^payment declined: amount 11000 USD exceeds/),
    });
  });

  it('GIVEN an invalid order THEN ProcessOrder is not retried and the order is stored failed with the validation message', async () => {
    const { stored, calls } = await run(executionInput({ totalAmount: 1 }));
    expect(calls.filter((c) => c === 'ProcessOrder')).toHaveLength(1);
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      failureReason: expect.stringMatching(/^OrderValidationError: order is invalid: totalAmount/),
    });
  });

  it('GIVEN CheckInventory failing permanently THEN the captured payment is refunded and the order is stored failed', async () => {
    const { stored, calls } = await run(executionInput(), { CheckInventory: 'InventoryUnavailable' });
    expect(calls).toContain('RefundPayment');
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      paymentProcessing: { status: 'refunded' },
      failureReason: expect.stringMatching(/^inventory check failed: InventoryUnavailable/),
    });
  });

  it('GIVEN ProcessPayment failing permanently THEN nothing is refunded and the order is stored failed, payment not charged', async () => {
    const { stored, calls } = await run(executionInput(), { ProcessPayment: 'PaymentGatewayDown' });
    expect(calls).not.toContain('RefundPayment');
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      paymentProcessing: { status: 'not-charged' },
      inventoryCheck: { status: 'available' },
      failureReason: expect.stringMatching(/^payment step failed: PaymentGatewayDown/),
    });
  });

  it('GIVEN StoreOrder failing permanently THEN the payment is refunded and the order is stored failed', async () => {
    const { stored, calls } = await run(executionInput(), { StoreOrder: 'Error' });
    expect(calls).toContain('CompensatePayment');
    expect(stored).toMatchObject({ finalStatus: 'failed', paymentProcessing: { status: 'refunded' } });
  });

  it('GIVEN MergeResults failing THEN the approved payment in the results is refunded and the order stored failed', async () => {
    const { stored } = await run(executionInput(), { MergeResults: 'Error' });
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      paymentProcessing: { status: 'refunded' },
      inventoryCheck: { status: 'available' },
    });
  });

  it('GIVEN RefundPayment failing THEN the order is still stored failed, both reasons kept', async () => {
    const { stored } = await run(executionInput({ items: [{ name: 'Laptop', quantity: 6, price: 100 }], totalAmount: 600 }), {
      RefundPayment: 'Error',
    });
    expect(stored).toMatchObject({
      finalStatus: 'failed',
      failureReason: expect.stringMatching(
        /^Error: injected failure; items unavailable: Laptop.*; payment txn_\w+ is captured and was not refunded$/,
      ),
    });
  });
  // The api answers a keyed repeat from the record once Step Functions has deleted the
  // execution, so every way an order can end must store the execution input's requestHash.
  it.each<[string, Parameters<typeof executionInput>[0], Parameters<typeof run>[1]]>([
    ['completed', { items: [{ name: 'Laptop', quantity: 1, price: 999 }], totalAmount: 999 }, {}],
    ['refunded (stock short)', { items: [{ name: 'Laptop', quantity: 6, price: 100 }], totalAmount: 600 }, {}],
    ['declined', { items: [{ name: 'Mouse', quantity: 11, price: 1000 }], totalAmount: 11_000 }, {}],
    ['invalid (ProcessOrder failed)', { totalAmount: 1 }, {}],
    ['MergeResults failed', {}, { MergeResults: 'Error' }],
    ['StoreOrder failed', {}, { StoreOrder: 'Error' }],
    ['RefundPayment failed', { items: [{ name: 'Laptop', quantity: 6, price: 100 }], totalAmount: 600 }, { RefundPayment: 'Error' }],
  ])('GIVEN an order that ends %s THEN the stored record carries the execution input requestHash', async (_n, overrides, fail) => {
    const input = executionInput({ ...overrides, requestHash: 'b'.repeat(64) });
    const { stored } = await run(input, fail);
    expect(stored?.requestHash).toBe('b'.repeat(64));
  });
});
