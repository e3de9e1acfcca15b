/**
 * THE WAIVER TABLE: every rule the design deliberately does not meet, where, and why.
 * A waived failure is printed as WAIVED with its reason — never silently skipped — and
 * `npm run policy -- --print-skip-checks` turns the rules waived for all resources into
 * checkov's `--skip-check` list for CI. Keep docs/policy.md's table in step with this one.
 */
import { refersTo } from './helpers';
import type { PolicyModel, TfResource } from './types';

export interface WaiverScope {
  /** Stack name globs (`*` matches anything); omitted = every stack. */
  readonly stacks?: readonly string[];
  /** Resource address globs, e.g. `aws_s3_bucket.*`; omitted = every resource. */
  readonly resources?: readonly string[];
  /** Only buckets that receive S3 server access logs (the target of an aws_s3_bucket_logging). */
  readonly accessLogTargetsOnly?: boolean;
}

export interface Waiver {
  /** Checkov id of the waived rule. */
  readonly ruleId: string;
  /** Where the waiver applies; `'all'` = every resource in every stack. */
  readonly scope: WaiverScope | 'all';
  /** Why the design does not meet the rule. */
  readonly reason: string;
}

export const WAIVERS: readonly Waiver[] = [
  {
    ruleId: 'CKV_AWS_115',
    scope: 'all',
    reason:
      "Functions use the account's unreserved pool by default: reserving for six functions needs an account quota most new accounts lack (the apply fails). Reserve per function with ORDERS_LAMBDA_RESERVED_CONCURRENCY.",
  },
  {
    ruleId: 'CKV_AWS_285',
    scope: 'all',
    reason:
      'Execution data is the order itself (names, items): prod logs every ALL-level event without it by default, as the API stage keeps request data out (ORDERS_WORKFLOW_LOG_EXECUTION_DATA turns it on).',
  },
  {
    ruleId: 'CKV_AWS_117',
    scope: 'all',
    reason:
      'The functions reach only AWS APIs, so a VPC adds interface-endpoint cost (about $29 a month for Step Functions and X-Ray in 2 AZs) and no protection by default; ORDERS_LAMBDA_IN_VPC=true attaches them to the private subnets.',
  },
  {
    ruleId: 'CKV2_AWS_62',
    scope: { accessLogTargetsOnly: true },
    reason:
      'Access-log buckets receive only S3 log deliveries, which nobody reacts to one by one (they are queried); every other bucket sends its object events to EventBridge.',
  },
  {
    ruleId: 'CKV_AWS_338',
    scope: { stacks: ['*-dev'] },
    reason: 'Dev keeps logs 14 days to limit cost; prod keeps them 365 days (ORDERS_LOG_RETENTION_DAYS).',
  },
  {
    ruleId: 'CKV_AWS_116',
    scope: 'all',
    reason:
      'No Lambda is invoked asynchronously: API Gateway and Step Functions invoke synchronously and handle errors themselves (Retry/Catch, failed order record), so a DLQ would never receive anything.',
  },
  {
    ruleId: 'CKV_AWS_272',
    scope: 'all',
    reason:
      'No AWS Signer code-signing profile: artifacts are built reproducibly in CI and pinned by content-addressed S3 key and source_code_hash.',
  },
  {
    ruleId: 'CKV_AWS_120',
    scope: 'all',
    reason:
      'API caching is wrong for a write API: POST /orders must reach the backend every time and order status must not be served stale.',
  },
  {
    ruleId: 'CKV2_AWS_51',
    scope: 'all',
    reason:
      'Client certificates authenticate API Gateway to HTTP back ends; the only back end is a Lambda proxy integration, which AWS authenticates itself.',
  },
  {
    ruleId: 'CKV_AWS_144',
    scope: 'all',
    reason:
      'Single-region design: versioning plus noncurrent-version retention cover recovery; cross-region replication would double storage cost.',
  },
  {
    ruleId: 'CKV_AWS_145',
    scope: { accessLogTargetsOnly: true },
    reason: 'S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS; AWS requires SSE-S3 on the target bucket.',
  },
  {
    ruleId: 'CKV_AWS_18',
    scope: { accessLogTargetsOnly: true },
    reason: 'The access-log bucket is the logging destination; logging it into itself would log its own log writes forever.',
  },
  {
    ruleId: 'CKV_AWS_300',
    scope: 'all',
    reason:
      'Provisional until the lifecycle rules write filter {}: every bucket has an Enabled rule aborting incomplete uploads after 7 days for the whole bucket (filter prefix ""), which checkov does not recognise (it accepts only an absent or empty filter).',
  },
  {
    ruleId: 'CKV2_AWS_64',
    scope: 'all',
    reason:
      'Every key sets its key policy with the aws_kms_key policy argument, which is the same key policy; checkov only recognises a separate aws_kms_key_policy resource.',
  },
];

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** True when `resource` is the target bucket of some aws_s3_bucket_logging. */
export function isAccessLogTarget(model: PolicyModel, resource: TfResource): boolean {
  if (resource.type !== 'aws_s3_bucket') return false;
  return model.ofType('aws_s3_bucket_logging').some((l) => refersTo(l.config.target_bucket, resource, ['bucket']));
}

/** The waiver covering a failure of `ruleId` on `resource`, if any. */
export function findWaiver(
  ruleId: string,
  resource: TfResource,
  model: PolicyModel,
  waivers: readonly Waiver[] = WAIVERS,
): Waiver | undefined {
  return waivers.find((w) => {
    if (w.ruleId !== ruleId) return false;
    if (w.scope === 'all') return true;
    const { stacks, resources, accessLogTargetsOnly } = w.scope;
    if (stacks && !stacks.some((s) => glob(s).test(resource.stack))) return false;
    if (resources && !resources.some((s) => glob(s).test(resource.address))) return false;
    if (accessLogTargetsOnly && !isAccessLogTarget(model, resource)) return false;
    return true;
  });
}

/** Rule ids waived everywhere: safe to pass to checkov as `--skip-check`. */
export function globalSkipChecks(waivers: readonly Waiver[] = WAIVERS): string[] {
  return [...new Set(waivers.filter((w) => w.scope === 'all').map((w) => w.ruleId))];
}

/** checkov `--skip-check` ids for one stack: global waivers plus waivers scoped to whole stacks matching it. */
export function skipChecksForStack(stack: string | undefined, waivers: readonly Waiver[] = WAIVERS): string[] {
  const ids = new Set(globalSkipChecks(waivers));
  for (const w of waivers) {
    if (w.scope === 'all' || w.scope.resources || w.scope.accessLogTargetsOnly || !w.scope.stacks || stack === undefined) continue;
    if (w.scope.stacks.some((g) => glob(g).test(stack))) ids.add(w.ruleId);
  }
  return [...ids];
}

/** Ids waived for some resources only: checkov cannot scope a skip, so CI reports them without failing (`--soft-fail-on`). */
export function softFailChecks(waivers: readonly Waiver[] = WAIVERS): string[] {
  return [...new Set(waivers.filter((w) => w.scope !== 'all' && (w.scope.resources || w.scope.accessLogTargetsOnly)).map((w) => w.ruleId))];
}

/** A readable form of a scope for the CLI and docs. */
export function describeScope(scope: Waiver['scope']): string {
  if (scope === 'all') return 'all resources';
  const parts: string[] = [];
  if (scope.stacks) parts.push(`stacks ${scope.stacks.join(', ')}`);
  if (scope.resources) parts.push(`resources ${scope.resources.join(', ')}`);
  if (scope.accessLogTargetsOnly) parts.push('S3 access-log target buckets');
  return parts.join('; ');
}
