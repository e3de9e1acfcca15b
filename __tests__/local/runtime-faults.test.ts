/**
 * Fault injection, S3 outages and restarts on the local runtime, end to end over HTTP.
 * Faults are switched on the shared runtime with `runtime.faults.set()`.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskStateName } from '../../workflow/order-workflow-definition';
import { startTestRuntime, validOrder, type TestRuntime } from '../helpers/local-runtime';

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
}, 120000);

afterEach(() => {
  t.runtime.faults.set([]);
  t.runtime.setRetryIntervalMs(10);
});

afterAll(async () => {
  await t?.cleanup();
});

async function placeOrder(body = validOrder()) {
  const accepted = await t.postOrder(body);
  expect(accepted.status).toBe(202);
  const orderId: string = accepted.json.orderId;
  const execution = await t.runtime.waitForExecution(orderId, 20000);
  const stored = await t.get(`/orders/${orderId}`);
  return { orderId, execution, order: stored.json };
}

describe('transient faults', () => {
  it.each<[TaskStateName, string]>([
    ['ProcessOrder', 'Lambda.ServiceException'],
    ['CheckInventory', 'Lambda.ServiceException'],
    ['ProcessPayment', 'Lambda.TooManyRequestsException'],
    ['StoreOrder', 'Lambda.SdkClientException'],
  ])(
    'GIVEN %s fails twice with %s WHEN an order is placed THEN the retries absorb it: completed once, payment charged once',
    async (state, error) => {
      t.runtime.faults.set([{ state, error, times: 2 }]);
      const { orderId, execution, order } = await placeOrder();
      expect(execution.status).toBe('SUCCEEDED');
      expect(order.finalStatus).toBe('completed');
      const log = t.runtime.invocations;
      expect(log.count({ executionName: orderId, state, outcome: 'injected-fault' })).toBe(2);
      expect(log.count({ executionName: orderId, state, outcome: 'succeeded' })).toBe(1);
      expect(log.count({ executionName: orderId, state: 'ProcessPayment', outcome: 'succeeded' })).toBe(1);
      expect(log.count({ executionName: orderId, state: 'StoreOrder', outcome: 'succeeded' })).toBe(1);
      expect(log.count({ executionName: orderId, state: 'StoreFailedOrder' })).toBe(0);
    },
  );
});

describe('permanent faults', () => {
  it('GIVEN CheckInventory always fails WHEN an order is placed THEN after the retries the captured payment is refunded and the order stored failed', async () => {
    t.runtime.faults.set([{ state: 'CheckInventory', error: 'Lambda.ServiceException', times: 'always' }]);
    const { orderId, execution, order } = await placeOrder();
    expect(execution.status).toBe('SUCCEEDED');
    expect(order.finalStatus).toBe('failed');
    expect(order.failureReason).toContain('Lambda.ServiceException');
    // 1 attempt + MaxAttempts 4 retries of the definition's transient Retry.
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'CheckInventory', outcome: 'injected-fault' })).toBe(5);
    // The branch's own Catch keeps the payment result, so MergeResults sees the capture and the workflow refunds it.
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'ProcessPayment', outcome: 'succeeded' })).toBe(1);
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'RefundPayment', outcome: 'succeeded' })).toBe(1);
    expect(order.paymentProcessing.status).toBe('refunded');
  });

  it('GIVEN StoreOrder always fails WHEN an order is placed THEN StoreFailedOrder stores it failed', async () => {
    t.runtime.faults.set([{ state: 'StoreOrder', error: 'Lambda.TooManyRequestsException', times: 'always' }]);
    const { orderId, order } = await placeOrder();
    expect(order.finalStatus).toBe('failed');
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'StoreFailedOrder', outcome: 'succeeded' })).toBe(1);
    // The order had been paid: compensation refunds it before it is stored failed.
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'CompensatePayment', outcome: 'succeeded' })).toBe(1);
    expect(order.paymentProcessing.status).toBe('refunded');
  });

  it('GIVEN a non-retryable error in ProcessOrder WHEN an order is placed THEN it is caught at once (no retry) and stored failed with that error', async () => {
    t.runtime.faults.set([{ state: 'ProcessOrder', error: 'OrderValidationError', times: 'always' }]);
    const { orderId, order } = await placeOrder();
    expect(order.finalStatus).toBe('failed');
    expect(order.failureReason).toContain('OrderValidationError');
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'ProcessOrder' })).toBe(1);
  });
});

describe('handler errors', () => {
  it('GIVEN an invalid order started directly through Step Functions WHEN order-processor throws THEN the Catch gets Error = OrderValidationError with a JSON Cause, not retried, stored failed', async () => {
    const orderId = 'ord_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const input = {
      orderId,
      receivedAt: new Date().toISOString(),
      customerName: 'Ada',
      items: [],
      totalAmount: 0,
      currency: 'USD',
      requestHash: 'x',
    };
    const res = await fetch(t.runtime.sfnEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: JSON.stringify({ stateMachineArn: t.runtime.stateMachineArn, name: orderId, input: JSON.stringify(input) }),
    });
    expect(res.status).toBe(200);
    await t.runtime.waitForExecution(orderId, 20000);
    const [attempt, ...retries] = t.runtime.invocations.list({ executionName: orderId, state: 'ProcessOrder' });
    expect(attempt).toMatchObject({ outcome: 'failed', errorType: 'OrderValidationError' });
    expect(retries).toHaveLength(0);
    const stored = (await t.get(`/orders/${orderId}`)).json;
    expect(stored.finalStatus).toBe('failed');
    // describeStepError turns the Cause JSON { errorType, errorMessage } into "<Error>: <errorMessage>".
    expect(stored.failureReason).toMatch(/^OrderValidationError: order is invalid/);
    expect(stored.failureReason).not.toContain('errorType');
  });
});

describe('S3 outage', () => {
  it('GIVEN the local S3 is stopped while orders are accepted WHEN it comes back THEN every accepted order is stored', async () => {
    // StoreOrder's 6 storage retries at 400 ms span ~2.4 s: longer than the outage below.
    t.runtime.setRetryIntervalMs(400);
    // Each order waits in MergeResults' retries (2 x 400 ms) while S3 is taken away.
    t.runtime.faults.set([{ state: 'MergeResults', error: 'Lambda.ServiceException', times: 2 }]);
    const accepted = await Promise.all([t.postOrder(validOrder()), t.postOrder(validOrder())]);
    expect(accepted.map((r) => r.status)).toEqual([202, 202]);
    const held = () => accepted.every((r) => t.runtime.invocations.count({ executionName: r.json.orderId, state: 'MergeResults' }) > 0);
    const deadline = Date.now() + 10000;
    while (!held() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await t.runtime.s3.stop();
    expect(t.runtime.s3.running).toBe(false);
    // While S3 is down the API accepts nothing it could not store: 503, Retry-After, no execution.
    const executionsBefore = t.runtime.executions().length;
    const refused = await t.postOrder(validOrder(), 'refused-while-s3-down');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(refused.json.message).toMatch(/temporarily unavailable/);
    expect(t.runtime.executions()).toHaveLength(executionsBefore);
    const failedStores = () =>
      accepted.filter((r) => t.runtime.invocations.count({ executionName: r.json.orderId, state: 'StoreOrder', outcome: 'failed' }) > 0)
        .length;
    // Both orders have reached StoreOrder and failed against the stopped S3 at least once.
    while (failedStores() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(failedStores()).toBe(2);
    await t.runtime.s3.start();
    t.runtime.faults.set([]);
    for (const res of accepted) {
      const execution = await t.runtime.waitForExecution(res.json.orderId, 20000);
      expect(execution.status).toBe('SUCCEEDED');
      const stored = await t.get(`/orders/${res.json.orderId}`);
      expect(stored.json.orderId).toBe(res.json.orderId);
      expect(['completed', 'failed']).toContain(stored.json.finalStatus);
    }
  });
});

describe('restart', () => {
  it('GIVEN an execution still RUNNING when the runtime stops WHEN it starts again on the same data dir THEN the order is resumed and completes', async () => {
    // Long retry waits keep the execution RUNNING inside StoreOrder's retries.
    t.runtime.faults.set([{ state: 'StoreOrder', error: 'Lambda.ServiceException', times: 'always' }]);
    t.runtime.setRetryIntervalMs(60000);
    const accepted = await t.postOrder(validOrder());
    expect(accepted.status).toBe(202);
    const orderId: string = accepted.json.orderId;
    const deadline = Date.now() + 10000;
    while (t.runtime.invocations.count({ executionName: orderId, state: 'StoreOrder' }) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // Stopped mid-workflow: ProcessOrder, the payment and the merge are done, storing is not.
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'StoreOrder', outcome: 'injected-fault' })).toBeGreaterThan(0);
    await t.stop();
    const onDisk = JSON.parse(readFileSync(join(t.dataDir, 'executions', `${orderId}.json`), 'utf8'));
    expect(onDisk.status).toBe('RUNNING');

    t = await t.restart({ faults: [], retryIntervalMs: 10 });
    expect(t.runtime.resumed.map((r) => r.name)).toContain(orderId);
    const execution = await t.runtime.waitForExecution(orderId, 20000);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.runs).toBe(2);
    const stored = await t.get(`/orders/${orderId}`);
    expect(stored.json.finalStatus).toBe('completed');
    // One record per order: the resumed run replaced the first one's record.
    expect(t.runtime.executions().filter((e) => e.name === orderId)).toHaveLength(1);
  });
});

describe('a start that fails', () => {
  it('GIVEN an unfinished execution on disk and the API port in use WHEN the runtime starts THEN it fails and resumes nothing (no step runs again)', async () => {
    // Prepare: an execution left RUNNING inside StoreOrder's retries, then the runtime stopped.
    t.runtime.faults.set([{ state: 'StoreOrder', error: 'Lambda.ServiceException', times: 'always' }]);
    t.runtime.setRetryIntervalMs(60000);
    const accepted = await t.postOrder(validOrder({ customerName: 'Busy Port' }));
    expect(accepted.status).toBe(202);
    const orderId: string = accepted.json.orderId;
    const deadline = Date.now() + 10000;
    while (t.runtime.invocations.count({ executionName: orderId, state: 'StoreOrder' }) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.stop();
    const recordFile = join(t.dataDir, 'executions', `${orderId}.json`);
    const before = readFileSync(recordFile, 'utf8');
    expect(JSON.parse(before).status).toBe('RUNNING');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;

    // Act
    const started = t.restart({ faults: [], retryIntervalMs: 10, port });

    // Assert: the start fails on the port, and the execution is exactly as it was left.
    await expect(started).rejects.toThrow(/EADDRINUSE/);
    await new Promise<void>((r) => busy.close(() => r()));
    expect(readFileSync(recordFile, 'utf8')).toBe(before);
    t = await startTestRuntime({ dataDir: t.dataDir, retryIntervalMs: 10 });
    expect(t.runtime.resumed.map((r) => r.name)).toContain(orderId);
    expect((await t.runtime.waitForExecution(orderId, 20000)).runs).toBe(2);
  });
});

describe('S3 outage longer than the storage retries', () => {
  it('GIVEN S3 down until StoreOrder and StoreFailedOrder give up (execution FAILED) WHEN the runtime starts again THEN the execution is re-driven from StoreFailedOrder and the order is stored failed, refunded, not charged again', async () => {
    // Prepare: accepted while S3 is up, held in MergeResults' retry (300 ms) while S3 is
    // taken away for the rest of the run; short retry waits exhaust both storage states.
    t.runtime.setRetryIntervalMs(300);
    t.runtime.faults.set([{ state: 'MergeResults', error: 'Lambda.ServiceException', times: 1 }]);
    const accepted = await t.postOrder(validOrder({ customerName: 'Long Outage' }));
    expect(accepted.status).toBe(202);
    const orderId: string = accepted.json.orderId;
    const deadline = Date.now() + 10000;
    while (t.runtime.invocations.count({ executionName: orderId, state: 'MergeResults' }) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    await t.runtime.s3.stop();
    const failed = await t.runtime.waitForExecution(orderId, 60000);
    expect(failed.status).toBe('FAILED');
    expect(failed.redriveFrom?.state).toBe('StoreFailedOrder');
    // The first run charged once and compensated (refunded) before storage failed for good.
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'ProcessPayment', outcome: 'succeeded' })).toBe(1);
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'CompensatePayment', outcome: 'succeeded' })).toBe(1);
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'StoreFailedOrder', outcome: 'failed' })).toBeGreaterThan(1);

    // Act: the next start (S3 up again).
    t = await t.restart({ retryIntervalMs: 10, faults: [] });

    // Assess: re-driven, not restarted — nothing before StoreFailedOrder ran again.
    expect(t.runtime.resumed.map((r) => r.name)).toContain(orderId);
    const execution = await t.runtime.waitForExecution(orderId, 20000);
    expect(execution).toEqual(expect.objectContaining({ status: 'SUCCEEDED', redriveCount: 1, runs: 2 }));
    // DescribeExecution on the wire reports the re-drive as the service does.
    const described = await fetch(t.runtime.sfnEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
      body: JSON.stringify({ executionArn: execution.executionArn }),
    }).then((r) => r.json());
    expect(described).toEqual(expect.objectContaining({ status: 'SUCCEEDED', redriveCount: 1, redriveDate: expect.any(Number) }));
    for (const state of ['ProcessOrder', 'ProcessPayment', 'CompensatePayment', 'StoreOrder']) {
      expect({ state, runs: t.runtime.invocations.count({ executionName: orderId, state }) }).toEqual({ state, runs: 0 });
    }
    expect(t.runtime.invocations.count({ executionName: orderId, state: 'StoreFailedOrder', outcome: 'succeeded' })).toBe(1);
    const stored = await t.get(`/orders/${orderId}`);
    expect(stored.status).toBe(200);
    expect(stored.json).toEqual(
      expect.objectContaining({ orderId, finalStatus: 'failed', paymentProcessing: expect.objectContaining({ status: 'refunded' }) }),
    );
    // The reason names the storage error the first run stopped at, without the store's address or a stack.
    expect(stored.json.failureReason).toEqual(expect.stringContaining('StorageUnavailableError: the order store did not accept the write'));
    expect(stored.json.failureReason).not.toMatch(/127\.0\.0\.1|localhost|:\d{2,5}\b|\bat .+\(/);
  });
});
