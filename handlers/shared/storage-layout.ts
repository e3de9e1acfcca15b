/**
 * The orders bucket's keys, built from the layout in spec/storage-layout.ts (the prefixes
 * the stack's IAM policies grant), shared by s3-storage, the api handler and the local runtime.
 *
 * `orders/records/<orderId>.json` holds the record; `orders/index/<inverted-ms>_<orderId>`
 * is an empty-ish marker whose name sorts newest first, so one ListObjectsV2 page of the
 * index plus one GetObject per entry serves a page of GET /orders at any bucket size.
 */
import {
  INDEX_MAX_MILLIS as MAX_MILLIS,
  ORDER_COUNT_PREFIX,
  ORDER_COUNT_SHARDS,
  ORDER_INDEX_PREFIX,
  ORDER_RECORDS_PREFIX,
} from '../../spec/storage-layout';
import { isOrderId } from './ids';

export { ORDER_COUNT_PREFIX, ORDER_COUNT_SHARDS, ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const INDEX_KEY_PATTERN = new RegExp(`^${escapeRegExp(ORDER_INDEX_PREFIX)}(\\d{13})_(.+)$`);

export class StorageLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageLayoutError';
  }
}

/** Key of counter shard `shard` (0 .. ORDER_COUNT_SHARDS - 1). */
export function orderCountKey(shard: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= ORDER_COUNT_SHARDS) throw new StorageLayoutError(`no counter shard ${shard}`);
  return `${ORDER_COUNT_PREFIX}${shard}.json`;
}

/** The counter shard an order is counted in (FNV-1a of its id). */
export function orderCountShard(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i += 1) hash = Math.imul(hash ^ orderId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % ORDER_COUNT_SHARDS;
}

function assertOrderId(orderId: string): void {
  if (!isOrderId(orderId)) throw new StorageLayoutError(`not an order id: ${JSON.stringify(orderId)}`);
}

/** Key of an order's record. */
export function recordKey(orderId: string): string {
  assertOrderId(orderId);
  return `${ORDER_RECORDS_PREFIX}${orderId}.json`;
}

function toMillis(createdAt: string | number | Date): number {
  const ms = createdAt instanceof Date ? createdAt.getTime() : typeof createdAt === 'number' ? createdAt : Date.parse(createdAt);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MILLIS)
    throw new StorageLayoutError(`not a usable creation time: ${JSON.stringify(createdAt)}`);
  return ms;
}

/** Key of an order's index entry: an ascending listing of the index is newest first. */
export function indexKey(createdAt: string | number | Date, orderId: string): string {
  assertOrderId(orderId);
  const inverted = String(MAX_MILLIS - toMillis(createdAt)).padStart(13, '0');
  return `${ORDER_INDEX_PREFIX}${inverted}_${orderId}`;
}

/** Splits an index key; undefined when it does not have the exact layout. */
export function parseIndexKey(key: string): { readonly createdAtMillis: number; readonly orderId: string } | undefined {
  const match = INDEX_KEY_PATTERN.exec(key);
  if (!match || !isOrderId(match[2])) return undefined;
  return { createdAtMillis: MAX_MILLIS - Number(match[1]), orderId: match[2] };
}

/** Opaque pagination token: base64url of the last index key of a page. */
export function encodeNextToken(lastIndexKey: string): string {
  return Buffer.from(lastIndexKey, 'utf8').toString('base64url');
}

/** The index key a token stands for; undefined for anything we did not issue. */
export function decodeNextToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) return undefined;
  const key = Buffer.from(token, 'base64url').toString('utf8');
  // Round-trip check rejects non-canonical encodings (trailing bits, lost bytes).
  if (encodeNextToken(key) !== token) return undefined;
  return parseIndexKey(key) ? key : undefined;
}
