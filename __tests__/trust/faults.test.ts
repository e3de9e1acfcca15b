/**
 * Faults on the local runtime, each main-path Task state in turn: a transient fault is
 * absorbed by the definition's Retry (order completes once, payment charged once); a
 * permanent one ends in a stored `failed` order whose captured payment is refunded.
 * Then the local S3 server is stopped and restarted mid-run: no accepted order is lost.
 *
 * Faults are injected by the runtime before the bundle runs (local/faults.ts), so what is
 * exercised is the definition's own Retry/Catch, not handler code.
 */
import { transactionIdFor } from '../../handlers/shared/ids';
import { indexKey, ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX, recordKey } from '../../handlers/shared/storage-layout';
import type { FaultSpec } from '../../local/faults';
import { VALID_ORDER } from './hostile-cases';
import { loadOrder } from './load-mix';
import { closeIdleConnections, postOrder } from './http';
import { startTrustRuntime, type TrustRuntime } from './trust-runtime';

type MainState = 'ProcessOrder' | 'CheckInventory' | 'ProcessPayment' | 'MergeResults' | 'StoreOrder';
const FAULT_ERROR = 'Lambda.ServiceException';

/**
 * What the stored record's payment must say after a permanent fault in each state:
 * `absent` — the order failed before payment was attempted; `not-charged` — the charge
 * itself never succeeded; `refunded` — a payment was captured and had to be given back.
 */
const PERMANENT: ReadonlyArray<readonly [MainState, 'absent' | 'not-charged' | 'refunded', number]> = [
  // [state, payment in the stored record, successful ProcessPayment invocations]
  ['ProcessOrder', 'absent', 0],
  ['CheckInventory', 'refunded', 1],
  ['ProcessPayment', 'not-charged', 0],
  ['MergeResults', 'refunded', 1],
  ['StoreOrder', 'refunded', 1],
];
const MAIN_STATES = PERMANENT.map(([state]) => state);

let rt: TrustRuntime;
let sequence = 0;

beforeAll(async () => {
  // 100 ms per retry wait: permanent faults exhaust Retry quickly, and the storage Retry
  // (4 transient + 6 TaskFailed attempts) still spans a couple of seconds of S3 outage.
  rt = await startTrustRuntime({ retryIntervalMs: 100 });
});

afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

/** Posts one valid order under the given faults and waits until its record is stored. */
async function orderUnder(faults: FaultSpec[]): Promise<{ orderId: string; record: Record<string, any> }> {
  rt.runtime.faults.set(faults);
  sequence += 1;
  const res = await postOrder(rt.baseUrl, { ...VALID_ORDER, customerName: `Fault Case ${sequence}` });
  expect(res.status).toBe(202);
  const { orderId } = res.json as { orderId: string };
  await rt.waitForStored([orderId], 30_000);
  return { orderId, record: await rt.readRecord(orderId) };
}

/** The order's record keys and index keys in S3: exactly one of each, the index at its createdAt. */
async function copiesOf(orderId: string, createdAt: string): Promise<{ records: string[]; index: string[] }> {
  const records = (await rt.listKeys(ORDER_RECORDS_PREFIX)).filter((k) => k === recordKey(orderId));
  const index = (await rt.listKeys(ORDER_INDEX_PREFIX)).filter((k) => k.endsWith(`_${orderId}`));
  expect({ records, index }).toEqual({ records: [recordKey(orderId)], index: [indexKey(createdAt, orderId)] });
  return { records, index };
}

const invocations = (executionName: string, state: string, outcome?: 'succeeded' | 'failed' | 'injected-fault') =>
  rt.runtime.invocations.count({ executionName, state, outcome });

describe('GIVEN a transient fault (first 2 attempts fail) in one Task state', () => {
  it.each(MAIN_STATES)('%s: retries absorb it, the order completes, stored once, payment charged once', async (state) => {
    // Act
    const { orderId, record } = await orderUnder([{ state, error: FAULT_ERROR, times: 2 }]);

    // Assess: the fault really happened twice, then the state succeeded.
    expect(invocations(orderId, state, 'injected-fault')).toBe(2);
    expect(invocations(orderId, state, 'succeeded')).toBe(1);
    expect(record.finalStatus).toBe('completed');
    expect(record.failureReason).toBeUndefined();
    // One charge: one successful ProcessPayment, its transaction id derived from the order.
    expect(invocations(orderId, 'ProcessPayment', 'succeeded')).toBe(1);
    expect(record.paymentProcessing).toEqual(expect.objectContaining({ status: 'approved', transactionId: transactionIdFor(orderId) }));
    for (const compensation of ['RefundPayment', 'CompensatePayment', 'StoreFailedOrder'])
      expect(invocations(orderId, compensation)).toBe(0);
    await copiesOf(orderId, record.createdAt);
  });
});

describe('GIVEN a permanent fault (every attempt fails) in one Task state', () => {
  it.each(PERMANENT)('%s: the order is stored failed with a reason; payment %s', async (state, payment, charges) => {
    // Act
    const { orderId, record } = await orderUnder([{ state, error: FAULT_ERROR, times: 'always' }]);

    // Assess: Retry gave up (5 attempts = 1 + MaxAttempts 4), Catch stored a failed order.
    expect(invocations(orderId, state, 'injected-fault')).toBe(5);
    expect(record.finalStatus).toBe('failed');
    expect(record.failureReason).toEqual(expect.stringContaining(FAULT_ERROR));
    expect(record.orderDetails).toEqual(
      expect.objectContaining({ customerName: expect.stringMatching(/^Fault Case /), totalAmount: VALID_ORDER.totalAmount }),
    );
    expect(invocations(orderId, 'ProcessPayment', 'succeeded')).toBe(charges);
    if (payment === 'absent') {
      expect(record.paymentProcessing).toBeUndefined();
    } else {
      // A captured charge must be given back; a charge that never happened is not refunded.
      expect(record.paymentProcessing).toEqual(expect.objectContaining({ status: payment, transactionId: transactionIdFor(orderId) }));
    }
    await copiesOf(orderId, record.createdAt);
  });
});

describe('GIVEN the refund step itself fails permanently (an out-of-stock order whose payment was captured)', () => {
  it('THEN the order is stored failed, the payment stays approved and the reason says it was not refunded', async () => {
    // Prepare: 60 laptops against a stock of 50, an approved 6,000 charge (load-mix order 8).
    rt.runtime.faults.set([{ state: 'RefundPayment', error: FAULT_ERROR, times: 'always' }]);
    const res = await postOrder(rt.baseUrl, loadOrder(8).body);
    expect(res.status).toBe(202);
    const { orderId } = res.json as { orderId: string };

    // Act
    await rt.waitForStored([orderId], 30_000);
    const record = await rt.readRecord(orderId);

    // Assess: RefundPayment's Catch goes straight to StoreFailedOrder (by design: the refund
    // is what failed, so a second refund attempt is not assumed to help); the record must
    // then say plainly that money is still captured, for an operator to refund it.
    expect(invocations(orderId, 'RefundPayment', 'injected-fault')).toBe(5);
    expect(record.finalStatus).toBe('failed');
    expect(record.paymentProcessing).toEqual(expect.objectContaining({ status: 'approved', transactionId: transactionIdFor(orderId) }));
    expect(record.failureReason).toEqual(expect.stringContaining(`payment ${transactionIdFor(orderId)} is captured and was not refunded`));
    await copiesOf(orderId, record.createdAt);
  });
});

/**
 * The compensation and failure-path Task states run only after something else failed, so
 * each case pairs a trigger (a permanent fault elsewhere, or an out-of-stock order) with a
 * fault in the state under test.
 */
const OUT_OF_STOCK = 'out-of-stock';
const COMPENSATION: ReadonlyArray<
  readonly [string, FaultSpec[], typeof OUT_OF_STOCK | 'valid', 'refunded' | 'approved' | 'absent', RegExp]
> = [
  // [case, faults, order, payment in the stored record, failureReason]
  [
    'RefundPayment fails twice (out of stock)',
    [{ state: 'RefundPayment', error: FAULT_ERROR, times: 2 }],
    OUT_OF_STOCK,
    'refunded',
    /items unavailable: Laptop/,
  ],
  [
    'CompensatePayment fails twice (after MergeResults failed)',
    [
      { state: 'MergeResults', error: FAULT_ERROR, times: 'always' },
      { state: 'CompensatePayment', error: FAULT_ERROR, times: 2 },
    ],
    'valid',
    'refunded',
    /Lambda\.ServiceException/,
  ],
  [
    'CompensatePayment fails always (after MergeResults failed)',
    [
      { state: 'MergeResults', error: FAULT_ERROR, times: 'always' },
      { state: 'CompensatePayment', error: FAULT_ERROR, times: 'always' },
    ],
    'valid',
    'approved',
    /compensation failed: Lambda\.ServiceException.*is captured and was not refunded/,
  ],
  [
    'StoreFailedOrder fails twice (after ProcessOrder failed)',
    [
      { state: 'ProcessOrder', error: FAULT_ERROR, times: 'always' },
      { state: 'StoreFailedOrder', error: FAULT_ERROR, times: 2 },
    ],
    'valid',
    'absent',
    /Lambda\.ServiceException/,
  ],
];

describe('GIVEN a fault in a compensation or failure-path Task state', () => {
  // StoreFailedOrder failing for good (the execution FAILS) is the S3-outage re-drive case in __tests__/local/runtime-faults.test.ts.
  it.each(COMPENSATION)(
    '%s: the order is stored failed once, with the payment as specified',
    async (_case, faults, order, payment, reason) => {
      // Act
      rt.runtime.faults.set(faults);
      sequence += 1;
      const body = order === OUT_OF_STOCK ? loadOrder(8).body : { ...VALID_ORDER, customerName: `Compensation Case ${sequence}` };
      const res = await postOrder(rt.baseUrl, body);
      expect(res.status).toBe(202);
      const { orderId } = res.json as { orderId: string };
      await rt.waitForStored([orderId], 30_000);
      const record = await rt.readRecord(orderId);

      // Assess: every injected fault really fired, and the state under test then behaved as specified.
      const last = faults[faults.length - 1];
      expect(invocations(orderId, last.state, 'injected-fault')).toBe(last.times === 'always' ? 5 : 2);
      expect(invocations(orderId, last.state, 'succeeded')).toBe(last.times === 'always' ? 0 : 1);
      expect(record.finalStatus).toBe('failed');
      expect(record.failureReason).toMatch(reason);
      expect(invocations(orderId, 'ProcessPayment', 'succeeded')).toBe(payment === 'absent' ? 0 : 1);
      if (payment === 'absent') expect(record.paymentProcessing).toBeUndefined();
      else expect(record.paymentProcessing).toEqual(expect.objectContaining({ status: payment, transactionId: transactionIdFor(orderId) }));
      await copiesOf(orderId, record.createdAt);
    },
  );
});

describe('GIVEN the local S3 server stops during a run and comes back', () => {
  // Its own runtime with 2 s retry waits: the storage Retry (12 TaskFailed retries on
  // StoreOrder) then spans ~24 s locally (minutes in AWS), well beyond the outage below
  // (1.5 s down + well under 1 s, more on a busy machine, for the S3 server to start again).
  let outage: TrustRuntime;
  beforeAll(async () => {
    outage = await startTrustRuntime({ retryIntervalMs: 2000 });
  });
  afterAll(async () => {
    await outage?.stop();
  });

  it('THEN no accepted order is lost: every one ends stored, exactly once', async () => {
    // Prepare
    const post = async (label: string) => {
      const res = await postOrder(outage.baseUrl, { ...VALID_ORDER, customerName: `S3 Outage ${label}` });
      expect(res.status).toBe(202);
      return (res.json as { orderId: string }).orderId;
    };

    // Act: orders in flight when S3 goes away (held in MergeResults' retry until it is gone),
    // more sent while it is away, then S3 returns.
    outage.runtime.faults.set([{ state: 'MergeResults', error: 'Lambda.ServiceException', times: 1 }]);
    const inFlight = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5'].map(post));
    const held = () => inFlight.every((id) => outage.runtime.invocations.count({ executionName: id, state: 'MergeResults' }) > 0);
    while (!held()) await new Promise((r) => setTimeout(r, 5));
    await outage.runtime.s3.stop();
    const executionsBefore = outage.runtime.executions().length;
    const duringOutage = await Promise.all(
      ['b1', 'b2', 'b3', 'b4', 'b5'].map((label) => postOrder(outage.baseUrl, { ...VALID_ORDER, customerName: `S3 Outage ${label}` })),
    );
    // S3 stays away until every order in flight has failed to store at least once.
    const failedStores = () =>
      inFlight.filter((id) => outage.runtime.invocations.count({ executionName: id, state: 'StoreOrder', outcome: 'failed' }) > 0).length;
    const deadline = Date.now() + 30_000;
    while (failedStores() < inFlight.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await outage.runtime.s3.start();
    outage.runtime.faults.set([]);
    const all = inFlight;
    await outage.waitForStored(all, 60_000);

    // Assess: what arrived while S3 was down was refused (503 + Retry-After) and never started;
    // the outage was real for the orders in flight (storage attempts failed), and nothing was lost or doubled.
    expect(duringOutage.map((r) => [r.status, r.headers['retry-after']])).toEqual(Array.from({ length: 5 }, () => [503, '1']));
    expect(outage.runtime.executions()).toHaveLength(executionsBefore);
    expect(failedStores()).toBe(inFlight.length);
    expect((await outage.listKeys(ORDER_RECORDS_PREFIX)).sort()).toEqual(all.map(recordKey).sort());
    expect(await outage.listKeys(ORDER_INDEX_PREFIX)).toHaveLength(all.length);
    for (const id of all) {
      const record = await outage.readRecord(id);
      expect({ id, finalStatus: record.finalStatus }).toEqual({ id, finalStatus: 'completed' });
    }
  });
});
