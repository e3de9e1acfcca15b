/**
 * `npm run deploy:prod` and `npm run diff:prod` run this first: it refuses, listing every reason,
 * unless prod has an account guard, Terraform is new enough for the backend, AWS credentials are
 * configured, and the state bucket is the team's own. It never calls AWS (no STS, no metadata
 * endpoint): it only reads the environment, the AWS shared config files and `terraform version`.
 * `npx cdktf synth` does not run it, so synthesis stays offline with the defaults.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_STATE_BUCKET, loadConfig } from '../config';
import type { Env } from '../config/variable-reader';
import { MIN_TERRAFORM_VERSION } from '../stacks/terraform-version';

/** What the preflight looks at; the CLI fills it from the process, tests give their own. */
export interface PreflightInputs {
  readonly env: Env;
  /** `terraform version -json`'s `terraform_version`, or the error running it. */
  readonly terraformVersion: { version: string } | { error: string };
  /** Reads a file, or returns undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
  /** Home directory (for `~/.aws/config` and `~/.aws/credentials`). */
  readonly homeDir: string;
}

/** Every reason to refuse a prod deploy or diff; empty when it may go ahead. */
export function prodPreflightProblems(inputs: PreflightInputs): string[] {
  const problems: string[] = [];
  try {
    const config = loadConfig('prod', inputs.env);
    if (config.allowedAccountIds.length === 0) {
      problems.push(
        'no prod account id is configured: without ORDERS_PROD_ACCOUNT_ID the AWS provider has no allowed_account_ids, ' +
          'so whatever credentials are active (dev ones, say) would build prod in their account. ' +
          'Set ORDERS_PROD_ACCOUNT_ID=<12-digit prod account id>.',
      );
    }
    if (config.state.bucket === DEFAULT_STATE_BUCKET) {
      problems.push(
        `the state bucket is still the shared default "${DEFAULT_STATE_BUCKET}": bucket names are global, so it is someone else's ` +
          'or nobody\'s. Set ORDERS_STATE_BUCKET (or ORDERS_PROD_STATE_BUCKET) to your own bucket and run "npm run bootstrap" first.',
      );
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  problems.push(...terraformVersionProblems(inputs.terraformVersion));
  problems.push(...awsCredentialProblems(inputs));
  return problems;
}

function terraformVersionProblems(result: PreflightInputs['terraformVersion']): string[] {
  if ('error' in result) {
    return [`Terraform could not be run (${result.error}); install Terraform ${MIN_TERRAFORM_VERSION} or later on PATH.`];
  }
  if (compareVersions(result.version, MIN_TERRAFORM_VERSION) < 0) {
    return [
      `Terraform is ${result.version}; the S3 backend's native locking (use_lockfile) needs ${MIN_TERRAFORM_VERSION} or later. Upgrade Terraform.`,
    ];
  }
  return [];
}

/** Compares dotted versions numerically; a pre-release (`1.10.0-rc1`) sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.trim().replace(/^v/, '').split('-', 2);
    const parts = core.split('.').map((p) => Number.parseInt(p, 10) || 0);
    return { parts: [0, 1, 2].map((i) => parts[i] ?? 0), pre: pre !== undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i] - y.parts[i];
  return Number(y.pre) - Number(x.pre);
}

/** Keys that make a shared-config profile a source of credentials (keys, roles, SSO, processes, console login). */
const CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'role_arn',
  'sso_session',
  'sso_start_url',
  'credential_process',
  'credential_source',
  'web_identity_token_file',
  'login_session',
];

function awsCredentialProblems({ env, readFile, homeDir }: PreflightInputs): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  if (set('AWS_ACCESS_KEY_ID') !== set('AWS_SECRET_ACCESS_KEY')) {
    return ['only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both, or neither and use a profile.'];
  }
  if (set('AWS_ACCESS_KEY_ID')) return [];
  if (set('AWS_WEB_IDENTITY_TOKEN_FILE') && set('AWS_ROLE_ARN')) return [];
  if (set('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') || set('AWS_CONTAINER_CREDENTIALS_FULL_URI')) return [];

  const configFile = env.AWS_CONFIG_FILE?.trim() || join(homeDir, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE?.trim() || join(homeDir, '.aws', 'credentials');
  const profiles = new Map<string, Record<string, string>>();
  for (const [section, keys] of parseIni(readFile(configFile) ?? '')) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (name) profiles.set(name, { ...profiles.get(name), ...keys });
  }
  for (const [section, keys] of parseIni(readFile(credentialsFile) ?? '')) profiles.set(section, { ...profiles.get(section), ...keys });

  const chosen = env.AWS_PROFILE?.trim() || env.AWS_DEFAULT_PROFILE?.trim();
  const profile = profiles.get(chosen || 'default');
  if (chosen && profile === undefined) {
    return [`AWS_PROFILE is "${chosen}", but neither ${configFile} nor ${credentialsFile} has that profile.`];
  }
  if (profile && CREDENTIAL_KEYS.some((key) => (profile[key] ?? '') !== '')) return [];
  return [
    `no AWS credentials are configured: checked AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, ` +
      `container credentials, and the ${chosen ? `"${chosen}"` : 'default'} profile in ${configFile} and ${credentialsFile} ` +
      `(keys, role_arn, sso_session, credential_process, credential_source). Run "aws sso login --profile <name>" and set AWS_PROFILE, or export keys.`,
  ];
}

/** The sections of an INI file (AWS shared config format), each with its `key = value` pairs. */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    // Indented lines continue a nested value (e.g. s3 = ...); only top-level keys matter here.
    if (pair && current && !/^\s/.test(raw)) current[pair[1].trim().toLowerCase()] = pair[2].trim();
  }
  return sections;
}

/** `terraform version -json`, with the binary cdktf itself uses (`TERRAFORM_BINARY_NAME`, else `terraform`). */
export function readTerraformVersion(env: Env): PreflightInputs['terraformVersion'] {
  const binary = env.TERRAFORM_BINARY_NAME?.trim() || 'terraform';
  try {
    const out = execFileSync(binary, ['version', '-json'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const version = (JSON.parse(out) as { terraform_version?: unknown }).terraform_version;
    return typeof version === 'string' ? { version } : { error: `"${binary} version -json" printed no terraform_version` };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { error: e.code === 'ENOENT' ? `"${binary}" is not on PATH` : `"${binary} version -json" failed: ${e.message.split('\n')[0]}` };
  }
}

export function main(args: readonly string[], env: Env = process.env): number {
  const action = args[0] === 'diff' ? 'diff' : 'deploy';
  const problems = prodPreflightProblems({
    env,
    terraformVersion: readTerraformVersion(env),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    homeDir: homedir(),
  });
  if (problems.length === 0) return 0;
  process.stderr.write(
    `Refusing to run "npm run ${action}:prod":\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      `Nothing was ${action === 'diff' ? 'planned' : 'deployed'}. (npx cdktf synth needs none of this.)\n`,
  );
  return 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
