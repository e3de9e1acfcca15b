/**
 * The order system's spec: every fact two layers must agree on, written once. It imports
 * nothing (no cdktf, constructs, stacks/ or local/), so the stacks, the handlers, the
 * workflow definition and the local runtime can all derive from it.
 */
export * from './arns';
export * from './functions';
export * from './limits';
export * from './routes';
export * from './storage-layout';
export * from './time-budgets';
