import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AlarmTopic, type AlarmTopicProps } from '../../stacks/alarm-topic';

const BASE: AlarmTopicProps = {
  topicName: 'orders-prod-alarms',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  accountId: '123456789012',
  partition: 'aws',
  region: 'eu-west-1',
  alarmNamePrefix: 'orders-prod',
};
const ESTATE_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:estate-alarms';

function synth(props: AlarmTopicProps): { raw: string; json: any; topicArn: string } {
  let topicArn = '';
  const raw = Testing.synthScope((scope) => {
    topicArn = new AlarmTopic(scope, 'alarm-topic', props).topicArn;
  });
  return { raw, json: JSON.parse(raw), topicArn };
}

describe('AlarmTopic', () => {
  let created: ReturnType<typeof synth>;
  let withEmail: ReturnType<typeof synth>;
  let existing: ReturnType<typeof synth>;
  beforeAll(() => {
    created = synth(BASE);
    withEmail = synth({ ...BASE, email: 'ops@example.com' });
    existing = synth({ ...BASE, existingTopicArn: ESTATE_TOPIC, email: 'ops@example.com' });
  });

  it('creates a KMS-encrypted topic by default, without a subscription', () => {
    expect(created.raw).toHaveResourceWithProperties(SnsTopic, { name: 'orders-prod-alarms', kms_master_key_id: BASE.kmsKeyArn });
    expect(created.raw).not.toHaveResource(SnsTopicSubscription);
  });

  it('restates the owner’s rights on this topic only and lets only this account’s <prefix>-* alarms publish', () => {
    // GIVEN the topic policy of a created topic
    const policy = JSON.parse((Object.values(created.json.resource.aws_sns_topic_policy)[0] as any).policy);
    const topicRef = expect.stringMatching(/^arn:aws:sns:eu-west-1:123456789012:\$\{aws_sns_topic\.[\w-]+\.name\}$/);
    // THEN exactly two statements, both scoped to this topic
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: 'AccountOwnerManages',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Resource: topicRef,
      }),
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef,
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-prod-*' },
        },
      },
    ]);
    // no wildcard action in the owner statement either
    expect(policy.Statement[0].Action).not.toContain('sns:*');
    expect(policy.Statement[0].Action).not.toContain('*');
  });

  it('subscribes the e-mail to the created topic', () => {
    expect(withEmail.raw).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: 'email',
      endpoint: 'ops@example.com',
      topic_arn: expect.stringMatching(/^\$\{aws_sns_topic\.[\w-]+\.arn\}$/),
    });
  });

  it('uses an existing topic as is: no topic, no policy, the e-mail subscribed to it', () => {
    expect(existing.topicArn).toBe(ESTATE_TOPIC);
    expect(existing.raw).not.toHaveResource(SnsTopic);
    expect(existing.raw).not.toHaveResource(SnsTopicPolicy);
    expect(existing.raw).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: ESTATE_TOPIC,
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
  });
});
