import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> }
interface Job { needs?: string | string[]; permissions?: Record<string, string>; environment?: string; strategy?: { matrix: Record<string, unknown> }; steps: Step[]; if?: string }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

function load(name: string): { text: string; wf: Workflow } {
  const text = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
  return { text, wf: parse(text) as Workflow };
}

const runText = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
const uses = (job: Job) => job.steps.map((s) => s.uses?.split('@')[0]).filter(Boolean);

describe.each(['plan.yml', 'apply.yml'])('%s', (name) => {
  const { wf } = load(name);

  it('parses as YAML with jobs that all have steps', () => {
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values(wf.jobs)) expect(job.steps.length).toBeGreaterThan(0);
  });

  it('only runs npm scripts that exist in package.json', () => {
    // `npm test` is npm's shorthand for `npm run test`; both must name a script of package.json.
    const used = [...runText(wf).matchAll(/npm (?:run (?:--silent )?([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2]);
    expect(used).toContain('test');
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it('references only repository files that exist', () => {
    const files = [...runText(wf).matchAll(/(?:^|\s)((?:policy|scripts|bench|local|stacks)\/[\w./-]+\.ts)/g)].map((m) => m[1]);
    expect(files.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it('pins every action to a major version', () => {
    const all = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
    expect(all.filter((u) => !/@v\d+$/.test(u))).toEqual([]);
  });

  it('jobs needing AWS credentials get them from OIDC (id-token: write) and a repository variable', () => {
    for (const job of Object.values(wf.jobs).filter((j) => uses(j).includes('aws-actions/configure-aws-credentials'))) {
      expect(job.permissions?.['id-token']).toBe('write');
      const creds = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
      expect(String(creds.with?.['role-to-assume'])).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
    }
  });
});

describe('plan.yml', () => {
  const { wf } = load('plan.yml');

  it('runs on pull requests with read-only default permissions', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('installs with npm ci on Node 20 with the npm cache, tests, then synthesizes', () => {
    const job = wf.jobs['test-and-synth'];
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))!;
    expect(node.with).toEqual({ 'node-version': 20, cache: 'npm' });
    const runs = job.steps.map((s) => s.run ?? '');
    const order = ['npm ci', 'npm test', 'npm run synth'].map((cmd) => runs.findIndex((r) => r.startsWith(cmd)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('plans each dev stack with terraform init and plan -no-color -out, using the plan role', () => {
    const job = wf.jobs.plan;
    expect(job.strategy?.matrix.stack).toEqual(['orders-network-dev', 'orders-app-dev']);
    expect(job.permissions).toMatchObject({ 'id-token': 'write', 'pull-requests': 'write' });
    expect(uses(job)).toEqual(expect.arrayContaining(['hashicorp/setup-terraform', 'aws-actions/configure-aws-credentials', 'actions/github-script']));
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/terraform init/);
    expect(runs).toMatch(/terraform plan [^\n]*-no-color[^\n]*-out=/);
    expect(String(job.steps.find((s) => s.uses?.startsWith('aws-actions'))!.with!['role-to-assume'])).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
  });

  it('summarizes adds/changes/destroys and updates one comment per stack found by a hidden marker', () => {
    const steps = wf.jobs.plan.steps;
    expect(steps.map((s) => s.run ?? '').join('\n')).toMatch(/to add.*to change.*to destroy/);
    const script = String(steps.find((s) => s.uses?.startsWith('actions/github-script'))!.with!.script);
    expect(script).toContain('<!-- order-infra-plan:${stack} -->');
    expect(script).toMatch(/updateComment/);
    expect(script).toMatch(/createComment/);
    expect(script).toMatch(/<details>/);
    expect(script).toMatch(/limit = 60000/);
  });

  it('runs checkov over the synthesized stacks with skip-checks generated from policy/waivers.ts', () => {
    const run = wf.jobs.checkov.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toMatch(/pip install 'checkov/);
    expect(run).toMatch(/policy\/cli\.ts --print-skip-checks --stack/);
    expect(run).toMatch(/checkov --directory [^\n]*--framework terraform_json[^\n]*\n?.*--skip-check "\$skip" --soft-fail-on "\$soft"/);
  });

  it('asks policy/cli.ts only for options it implements', () => {
    const cli = readFileSync(join(ROOT, 'policy', 'cli.ts'), 'utf8');
    const options = [...new Set([...runText(wf).matchAll(/policy\/cli\.ts((?: --[\w-]+(?: "[^"]*")?)+)/g)].flatMap((m) => m[1].match(/--[\w-]+/g) ?? []))];
    expect(options.sort()).toEqual(['--print-skip-checks', '--print-soft-fail-checks', '--stack']);
    expect(options.filter((o) => !cli.includes(`'${o}'`))).toEqual([]);
  });
});

/** The `node -e '...'` program of plan.yml's "Summarize the plan" step. */
function summaryProgram(wf: Workflow): string {
  const run = wf.jobs.plan.steps.find((s) => s.name === 'Summarize the plan')?.run ?? '';
  const program = /node -e '([\s\S]*?)'/.exec(run)?.[1];
  if (!program) throw new Error('plan.yml: no node -e program in "Summarize the plan"');
  return program;
}

describe('plan.yml plan summary (run against a terraform show -json fixture)', () => {
  const { wf } = load('plan.yml');

  it.each<[string, string[][], string]>([
    ['adds, an update, a delete and a replacement', [['create'], ['create'], ['update'], ['delete'], ['delete', 'create'], ['no-op'], ['read']], '**3 to add, 1 to change, 2 to destroy** (1 replaced)'],
    ['no changes', [['no-op'], ['no-op']], '**0 to add, 0 to change, 0 to destroy** (0 replaced)'],
  ])('GIVEN %s WHEN summarized THEN it prints the counts as terraform plan does', (_label, actions, expected) => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'orders-plan-summary-'));
    try {
      writeFileSync(join(dir, 'plan.json'), JSON.stringify({ resource_changes: actions.map((a, i) => ({ address: `r.${i}`, change: { actions: a } })) }));
      // WHEN
      const out = execFileSync(process.execPath, ['-e', summaryProgram(wf)], { cwd: dir }).toString();
      // THEN
      expect(out).toBe(`text=${expected}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Comment { id: number; body: string }

/** Runs the github-script of plan.yml as actions/github-script does (an async body), against a fake PR. */
async function postPlanComment(existing: Comment[], planText: string | undefined, stack = 'orders-app-dev') {
  const { wf } = load('plan.yml');
  const step = wf.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/github-script'))!;
  const calls = { created: [] as Array<{ issue_number: number; body: string }>, updated: [] as Array<{ comment_id: number; body: string }> };
  const listComments = Symbol('listComments');
  const github = {
    paginate: async (method: unknown, args: { issue_number: number }) => {
      expect(method).toBe(listComments);
      expect(args.issue_number).toBe(42);
      return existing;
    },
    rest: {
      issues: {
        listComments,
        createComment: async (args: { issue_number: number; body: string }) => void calls.created.push(args),
        updateComment: async (args: { comment_id: number; body: string }) => void calls.updated.push(args),
      },
    },
  };
  const context = {
    serverUrl: 'https://github.com', runId: 7, repo: { owner: 'acme', repo: 'order-infra' }, issue: { number: 42 },
    payload: { pull_request: { head: { sha: 'abcdef0123456789' } } },
  };
  const planFile = `cdktf.out/stacks/${stack}/plan.txt`;
  const fakeFs = {
    existsSync: (f: string) => f === planFile && planText !== undefined,
    readFileSync: (f: string) => { if (f !== planFile || planText === undefined) throw new Error(`unexpected read of ${f}`); return planText; },
  };
  const fakeRequire = (id: string) => { if (id !== 'fs') throw new Error(`unexpected require(${id})`); return fakeFs; };
  const fakeProcess = { env: { ...step.env, STACK: stack, SUMMARY: '**1 to add, 0 to change, 0 to destroy** (0 replaced)' } };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'github', 'context', 'process', String(step.with!.script))(fakeRequire, github, context, fakeProcess);
  return calls;
}

describe('plan.yml plan comment (the github-script run against a fake pull request)', () => {
  it('GIVEN no earlier comment for the stack WHEN the plan is posted THEN one comment is created with marker, summary and the plan folded', async () => {
    // WHEN
    const calls = await postPlanComment([{ id: 1, body: 'LGTM' }], 'Plan: 1 to add, 0 to change, 0 to destroy.');
    // THEN
    expect(calls.updated).toEqual([]);
    expect(calls.created).toHaveLength(1);
    const { body, issue_number } = calls.created[0];
    expect(issue_number).toBe(42);
    expect(body.startsWith('<!-- order-infra-plan:orders-app-dev -->\n')).toBe(true);
    expect(body).toContain('**1 to add, 0 to change, 0 to destroy**');
    expect(body).toMatch(/<details><summary>[^<]+<\/summary>\n\n```\nPlan: 1 to add, 0 to change, 0 to destroy\.\n```\n<\/details>/);
    expect(body).toContain('abcdef0');
  });

  it('GIVEN earlier comments for this and another stack WHEN the plan is posted again THEN only this stack\'s comment is updated, none created', async () => {
    // WHEN
    const calls = await postPlanComment([
      { id: 5, body: '<!-- order-infra-plan:orders-network-dev -->\nold network plan' },
      { id: 9, body: '<!-- order-infra-plan:orders-app-dev -->\nold app plan' },
    ], 'No changes.');
    // THEN
    expect(calls.created).toEqual([]);
    expect(calls.updated).toEqual([{ owner: 'acme', repo: 'order-infra', comment_id: 9, body: expect.stringContaining('No changes.') }]);
  });

  it('GIVEN a plan longer than a comment may be WHEN posted THEN it is truncated below GitHub\'s 65,536-character limit', async () => {
    const calls = await postPlanComment([], 'x'.repeat(200_000));
    expect(calls.created[0].body.length).toBeLessThan(65_536);
    expect(calls.created[0].body).toContain('truncated; the full plan is in the workflow log');
  });

  it('GIVEN a failed plan with no output file WHEN posted THEN the comment still appears, saying so', async () => {
    const calls = await postPlanComment([], undefined);
    expect(calls.created[0].body).toContain('(no plan output)');
  });
});

describe('apply.yml', () => {
  const { wf } = load('apply.yml');

  it('applies dev on push to main and offers a manual run', () => {
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.on).toHaveProperty('workflow_dispatch');
    const dev = wf.jobs['apply-dev'];
    expect(dev.environment).toBe('dev');
    expect(dev.steps.map((s) => s.run ?? '').join('\n')).toMatch(/for stack in orders-network-dev orders-app-dev[\s\S]*terraform[^\n]*apply[^\n]*-auto-approve/);
  });

  it('applies prod only through the prod environment (required reviewers), after dev', () => {
    const prod = wf.jobs['apply-prod'];
    expect(prod.environment).toBe('prod');
    expect(prod.needs).toBe('apply-dev');
    expect(prod.steps.map((s) => s.run ?? '').join('\n')).toMatch(/for stack in orders-network-prod orders-app-prod/);
  });

  it('applies a prod stack in no other job, so nothing reaches prod without the approval', () => {
    const others = Object.entries(wf.jobs).filter(([name]) => name !== 'apply-prod');
    expect(others.length).toBeGreaterThan(0);
    for (const [, job] of others) expect(job.steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/prod/);
    expect(load('plan.yml').text).not.toMatch(/terraform[^\n]*\bapply\b/);
  });
});
