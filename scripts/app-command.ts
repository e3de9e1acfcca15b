/**
 * What `cdktf synth` runs: cdktf.json's `app` (e.g. `node --import tsx main.ts`). Tests, benchmarks
 * and the policy and schema commands run the app through this, so they run exactly what the CLI runs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

/** cdktf.json's `app` as Node arguments, without the leading `node`. */
export function appNodeArgs(cdktfJson: string = join(REPO_ROOT, 'cdktf.json')): string[] {
  const app: string = JSON.parse(readFileSync(cdktfJson, 'utf8')).app;
  const [command, ...args] = app.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`cdktf.json's app must start with "node" (run it with process.execPath), got "${app}"`);
  return args;
}
