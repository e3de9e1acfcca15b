/**
 * `cdktf synth` writes `cdk.tf.json` and `cdktf synth --hcl` writes `cdk.tf` into the same stack
 * folders without removing the other one. Terraform reads both, so a stale file of the other
 * format makes the next `terraform plan` (`cdktf diff`, `cdktf deploy`) fail with "Duplicate ..."
 * errors. After each synth the app removes the file of the format it did not write.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * cdktf 0.21's HCL writer renders the extra settings of the `terraform {}` block by key only
 * (`0 = "required_version"`, invalid HCL). Writes them back as `name = "value"`; a setting not
 * in `settings` fails the synth, naming it.
 */
export function restoreHclTerraformSettings(outdir: string, settings: Readonly<Record<string, string>>): number {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return 0;
  let fixed = 0;
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, 'cdk.tf');
    if (!existsSync(file)) continue;
    const hcl = readFileSync(file, 'utf8');
    const out = hcl.replace(/^(\s*)\d+ = "([a-z_]+)"$/gm, (_line, indent: string, name: string) => {
      if (!(name in settings)) throw new Error(`${file}: the terraform block setting "${name}" lost its value in cdktf's HCL writer`);
      fixed++;
      return `${indent}${name} = ${JSON.stringify(settings[name])}`;
    });
    if (out !== hcl) writeFileSync(file, out);
  }
  return fixed;
}

/**
 * cdktf's HCL writer prints a lifecycle `precondition`/`postcondition` list as an argument
 * (`postcondition = [{ condition = ..., error_message = ... }, ]`), which Terraform rejects: each
 * must be a block. Rewrites every such list in `hcl` into one block per entry.
 */
export function lifecycleConditionsAsBlocks(hcl: string): string {
  return hcl.replace(
    /^([ \t]*)(precondition|postcondition) = \[\n((?:.*\n)*?)[ \t]*\]\n/gm,
    (_all, indent: string, kind: string, body: string) => {
      const entries = [...body.matchAll(/^[ \t]*\{\n((?:.*\n)*?)[ \t]*\},?\n/gm)].map((m) => m[1] ?? '');
      if (entries.length === 0) throw new Error(`a lifecycle ${kind} list the HCL rewrite does not understand:\n${body}`);
      return entries
        .map((entry) => {
          const lines = entry
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => `${indent}  ${l.trim()}`);
          return `${indent}${kind} {\n${lines.join('\n')}\n${indent}}\n`;
        })
        .join('');
    },
  );
}

/** Applies lifecycleConditionsAsBlocks to every stack's `cdk.tf`; returns how many files changed. */
export function rewriteHclLifecycleConditions(outdir: string): number {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return 0;
  let changed = 0;
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, 'cdk.tf');
    if (!existsSync(file)) continue;
    const hcl = readFileSync(file, 'utf8');
    const out = lifecycleConditionsAsBlocks(hcl);
    if (out !== hcl) {
      writeFileSync(file, out);
      changed++;
    }
  }
  return changed;
}

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
