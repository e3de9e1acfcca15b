/**
 * Order, transaction and refund ids, and the request hash.
 *
 * Order ids are `ord_` + 26 Crockford base32 characters (a valid Step Functions execution
 * name): a ULID (48-bit ms timestamp + 80 random bits, so ids sort by time) without an
 * Idempotency-Key, or 130 bits of sha256(scope, key) with one, so a repeat maps to the same
 * execution name and Step Functions' own name idempotency does the rest.
 */
import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ORDER_ID_PATTERN = /^ord_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Idempotency-Key header values accepted. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID_PATTERN.test(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Base32 (Crockford) of the first `length * 5` bits of `bytes`. */
function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** A new time-sortable order id (ULID layout: 10 time characters + 16 random). */
export function newOrderId(nowMillis: number = Date.now(), random: (size: number) => Uint8Array = randomBytes): string {
  let time = '';
  let t = nowMillis;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `ord_${time}${base32(random(10), 16)}`;
}

/**
 * The order id an Idempotency-Key stands for. `scope` (the API key id in AWS, empty
 * locally) keeps two clients that happen to pick the same key from meeting each other's order.
 */
export function orderIdFromIdempotencyKey(key: string, scope = ''): string {
  const digest = createHash('sha256').update(`order-infra/idempotency/v1\n${scope}\n${key}`, 'utf8').digest();
  return `ord_${base32(digest, 26)}`;
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON of a validated, normalised request body. */
export function requestHash(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** The payment transaction id of an order: a retried charge reuses it. */
export function transactionIdFor(orderId: string): string {
  return `txn_${sha256Hex(`charge\n${orderId}`).slice(0, 24)}`;
}

/** The refund id of a transaction: a retried refund reuses it. */
export function refundIdFor(transactionId: string): string {
  return `rfd_${sha256Hex(`refund\n${transactionId}`).slice(0, 24)}`;
}
