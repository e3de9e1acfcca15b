/**
 * The orders bucket's key layout: prefixes and key formats, from which the handlers build
 * keys (handlers/shared/storage-layout.ts) and the stack builds the IAM object ARNs
 * (stacks/order-functions.ts).
 *
 * `orders/records/<orderId>.json` holds the record; `orders/index/<inverted-ms>_<orderId>`
 * is a marker whose name sorts newest first, so one ListObjectsV2 page of the index plus
 * one GetObject per entry serves a page of GET /orders at any bucket size.
 */

/** Every order object lives under this prefix. */
export const ORDERS_ROOT_PREFIX = 'orders/';
export const ORDER_RECORDS_PREFIX = `${ORDERS_ROOT_PREFIX}records/`;
export const ORDER_INDEX_PREFIX = `${ORDERS_ROOT_PREFIX}index/`;
/** The stored-order counter shards behind GET /orders' totalCount. */
export const ORDER_COUNT_PREFIX = `${ORDERS_ROOT_PREFIX}meta/order-count-`;
/**
 * Counter shards: each order is counted in one (handlers/shared/order-count.ts), so concurrent
 * storage steps rarely race for one object; a page of GET /orders reads all of them, and the
 * cost model's capacity row scales with their number.
 */
export const ORDER_COUNT_SHARDS = 4;

/** Largest 13-digit millisecond timestamp (year 2286): the index's inversion base. */
export const INDEX_MAX_MILLIS = 9_999_999_999_999;

/** Key formats, for documentation and the IAM invariant: every key starts with its prefix. */
export const KEY_FORMATS = {
  record: `${ORDER_RECORDS_PREFIX}<orderId>.json`,
  index: `${ORDER_INDEX_PREFIX}<${INDEX_MAX_MILLIS} - createdAt ms, 13 digits>_<orderId>`,
  orderCount: `${ORDER_COUNT_PREFIX}<shard>.json`,
} as const;

/** What each function may do in the orders bucket: object prefixes per S3 action, and the listable prefix. */
export const STORAGE_ACCESS = {
  /** The API reads records (GET /orders/{id}, a page of GET /orders, keyed repeats) and lists the index. */
  api: { getObjectPrefixes: [ORDER_RECORDS_PREFIX, ORDER_COUNT_PREFIX], listPrefix: ORDER_INDEX_PREFIX },
  /**
   * The storage step reads a record before writing it (write-once, bound to its execution),
   * writes the record, then its index entry, and updates the counter; it lists nothing (the
   * listable prefix only lets a GetObject of a missing key answer 404).
   */
  's3-storage': {
    getObjectPrefixes: [ORDER_RECORDS_PREFIX, ORDER_COUNT_PREFIX],
    putObjectPrefixes: [ORDER_RECORDS_PREFIX, ORDER_INDEX_PREFIX, ORDER_COUNT_PREFIX],
    listPrefix: ORDER_COUNT_PREFIX,
  },
} as const;

/** `<bucketArn>/<prefix>*` for each prefix: the IAM resource of objects under them. */
export function objectArns(bucketArn: string, prefixes: readonly string[]): string[] {
  return prefixes.map((prefix) => `${bucketArn}/${prefix}*`);
}
