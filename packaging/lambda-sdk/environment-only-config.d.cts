import type { Plugin } from 'esbuild';

export declare const SHARED_CONFIG_FILES: RegExp;
export declare const INSTANCE_METADATA_REGION: RegExp;
export declare function environmentOnlyConfigPlugin(): Plugin;
