import { TerraformStack, Testing } from 'cdktf';
import { EncryptionKey, type EncryptionKeyProps } from '../../stacks/encryption-key';

type Json = Record<string, any>;

function synthKey(props: EncryptionKeyProps): { json: Json; key: EncryptionKey } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const key = new EncryptionKey(stack, 'app-key', props);
  return { json: JSON.parse(Testing.synth(stack)), key };
}

const statement = (policy: Json, sid: string) => policy.Statement.find((s: Json) => s.Sid === sid);

describe('EncryptionKey', () => {
  describe('GIVEN an alias and a description', () => {
    const { json, key } = synthKey({ alias: 'orders-dev-app', description: 'orders dev' });
    const kmsKey: Json = Object.values(json.resource.aws_kms_key)[0] as Json;
    const policy = JSON.parse(kmsKey.policy);

    it('THEN a rotating key with a 30-day deletion window is created', () => {
      expect(kmsKey).toMatchObject({ description: 'orders dev', enable_key_rotation: true, deletion_window_in_days: 30 });
    });

    it('THEN the alias alias/<alias> points at it', () => {
      expect(Object.values(json.resource.aws_kms_alias)).toEqual([
        { name: 'alias/orders-dev-app', target_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.key_id\}$/) },
      ]);
    });

    it('THEN keyArn and keyId are references to the created key', () => {
      expect(key.keyArn).toMatch(/TOKEN/);
      expect(key.key).toBeDefined();
    });

    it('THEN the account administers the key', () => {
      expect(statement(policy, 'AccountAdministers')).toMatchObject({
        Effect: 'Allow',
        Principal: {
          AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/),
        },
        Action: 'kms:*',
      });
    });

    it('THEN no service may use it: only the account administers it (the state key)', () => {
      expect(policy.Statement.map((s: Json) => s.Sid)).toEqual(['AccountAdministers']);
    });

    it('THEN no statement allows every action', () => {
      expect(policy.Statement.map((s: Json) => s.Action)).not.toContain('*');
    });
  });

  describe('GIVEN log group names and services', () => {
    const { json } = synthKey({
      alias: 'orders-dev-app',
      description: 'orders dev',
      logGroupNames: ['/aws/lambda/orders-dev-api', 'API-Gateway-Execution-Logs_*/dev'],
      services: ['cloudwatch'],
    });
    const policy = JSON.parse((Object.values(json.resource.aws_kms_key)[0] as Json).policy);

    it('THEN CloudWatch Logs of the region may use it for exactly those log groups of this account', () => {
      const logs = statement(policy, 'CloudWatchLogsEncryptsTheseLogGroups');
      expect(logs.Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\..+\.region\}\.amazonaws\.com$/);
      expect(logs.Action).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
      const arn = (name: string) =>
        expect.stringMatching(
          new RegExp(
            `^arn:\\$\\{data\\.aws_partition\\..+\\}:logs:\\$\\{data\\.aws_region\\..+\\}:\\$\\{data\\.aws_caller_identity\\..+\\}:log-group:${name.replace(/[*/]/g, '\\$&')}$`,
          ),
        );
      expect(logs.Condition).toEqual({
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [arn('/aws/lambda/orders-dev-api'), arn('API-Gateway-Execution-Logs_*/dev')] },
      });
    });

    it('THEN each named service, and no other, may decrypt and generate data keys for this account only', () => {
      const services = policy.Statement.filter((s: Json) => s.Principal.Service && !s.Principal.Service.startsWith('logs.'));
      expect(services).toEqual([
        {
          Sid: 'CloudwatchUsesKey',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/) } },
        },
      ]);
    });
  });

  it('GIVEN an existing key WHEN synthesized THEN nothing is created and its ARN is used', () => {
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
    const { json, key } = synthKey({ alias: 'orders-dev-app', description: 'x', existingKeyArn: arn });
    expect(json.resource).toBeUndefined();
    expect([key.keyArn, key.keyId, key.key]).toEqual([arn, arn, undefined]);
  });

  it.each([
    [{ alias: 'alias/orders', description: 'x' }, /alias is "alias\/orders".*without the "alias\/" prefix/],
    [{ alias: 'aws/s3', description: 'x' }, /alias is "aws\/s3"/],
    [{ alias: 'has space', description: 'x' }, /alias is "has space"/],
    [{ alias: 'ok', description: 'x', existingKeyArn: 'alias/mine' }, /existingKeyArn is "alias\/mine"; use a key ARN/],
  ])('GIVEN invalid props %j WHEN constructed THEN it throws naming the prop', (props, message) => {
    expect(() => synthKey(props)).toThrow(message);
  });
});
