import {
  actionOf,
  COMMENT_LIMIT,
  changeTable,
  headline,
  type PlanJson,
  renderPlanComment,
  type ResourceChange,
  securitySections,
} from '../../scripts/plan-comment';

const change = (
  address: string,
  actions: string[],
  after: Record<string, unknown> = {},
  unknown: Record<string, unknown> = {},
): ResourceChange => ({
  address,
  type: address.split('.')[0],
  change: { actions, after, after_unknown: unknown },
});

const PLAN: PlanJson = {
  resource_changes: [
    change('aws_s3_bucket.orders', ['create'], { bucket: 'orders' }),
    change('aws_iam_role_policy.api', ['update'], {
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    }),
    change('aws_kms_key.app', ['delete', 'create'], { policy: null }, { policy: true }),
    change('aws_sns_topic_policy.old', ['delete'], null as never),
    change('aws_cloudwatch_log_group.logs', ['no-op']),
    change('data.aws_region.r', ['read']),
  ],
};

describe('plan comment renderer', () => {
  it.each([
    [['create'], 'create'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], 'no-op'],
  ])('GIVEN actions %j THEN the action is %s', (actions, expected) => {
    expect(actionOf(actions)).toBe(expected);
  });

  it('GIVEN adds, an update, a replacement and a delete THEN the headline counts them as terraform plan does', () => {
    expect(headline(PLAN)).toBe('**2 to add, 1 to change, 2 to destroy** (1 replaced)');
  });

  it('GIVEN changes THEN the table lists every changed resource, destructive actions first, and no unchanged or read ones', () => {
    expect(changeTable(PLAN)).toBe(
      [
        '| Action | Resource |',
        '| --- | --- |',
        '| replace | `aws_kms_key.app` |',
        '| delete | `aws_sns_topic_policy.old` |',
        '| update | `aws_iam_role_policy.api` |',
        '| create | `aws_s3_bucket.orders` |',
      ].join('\n'),
    );
    expect(changeTable({ resource_changes: [change('aws_s3_bucket.b', ['no-op'])] })).toBe('No resource changes.');
  });

  it('GIVEN security-relevant changes THEN each gets its documents, pretty-printed, or says it is known after apply', () => {
    const sections = securitySections(PLAN);
    expect(sections).toHaveLength(2);
    expect(sections[0]).toMatch(
      /^<details><summary>replace <code>aws_kms_key\.app<\/code><\/summary>\n\n`policy`\n\n````json\n\(known after apply\)\n````/,
    );
    expect(sections[1]).toContain('update <code>aws_iam_role_policy.api</code>');
    expect(sections[1]).toContain('"Action": "s3:GetObject",\n');
    expect(sections.join('\n')).not.toContain('aws_s3_bucket.orders');
  });

  it('GIVEN a plan whose text is far longer than a comment WHEN rendered THEN the comment fits, names every resource and links the full plan', () => {
    const many: PlanJson = { resource_changes: Array.from({ length: 400 }, (_, i) => change(`aws_s3_object.object_${i}`, ['create'])) };
    const body = renderPlanComment({
      stack: 'orders-app-dev',
      plan: many,
      planText: 'x\n'.repeat(200_000),
      artifactUrl: 'https://github.com/acme/order-infra/actions/runs/7/artifacts/99',
    });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    for (let i = 0; i < 400; i++) expect(body).toContain(`\`aws_s3_object.object_${i}\``);
    expect(body).toMatch(
      /\.\.\. truncated: 400,000 characters in all; the full plan is the workflow artifact \[plan-orders-app-dev\]\(https:\/\/github\.com\/acme\/order-infra\/actions\/runs\/7\/artifacts\/99\)\./,
    );
    expect(body).toMatch(/\n````\n<\/details>\n/);
  });

  it('GIVEN documents longer than the limit WHEN rendered THEN headline and table stay and the documents give way', () => {
    const huge = JSON.stringify({ Statement: Array.from({ length: 50 }, (_, i) => ({ Sid: `S${i}`, Action: 'x'.repeat(100) })) });
    const plan: PlanJson = { resource_changes: [change('aws_iam_policy.p', ['create'], { policy: huge })] };
    const body = renderPlanComment({ stack: 's', plan, planText: 'Plan: 1 to add.', limit: 3_000 });
    expect(body.length).toBeLessThanOrEqual(3_000);
    expect(body).toContain('**1 to add, 0 to change, 0 to destroy** (0 replaced)');
    expect(body).toContain('| create | `aws_iam_policy.p` |');
    expect(body).toContain('Too long for one comment');
  });

  it('GIVEN a short plan THEN it is shown whole, with the marker first and the run and commit last', () => {
    const body = renderPlanComment({
      stack: 'orders-network-dev',
      plan: PLAN,
      planText: 'Plan: 2 to add.',
      runUrl: 'https://x/run',
      commit: 'abcdef0123',
    });
    expect(body.startsWith('<!-- order-infra-plan:orders-network-dev -->\n### Terraform plan: `orders-network-dev`\n')).toBe(true);
    expect(body).toContain('````\nPlan: 2 to add.\n````');
    expect(body).not.toContain('truncated');
    expect(body.endsWith('Full plan: in the workflow log. [Workflow run](https://x/run) · commit abcdef0')).toBe(true);
  });
});
