/** Moved to packaging/app-command.ts (policy/ may not import scripts/); kept so scripts and benchmarks import it from here. */
export * from '../packaging/app-command';
