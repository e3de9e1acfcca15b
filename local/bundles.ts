/**
 * The handler bundles the local runtime runs: the same esbuild output that is zipped for
 * Lambda (packaging/bundle.ts). Built into a content-addressed cache folder so that a
 * test run (many files, several jest workers) bundles once, and `npm start` after an
 * unchanged checkout starts at once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bundleAllToDirectory, PROJECT_ROOT } from '../packaging/bundle';
import { HANDLER_NAMES } from '../packaging/handlers';

/** Every input of the bundles: handler sources, the bundler, the locked dependency versions. */
function* inputFiles(root: string): Generator<string> {
  const walk = function* (dir: string): Generator<string> {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) yield* walk(full);
      else yield full;
    }
  };
  yield* walk(join(root, 'handlers'));
  yield* walk(join(root, 'packaging'));
  yield join(root, 'package-lock.json');
}

/** A hash of the bundles' inputs (relative paths and bytes). */
export function bundleInputsHash(root: string = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const file of inputFiles(root)) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** True when `dir` holds `<name>/index.js` for every handler. */
export function hasAllBundles(dir: string): boolean {
  return HANDLER_NAMES.every((name) => existsSync(join(dir, name, 'index.js')));
}

/**
 * Returns a folder holding `<name>/index.js` for every handler, building it when the
 * inputs changed. Concurrent callers (jest workers) may both build; the rename makes
 * the first complete folder win and the others are discarded.
 */
export async function ensureBundles(cacheRoot: string = join(tmpdir(), 'order-infra-bundles')): Promise<string> {
  const dir = join(cacheRoot, bundleInputsHash());
  if (existsSync(join(dir, '.complete'))) {
    // Mark it used so pruning keeps it.
    const now = new Date();
    utimesSync(dir, now, now);
    return dir;
  }
  const staging = `${dir}.${process.pid}.${Date.now()}.tmp`;
  await bundleAllToDirectory(staging);
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  // A folder without its marker is a leftover of an interrupted build.
  if (existsSync(dir) && !existsSync(join(dir, '.complete'))) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch {
    // Another process finished first: use its folder.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw new Error(`Could not place the handler bundles in ${dir}`);
  }
  pruneOldBundles(cacheRoot, dir);
  return dir;
}

/** Cached builds unused for a day go: every handler edit adds a folder of a few MB. */
function pruneOldBundles(cacheRoot: string, keep: string): void {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of readdirSync(cacheRoot)) {
    const full = join(cacheRoot, entry);
    try {
      if (full !== keep && statSync(full).mtimeMs < dayAgo) rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
