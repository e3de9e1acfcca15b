import {
  ORDER_ID_PATTERN,
  canonicalJson,
  isOrderId,
  newOrderId,
  orderIdFromIdempotencyKey,
  refundIdFor,
  requestHash,
  transactionIdFor,
} from '../../../handlers/shared/ids';

describe('order ids', () => {
  it('GIVEN no key WHEN two ids are made at different times THEN they sort by time', () => {
    const earlier = newOrderId(Date.UTC(2026, 0, 1));
    const later = newOrderId(Date.UTC(2026, 0, 1, 0, 0, 0, 1));
    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(ORDER_ID_PATTERN);
  });

  it('GIVEN the same millisecond WHEN ids are made THEN randomness keeps them apart', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newOrderId(1_700_000_000_000)));
    expect(ids.size).toBe(1000);
  });

  it('encodes the timestamp in the first 10 characters (ULID layout)', () => {
    expect(newOrderId(0, (n) => new Uint8Array(n))).toBe('ord_00000000000000000000000000');
    // The ULID specification's own example: 1469918176385 ms encodes as 01ARYZ6S41.
    expect(newOrderId(1469918176385, (n) => new Uint8Array(n)).slice(4, 14)).toBe('01ARYZ6S41');
  });

  it('GIVEN an Idempotency-Key WHEN the id is derived twice THEN it is the same valid execution name', () => {
    const id = orderIdFromIdempotencyKey('order-2026-0001');
    expect(orderIdFromIdempotencyKey('order-2026-0001')).toBe(id);
    expect(id).toMatch(ORDER_ID_PATTERN);
    expect(id.length).toBeLessThanOrEqual(80);
  });

  it.each([
    ['a different key', () => orderIdFromIdempotencyKey('order-2026-0002')],
    ['the same key of another API key', () => orderIdFromIdempotencyKey('order-2026-0001', 'api-key-b')],
  ])('GIVEN %s THEN the id differs', (_n, other) => {
    expect(other()).not.toBe(orderIdFromIdempotencyKey('order-2026-0001'));
  });

  it.each([
    ['ord_01KDWA4100ABCDEFGHJKMNPQRS', true],
    ['ord_01kdwa4100abcdefghjkmnpqrs', false],
    ['ord_01KDWA4100ABCDEFGHJKMNPQR', false],
    ['ord_01KDWA4100ABCDEFGHJKMNPQRSI', false],
    ['ord_01KDWA4100ABCDEFGHJKMNPQRI', false],
    ['../../etc/passwd', false],
    ['', false],
    [42, false],
  ])('isOrderId(%j) is %s', (value, expected) => {
    expect(isOrderId(value)).toBe(expected);
  });
});

describe('request hash', () => {
  it('GIVEN the same data with keys in another order THEN the hash is equal', () => {
    expect(requestHash({ a: 1, b: [{ x: 1, y: 2 }] })).toBe(requestHash({ b: [{ y: 2, x: 1 }], a: 1 }));
  });

  it('GIVEN different data THEN the hash differs', () => {
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: 'x' } })).toBe('{"a":{"c":"x"},"b":1}');
  });
});

describe('payment ids', () => {
  it('derives one transaction id per order and one refund id per transaction', () => {
    const txn = transactionIdFor('ord_01KDWA4100ABCDEFGHJKMNPQRS');
    expect(txn).toBe(transactionIdFor('ord_01KDWA4100ABCDEFGHJKMNPQRS'));
    expect(txn).toMatch(/^txn_[0-9a-f]{24}$/);
    expect(txn).not.toBe(transactionIdFor('ord_01KDWA4100ABCDEFGHJKMNPQRT'));
    expect(refundIdFor(txn)).toMatch(/^rfd_[0-9a-f]{24}$/);
    expect(refundIdFor(txn)).toBe(refundIdFor(txn));
  });
});
