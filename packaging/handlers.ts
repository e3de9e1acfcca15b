/**
 * The Lambda handlers this project packages: one folder each under `handlers/`,
 * with `handlers/<name>/index.ts` exporting only `handler` (the list is the spec's function table).
 */
import type { HandlerName } from '../spec/functions';

export { HANDLER_NAMES, type HandlerName, isHandlerName } from '../spec/functions';

/** The handlers that call AWS (and so bundle the AWS SDK): api and s3-storage. */
export const SDK_HANDLERS = ['api', 's3-storage'] as const satisfies readonly HandlerName[];

/**
 * Size budget of each minified `index.js`, KiB: a bundle's size is what V8 compiles on every cold
 * start (about 0.07 ms per KiB on our machines). `npm run bench:bundles` reports against it and a
 * test holds it.
 */
export const BUNDLE_BUDGET_KIB = { sdk: 300, other: 50 } as const;

export function bundleBudgetKiB(handler: HandlerName): number {
  return (SDK_HANDLERS as readonly HandlerName[]).includes(handler) ? BUNDLE_BUDGET_KIB.sdk : BUNDLE_BUDGET_KIB.other;
}
