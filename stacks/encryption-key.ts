import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { awsContext } from './aws-stack-defaults';
import { rememberKeyAlias } from './known-arns';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `orders-dev-app`. */
  readonly alias: string;
  /** Key description. */
  readonly description: string;
  /** Use this existing key instead of creating one. @default - a new key with rotation */
  readonly existingKeyArn?: string;
  /**
   * Log groups CloudWatch Logs may encrypt with the key, by name (`*` matches any characters).
   * @default - none: CloudWatch Logs may not use the key
   */
  readonly logGroupNames?: readonly string[];
  /**
   * Services (the part of the service principal before `.amazonaws.com`, e.g. `cloudwatch`) that may
   * decrypt and generate data keys while acting for this account.
   * @default - none
   */
  readonly services?: readonly string[];
}

const ALIAS = /^[a-zA-Z0-9/_-]{1,250}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/** Validates the props; one error naming every bad setting, its value and the fix. */
export function validateEncryptionKeyProps(props: EncryptionKeyProps): void {
  const problems: string[] = [];
  if (!Token.isUnresolved(props.alias) && (!ALIAS.test(props.alias) || /^(alias|aws)\//.test(props.alias))) {
    problems.push(
      `alias is "${props.alias}"; use letters, digits, '/', '_' or '-' without the "alias/" prefix and not starting with "aws/"`,
    );
  }
  if (props.existingKeyArn !== undefined && !Token.isUnresolved(props.existingKeyArn) && !KEY_ARN.test(props.existingKeyArn)) {
    problems.push(`existingKeyArn is "${props.existingKeyArn}"; use a key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid>`);
  }
  if (problems.length > 0) throw new Error(`EncryptionKey: ${problems.join('; ')}`);
}

/**
 * A customer-managed KMS key (with an alias). Its policy lets the account administer it (IAM policies
 * then grant the rest) and lets only the named services use it: CloudWatch Logs for the named log
 * groups of this account and region, and each of `services` while acting for this account.
 *
 * Defaults: yearly automatic rotation, 30-day deletion window, no service may use it. With
 * `existingKeyArn` nothing is created and that key is used; its policy is then the estate's job.
 */
export class EncryptionKey extends Construct {
  /** ARN of the key. */
  readonly keyArn: string;
  /** Key id (the ARN when an existing key is used; KMS accepts both). */
  readonly keyId: string;
  /** The created key; undefined with an existing key. */
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    validateEncryptionKeyProps(props);
    if (props.existingKeyArn !== undefined) {
      this.keyArn = props.existingKeyArn;
      this.keyId = props.existingKeyArn;
      return;
    }
    const policy = encryptionKeyPolicy(props, awsContext(this));
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(policy),
    });
    const alias = new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    rememberKeyAlias(this, this.keyArn, alias.name);
    this.keyId = this.key.keyId;
  }
}

/**
 * The key policy (pure). ARNs are built from the account, partition and region only (data sources,
 * known at plan time), never from attributes of resources created in the same apply.
 */
export function encryptionKeyPolicy(
  props: Pick<EncryptionKeyProps, 'logGroupNames' | 'services'>,
  context: { accountId: string; partition: string; region: string },
): Record<string, unknown> {
  const { accountId: account, partition, region } = context;
  const logGroupNames = props.logGroupNames ?? [];
  const statements: Record<string, unknown>[] = [
    {
      // Without this statement the key could become unmanageable; IAM policies then grant the rest.
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*', // in a key policy "*" means this key
    },
  ];
  if (logGroupNames.length > 0) {
    statements.push({
      Sid: 'CloudWatchLogsEncryptsTheseLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      // CloudWatch Logs puts the log group's ARN in the encryption context of every request.
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': logGroupNames.map((name) => `arn:${partition}:logs:${region}:${account}:log-group:${name}`),
        },
      },
    });
  }
  for (const service of props.services ?? []) {
    statements.push({
      Sid: `${service.replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase())}UsesKey`,
      Effect: 'Allow',
      Principal: { Service: `${service}.amazonaws.com` },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
