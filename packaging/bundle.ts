/**
 * esbuild bundling of `handlers/<name>/index.ts` into one minified, tree-shaken
 * CommonJS file for the Lambda Node.js 24 runtime, with every dependency inside
 * (the function needs no layer and no node_modules).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, buildSync, stop as stopEsbuild, type BuildOptions, type BuildResult } from 'esbuild';
import { HANDLER_NAMES, type HandlerName } from './handlers';

/** The repository root (this file lives in `<root>/packaging/`). */
export const PROJECT_ROOT = resolve(__dirname, '..');

export interface BundleOptions {
  /** Folder holding `handlers/<name>/index.ts`. @default PROJECT_ROOT */
  readonly projectRoot?: string;
}

/** Entry point relative to the project root: esbuild sees only relative paths. */
export function handlerEntryPoint(name: HandlerName): string {
  return `handlers/${name}/index.ts`;
}

/** The esbuild options every handler is built with (one place, shared by sync and async builds). */
export function handlerBuildOptions(name: HandlerName, options: BundleOptions = {}): BuildOptions & { write: false } {
  return {
    absWorkingDir: options.projectRoot ?? PROJECT_ROOT,
    entryPoints: [handlerEntryPoint(name)],
    outfile: 'index.js',
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // Prefer the ES-module builds of dependencies (AWS SDK v3, Powertools, zod): they tree-shake far better.
    mainFields: ['module', 'main'],
    legalComments: 'none',
    sourcemap: false,
    // Only the code comes back: no metafile, no log output in the synth.
    metafile: false,
    logLevel: 'silent',
    write: false,
  };
}

/** Bundles one handler synchronously; returns the bytes of its `index.js`. */
export function bundleHandlerSync(name: HandlerName, options: BundleOptions = {}): Uint8Array {
  assertHandlerName(name);
  const buildOptions = handlerBuildOptions(name, options);
  let result: BuildResult<typeof buildOptions>;
  try {
    result = buildSync(buildOptions);
  } catch (e) {
    throw bundleError([name], buildOptions.absWorkingDir!, e);
  } finally {
    releaseEsbuildService();
  }
  return checkedOutput(name, buildOptions.absWorkingDir!, result);
}

/**
 * Bundles several handlers in one esbuild run (one process start, parallel inside esbuild).
 * Each output is the same bytes as `bundleHandlerSync` gives for that handler alone.
 */
export function bundleHandlersSync(names: readonly HandlerName[], options: BundleOptions = {}): Map<HandlerName, Uint8Array> {
  names.forEach(assertHandlerName);
  const { outfile: _single, ...shared } = handlerBuildOptions(names[0], options);
  const buildOptions = { ...shared, entryPoints: names.map((name) => ({ in: handlerEntryPoint(name), out: name })), outdir: 'out' };
  let result: BuildResult<typeof buildOptions>;
  try {
    result = buildSync(buildOptions);
  } catch (e) {
    throw bundleError(names, buildOptions.absWorkingDir!, e);
  } finally {
    releaseEsbuildService();
  }
  const root = buildOptions.absWorkingDir!;
  const bundles = new Map<HandlerName, Uint8Array>();
  for (const name of names) {
    const file = result.outputFiles.find((f) => f.path === resolve(root, 'out', `${name}.js`));
    bundles.set(name, checkedOutput(name, root, { ...result, outputFiles: file ? [file] : [] }));
  }
  return bundles;
}

/** Bundles one handler asynchronously (several run in parallel). */
export async function bundleHandler(name: HandlerName, options: BundleOptions = {}): Promise<Uint8Array> {
  assertHandlerName(name);
  const buildOptions = handlerBuildOptions(name, options);
  let result: BuildResult<typeof buildOptions>;
  try {
    result = await build(buildOptions);
  } catch (e) {
    throw bundleError([name], buildOptions.absWorkingDir!, e);
  }
  return checkedOutput(name, buildOptions.absWorkingDir!, result);
}

/** Bundles every handler and writes `<outDir>/<name>/index.js`. */
export async function bundleAllToDirectory(
  outDir: string,
  options: BundleOptions = {},
): Promise<Array<{ name: HandlerName; file: string; bytes: number }>> {
  let bundles: Array<{ name: HandlerName; code: Uint8Array }>;
  try {
    bundles = await Promise.all(HANDLER_NAMES.map(async (name) => ({ name, code: await bundleHandler(name, options) })));
  } finally {
    releaseEsbuildService();
  }
  const written: Array<{ name: HandlerName; file: string; bytes: number }> = [];
  for (const { name, code } of bundles) {
    const file = join(outDir, name, 'index.js');
    await mkdir(join(outDir, name), { recursive: true });
    await writeFile(file, code);
    written.push({ name, file, bytes: code.byteLength });
  }
  return written;
}

/**
 * Absolute paths of the build machine that must never reach an artifact: they make
 * the bytes depend on where the checkout lives and leak the user name.
 */
export function machinePaths(projectRoot: string = PROJECT_ROOT): string[] {
  const home = homedir();
  // With a trailing slash: a home such as "/root" is also a prefix of innocent strings ("/rootfs").
  return [projectRoot, ...(home && home !== '/' ? [`${home}/`] : [])];
}

function checkedOutput(name: HandlerName, projectRoot: string, result: BuildResult<{ write: false }>): Uint8Array {
  const file = result.outputFiles?.[0];
  if (!file) throw new Error(`Bundling handler "${name}" produced no output; check ${handlerEntryPoint(name)} exports a handler`);
  const text = file.text;
  const leaked = machinePaths(projectRoot).filter((p) => text.includes(p));
  if (leaked.length > 0) {
    throw new Error(
      `Bundle of handler "${name}" contains the build machine path(s) ${leaked.join(', ')}; ` +
        'remove __filename/__dirname/import.meta.url uses from the handler or its dependencies so the zip is reproducible',
    );
  }
  return file.contents;
}

/**
 * Synchronous esbuild calls share one long-lived esbuild process (tsx uses it too, to compile our
 * TypeScript). Bundling grows it to ~110 MB, and Go keeps that memory until the process ends, so it
 * would add to the synth's peak. Stopping the service ends that process; a later call (or tsx)
 * transparently starts a fresh, small one.
 */
function releaseEsbuildService(): void {
  void stopEsbuild();
}

function assertHandlerName(name: string): asserts name is HandlerName {
  if (!(HANDLER_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown handler "${name}"; use one of ${HANDLER_NAMES.join(', ')} (folders under handlers/)`);
  }
}

function bundleError(names: readonly HandlerName[], projectRoot: string, e: unknown): Error {
  const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
  const details = errors
    .slice(0, 5)
    .map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text))
    .join('; ');
  const what =
    names.length === 1
      ? `handler "${names[0]}" (${handlerEntryPoint(names[0])} under ${projectRoot})`
      : `handlers ${names.join(', ')} (under ${projectRoot})`;
  return new Error(`Bundling ${what} failed: ${details || String(e)}`, { cause: e });
}
