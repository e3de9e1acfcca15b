/** Types of scripts/run-app.cjs (plain JavaScript: it runs before any TypeScript can be compiled). */
export declare function appPaths(root: string): { dir: string; app: string; manifest: string };
export declare function isAppCurrent(root: string): boolean;
export declare function ensureApp(root: string): { app: string; compiled: boolean };
export declare const CREATION_STACKS_VARIABLE: string;
export declare function skipCreationStacks(env?: Readonly<Record<string, string | undefined>>): boolean;
