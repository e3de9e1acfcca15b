import type { Plugin } from 'esbuild';

export declare const SCHEMA_MODULE: RegExp;
export declare const RUNTIME_CONFIG_MODULE: RegExp;
export declare function literalSchemaKeys(source: string): string;
export declare function unregisteredModeledErrors(source: string): string;
export declare function versionOnlyPackageImport(source: string): string;
export declare function sdkTreeShakingPlugin(): Plugin;
