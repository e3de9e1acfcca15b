/** S3 rules (checkov CKV_AWS_18, 21, 53–56, 70, 93, 144, 145, 300, CKV2_AWS_6, 61, 65). */
import { blocks, connected, get, isExpression, isSet, isTrue, perResource } from '../helpers';
import { isWildcardPrincipal, readPolicy } from '../policy-document';
import type { PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'S3';
const BUCKET = ['aws_s3_bucket'];
const PAB = ['aws_s3_bucket_public_access_block'];
const POLICY_HOLDERS = ['aws_s3_bucket', 'aws_s3_bucket_policy'];

/** Sibling resources (split-out bucket configuration) that name this bucket in their `bucket` argument. */
export function bucketParts(model: PolicyModel, bucket: TfResource, type: string): TfResource[] {
  return connected(model, bucket, type, 'bucket', ['bucket']);
}

/** True when a lifecycle rule filter selects every object (absent, or every parameter empty), as checkov requires. */
function wholeBucket(filter: unknown): boolean {
  return blocks(filter).every((f) => Object.values(f).every((v) => !isSet(v)));
}

const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];

function publicAccessFlag(id: string, attribute: string): PolicyRule {
  return perResource({ id, title: `S3 bucket public access block has ${attribute} enabled`, area }, PAB, (r) =>
    isTrue(r.config[attribute]) ? undefined : `${attribute} is ${JSON.stringify(r.config[attribute])}; set true`,
  );
}

/**
 * checkov CKV_AWS_70's `check_conditions`: a wildcard-principal Allow is acceptable only when its
 * Condition pins the caller by ARN (any `ArnNot*`; `ArnEquals`/`ArnLike` unless `aws:PrincipalArn` or
 * `aws:SourceArn` matches every ARN) or by VPC (`aws:SourceVpce`/`aws:SourceVpc` under a positive
 * string operator). Account or organisation conditions alone do not count, as in checkov.
 * Condition keys are matched case-insensitively, as IAM evaluates them.
 */
export function pinsWildcardPrincipal(condition: Record<string, Record<string, unknown>> | undefined): boolean {
  if (!condition) return false;
  if ('ArnNotEquals' in condition || 'ArnNotLike' in condition) return true;
  const lower = (block: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(block ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const operator of ['ArnEquals', 'ArnLike']) {
    if (!(operator in condition)) continue;
    const keys = lower(condition[operator]);
    const everyArn = ['aws:principalarn', 'aws:sourcearn'].some(
      (k) => typeof keys[k] === 'string' && /^arn:aws:[a-z0-9-]+::\*/.test(keys[k] as string),
    );
    return !everyArn;
  }
  return ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike'].some((operator) => {
    const keys = lower(condition[operator]);
    return 'aws:sourcevpce' in keys || 'aws:sourcevpc' in keys;
  });
}

export const s3Rules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_18', title: 'S3 bucket has access logging enabled', area }, BUCKET, (r, m) =>
    isSet(get(r.config, 'logging', 'target_bucket')) ||
    bucketParts(m, r, 'aws_s3_bucket_logging').some((l) => isSet(l.config.target_bucket))
      ? undefined
      : 'no aws_s3_bucket_logging for this bucket',
  ),
  perResource({ id: 'CKV_AWS_21', title: 'S3 bucket has versioning enabled', area }, BUCKET, (r, m) => {
    if (isTrue(get(r.config, 'versioning', 'enabled'))) return undefined;
    const ok = bucketParts(m, r, 'aws_s3_bucket_versioning').some((v) => {
      const status = get(v.config, 'versioning_configuration', 'status');
      return status === 'Enabled' || isExpression(status);
    });
    return ok ? undefined : 'no aws_s3_bucket_versioning with status Enabled for this bucket';
  }),
  perResource({ id: 'CKV_AWS_145', title: 'S3 bucket is encrypted with KMS by default', area }, BUCKET, (r, m) => {
    const algorithm = (cfg: unknown) => get(cfg, 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm');
    const ok = (a: unknown) => (typeof a === 'string' && KMS_ALGORITHMS.includes(a)) || isExpression(a);
    if (ok(algorithm(get(r.config, 'server_side_encryption_configuration')))) return undefined;
    const parts = bucketParts(m, r, 'aws_s3_bucket_server_side_encryption_configuration');
    return parts.some((p) => ok(algorithm(p.config)))
      ? undefined
      : 'no server-side encryption configuration with sse_algorithm aws:kms for this bucket';
  }),
  perResource({ id: 'CKV_AWS_144', title: 'S3 bucket has cross-region replication enabled', area }, BUCKET, (r, m) =>
    isSet(r.config.replication_configuration) || bucketParts(m, r, 'aws_s3_bucket_replication_configuration').length > 0
      ? undefined
      : 'no replication configuration',
  ),
  perResource(
    { id: 'CKV_AWS_300', title: 'S3 lifecycle configuration sets a period for aborting failed uploads', area },
    ['aws_s3_bucket_lifecycle_configuration'],
    (r) =>
      blocks(r.config.rule).some(
        (rule) =>
          rule.status === 'Enabled' &&
          isSet(get(rule, 'abort_incomplete_multipart_upload', 'days_after_initiation')) &&
          wholeBucket(rule.filter),
      )
        ? undefined
        : 'no enabled rule aborting incomplete multipart uploads for the whole bucket (empty filter)',
  ),
  perResource({ id: 'CKV2_AWS_61', title: 'S3 bucket has a lifecycle configuration', area }, BUCKET, (r, m) =>
    isSet(r.config.lifecycle_rule) || bucketParts(m, r, 'aws_s3_bucket_lifecycle_configuration').length > 0
      ? undefined
      : 'no aws_s3_bucket_lifecycle_configuration for this bucket',
  ),
  perResource({ id: 'CKV2_AWS_6', title: 'S3 bucket has a public access block', area }, BUCKET, (r, m) =>
    bucketParts(m, r, 'aws_s3_bucket_public_access_block').some(
      (p) => isTrue(p.config.block_public_acls) && isTrue(p.config.block_public_policy),
    )
      ? undefined
      : 'no aws_s3_bucket_public_access_block with block_public_acls and block_public_policy for this bucket',
  ),
  perResource({ id: 'CKV2_AWS_65', title: 'S3 bucket access control lists are disabled (BucketOwnerEnforced)', area }, BUCKET, (r, m) =>
    bucketParts(m, r, 'aws_s3_bucket_ownership_controls').some((o) => {
      const ownership = get(o.config, 'rule', 'object_ownership');
      return ownership === 'BucketOwnerEnforced' || isExpression(ownership);
    })
      ? undefined
      : 'no aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced',
  ),
  publicAccessFlag('CKV_AWS_53', 'block_public_acls'),
  publicAccessFlag('CKV_AWS_54', 'block_public_policy'),
  publicAccessFlag('CKV_AWS_55', 'ignore_public_acls'),
  publicAccessFlag('CKV_AWS_56', 'restrict_public_buckets'),
  perResource({ id: 'CKV_AWS_70', title: 'S3 bucket does not allow an action with any Principal', area }, POLICY_HOLDERS, (r, m) => {
    if (!isSet(r.config.policy)) return undefined;
    const doc = readPolicy(r.config.policy, r, m);
    if (!doc) return { resource: r, status: 'unknown', message: 'policy is not statically readable' };
    const bad = doc.Statement.find((s) => s.Effect !== 'Deny' && isWildcardPrincipal(s.Principal) && !pinsWildcardPrincipal(s.Condition));
    return bad ? `Allow statement with Principal "*" (${bad.Action.join(', ')})` : undefined;
  }),
  perResource({ id: 'CKV_AWS_93', title: 'S3 bucket policy does not lock out all but the root user', area }, POLICY_HOLDERS, (r, m) => {
    if (!isSet(r.config.policy)) return undefined;
    const doc = readPolicy(r.config.policy, r, m);
    if (!doc) return { resource: r, status: 'unknown', message: 'policy is not statically readable' };
    const lockout = ['s3:PutBucketPolicy', 's3:*BucketPolicy', 's3:Put*', 's3:*', '*'];
    const bad = doc.Statement.find(
      (s) =>
        s.Effect === 'Deny' &&
        !s.Condition &&
        s.NotAction.length === 0 &&
        isWildcardPrincipal(s.Principal) &&
        s.Action.some((a) => lockout.includes(a)),
    );
    return bad ? `unconditional Deny of ${bad.Action.join(', ')} to Principal "*"` : undefined;
  }),
];
