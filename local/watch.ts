/**
 * `npm start -- --watch`: one esbuild context per handler, watching the handler's sources
 * (and everything it imports). When a rebuild succeeds, the new bundle is written beside the
 * others under a name derived from its bytes and swapped into the running function: new
 * invocations load it, invocations in flight finish on the old one, and no execution or data
 * is touched. A rebuild that fails keeps the previous bundle and prints esbuild's errors.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildResult, context, type Plugin } from 'esbuild';
import { handlerBuildOptions, handlerBuildPlugins } from '../packaging/bundle';
import type { HandlerName } from '../packaging/handlers';
import type { LocalLambdaFunction } from './lambda-host';

export interface HandlerWatcher {
  /** Stops watching (the running functions keep their current bundles). */
  close(): Promise<void>;
}

export interface WatchOptions {
  readonly functions: ReadonlyMap<HandlerName, LocalLambdaFunction>;
  /** Where rebuilt bundles go: `<dir>/<handler>-<hash>/index.js`. */
  readonly outDir: string;
  /** One line per rebuild (the CLI prints them). */
  readonly log: (line: string) => void;
  /** The checkout whose `handlers/` are watched. @default PROJECT_ROOT */
  readonly projectRoot?: string;
  /** Called after a function got its new bundle (tests wait on it). @default - nothing */
  readonly onSwap?: (handler: HandlerName, file: string) => void;
}

/** Starts watching every handler of `functions`. */
export async function watchHandlers(options: WatchOptions): Promise<HandlerWatcher> {
  const contexts = await Promise.all(
    [...options.functions.entries()].map(async ([handler, fn]) => {
      let first = true;
      const swap: Plugin = {
        name: 'swap-into-running-function',
        setup(build) {
          build.onEnd((result) => {
            // The first build is of the sources the runtime already loaded.
            if (first) {
              first = false;
              return;
            }
            return swapIn(handler, fn, result, options);
          });
        },
      };
      const ctx = await context({
        ...handlerBuildOptions(handler, { projectRoot: options.projectRoot }),
        plugins: [...handlerBuildPlugins(), swap],
      });
      await ctx.watch();
      return ctx;
    }),
  );
  return { close: async () => void (await Promise.allSettled(contexts.map((c) => c.dispose()))) };
}

async function swapIn(
  handler: HandlerName,
  fn: LocalLambdaFunction,
  result: BuildResult<{ write: false }>,
  options: WatchOptions,
): Promise<void> {
  const code = result.outputFiles?.[0]?.contents;
  if (result.errors.length > 0 || !code) {
    const first = result.errors[0];
    options.log(
      `watch: ${handler} did not build (${first ? `${first.location?.file ?? ''}:${first.location?.line ?? ''} ${first.text}` : 'no output'}); it keeps its previous bundle`,
    );
    return;
  }
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  const dir = join(options.outDir, `${handler}-${hash}`);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.js');
  await writeFile(file, code);
  await fn.swapBundle(file);
  options.log(`watch: rebuilt ${handler} (${(code.byteLength / 1024).toFixed(1)} KiB); new invocations use it`);
  options.onSwap?.(handler, file);
}
