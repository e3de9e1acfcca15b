import type { Plugin } from 'esbuild';

export declare function handlerBuildPlugins(): Plugin[];
