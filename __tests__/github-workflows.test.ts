import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { compareVersions } from '../scripts/prod-preflight';
import { MIN_TERRAFORM_VERSION } from '../stacks/terraform-version';
import { runRenderStep } from './helpers/plan-comment-step';

const ROOT = resolve(__dirname, '..');
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
  if?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(name: string): { text: string; wf: Workflow } {
  const text = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
  return { text, wf: parse(text) as Workflow };
}

const runText = (wf: Workflow) =>
  Object.values(wf.jobs)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .join('\n');
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

  it("sets up .nvmrc's Node (24): from the file where the job checks out the repository, else the same number", () => {
    const nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
    expect(nvmrc).toBe('24');
    const jobs = Object.values(wf.jobs).filter((j) => uses(j).includes('actions/setup-node'));
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))!;
      if (uses(job).includes('actions/checkout')) expect(setup.with?.['node-version-file']).toBe('.nvmrc');
      else expect(String(setup.with?.['node-version'])).toBe(nvmrc);
    }
  });

  it('sets up a Terraform at least as new as the stacks need (S3-native locking)', () => {
    const versions = Object.values(wf.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith('hashicorp/setup-terraform')).map((s) => String(s.with?.terraform_version)),
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.filter((v) => compareVersions(v, MIN_TERRAFORM_VERSION) < 0)).toEqual([]);
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

  it('installs with npm ci on the .nvmrc Node with the npm cache, tests, then synthesizes', () => {
    const job = wf.jobs['test-and-synth'];
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))!;
    expect(node.with).toEqual({ 'node-version-file': '.nvmrc', cache: 'npm' });
    const runs = job.steps.map((s) => s.run ?? '');
    const order = ['npm ci', 'npm test', 'npm run synth'].map((cmd) => runs.findIndex((r) => r.startsWith(cmd)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('plans each dev stack with terraform init and plan -no-color -out, using the plan role', () => {
    const job = wf.jobs.plan;
    expect(job.strategy?.matrix.stack).toEqual(['orders-network-dev', 'orders-app-dev']);
    expect(job.permissions).toMatchObject({ 'id-token': 'write', 'pull-requests': 'write' });
    expect(uses(job)).toEqual(
      expect.arrayContaining(['hashicorp/setup-terraform', 'aws-actions/configure-aws-credentials', 'actions/github-script']),
    );
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
    expect(script).toContain('cdktf.out/stacks/${stack}/comment.md');
  });

  it('renders the comment with scripts/plan-comment.ts after uploading the full plan as an artifact it links', () => {
    const steps = wf.jobs.plan.steps;
    const upload = steps.findIndex((s) => s.name === 'Upload the full plan');
    const render = steps.findIndex((s) => s.name === 'Render the plan comment');
    const post = steps.findIndex((s) => s.uses?.startsWith('actions/github-script'));
    expect([upload, render, post].every((i) => i >= 0) && upload < render && render < post).toBe(true);
    expect(steps[upload].with).toMatchObject({ name: 'plan-${{ matrix.stack }}' });
    expect(String(steps[upload].with!.path)).toContain('cdktf.out/stacks/${{ matrix.stack }}/plan.txt');
    expect(steps[render].env?.ARTIFACT_URL).toBe('${{ steps.artifact.outputs.artifact-url }}');
    expect(steps[render].run).toMatch(/npx tsx scripts\/plan-comment\.ts [\s\S]*--artifact-url "\$ARTIFACT_URL"/);
    // The render step runs the repository's script: the job checks out and installs first.
    expect(uses(wf.jobs.plan).slice(0, 2)).toEqual(['actions/checkout', 'actions/setup-node']);
    expect(steps.some((s) => s.run?.startsWith('npm ci'))).toBe(true);
  });

  it('runs checkov over the synthesized stacks with skip-checks generated from policy/waivers.ts', () => {
    const run = wf.jobs.checkov.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toMatch(/pip install 'checkov/);
    expect(run).toMatch(/policy\/cli\.ts --print-skip-checks --stack/);
    expect(run).toMatch(/checkov --directory [^\n]*--framework terraform_json[^\n]*\n?.*--skip-check "\$skip" --soft-fail-on "\$soft"/);
  });

  it('asks policy/cli.ts only for options it implements', () => {
    const cli = readFileSync(join(ROOT, 'policy', 'cli.ts'), 'utf8');
    const options = [
      ...new Set([...runText(wf).matchAll(/policy\/cli\.ts((?: --[\w-]+(?: "[^"]*")?)+)/g)].flatMap((m) => m[1].match(/--[\w-]+/g) ?? [])),
    ];
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
    [
      'adds, an update, a delete and a replacement',
      [['create'], ['create'], ['update'], ['delete'], ['delete', 'create'], ['no-op'], ['read']],
      '**3 to add, 1 to change, 2 to destroy** (1 replaced)',
    ],
    ['no changes', [['no-op'], ['no-op']], '**0 to add, 0 to change, 0 to destroy** (0 replaced)'],
  ])('GIVEN %s WHEN summarized THEN it prints the counts as terraform plan does', (_label, actions, expected) => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'orders-plan-summary-'));
    try {
      writeFileSync(
        join(dir, 'plan.json'),
        JSON.stringify({ resource_changes: actions.map((a, i) => ({ address: `r.${i}`, change: { actions: a } })) }),
      );
      // WHEN
      const out = execFileSync(process.execPath, ['-e', summaryProgram(wf)], { cwd: dir }).toString();
      // THEN
      expect(out).toBe(`text=${expected}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Comment {
  id: number;
  body: string;
}

/** Runs the github-script of plan.yml as actions/github-script does (an async body), against a fake PR. */
async function postPlanComment(existing: Comment[], comment: string | undefined, stack = 'orders-app-dev') {
  const { wf } = load('plan.yml');
  const step = wf.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/github-script'))!;
  const calls = {
    created: [] as Array<{ issue_number: number; body: string }>,
    updated: [] as Array<{ comment_id: number; body: string }>,
  };
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
    serverUrl: 'https://github.com',
    runId: 7,
    repo: { owner: 'acme', repo: 'order-infra' },
    issue: { number: 42 },
    payload: { pull_request: { head: { sha: 'abcdef0123456789' } } },
  };
  const commentFile = `cdktf.out/stacks/${stack}/comment.md`;
  const fakeFs = {
    existsSync: (f: string) => f === commentFile && comment !== undefined,
    readFileSync: (f: string) => {
      if (f !== commentFile || comment === undefined) throw new Error(`unexpected read of ${f}`);
      return comment;
    },
  };
  const fakeRequire = (id: string) => {
    if (id !== 'fs') throw new Error(`unexpected require(${id})`);
    return fakeFs;
  };
  const fakeProcess = { env: { ...step.env, STACK: stack } };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'github', 'context', 'process', String(step.with!.script))(fakeRequire, github, context, fakeProcess);
  return calls;
}

describe('plan.yml plan comment (the github-script run against a fake pull request)', () => {
  const rendered =
    '<!-- order-infra-plan:orders-app-dev -->\n### Terraform plan: `orders-app-dev`\n**1 to add, 0 to change, 0 to destroy** (0 replaced)';

  it('GIVEN no earlier comment for the stack WHEN the plan is posted THEN one comment is created with the rendered body', async () => {
    // WHEN
    const calls = await postPlanComment([{ id: 1, body: 'LGTM' }], rendered);
    // THEN
    expect(calls.updated).toEqual([]);
    expect(calls.created).toEqual([{ owner: 'acme', repo: 'order-infra', issue_number: 42, body: rendered }]);
  });

  it("GIVEN earlier comments for this and another stack WHEN the plan is posted again THEN only this stack's comment is updated, none created", async () => {
    // WHEN
    const calls = await postPlanComment(
      [
        { id: 5, body: '<!-- order-infra-plan:orders-network-dev -->\nold network plan' },
        { id: 9, body: '<!-- order-infra-plan:orders-app-dev -->\nold app plan' },
      ],
      rendered,
    );
    // THEN
    expect(calls.created).toEqual([]);
    expect(calls.updated).toEqual([{ owner: 'acme', repo: 'order-infra', comment_id: 9, body: rendered }]);
  });

  it('GIVEN no rendered comment (the render step failed) WHEN posted THEN a comment with the marker still appears, saying so', async () => {
    const calls = await postPlanComment([], undefined);
    expect(calls.created[0].body.startsWith('<!-- order-infra-plan:orders-app-dev -->\n')).toBe(true);
    expect(calls.created[0].body).toContain('(no plan output)');
    expect(calls.created[0].body).toContain('https://github.com/acme/order-infra/actions/runs/7');
  });
});

describe('plan.yml "Render the plan comment" (run in bash against synthetic plans)', () => {
  const plan = JSON.stringify({
    resource_changes: [
      { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', change: { actions: ['create'], after: { bucket: 'b' }, after_unknown: {} } },
      {
        address: 'aws_iam_role_policy.p',
        type: 'aws_iam_role_policy',
        change: { actions: ['update'], after: { policy: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}' }, after_unknown: {} },
      },
    ],
  });

  it('GIVEN a successful plan WHEN rendered THEN the comment has the headline, the table, the policy document and the plan text', () => {
    const { status, body } = runRenderStep('orders-app-dev', plan, 'Plan: 1 to add, 1 to change, 0 to destroy.');
    expect(status).toBe(0);
    expect(body.startsWith('<!-- order-infra-plan:orders-app-dev -->\n')).toBe(true);
    // The renderer's headline is the one the summary program prints (apply.yml's job summary runs that program).
    const dir = mkdtempSync(join(tmpdir(), 'orders-plan-summary-'));
    try {
      writeFileSync(join(dir, 'plan.json'), plan);
      const summary = execFileSync(process.execPath, ['-e', summaryProgram(load('plan.yml').wf)], { cwd: dir }).toString();
      expect(body.split('\n')[2]).toBe(summary.trim().replace(/^text=/, ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(body).toContain('| update | `aws_iam_role_policy.p` |');
    expect(body).toContain('"Action": "s3:GetObject"');
    expect(body).toContain('Plan: 1 to add, 1 to change, 0 to destroy.');
    expect(body).toContain('(https://github.com/acme/order-infra/actions/runs/7/artifacts/99)');
    expect(body).toContain('commit abcdef0');
  });

  it('GIVEN a failed plan WHEN rendered THEN the comment says so and shows the error output', () => {
    const { status, body } = runRenderStep('orders-network-dev', undefined, 'Error: No valid credential sources found');
    expect(status).toBe(0);
    expect(body).toMatch(/^<!-- order-infra-plan:orders-network-dev -->\n### Terraform plan: `orders-network-dev`\n\*\*Plan failed\*\*/);
    expect(body).toContain('Error: No valid credential sources found');
  });
});

describe('apply.yml', () => {
  const { wf } = load('apply.yml');
  const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
  const role = (job: Job) =>
    String(job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with?.['role-to-assume']);
  const terraformApplies = (job: Job) => [...runs(job).matchAll(/terraform [^\n]*\bapply\b[^\n]*/g)].map((m) => m[0]);
  const artifact = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(action))?.with;

  it('applies dev on push to main and offers a manual run', () => {
    expect(wf.on.push).toEqual({ branches: ['main'] });
    expect(wf.on).toHaveProperty('workflow_dispatch');
    const dev = wf.jobs['apply-dev'];
    expect(dev.environment).toBe('dev');
    expect(runs(dev)).toMatch(/for stack in orders-network-dev orders-app-dev[\s\S]*terraform[^\n]*apply[^\n]*-auto-approve/);
  });

  it('plan-prod runs after dev succeeded or on a manual prod run, with no environment and the read-only prod plan role', () => {
    const job = wf.jobs['plan-prod'];
    expect(job.needs).toBe('apply-dev');
    expect(job.environment).toBeUndefined();
    expect(job.if).toMatch(
      /^\$\{\{ !cancelled\(\) && \(github\.event_name == 'push' && needs\.apply-dev\.result == 'success' \|\| github\.event_name == 'workflow_dispatch' && inputs\.environment == 'prod'\) \}\}$/,
    );
    expect(role(job)).toBe('${{ vars.AWS_PROD_PLAN_ROLE_ARN }}');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(runs(job)).toMatch(/npm run synth/);
    for (const stack of ['orders-network-prod', 'orders-app-prod']) {
      expect(runs(job)).toMatch(new RegExp(`terraform -chdir="\\$\\w+" plan [^\\n]*-lock=false[^\\n]*-out=${stack}\\.tfplan`));
    }
    expect(terraformApplies(job)).toEqual([]);
    expect(artifact(job, 'actions/upload-artifact')).toMatchObject({
      name: 'prod-plan',
      path: 'prod-plan.tgz.gpg',
      'if-no-files-found': 'error',
    });
  });

  it('apply-prod needs plan-prod, waits for the prod environment and applies only the saved plan files, never re-planning', () => {
    const job = wf.jobs['apply-prod'];
    expect(job.needs).toBe('plan-prod');
    expect(job.environment).toBe('prod');
    expect(job.if).toBe("${{ !cancelled() && needs.plan-prod.result == 'success' }}");
    expect(role(job)).toBe('${{ vars.AWS_PROD_DEPLOY_ROLE_ARN }}');
    expect(artifact(job, 'actions/download-artifact')).toEqual({ name: 'prod-plan' });
    // No checkout, synth or plan: what is applied is what plan-prod showed.
    expect(uses(job)).not.toContain('actions/checkout');
    expect(runs(job)).not.toMatch(/terraform [^\n]*\bplan\b|npm run synth/);
    expect(terraformApplies(job)).toEqual([
      'terraform -chdir="$net" apply -input=false -no-color orders-network-prod.tfplan',
      'terraform -chdir="$app" apply -input=false -no-color orders-app-prod.tfplan',
    ]);
  });

  it('a stale orders-app-prod plan is re-planned without an environment and applied after a second prod approval', () => {
    const apply = wf.jobs['apply-prod'];
    const replan = wf.jobs['replan-prod-app'];
    const second = wf.jobs['apply-prod-app'];
    expect(apply.outputs).toEqual({ 'app-replan': '${{ steps.apply.outputs.app-replan }}' });
    expect(replan.needs).toBe('apply-prod');
    expect(replan.if).toContain("needs.apply-prod.outputs.app-replan == 'true'");
    expect(replan.environment).toBeUndefined();
    expect(role(replan)).toBe('${{ vars.AWS_PROD_PLAN_ROLE_ARN }}');
    expect(terraformApplies(replan)).toEqual([]);
    expect(artifact(replan, 'actions/upload-artifact')).toMatchObject({ name: 'prod-app-plan', path: 'prod-plan.tgz.gpg' });
    expect(second.needs).toBe('replan-prod-app');
    expect(second.environment).toBe('prod');
    expect(artifact(second, 'actions/download-artifact')).toEqual({ name: 'prod-app-plan' });
    expect(runs(second)).not.toMatch(/terraform [^\n]*\bplan\b/);
    expect(terraformApplies(second)).toEqual(['terraform -chdir="$app" apply -input=false -no-color orders-app-prod.tfplan']);
  });

  it('only jobs behind the prod environment hold the prod deploy role or apply a prod stack, and none with -auto-approve', () => {
    const prodJobs = Object.entries(wf.jobs).filter(([, job]) => /prod/.test(runs(job)) || role(job).includes('PROD'));
    const appliers = prodJobs.filter(([, job]) => terraformApplies(job).length > 0 || role(job).includes('DEPLOY')).map(([name]) => name);
    expect(appliers).toEqual(['apply-prod', 'apply-prod-app']);
    for (const name of appliers) expect(wf.jobs[name].environment).toBe('prod');
    for (const [, job] of prodJobs) expect(runs(job)).not.toMatch(/-auto-approve/);
    expect(load('plan.yml').text).not.toMatch(/terraform[^\n]*\bapply\b/);
  });

  it.each<[string, string[]]>([
    ['Summarize the plans in the job summary', ['plan-prod', 'replan-prod-app']],
    ['Bundle and encrypt the synthesized stacks and saved plans', ['plan-prod', 'replan-prod-app']],
    ['Decrypt the saved plans', ['apply-prod', 'replan-prod-app', 'apply-prod-app']],
  ])('runs the same "%s" step in %j', (name, jobs) => {
    const copies = jobs.map((job) => wf.jobs[job].steps.find((s) => s.name === name));
    for (const copy of copies) expect(copy?.run).toBeDefined();
    for (const copy of copies.slice(1)) expect(copy).toEqual(copies[0]);
  });

  it("counts the changes with plan.yml's summary program, verbatim, and reads the passphrase from a secret", () => {
    const plan = load('plan.yml').wf;
    const lines = (program: string) =>
      program
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const summarize = wf.jobs['plan-prod'].steps.find((s) => s.name === 'Summarize the plans in the job summary')!;
    const program = /node -e '([\s\S]*?)'/.exec(summarize.run!)?.[1] ?? '';
    expect(lines(program)).toEqual(lines(summaryProgram(plan)));
    for (const job of ['plan-prod', 'apply-prod']) {
      const withSecret = wf.jobs[job].steps.filter((s) => s.env?.PLAN_PASSPHRASE);
      expect(withSecret.map((s) => s.env!.PLAN_PASSPHRASE)).toEqual(['${{ secrets.PROD_PLAN_PASSPHRASE }}']);
    }
  });
});

/** A stand-in for terraform: logs each call, prints outputs and plan JSON from fixtures, writes -out files. */
const FAKE_TERRAFORM = `#!/usr/bin/env bash
dir=.
case "$1" in -chdir=*) dir="\${1#-chdir=}"; shift;; esac
echo "$dir $*" >> "$FAKE_TF_LOG"
case "$1" in
  output) cat "$FAKE_TF_OUTPUTS" ;;
  show) cat "$dir/fixture-plan.json" ;;
  plan)
    if [ -n "$FAKE_TF_PLAN_FAILS" ]; then echo 'Error: planning failed' >&2; exit 1; fi
    for a in "$@"; do case "$a" in -out=*) echo 'saved plan' > "$dir/\${a#-out=}";; esac; done
    echo 'Plan: 2 to add, 0 to change, 0 to destroy.' ;;
  apply)
    file="\${!#}"
    if [ ! -f "$dir/$file" ]; then echo "no saved plan $file" >&2; exit 1; fi
    if [ -n "$FAKE_TF_OUTPUTS_AFTER_APPLY" ]; then cp "$FAKE_TF_OUTPUTS_AFTER_APPLY" "$FAKE_TF_OUTPUTS"; fi
    echo 'Apply complete!' ;;
esac
`;

describe('apply.yml prod steps (run in bash against a fake terraform)', () => {
  const { wf } = load('apply.yml');
  const NET = 'cdktf.out/stacks/orders-network-prod';
  const APP = 'cdktf.out/stacks/orders-app-prod';
  const OUTPUTS =
    '{\n  "ops_host_instance_id": {\n    "sensitive": false,\n    "type": "string",\n    "value": "i-0123456789abcdef0"\n  }\n}\n';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'orders-apply-steps-'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'terraform'), FAKE_TERRAFORM);
    chmodSync(join(root, 'bin', 'terraform'), 0o755);
    mkdirSync(join(root, 'gnupg'), { mode: 0o700 });
  });

  afterAll(() => {
    // gpg starts an agent for this GNUPGHOME; stop it before removing the folder.
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: join(root, 'gnupg') } });
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh workspace holding `files` (path → content). */
  function workspace(files: Record<string, string>): string {
    const dir = mkdtempSync(join(root, 'ws-'));
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), content);
    }
    return dir;
  }

  /** Runs a step's script as GitHub does (`bash -e`), with the job's env and `env`. */
  function runStep(job: string, name: string, cwd: string, env: Record<string, string> = {}) {
    const script = wf.jobs[job].steps.find((s) => s.name === name)?.run;
    if (!script) throw new Error(`apply.yml: no step "${name}" in ${job}`);
    const files = {
      FAKE_TF_LOG: join(cwd, 'tf.log'),
      GITHUB_STEP_SUMMARY: join(cwd, 'summary.md'),
      GITHUB_OUTPUT: join(cwd, 'output.txt'),
    };
    const outputs = join(cwd, 'outputs.json');
    if (!existsSync(outputs)) writeFileSync(outputs, OUTPUTS);
    const result = spawnSync('bash', ['-e', '-c', script], {
      // stdin from /dev/null: Node's stdin pipe is a socket, and Debian's bash then reads ~/.bashrc (slow).
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${join(root, 'bin')}:${process.env.PATH}`,
        HOME: process.env.HOME,
        GNUPGHOME: join(root, 'gnupg'),
        FAKE_TF_OUTPUTS: outputs,
        ...files,
        ...wf.jobs[job].env,
        ...env,
      },
    });
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return {
      status: result.status,
      stdout: result.stdout,
      calls: read(files.FAKE_TF_LOG).split('\n').filter(Boolean),
      summary: read(files.GITHUB_STEP_SUMMARY),
      output: read(files.GITHUB_OUTPUT),
    };
  }

  const PLAN = 'Plan orders-network-prod, then orders-app-prod, into saved plan files';

  it("GIVEN a network with outputs WHEN plan-prod plans THEN both stacks get saved plans (unlocked) and the outputs' hash is kept", () => {
    const dir = workspace({ [`${NET}/cdk.tf.json`]: '{}', [`${APP}/cdk.tf.json`]: '{}' });
    const run = runStep('plan-prod', PLAN, dir);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(
      expect.arrayContaining([
        `${NET} plan -input=false -no-color -lock=false -out=orders-network-prod.tfplan`,
        `${APP} plan -input=false -no-color -lock=false -out=orders-app-prod.tfplan`,
      ]),
    );
    expect(run.calls.filter((c) => / apply /.test(c))).toEqual([]);
    expect(existsSync(join(dir, NET, 'orders-network-prod.tfplan')) && existsSync(join(dir, APP, 'orders-app-prod.tfplan'))).toBe(true);
    expect(readFileSync(join(dir, NET, 'outputs-at-plan.sha256'), 'utf8').trim()).toBe(sha256(OUTPUTS));
  });

  it('GIVEN a network never applied (no outputs) WHEN plan-prod plans THEN the app is not planned and says why', () => {
    const dir = workspace({ 'outputs.json': '{}\n', [`${NET}/cdk.tf.json`]: '{}', [`${APP}/cdk.tf.json`]: '{}' });
    const run = runStep('plan-prod', PLAN, dir);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith(APP))).toEqual([]);
    expect(readFileSync(join(dir, APP, 'not-planned.txt'), 'utf8')).toMatch(/no outputs yet/);
  });

  it('GIVEN a saved network plan, an unplanned app and a long plan WHEN summarized THEN the job summary shows counts, reasons and folded, truncated plans', () => {
    const changes = [['create'], ['update'], ['delete', 'create'], ['no-op']].map((actions, i) => ({
      address: `r.${i}`,
      change: { actions },
    }));
    const dir = workspace({
      [`${NET}/orders-network-prod.tfplan`]: 'saved plan',
      [`${NET}/fixture-plan.json`]: JSON.stringify({ resource_changes: changes }),
      [`${NET}/plan.txt`]: `${'x'.repeat(100_000)}END-OF-PLAN`,
      [`${APP}/not-planned.txt`]: 'orders-network-prod has no outputs yet',
    });
    const run = runStep('plan-prod', 'Summarize the plans in the job summary', dir);
    expect(run.status).toBe(0);
    const [net, app] = run.summary.split('### Terraform plan: ').slice(1);
    expect(net).toMatch(
      /^`orders-network-prod`\n\*\*2 to add, 1 to change, 1 to destroy\*\* \(1 replaced\)\n\n<details><summary>Show plan<\/summary>\n\n````\nx{60000}\n\.\.\. truncated; the full plan is in the workflow log\.\n````\n<\/details>/,
    );
    expect(net).not.toContain('END-OF-PLAN');
    expect(app).toMatch(/^`orders-app-prod`\n\*\*Not planned yet\*\*: orders-network-prod has no outputs yet\n[\s\S]*\(no plan output\)/);
  });

  it('GIVEN a failed plan WHEN summarized THEN the summary says so and shows the error', () => {
    const dir = workspace({ [`${APP}/plan.txt`]: 'Error: Unable to find remote state' });
    const run = runStep('replan-prod-app', 'Summarize the plans in the job summary', dir);
    expect(run.status).toBe(0);
    expect(run.summary).toMatch(
      /^### Terraform plan: `orders-app-prod`\n\*\*Plan failed\*\*[^\n]*\n[\s\S]*````\nError: Unable to find remote state\n````/,
    );
  });

  it('GIVEN saved plans WHEN bundled and decrypted in another job THEN they round-trip encrypted, with the lock file and without providers', () => {
    const files = {
      [`${NET}/orders-network-prod.tfplan`]: 'SECRET-API-KEY-VALUE',
      [`${NET}/.terraform.lock.hcl`]: 'lock',
      [`${NET}/.terraform/providers/aws`]: 'provider binary',
      [`${APP}/orders-app-prod.tfplan`]: 'app plan',
    };
    const from = workspace(files);
    const secret = { PLAN_PASSPHRASE: 'correct horse battery staple' };
    expect(runStep('plan-prod', 'Bundle and encrypt the synthesized stacks and saved plans', from, secret).status).toBe(0);
    const bundle = readFileSync(join(from, 'prod-plan.tgz.gpg'));
    expect(existsSync(join(from, 'prod-plan.tgz'))).toBe(false);
    expect(bundle.includes('SECRET-API-KEY-VALUE')).toBe(false);
    const to = workspace({});
    writeFileSync(join(to, 'prod-plan.tgz.gpg'), bundle);
    expect(runStep('apply-prod', 'Decrypt the saved plans', to, secret).status).toBe(0);
    expect(readFileSync(join(to, NET, 'orders-network-prod.tfplan'), 'utf8')).toBe('SECRET-API-KEY-VALUE');
    expect(readFileSync(join(to, NET, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(readFileSync(join(to, APP, 'orders-app-prod.tfplan'), 'utf8')).toBe('app plan');
    expect(existsSync(join(to, NET, '.terraform'))).toBe(false);
    // WHEN decrypted with another passphrase THEN the step fails
    const wrong = workspace({});
    writeFileSync(join(wrong, 'prod-plan.tgz.gpg'), bundle);
    expect(runStep('apply-prod', 'Decrypt the saved plans', wrong, { PLAN_PASSPHRASE: 'wrong' }).status).not.toBe(0);
  });

  it('GIVEN no PROD_PLAN_PASSPHRASE secret WHEN bundling THEN the step fails naming the secret, uploading nothing', () => {
    const dir = workspace({ [`${NET}/orders-network-prod.tfplan`]: 'plan', [`${APP}/orders-app-prod.tfplan`]: 'plan' });
    const run = runStep('plan-prod', 'Bundle and encrypt the synthesized stacks and saved plans', dir, { PLAN_PASSPHRASE: '' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::Set the repository secret PROD_PLAN_PASSPHRASE');
    expect(existsSync(join(dir, 'prod-plan.tgz.gpg'))).toBe(false);
  });

  const APPLY = 'Apply the saved orders-network-prod plan, then the saved orders-app-prod plan if still current';
  const savedPlans = (extra: Record<string, string> = {}) => ({
    [`${NET}/orders-network-prod.tfplan`]: 'plan',
    [`${APP}/orders-app-prod.tfplan`]: 'plan',
    [`${NET}/outputs-at-plan.sha256`]: `${sha256(OUTPUTS)}\n`,
    ...extra,
  });

  it.each<[string, string[], Record<string, string>, string | undefined, string]>([
    [
      'the network apply leaves its outputs unchanged',
      ['orders-network-prod.tfplan', 'orders-app-prod.tfplan'],
      savedPlans(),
      undefined,
      'app-replan=false',
    ],
    [
      'the network apply changes an output the app read',
      ['orders-network-prod.tfplan'],
      savedPlans(),
      OUTPUTS.replace('i-0123456789abcdef0', 'i-0fedcba9876543210'),
      'app-replan=true',
    ],
    [
      'the app was not planned (first apply)',
      ['orders-network-prod.tfplan'],
      savedPlans({ [`${APP}/orders-app-prod.tfplan`]: '' }),
      '{\n  "vpc_id": {}\n}\n',
      'app-replan=true',
    ],
  ])('GIVEN %s WHEN apply-prod applies THEN it applies exactly the saved plans %j', (_label, applied, files, outputsAfter, output) => {
    if (files[`${APP}/orders-app-prod.tfplan`] === '') delete files[`${APP}/orders-app-prod.tfplan`];
    const dir = workspace(files);
    if (outputsAfter) writeFileSync(join(dir, 'outputs-after.json'), outputsAfter);
    const run = runStep('apply-prod', APPLY, dir, outputsAfter ? { FAKE_TF_OUTPUTS_AFTER_APPLY: join(dir, 'outputs-after.json') } : {});
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => / apply /.test(c)).map((c) => c.split(' ').pop())).toEqual(applied);
    expect(run.calls.filter((c) => / plan /.test(c))).toEqual([]);
    expect(run.output).toBe(`${output}\n`);
    if (output === 'app-replan=true') expect(run.summary).toMatch(/saved plan is stale and was not applied/);
  });

  it('GIVEN a stale app plan WHEN the re-plan fails THEN the stale plan file is gone, so nothing can apply it', () => {
    const dir = workspace({ [`${APP}/orders-app-prod.tfplan`]: 'stale', [`${APP}/plan.txt`]: 'stale plan text' });
    const run = runStep('replan-prod-app', 'Plan orders-app-prod against the applied network into a saved plan file', dir, {
      FAKE_TF_PLAN_FAILS: '1',
    });
    expect(run.status).not.toBe(0);
    expect(existsSync(join(dir, APP, 'orders-app-prod.tfplan'))).toBe(false);
    expect(readFileSync(join(dir, APP, 'plan.txt'), 'utf8')).toContain('Error: planning failed');
  });
});
