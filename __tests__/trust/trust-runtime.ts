/**
 * The trust suites' view of the local runtime: the LOCAL engineer's test runtime plus
 * what these suites need to prove "nothing stored, nothing lost, nothing twice" — an S3
 * client on the local bucket (counting records and index entries directly, not through
 * the API under test) and waits that end with a stored record.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX, recordKey } from '../../handlers/shared/storage-layout';
import { startTestRuntime, type TestRuntime, type TestRuntimeOptions } from '../helpers/local-runtime';
import type { LocalRuntime } from '../../local/runtime';

export interface StoreSnapshot {
  /** Objects under `orders/records/`. */
  readonly records: number;
  /** Objects under `orders/index/`. */
  readonly index: number;
  /** Executions the local Step Functions service knows. */
  readonly executions: number;
}

export interface TrustRuntime {
  /** API root, e.g. `http://127.0.0.1:40123`. */
  readonly baseUrl: string;
  readonly runtime: LocalRuntime;
  readonly test: TestRuntime;
  /** An S3 client on the local S3 server (s3rver credentials, path style, no flexible checksums). */
  readonly s3: S3Client;
  /** Every key under a prefix of the orders bucket, ascending. */
  listKeys(prefix: string): Promise<string[]>;
  snapshot(): Promise<StoreSnapshot>;
  /** The stored record of an order, read straight from S3. */
  readRecord(orderId: string): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Writes an object into the orders bucket (benchmark seeding). */
  putObject(key: string, body: string): Promise<void>;
  /** Waits until every named execution has ended and its record is in S3. */
  waitForStored(orderIds: readonly string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver predates the SDK's flexible checksums (see docs/architecture.md).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
  });
}

/** Starts one local runtime in a temp dir with short retry waits; `options` go to the runtime. */
export async function startTrustRuntime(options: TestRuntimeOptions = {}): Promise<TrustRuntime> {
  const test = await startTestRuntime(options);
  return wrap(test);
}

function wrap(test: TestRuntime): TrustRuntime {
  const { runtime } = test;
  const s3 = s3ClientFor(runtime.s3Endpoint);
  const bucket = runtime.bucketName;

  const listKeys = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let startAfter: string | undefined;
    // StartAfter paging rather than continuation tokens: one less s3rver quirk to depend on.
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: 1000 }));
      const batch = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
      keys.push(...batch);
      if (!page.IsTruncated || batch.length === 0) return keys;
      startAfter = batch[batch.length - 1];
    }
  };

  const readRecord = async (orderId: string) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: recordKey(orderId) }));
    return JSON.parse(await res.Body!.transformToString('utf8'));
  };

  const waitForStored = async (orderIds: readonly string[], timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (const id of orderIds) await runtime.waitForExecution(id, Math.max(1, deadline - Date.now()));
    const stored = new Set(await listKeys(ORDER_RECORDS_PREFIX));
    const missing = orderIds.filter((id) => !stored.has(recordKey(id)));
    if (missing.length > 0) {
      const states = missing.slice(0, 5).map((id) => `${id}: ${runtime.execution(id)?.status} ${runtime.execution(id)?.error ?? ''}`);
      throw new Error(`${missing.length} of ${orderIds.length} ended orders have no stored record, e.g. ${states.join('; ')}`);
    }
  };

  return {
    baseUrl: runtime.apiUrl,
    runtime,
    test,
    s3,
    listKeys,
    readRecord,
    waitForStored,
    snapshot: async () => ({
      records: (await listKeys(ORDER_RECORDS_PREFIX)).length,
      index: (await listKeys(ORDER_INDEX_PREFIX)).length,
      executions: runtime.executions().length,
    }),
    putObject: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    },
    stop: async () => {
      s3.destroy();
      await test.cleanup();
    },
  };
}
