import { Testing } from 'cdktf';
import { loadAllConfigs, loadConfig } from '../../config';
import { accessLogBucketName, BootstrapStack } from '../../stacks/bootstrap-stack';

type Json = Record<string, any>;

function synthBootstrap(env: Record<string, string> = {}): Json {
  const stack = new BootstrapStack(Testing.app(), 'orders-bootstrap', { configs: loadAllConfigs(env) });
  return JSON.parse(Testing.synth(stack));
}
const values = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
/** The one resource of `type` belonging to the (first) state bucket, not to its access-log bucket. */
const ofStateBucket = (json: Json, type: string): Json => {
  const matches = Object.entries(json.resource[type] ?? {}).filter(([id]) => id.startsWith('state-bucket_'));
  expect(matches).toHaveLength(1);
  return matches[0][1] as Json;
};

describe('BootstrapStack', () => {
  describe('GIVEN the default configuration of dev and prod', () => {
    const json = synthBootstrap();

    it('THEN its own state is local, in the project root, by a relative path', () => {
      expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.orders-bootstrap.tfstate' } });
    });

    it('THEN the provider targets the state region with shared tags', () => {
      expect(json.provider.aws[0]).toMatchObject({
        region: 'us-east-1',
        default_tags: [{ tags: { Project: 'order-infra', Environment: 'shared', ManagedBy: 'cdktf' } }],
      });
    });

    it('THEN one state bucket is created, protected by prevent_destroy and never force-destroyed', () => {
      expect(values(json, 'aws_s3_bucket').filter((b) => b.bucket === 'order-infra-terraform-state')).toEqual([
        { bucket: 'order-infra-terraform-state', force_destroy: false, lifecycle: { prevent_destroy: true } },
      ]);
    });

    it("THEN its access logs go to an SSE-S3 log bucket that only this account's state buckets may write to", () => {
      expect(values(json, 'aws_s3_bucket_logging')).toEqual([
        {
          bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.state-bucket_[0-9A-F]+\.id\}$/),
          target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.state-access-logs_bucket_[0-9A-F]+\.bucket\}$/),
          target_prefix: 'order-infra-terraform-state/',
          depends_on: expect.any(Array),
        },
      ]);
      expect(values(json, 'aws_s3_bucket').map((b) => b.bucket)).toContain('order-infra-terraform-state-logs');
      const delivery = values(json, 'aws_s3_bucket_policy')
        .flatMap((p) => JSON.parse(p.policy).Statement)
        .find((st) => st.Sid === 'S3ServerAccessLogsDelivery');
      expect(delivery.Condition.ArnLike['aws:SourceArn']).toMatch(/:s3:::order-infra-terraform-state\*$/);
    });

    it('THEN it is versioned, encrypted with its own rotating key, and blocks public access', () => {
      expect(ofStateBucket(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
      const [key] = values(json, 'aws_kms_key');
      expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
      // Terraform (an IAM principal of the account) is the key's only user: no service principal at all.
      expect(JSON.parse(key.policy).Statement.map((s: any) => s.Sid)).toEqual(['AccountAdministers']);
      expect(values(json, 'aws_kms_alias')[0].name).toBe('alias/order-infra-terraform-state');
      expect(
        ofStateBucket(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default,
      ).toEqual({
        sse_algorithm: 'aws:kms',
        kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.state-key_[0-9A-F]+\.arn\}$/),
      });
      expect(ofStateBucket(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(ofStateBucket(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    it('THEN only TLS requests are allowed, and only object writes with SSE-KMS under the state key', () => {
      const policy = JSON.parse(ofStateBucket(json, 'aws_s3_bucket_policy').policy);
      const bucketArn = expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\.state-bucket_[0-9A-F]+\.bucket\}$/,
      );
      const objectsArn = expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\.state-bucket_[0-9A-F]+\.bucket\}\/\*$/,
      );
      // The same objects the TLS statement covers, whatever form the bucket ARN takes.
      const objects = policy.Statement[0].Resource[1];
      const denyPut = (Sid: string, Condition: Json) => ({
        Sid,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition,
      });
      // The bucket and every object in it, for every principal: nothing is reachable over plain HTTP,
      // and no state is written with AES256 (Terraform's choice without kms_key_id) or another key.
      expect(policy.Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, objectsArn],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        denyPut('DenyUnencryptedObjectUploads', { Null: { 's3:x-amz-server-side-encryption': 'true' } }),
        denyPut('DenyNonKmsObjectUploads', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }),
        denyPut('DenyOtherKmsKeys', {
          StringNotLike: {
            's3:x-amz-server-side-encryption-aws-kms-key-id': [
              expect.stringMatching(
                /^arn:\$\{data\.aws_partition\..+\}:kms:\$\{data\.aws_region\..+\}:\$\{data\.aws_caller_identity\..+\}:key\/\*$/,
              ),
              'alias/order-infra-terraform-state',
              expect.stringMatching(
                /^arn:\$\{data\.aws_partition\..+\}:kms:\$\{data\.aws_region\..+\}:\$\{data\.aws_caller_identity\..+\}:alias\/order-infra-terraform-state$/,
              ),
            ],
          },
        }),
      ]);
    });

    it("THEN the other stacks' backend kms_key_id is the alias this stack creates", () => {
      const [config] = loadAllConfigs({});
      expect(values(json, 'aws_kms_alias')[0].name).toBe(config.state.kmsKeyId);
    });

    it("THEN access logging waits until the log bucket's policy and ownership controls are in place", () => {
      const [logging] = values(json, 'aws_s3_bucket_logging');
      expect([...logging.depends_on].sort()).toEqual([
        expect.stringMatching(/^aws_s3_bucket_ownership_controls\.state-access-logs_ownership_[0-9A-F]+$/),
        expect.stringMatching(/^aws_s3_bucket_policy\.state-access-logs_policy_[0-9A-F]+$/),
      ]);
    });

    it('THEN old state versions are kept a year', () => {
      expect(ofStateBucket(json, 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([
        { noncurrent_days: 365 },
      ]);
    });

    it('THEN the bucket name and key are outputs', () => {
      expect(Object.keys(json.output).sort()).toEqual(['state_access_log_bucket_name', 'state_bucket_name', 'state_kms_key_arn']);
    });
  });

  it('GIVEN a different state bucket for prod WHEN synthesized THEN both buckets are created', () => {
    const json = synthBootstrap({ ORDERS_PROD_STATE_BUCKET: 'order-infra-prod-state' });
    expect(
      values(json, 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(['order-infra-prod-state', 'order-infra-terraform-state', 'order-infra-terraform-state-logs']);
    expect(values(json, 'aws_kms_key')).toHaveLength(2);
    expect(values(json, 'aws_s3_bucket_logging')).toHaveLength(2);
    expect(Object.keys(json.output).sort()).toEqual([
      'state_access_log_bucket_name',
      'state_bucket_name',
      'state_bucket_name_1',
      'state_kms_key_arn',
      'state_kms_key_arn_1',
    ]);
    // Both names start with "order-infra-", so both may deliver access logs.
    const delivery = values(json, 'aws_s3_bucket_policy')
      .flatMap((p) => JSON.parse(p.policy).Statement)
      .find((st) => st.Sid === 'S3ServerAccessLogsDelivery');
    expect(delivery.Condition.ArnLike['aws:SourceArn']).toMatch(/:s3:::order-infra-\*$/);
  });

  describe('GIVEN an existing state key (ORDERS_STATE_KMS_KEY_ID)', () => {
    const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
    const json = synthBootstrap({ ORDERS_STATE_BUCKET: 'acme-orders-state', ORDERS_STATE_KMS_KEY_ID: KEY });

    it('THEN no key is created and the bucket is encrypted with that key', () => {
      expect(json.resource.aws_kms_key).toBeUndefined();
      expect(
        ofStateBucket(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default
          .kms_master_key_id,
      ).toBe(KEY);
    });

    it('THEN object writes must name exactly that key', () => {
      const policy = JSON.parse(ofStateBucket(json, 'aws_s3_bucket_policy').policy);
      const other = policy.Statement.find((st: Json) => st.Sid === 'DenyOtherKmsKeys');
      expect(other.Condition).toEqual({ StringNotLike: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [KEY] } });
    });
  });

  it.each([
    ['order-infra-terraform-state', 'order-infra-terraform-state-logs'],
    ['a'.repeat(63), `${'a'.repeat(58)}-logs`],
    [`${'b'.repeat(57)}.c.d`, `${'b'.repeat(57)}-logs`],
  ])('accessLogBucketName(%s) is %s (at most 63 characters)', (stateBucket, expected) => {
    expect(accessLogBucketName(stateBucket)).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(63);
  });

  it('GIVEN a local state path WHEN synthesized THEN the local backend uses it', () => {
    const stack = new BootstrapStack(Testing.app(), 'orders-bootstrap', {
      configs: loadAllConfigs({}),
      localStatePath: 'state/bootstrap.tfstate',
    });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.local.path).toBe('state/bootstrap.tfstate');
  });

  it('GIVEN state buckets in two regions WHEN constructed THEN it throws naming ORDERS_STATE_REGION', () => {
    const configs = [loadConfig('dev', {}), loadConfig('prod', { ORDERS_PROD_STATE_REGION: 'eu-west-1' })];
    expect(() => new BootstrapStack(Testing.app(), 'orders-bootstrap', { configs })).toThrow(
      /must share one region \(ORDERS_STATE_REGION\), got \["us-east-1","eu-west-1"\]/,
    );
  });
});
