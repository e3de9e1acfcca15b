/**
 * plan.yml's "Render the plan comment" step run on the real offline plans (cdktf.out/plans, written by
 * `npm run plan:offline`): each stack's first comment fits GitHub's limit and names every resource.
 * Run by `.ci/run` with `npx jest -c jest.terraform.config.js`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMMENT_LIMIT } from '../../scripts/plan-comment';
import { runRenderStep } from '../helpers/plan-comment-step';

const PLANS = resolve(__dirname, '..', '..', 'cdktf.out', 'plans');
const read = (file: string) => {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run plan:offline\` (needs a Terraform CLI) first`);
  return readFileSync(file, 'utf8');
};

describe.each(['orders-app-dev', 'orders-network-dev'])('the PR comment for the first plan of %s', (stack) => {
  const json = read(join(PLANS, `${stack}.json`));
  const text = read(join(PLANS, `${stack}.txt`));
  const { status, body, stderr } = runRenderStep(stack, json, text);

  it('is rendered by the workflow step and fits one comment', () => {
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    // The size, for the record (README, "Pull requests").
    writeFileSync(join(PLANS, `${stack}.comment.md`), body);
  });

  it('names every resource the plan creates, in the table', () => {
    const addresses = (JSON.parse(json).resource_changes as Array<{ address: string; change: { actions: string[] } }>)
      .filter((c) => c.change.actions.includes('create'))
      .map((c) => c.address);
    expect(addresses.length).toBeGreaterThan(20);
    expect(addresses.filter((a) => !body.includes(`| create | \`${a}\` |`))).toEqual([]);
  });

  it('shows the headline and the security-relevant documents as known values', () => {
    expect(body).toMatch(
      /^<!-- order-infra-plan:[\w-]+ -->\n### Terraform plan: `[\w-]+`\n\*\*\d+ to add, 0 to change, 0 to destroy\*\* \(0 replaced\)\n/,
    );
    const security = body.slice(body.indexOf('#### Security-relevant changes'), body.indexOf('<details><summary>Show plan'));
    expect(security).toMatch(/aws_iam_role\./);
    // Documents are known on a first plan (an ARN of a resource created alongside may not be).
    expect(security).toMatch(/`(assume_role_policy|policy)`\n\n````json\n\{/);
    expect(security).not.toMatch(/`(assume_role_policy|policy|definition)`\n\n````json\n\(known after apply\)/);
  });
});
