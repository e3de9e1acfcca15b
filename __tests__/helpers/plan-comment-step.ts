/**
 * Runs plan.yml's "Render the plan comment" step as GitHub does (`bash -e`, from the workspace root),
 * in a temp workspace holding links to this repository's scripts and node_modules and the given
 * plan files, and returns the comment.md it wrote.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');

interface Step {
  name?: string;
  run?: string;
}

export function renderStepScript(): string {
  const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', 'plan.yml'), 'utf8')) as { jobs: { plan: { steps: Step[] } } };
  const run = wf.jobs.plan.steps.find((s) => s.name === 'Render the plan comment')?.run;
  if (!run) throw new Error('plan.yml: no "Render the plan comment" step');
  return run;
}

export interface RenderedComment {
  readonly status: number | null;
  readonly stderr: string;
  readonly body: string;
}

/** `planJson` undefined: the plan step failed. */
export function runRenderStep(stack: string, planJson: string | undefined, planText: string): RenderedComment {
  const ws = mkdtempSync(join(tmpdir(), 'orders-plan-comment-'));
  try {
    for (const link of ['scripts', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(ROOT, link), join(ws, link));
    const dir = join(ws, 'cdktf.out', 'stacks', stack);
    mkdirSync(dir, { recursive: true });
    if (planJson !== undefined) writeFileSync(join(dir, 'plan.json'), planJson);
    writeFileSync(join(dir, 'plan.txt'), planText);
    const script = renderStepScript().replaceAll('${{ steps.plan.outcome }}', planJson === undefined ? 'failure' : 'success');
    const result = spawnSync('bash', ['-e', '-c', script], {
      cwd: ws,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        STACK: stack,
        RUN_URL: 'https://github.com/acme/order-infra/actions/runs/7',
        ARTIFACT_URL: 'https://github.com/acme/order-infra/actions/runs/7/artifacts/99',
        COMMIT: 'abcdef0123456789',
      },
    });
    let body = '';
    try {
      body = readFileSync(join(dir, 'comment.md'), 'utf8');
    } catch {}
    return { status: result.status, stderr: result.stderr, body };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
