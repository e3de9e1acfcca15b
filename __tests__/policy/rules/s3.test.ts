import { modelOf, ref, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const B = 'aws_s3_bucket.orders';
const bucket = { orders: { bucket: 'orders-prod-orders' } };
/** The bucket plus split-out configuration resources of `type` pointing at it. */
const withPart = (type: string, config: Record<string, unknown>) => ({
  resource: { aws_s3_bucket: bucket, [type]: { part: { bucket: ref(B), ...config } } },
});
const bare = { resource: { aws_s3_bucket: bucket } };
const pab = (flags: Record<string, boolean>) => ({
  resource: {
    aws_s3_bucket_public_access_block: {
      pab: {
        bucket: ref(B),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
        ...flags,
      },
    },
  },
});
const policy = (statement: Record<string, unknown>) => ({
  resource: {
    aws_s3_bucket: bucket,
    aws_s3_bucket_policy: { p: { bucket: ref(B), policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) } },
  },
});
const TLS_DENY = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

const cases: RuleCase[] = [
  {
    id: 'CKV_AWS_18',
    bad: bare,
    offender: B,
    good: withPart('aws_s3_bucket_logging', { target_bucket: ref('aws_s3_bucket.logs'), target_prefix: 'orders/' }),
  },
  {
    id: 'CKV_AWS_21',
    bad: withPart('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Suspended' } }),
    offender: B,
    good: withPart('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled' } }),
  },
  {
    id: 'CKV_AWS_145',
    bad: withPart('aws_s3_bucket_server_side_encryption_configuration', {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    }),
    offender: B,
    good: withPart('aws_s3_bucket_server_side_encryption_configuration', {
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key.k', 'arn') },
          bucket_key_enabled: true,
        },
      ],
    }),
  },
  {
    id: 'CKV_AWS_144',
    bad: bare,
    offender: B,
    good: withPart('aws_s3_bucket_replication_configuration', { role: 'r', rule: [{ status: 'Enabled' }] }),
  },
  {
    id: 'CKV_AWS_300',
    // Aborting uploads under one prefix only leaves the rest of the bucket paying for parts.
    bad: withPart('aws_s3_bucket_lifecycle_configuration', {
      rule: [
        { id: 'x', status: 'Enabled', noncurrent_version_expiration: { noncurrent_days: 90 } },
        { id: 'y', status: 'Enabled', filter: { prefix: 'tmp/' }, abort_incomplete_multipart_upload: { days_after_initiation: 7 } },
      ],
    }),
    offender: 'aws_s3_bucket_lifecycle_configuration.part',
    good: withPart('aws_s3_bucket_lifecycle_configuration', {
      rule: [{ id: 'x', status: 'Enabled', filter: { prefix: '' }, abort_incomplete_multipart_upload: { days_after_initiation: 7 } }],
    }),
  },
  {
    id: 'CKV2_AWS_61',
    bad: bare,
    offender: B,
    good: withPart('aws_s3_bucket_lifecycle_configuration', { rule: [{ id: 'x', status: 'Enabled' }] }),
  },
  {
    id: 'CKV2_AWS_6',
    bad: withPart('aws_s3_bucket_public_access_block', { block_public_acls: true, block_public_policy: false }),
    offender: B,
    good: withPart('aws_s3_bucket_public_access_block', {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    }),
  },
  {
    id: 'CKV2_AWS_65',
    bad: withPart('aws_s3_bucket_ownership_controls', { rule: { object_ownership: 'ObjectWriter' } }),
    offender: B,
    good: withPart('aws_s3_bucket_ownership_controls', { rule: { object_ownership: 'BucketOwnerEnforced' } }),
  },
  { id: 'CKV_AWS_53', bad: pab({ block_public_acls: false }), offender: 'aws_s3_bucket_public_access_block.pab', good: pab({}) },
  { id: 'CKV_AWS_54', bad: pab({ block_public_policy: false }), offender: 'aws_s3_bucket_public_access_block.pab', good: pab({}) },
  { id: 'CKV_AWS_55', bad: pab({ ignore_public_acls: false }), offender: 'aws_s3_bucket_public_access_block.pab', good: pab({}) },
  { id: 'CKV_AWS_56', bad: pab({ restrict_public_buckets: false }), offender: 'aws_s3_bucket_public_access_block.pab', good: pab({}) },
  {
    id: 'CKV_AWS_70',
    bad: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
    offender: 'aws_s3_bucket_policy.p',
    good: policy(TLS_DENY),
  },
  {
    id: 'CKV_AWS_93',
    bad: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' }),
    offender: 'aws_s3_bucket_policy.p',
    good: policy(TLS_DENY),
  },
];

runRuleCases('S3', cases);

describe('CKV_AWS_70 conditions on a wildcard principal (checkov check_conditions)', () => {
  const allow = (Condition?: Record<string, unknown>) => ({
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
    ...(Condition ? { Condition } : {}),
  });
  it.each<[string, Record<string, unknown> | undefined, string]>([
    ['no condition', undefined, 'fail'],
    ['ArnLike on a specific aws:SourceArn', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E1' } }, 'pass'],
    ['ArnLike on every ARN of a service', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } }, 'fail'],
    ['ArnNotEquals', { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' } }, 'pass'],
    ['StringEquals aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-0123' } }, 'pass'],
    ['StringNotEquals aws:SourceVpce (too broad)', { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123' } }, 'fail'],
    [
      'StringEquals aws:SourceAccount only (not specific enough for checkov)',
      { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      'fail',
    ],
    ['StringEquals aws:PrincipalOrgID only', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, 'fail'],
  ])('%s -> %s', (_case, condition, status) => {
    const findings = ruleById('CKV_AWS_70').evaluate(modelOf(policy(allow(condition))));
    expect(findings.find((f) => f.resource.address === 'aws_s3_bucket_policy.p')!.status).toBe(status);
  });
});
