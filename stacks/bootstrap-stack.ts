import type { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { type OrderInfraConfig, stateKeyAlias } from '../config';
import { AccessLogBucket } from './access-log-bucket';
import { addAwsProvider, awsContext } from './aws-stack-defaults';
import { EncryptionKey } from './encryption-key';
import { HardenedBucket } from './hardened-bucket';

export interface BootstrapStackProps {
  /** The configurations of the selected environments; their `state` settings name the bucket(s) to create. */
  readonly configs: readonly OrderInfraConfig[];
  /** Local state file of this stack, relative to its folder `cdktf.out/stacks/<id>`. @default - `terraform.<id>.tfstate` in the project root */
  readonly localStatePath?: string;
}

/** Old state versions are the only way back from a bad apply; keep them a year. */
export const STATE_NONCURRENT_VERSION_DAYS = 365;

/**
 * `orders-bootstrap`: the S3 bucket(s) holding the Terraform state of every other stack.
 * Its own state is local (it cannot live in the bucket it creates); keep that file safe
 * or import the bucket again with `terraform import`.
 *
 * Defaults: one bucket per distinct `state.bucket` of the selected environments, each with
 * its own rotating KMS key `alias/<bucket>` (or the configured `state.existingKmsKeyArn`),
 * hardened as every bucket of the project, a policy denying any object write that does not ask
 * for SSE-KMS with that key, never force-destroyed, protected by `prevent_destroy` (the bucket
 * and its key), with S3 access logs delivered to `<first state bucket>-logs` (SSE-S3, as access
 * logging requires).
 */
export class BootstrapStack extends TerraformStack {
  /** Names of the state buckets, in configuration order. */
  readonly stateBucketNames: string[] = [];

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const configs = props.configs;
    const regions = [...new Set(configs.map((c) => c.state.region))];
    if (configs.length === 0 || regions.length !== 1) {
      throw new Error(
        `BootstrapStack: the state buckets must share one region (ORDERS_STATE_REGION), got ${JSON.stringify(regions)}; ` +
          'set ORDERS_STATE_REGION once for every environment',
      );
    }
    const first = configs[0];
    // Relative, so no absolute path of the build machine lands in the output; it points out of
    // cdktf.out so that a fresh synth never touches the only record of the state bucket.
    new LocalBackend(this, { path: props.localStatePath ?? `../../../terraform.${id}.tfstate` });
    addAwsProvider(this, { ...first, region: first.state.region, tags: { ...first.tags, Environment: 'shared' } }, id);

    const bucketNames = [...new Set(configs.map((c) => c.state.bucket))];
    // Who read or wrote the state is an audit question; S3 access logs answer it (SSE-S3 target).
    const { accountId, partition, region } = awsContext(this);
    const accessLogs = new AccessLogBucket(this, 'state-access-logs', {
      bucketName: accessLogBucketName(bucketNames[0]),
      accountId,
      partition,
      sourceBucketPrefix: commonPrefix(bucketNames),
    });
    bucketNames.forEach((bucketName, index) => {
      // The first bucket keeps plain ids so that adding an environment never renames it.
      const suffix = index === 0 ? '' : `-${index}`;
      const state = configs.find((c) => c.state.bucket === bucketName)!.state;
      const alias = stateKeyAlias(bucketName);
      const key = new EncryptionKey(this, `state-key${suffix}`, {
        alias,
        description: `Encrypts the Terraform state in s3://${bucketName}`,
        existingKeyArn: state.existingKmsKeyArn,
      });
      const bucket = new HardenedBucket(this, `state-bucket${suffix}`, {
        bucketName,
        kmsKeyArn: key.keyArn,
        forceDestroy: false,
        noncurrentVersionExpirationDays: STATE_NONCURRENT_VERSION_DAYS,
        accessLogBucket: accessLogs,
        // The backend's kms_key_id: the key ARN, or the created key's alias (name and ARN forms). A
        // created key's ARN is known only after apply, so this account's keys in the region stand for
        // it: the policy stays readable in a first plan, and writes still need SSE-KMS with a key here.
        requiredKmsKeyIds: state.existingKmsKeyArn
          ? [state.existingKmsKeyArn]
          : [
              `arn:${partition}:kms:${region}:${accountId}:key/*`,
              `alias/${alias}`,
              `arn:${partition}:kms:${region}:${accountId}:alias/${alias}`,
            ],
      });
      // Losing the state bucket or its key orphans every resource the other stacks manage.
      bucket.bucket.lifecycle = { preventDestroy: true };
      if (key.key) key.key.lifecycle = { preventDestroy: true };
      this.stateBucketNames.push(bucketName);
      new TerraformOutput(this, `state_bucket_name${suffix.replace('-', '_')}`, {
        value: bucket.bucketName,
        description: 'S3 bucket holding Terraform state',
      });
      new TerraformOutput(this, `state_kms_key_arn${suffix.replace('-', '_')}`, {
        value: key.keyArn,
        description: 'KMS key encrypting the state bucket',
      });
    });
    new TerraformOutput(this, 'state_access_log_bucket_name', {
      value: accessLogs.bucketName,
      description: 'S3 bucket receiving access logs of the state bucket(s)',
    });
  }
}

/** `<state bucket>-logs`, shortened to S3's 63-character limit. */
export function accessLogBucketName(stateBucketName: string): string {
  return `${stateBucketName.slice(0, 58).replace(/[.-]+$/, '')}-logs`;
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
