/**
 * `npm run synth:hcl [-- OUTDIR]`: the app synthesized as HCL (`cdk.tf` per stack, what
 * `cdktf synth --hcl` writes), formatted with `terraform fmt` when a Terraform CLI is on PATH.
 * The app removes the `cdk.tf.json` a previous JSON synth left in the same folders, so that
 * `cdktf diff` / `cdktf deploy` (which synthesize JSON again) never see both.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { appNodeArgs, REPO_ROOT } from './app-command';
import { findTerraform } from './terraform/terraform-cli';

/** Runs the app with SYNTH_HCL_OUTPUT=true into `outdir`; returns false when the synth failed. */
export function synthesizeHcl(outdir: string, cwd = REPO_ROOT, stdio: 'inherit' | 'pipe' = 'inherit'): boolean {
  const synth = spawnSync(process.execPath, appNodeArgs(), {
    cwd,
    stdio,
    env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: 'true', CHECKPOINT_DISABLE: '1' },
  });
  return synth.status === 0;
}

export function main(argv: readonly string[], log: (l: string) => void = console.log): number {
  const outdir = resolve(argv[0] ?? join(REPO_ROOT, 'cdktf.out'));
  if (!synthesizeHcl(outdir)) {
    log('HCL synthesis failed (see above).');
    return 1;
  }
  const terraform = findTerraform();
  if (!terraform) {
    log(`HCL written under ${outdir}/stacks (not formatted: no terraform on PATH for \`terraform fmt\`).`);
    return 0;
  }
  const fmt = spawnSync(terraform, ['fmt', '-recursive', '-list=false', join(outdir, 'stacks')], { stdio: 'inherit' });
  if (fmt.status !== 0) {
    log('`terraform fmt` rejected the HCL (see above).');
    return 1;
  }
  log(`HCL written under ${outdir}/stacks and formatted with terraform fmt.`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
