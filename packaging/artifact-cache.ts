/**
 * A handler's bundle and zip kept on disk between synths, reused only when every input of the
 * bundle has the same bytes as when it was built. The inputs are the files esbuild's metafile
 * lists (handler sources and the dependency files that went in); the key adds everything else
 * the bytes depend on: the esbuild options, the esbuild and fflate versions, the packaging code
 * itself, tsconfig.json and package-lock.json. Bytes, never mtimes: a fresh clone, a touched
 * file or another folder with the same content reuses nothing wrong, and a changed byte
 * anywhere in the inputs rebuilds.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Bump when the entry layout changes. */
const FORMAT = 1;

interface CacheEntry {
  readonly format: number;
  readonly key: string;
  /** Input path relative to the project root → hex SHA-256 of its bytes. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly bundleSha256: string;
  readonly zipSha256: string;
}

export interface CachedBuild {
  readonly bundle: Uint8Array;
  readonly zip: Uint8Array;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Hash of the things besides the inputs that the bytes depend on. */
export function artifactCacheKey(parts: Readonly<Record<string, unknown>>, files: readonly string[]): string {
  const hashes = Object.fromEntries(files.map((f) => [f, fileHash(f) ?? 'absent']));
  return sha256(JSON.stringify({ FORMAT, parts, files: hashes }));
}

export class ArtifactCache {
  /** Handlers share most inputs (the SDK, Powertools): hash each file once per cache instance. */
  private readonly hashes = new Map<string, string | undefined>();

  constructor(
    /** Folder of the entries: `<handler>.json`, `<handler>.js`, `<handler>.zip`. */
    readonly dir: string,
    /** The project the input paths are relative to. */
    readonly projectRoot: string,
  ) {}

  /** The cached build, when the key matches and every input still has the recorded bytes. */
  get(handler: string, key: string): CachedBuild | undefined {
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(join(this.dir, `${handler}.json`), 'utf8'));
    } catch {
      return undefined;
    }
    if (entry.format !== FORMAT || entry.key !== key) return undefined;
    for (const [input, hash] of Object.entries(entry.inputs)) {
      if (this.inputHash(input) !== hash) return undefined;
    }
    try {
      const bundle = new Uint8Array(readFileSync(join(this.dir, `${handler}.js`)));
      const zip = new Uint8Array(readFileSync(join(this.dir, `${handler}.zip`)));
      // A half-written or edited entry is a miss, never a wrong artifact.
      if (sha256(bundle) !== entry.bundleSha256 || sha256(zip) !== entry.zipSha256) return undefined;
      return { bundle, zip };
    } catch {
      return undefined;
    }
  }

  private inputHash(input: string): string | undefined {
    const file = resolve(this.projectRoot, input);
    if (!this.hashes.has(file)) this.hashes.set(file, fileHash(file));
    return this.hashes.get(file);
  }

  /** Records a build. The entry is written last, so a reader never pairs it with older files. */
  put(handler: string, key: string, inputs: readonly string[], build: CachedBuild): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const hashes: Record<string, string> = {};
      for (const input of inputs) {
        const hash = this.inputHash(input);
        // An input esbuild read but that is gone now (a virtual module): do not cache.
        if (hash === undefined) return;
        hashes[input] = hash;
      }
      atomicWrite(join(this.dir, `${handler}.js`), build.bundle);
      atomicWrite(join(this.dir, `${handler}.zip`), build.zip);
      const entry: CacheEntry = { format: FORMAT, key, inputs: hashes, bundleSha256: sha256(build.bundle), zipSha256: sha256(build.zip) };
      atomicWrite(join(this.dir, `${handler}.json`), JSON.stringify(entry));
    } catch {
      // The cache is an optimization: a read-only checkout still synthesizes.
    }
  }
}

/** Write-then-rename, so concurrent synths (jest workers) never read half a file. */
function atomicWrite(file: string, content: Uint8Array | string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}
