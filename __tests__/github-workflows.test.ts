import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> }
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
    const used = [...runText(wf).matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]);
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
    expect(run).toMatch(/checkov --directory [^\n]*\n?.*--skip-check "\$skip"/);
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
});
