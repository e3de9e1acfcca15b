/**
 * Reads and writes of the orders bucket (layout in storage-layout.ts). The client is an
 * argument, so tests run these against a real local S3 server.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvalidStateError, OrderConflictError, errorName } from './errors';
import { getLogger } from './logger';
import { confirmCounted, discardPending, registerPending } from './order-count';
import type { S3Sender } from './s3-client';
import { isLostRace, readJsonWithEtag } from './s3-conditional';
import { ORDER_INDEX_PREFIX, indexKey, parseIndexKey, recordKey } from './storage-layout';
import { InvalidStoredOrderError, checkStoredOrder, parseStoredJson } from './stored-order';
import type { OrderRecord, StoredOrder, StoredOrderResult } from './types';

export interface StorageTarget {
  readonly s3: S3Sender;
  readonly bucket: string;
  /** KMS key for SSE-KMS; without it S3 uses the AWS managed key aws/s3. */
  readonly kmsKeyId?: string;
}

/** Conditional record writes before giving up (only concurrent attempts of one execution race here). */
const RECORD_MAX_ATTEMPTS = 5;

/** Who owns a stored record: its execution, or (records written before names were kept) the execution named by its orderId. */
function ownerOf(order: StoredOrder): string {
  return order.executionName ?? order.orderId;
}

async function readRecordWithEtag(s3: S3Sender, bucket: string, key: string): Promise<{ order: StoredOrder; etag: string } | undefined> {
  const read = await readJsonWithEtag<StoredOrder>(s3, bucket, key);
  return read && { order: read.value, etag: read.etag };
}

function assertOwner(existing: StoredOrder, executionName: string): void {
  if (ownerOf(existing) !== executionName)
    throw new OrderConflictError(
      `order ${existing.orderId} is already stored by execution ${JSON.stringify(ownerOf(existing))}; execution ${JSON.stringify(executionName)} may not replace it`,
    );
}

/**
 * Stores an order write-once, bound to its execution: the first write creates the record
 * (If-None-Match: *) with `executionName`; later writes by the same execution (its retries,
 * a failed record after a failed index write, a re-drive) replace it with If-Match on the
 * ETag just read, keeping its createdAt; any other execution gets OrderConflictError and
 * writes nothing, so it can neither replace the record nor add a second index entry. The
 * record goes first so that a listed index entry always has a record behind it; the
 * counter (order-count.ts) is told before the first write and after the index entry.
 *
 * @param executionName the Step Functions execution storing it; defaults to the orderId,
 *   which is how the API names executions.
 */
export async function storeOrder(
  target: StorageTarget,
  record: OrderRecord | StoredOrder,
  executionName: string = record.orderId,
): Promise<StoredOrderResult> {
  const { refundRequired: _dropped, ...order } = record as OrderRecord;
  if (order.finalStatus !== 'completed' && order.finalStatus !== 'failed') {
    throw new InvalidStateError(
      `s3-storage needs an OrderRecord with finalStatus completed or failed, got ${JSON.stringify(order.finalStatus)}`,
    );
  }
  const encryption = {
    ServerSideEncryption: 'aws:kms' as const,
    ...(target.kmsKeyId ? { SSEKMSKeyId: target.kmsKeyId } : {}),
    BucketKeyEnabled: true,
  };
  const key = recordKey(order.orderId);
  let current = await readRecordWithEtag(target.s3, target.bucket, key);
  if (current) assertOwner(current.order, executionName);
  else await registerPending(target, order.orderId, executionName);
  let stored: StoredOrder = { ...order, executionName };
  for (let attempt = 1; ; attempt += 1) {
    if (current) {
      assertOwner(current.order, executionName);
      // The first write fixed the order's creation time, and with it its index key.
      stored = { ...stored, createdAt: current.order.createdAt };
    }
    try {
      await target.s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: JSON.stringify(stored),
          ContentType: 'application/json',
          ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          ...encryption,
        }),
      );
      break;
    } catch (error) {
      if (!isLostRace(error) || attempt >= RECORD_MAX_ATTEMPTS) throw error;
      current = await readRecordWithEtag(target.s3, target.bucket, key);
      if (current && ownerOf(current.order) !== executionName) {
        await discardPending(target, order.orderId, executionName);
        assertOwner(current.order, executionName);
      }
    }
  }
  const marker = JSON.stringify({ orderId: stored.orderId, finalStatus: stored.finalStatus });
  await target.s3.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: indexKey(stored.createdAt, stored.orderId),
      Body: marker,
      ContentType: 'application/json',
      ...encryption,
    }),
  );
  await confirmCounted(target, stored.orderId, executionName);
  return { orderId: stored.orderId, finalStatus: stored.finalStatus, recordKey: key };
}

/** The stored order, or undefined when there is no record; InvalidStoredOrderError when the object is not JSON. */
export async function readOrder(s3: S3Sender, bucket: string, orderId: string): Promise<StoredOrder | undefined> {
  const key = recordKey(orderId);
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return parseStoredJson(await result.Body!.transformToString('utf8'), key) as StoredOrder;
  } catch (error) {
    if (errorName(error) === 'NoSuchKey' || errorName(error) === 'NotFound') return undefined;
    throw error;
  }
}

/** A listed entry whose record is not a valid order is left out of the page and logged, never a failed page. */
async function readListedOrder(s3: S3Sender, bucket: string, orderId: string): Promise<StoredOrder | undefined> {
  try {
    const order = await readOrder(s3, bucket, orderId);
    return order === undefined ? undefined : checkStoredOrder(order, recordKey(orderId), orderId);
  } catch (error) {
    if (!(error instanceof InvalidStoredOrderError)) throw error;
    getLogger('storage').warn('stored object skipped: not a valid order', { key: error.key, reason: error.reason });
    return undefined;
  }
}

export interface OrderPage {
  readonly orders: StoredOrder[];
  /** Last index key of this page, when more follow. */
  readonly lastKey?: string;
  readonly hasMore: boolean;
}

/** One page, newest first: one ListObjectsV2 plus one GetObject per listed entry. */
export async function listOrders(s3: S3Sender, bucket: string, limit: number, startAfter?: string): Promise<OrderPage> {
  const listing = await s3.send(
    new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: ORDER_INDEX_PREFIX,
      MaxKeys: limit,
      ...(startAfter ? { StartAfter: startAfter } : {}),
    }),
  );
  const keys = (listing.Contents ?? []).map((c) => c.Key ?? '').filter((k) => parseIndexKey(k) !== undefined);
  const orders = await Promise.all(keys.map((k) => readListedOrder(s3, bucket, parseIndexKey(k)!.orderId)));
  const hasMore = listing.IsTruncated === true;
  return {
    orders: orders.filter((o): o is StoredOrder => o !== undefined),
    hasMore,
    ...(hasMore && keys.length > 0 ? { lastKey: keys[keys.length - 1] } : {}),
  };
}
