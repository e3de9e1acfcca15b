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
 * A customer-managed KMS key (with an alias) for everything of one stack: logs, SNS,
 * alarms, Step Functions, S3, EBS and Lambda environment variables.
 *
 * Defaults: yearly automatic rotation, 30-day deletion window. With `existingKeyArn`
 * nothing is created and that key is used; its policy is then the estate's job.
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

    const { accountId: account, partition, region } = awsContext(this);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': account } };
    const useKey = ['kms:Decrypt', 'kms:GenerateDataKey*'];
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          // Without this statement the key could become unmanageable; IAM policies then grant the rest.
          Sid: 'AccountAdministers',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*', // in a key policy "*" means this key
        },
        {
          Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
        },
        {
          Sid: 'SnsUsesKey',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: useKey,
          Resource: '*',
          Condition: sameAccount,
        },
        // Alarms publish to the encrypted SNS topic as cloudwatch.amazonaws.com.
        {
          Sid: 'CloudWatchAlarmsUseKey',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: useKey,
          Resource: '*',
          Condition: sameAccount,
        },
        {
          Sid: 'StepFunctionsUsesKey',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: useKey,
          Resource: '*',
          Condition: sameAccount,
        },
        {
          Sid: 'S3UsesKey',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: useKey,
          Resource: '*',
          Condition: sameAccount,
        },
      ],
    };

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
