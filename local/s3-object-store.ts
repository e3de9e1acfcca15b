/**
 * The local S3 server's storage: buckets of objects on disk, with an in-memory index of
 * every key kept sorted, so a listing is a binary search plus a slice (not a directory
 * walk) and a read of a small object never touches the disk.
 *
 * On disk, under `root`: `<bucket>/bucket.json` and one file per object,
 * `<bucket>/objects/<2 hex>/<sha-256 of the key>`, holding one line of JSON metadata
 * (key, ETag, content type, user metadata, last-modified) and then the body bytes. Every
 * write goes to `<bucket>/tmp/` first and is renamed into place, so a kill at any moment
 * leaves either the old object or the new one, never a torn file. Writes to one key are
 * serialized, which makes the conditional writes (If-None-Match: *, If-Match) exact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An S3 error: `code` and `status` as S3 answers them. */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export interface ObjectMeta {
  readonly key: string;
  /** Quoted MD5 of the body, as S3 answers it for a single-part upload. */
  readonly etag: string;
  readonly size: number;
  readonly contentType: string;
  /** `x-amz-meta-*` headers, names lower-case without the prefix. */
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly lastModified: number;
}

interface StoredObject extends ObjectMeta {
  readonly file: string;
  /** The body, kept in memory when small. */
  readonly body?: Buffer;
}

export interface PutConditions {
  /** `*`: fail with 412 when the key exists. */
  readonly ifNoneMatch?: string;
  /** An ETag (or `*`): fail unless the key exists with that ETag. */
  readonly ifMatch?: string;
}

export interface ListRequest {
  readonly prefix?: string;
  /** Only keys after this one (exclusive). */
  readonly after?: string;
  readonly maxKeys: number;
  readonly delimiter?: string;
}

export interface ListResult {
  readonly contents: readonly ObjectMeta[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The last key or common prefix returned, when truncated. */
  readonly lastReturned?: string;
}

/** Bodies up to this size are kept in memory (order records are a few KiB). */
const CACHED_BODY_BYTES = 256 * 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * S3 sorts keys by their UTF-8 bytes, which is code point order; JavaScript's `<` compares
 * UTF-16 code units, which differs only for surrogates against U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

class Bucket {
  /** Every key, sorted with compareKeys. */
  readonly keys: string[] = [];
  readonly objects = new Map<string, StoredObject>();
  /** Fan-out folders known to exist (256 at most): no mkdir per write. */
  readonly fanDirs = new Set<string>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly createdAt: number,
  ) {}

  /** Index of the first key >= key. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  index(object: StoredObject): void {
    if (!this.objects.has(object.key)) this.keys.splice(this.lowerBound(object.key), 0, object.key);
    this.objects.set(object.key, object);
  }

  unindex(key: string): void {
    if (!this.objects.delete(key)) return;
    this.keys.splice(this.lowerBound(key), 1);
  }

  /** Runs fn after every earlier operation on the same key has settled. */
  async serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

function objectFile(bucketDir: string, key: string): string {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  return join(bucketDir, 'objects', hash.slice(0, 2), hash);
}

/** A stored file the store cannot read: it names the file, since object files are named by a hash. */
function damaged(file: string, problem: string): Error {
  return new Error(`Local S3 file ${file} is damaged (${problem}); move it out of the data directory to start without it`);
}

function parseObjectFile(file: string, bytes: Buffer): StoredObject {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) throw damaged(file, 'no metadata line');
  let meta: Omit<ObjectMeta, 'size'>;
  try {
    meta = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Omit<ObjectMeta, 'size'>;
  } catch (error) {
    throw damaged(file, `its metadata line is not JSON: ${(error as Error).message}`);
  }
  if (!meta || typeof meta.key !== 'string') throw damaged(file, 'its metadata line names no key');
  const body = bytes.subarray(newline + 1);
  return { ...meta, size: body.length, file, ...(body.length <= CACHED_BODY_BYTES ? { body: Buffer.from(body) } : {}) };
}

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();

  private constructor(readonly root: string) {}

  /** Opens (or creates) the store under root and loads every object's metadata. */
  static open(root: string): ObjectStore {
    const store = new ObjectStore(root);
    mkdirSync(root, { recursive: true });
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, 'bucket.json'))) continue;
      let createdAt: number;
      try {
        ({ createdAt } = JSON.parse(readFileSync(join(dir, 'bucket.json'), 'utf8')) as { createdAt: number });
      } catch (error) {
        throw damaged(join(dir, 'bucket.json'), (error as Error).message);
      }
      const bucket = new Bucket(entry.name, dir, createdAt);
      // Leftovers of writes cut short by a kill: never renamed into place, so never visible.
      rmSync(join(dir, 'tmp'), { recursive: true, force: true });
      mkdirSync(join(dir, 'tmp'), { recursive: true });
      const objectsDir = join(dir, 'objects');
      if (existsSync(objectsDir)) {
        const loaded: StoredObject[] = [];
        for (const fan of readdirSync(objectsDir)) {
          for (const name of readdirSync(join(objectsDir, fan))) {
            const file = join(objectsDir, fan, name);
            loaded.push(parseObjectFile(file, readFileSync(file)));
          }
        }
        loaded.sort((a, b) => compareKeys(a.key, b.key));
        for (const object of loaded) {
          bucket.keys.push(object.key);
          bucket.objects.set(object.key, object);
        }
      }
      store.buckets.set(bucket.name, bucket);
    }
    return store;
  }

  bucketNames(): { name: string; createdAt: number }[] {
    return [...this.buckets.values()].map((b) => ({ name: b.name, createdAt: b.createdAt })).sort((a, b) => compareKeys(a.name, b.name));
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** Creates a bucket; false when it already exists. */
  createBucket(name: string): boolean {
    if (this.buckets.has(name)) return false;
    if (!BUCKET_NAME.test(name) || name.includes('..'))
      throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
    const dir = join(this.root, name);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const createdAt = Date.now();
    // Written last: a bucket directory without it (a kill mid-create) is not a bucket.
    const tmp = join(dir, 'tmp', 'bucket.json');
    writeFileSync(tmp, JSON.stringify({ createdAt }));
    renameSync(tmp, join(dir, 'bucket.json'));
    this.buckets.set(name, new Bucket(name, dir, createdAt));
    return true;
  }

  private bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: name });
    return bucket;
  }

  head(bucketName: string, key: string): ObjectMeta | undefined {
    return this.bucket(bucketName).objects.get(key);
  }

  async get(bucketName: string, key: string): Promise<{ meta: ObjectMeta; body: Buffer } | undefined> {
    const object = this.bucket(bucketName).objects.get(key);
    if (!object) return undefined;
    if (object.body) return { meta: object, body: object.body };
    const bytes = await readFile(object.file);
    return { meta: object, body: bytes.subarray(bytes.indexOf(0x0a) + 1) };
  }

  async put(
    bucketName: string,
    key: string,
    body: Buffer,
    options: { contentType?: string; userMetadata?: Record<string, string>; conditions?: PutConditions } = {},
  ): Promise<ObjectMeta> {
    const bucket = this.bucket(bucketName);
    if (key.length === 0 || Buffer.byteLength(key, 'utf8') > 1024)
      throw new S3Error('KeyTooLongError', 400, 'Your key is too long (or empty).', { Key: key });
    return bucket.serialized(key, async () => {
      checkPutConditions(bucket.objects.get(key), options.conditions ?? {});
      const meta = {
        key,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        contentType: options.contentType ?? 'binary/octet-stream',
        userMetadata: options.userMetadata ?? {},
        lastModified: Date.now(),
      };
      const file = objectFile(bucket.dir, key);
      const tmp = join(bucket.dir, 'tmp', randomBytes(12).toString('hex'));
      await writeFile(tmp, Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`, 'utf8'), body]));
      try {
        const fanDir = join(file, '..');
        if (!bucket.fanDirs.has(fanDir)) {
          await mkdir(fanDir, { recursive: true });
          bucket.fanDirs.add(fanDir);
        }
        await rename(tmp, file);
      } catch (error) {
        bucket.fanDirs.clear(); // a folder removed behind our back is made again by the next write
        await rm(tmp, { force: true });
        throw error;
      }
      const stored: StoredObject = { ...meta, size: body.length, file, ...(body.length <= CACHED_BODY_BYTES ? { body } : {}) };
      bucket.index(stored);
      return stored;
    });
  }

  /** Deletes a key; deleting a missing key succeeds, as in S3. */
  async delete(bucketName: string, key: string): Promise<void> {
    const bucket = this.bucket(bucketName);
    await bucket.serialized(key, async () => {
      const object = bucket.objects.get(key);
      if (!object) return;
      await rm(object.file, { force: true });
      bucket.unindex(key);
    });
  }

  list(bucketName: string, request: ListRequest): ListResult {
    const bucket = this.bucket(bucketName);
    const prefix = request.prefix ?? '';
    const after = request.after !== undefined && compareKeys(request.after, prefix) >= 0 ? request.after : undefined;
    let i = after === undefined ? bucket.lowerBound(prefix) : bucket.lowerBound(after);
    if (after !== undefined && bucket.keys[i] === after) i += 1;
    const contents: ObjectMeta[] = [];
    const commonPrefixes: string[] = [];
    let last: string | undefined;
    while (i < bucket.keys.length) {
      const key = bucket.keys[i];
      if (!key.startsWith(prefix)) break;
      if (contents.length + commonPrefixes.length >= request.maxKeys)
        return { contents, commonPrefixes, isTruncated: true, lastReturned: last };
      const cut = request.delimiter ? key.indexOf(request.delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = key.slice(0, cut + request.delimiter!.length);
        // A continuation after a common prefix resumes past every key under it.
        if (after === undefined || compareKeys(common, after) > 0) {
          commonPrefixes.push(common);
          last = common;
        }
        while (i < bucket.keys.length && bucket.keys[i].startsWith(common)) i += 1;
        continue;
      }
      contents.push(bucket.objects.get(key)!);
      last = key;
      i += 1;
    }
    return { contents, commonPrefixes, isTruncated: false };
  }
}

function checkPutConditions(existing: StoredObject | undefined, conditions: PutConditions): void {
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch !== '*')
      throw new S3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented', {
        Header: 'If-None-Match',
      });
    if (existing)
      throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
        Condition: 'If-None-Match',
      });
  }
  if (conditions.ifMatch !== undefined) {
    if (!existing) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.');
    if (conditions.ifMatch !== '*' && conditions.ifMatch !== existing.etag && `"${conditions.ifMatch}"` !== existing.etag)
      throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
        Condition: 'If-Match',
      });
  }
}
