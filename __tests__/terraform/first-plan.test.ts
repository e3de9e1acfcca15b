/**
 * Reads the offline plans (`npm run plan:offline` writes cdktf.out/plans/<stack>.json) of a fresh
 * stack: every IAM, bucket, topic and key policy document and the state-machine definition must be
 * a known value, so that a reviewer reads them in the first plan. Run by `.ci/run` after the plans,
 * with `npx jest -c jest.terraform.config.js`; without the plans it fails saying how to make them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PLANS = resolve(__dirname, '..', '..', 'cdktf.out', 'plans');
const STACKS = ['orders-app-dev', 'orders-app-prod', 'orders-bootstrap', 'orders-network-dev', 'orders-network-prod'];

/** The documents a first plan must show, by resource type. */
const DOCUMENTS: Record<string, string[]> = {
  aws_iam_role: ['assume_role_policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_policy: ['policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_kms_key: ['policy'],
  aws_sfn_state_machine: ['definition'],
};

interface Change {
  address: string;
  type: string;
  change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

function plan(stack: string): { resource_changes: Change[]; errored: boolean } {
  const file = join(PLANS, `${stack}.json`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run plan:offline\` (needs a Terraform CLI) first`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe.each(STACKS)('the first offline plan of %s', (stack) => {
  it('is a complete plan that creates every resource', () => {
    const p = plan(stack);
    expect(p.errored).toBe(false);
    const actions = new Set(p.resource_changes.map((c) => c.change.actions.join(',')));
    expect([...actions]).toEqual(['create']);
  });

  it('shows every policy document and the workflow definition as known JSON, not (known after apply)', () => {
    const documents = plan(stack).resource_changes.flatMap((c) =>
      (DOCUMENTS[c.type] ?? []).map((attribute) => ({ at: `${c.address}.${attribute}`, change: c.change, attribute })),
    );
    expect(documents.length).toBeGreaterThan(0);
    const unknown = documents.filter(
      (d) => d.change.after_unknown[d.attribute] !== false && d.change.after_unknown[d.attribute] !== undefined,
    );
    expect(unknown.map((d) => d.at)).toEqual([]);
    for (const d of documents) {
      const value = d.change.after[d.attribute];
      expect(typeof value).toBe('string');
      expect(() => JSON.parse(value as string)).not.toThrow();
    }
  });
});

it('the app stack plan holds the definition and the policy documents of the design', () => {
  const counts: Record<string, number> = {};
  for (const c of plan('orders-app-dev').resource_changes) if (DOCUMENTS[c.type]) counts[c.type] = (counts[c.type] ?? 0) + 1;
  // A role and an inline policy per function and for the workflow (7); the API Gateway logging role only where it is managed.
  expect(counts).toEqual({
    aws_iam_role: expect.any(Number),
    aws_iam_role_policy: 7,
    aws_s3_bucket_policy: 3,
    aws_sns_topic_policy: 1,
    aws_kms_key: 1,
    aws_sfn_state_machine: 1,
  });
  expect([7, 8]).toContain(counts.aws_iam_role);
});
