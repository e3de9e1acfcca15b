import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { loadConfig } from '../../config';
import { Construct } from 'constructs';
import { addAwsProvider, awsContext, configureAwsStack } from '../../stacks/aws-stack-defaults';

type Json = Record<string, any>;

function synthStack(
  env: Record<string, string>,
  build: (stack: TerraformStack) => void = (s) => configureAwsStack(s, loadConfig('prod', env), 'orders-network-prod'),
): Json {
  const stack = new TerraformStack(Testing.app(), 'orders-network-prod');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

describe('configureAwsStack', () => {
  describe('GIVEN the default prod configuration', () => {
    const json = synthStack({});
    const provider = json.provider.aws[0];

    it('THEN the provider targets the region with the default tags', () => {
      expect(provider.region).toBe('us-east-1');
      expect(provider.default_tags).toEqual([{ tags: { Project: 'order-infra', Environment: 'prod', ManagedBy: 'cdktf' } }]);
    });

    it('THEN there is no account guard and no assumed role', () => {
      expect(provider).not.toHaveProperty('allowed_account_ids');
      expect(provider).not.toHaveProperty('assume_role');
    });

    it('THEN the S3 backend is encrypted with the bootstrap state key, keyed per environment and stack, and locks with S3', () => {
      expect(json.terraform.backend).toEqual({
        s3: {
          bucket: 'order-infra-terraform-state',
          region: 'us-east-1',
          key: 'order-infra/prod/orders-network-prod.tfstate',
          encrypt: true,
          // Without it Terraform sends AES256 and the state bucket's policy denies the write.
          kms_key_id: 'alias/order-infra-terraform-state',
          use_lockfile: true,
        },
      });
    });

    it('THEN the provider is the pinned hashicorp/aws 6.25.0', () => {
      expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '6.25.0' });
    });

    it('THEN the stack requires Terraform 1.10, the first with S3-native locking (use_lockfile)', () => {
      expect(json.terraform.required_version).toBe('>= 1.10');
    });
  });

  describe('GIVEN account ids, a deploy role, tags and state settings', () => {
    const json = synthStack({
      ORDERS_PROD_ACCOUNT_ID: '123456789012',
      ORDERS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy',
      ORDERS_TAGS: 'Owner=team-a',
      ORDERS_PROD_REGION: 'eu-west-1',
      ORDERS_STATE_BUCKET: 'acme-state',
      ORDERS_STATE_REGION: 'eu-central-1',
      ORDERS_STATE_KEY_PREFIX: 'teams/orders',
    });
    const provider = json.provider.aws[0];

    it('THEN the provider guards the account and assumes the role', () => {
      expect(provider.allowed_account_ids).toEqual(['123456789012']);
      expect(provider.assume_role).toEqual([
        { role_arn: 'arn:aws:iam::123456789012:role/deploy', session_name: 'order-infra-orders-network-prod' },
      ]);
    });

    it('THEN user tags join the default tags and the region is the environment one', () => {
      expect(provider.default_tags[0].tags).toEqual({ Owner: 'team-a', Project: 'order-infra', Environment: 'prod', ManagedBy: 'cdktf' });
      expect(provider.region).toBe('eu-west-1');
    });

    it('THEN the backend uses the configured bucket, state region and key prefix', () => {
      expect(json.terraform.backend.s3).toMatchObject({
        bucket: 'acme-state',
        region: 'eu-central-1',
        key: 'teams/orders/prod/orders-network-prod.tfstate',
        // The default alias follows the bucket: the bootstrap stack names its key after it.
        kms_key_id: 'alias/acme-state',
      });
    });
  });

  it('GIVEN ORDERS_STATE_KMS_KEY_ID WHEN synthesized THEN the backend names that key', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
    expect(synthStack({ ORDERS_STATE_KMS_KEY_ID: key }).terraform.backend.s3.kms_key_id).toBe(key);
  });

  it('GIVEN addAwsProvider alone WHEN synthesized THEN there is a provider and no backend', () => {
    const json = synthStack({}, (s) => addAwsProvider(s, loadConfig('dev', {}), 'orders-bootstrap'));
    expect(json.provider.aws[0].region).toBe('us-east-1');
    expect(json.terraform.backend).toBeUndefined();
  });
});

describe('awsContext', () => {
  it('GIVEN two constructs in one stack WHEN both ask for the context THEN one data source of each kind is shared', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 'test');
    const first = awsContext(new Construct(stack, 'first'));
    // WHEN
    const second = awsContext(new Construct(stack, 'second'));
    new TerraformOutput(stack, 'first_context', { value: first });
    new TerraformOutput(stack, 'second_context', { value: second });
    const synthesized = JSON.parse(Testing.synth(stack));
    // THEN
    expect(synthesized.output.second_context.value).toEqual(synthesized.output.first_context.value);
    expect(synthesized.output.first_context.value.region).toMatch(/^\$\{data\.aws_region\.aws-context_region_[0-9A-F]+\.region\}$/);
    for (const type of ['aws_caller_identity', 'aws_partition', 'aws_region']) expect(Object.keys(synthesized.data[type])).toHaveLength(1);
  });
});
