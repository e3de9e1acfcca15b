import { Construct } from 'constructs';
import { type ITerraformDependable, Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { awsContext } from './aws-stack-defaults';
import { knownArn } from './known-arns';

export interface HardenedBucketProps {
  /** Full bucket name. */
  readonly bucketName: string;
  /** KMS key for SSE-KMS (bucket key enabled). */
  readonly kmsKeyArn: string;
  /** Allow destroying a non-empty bucket. @default false */
  readonly forceDestroy?: boolean;
  /** Days to keep noncurrent versions. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Bucket receiving S3 server access logs (logging waits for its delivery permissions). @default - no access logging */
  readonly accessLogBucket?: AccessLogTarget;
  /** Send the bucket's object events to Amazon EventBridge (free; rules there decide who reacts). @default true */
  readonly eventBridgeNotifications?: boolean;
  /**
   * Deny `PutObject` unless it asks for SSE-KMS with one of these key ids (the key ARN first, then
   * any alias form clients name it by). @default - no write condition: the default encryption applies
   */
  readonly requiredKmsKeyIds?: readonly string[];
}

/** A bucket that receives S3 server access logs, and what delivery to it needs in place first. */
export interface AccessLogTarget {
  /** Name of the target bucket. */
  readonly bucketName: string;
  /** Resources S3 needs before it can deliver (the target's policy and ownership controls). */
  readonly deliveryDependencies: ITerraformDependable[];
}

/** Multipart uploads that never complete still cost storage; a week is ample for any retry. */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The props with every default applied (the one place defaults live). */
export function hardenedBucketDefaults(
  props: HardenedBucketProps,
): Required<Omit<HardenedBucketProps, 'accessLogBucket' | 'requiredKmsKeyIds'>> &
  Pick<HardenedBucketProps, 'accessLogBucket' | 'requiredKmsKeyIds'> {
  return {
    ...props,
    eventBridgeNotifications: props.eventBridgeNotifications ?? true,
    forceDestroy: props.forceDestroy ?? false,
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 90,
  };
}

/** Validates the props; one error naming every bad setting, its value and the fix. */
export function validateHardenedBucketProps(props: HardenedBucketProps): void {
  const problems: string[] = [];
  if (!Token.isUnresolved(props.bucketName) && !BUCKET_NAME.test(props.bucketName)) {
    problems.push(
      `bucketName is "${props.bucketName}"; use 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit`,
    );
  }
  const days = props.noncurrentVersionExpirationDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    problems.push(`noncurrentVersionExpirationDays is ${days}; use a whole number of days, 1 or more`);
  }
  if (props.requiredKmsKeyIds !== undefined && props.requiredKmsKeyIds.length === 0) {
    problems.push('requiredKmsKeyIds is []; name at least the key ARN, or leave it unset for no write condition');
  }
  if (problems.length > 0) throw new Error(`HardenedBucket: ${problems.join('; ')}`);
}

/**
 * An S3 bucket with the controls reviewers expect, as separate resources (provider 6 style).
 *
 * Defaults: versioning on; SSE-KMS with the given key and an S3 bucket key (fewer KMS calls);
 * all four public-access-block flags; `BucketOwnerEnforced` (ACLs off); a bucket policy
 * denying any request without TLS; noncurrent versions expire after 90 days and incomplete
 * multipart uploads are aborted after 7; object events to EventBridge; `force_destroy` off; no
 * access logging; no condition on the encryption a write asks for (`requiredKmsKeyIds` adds one).
 */
export class HardenedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    validateHardenedBucketProps(props);
    const settings = hardenedBucketDefaults(props);

    this.bucket = new S3Bucket(this, 'bucket', { bucket: settings.bucketName, forceDestroy: settings.forceDestroy });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = knownArn.bucket(awsContext(this), this.bucket.bucket);
    const bucket = this.bucket.id;

    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: settings.kmsKeyArn }, bucketKeyEnabled: true },
      ],
    });
    const { publicAccessBlock } = blockPublicAccess(this, bucket);
    const tls = tlsOnlyPolicy(this.bucketArn) as { Version: string; Statement: unknown[] };
    const kms = settings.requiredKmsKeyIds ? sseKmsWritesOnly(this.bucketArn, settings.requiredKmsKeyIds) : [];
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: JSON.stringify({ ...tls, Statement: [...tls.Statement, ...kms] }),
      // S3 rejects policy changes while a public-access-block update is in flight.
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: settings.noncurrentVersionExpirationDays }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS }],
        },
      ],
      // Noncurrent-version rules need versioning in place first (provider documentation).
      dependsOn: [versioning],
    });
    if (settings.eventBridgeNotifications) {
      // Object events (an order stored, a state file written) reach EventBridge, where consumers and
      // audits subscribe with rules, without this project choosing their targets.
      new S3BucketNotification(this, 'notifications', { bucket, eventbridge: true });
    }
    if (settings.accessLogBucket !== undefined) {
      new S3BucketLoggingA(this, 'access-logging', {
        bucket,
        targetBucket: settings.accessLogBucket.bucketName,
        targetPrefix: `${settings.bucketName}/`,
        // S3 checks at PutBucketLogging that it may deliver to the target (its bucket policy, ACLs off).
        dependsOn:
          settings.accessLogBucket.deliveryDependencies.length > 0 ? [...settings.accessLogBucket.deliveryDependencies] : undefined,
      });
    }
  }
}

/**
 * All four public-access-block flags, and `BucketOwnerEnforced` (ACLs off): every bucket of the
 * project gets both. Returns both: a bucket policy must wait for the block.
 */
export function blockPublicAccess(
  scope: Construct,
  bucket: string,
): { publicAccessBlock: S3BucketPublicAccessBlock; ownershipControls: S3BucketOwnershipControls } {
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownershipControls = new S3BucketOwnershipControls(scope, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  return { publicAccessBlock, ownershipControls };
}

/** Denies every request made without TLS, on the bucket and on its objects. */
export function tlsOnlyPolicy(bucketArn: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/**
 * Denies object writes that ask for no encryption, for another algorithm than SSE-KMS, or for
 * another key than `keyIds` (S3 compares the key it would use; the alias forms cover clients that
 * name the key by alias). An id may be a pattern such as `arn:aws:kms:<region>:<account>:key/*`.
 */
export function sseKmsWritesOnly(bucketArn: string, keyIds: readonly string[]): Record<string, unknown>[] {
  const deny = (sid: string, condition: Record<string, unknown>) => ({
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `${bucketArn}/*`,
    Condition: condition,
  });
  return [
    deny('DenyUnencryptedObjectUploads', { Null: { 's3:x-amz-server-side-encryption': 'true' } }),
    deny('DenyNonKmsObjectUploads', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }),
    // StringNotLike: an id may be a pattern (`key/*` of one account and region, known at plan time).
    deny('DenyOtherKmsKeys', { StringNotLike: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [...keyIds] } }),
  ];
}
