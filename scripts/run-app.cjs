/**
 * cdktf.json's app: runs main.ts as plain JavaScript, with no TypeScript loader and no source
 * maps (tsx turned both on, and source-mapping cdktf's per-token stack captures cost a tenth of
 * the synth). main.ts and the project modules it imports are bundled by esbuild into
 * `.cache/main.cjs` (packages stay external: cdktf and the provider load from node_modules as
 * before), and rebuilt only when a byte of one of those inputs, of tsconfig.json, package.json,
 * package-lock.json, this script or the esbuild version changed. Plain CommonJS on purpose: it
 * runs before anything could compile TypeScript.
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const FORMAT = 1;

/** Where the compiled app lives: one level below the root, so its `__dirname/..` is the root. */
function appPaths(root) {
  const dir = join(root, '.cache');
  return { dir, app: join(dir, 'main.cjs'), manifest: join(dir, 'main.json') };
}

function appBuildOptions(root) {
  return {
    absWorkingDir: root,
    entryPoints: ['main.ts'],
    outfile: '.cache/main.cjs',
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function fileHash(file) {
  try {
    return sha256(readFileSync(file));
  } catch {
    return 'absent';
  }
}

/** Everything but the input files that the compiled app depends on. */
function appKey(root) {
  const { absWorkingDir: _machineSpecific, ...options } = appBuildOptions(root);
  const files = ['tsconfig.json', 'package.json', 'package-lock.json'].map((f) => fileHash(join(root, f)));
  return sha256(JSON.stringify({ FORMAT, options, files, self: fileHash(__filename), esbuild: require('esbuild/package.json').version }));
}

/** True when `.cache/main.cjs` was compiled from exactly the current inputs. */
function isAppCurrent(root) {
  const { app, manifest } = appPaths(root);
  let entry;
  try {
    entry = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return false;
  }
  if (entry.format !== FORMAT || entry.key !== appKey(root) || fileHash(app) !== entry.appSha256) return false;
  return Object.entries(entry.inputs).every(([input, hash]) => fileHash(resolve(root, input)) === hash);
}

/** Compiles main.ts into `.cache/main.cjs` and records its inputs' hashes. */
function buildApp(root) {
  const { buildSync } = require('esbuild');
  const { dir, app, manifest } = appPaths(root);
  let result;
  try {
    result = buildSync(appBuildOptions(root));
  } catch (e) {
    const messages = (e.errors ?? []).map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text));
    throw new Error(`Compiling main.ts failed: ${messages.join('; ') || String(e)}`);
  }
  const code = result.outputFiles[0].contents;
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((input) => [input, fileHash(resolve(root, input))]));
  mkdirSync(dir, { recursive: true });
  // Write-then-rename: concurrent synths (jest workers) never run half a file; the manifest
  // goes last, so it never vouches for an older bundle.
  atomicWrite(app, code);
  atomicWrite(manifest, JSON.stringify({ format: FORMAT, key: appKey(root), appSha256: sha256(code), inputs }));
}

function atomicWrite(file, content) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/** Makes `.cache/main.cjs` current; returns whether it had to be compiled. */
function ensureApp(root) {
  if (isAppCurrent(root)) return { app: appPaths(root).app, compiled: false };
  buildApp(root);
  return { app: appPaths(root).app, compiled: true };
}

/** Set to 1 to keep cdktf's creation stack of every token (for a synth error's "Object creation stack"). */
const CREATION_STACKS_VARIABLE = 'ORDERS_SYNTH_CREATION_STACKS';

/**
 * cdktf records the full stack of every token it creates (thousands per synth) in case a later
 * resolution error wants to show where the token came from; formatting those stacks is a tenth of a
 * warm synth. AWS CDK records them only when debugging (CDK_DEBUG); this does the same: tokens get
 * an empty creation stack unless `ORDERS_SYNTH_CREATION_STACKS=1`. The synthesized output is the
 * same either way (tested). Returns whether stacks are skipped.
 */
function skipCreationStacks(env = process.env) {
  if (env[CREATION_STACKS_VARIABLE] === '1') return false;
  let stackTrace;
  try {
    stackTrace = require('cdktf/lib/tokens/private/stack-trace');
  } catch {
    return false; // a cdktf without this module: its own behaviour, only slower
  }
  // cdktf's modules call it as `(0, stack_trace_1.captureStackTrace)()`: replacing the export suffices.
  stackTrace.captureStackTrace = () => [];
  return true;
}

module.exports = { ensureApp, isAppCurrent, appPaths, skipCreationStacks, CREATION_STACKS_VARIABLE };

if (require.main === module) {
  // Node 22.1+ keeps compiled bytecode of cdktf and the provider modules between runs (no
  // effect on the output; older Node has no such cache and skips this).
  require('node:module').enableCompileCache?.(join(appPaths(resolve(__dirname, '..')).dir, 'v8'));
  skipCreationStacks();
  let app;
  try {
    app = ensureApp(resolve(__dirname, '..')).app;
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  require(app);
}
