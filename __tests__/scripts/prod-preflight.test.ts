import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareVersions, type PreflightInputs, parseIni, prodPreflightProblems } from '../../scripts/prod-preflight';
import { MIN_TERRAFORM_VERSION } from '../../stacks/terraform-version';

const ROOT = resolve(__dirname, '..', '..');
const HOME = '/home/ops';
/** A prod configuration the preflight accepts: account guard, own bucket, keys in the environment. */
const READY = {
  ORDERS_PROD_ACCOUNT_ID: '222222222222',
  ORDERS_STATE_BUCKET: 'acme-orders-state',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

function problems(env: Record<string, string>, overrides: Partial<PreflightInputs> = {}, files: Record<string, string> = {}): string[] {
  return prodPreflightProblems({
    env,
    terraformVersion: { version: '1.11.4' },
    readFile: (path) => files[path],
    homeDir: HOME,
    ...overrides,
  });
}
const without = (name: keyof typeof READY) => Object.fromEntries(Object.entries(READY).filter(([k]) => k !== name));

describe('prodPreflightProblems', () => {
  it('GIVEN an account guard, an own bucket, Terraform 1.11 and credentials WHEN checked THEN nothing refuses', () => {
    expect(problems(READY)).toEqual([]);
  });

  describe('refusals, one reason each', () => {
    it('GIVEN no prod account id WHEN checked THEN it refuses, naming ORDERS_PROD_ACCOUNT_ID and why', () => {
      expect(problems(without('ORDERS_PROD_ACCOUNT_ID'))).toEqual([
        expect.stringMatching(
          /^no prod account id is configured: without ORDERS_PROD_ACCOUNT_ID the AWS provider has no allowed_account_ids/,
        ),
      ]);
    });

    it('GIVEN only a dev account id WHEN checked THEN prod is still unguarded and it refuses', () => {
      expect(problems({ ...without('ORDERS_PROD_ACCOUNT_ID'), ORDERS_DEV_ACCOUNT_ID: '111111111111' })).toHaveLength(1);
    });

    it('GIVEN ORDERS_ACCOUNT_ID for every environment WHEN checked THEN prod is guarded', () => {
      expect(problems({ ...without('ORDERS_PROD_ACCOUNT_ID'), ORDERS_ACCOUNT_ID: '222222222222' })).toEqual([]);
    });

    it('GIVEN the shared default state bucket WHEN checked THEN it refuses, naming the bucket variables', () => {
      expect(problems(without('ORDERS_STATE_BUCKET'))).toEqual([
        expect.stringMatching(/^the state bucket is still the shared default "order-infra-terraform-state".*ORDERS_STATE_BUCKET/),
      ]);
      expect(problems({ ...without('ORDERS_STATE_BUCKET'), ORDERS_PROD_STATE_BUCKET: 'acme-prod-state' })).toEqual([]);
    });

    it.each([
      ['1.9.8', true],
      ['1.10.0-rc1', true],
      ['1.10.0', false],
      ['1.11.4', false],
      ['2.0.0', false],
    ])('GIVEN Terraform %s WHEN checked THEN it refuses: %s', (version, refused) => {
      const found = problems(READY, { terraformVersion: { version } });
      expect(found).toEqual(
        refused
          ? [`Terraform is ${version}; the S3 backend's native locking (use_lockfile) needs 1.10.0 or later. Upgrade Terraform.`]
          : [],
      );
    });

    it('GIVEN no Terraform on PATH WHEN checked THEN it refuses, saying which version to install', () => {
      expect(problems(READY, { terraformVersion: { error: '"terraform" is not on PATH' } })).toEqual([
        'Terraform could not be run ("terraform" is not on PATH); install Terraform 1.10.0 or later on PATH.',
      ]);
    });

    it('GIVEN no credentials anywhere WHEN checked THEN it refuses, listing what it looked at', () => {
      const [problem, ...rest] = problems({ ORDERS_PROD_ACCOUNT_ID: '222222222222', ORDERS_STATE_BUCKET: 'acme-orders-state' });
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^no AWS credentials are configured: checked AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
      expect(problem).toContain(`${HOME}/.aws/config`);
      expect(problem).toContain(`${HOME}/.aws/credentials`);
    });

    it('GIVEN an access key id without its secret WHEN checked THEN it refuses', () => {
      expect(problems(without('AWS_SECRET_ACCESS_KEY'))).toEqual([
        'only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both, or neither and use a profile.',
      ]);
    });

    it('GIVEN AWS_PROFILE naming no profile WHEN checked THEN it refuses, naming the profile and the files', () => {
      const env = { ORDERS_PROD_ACCOUNT_ID: '222222222222', ORDERS_STATE_BUCKET: 'acme-orders-state', AWS_PROFILE: 'prod' };
      expect(problems(env, {}, { [`${HOME}/.aws/config`]: '[profile dev]\nsso_session = corp\n' })).toEqual([
        `AWS_PROFILE is "prod", but neither ${HOME}/.aws/config nor ${HOME}/.aws/credentials has that profile.`,
      ]);
    });

    it('GIVEN a configuration error WHEN checked THEN it refuses with the configuration problem', () => {
      expect(problems({ ...READY, ORDERS_PROD_ACCOUNT_ID: '42' })).toEqual([
        expect.stringContaining('ORDERS_PROD_ACCOUNT_ID (prod) is "42"; expected a 12-digit AWS account id'),
      ]);
    });

    it('GIVEN every problem at once WHEN checked THEN all of them are listed together', () => {
      expect(problems({}, { terraformVersion: { version: '1.5.7' } })).toHaveLength(4);
    });
  });

  describe('credentials found without calling AWS', () => {
    const base = { ORDERS_PROD_ACCOUNT_ID: '222222222222', ORDERS_STATE_BUCKET: 'acme-orders-state' };
    it.each<[string, Record<string, string>, Record<string, string>]>([
      [
        'GitHub OIDC (web identity token and role)',
        { AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/token', AWS_ROLE_ARN: 'arn:aws:iam::222222222222:role/deploy' },
        {},
      ],
      ['container credentials', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, {}],
      [
        'keys in the default profile of the credentials file',
        {},
        { [`${HOME}/.aws/credentials`]: '[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n' },
      ],
      [
        'an SSO profile chosen by AWS_PROFILE',
        { AWS_PROFILE: 'prod' },
        {
          [`${HOME}/.aws/config`]:
            '[profile prod]\nsso_session = corp\nsso_account_id = 222222222222\n[sso-session corp]\nsso_start_url = https://x\n',
        },
      ],
      [
        'a role profile in a config file named by AWS_CONFIG_FILE',
        { AWS_PROFILE: 'deploy', AWS_CONFIG_FILE: '/etc/aws.conf' },
        {
          '/etc/aws.conf': '[profile deploy]\nrole_arn = arn:aws:iam::222222222222:role/deploy\ncredential_source = Ec2InstanceMetadata\n',
        },
      ],
    ])('GIVEN %s WHEN checked THEN credentials count as present', (_name, env, files) => {
      expect(problems({ ...base, ...env }, {}, files)).toEqual([]);
    });

    it('GIVEN a default profile with only a region WHEN checked THEN that is no credential', () => {
      expect(problems(base, {}, { [`${HOME}/.aws/config`]: '[default]\nregion = eu-west-1\n' })).toEqual([
        expect.stringMatching(/^no AWS credentials are configured/),
      ]);
    });
  });
});

describe('compareVersions and parseIni', () => {
  it.each([
    ['1.10.0', '1.9.9', 1],
    ['1.9.9', '1.10.0', -1],
    ['1.10.0', '1.10.0', 0],
    ['v1.10.1', '1.10.0', 1],
    ['1.10.0-alpha', '1.10.0', -1],
  ])('compareVersions(%s, %s) has the sign of %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it('GIVEN sections, comments and a nested block WHEN parsed THEN only top-level keys of each section are kept', () => {
    const ini = parseIni('# c\n[profile a]\nregion = x\ns3 =\n  max_concurrent_requests = 5\n[default]\naws_access_key_id=K\n');
    expect(Object.fromEntries(ini)).toEqual({ 'profile a': { region: 'x', s3: '' }, default: { aws_access_key_id: 'K' } });
  });
});

describe('npm run deploy:prod / diff:prod', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it.each([
    ['deploy:prod', 'deploy'],
    ['diff:prod', 'diff'],
  ])('%s runs the preflight first and cdktf only if it passes', (script, action) => {
    expect(scripts[script]).toMatch(new RegExp(`^tsx scripts/prod-preflight\\.ts ${action} && cdktf ${action} orders-network-prod`));
  });

  it('the synth script has no preflight (it stays offline with the defaults)', () => {
    expect(scripts.synth).toBe('cdktf synth');
  });

  it('GIVEN the CLI with a Terraform 1.9 binary and no configuration WHEN run THEN it exits 1 listing the reasons on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prod-preflight-'));
    try {
      const terraform = join(dir, 'terraform');
      writeFileSync(terraform, '#!/bin/sh\necho \'{"terraform_version":"1.9.8"}\'\n');
      chmodSync(terraform, 0o755);
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, TERRAFORM_BINARY_NAME: terraform };
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/prod-preflight.ts', 'diff'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^Refusing to run "npm run diff:prod":\n/);
      for (const reason of ['no prod account id', 'shared default', 'Terraform is 1.9.8', 'no AWS credentials'])
        expect(run.stderr).toContain(reason);
      expect(run.stderr).toMatch(/Nothing was planned\./);
      expect(MIN_TERRAFORM_VERSION).toBe('1.10.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
