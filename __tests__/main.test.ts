import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appNodeArgs } from '../scripts/app-command';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);

/** Runs main.ts as `cdktf synth` does (cdktf.json's app), into a fresh output folder. */
async function runMain(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; outdir: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'orders-main-'));
  rmSync(outdir, { recursive: true });
  // Only the variables main needs: the developer's own ORDERS_* must not leak into the test.
  const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, appNodeArgs(), { cwd: ROOT, env: childEnv, timeout: 90_000 });
    return { code: 0, stdout, stderr, outdir };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', outdir };
  }
}

describe('main.ts', () => {
  it.each([
    [{ ORDERS_ENVIRONMENTS: 'staging' }, ['ORDERS_ENVIRONMENTS: unknown environment "staging"']],
    [
      { ORDERS_PROD_ACCOUNT_ID: '42', ORDERS_LOG_RETENTION_DAYS: '10' },
      [
        'ORDERS_LOG_RETENTION_DAYS (dev) is "10"',
        'ORDERS_PROD_ACCOUNT_ID (prod) is "42"; expected a 12-digit AWS account id',
        'ORDERS_LOG_RETENTION_DAYS (prod) is "10"',
      ],
    ],
  ])('GIVEN %j WHEN main runs THEN it exits 1 naming every problem, with no stack trace and no stack built', async (env, messages) => {
    // WHEN
    const result = await runMain(env);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid order-infra configuration:');
    for (const message of messages) expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(result.outdir)).toBe(false);
  });

  it('GIVEN the default configuration WHEN main runs THEN it writes all five stacks', async () => {
    // WHEN
    const result = await runMain({});
    try {
      // THEN
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(result.outdir, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks).sort()).toEqual([
        'orders-app-dev',
        'orders-app-prod',
        'orders-bootstrap',
        'orders-network-dev',
        'orders-network-prod',
      ]);
      for (const env of ['dev', 'prod']) {
        // The app stack reads the ops host id from the network stack's state (a cross-stack reference).
        const app = JSON.parse(readFileSync(join(result.outdir, manifest.stacks[`orders-app-${env}`].synthesizedStackPath), 'utf8'));
        expect(Object.values(app.data.terraform_remote_state)).toEqual([
          expect.objectContaining({
            backend: 's3',
            config: expect.objectContaining({ key: `order-infra/${env}/orders-network-${env}.tfstate` }),
          }),
        ]);
        expect(app.terraform.backend.s3.key).toBe(`order-infra/${env}/orders-app-${env}.tfstate`);
      }
    } finally {
      rmSync(result.outdir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Every .ts file under `dir` (relative to ROOT), recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('project layout and commands', () => {
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it.each([
    ['synth', /^cdktf synth$/],
    ['build', /^tsc --noEmit && tsx scripts\/build-handlers\.ts$/],
    ['test', /^tsc --noEmit && biome ci --error-on-warnings . && jest$/],
    ['test:coverage', /^tsc --noEmit && jest --coverage$/],
    ['deploy:dev', /^cdktf deploy orders-network-dev orders-app-dev$/],
    ['deploy:prod', /^tsx scripts\/prod-preflight\.ts deploy && cdktf deploy orders-network-prod orders-app-prod$/],
    ['destroy', /^cdktf destroy orders-app-dev orders-network-dev$/],
    ['diff:dev', /^cdktf diff orders-network-dev && cdktf diff orders-app-dev$/],
    ['diff:prod', /^tsx scripts\/prod-preflight\.ts diff && cdktf diff orders-network-prod && cdktf diff orders-app-prod$/],
    ['synth:hcl', /^tsx scripts\/synth-hcl\.ts$/],
    ['validate', /^tsx scripts\/validate\.ts$/],
    ['plan:offline', /^tsx scripts\/plan-offline\.ts$/],
  ])('package.json script %s runs %s', (name, command) => {
    expect(packageJson.scripts[name]).toMatch(command);
  });

  it("cdktf.json's app runs main.ts compiled ahead by scripts/run-app.cjs: one command, no TypeScript loader, no source maps", () => {
    expect(appNodeArgs()).toEqual(expect.arrayContaining(['scripts/run-app.cjs']));
    expect(appNodeArgs().join(' ')).not.toMatch(/--import|--require|-r |tsx|ts-node|tsc|source-maps/);
  });

  it("states the supported Node versions once: engines >=22, .nvmrc's 24 at least that, and the README says both", () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const nvmrc = Number(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim());
    expect(engines.node).toBe('>=22');
    expect(nvmrc).toBe(24);
    expect(nvmrc).toBeGreaterThanOrEqual(Number(/^>=(\d+)$/.exec(engines.node)?.[1]));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('Requirements: Node.js 22 or 24');
    expect(readme).toContain('`engines` says `>=22`');
  });

  it('the help file lists only npm scripts that exist', () => {
    const help = readFileSync(join(ROOT, 'help'), 'utf8');
    const listed = [...help.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(5);
    expect(listed.filter((name) => !(name in packageJson.scripts))).toEqual([]);
  });

  it('no module of the app imports the provider package root (2,200 modules, ~550 MB): only @cdktf/provider-aws/lib/<resource>', () => {
    const files = ['main.ts', ...['config', 'stacks', 'packaging', 'workflow'].flatMap(tsFiles)];
    expect(files.length).toBeGreaterThan(20);
    const rootImports = files.filter((f) =>
      /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-aws(?:\/lib)?(?:\/index(?:\.js)?)?['"]/.test(
        readFileSync(join(ROOT, f), 'utf8'),
      ),
    );
    expect(rootImports).toEqual([]);
    const perResource = files.filter((f) => /from '@cdktf\/provider-aws\/lib\/[\w-]+'/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(perResource).toEqual(expect.arrayContaining(['stacks/vpc-network.ts', 'stacks/aws-stack-defaults.ts']));
  });
});
