/**
 * The real Terraform CLI for `npm run validate` and `npm run plan:offline`: where it is, where the
 * hashicorp/aws provider comes from, scratch copies of the synthesized stacks, and commands run in them.
 *
 * Provider source: with `ORDERS_TF_PROVIDER_MIRROR` set (a filesystem mirror, e.g. /opt/tf-plugins),
 * a CLI configuration written to a temp dir installs hashicorp/aws from that folder only; without it,
 * `terraform init` uses the registry and the pinned version, unchanged (the GitHub workflows).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { synthesizeIfMissing } from '../app-command';
import { type ProviderTranslation, pinAwsProviderVersion, translate, translationsBetween } from './provider-translations';

export const MIRROR_VARIABLE = 'ORDERS_TF_PROVIDER_MIRROR';

export const NO_TERRAFORM =
  'No `terraform` on PATH. Install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install, ' +
  'or `apt-get install terraform` from apt.releases.hashicorp.com) and run this again.';

/** The terraform executable on PATH, or undefined. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Where hashicorp/aws comes from, which version is used, and what is rewritten for it. */
export interface ProviderSource {
  readonly mirror?: string;
  readonly pinned: string;
  readonly version: string;
  readonly translations: readonly ProviderTranslation[];
}

const major = (version: string) => Number(version.split('.')[0]);
const byVersion = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** Chooses the provider: the pinned version from the registry, or the mirror's (pinned if present, else its newest). */
export function providerSource(pinned: string, env: NodeJS.ProcessEnv = process.env): ProviderSource {
  const mirror = env[MIRROR_VARIABLE];
  if (!mirror) return { pinned, version: pinned, translations: [] };
  const dir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  const versions = existsSync(dir) ? readdirSync(dir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  if (versions.length === 0) throw new Error(`${MIRROR_VARIABLE}=${mirror} holds no hashicorp/aws provider (expected ${dir}/<version>/)`);
  const version = versions.includes(pinned) ? pinned : versions.sort(byVersion).at(-1)!;
  return { mirror, pinned, version, translations: translationsBetween(major(pinned), major(version)) };
}

/** The line printed first when validating against another provider version than the pinned one. */
export function providerNotice(source: ProviderSource): string | undefined {
  if (source.version === source.pinned) return undefined;
  const rules = source.translations.map((t) => `${t.from} -> ${t.to}`).join('; ');
  return `NOTE using hashicorp/aws ${source.version} from ${source.mirror}, not the pinned ${source.pinned} (the mirror lacks it); translated in the scratch copies: ${rules}`;
}

/**
 * A CLI configuration installing every registry.terraform.io provider from the mirror, with a plugin
 * cache so that the scratch copies share one provider installation. Returns the env for terraform.
 */
export function terraformEnv(workDir: string, source: ProviderSource, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const base = { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  if (!source.mirror) return base;
  const cache = join(workDir, 'plugin-cache');
  mkdirSync(cache, { recursive: true });
  const config = join(workDir, 'terraform.tfrc');
  writeFileSync(
    config,
    [
      `plugin_cache_dir = ${JSON.stringify(cache)}`,
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(source.mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }',
      '}',
      '',
    ].join('\n'),
  );
  return { ...base, TF_CLI_CONFIG_FILE: config };
}

/** The aws provider version a synthesized stack pins (its JSON `required_providers`). */
export function pinnedAwsVersion(stackJson: string): string {
  const doc = JSON.parse(stackJson) as { terraform?: { required_providers?: { aws?: { version?: string } } } };
  const version = doc.terraform?.required_providers?.aws?.version;
  if (!version) throw new Error('the stack pins no hashicorp/aws version (terraform.required_providers.aws.version)');
  return version;
}

export type SynthFormat = 'json' | 'hcl';
export const SYNTH_FILE: Record<SynthFormat, string> = { json: 'cdk.tf.json', hcl: 'cdk.tf' };

/**
 * Copies one synthesized stack folder to `scratch` (assets linked, not copied), pinned to the chosen
 * provider version and translated for it. `rewrite` may change the text further (the offline plan).
 */
export function prepareScratch(stackDir: string, scratch: string, format: SynthFormat, source: ProviderSource, rewrite = (t: string) => t) {
  mkdirSync(scratch, { recursive: true });
  const file = SYNTH_FILE[format];
  let text = readFileSync(join(stackDir, file), 'utf8');
  if (source.version !== source.pinned) text = pinAwsProviderVersion(text, format, source.version);
  text = translate(text, source.translations).text;
  writeFileSync(join(scratch, file), rewrite(text));
  if (existsSync(join(stackDir, 'assets'))) symlinkSync(join(stackDir, 'assets'), join(scratch, 'assets'));
  if (existsSync(join(stackDir, '.terraform.lock.hcl')))
    cpSync(join(stackDir, '.terraform.lock.hcl'), join(scratch, '.terraform.lock.hcl'));
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs terraform with `args` in `cwd`, capturing its output. */
export function runTerraform(terraform: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(terraform, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ status: 127, stdout: '', stderr: e.message, ms: Date.now() - started }));
    child.on('close', (code) =>
      resolve({
        status: code ?? 1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ms: Date.now() - started,
      }),
    );
  });
}

/** A stack's run in two steps: its `terraform init`, then what reads the providers it installed. */
export interface InitThenJob<I, R> {
  readonly init: () => Promise<I>;
  readonly after: (init: I) => Promise<R>;
}

/**
 * Runs every job's init, one at a time, and only then their second steps (validate, plan), at
 * most `limit` at a time. An init writes the shared plugin cache: parallel inits race to link the
 * same provider ("failed to create directory ... file exists"), and a validate that ran beside a
 * later init once found "no package ... cached in .terraform/providers". Inits take about a second;
 * the validations and plans still run in parallel.
 */
export async function initsThenInParallel<I, R>(jobs: ReadonlyArray<InitThenJob<I, R>>, limit: number): Promise<R[]> {
  const inits: I[] = [];
  for (const job of jobs) inits.push(await job.init());
  return inParallel(
    jobs.map((job, i) => () => job.after(inits[i])),
    limit,
  );
}

/** Runs `jobs` with at most `limit` at a time, keeping their order in the result. */
export async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** One diagnostic of `terraform validate -json` / `plan -json`. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { filename: string; start: { line: number } };
  readonly snippet?: { context?: string };
}

/** "file:line: address: summary: detail", one line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.range ? `${d.range.filename}:${d.range.start.line}` : '(no file)';
  const address = d.address ?? d.snippet?.context ?? '';
  const detail = (d.detail ?? '').replace(/\s+/g, ' ').trim();
  return [`${d.severity.toUpperCase()} ${where}`, address, d.summary, detail].filter(Boolean).join(': ');
}

/** Stacks under `<outdir>/stacks` that have a synthesized file of `format`, sorted. */
export function stackDirs(outdir: string, format: SynthFormat): string[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks)
    .filter((s) => existsSync(join(stacks, s, SYNTH_FILE[format])))
    .sort();
}

/** What `npm run validate` and `npm run plan:offline` start from. */
export interface TerraformRun {
  readonly terraform: string;
  /** `<root>/cdktf.out`, synthesized first if it held no stacks. */
  readonly outdir: string;
  /** The JSON-synthesized stacks the run covers. */
  readonly stacks: readonly string[];
  /** Where hashicorp/aws comes from (its notice already logged). */
  readonly source: ProviderSource;
}

/**
 * The start both scripts share: Terraform on PATH, a synthesized `cdktf.out`, the stacks
 * `select` picks from those synthesized (a string is the reason it picked none) and the provider
 * source. Returns exit code 2, after logging why, when one of them is missing.
 */
export function startTerraformRun(
  root: string,
  log: (line: string) => void,
  select: (synthesized: string[], outdir: string) => readonly string[] | string,
): TerraformRun | 2 {
  const terraform = findTerraform();
  if (!terraform) {
    log(NO_TERRAFORM);
    return 2;
  }
  const outdir = join(root, 'cdktf.out');
  if (!synthesizeIfMissing(outdir, root, log)) return 2;
  const stacks = select(stackDirs(outdir, 'json'), outdir);
  if (typeof stacks === 'string') {
    log(stacks);
    return 2;
  }
  const source = providerSource(pinnedAwsVersion(readFileSync(join(outdir, 'stacks', stacks[0], SYNTH_FILE.json), 'utf8')));
  const notice = providerNotice(source);
  if (notice) log(notice);
  return { terraform, outdir, stacks, source };
}
