/**
 * `npm run validate [-- --json-only]`: the real Terraform CLI judges every synthesized stack. For each
 * stack's JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`, synthesized first when missing) and its HCL
 * (synthesized into a temp folder), a scratch copy gets `terraform init -backend=false` and
 * `terraform validate -json`; any error or warning fails, printed as file:line, resource address and message.
 * Provider: see scripts/terraform/terraform-cli.ts (registry, or the mirror in ORDERS_TF_PROVIDER_MIRROR).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './app-command';
import { synthesizeHcl } from './synth-hcl';
import {
  type Diagnostic,
  formatDiagnostic,
  initsThenInParallel,
  type ProviderSource,
  prepareScratch,
  runTerraform,
  SYNTH_FILE,
  type SynthFormat,
  stackDirs,
  startTerraformRun,
  terraformEnv,
} from './terraform/terraform-cli';

export interface StackResult {
  readonly stack: string;
  readonly format: SynthFormat;
  readonly ok: boolean;
  readonly lines: string[];
  readonly initMs: number;
  readonly validateMs: number;
}

/** The stack folders of a synth output that hold a file of `format`. */

/**
 * Lines for a `terraform validate -json` result; ok only without any diagnostic: the translation
 * table is the one accepted difference, so a warning (a deprecation, say) fails as an error does.
 */
export function judgeValidation(stdout: string): { ok: boolean; lines: string[] } {
  let report: { valid?: boolean; diagnostics?: Diagnostic[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    return { ok: false, lines: [`terraform validate printed no JSON: ${stdout.slice(0, 500)}`] };
  }
  const diagnostics = report.diagnostics ?? [];
  return { ok: report.valid === true && diagnostics.length === 0, lines: diagnostics.map(formatDiagnostic) };
}

/** Copies a synthesized stack into its scratch folder and runs `terraform init` there. */
async function initStack(
  terraform: string,
  env: NodeJS.ProcessEnv,
  work: string,
  source: ProviderSource,
  outdir: string,
  stack: string,
  format: SynthFormat,
) {
  const scratch = join(work, format, stack);
  prepareScratch(join(outdir, 'stacks', stack), scratch, format, source);
  return { scratch, init: await runTerraform(terraform, ['init', '-backend=false', '-input=false', '-no-color'], scratch, env) };
}

async function validateStack(
  terraform: string,
  env: NodeJS.ProcessEnv,
  stack: string,
  format: SynthFormat,
  { scratch, init }: Awaited<ReturnType<typeof initStack>>,
): Promise<StackResult> {
  if (init.status !== 0) {
    return { stack, format, ok: false, lines: [`terraform init failed:`, init.stderr.trim()], initMs: init.ms, validateMs: 0 };
  }
  const validate = await runTerraform(terraform, ['validate', '-json', '-no-color'], scratch, env);
  const judged = judgeValidation(validate.stdout);
  return { stack, format, ...judged, initMs: init.ms, validateMs: validate.ms };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function main(argv: readonly string[], log: (l: string) => void = console.log): Promise<number> {
  const run = startTerraformRun(REPO_ROOT, log, (synthesized, outdir) =>
    synthesized.length > 0 ? synthesized : `No cdk.tf.json under ${outdir}/stacks; run \`npx cdktf synth\` first.`,
  );
  if (run === 2) return 2;
  const { terraform, outdir, stacks: jsonStacks, source } = run;
  const work = mkdtempSync(join(tmpdir(), 'orders-validate-'));
  try {
    const env = terraformEnv(work, source);
    const hclOut = join(work, 'hcl-synth');
    const targets: Array<[string, string, SynthFormat]> = jsonStacks.map((s) => [outdir, s, 'json']);
    if (!argv.includes('--json-only')) {
      if (!synthesizeHcl(hclOut, REPO_ROOT, 'pipe')) {
        log('HCL synthesis failed; run `npm run synth:hcl` to see why.');
        return 1;
      }
      targets.push(...stackDirs(hclOut, 'hcl').map((s): [string, string, SynthFormat] => [hclOut, s, 'hcl']));
    }
    const jobs = targets.map(([dir, stack, format]) => ({
      init: () => initStack(terraform, env, work, source, dir, stack, format),
      after: (init: Awaited<ReturnType<typeof initStack>>) => validateStack(terraform, env, stack, format, init),
    }));
    const results = await initsThenInParallel(jobs, 2);
    for (const r of results) {
      log(`${r.ok ? 'PASS' : 'FAIL'} ${r.stack} (${r.format}): init ${seconds(r.initMs)}, validate ${seconds(r.validateMs)}`);
      for (const line of r.lines) log(`  ${r.stack}/${SYNTH_FILE[r.format]}: ${line}`);
    }
    const failed = results.filter((r) => !r.ok).length;
    log(
      `terraform validate: ${results.length - failed} of ${results.length} passed against hashicorp/aws ${source.version}${source.mirror ? ` (mirror ${source.mirror})` : ''}`,
    );
    return failed > 0 ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
