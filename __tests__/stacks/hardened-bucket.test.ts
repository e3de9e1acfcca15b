import { TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AccessLogBucket } from '../../stacks/access-log-bucket';
import { HardenedBucket, type HardenedBucketProps } from '../../stacks/hardened-bucket';

type Json = Record<string, any>;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

function synthBucket(props: Partial<HardenedBucketProps> = {}): { synth: string; json: Json; bucket: HardenedBucket } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const bucket = new HardenedBucket(stack, 'orders', { bucketName: 'orders-dev-orders', kmsKeyArn: KEY, ...props });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth), bucket };
}
const only = (json: Json, type: string): Json => {
  const values = Object.values(json.resource[type] ?? {});
  expect(values).toHaveLength(1);
  return values[0] as Json;
};
const BUCKET_REF = /^\$\{aws_s3_bucket\.orders_bucket_[0-9A-F]+\.id\}$/;

describe('HardenedBucket', () => {
  it('GIVEN eventBridgeNotifications false THEN no bucket notification is created', () => {
    expect(synthBucket({ eventBridgeNotifications: false }).json.resource.aws_s3_bucket_notification).toBeUndefined();
  });

  describe('GIVEN only a name and a key (defaults)', () => {
    const { synth, json, bucket } = synthBucket();

    it('THEN the bucket has the name and is not force-destroyed', () => {
      expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: 'orders-dev-orders', force_destroy: false });
      expect(bucket.bucketName).toMatch(/TOKEN/);
    });

    it('THEN object events go to EventBridge (checkov CKV2_AWS_62: a bucket notification is attached)', () => {
      expect(only(json, 'aws_s3_bucket_notification')).toEqual({ bucket: expect.stringMatching(BUCKET_REF), eventbridge: true });
    });

    it('THEN versioning is enabled', () => {
      expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
        bucket: expect.stringMatching(BUCKET_REF),
        versioning_configuration: { status: 'Enabled' },
      });
    });

    it('THEN objects are encrypted with SSE-KMS under the given key, with a bucket key', () => {
      expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
      ]);
    });

    it('THEN all four public-access-block flags are on', () => {
      expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    it('THEN ACLs are disabled (BucketOwnerEnforced)', () => {
      expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    });

    it('THEN the bucket policy denies every non-TLS request on the bucket and its objects', () => {
      const policy = JSON.parse(only(json, 'aws_s3_bucket_policy').policy);
      expect(policy.Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [
            expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\..+\.bucket\}$/),
            expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\..+\.bucket\}\/\*$/),
          ],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('THEN noncurrent versions expire after 90 days and incomplete uploads abort after 7, each rule with a filter', () => {
      const lifecycle = only(json, 'aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle.rule).toEqual([
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ]);
      expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    });

    it('THEN there is no access logging', () => {
      expect(json.resource.aws_s3_bucket_logging).toBeUndefined();
    });
  });

  describe('GIVEN overrides', () => {
    const { json } = synthBucket({
      forceDestroy: true,
      noncurrentVersionExpirationDays: 30,
      accessLogBucket: { bucketName: 'orders-dev-access-logs', deliveryDependencies: [] },
    });

    it('THEN force_destroy is on', () => {
      expect(only(json, 'aws_s3_bucket').force_destroy).toBe(true);
    });

    it('THEN noncurrent versions expire after the given days', () => {
      expect(only(json, 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    });

    it('THEN server access logs go to the log bucket under the bucket name', () => {
      expect(only(json, 'aws_s3_bucket_logging')).toEqual({
        bucket: expect.stringMatching(BUCKET_REF),
        target_bucket: 'orders-dev-access-logs',
        target_prefix: 'orders-dev-orders/',
      });
    });
  });

  describe('GIVEN an access-log bucket of the same stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const logs = new AccessLogBucket(stack, 'logs', {
      bucketName: 'orders-dev-logs',
      accountId: '123456789012',
      partition: 'aws',
      sourceBucketPrefix: 'orders-dev-',
    });
    new HardenedBucket(stack, 'orders', { bucketName: 'orders-dev-orders', kmsKeyArn: KEY, accessLogBucket: logs });
    const json: Json = JSON.parse(Testing.synth(stack));

    it("THEN logging waits for the log bucket's delivery policy and ownership controls", () => {
      // S3 checks at PutBucketLogging that it may deliver: before the policy exists the apply fails.
      const logging = only(json, 'aws_s3_bucket_logging');
      expect(logging.target_bucket).toMatch(/^\$\{aws_s3_bucket\.logs_bucket_[0-9A-F]+\.bucket\}$/);
      expect([...logging.depends_on].sort()).toEqual([
        expect.stringMatching(/^aws_s3_bucket_ownership_controls\.logs_ownership_[0-9A-F]+$/),
        expect.stringMatching(/^aws_s3_bucket_policy\.logs_policy_[0-9A-F]+$/),
      ]);
    });
  });

  describe('GIVEN requiredKmsKeyIds', () => {
    const ALIAS = 'alias/orders-dev-orders';
    const { json } = synthBucket({ requiredKmsKeyIds: [KEY, ALIAS] });
    const statements: Json[] = JSON.parse(only(json, 'aws_s3_bucket_policy').policy).Statement;
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);

    it.each([
      ['DenyUnencryptedObjectUploads', { Null: { 's3:x-amz-server-side-encryption': 'true' } }],
      ['DenyNonKmsObjectUploads', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }],
      ['DenyOtherKmsKeys', { StringNotLike: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [KEY, ALIAS] } }],
    ])('THEN %s denies object writes for everyone on that condition', (sid, condition) => {
      expect(bySid(sid)).toEqual({
        Sid: sid,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\.orders_bucket_[0-9A-F]+\.bucket\}\/\*$/,
        ),
        Condition: condition,
      });
    });

    it('THEN the TLS-only statement stays', () => {
      expect(bySid('DenyInsecureTransport')).toBeDefined();
    });
  });

  it('GIVEN no requiredKmsKeyIds WHEN synthesized THEN the policy has no write condition', () => {
    const statements: Json[] = JSON.parse(only(synthBucket().json, 'aws_s3_bucket_policy').policy).Statement;
    expect(statements.map((st) => st.Sid)).toEqual(['DenyInsecureTransport']);
  });

  it.each([
    [{ requiredKmsKeyIds: [] }, /requiredKmsKeyIds is \[\]; name at least the key ARN/],
    [{ bucketName: 'Orders_Bucket' }, /bucketName is "Orders_Bucket"; use 3-63 lowercase/],
    [{ noncurrentVersionExpirationDays: 0 }, /noncurrentVersionExpirationDays is 0; use a whole number of days/],
    [{ noncurrentVersionExpirationDays: 1.5 }, /noncurrentVersionExpirationDays is 1.5/],
  ])('GIVEN invalid props %j WHEN constructed THEN it throws naming the prop', (props, message) => {
    expect(() => synthBucket(props)).toThrow(message);
  });

  it('GIVEN two invalid props WHEN constructed THEN one error names both', () => {
    expect(() => synthBucket({ bucketName: 'X', noncurrentVersionExpirationDays: -1 })).toThrow(
      /bucketName is "X".*; noncurrentVersionExpirationDays is -1/,
    );
  });
});
