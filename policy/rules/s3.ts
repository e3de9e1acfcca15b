/** S3 rules (checkov CKV_AWS_18, 21, 53–56, 70, 93, 144, 145, 300, CKV2_AWS_6, 61, 62, 65). */
import { asList, at, blocks, graphEquals, graphExists, linked, valueCheck, type Verdict, verdictRule } from '../helpers';
import { listOf, readPolicy, type RawStatement, statementsOf } from '../policy-document';
import type { PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'S3';
const BUCKET = ['aws_s3_bucket'];
const PAB = ['aws_s3_bucket_public_access_block'];
const POLICY_HOLDERS = ['aws_s3_bucket', 'aws_s3_bucket_policy'];

/** Split-out bucket configuration of `type` connected to this bucket (by reference, literal name or shared var./local.). */
export function bucketParts(model: PolicyModel, bucket: TfResource, type: string): TfResource[] {
  return linked(model, bucket, type, { attribute: 'bucket', keys: ['bucket'] });
}

/** Every value at a path where `*` walks every element of a list of blocks (checkov's `a.*.b`). */
function allAt(config: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [config];
  for (const key of path) {
    current = current.flatMap((c) => blocks(c)).flatMap((b) => (key === '*' ? [b] : asList(b[key])));
    if (key === '*') current = current.flatMap((c) => blocks(c));
  }
  return current;
}

/** checkov CKV_AWS_144 accepts a status that is still a reference to a variable, local, module or data source. */
const REFERENCE_STATUS = /^\$\{\s*(var|local|module|data)\./;
const replicationOn = (statuses: unknown[]): boolean =>
  statuses.some((s) => s === 'Enabled' || (typeof s === 'string' && REFERENCE_STATUS.test(s)));

function publicAccessFlag(id: string, attribute: string): PolicyRule {
  return verdictRule(
    { id, title: `S3 bucket public access block has ${attribute} enabled`, area },
    PAB,
    (r) => valueCheck(r.config, [attribute], [true]),
    (r) => `${attribute} is ${JSON.stringify(r.config[attribute])}; set true`,
  );
}

/**
 * checkov CKV_AWS_70's `check_conditions`, exactly: a wildcard-principal statement is acceptable when its
 * Condition has an `ArnNotEquals`/`ArnNotLike`, an `ArnEquals`/`ArnLike` (unless its `aws:PrincipalArn` or
 * `aws:SourceArn` matches every ARN of a service), or `aws:sourceVpce`/`aws:SourceVpc` under
 * StringEquals/StringEqualsIgnoreCase/StringLike. Keys are compared case-sensitively as checkov does,
 * although IAM ignores their case (so `aws:SourceVpce` is not recognised): followed to predict checkov.
 */
export function pinsWildcardPrincipal(statement: RawStatement): boolean {
  const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
  if (!condition || typeof condition !== 'object') return false;
  if ('ArnNotEquals' in condition || 'ArnNotLike' in condition) return true;
  for (const operator of ['ArnEquals', 'ArnLike']) {
    if (!(operator in condition)) continue;
    for (const key of ['aws:PrincipalArn', 'aws:SourceArn']) {
      const arn = condition[operator]?.[key];
      if (typeof arn === 'string' && /^arn:aws:[a-z0-9-]+::\*.*$/.test(arn)) return false;
    }
    return true;
  }
  return ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike'].some(
    (operator) => operator in condition && ['aws:sourceVpce', 'aws:SourceVpc'].some((k) => k in (condition[operator] ?? {})),
  );
}

/** `'AWS' in principal` and its `*`, as checkov tests it on a map, a list or a string. */
function awsWildcard(principal: unknown): boolean {
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    const aws = (principal as Record<string, unknown>).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

function allowsAnyPrincipal(r: TfResource, m: PolicyModel): Verdict | { verdict: Verdict; message: string } {
  if (r.config.policy === undefined || r.config.policy === null)
    return { verdict: 'unknown', message: 'no policy attribute (checkov: UNKNOWN)' };
  const doc = readPolicy(r.config.policy, r, m);
  if (!doc) return { verdict: 'unknown', message: 'policy is not statically readable' };
  // checkov answers on the first statement with a wildcard principal, whatever the later ones say.
  for (const s of statementsOf(doc)) {
    if (s.Effect === 'Deny' || !('Principal' in s)) continue;
    if (s.Principal === '*' || awsWildcard(s.Principal)) {
      return pinsWildcardPrincipal(s)
        ? 'pass'
        : { verdict: 'fail', message: `statement with Principal "*" (${listOf(s.Action).join(', ')}) and no pinning condition` };
    }
  }
  return 'pass';
}

function locksOut(r: TfResource, m: PolicyModel): Verdict | { verdict: Verdict; message: string } {
  // checkov reads only a policy written as a JSON string (jsonencode, which it renders to a structure,
  // and a data source document are not read).
  const value = r.config.policy;
  if (typeof value !== 'string' || value.trim().startsWith('${')) return 'pass';
  const doc = readPolicy(value, r, m);
  for (const s of statementsOf(doc)) {
    if ('Condition' in s || 'NotAction' in s || s.Effect !== 'Deny') continue;
    // A Deny statement without Principal makes checkov's check error out, which it reports as passed.
    if (!('Principal' in s)) return 'pass';
    if (s.Principal === '*' || awsWildcard(s.Principal))
      return { verdict: 'fail', message: 'unconditional Deny to Principal "*" (checkov flags any such statement)' };
    if (s.Action === '*') return { verdict: 'fail', message: 'unconditional Deny of Action "*"' };
    // checkov then indexes a string Action by "s3" (an error it reports as passed).
    if (typeof s.Action === 'string' && s.Action.includes('s3')) return 'pass';
  }
  return 'pass';
}

export const s3Rules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_18', title: 'S3 bucket has access logging enabled', area },
    BUCKET,
    // checkov's graph: an inline `logging` block, or any aws_s3_bucket_logging connected to the bucket —
    // which includes the one naming it as target_bucket (so a log target bucket passes).
    (r, m) => (graphExists(r.config.logging) || bucketParts(m, r, 'aws_s3_bucket_logging').length > 0 ? 'pass' : 'fail'),
    'no aws_s3_bucket_logging connected to this bucket',
  ),
  verdictRule(
    { id: 'CKV_AWS_21', title: 'S3 bucket has versioning enabled', area },
    BUCKET,
    (r, m) =>
      graphEquals(at(r.config, ['versioning', 'enabled']), true) ||
      bucketParts(m, r, 'aws_s3_bucket_versioning').some((v) =>
        graphEquals(at(v.config, ['versioning_configuration', 'status']), 'Enabled'),
      )
        ? 'pass'
        : 'fail',
    'no aws_s3_bucket_versioning with status Enabled for this bucket',
  ),
  verdictRule(
    { id: 'CKV_AWS_145', title: 'S3 bucket is encrypted with KMS by default', area },
    BUCKET,
    (r, m) => {
      const kms = (cfg: unknown, path: string[]) => ['aws:kms', 'aws:kms:dsse'].includes(String(at(cfg, path)));
      const path = ['rule', 'apply_server_side_encryption_by_default', 'sse_algorithm'];
      return kms(r.config, ['server_side_encryption_configuration', ...path]) ||
        bucketParts(m, r, 'aws_s3_bucket_server_side_encryption_configuration').some((p) => kms(p.config, path))
        ? 'pass'
        : 'fail';
    },
    'no server-side encryption configuration with sse_algorithm aws:kms for this bucket',
  ),
  verdictRule(
    { id: 'CKV_AWS_144', title: 'S3 bucket has cross-region replication enabled', area },
    BUCKET,
    (r, m) =>
      replicationOn(allAt(r.config, ['replication_configuration', 'rules', '*', 'status'])) ||
      bucketParts(m, r, 'aws_s3_bucket_replication_configuration').some((p) => replicationOn(allAt(p.config, ['rule', '*', 'status'])))
        ? 'pass'
        : 'fail',
    'no replication configuration with an Enabled rule',
  ),
  verdictRule(
    { id: 'CKV_AWS_300', title: 'S3 lifecycle configuration sets a period for aborting failed uploads', area },
    ['aws_s3_bucket_lifecycle_configuration'],
    (r) =>
      // checkov: an Enabled rule with an abort block and no filter, or an empty `filter {}` (a filter
      // with any argument, even `prefix = ""`, does not count).
      blocks(r.config.rule).some(
        (rule) =>
          blocks(rule.abort_incomplete_multipart_upload).length > 0 &&
          rule.status === 'Enabled' &&
          !blocks(rule.filter).some((f) => Object.keys(f).length > 0),
      )
        ? 'pass'
        : 'fail',
    'no Enabled rule without filter that aborts incomplete multipart uploads',
  ),
  verdictRule(
    { id: 'CKV2_AWS_61', title: 'S3 bucket has a lifecycle configuration', area },
    BUCKET,
    // checkov's graph only looks for a connected aws_s3_bucket_lifecycle_configuration (an inline lifecycle_rule does not count).
    (r, m) => (bucketParts(m, r, 'aws_s3_bucket_lifecycle_configuration').length > 0 ? 'pass' : 'fail'),
    'no aws_s3_bucket_lifecycle_configuration for this bucket',
  ),
  verdictRule(
    { id: 'CKV2_AWS_62', title: 'S3 bucket has event notifications enabled', area },
    BUCKET,
    (r, m) => (bucketParts(m, r, 'aws_s3_bucket_notification').length > 0 ? 'pass' : 'fail'),
    'no aws_s3_bucket_notification for this bucket',
  ),
  verdictRule(
    { id: 'CKV2_AWS_6', title: 'S3 bucket has a public access block', area },
    BUCKET,
    (r, m) =>
      bucketParts(m, r, 'aws_s3_bucket_public_access_block').some(
        (p) => graphEquals(p.config.block_public_acls, true) && graphEquals(p.config.block_public_policy, true),
      )
        ? 'pass'
        : 'fail',
    'no aws_s3_bucket_public_access_block with block_public_acls and block_public_policy for this bucket',
  ),
  verdictRule(
    { id: 'CKV2_AWS_65', title: 'S3 bucket access control lists are disabled (BucketOwnerEnforced)', area },
    ['aws_s3_bucket_ownership_controls'],
    // checkov judges the ownership controls resource itself, not the bucket (a bucket without one is not judged).
    (r) => (graphEquals(at(r.config, ['rule', 'object_ownership']), 'BucketOwnerEnforced') ? 'pass' : 'fail'),
    (r) => `rule.object_ownership is ${JSON.stringify(at(r.config, ['rule', 'object_ownership']))}; set BucketOwnerEnforced`,
  ),
  publicAccessFlag('CKV_AWS_53', 'block_public_acls'),
  publicAccessFlag('CKV_AWS_54', 'block_public_policy'),
  publicAccessFlag('CKV_AWS_55', 'ignore_public_acls'),
  publicAccessFlag('CKV_AWS_56', 'restrict_public_buckets'),
  verdictRule(
    { id: 'CKV_AWS_70', title: 'S3 bucket does not allow an action with any Principal', area },
    POLICY_HOLDERS,
    allowsAnyPrincipal,
    'statement with Principal "*"',
  ),
  verdictRule(
    { id: 'CKV_AWS_93', title: 'S3 bucket policy does not lock out all but the root user', area },
    POLICY_HOLDERS,
    locksOut,
    'unconditional Deny to every principal',
  ),
];
