/**
 * A handler's deployable artifact: its bundle, the deterministic zip around it,
 * the hashes Terraform needs, and a copy of the zip on disk for `TerraformAsset`.
 *
 * Built once per process and handler: dev and prod (and every stack of a synth)
 * share the same bytes, and bundling is the slow part of a synth.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactCache, artifactCacheKey } from './artifact-cache';
import { bundleHandlersWithInputsSync, handlerBuildOptions, PROJECT_ROOT, type BundleOptions, type HandlerBundle } from './bundle';
import { deterministicZip, md5Hex, sha256Base64, sha256Hex } from './deterministic-zip';
import { HANDLER_NAMES, type HandlerName } from './handlers';

export interface HandlerArtifact {
  readonly handler: HandlerName;
  /** The bundled `index.js`. */
  readonly bundle: Uint8Array;
  /** The deterministic zip `{ 'index.js': bundle }`. */
  readonly zip: Uint8Array;
  /** Hex SHA-256 of the zip: names the S3 key and the asset folder. */
  readonly sha256Hex: string;
  /** Base64 SHA-256 of the zip: Lambda's `source_code_hash`. */
  readonly sha256Base64: string;
  /** Hex MD5 of the zip: `aws_s3_object.source_hash` (the `filemd5()` format). */
  readonly md5Hex: string;
  /** Content-addressed key in the artifacts bucket. */
  readonly s3Key: string;
  /** Absolute path of the zip on this machine (outside the synth output; never written into it). */
  readonly zipFile: string;
  /** True when the bundle and zip came from the on-disk artifact cache (no esbuild, no zipping). */
  readonly fromCache: boolean;
}

export interface ArtifactOptions extends BundleOptions {
  /**
   * Folder of the on-disk artifact cache (`packaging/artifact-cache.ts`), or `false` for none.
   * @default `$ORDER_INFRA_CACHE_DIR/handlers` when that is set, else `<projectRoot>/.cache/handlers`
   */
  readonly cacheDir?: string | false;
}

const cache = new Map<string, HandlerArtifact>();

/** Content-addressed key: a new key exactly when the zip bytes change. */
export function artifactS3Key(handler: HandlerName, zipSha256Hex: string): string {
  return `lambda/${handler}/${zipSha256Hex}.zip`;
}

/** Folder the zips are staged in before cdktf copies them into the synth output. */
export function artifactStagingDir(): string {
  return join(tmpdir(), 'order-infra-artifacts');
}

/**
 * Returns the handler's artifact, building it on first use in this process. A synth needs
 * every handler, so the first call takes all of them from the on-disk cache when their
 * inputs are unchanged and bundles the rest in one esbuild run (one process start instead
 * of six); if that run fails, only the requested handler is built, so the error names the
 * handler that is broken.
 */
export function handlerArtifact(handler: HandlerName, options: ArtifactOptions = {}): HandlerArtifact {
  const root = options.projectRoot ?? PROJECT_ROOT;
  const key = (name: HandlerName) => `${root}\0${name}`;
  const cached = cache.get(key(handler));
  if (cached) return cached;

  const disk = options.cacheDir === false ? undefined : new ArtifactCache(options.cacheDir ?? defaultCacheDir(root), root);
  const missing = HANDLER_NAMES.filter((name) => name === handler || !cache.has(key(name)));
  const toBuild: HandlerName[] = [];
  for (const name of missing) {
    const hit = disk?.get(name, diskKey(name, options));
    if (hit) cache.set(key(name), buildArtifact(name, hit.bundle, hit.zip, true));
    else toBuild.push(name);
  }
  if (toBuild.length > 0) {
    let bundles: Map<HandlerName, HandlerBundle>;
    try {
      bundles = bundleHandlersWithInputsSync(toBuild, options);
    } catch {
      bundles = bundleHandlersWithInputsSync([handler], options);
    }
    for (const [name, { code, inputs }] of bundles) {
      const artifact = buildArtifact(name, code, deterministicZip({ 'index.js': code }), false);
      disk?.put(name, diskKey(name, options), inputs, artifact);
      cache.set(key(name), artifact);
    }
  }
  return cache.get(key(handler))!;
}

function defaultCacheDir(root: string): string {
  const base = process.env.ORDER_INFRA_CACHE_DIR;
  return base ? join(base, 'handlers') : join(root, '.cache', 'handlers');
}

/**
 * The packaging code whose change must rebuild every artifact (it shapes bundle and zip bytes):
 * the build and zip modules, and every file of `lambda-sdk/` (the esbuild plugins and aliases).
 */
const PACKAGING_SOURCES = [
  ...['bundle.ts', 'artifact.ts', 'deterministic-zip.ts', 'esbuild-worker.cjs'],
  ...readdirSync(join(PROJECT_ROOT, 'packaging', 'lambda-sdk'))
    .sort()
    .map((f) => `lambda-sdk/${f}`),
].map((f) => join(PROJECT_ROOT, 'packaging', f));

/** The disk-cache key of one handler: everything but the input files that its bytes depend on. */
function diskKey(name: HandlerName, options: BundleOptions): string {
  const root = options.projectRoot ?? PROJECT_ROOT;
  const { absWorkingDir: _machineSpecific, ...buildOptions } = handlerBuildOptions(name, options);
  return artifactCacheKey({ name, buildOptions }, [
    ...PACKAGING_SOURCES,
    require.resolve('esbuild/package.json'),
    require.resolve('fflate/package.json'),
    join(root, 'tsconfig.json'),
    join(root, 'package.json'),
    join(root, 'package-lock.json'),
  ]);
}

function buildArtifact(handler: HandlerName, bundle: Uint8Array, zip: Uint8Array, fromCache: boolean): HandlerArtifact {
  const hex = sha256Hex(zip);
  const zipFile = join(artifactStagingDir(), hex, `${handler}.zip`);
  stageZip(zipFile, zip);
  return {
    handler,
    bundle,
    zip,
    sha256Hex: hex,
    sha256Base64: sha256Base64(zip),
    md5Hex: md5Hex(zip),
    s3Key: artifactS3Key(handler, hex),
    zipFile,
    fromCache,
  };
}

/**
 * Builds every handler's artifact now. The app calls this before it loads cdktf and the
 * provider classes, so esbuild's process does not run while the synth's memory is at its peak.
 */
export function prebuildHandlerArtifacts(options: ArtifactOptions = {}): HandlerArtifact[] {
  return HANDLER_NAMES.map((name) => handlerArtifact(name, options));
}

/** Forgets every built artifact (tests that change handler sources between builds). */
export function clearArtifactCache(): void {
  cache.clear();
}

/**
 * The folder name is the content hash, so an existing file of the right size is this zip.
 * Write-then-rename keeps concurrent synths (parallel jest workers) from reading half a file.
 */
function stageZip(file: string, zip: Uint8Array): void {
  if (existsSync(file) && statSync(file).size === zip.byteLength) return;
  mkdirSync(join(file, '..'), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, file);
}
