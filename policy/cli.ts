/**
 * `npm run policy [-- DIR]`: the checkov-mapped policy suite over synthesized Terraform JSON, or over
 * any folder of Terraform (`*.tf.json` and HCL `*.tf`).
 * One line per rule (status, id, title, offending addresses), an indented line per failure
 * with its reason, a summary, and exit code 1 on any unwaived failure (2 on bad input).
 *
 *   --print-skip-checks [--stack NAME]  print the checkov --skip-check list (waivers for all
 *                                       resources, plus stack-scoped ones matching NAME)
 *   --print-soft-fail-checks            print waivers scoped to some resources (checkov --soft-fail-on)
 *   --print-checks                      print the suite's checkov ids (checkov --check, to compare verdicts)
 *   --waivers | --no-waivers            apply the project's waiver table or not (default: only to cdktf output)
 */
import { basename, join } from 'node:path';
import { DEFAULT_OUTDIR, findTerraformFiles, loadModelFromFiles, PolicyInputError, runPolicies, where, type RuleResult } from './engine';
import { describeScope, skipChecksForStack, softFailChecks, WAIVERS } from './waivers';

const WAIVER_FLAGS = ['--waivers', '--no-waivers'];
import { ALL_RULES, isOwnRule } from './rules';
import { synthesizeIfMissing } from './synthesize';

/** The printed lines of one rule: the rule line, then a line per failure and the waivers that applied. */
export function formatResult(r: RuleResult): string[] {
  const head = `${r.status.padEnd(6)} ${r.rule.id.padEnd(12)} ${r.rule.title}`;
  const reasons = [...new Set(r.waived.map((w) => `${describeScope(w.waiver.scope)}: ${w.waiver.reason}`))];
  const waivedLines =
    r.waived.length > 0
      ? [`         ↳ waived: ${r.waived.map((w) => where(w.finding)).join(', ')}`, ...reasons.map((x) => `           (${x})`)]
      : [];
  if (r.status === 'FAIL') {
    return [
      `${head} — ${r.failures.map((f) => where(f)).join(', ')}`,
      ...r.failures.map((f) => `         ↳ ${where(f)}: ${f.message ?? 'failed'}`),
      ...waivedLines,
    ];
  }
  if (r.status === 'WAIVED') {
    return [`${head} — ${r.waived.map((w) => where(w.finding)).join(', ')}`, ...reasons.map((x) => `         ↳ waived (${x})`)];
  }
  const unknown = r.unknown.length > 0 ? ` (${r.unknown.length} UNKNOWN, as checkov answers: ${r.unknown.map(where).join(', ')})` : '';
  return [`${head}${r.status === 'PASS' ? ` — ${r.evaluated} checked` : ' — no applicable resources'}${unknown}`];
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], log: (line: string) => void = console.log, cwd = process.cwd()): Promise<number> {
  if (argv.includes('--print-skip-checks')) {
    const i = argv.indexOf('--stack');
    log(skipChecksForStack(i >= 0 ? argv[i + 1] : undefined).join(','));
    return 0;
  }
  if (argv.includes('--print-soft-fail-checks')) {
    log(softFailChecks().join(','));
    return 0;
  }
  if (argv.includes('--print-checks')) {
    log(
      ALL_RULES.filter((r) => !isOwnRule(r))
        .map((r) => r.id)
        .join(','),
    );
    return 0;
  }
  const unknownFlag = argv.find((a) => a.startsWith('--') && !WAIVER_FLAGS.includes(a));
  if (unknownFlag) {
    log(
      `Unknown option ${unknownFlag}. Usage: npm run policy [-- DIR] [--waivers|--no-waivers] | --print-skip-checks [--stack NAME] | --print-soft-fail-checks | --print-checks`,
    );
    return 2;
  }
  const given = argv.find((a) => !a.startsWith('--'));
  const dir = given ?? join(cwd, DEFAULT_OUTDIR);
  if (given === undefined && !synthesizeIfMissing(dir, cwd, log)) {
    log('Synthesis failed. Fix the error above, run `npx cdktf synth`, then `npm run policy` again.');
    return 2;
  }
  let files: string[];
  try {
    files = findTerraformFiles(dir, { hcl: true });
  } catch (e) {
    if (e instanceof PolicyInputError) {
      log(`${e.message}. Usage: npm run policy [-- DIR] (DIR holds cdktf output, *.tf.json or *.tf files)`);
      return 2;
    }
    throw e;
  }
  if (files.length === 0) {
    log(`No *.tf.json or *.tf files under ${dir}. Run \`npx cdktf synth\` first, or pass a folder holding Terraform.`);
    return 2;
  }
  let results: RuleResult[];
  try {
    const model = await loadModelFromFiles(files, dir);
    // The waiver table is this project's: it applies to its cdktf output, not to someone else's Terraform.
    const cdktfOutput = files.every((f) => basename(f) === 'cdk.tf.json');
    const waive = argv.includes('--waivers') || (cdktfOutput && !argv.includes('--no-waivers'));
    log(
      `Policy suite: ${model.resources.length} resources in ${model.stacks.length} stack(s): ${model.stacks.join(', ')}${waive ? '' : ' (no waivers applied)'}`,
    );
    results = runPolicies(model, ALL_RULES, waive ? WAIVERS : []);
  } catch (e) {
    if (e instanceof PolicyInputError) {
      log(e.message);
      return 2;
    }
    throw e;
  }
  for (const r of results) formatResult(r).forEach((line) => log(line));
  const count = (s: string) => results.filter((r) => r.status === s).length;
  log(
    `${results.length} rules: ${count('PASS')} passed, ${count('FAIL')} failed, ${count('WAIVED')} waived, ${count('N/A')} not applicable`,
  );
  return count('FAIL') > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
