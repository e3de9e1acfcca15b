/**
 * `npm run plan:offline [-- STACK...]`: a real `terraform plan` of each synthesized stack with the real
 * provider and no AWS account, written as JSON (`terraform show -json`) to
 * `cdktf.out/plans/<stack>.json` and as text to `cdktf.out/plans/<stack>.txt`.
 *
 * In a scratch copy of each stack: the backend is dropped (local state, nothing read), the provider
 * gets fake static keys and skip_credentials_validation / skip_requesting_account_id /
 * skip_metadata_api_check (and loses assume_role and allowed_account_ids, which need STS), and every
 * data source is replaced by the fixed values of scripts/terraform/offline-data-sources.ts. The
 * provider's Step Functions endpoint is a local stand-in that checks known definitions with
 * asl-validator (scripts/terraform/sfn-validation-stub.ts). The plan runs with -refresh=false: it is
 * the first plan of a fresh stack.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './app-command';
import { overrideDataSources } from './terraform/offline-data-sources';
import { startSfnValidationStub } from './terraform/sfn-validation-stub';
import {
  initsThenInParallel,
  type ProviderSource,
  prepareScratch,
  runTerraform,
  startTerraformRun,
  terraformEnv,
} from './terraform/terraform-cli';

/** Fake keys: the provider needs some, and with the skip_* flags it never sends them anywhere. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
  AWS_SECRET_ACCESS_KEY: 'offline-plan-fake-secret-key-not-used-anywhere',
  AWS_EC2_METADATA_DISABLED: 'true',
};

type Doc = Record<string, unknown> & {
  terraform?: Record<string, unknown>;
  provider?: { aws?: Array<Record<string, unknown>> };
};

/** The scratch copy's Terraform JSON for an offline plan (see the header). */
export function offlineStack(text: string, stepFunctionsEndpoint?: string): string {
  const doc = JSON.parse(text) as Doc;
  const providers = doc.provider?.aws ?? [];
  const region = String(providers[0]?.region ?? 'us-east-1');
  for (const p of providers) {
    delete p.assume_role;
    delete p.allowed_account_ids;
    Object.assign(p, { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true });
    if (stepFunctionsEndpoint) p.endpoints = [{ stepfunctions: stepFunctionsEndpoint }];
  }
  if (doc.terraform) delete doc.terraform.backend;
  return JSON.stringify(overrideDataSources(doc, { region }), null, 2);
}

export interface PlanResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly output: string;
  readonly initMs: number;
  readonly planMs: number;
}

interface PlanContext {
  readonly terraform: string;
  readonly env: NodeJS.ProcessEnv;
  readonly work: string;
  readonly source: ProviderSource;
  readonly outdir: string;
  readonly stepFunctionsEndpoint: string;
}

/** Copies a synthesized stack, made offline, into its scratch folder and runs `terraform init` there. */
async function initStack({ terraform, env, work, source, outdir, stepFunctionsEndpoint }: PlanContext, stack: string) {
  const scratch = join(work, stack);
  try {
    prepareScratch(join(outdir, 'stacks', stack), scratch, 'json', source, (text) => offlineStack(text, stepFunctionsEndpoint));
  } catch (error) {
    return { scratch, error: (error as Error).message };
  }
  return { scratch, init: await runTerraform(terraform, ['init', '-input=false', '-no-color'], scratch, env) };
}

async function planStack({ terraform, env, outdir }: PlanContext, stack: string, prepared: Awaited<ReturnType<typeof initStack>>) {
  const plans = join(outdir, 'plans');
  const fail = (output: string, initMs = 0, planMs = 0): PlanResult => ({ stack, ok: false, output, initMs, planMs });
  if ('error' in prepared) return fail(prepared.error ?? '');
  const { scratch, init } = prepared;
  if (init.status !== 0) return fail(`terraform init failed:\n${init.stderr}`, init.ms);
  const plan = await runTerraform(
    terraform,
    ['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false', '-out=tfplan'],
    scratch,
    env,
  );
  if (plan.status !== 0) return fail(`terraform plan failed:\n${plan.stderr}${plan.stdout.slice(-2000)}`, init.ms, plan.ms);
  const json = await runTerraform(terraform, ['show', '-json', 'tfplan'], scratch, env);
  const text = await runTerraform(terraform, ['show', '-no-color', 'tfplan'], scratch, env);
  if (json.status !== 0 || text.status !== 0) return fail(`terraform show failed:\n${json.stderr}${text.stderr}`, init.ms, plan.ms);
  writeFileSync(join(plans, `${stack}.json`), json.stdout);
  writeFileSync(join(plans, `${stack}.txt`), text.stdout);
  const summary = /Plan: .*/.exec(plan.stdout)?.[0] ?? 'No changes.';
  return { stack, ok: true, output: summary, initMs: init.ms, planMs: plan.ms };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function main(argv: readonly string[], log: (l: string) => void = console.log): Promise<number> {
  const run = startTerraformRun(REPO_ROOT, log, (all) => {
    const unknown = argv.filter((s) => !all.includes(s));
    if (unknown.length > 0 || all.length === 0)
      return `Unknown stack(s) ${unknown.join(', ') || '(none synthesized)'}; synthesized: ${all.join(', ') || 'none'}.`;
    return argv.length > 0 ? [...argv] : all;
  });
  if (run === 2) return 2;
  const { terraform, outdir, stacks, source } = run;
  mkdirSync(join(outdir, 'plans'), { recursive: true });
  for (const f of readdirSync(join(outdir, 'plans')).filter((f) => stacks.some((s) => f.startsWith(`${s}.`)))) {
    rmSync(join(outdir, 'plans', f));
  }
  const work = mkdtempSync(join(tmpdir(), 'orders-plan-'));
  const stub = await startSfnValidationStub();
  try {
    const env = { ...terraformEnv(work, source), ...FAKE_CREDENTIALS, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
    const ctx: PlanContext = { terraform, env, work, source, outdir, stepFunctionsEndpoint: stub.url };
    const jobs = stacks.map((stack) => ({
      init: () => initStack(ctx, stack),
      after: (prepared: Awaited<ReturnType<typeof initStack>>) => planStack(ctx, stack, prepared),
    }));
    const results = await initsThenInParallel(jobs, 2);
    for (const r of results) {
      log(`${r.ok ? 'PASS' : 'FAIL'} ${r.stack}: init ${seconds(r.initMs)}, plan ${seconds(r.planMs)}: ${r.output}`);
    }
    const failed = results.filter((r) => !r.ok).length;
    log(
      `terraform plan (offline): ${results.length - failed} of ${results.length} planned against hashicorp/aws ${source.version}; plans in ${join(outdir, 'plans')}`,
    );
    return failed > 0 ? 1 : 0;
  } finally {
    await stub.close();
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
