import type { Plugin } from 'esbuild';

export interface LeftOutFallback {
  /** File name of the module that imports the fallback. */
  readonly importer: string;
  /** The import path of the fallback in that module. */
  readonly path: string;
  /** The names it imports. */
  readonly exports: readonly string[];
}
export declare const LEFT_OUT_NAMESPACE: string;
export declare const FALLBACKS: readonly LeftOutFallback[];
export declare function standInModule(fallback: LeftOutFallback): string;
export declare function nodeOnlyPathsPlugin(): Plugin;
