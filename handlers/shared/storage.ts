/**
 * Reads and writes of the orders bucket (layout in storage-layout.ts). The client is an
 * argument, so tests run these against a real local S3 server.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvalidStateError, errorName } from './errors';
import { getLogger } from './logger';
import type { S3Sender } from './s3-client';
import { ORDER_INDEX_PREFIX, indexKey, parseIndexKey, recordKey } from './storage-layout';
import { InvalidStoredOrderError, checkStoredOrder, parseStoredJson } from './stored-order';
import type { OrderRecord, StoredOrder, StoredOrderResult } from './types';

export interface StorageTarget {
  readonly s3: S3Sender;
  readonly bucket: string;
  /** KMS key for SSE-KMS; without it S3 uses the AWS managed key aws/s3. */
  readonly kmsKeyId?: string;
}

/**
 * Writes the record, then its index entry. Keys depend only on orderId and createdAt, so
 * writing the same order twice overwrites the same two objects: one order, never two.
 * The record goes first so that a listed index entry always has a record behind it.
 */
export async function storeOrder(target: StorageTarget, record: OrderRecord | StoredOrder): Promise<StoredOrderResult> {
  const { refundRequired: _dropped, ...stored } = record as OrderRecord;
  if (stored.finalStatus !== 'completed' && stored.finalStatus !== 'failed') {
    throw new InvalidStateError(
      `s3-storage needs an OrderRecord with finalStatus completed or failed, got ${JSON.stringify(stored.finalStatus)}`,
    );
  }
  const encryption = {
    ServerSideEncryption: 'aws:kms' as const,
    ...(target.kmsKeyId ? { SSEKMSKeyId: target.kmsKeyId } : {}),
    BucketKeyEnabled: true,
  };
  const key = recordKey(stored.orderId);
  await target.s3.send(
    new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: JSON.stringify(stored), ContentType: 'application/json', ...encryption }),
  );
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
