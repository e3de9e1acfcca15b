/**
 * Write-once order records bound to their execution, and the stored-order counter, over a
 * real local S3 server (conditional writes as S3 answers them).
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { OrderConflictError } from '../../../handlers/shared/errors';
import { newOrderId } from '../../../handlers/shared/ids';
import { readOrderCount, registerPending } from '../../../handlers/shared/order-count';
import type { S3Sender } from '../../../handlers/shared/s3-client';
import { readOrder, storeOrder } from '../../../handlers/shared/storage';
import { ORDER_COUNT_SHARDS, orderCountKey, orderCountShard } from '../../../handlers/shared/storage-layout';
import type { OrderRecord } from '../../../handlers/shared/types';
import { startLocalS3, type LocalS3 } from '../../helpers/local-s3';

let s3: LocalS3;
let bucketNumber = 0;

beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** A fresh bucket per test: counts start at zero. */
async function freshBucket(): Promise<string> {
  bucketNumber += 1;
  const bucket = `ownership-${bucketNumber}`;
  await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function record(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const createdAt = Date.UTC(2026, 2, 1);
  return {
    orderId: newOrderId(createdAt),
    createdAt: new Date(createdAt).toISOString(),
    completedAt: new Date(createdAt + 500).toISOString(),
    orderDetails: { customerName: 'Victim', items: [{ name: 'Mouse', quantity: 1, price: 5 }], totalAmount: 5, currency: 'USD' },
    finalStatus: 'completed',
    refundRequired: false,
    ...overrides,
  };
}

async function keys(bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => c.Key!);
}

describe('write-once order records', () => {
  it('GIVEN a stored order WHEN another execution stores the same orderId THEN OrderConflictError, the record and its single index entry unchanged, counted once', async () => {
    const bucket = await freshBucket();
    const victim = record();
    await storeOrder({ s3: s3.client, bucket }, victim, 'victim-execution');
    const attacker = {
      ...victim,
      createdAt: '2026-03-05T00:00:00.000Z',
      orderDetails: { ...victim.orderDetails, customerName: 'Mallory' },
    };
    await expect(storeOrder({ s3: s3.client, bucket }, attacker, 'other-execution')).rejects.toThrow(OrderConflictError);
    await expect(storeOrder({ s3: s3.client, bucket }, { ...attacker, finalStatus: 'failed' }, 'other-execution')).rejects.toThrow(
      /already stored by execution "victim-execution"/,
    );
    expect(await readOrder(s3.client, bucket, victim.orderId)).toMatchObject({
      executionName: 'victim-execution',
      orderDetails: { customerName: 'Victim' },
    });
    expect(await keys(bucket, 'orders/index/')).toHaveLength(1);
    expect(await readOrderCount(s3.client, bucket)).toBe(1);
  });

  it('GIVEN a stored order WHEN its own execution stores again (a retry, a failed record) THEN it is rewritten, keeping its createdAt and one index entry, counted once', async () => {
    const bucket = await freshBucket();
    const first = record();
    await storeOrder({ s3: s3.client, bucket }, first, 'exec-1');
    await storeOrder({ s3: s3.client, bucket }, first, 'exec-1');
    const failed = { ...first, createdAt: '2026-03-09T00:00:00.000Z', finalStatus: 'failed' as const, failureReason: 'Error: boom' };
    await storeOrder({ s3: s3.client, bucket }, failed, 'exec-1');
    expect(await readOrder(s3.client, bucket, first.orderId)).toMatchObject({ finalStatus: 'failed', createdAt: first.createdAt });
    expect(await keys(bucket, 'orders/index/')).toHaveLength(1);
    expect(await readOrderCount(s3.client, bucket)).toBe(1);
  });

  it('GIVEN a record of an older version (no executionName) THEN it belongs to the execution named by its orderId', async () => {
    const bucket = await freshBucket();
    const old = record();
    await storeOrder({ s3: s3.client, bucket }, old); // default execution name: the orderId
    await expect(storeOrder({ s3: s3.client, bucket }, old, old.orderId)).resolves.toMatchObject({ orderId: old.orderId });
    await expect(storeOrder({ s3: s3.client, bucket }, old, 'renamed')).rejects.toThrow(OrderConflictError);
  });

  it('GIVEN 8 executions racing to store one orderId THEN exactly one wins, the rest conflict, one record and one index entry', async () => {
    const bucket = await freshBucket();
    const base = record();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        storeOrder(
          { s3: s3.client, bucket },
          { ...base, createdAt: new Date(Date.parse(base.createdAt) + i * 1000).toISOString() },
          `racer-${i}`,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => r.reason)).toEqual(Array.from({ length: 7 }, () => expect.any(OrderConflictError)));
    expect(await keys(bucket, 'orders/records/')).toHaveLength(1);
    expect(await keys(bucket, 'orders/index/')).toHaveLength(1);
    expect(await readOrderCount(s3.client, bucket)).toBe(1);
  });
});

describe('stored-order counter (totalCount)', () => {
  it('GIVEN 20 concurrent updates of one shard from one instance THEN they are group-committed: two conditional writes, not 20', async () => {
    const bucket = await freshBucket();
    const ids: string[] = [];
    while (ids.length < 20) {
      const id = newOrderId();
      if (orderCountShard(id) === 0) ids.push(id);
    }
    let puts = 0;
    const counting: S3Sender = {
      send: ((command: unknown) => {
        if (command instanceof PutObjectCommand) puts += 1;
        return s3.client.send(command as PutObjectCommand);
      }) as S3Sender['send'],
    };
    await Promise.all(ids.map((id) => registerPending({ s3: counting, bucket }, id, `execution-${id}`)));
    // The first update goes alone (the queue was idle); the 19 that arrived meanwhile share one write.
    expect(puts).toBe(2);
    const shard = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: orderCountKey(0) }));
    expect(Object.keys(JSON.parse(await shard.Body!.transformToString()).pending).sort()).toEqual(
      ids.map((id) => `${id} execution-${id}`).sort(),
    );
  });

  it('GIVEN 12 orders stored concurrently by 3 instances, each stored twice THEN the count is exactly 12 and nothing is left pending', async () => {
    const bucket = await freshBucket();
    const distinct = Array.from({ length: 12 }, () => record());
    // Separate clients stand for separate Lambda instances: their counter updates race through conditional writes.
    const instances = [
      s3.client,
      ...[1, 2].map(
        () =>
          new S3Client({
            endpoint: s3.endpoint,
            region: 'us-east-1',
            forcePathStyle: true,
            credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
          }),
      ),
    ];
    await Promise.all(
      distinct.flatMap((o, i) => [storeOrder({ s3: instances[i % 3], bucket }, o), storeOrder({ s3: instances[(i + 1) % 3], bucket }, o)]),
    );
    for (const client of instances.slice(1)) client.destroy();
    expect(await readOrderCount(s3.client, bucket)).toBe(12);
    for (let shard = 0; shard < ORDER_COUNT_SHARDS; shard += 1) {
      const out = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: orderCountKey(shard) })).catch(() => undefined);
      if (out) expect(JSON.parse(await out.Body!.transformToString()).pending).toEqual({});
    }
  });

  it.each([
    ['after the record was written', 1],
    ['after the index entry was written', 2],
  ])('GIVEN the storage step dies %s, before counting THEN its retry counts the order exactly once', async (_when, putsBeforeCrash) => {
    const bucket = await freshBucket();
    const order = record();
    // Dies after the first counter write (pending) plus `putsBeforeCrash` more puts.
    let puts = 0;
    const crashing = {
      send: (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'PutObjectCommand' && ++puts > 1 + putsBeforeCrash) return Promise.reject(new Error('crash'));
        return s3.client.send(command as never);
      },
    };
    await expect(storeOrder({ s3: crashing as never, bucket }, order, 'exec')).rejects.toThrow('crash');
    expect(await readOrderCount(s3.client, bucket)).toBe(0);
    await storeOrder({ s3: s3.client, bucket }, order, 'exec');
    await storeOrder({ s3: s3.client, bucket }, order, 'exec');
    expect(await readOrderCount(s3.client, bucket)).toBe(1);
  });

  it('GIVEN a conflicting execution THEN it neither counts nor leaves a pending entry behind', async () => {
    const bucket = await freshBucket();
    const order = record();
    await storeOrder({ s3: s3.client, bucket }, order, 'owner');
    await expect(storeOrder({ s3: s3.client, bucket }, order, 'intruder')).rejects.toThrow(OrderConflictError);
    expect(await readOrderCount(s3.client, bucket)).toBe(1);
  });
});
