/**
 * Idempotency-Key after Step Functions has deleted the execution (90 days after it closed):
 * the api answers from the stored record, against a real local S3 and the fake Step Functions.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ApiDependencies } from '../../../handlers/api/orders-service';
import { buildFailedRecord, buildStoredRecord } from '../../../handlers/shared/failed-order';
import { orderIdFromIdempotencyKey, requestHash } from '../../../handlers/shared/ids';
import { mergeResults } from '../../../handlers/shared/merge';
import { processOrder } from '../../../handlers/shared/order-rules';
import { chargeOrder } from '../../../handlers/shared/payment';
import { storeOrder } from '../../../handlers/shared/storage';
import { recordKey } from '../../../handlers/shared/storage-layout';
import type { ExecutionInput, StoredOrder } from '../../../handlers/shared/types';
import { FakeSfn } from '../../helpers/fake-sfn';
import { startLocalS3, type LocalS3 } from '../../helpers/s3rver';
import { inventory } from '../fixtures';
import { callRoute } from './call';
import { sampleOrderBody } from '../../fixtures/sample-order';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-workflow';
const BUCKET = 'orders-retention-test';
const RECEIVED = new Date('2026-08-01T10:00:00.000Z');
const LATER = new Date('2026-11-26T01:00:00.000Z');

const body = sampleOrderBody;
const otherBody = () => ({ ...body(), customerName: 'Someone Else' });
const executionArnOf = (orderId: string) => `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${orderId}`;

let s3: LocalS3;
let sfn: FakeSfn;
let s3Calls: string[];
let accepted: string[];
let now: Date;
let deps: ApiDependencies;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(() => {
  sfn = new FakeSfn();
  s3Calls = [];
  accepted = [];
  now = RECEIVED;
  const counting = { send: (command: object) => (s3Calls.push(command.constructor.name), s3.client.send(command as never)) };
  deps = {
    sfn,
    s3: counting as never,
    stateMachineArn: STATE_MACHINE_ARN,
    bucket: BUCKET,
    now: () => now,
    onOrderAccepted: (id) => accepted.push(id),
  };
});

const post = (key: string | undefined, payload: unknown = body()) =>
  callRoute(deps, { method: 'POST', path: '/orders', body: payload, headers: key === undefined ? {} : { 'Idempotency-Key': key } });

async function rawObject(key: string): Promise<string | undefined> {
  try {
    return await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString('utf8');
  } catch {
    return undefined;
  }
}

async function indexEntriesOf(orderId: string): Promise<string[]> {
  const listing = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'orders/index/' }));
  return (listing.Contents ?? []).map((c) => c.Key!).filter((k) => k.endsWith(`_${orderId}`));
}

/** The workflow's own functions on the execution input: order-processor, a charge, merge-results, s3-storage. */
async function completeOrder(input: ExecutionInput, asStored: (record: StoredOrder) => StoredOrder = (r) => r): Promise<void> {
  const order = processOrder(input);
  const record = mergeResults(
    { ...order, results: { inventoryCheck: inventory(), paymentProcessing: chargeOrder(order, 10_000) } },
    RECEIVED,
  );
  await storeOrder({ s3: s3.client, bucket: BUCKET }, asStored(buildStoredRecord(record)));
}

/** POST with a key, let the workflow store the order, close and then forget the execution. */
async function orderThenExpire(key: string, finish: (input: ExecutionInput) => Promise<void> = completeOrder) {
  const first = await post(key);
  expect(first.status).toBe(202);
  await finish(first.body.inputData);
  sfn.executions.get(first.body.executionArn)!.status = 'SUCCEEDED';
  sfn.forget(first.body.executionArn);
  now = LATER;
  s3Calls = [];
  return { first, record: await rawObject(recordKey(first.body.orderId)) };
}

describe('POST /orders with an Idempotency-Key after the execution was deleted', () => {
  it('GIVEN the same body THEN 202 replay of the same order, no StartExecution, record and index untouched', async () => {
    const { first, record } = await orderThenExpire('retention-same-body');
    expect(JSON.parse(record!).requestHash).toBe(requestHash(body()));

    const again = await post('retention-same-body');

    expect(again.status).toBe(202);
    expect(again.body).toEqual({
      message: 'Order workflow started successfully',
      orderId: orderIdFromIdempotencyKey('retention-same-body'),
      executionArn: executionArnOf(first.body.orderId),
      executionName: first.body.orderId,
      workflowStatus: 'succeeded',
      inputData: first.body.inputData,
      idempotentReplay: true,
    });
    expect(sfn.count('StartExecution')).toBe(1);
    expect(accepted).toEqual([first.body.orderId]);
    expect(await rawObject(recordKey(first.body.orderId))).toBe(record);
    expect(JSON.parse(record!).createdAt).toBe(RECEIVED.toISOString());
    expect(await indexEntriesOf(first.body.orderId)).toHaveLength(1);
    expect(s3Calls).toEqual(['GetObjectCommand']);
  });

  it('GIVEN a different body THEN 409 naming the key, and nothing started or written', async () => {
    const { first, record } = await orderThenExpire('retention-other-body');

    const conflict = await post('retention-other-body', otherBody());

    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe(
      `Idempotency-Key "retention-other-body" was already used with a different request body (order ${first.body.orderId})`,
    );
    expect(sfn.count('StartExecution')).toBe(1);
    expect(await rawObject(recordKey(first.body.orderId))).toBe(record);
    expect(await indexEntriesOf(first.body.orderId)).toHaveLength(1);
  });

  it('GIVEN an order the workflow stored as failed (StoreFailedOrder) THEN the repeat is still a replay', async () => {
    const failOrder = (input: ExecutionInput) =>
      storeOrder(
        { s3: s3.client, bucket: BUCKET },
        buildFailedRecord({ ...input, error: { Error: 'States.Timeout', Cause: 'timed out' } }, RECEIVED),
      ).then(() => undefined);
    const { first } = await orderThenExpire('retention-failed-order', failOrder);

    expect((await post('retention-failed-order')).body).toMatchObject({
      orderId: first.body.orderId,
      workflowStatus: 'succeeded',
      idempotentReplay: true,
    });
    expect((await post('retention-failed-order', otherBody())).status).toBe(409);
    expect(sfn.count('StartExecution')).toBe(1);
  });

  it.each<[string, number, () => unknown]>([
    ['the same body', 202, body],
    ['a different body', 409, otherBody],
  ])(
    'GIVEN a record stored without requestHash (older records) AND %s THEN %s, judged by its orderDetails',
    async (_n, status, payload) => {
      const key = `retention-legacy-${status}`;
      const { first } = await orderThenExpire(key, (input) => completeOrder(input, ({ requestHash: _h, ...legacy }) => legacy));
      expect(JSON.parse((await rawObject(recordKey(first.body.orderId)))!)).not.toHaveProperty('requestHash');

      const again = await post(key, payload());

      expect(again.status).toBe(status);
      expect(sfn.count('StartExecution')).toBe(1);
    },
  );

  it('GIVEN a record with neither requestHash nor orderDetails THEN 409 (cannot be matched), not a 500 or a second order', async () => {
    const orderId = orderIdFromIdempotencyKey('retention-damaged');
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: recordKey(orderId), Body: JSON.stringify({ orderId, finalStatus: 'failed' }) }),
    );
    expect((await post('retention-damaged')).status).toBe(409);
    expect(sfn.count('StartExecution')).toBe(0);
  });

  it('GIVEN no record either (the key was never used) THEN a new order starts after one record lookup', async () => {
    const res = await post('retention-brand-new');
    expect(res.body).toMatchObject({ workflowStatus: 'started', orderId: orderIdFromIdempotencyKey('retention-brand-new') });
    expect(res.body).not.toHaveProperty('idempotentReplay');
    expect(sfn.count('StartExecution')).toBe(1);
    expect(s3Calls).toEqual(['GetObjectCommand']);
  });
});

describe('the extra S3 read is limited to keyed requests whose execution is gone', () => {
  it('GIVEN no Idempotency-Key THEN no S3 call', async () => {
    await post(undefined);
    await post(undefined);
    expect(s3Calls).toEqual([]);
    expect(sfn.count('StartExecution')).toBe(2);
  });

  it('GIVEN a keyed repeat whose execution is still kept THEN no S3 call', async () => {
    await post('retention-kept');
    s3Calls = [];
    expect((await post('retention-kept')).body).toMatchObject({ workflowStatus: 'running', idempotentReplay: true });
    expect(s3Calls).toEqual([]);
  });
});

describe('requestHash is internal', () => {
  async function storedOrder(key: string): Promise<StoredOrder> {
    const { record } = await orderThenExpire(key);
    return JSON.parse(record!) as StoredOrder;
  }

  it('GIVEN a stored record with requestHash THEN GET /orders/{orderId} returns the record without it', async () => {
    const stored = await storedOrder('retention-get-one');
    expect(stored.requestHash).toMatch(/^[0-9a-f]{64}$/);
    const res = await callRoute(deps, { method: 'GET', path: `/orders/${stored.orderId}` });
    const { requestHash: _h, ...expected } = stored;
    expect(res).toMatchObject({ status: 200, body: expected });
    expect(res.body).not.toHaveProperty('requestHash');
  });

  it('GIVEN stored records with requestHash THEN no order in GET /orders carries it', async () => {
    const stored = await storedOrder('retention-get-list');
    expect(stored.requestHash).toMatch(/^[0-9a-f]{64}$/);
    const res = await callRoute(deps, { method: 'GET', path: '/orders', query: { limit: '100' } });
    expect(res.body.orders.map((o: StoredOrder) => o.orderId)).toContain(stored.orderId);
    for (const order of res.body.orders) expect(order).not.toHaveProperty('requestHash');
  });
});
