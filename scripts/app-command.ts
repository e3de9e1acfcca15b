/**
 * What `cdktf synth` runs: cdktf.json's `app` (`node scripts/run-app.cjs`, which compiles main.ts ahead). Tests, benchmarks
 * and the policy and schema commands run the app through this, so they run exactly what the CLI runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

/** cdktf.json's `app` as Node arguments, without the leading `node`. */
export function appNodeArgs(cdktfJson: string = join(REPO_ROOT, 'cdktf.json')): string[] {
  const app: string = JSON.parse(readFileSync(cdktfJson, 'utf8')).app;
  const [command, ...args] = app.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`cdktf.json's app must start with "node" (run it with process.execPath), got "${app}"`);
  return args;
}

/**
 * Makes sure `<outdir>/stacks` exists, synthesizing the app into `outdir` first when it does not
 * (what the policy and schema commands do when run before any `cdktf synth`). Returns false when
 * the synth failed; its output went to the terminal.
 */
export function synthesizeIfMissing(outdir: string, cwd: string, log: (line: string) => void): boolean {
  if (existsSync(join(outdir, 'stacks'))) return true;
  log(
    `No synthesized Terraform in ${relative(cwd, outdir) || '.'}/stacks; synthesizing first (node ${appNodeArgs().join(' ')}, as \`npx cdktf synth\` does)...`,
  );
  const synth = spawnSync(process.execPath, appNodeArgs(), {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
  });
  return synth.status === 0;
}
