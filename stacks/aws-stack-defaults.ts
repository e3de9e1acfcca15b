/**
 * What every remote-state stack of order-infra shares: the AWS provider and the S3 backend.
 * The bootstrap stack uses only the provider (its state is local: it creates the state bucket).
 */
import { Construct } from 'constructs';
import { S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import type { OrderInfraConfig } from '../config';

/** The Terraform CLI every stack requires (`required_version`). */
export const MIN_TERRAFORM_VERSION = '>= 1.10';

/**
 * Adds the AWS provider to a stack (and the stack's `required_version`): region, `default_tags` from `config.tags`,
 * `allowed_account_ids` when account ids are configured, `assume_role` when a deploy role is.
 */
export function addAwsProvider(stack: TerraformStack, config: OrderInfraConfig, stackName: string): AwsProvider {
  // S3-native state locking (`use_lockfile`) needs Terraform 1.10; older CLIs stop here with a clear message.
  stack.addOverride('terraform.required_version', MIN_TERRAFORM_VERSION);
  return new AwsProvider(stack, 'aws', {
    region: config.region,
    defaultTags: [{ tags: { ...config.tags } }],
    // The guard stops `apply` with credentials of the wrong account (e.g. prod keys on dev).
    allowedAccountIds: config.allowedAccountIds.length > 0 ? [...config.allowedAccountIds] : undefined,
    assumeRole: config.deployRoleArn
      ? [{ roleArn: config.deployRoleArn, sessionName: `order-infra-${stackName}`.slice(0, 64) }]
      : undefined,
  });
}

/**
 * Adds the AWS provider and the S3 backend (SSE-KMS with the state key, one state key per
 * environment and stack, S3-native locking) to a stack.
 */
export function configureAwsStack(stack: TerraformStack, config: OrderInfraConfig, stackName: string): AwsProvider {
  const provider = addAwsProvider(stack, config, stackName);
  const backend = new S3Backend(stack, {
    bucket: config.state.bucket,
    region: config.state.region,
    key: stateKey(config, stackName),
    encrypt: true,
    // Without it Terraform sends AES256 on every write and the state bucket's policy refuses it.
    kmsKeyId: config.state.kmsKeyId,
  });
  // cdktf 0.21's S3Backend predates `use_lockfile` (Terraform >= 1.10 locks with an S3 object, no DynamoDB table).
  backend.addOverride('use_lockfile', true);
  return provider;
}

/** The S3 key of a stack's state: `<prefix>/<env>/<stack>.tfstate` (also what other stacks read). */
export function stateKey(config: OrderInfraConfig, stackName: string): string {
  return `${config.state.keyPrefix}/${config.environment}/${stackName}.tfstate`;
}

/** Account, partition and region of the stack's AWS provider, as Terraform references. */
export interface AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

const AWS_CONTEXT_ID = 'aws-context';

/**
 * The account, partition and region data sources of the stack containing `scope`, created once
 * per stack so that every construct shares them (one of each in the plan, not one per construct).
 */
export function awsContext(scope: Construct): AwsContext {
  const stack = TerraformStack.of(scope);
  const holder = (stack.node.tryFindChild(AWS_CONTEXT_ID) as Construct | undefined) ?? new Construct(stack, AWS_CONTEXT_ID);
  const account =
    (holder.node.tryFindChild('account') as DataAwsCallerIdentity | undefined) ?? new DataAwsCallerIdentity(holder, 'account');
  const partition = (holder.node.tryFindChild('partition') as DataAwsPartition | undefined) ?? new DataAwsPartition(holder, 'partition');
  const region = (holder.node.tryFindChild('region') as DataAwsRegion | undefined) ?? new DataAwsRegion(holder, 'region');
  return { accountId: account.accountId, partition: partition.partition, region: region.region };
}
