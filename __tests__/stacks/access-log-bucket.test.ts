import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AccessLogBucket, type AccessLogBucketProps } from '../../stacks/access-log-bucket';

const BASE: AccessLogBucketProps = {
  bucketName: 'orders-dev-access-logs-123456789012',
  accountId: '123456789012',
  partition: 'aws',
  sourceBucketPrefix: 'orders-dev-',
};

function synth(props: AccessLogBucketProps) {
  const raw = Testing.synthScope((scope) => {
    new AccessLogBucket(scope, 'logs', props);
  });
  return { raw, json: JSON.parse(raw) };
}

describe('AccessLogBucket', () => {
  let defaults: ReturnType<typeof synth>;
  let custom: ReturnType<typeof synth>;
  beforeAll(() => {
    defaults = synth(BASE);
    custom = synth({ ...BASE, expirationDays: 30, forceDestroy: true });
  });

  it('uses SSE-S3, the only encryption S3 server access logging can deliver to', () => {
    expect(defaults.raw).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
  });

  it('is versioned, blocks public access, has ACLs off and force_destroy off by default', () => {
    expect(defaults.raw).toHaveResourceWithProperties(S3Bucket, { bucket: BASE.bucketName, force_destroy: false });
    expect(defaults.raw).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(defaults.raw).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(defaults.raw).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(custom.raw).toHaveResourceWithProperties(S3Bucket, { force_destroy: true });
  });

  it('denies non-TLS requests and lets only this account’s prefixed buckets deliver logs', () => {
    const policy = JSON.parse((Object.values(defaults.json.resource.aws_s3_bucket_policy)[0] as any).policy);
    expect(policy.Statement.find((s: any) => s.Sid === 'DenyInsecureTransport')).toEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(policy.Statement.find((s: any) => s.Sid === 'S3ServerAccessLogsDelivery')).toEqual({
      Sid: 'S3ServerAccessLogsDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: expect.stringMatching(/^arn:aws:s3:::\$\{aws_s3_bucket\.[\w-]+\.bucket\}\/\*$/),
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::orders-dev-*' } },
    });
  });

  it.each([
    ['default', () => defaults, 365],
    ['configured', () => custom, 30],
  ])('expires logs after the %s number of days and cleans up noncurrent versions and uploads', (_case, get, days) => {
    const rule = (Object.values(get().json.resource.aws_s3_bucket_lifecycle_configuration)[0] as any).rule[0];
    expect(rule).toEqual(
      expect.objectContaining({
        status: 'Enabled',
        expiration: [{ days }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    );
  });

  it('rejects a non-positive expiration, naming the setting', () => {
    expect(() => synth({ ...BASE, expirationDays: 0 })).toThrow(/expirationDays is 0; use a whole number of days, 1 or more/);
  });
});
