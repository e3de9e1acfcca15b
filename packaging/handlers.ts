/**
 * The Lambda handlers this project packages: one folder each under `handlers/`,
 * with `handlers/<name>/index.ts` exporting only `handler` (the list is the spec's function table).
 */
export { HANDLER_NAMES, type HandlerName, isHandlerName } from '../spec/functions';
