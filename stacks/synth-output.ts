/**
 * `cdktf synth` writes `cdk.tf.json` and `cdktf synth --hcl` writes `cdk.tf` into the same stack
 * folders without removing the other one. Terraform reads both, so a stale file of the other
 * format makes the next `terraform plan` (`cdktf diff`, `cdktf deploy`) fail with "Duplicate ..."
 * errors. After each synth the app removes the file of the format it did not write.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Removes `cdk.tf` after a JSON synth and `cdk.tf.json` after an HCL synth; returns the removed paths. */
export function removeStaleSynthFiles(outdir: string, hcl: boolean): string[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  const stale = hcl ? 'cdk.tf.json' : 'cdk.tf';
  const fresh = hcl ? 'cdk.tf' : 'cdk.tf.json';
  const removed: string[] = [];
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, stale);
    // Only where this synth wrote its own file: a folder of a stack no longer synthesized is left alone.
    if (existsSync(file) && existsSync(join(stacks, stack, fresh))) {
      rmSync(file);
      removed.push(file);
    }
  }
  return removed;
}
