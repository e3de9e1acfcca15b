import { modelOf, ref, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ROLE = 'aws_iam_role.fn';
const role = (trust: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  resource: { aws_iam_role: { fn: { name: 'fn', assume_role_policy: doc(trust), ...extra } } },
});
const LAMBDA_TRUST = {
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
};
const POLICY = 'aws_iam_role_policy.inline';
const inline = (statement: Record<string, unknown>) => ({
  resource: { aws_iam_role_policy: { inline: { role: ref(ROLE), policy: doc(statement) } } },
});
const SCOPED = { Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['${aws_s3_bucket.orders.arn}/orders/*'] };
const KEY = 'aws_kms_key.app';
const key = (extra: Record<string, unknown>) => ({ resource: { aws_kms_key: { app: { description: 'app', ...extra } } } });
const ADMIN_ROOT = {
  Sid: 'AccountAdmin',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'kms:*',
  Resource: '*',
};

const cases: RuleCase[] = [
  {
    id: 'CKV_AWS_60',
    bad: role({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    offender: ROLE,
    good: role(LAMBDA_TRUST),
  },
  {
    id: 'CKV_AWS_61',
    bad: role({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }),
    offender: ROLE,
    good: role({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
    }),
  },
  { id: 'CKV_AWS_62', bad: inline({ Effect: 'Allow', Action: '*', Resource: '*' }), offender: POLICY, good: inline(SCOPED) },
  {
    id: 'CKV_AWS_63',
    bad: inline({ Effect: 'Allow', Action: '*', Resource: '${aws_s3_bucket.orders.arn}' }),
    offender: POLICY,
    good: inline(SCOPED),
  },
  { id: 'CKV2_AWS_40', bad: inline({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }), offender: POLICY, good: inline(SCOPED) },
  {
    id: 'CKV_AWS_274',
    bad: {
      resource: { aws_iam_role_policy_attachment: { admin: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } } },
    },
    offender: 'aws_iam_role_policy_attachment.admin',
    good: {
      resource: {
        aws_iam_role_policy_attachment: { admin: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' } },
      },
    },
  },
  { id: 'CKV_AWS_7', bad: key({ enable_key_rotation: false }), offender: KEY, good: key({ enable_key_rotation: true }) },
  {
    id: 'CKV_AWS_33',
    bad: key({ policy: doc(ADMIN_ROOT, { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }) }),
    offender: KEY,
    good: key({
      policy: doc(ADMIN_ROOT, {
        Sid: 'Logs',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: 'kms:Encrypt*',
        Resource: '*',
      }),
    }),
  },
  { id: 'CKV2_AWS_64', bad: key({}), offender: KEY, good: key({ policy: doc(ADMIN_ROOT) }) },
];

runRuleCases('IAM and KMS', cases);

describe('policy documents written as data sources', () => {
  it('CKV_AWS_62 reads a data.aws_iam_policy_document that a policy refers to', () => {
    // GIVEN an inline policy built from a policy-document data source that grants *:*
    const model = modelOf({
      data: { aws_iam_policy_document: { admin: { statement: [{ effect: 'Allow', actions: ['*'], resources: ['*'] }] } } },
      resource: { aws_iam_role_policy: { inline: { role: 'r', policy: '${data.aws_iam_policy_document.admin.json}' } } },
    });
    // WHEN the rule runs / THEN both the data source and the policy using it fail
    const failed = ruleById('CKV_AWS_62')
      .evaluate(model)
      .filter((f) => f.status === 'fail')
      .map((f) => f.resource.address);
    expect(failed.sort()).toEqual(['aws_iam_role_policy.inline', 'data.aws_iam_policy_document.admin']);
  });

  it('reports a jsonencode() policy as not statically readable instead of passing or failing it', () => {
    const findings = ruleById('CKV_AWS_63').evaluate(
      modelOf({ resource: { aws_iam_role_policy: { p: { role: 'r', policy: '${jsonencode(local.p)}' } } } }),
    );
    expect(findings.map((f) => f.status)).toEqual(['unknown']);
  });
});
