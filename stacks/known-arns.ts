/**
 * ARNs built from parts Terraform knows when it plans: partition, region and account (data
 * sources, read during the plan) and a name this project chooses, read from the resource's own
 * configured name attribute (`aws_s3_bucket.x.bucket`, `aws_lambda_function.x.function_name`).
 * A computed attribute such as `aws_s3_bucket.x.arn` is "(known after apply)" on a first plan and
 * turns every policy document and the state-machine definition quoting it into an unreadable
 * placeholder; a configured name is known, and referencing it keeps Terraform's ordering.
 *
 * Pure string builders; callers pass `awsContext(scope)` and the name reference.
 */
import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import type { AwsContext } from './aws-stack-defaults';

type Partition = Pick<AwsContext, 'partition'>;

export const knownArn = {
  /** `arn:<partition>:s3:::<bucket>` */
  bucket: (ctx: Partition, bucketName: string) => `arn:${ctx.partition}:s3:::${bucketName}`,
  /** `arn:<partition>:lambda:<region>:<account>:function:<name>` */
  lambdaFunction: (ctx: AwsContext, functionName: string) =>
    `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}`,
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>` (what the provider's `arn` attribute holds) */
  logGroup: (ctx: AwsContext, logGroupName: string) => `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupName}`,
  /** `arn:<partition>:sns:<region>:<account>:<topic>` */
  snsTopic: (ctx: AwsContext, topicName: string) => `arn:${ctx.partition}:sns:${ctx.region}:${ctx.accountId}:${topicName}`,
};

/** The `Resource` (and `Condition`) of an IAM statement that lets a principal use one KMS key. */
export interface KmsKeyGrant {
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string>>;
}

const keyAliases = new WeakMap<TerraformStack, Map<string, string>>();

/** Records that the key whose ARN reference is `keyArn` carries the alias `aliasName` (`alias/...`, a reference or literal). */
export function rememberKeyAlias(scope: Construct, keyArn: string, aliasName: string): void {
  const stack = TerraformStack.of(scope);
  if (!keyAliases.has(stack)) keyAliases.set(stack, new Map());
  keyAliases.get(stack)!.set(keyArn, aliasName);
}

/**
 * A key's ARN holds a random key id, known only after apply. For a key created in the same stack
 * (its alias remembered by `EncryptionKey`), the grant names any key of this account and region
 * that carries that alias (`kms:ResourceAliases`, AWS's documented alias-based access control);
 * for an existing key, its ARN.
 */
export function kmsKeyGrant(scope: Construct, ctx: AwsContext, keyArn: string): KmsKeyGrant {
  const alias = keyAliases.get(TerraformStack.of(scope))?.get(keyArn);
  if (alias === undefined) return { Resource: keyArn };
  return {
    Resource: `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/*`,
    Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
  };
}
