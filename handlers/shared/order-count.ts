/**
 * The number of stored orders, kept in counter objects (ORDER_COUNT_SHARDS of them, an
 * order always counted in the shard its id hashes to) that the storage step updates with
 * conditional writes (If-Match on its ETag, If-None-Match: *
 * to create it; a lost race answers 412 or 409 and is retried), so GET /orders can answer
 * `totalCount` with one read per shard instead of a scan.
 *
 * Exact under retries: before an order's record is first written, the storage step
 * registers `<orderId> <executionName>` as pending; after the record and its index
 * entry are written, it moves that entry from pending into `count`. A step retried after
 * a crash finds its record already there (so registers nothing new) and still moves its
 * pending entry exactly once; a retry after the move finds nothing pending and counts
 * nothing. Pending entries of executions that never finished expire after PENDING_TTL_MS.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { errorName } from './errors';
import type { S3Sender } from './s3-client';
import { ORDER_COUNT_SHARDS, orderCountKey, orderCountShard } from './storage-layout';

export interface CounterTarget {
  readonly s3: S3Sender;
  readonly bucket: string;
  /** KMS key for SSE-KMS; without it S3 uses the AWS managed key aws/s3. */
  readonly kmsKeyId?: string;
}

interface CounterState {
  readonly count: number;
  /** When the counter was created: orders stored before it are not counted. */
  readonly since: string;
  /** `<orderId> <executionName>` -> when it was registered (ISO-8601). */
  readonly pending: Readonly<Record<string, string>>;
}

/** Longer than any retry or re-drive of an execution (Step Functions re-drives within 14 days). */
export const PENDING_TTL_MS = 30 * 24 * 3600 * 1000;
/** Conditional-write attempts before giving up (the workflow then retries the whole step). */
export const COUNTER_MAX_ATTEMPTS = 50;

const RACE_LOST = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'NoSuchKey']);

async function readCounter(s3: S3Sender, bucket: string, key: string): Promise<{ state: CounterState; etag: string } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { state: JSON.parse(await out.Body!.transformToString('utf8')) as CounterState, etag: out.ETag ?? '' };
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Applies `change` with optimistic concurrency; `change` returns undefined for "nothing to do". */
async function updateCounter(
  target: CounterTarget,
  orderId: string,
  now: Date,
  change: (state: CounterState) => CounterState | undefined,
): Promise<void> {
  const key = orderCountKey(orderCountShard(orderId));
  for (let attempt = 1; ; attempt += 1) {
    const current = await readCounter(target.s3, target.bucket, key);
    const next = change(current?.state ?? { count: 0, since: now.toISOString(), pending: {} });
    if (next === undefined) return;
    const expiry = now.getTime() - PENDING_TTL_MS;
    const pending = Object.fromEntries(Object.entries(next.pending).filter(([, at]) => Date.parse(at) > expiry));
    try {
      await target.s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: JSON.stringify({ ...next, pending }),
          ContentType: 'application/json',
          ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          ServerSideEncryption: 'aws:kms',
          ...(target.kmsKeyId ? { SSEKMSKeyId: target.kmsKeyId } : {}),
          BucketKeyEnabled: true,
        }),
      );
      return;
    } catch (error) {
      if (!RACE_LOST.has(errorName(error) ?? '') || attempt >= COUNTER_MAX_ATTEMPTS) throw error;
      // Another order updated the counter first: read it again after a short random wait.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 5 * 2 ** attempt)));
    }
  }
}

const entry = (orderId: string, executionName: string) => `${orderId} ${executionName}`;

/** Registers an order about to be stored for the first time (before its record is written). */
export function registerPending(target: CounterTarget, orderId: string, executionName: string, now = new Date()): Promise<void> {
  const name = entry(orderId, executionName);
  return updateCounter(target, orderId, now, (s) =>
    name in s.pending ? undefined : { ...s, pending: { ...s.pending, [name]: now.toISOString() } },
  );
}

/** Counts a stored order whose registration is pending; a no-op when it was counted already. */
export function confirmCounted(target: CounterTarget, orderId: string, executionName: string, now = new Date()): Promise<void> {
  const name = entry(orderId, executionName);
  return updateCounter(target, orderId, now, (s) => {
    if (!(name in s.pending)) return undefined;
    const { [name]: _counted, ...pending } = s.pending;
    return { ...s, count: s.count + 1, pending };
  });
}

/** Drops a registration whose order was not stored (the record belongs to another execution). */
export function discardPending(target: CounterTarget, orderId: string, executionName: string, now = new Date()): Promise<void> {
  const name = entry(orderId, executionName);
  return updateCounter(target, orderId, now, (s) => {
    if (!(name in s.pending)) return undefined;
    const { [name]: _dropped, ...pending } = s.pending;
    return { ...s, pending };
  });
}

/** The number of stored orders: the shards read in parallel (a missing shard counts 0). */
export async function readOrderCount(s3: S3Sender, bucket: string): Promise<number> {
  const shards = await Promise.all(Array.from({ length: ORDER_COUNT_SHARDS }, (_, shard) => readCounter(s3, bucket, orderCountKey(shard))));
  return shards.reduce((sum, shard) => sum + (shard?.state.count ?? 0), 0);
}
