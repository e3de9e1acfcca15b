/**
 * Zip archives whose bytes depend only on relative paths and file contents.
 *
 * Ordinary zip tools embed each file's mtime, its permission bits and the order
 * the file system returned, so two checkouts of the same code give two different
 * archives - and Terraform sees a new Lambda version on every plan. Here every
 * entry gets the same fixed timestamp and attributes, and entries are sorted.
 */
import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';

/**
 * 1980-01-01 00:00:00, the earliest time a zip (DOS) timestamp can hold.
 * Built from local-time components on purpose: fflate encodes the date with the
 * local-time getters, so this gives the same bytes in every time zone.
 */
export function fixedZipMtime(): Date {
  return new Date(1980, 0, 1, 0, 0, 0, 0);
}

/** Unix "regular file, rw-r--r--" in the high 16 bits of the external attributes. */
const UNIX_FILE_0644 = (0o100644 << 16) >>> 0;
/** "Made by" Unix, so unzip and Lambda read the permission bits above. */
const OS_UNIX = 3;
/** Maximum deflate level; fflate is pure JavaScript, so the same version always gives the same bytes. */
const DEFLATE_LEVEL = 9;

/** Relative path (forward slashes) to file content. */
export type ZipEntries = Readonly<Record<string, Uint8Array | string>>;

/** Builds a zip whose bytes depend only on the entries' relative paths and contents. */
export function deterministicZip(entries: ZipEntries): Uint8Array {
  const names = Object.keys(entries).sort();
  if (names.length === 0) throw new Error('deterministicZip: no entries; pass at least one file, e.g. { "index.js": bundle }');
  const files: Zippable = {};
  for (const name of names) {
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      throw new Error(`deterministicZip: entry "${name}" must be a relative path with forward slashes and no ".."`);
    }
    const content = entries[name];
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    files[name] = [bytes, { mtime: fixedZipMtime(), os: OS_UNIX, attrs: UNIX_FILE_0644, level: DEFLATE_LEVEL }];
  }
  // Insertion order above is sorted order; fflate walks the object in that order.
  return zipSync(files);
}

/** Hex SHA-256, used for content-addressed keys and asset folders. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Base64 SHA-256: the format of Lambda's `source_code_hash` (what `filebase64sha256()` returns). */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** Hex MD5: the format of `filemd5()`, used for `aws_s3_object.source_hash`. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
