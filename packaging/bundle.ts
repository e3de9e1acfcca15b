/**
 * esbuild bundling of `handlers/<name>/index.ts` into one minified, tree-shaken
 * CommonJS file for the Lambda Node.js 24 runtime, with every dependency inside
 * (the function needs no layer and no node_modules).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, stop as stopEsbuild, type BuildOptions, type BuildResult } from 'esbuild';
import { HANDLER_NAMES, type HandlerName } from './handlers';
import { LEFT_OUT_NAMESPACE } from './lambda-sdk/node-only-paths.cjs';
import { handlerBuildPlugins } from './lambda-sdk/plugins.cjs';

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

/**
 * Modules swapped out of every bundle (paths relative to the project root). Lambda gives a
 * function its credentials in the environment, so the clients use `fromEnv()` and the default
 * chain (STS, SSO, INI files, IMDS) is dead weight; no handler calls an event-stream operation.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './packaging/lambda-sdk/no-default-credential-chain.ts',
  '@smithy/core/event-streams': './packaging/lambda-sdk/no-event-streams.ts',
};

/** The plugins every handler build adds to `handlerBuildOptions` (functions, so not in the options' JSON). */
export { handlerBuildPlugins };

/** The esbuild worker that runs synchronous builds (plugins need esbuild's asynchronous API). */
const ESBUILD_WORKER = join(PROJECT_ROOT, 'packaging', 'esbuild-worker.cjs');

/** A handler's bundle and the files that went into it (paths relative to the project root). */
export interface HandlerBundle {
  readonly code: Uint8Array;
  /** Every input file of the bundle, as esbuild's metafile lists it. */
  readonly inputs: readonly string[];
}

/** The esbuild options every handler is built with (one place, shared by sync and async builds). */
export function handlerBuildOptions(name: HandlerName, options: BundleOptions = {}): BuildOptions & { write: false; metafile: true } {
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
    alias: { ...BUNDLE_ALIASES },
    // The metafile lists the inputs the artifact cache is keyed on; no log output in the synth.
    metafile: true,
    logLevel: 'silent',
    write: false,
  };
}

/** Bundles one handler synchronously; returns the bytes of its `index.js`. */
export function bundleHandlerSync(name: HandlerName, options: BundleOptions = {}): Uint8Array {
  assertHandlerName(name);
  const buildOptions = handlerBuildOptions(name, options);
  return checkedOutput(name, buildOptions.absWorkingDir!, runWorker([name], buildOptions));
}

/**
 * Bundles several handlers in one esbuild run (one process start, parallel inside esbuild).
 * Each output is the same bytes as `bundleHandlerSync` gives for that handler alone.
 */
export function bundleHandlersSync(names: readonly HandlerName[], options: BundleOptions = {}): Map<HandlerName, Uint8Array> {
  return new Map([...bundleHandlersWithInputsSync(names, options)].map(([name, b]) => [name, b.code]));
}

/** `bundleHandlersSync`, with each bundle's input files (for the artifact cache). */
export function bundleHandlersWithInputsSync(names: readonly HandlerName[], options: BundleOptions = {}): Map<HandlerName, HandlerBundle> {
  names.forEach(assertHandlerName);
  const { outfile: _single, ...shared } = handlerBuildOptions(names[0], options);
  const buildOptions = { ...shared, entryPoints: names.map((name) => ({ in: handlerEntryPoint(name), out: name })), outdir: 'out' };
  const root = buildOptions.absWorkingDir!;
  const result = runWorker(names, buildOptions);
  const bundles = new Map<HandlerName, HandlerBundle>();
  for (const name of names) {
    const file = result.outputFiles.find((f) => f.path === resolve(root, 'out', `${name}.js`));
    const code = checkedOutput(name, root, { ...result, outputFiles: file ? [file] : [] });
    const inputs = Object.keys(result.metafile.outputs[`out/${name}.js`]?.inputs ?? {}).filter((input) => !isPackagingModule(input));
    bundles.set(name, { code, inputs: inputs.sort() });
  }
  return bundles;
}

/**
 * Modules the packaging plugins generate (`lambda-sdk-left-out:...`): not files, and made only from
 * the packaging code, which the artifact cache key already covers.
 */
function isPackagingModule(input: string): boolean {
  return input.startsWith(`${LEFT_OUT_NAMESPACE}:`);
}

/** The metafile part the worker returns: each output's input files. */
interface WorkerMetafile {
  readonly outputs: Readonly<Record<string, { readonly inputs: Readonly<Record<string, unknown>> }>>;
}

interface WorkerResult {
  readonly outputFiles: readonly OutputLike[];
  readonly metafile: WorkerMetafile;
}

/** Runs one build in the esbuild worker process and waits for it. */
function runWorker(names: readonly HandlerName[], buildOptions: BuildOptions): WorkerResult {
  const root = buildOptions.absWorkingDir!;
  let reply: {
    outputFiles?: Array<{ path: string; contents: string }>;
    metafile?: WorkerMetafile;
    errors?: Array<{ text: string; location?: { file: string; line: number } | null }>;
  };
  try {
    const stdout = execFileSync(process.execPath, [ESBUILD_WORKER], {
      input: JSON.stringify(buildOptions),
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    reply = JSON.parse(stdout.toString('utf8'));
  } catch (e) {
    throw bundleError(names, root, e);
  }
  if (reply.errors) throw bundleError(names, root, { errors: reply.errors });
  const outputFiles = (reply.outputFiles ?? []).map((f) => {
    const contents = new Uint8Array(Buffer.from(f.contents, 'base64'));
    return { path: f.path, contents, text: Buffer.from(contents).toString('utf8') };
  });
  return { outputFiles, metafile: reply.metafile! };
}

/** Bundles one handler asynchronously (several run in parallel). */
export async function bundleHandler(name: HandlerName, options: BundleOptions = {}): Promise<Uint8Array> {
  assertHandlerName(name);
  const buildOptions = handlerBuildOptions(name, options);
  let result: BuildResult<typeof buildOptions>;
  try {
    result = await build({ ...buildOptions, plugins: handlerBuildPlugins() });
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

/** The part of an output file the checks read (esbuild's own, or one from the worker). */
interface OutputLike {
  readonly path: string;
  readonly contents: Uint8Array;
  readonly text: string;
}

function checkedOutput(name: HandlerName, projectRoot: string, result: { readonly outputFiles?: readonly OutputLike[] }): Uint8Array {
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
 * Asynchronous esbuild calls share one long-lived esbuild process. Bundling grows it to ~110 MB,
 * and Go keeps that memory until the process ends. Stopping the service ends that process; a
 * later call transparently starts a fresh, small one. (Synchronous builds run in a worker
 * process that exits with its esbuild.)
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
