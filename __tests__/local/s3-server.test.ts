/**
 * The local S3 server through the real AWS SDK v3 client: the operations the handlers,
 * the runtime and the tests use, conditional writes, listing, and data that survives a
 * restart on the same folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { compareKeys } from '../../local/s3-object-store';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3';

const BUCKET = 'server-test';
let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-s3-server-'));
  s3 = await startLocalS3({ buckets: [BUCKET], directory: dir });
});
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const put = (Key: string, Body: string, extra: Record<string, unknown> = {}) =>
  s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));
const get = async (Key: string) => (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString();
const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: 'no error' }) as Error,
    (e: Error) => e,
  );

describe('objects', () => {
  it('GIVEN any credentials THEN requests are served (signatures are not checked)', async () => {
    const stranger = new S3Client({
      endpoint: s3.endpoint,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAANYTHING', secretAccessKey: 'whatever' },
    });
    try {
      await stranger.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'creds/any', Body: 'ok' }));
      expect(await get('creds/any')).toBe('ok');
    } finally {
      stranger.destroy();
    }
  });

  it('GIVEN a streamed upload with the SDK default checksums (aws-chunked) THEN the body is stored exactly', async () => {
    const parts = [Buffer.from('{"a":'), Buffer.from('"b"}')];
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stream/x.json', Body: Readable.from(parts), ContentLength: 9 }));
    expect(await get('stream/x.json')).toBe('{"a":"b"}');
  });

  it('GIVEN a key with spaces, plus signs and non-ASCII THEN it round-trips with its content type and user metadata', async () => {
    await put('odd/a b+c é.json', '1', { ContentType: 'application/json', Metadata: { owner: 'me' } });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'odd/a b+c é.json' }));
    expect(head).toMatchObject({ ContentType: 'application/json', ContentLength: 1, Metadata: { owner: 'me' } });
    expect(await get('odd/a b+c é.json')).toBe('1');
  });

  it('GIVEN missing keys and buckets THEN NoSuchKey, NotFound (HEAD) and NoSuchBucket', async () => {
    expect(await failure(get('missing'))).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    expect(await failure(s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' })))).toMatchObject({ name: 'NotFound' });
    expect(await failure(s3.client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))).toMatchObject({
      name: 'NoSuchBucket',
    });
    expect(await failure(s3.client.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))).toMatchObject({ name: 'NotFound' });
  });

  it('GIVEN a deleted key THEN it is gone, and deleting it again succeeds', async () => {
    await put('del/me', 'x');
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/me' }));
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/me' }));
    expect(await failure(get('del/me'))).toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('conditional writes', () => {
  it('GIVEN If-None-Match: * THEN the first write wins and a second gets 412, the object unchanged', async () => {
    await put('cond/once', 'first', { IfNoneMatch: '*' });
    expect(await failure(put('cond/once', 'second', { IfNoneMatch: '*' }))).toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    expect(await get('cond/once')).toBe('first');
  });

  it('GIVEN 10 concurrent If-None-Match: * writes of one key THEN exactly one succeeds', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => put('cond/race', `w${i}`, { IfNoneMatch: '*' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('GIVEN If-Match THEN only the current ETag may replace the object; a missing key is 404', async () => {
    const first = await put('cond/cas', 'v1');
    const second = await put('cond/cas', 'v2', { IfMatch: first.ETag });
    expect(await failure(put('cond/cas', 'v3', { IfMatch: first.ETag }))).toMatchObject({ name: 'PreconditionFailed' });
    expect(await get('cond/cas')).toBe('v2');
    expect(second.ETag).not.toBe(first.ETag);
    expect(await failure(put('cond/never-written', 'x', { IfMatch: first.ETag }))).toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('ListObjectsV2', () => {
  const keys = Array.from({ length: 25 }, (_, i) => `list/${String(i).padStart(3, '0')}`);
  beforeAll(async () => {
    // Written out of order: listings are sorted regardless.
    for (const key of [...keys].reverse()) await put(key, key);
    await put('list/sub/a', 'a');
    await put('list/sub/b', 'b');
  });

  it('GIVEN max-keys 10 THEN continuation tokens walk every key once, in order', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const truncated: boolean[] = [];
    do {
      const page = await s3.client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/0', MaxKeys: 10, ContinuationToken: token }),
      );
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      truncated.push(page.IsTruncated!);
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(keys);
    expect(truncated).toEqual([true, true, false]);
  });

  it('GIVEN start-after THEN the listing starts after that key (exclusive)', async () => {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/0', StartAfter: 'list/021' }));
    expect(page.Contents!.map((c) => c.Key)).toEqual(['list/022', 'list/023', 'list/024']);
  });

  it('GIVEN a delimiter THEN keys below it roll up into one common prefix', async () => {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/' }));
    expect(page.CommonPrefixes).toEqual([{ Prefix: 'list/sub/' }]);
    expect(page.Contents).toHaveLength(25);
  });

  it('GIVEN a forged continuation token THEN 400 InvalidArgument', async () => {
    expect(await failure(s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: '!!not-a-token' })))).toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    ['ASCII', 'a', 'b'],
    ['a supplementary character after U+FFFD (UTF-8 byte order, not UTF-16)', '\uFFFD', '\u{1F600}'],
    ['a prefix before its extension', 'ab', 'abc'],
  ])('GIVEN %s THEN keys sort as S3 sorts them', (_name, lower, higher) => {
    expect(compareKeys(lower, higher)).toBeLessThan(0);
    expect(compareKeys(higher, lower)).toBeGreaterThan(0);
  });
});

describe('persistence', () => {
  it('GIVEN a restart on the same folder THEN buckets and objects are back, and leftovers of torn writes are removed', async () => {
    await put('persist/one', 'still here', { ContentType: 'text/plain' });
    await s3.client.send(new CreateBucketCommand({ Bucket: 'second-bucket' }));
    await s3.stop();
    // What a kill in the middle of a write leaves: a file under tmp/ never renamed into place.
    mkdirSync(join(dir, BUCKET, 'tmp'), { recursive: true });
    writeFileSync(join(dir, BUCKET, 'tmp', 'torn'), 'half');
    s3 = await startLocalS3({ buckets: [BUCKET], directory: dir });
    expect(await get('persist/one')).toBe('still here');
    await expect(s3.client.send(new HeadBucketCommand({ Bucket: 'second-bucket' }))).resolves.toBeDefined();
    expect(readdirSync(join(dir, BUCKET, 'tmp'))).toEqual([]);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/0', MaxKeys: 1000 }));
    expect(listed.KeyCount).toBe(25);
  });
});
