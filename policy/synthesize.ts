/**
 * Synthesizes the app into `outdir` when `npm run policy` runs before any `cdktf synth`: it runs
 * cdktf.json's `app` (e.g. `node --import tsx main.ts`) with CDKTF_OUTDIR, which is what `cdktf synth`
 * runs. Kept here (not shared with scripts/) so the policy suite stays independent of the scripts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Makes sure `<outdir>/stacks` exists, synthesizing first when it does not; false when the synth failed. */
export function synthesizeIfMissing(outdir: string, cwd: string, log: (line: string) => void): boolean {
  if (existsSync(join(outdir, 'stacks'))) return true;
  const app: string = JSON.parse(readFileSync(join(cwd, 'cdktf.json'), 'utf8')).app;
  const [command, ...args] = app.trim().split(/\s+/);
  if (command !== 'node') {
    log(`cdktf.json's app must start with "node", got "${app}"; run \`npx cdktf synth\` first.`);
    return false;
  }
  log(
    `No synthesized Terraform in ${relative(cwd, outdir) || '.'}/stacks; synthesizing first (node ${args.join(' ')}, as \`npx cdktf synth\` does)...`,
  );
  const synth = spawnSync(process.execPath, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
  });
  return synth.status === 0;
}
