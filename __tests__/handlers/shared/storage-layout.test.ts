import {
  ORDER_INDEX_PREFIX,
  ORDER_RECORDS_PREFIX,
  StorageLayoutError,
  decodeNextToken,
  encodeNextToken,
  indexKey,
  parseIndexKey,
  recordKey,
} from '../../../handlers/shared/storage-layout';

const ID = 'ord_01KDWA4100ABCDEFGHJKMNPQRS';

describe('storage layout', () => {
  it('puts records under orders/records/<orderId>.json', () => {
    expect(ORDER_RECORDS_PREFIX).toBe('orders/records/');
    expect(recordKey(ID)).toBe(`orders/records/${ID}.json`);
  });

  it('puts index entries under orders/index/<9999999999999 - ms, 13 digits>_<orderId>', () => {
    expect(ORDER_INDEX_PREFIX).toBe('orders/index/');
    expect(indexKey('2026-01-01T00:00:00.000Z', ID)).toBe(`orders/index/${9_999_999_999_999 - Date.UTC(2026, 0, 1)}_${ID}`);
    expect(indexKey(0, ID)).toBe(`orders/index/9999999999999_${ID}`);
    expect(indexKey(9_999_999_999_999, ID)).toBe(`orders/index/0000000000000_${ID}`);
  });

  it('GIVEN orders created at different times WHEN their index keys are sorted ascending THEN the newest comes first', () => {
    const times = ['2026-03-01T00:00:00Z', '2024-12-31T23:59:59.999Z', '2026-03-01T00:00:00.001Z', '2001-09-09T01:46:40Z'];
    const sorted = times.map((t) => indexKey(t, ID)).sort();
    expect(sorted.map((k) => new Date(parseIndexKey(k)!.createdAtMillis).toISOString())).toEqual([
      '2026-03-01T00:00:00.001Z',
      '2026-03-01T00:00:00.000Z',
      '2024-12-31T23:59:59.999Z',
      '2001-09-09T01:46:40.000Z',
    ]);
  });

  it('accepts a Date', () => {
    expect(indexKey(new Date(5), ID)).toBe(indexKey(5, ID));
  });

  it.each([
    ['a malformed order id', () => recordKey('../x')],
    ['a malformed order id in the index', () => indexKey(0, 'ord_x')],
    ['an unparseable time', () => indexKey('yesterday', ID)],
    ['a negative time', () => indexKey(-1, ID)],
  ])('GIVEN %s THEN a StorageLayoutError is thrown', (_n, act) => {
    expect(act).toThrow(StorageLayoutError);
  });

  it('parses what it builds and nothing else', () => {
    expect(parseIndexKey(indexKey(1234, ID))).toEqual({ createdAtMillis: 1234, orderId: ID });
    expect(parseIndexKey(`orders/index/123_${ID}`)).toBeUndefined();
    expect(parseIndexKey(`orders/records/${ID}.json`)).toBeUndefined();
    expect(parseIndexKey('orders/index/9999999999999_ord_bad')).toBeUndefined();
  });
});

describe('nextToken', () => {
  const key = indexKey('2026-01-01T00:00:00Z', ID);

  it('round-trips an index key and is URL-safe', () => {
    const token = encodeNextToken(key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeNextToken(token)).toBe(key);
  });

  it.each([
    ['not base64url', 'abc$%^'],
    ['empty', ''],
    ['base64url of something else', Buffer.from('hello').toString('base64url')],
    ['a records key', Buffer.from(`orders/records/${ID}.json`).toString('base64url')],
    ['an index key with a bad id', Buffer.from('orders/index/9999999999999_ord_x').toString('base64url')],
    ['non-canonical base64 (padding)', `${Buffer.from(key).toString('base64')}==`],
    ['too long', 'A'.repeat(500)],
  ])('GIVEN %s THEN it is rejected', (_n, token) => {
    expect(decodeNextToken(token)).toBeUndefined();
  });
});
