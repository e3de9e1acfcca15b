import { ListObjectsV2Command, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { newOrderId } from '../../../handlers/shared/ids';
import { listOrders, readOrder, storeOrder } from '../../../handlers/shared/storage';
import { indexKey, orderCountKey, orderCountShard, recordKey } from '../../../handlers/shared/storage-layout';
import type { OrderRecord } from '../../../handlers/shared/types';
import { startLocalS3, type LocalS3 } from '../../helpers/local-s3';
import { InvalidStateError } from '../../../handlers/shared/errors';

const BUCKET = 'orders-test';
const LIST_BUCKET = 'orders-list-test';
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET, LIST_BUCKET] });
});
afterAll(async () => {
  await s3?.stop();
});

function record(createdAtMs: number, overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    orderId: newOrderId(createdAtMs),
    createdAt: new Date(createdAtMs).toISOString(),
    completedAt: new Date(createdAtMs + 500).toISOString(),
    orderDetails: { customerName: 'Ada', items: [{ name: 'Mouse', quantity: 1, price: 5 }], totalAmount: 5, currency: 'USD' },
    finalStatus: 'completed',
    refundRequired: false,
    ...overrides,
  };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => c.Key!);
}

describe('storeOrder / readOrder (real local S3)', () => {
  it('GIVEN a record WHEN stored THEN the record (without refundRequired) and one index entry exist, as JSON', async () => {
    const r = record(Date.UTC(2026, 0, 2), { failureReason: undefined });
    const result = await storeOrder({ s3: s3.client, bucket: BUCKET, kmsKeyId: 'alias/orders' }, r);
    expect(result).toEqual({ orderId: r.orderId, finalStatus: 'completed', recordKey: recordKey(r.orderId) });
    const { refundRequired: _x, ...stored } = r;
    expect(await readOrder(s3.client, BUCKET, r.orderId)).toEqual(JSON.parse(JSON.stringify({ ...stored, executionName: r.orderId })));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: recordKey(r.orderId) }));
    expect(head.ContentType).toBe('application/json');
    const marker = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: indexKey(r.createdAt, r.orderId) }));
    expect(JSON.parse(await marker.Body!.transformToString())).toEqual({ orderId: r.orderId, finalStatus: 'completed' });
  });

  it.each<[string, string | undefined, Record<string, unknown>]>([
    ['a KMS key', 'alias/orders', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/orders', BucketKeyEnabled: true }],
    ['no KMS key (the AWS managed aws/s3 key)', undefined, { ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true }],
  ])(
    'GIVEN %s WHEN stored THEN the record, the index entry and the counter are all written with SSE-KMS',
    async (_name, kmsKeyId, expected) => {
      // The local S3 does not encrypt, so the PutObject inputs themselves are checked.
      const puts: Array<Record<string, unknown>> = [];
      const capturing = {
        send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => (
          command.constructor.name === 'PutObjectCommand' && puts.push(command.input), s3.client.send(command as never)
        ),
      };
      const r = record(Date.UTC(2026, 0, 4));
      await storeOrder({ s3: capturing as never, bucket: BUCKET, ...(kmsKeyId ? { kmsKeyId } : {}) }, r);
      // Counter (pending), record, index entry, counter (counted).
      expect(puts.map((p) => p.Key)).toEqual([
        orderCountKey(orderCountShard(r.orderId)),
        recordKey(r.orderId),
        indexKey(r.createdAt, r.orderId),
        orderCountKey(orderCountShard(r.orderId)),
      ]);
      for (const put of puts) {
        expect(put).toEqual(expect.objectContaining(expected));
        if (!kmsKeyId) expect(put).not.toHaveProperty('SSEKMSKeyId');
      }
    },
  );

  it('GIVEN the same order stored twice THEN there is still one record and one index entry', async () => {
    const r = record(Date.UTC(2026, 0, 3));
    await storeOrder({ s3: s3.client, bucket: BUCKET }, r);
    await storeOrder({ s3: s3.client, bucket: BUCKET }, { ...r, completedAt: new Date().toISOString() });
    expect((await keysUnder('orders/records/')).filter((k) => k.includes(r.orderId))).toHaveLength(1);
    expect((await keysUnder('orders/index/')).filter((k) => k.includes(r.orderId))).toHaveLength(1);
  });

  it('GIVEN no record THEN readOrder is undefined', async () => {
    expect(await readOrder(s3.client, BUCKET, newOrderId())).toBeUndefined();
  });

  it('GIVEN a record without a final status THEN it is refused', async () => {
    await expect(storeOrder({ s3: s3.client, bucket: BUCKET }, { ...record(1), finalStatus: 'processing' as never })).rejects.toThrow(
      InvalidStateError,
    );
  });
});

describe('listOrders (real local S3)', () => {
  const bucket = LIST_BUCKET;
  const created: OrderRecord[] = [];

  beforeAll(async () => {
    // Stored out of order: the listing must still be newest first.
    for (const offset of [3, 0, 4, 1, 2]) {
      const r = record(Date.UTC(2026, 5, 1) + offset * 60_000);
      created.push(r);
      await storeOrder({ s3: s3.client, bucket }, r);
    }
  });
  it('GIVEN 5 orders WHEN paged by 2 THEN pages are newest first, hasMore until the end, and nothing repeats', async () => {
    const expected = [...created].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((r) => r.orderId);
    const seen: string[] = [];
    const hasMore: boolean[] = [];
    let startAfter: string | undefined;
    do {
      const page = await listOrders(s3.client, bucket, 2, startAfter);
      seen.push(...page.orders.map((o) => o.orderId));
      hasMore.push(page.hasMore);
      startAfter = page.lastKey;
    } while (startAfter);
    expect(seen).toEqual(expected);
    expect(hasMore).toEqual([true, true, false]);
  });

  it('GIVEN a page WHEN listed THEN it makes one list call and one read per order', async () => {
    const sent: string[] = [];
    const counting = {
      send: (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), s3.client.send(command as never)),
    };
    const page = await listOrders(counting as never, bucket, 3);
    expect(page.orders).toHaveLength(3);
    expect(sent.filter((c) => c === 'ListObjectsV2Command')).toHaveLength(1);
    expect(sent.filter((c) => c === 'GetObjectCommand')).toHaveLength(3);
  });
});
