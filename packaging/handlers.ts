/**
 * The Lambda handlers this project packages: one folder each under `handlers/`,
 * with `handlers/<name>/index.ts` exporting only `handler`.
 */
export const HANDLER_NAMES = ['api', 'order-processor', 'inventory-check', 'payment-process', 'merge-results', 's3-storage'] as const;

export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Narrows an arbitrary string to a `HandlerName`. */
export function isHandlerName(value: string): value is HandlerName {
  return (HANDLER_NAMES as readonly string[]).includes(value);
}
