import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { type AccessLogTarget, blockPublicAccess, tlsOnlyPolicy } from './hardened-bucket';
import { knownArn } from './known-arns';

export interface AccessLogBucketProps {
  /** Full bucket name. */
  readonly bucketName: string;
  /** Account whose buckets may deliver logs here (`aws:SourceAccount`). */
  readonly accountId: string;
  /** AWS partition, e.g. `aws`. */
  readonly partition: string;
  /** Only buckets whose names start with this prefix may deliver logs here. */
  readonly sourceBucketPrefix: string;
  /** Days to keep access logs. @default 365 */
  readonly expirationDays?: number;
  /** Allow destroying a non-empty bucket. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * The target of S3 server access logs of the order buckets. Unlike `HardenedBucket` it uses
 * SSE-S3: S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS. It
 * is not logged itself (logging the log bucket would log its own deliveries forever).
 *
 * Defaults: logs expire after 365 days, noncurrent versions after 30; public access blocked;
 * ACLs off (`BucketOwnerEnforced`, delivery is authorised by the bucket policy); TLS only.
 */
export class AccessLogBucket extends Construct implements AccessLogTarget {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  /** The delivery policy and the ownership controls: a source bucket's logging waits for both. */
  readonly deliveryDependencies: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const expirationDays = props.expirationDays ?? 365;
    if (!Number.isInteger(expirationDays) || expirationDays < 1) {
      throw new Error(`AccessLogBucket: expirationDays is ${expirationDays}; use a whole number of days, 1 or more`);
    }

    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    this.bucketName = this.bucket.bucket;
    const bucket = this.bucket.id;
    const versioning = new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const { publicAccessBlock, ownershipControls } = blockPublicAccess(this, bucket);

    const arn = knownArn.bucket(props, this.bucket.bucket);
    const tls = tlsOnlyPolicy(arn) as { Version: string; Statement: unknown[] };
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: JSON.stringify({
        ...tls,
        Statement: [
          ...tls.Statement,
          {
            Sid: 'S3ServerAccessLogsDelivery',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${arn}/*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': props.accountId },
              ArnLike: { 'aws:SourceArn': `arn:${props.partition}:s3:::${props.sourceBucketPrefix}*` },
            },
          },
        ],
      }),
      dependsOn: [publicAccessBlock],
    });
    this.deliveryDependencies = [policy, ownershipControls];
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });
  }
}
