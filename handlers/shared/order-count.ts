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
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Sender } from './s3-client';
import { isLostRace, readJsonWithEtag } from './s3-conditional';
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

async function readCounter(s3: S3Sender, bucket: string, key: string): Promise<{ state: CounterState; etag: string } | undefined> {
  const read = await readJsonWithEtag<CounterState>(s3, bucket, key);
  return read && { state: read.value, etag: read.etag };
}

type Change = (state: CounterState) => CounterState | undefined;

interface ShardQueue {
  readonly waiting: { change: Change; now: Date; resolve: () => void; reject: (error: unknown) => void }[];
  running: boolean;
  /** The last state and ETag this instance read or wrote: the next update tries a put on it straight away. */
  lastSeen?: { state: CounterState; etag: string };
}

/**
 * Updates of one shard from this instance are applied in batches, one conditional put
 * per batch (group commit): concurrent storage steps in one execution environment (the
 * local runtime runs several invocations per worker thread) never race each other, only
 * other environments, whose lost races the conditional writes detect and retry.
 */
const queues = new WeakMap<S3Sender, Map<string, ShardQueue>>();

function queueFor(target: CounterTarget, key: string): ShardQueue {
  let perClient = queues.get(target.s3);
  if (!perClient) queues.set(target.s3, (perClient = new Map()));
  const name = `${target.bucket}/${key}`;
  let queue = perClient.get(name);
  if (!queue) perClient.set(name, (queue = { waiting: [], running: false }));
  return queue;
}

/** Applies `change` with optimistic concurrency; `change` returns undefined for "nothing to do". */
function updateCounter(target: CounterTarget, orderId: string, now: Date, change: Change): Promise<void> {
  const key = orderCountKey(orderCountShard(orderId));
  const queue = queueFor(target, key);
  return new Promise<void>((resolve, reject) => {
    queue.waiting.push({ change, now, resolve, reject });
    if (!queue.running) void drain(target, key, queue);
  });
}

async function drain(target: CounterTarget, key: string, queue: ShardQueue): Promise<void> {
  queue.running = true;
  while (queue.waiting.length > 0) {
    const batch = queue.waiting.splice(0);
    try {
      await applyBatch(target, key, queue, batch);
      for (const op of batch) op.resolve();
    } catch (error) {
      for (const op of batch) op.reject(error);
    }
  }
  queue.running = false;
}

async function applyBatch(target: CounterTarget, key: string, queue: ShardQueue, batch: ShardQueue['waiting']): Promise<void> {
  const now = batch[batch.length - 1].now;
  const apply = (start: CounterState | undefined): CounterState | undefined => {
    let state = start ?? { count: 0, since: now.toISOString(), pending: {} };
    let changed = false;
    for (const op of batch) {
      const next = op.change(state);
      if (next !== undefined) [state, changed] = [next, true];
    }
    return changed ? state : undefined;
  };
  let current = queue.lastSeen;
  let fresh = current === undefined;
  if (fresh) current = await readCounter(target.s3, target.bucket, key);
  for (let attempt = 1; ; attempt += 1) {
    let next = apply(current?.state);
    if (next === undefined && !fresh) {
      // Only a fresh read may decide that there is nothing to do.
      current = await readCounter(target.s3, target.bucket, key);
      fresh = true;
      next = apply(current?.state);
    }
    if (next === undefined) return;
    const expiry = now.getTime() - PENDING_TTL_MS;
    const state = { ...next, pending: Object.fromEntries(Object.entries(next.pending).filter(([, at]) => Date.parse(at) > expiry)) };
    try {
      const out = await target.s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: JSON.stringify(state),
          ContentType: 'application/json',
          ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          ServerSideEncryption: 'aws:kms',
          ...(target.kmsKeyId ? { SSEKMSKeyId: target.kmsKeyId } : {}),
          BucketKeyEnabled: true,
        }),
      );
      queue.lastSeen = out?.ETag ? { state, etag: out.ETag } : undefined;
      return;
    } catch (error) {
      queue.lastSeen = undefined;
      if (!isLostRace(error) || attempt >= COUNTER_MAX_ATTEMPTS) throw error;
      // Another instance updated the shard first: read it again (after a short random wait once it keeps happening).
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 5 * 2 ** attempt)));
      current = await readCounter(target.s3, target.bucket, key);
      fresh = true;
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
