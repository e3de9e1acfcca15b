/**
 * Load on the local runtime: N orders posted with C in flight reach a terminal stored
 * state, each exactly once; a repeat of all N with the same Idempotency-Keys creates
 * nothing new. `npm test` runs a small N (fast); the full size is
 * `TRUST_LOAD_ORDERS=500 npx jest __tests__/trust/load.test.ts`, and `npm run bench`
 * runs 500 with timings. No timing assertions here.
 */
import { randomUUID } from 'node:crypto';
import { ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX, parseIndexKey, recordKey } from '../../handlers/shared/storage-layout';
import { closeIdleConnections, postOrder, runPool, type RawResponse } from './http';
import { loadOrder, sizeFromEnv } from './load-mix';
import { startTrustRuntime, type TrustRuntime } from './trust-runtime';

const ORDERS = sizeFromEnv('TRUST_LOAD_ORDERS', 100);
const IN_FLIGHT = sizeFromEnv('TRUST_LOAD_CONCURRENCY', 25);
const WORKFLOW_STATES = [
  'ProcessOrder',
  'CheckInventory',
  'ProcessPayment',
  'MergeResults',
  'RefundPayment',
  'StoreOrder',
  'CompensatePayment',
  'StoreFailedOrder',
];

interface Accepted {
  readonly orderId: string;
  readonly executionArn: string;
}

let rt: TrustRuntime;
const runId = randomUUID().slice(0, 8);
const keyOf = (i: number) => `load-${runId}-${i}`;
const indexes = Array.from({ length: ORDERS }, (_, i) => i);
let first: RawResponse[];

function accepted(res: RawResponse): Accepted {
  const body = res.json as Accepted;
  return { orderId: body.orderId, executionArn: body.executionArn };
}

const workflowInvocations = () => WORKFLOW_STATES.reduce((n, state) => n + rt.runtime.invocations.count({ state }), 0);

beforeAll(
  async () => {
    rt = await startTrustRuntime();
    first = await runPool(indexes, IN_FLIGHT, (i) => postOrder(rt.baseUrl, loadOrder(i).body, keyOf(i)));
    await rt.waitForStored(
      first.filter((r) => r.status === 202).map((r) => accepted(r).orderId),
      Math.max(60_000, ORDERS * 400),
    );
  },
  Math.max(120_000, ORDERS * 1000),
);

afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

describe(`GIVEN ${ORDERS} orders posted with ${IN_FLIGHT} in flight`, () => {
  it('THEN every one is accepted with its own order id', () => {
    expect(first.map((r) => r.status)).toEqual(indexes.map(() => 202));
    expect(new Set(first.map((r) => accepted(r).orderId)).size).toBe(ORDERS);
  });

  it('THEN each order is stored exactly once: one record and one index entry per order id', async () => {
    const ids = first.map((r) => accepted(r).orderId);
    const records = await rt.listKeys(ORDER_RECORDS_PREFIX);
    const index = await rt.listKeys(ORDER_INDEX_PREFIX);

    expect(records.sort()).toEqual(ids.map(recordKey).sort());
    expect(index.map((k) => parseIndexKey(k)?.orderId).sort()).toEqual([...ids].sort());
    expect(rt.runtime.executions()).toHaveLength(ORDERS);
  });

  it('THEN each reaches its expected terminal state, payment step run once', async () => {
    const outcomes = await runPool(indexes, 25, async (i) => {
      const { orderId } = accepted(first[i]);
      const record = await rt.readRecord(orderId);
      return {
        orderId,
        finalStatus: record.finalStatus,
        payment: record.paymentProcessing?.status,
        charges: rt.runtime.invocations.count({ executionName: orderId, state: 'ProcessPayment', outcome: 'succeeded' }),
      };
    });
    const expected = indexes.map((i) => ({
      orderId: accepted(first[i]).orderId,
      finalStatus: loadOrder(i).finalStatus,
      payment: loadOrder(i).payment,
      charges: 1,
    }));
    expect(outcomes).toEqual(expected);
  });
});

describe('GIVEN the same orders are posted again with the same Idempotency-Keys', () => {
  let repeat: RawResponse[];
  let before: { records: number; index: number; executions: number };
  let invocationsBefore: number;

  beforeAll(async () => {
    before = await rt.snapshot();
    invocationsBefore = workflowInvocations();
    repeat = await runPool(indexes, IN_FLIGHT, (i) => postOrder(rt.baseUrl, loadOrder(i).body, keyOf(i)));
    await rt.runtime.waitForIdle(30_000);
  }, 120_000);

  it('THEN each answers with the same order id and execution as the first time', () => {
    expect(repeat.map((r) => r.status)).toEqual(indexes.map(() => 202));
    expect(repeat.map(accepted)).toEqual(first.map(accepted));
    expect(repeat.every((r) => (r.json as { idempotentReplay?: boolean }).idempotentReplay === true)).toBe(true);
  });

  it('THEN nothing new is created: no execution, no workflow step, no record, no index entry', async () => {
    expect(await rt.snapshot()).toEqual(before);
    expect(workflowInvocations()).toBe(invocationsBefore);
  });
});
