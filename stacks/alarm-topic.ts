import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { knownArn } from './known-arns';

export interface AlarmTopicProps {
  /** Topic name, e.g. `orders-dev-alarms`. */
  readonly topicName: string;
  /** KMS key encrypting the topic (its policy must let cloudwatch.amazonaws.com use it). */
  readonly kmsKeyArn: string;
  /** Account id: the topic owner, and the only account whose alarms may publish. */
  readonly accountId: string;
  /** AWS partition, e.g. `aws`. */
  readonly partition: string;
  /** Region of the alarms. */
  readonly region: string;
  /** Name prefix of the alarms allowed to publish (`<prefix>-*`). */
  readonly alarmNamePrefix: string;
  /** Send alarms to this existing topic instead of creating one. @default - a new encrypted topic */
  readonly existingTopicArn?: string;
  /** E-mail address subscribed to the topic. @default - no subscription */
  readonly email?: string;
}

/**
 * The SNS topic CloudWatch alarms notify: KMS-encrypted, with a topic policy that lets only
 * this account's `<prefix>-*` alarms publish, and an optional e-mail subscription.
 *
 * Defaults: a new topic; no subscription. With `existingTopicArn` no topic or policy is
 * created (the estate owns them) and the e-mail, if any, is subscribed to that topic.
 */
export class AlarmTopic extends Construct {
  readonly topicArn: string;
  readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.existingTopicArn !== undefined) {
      this.topicArn = props.existingTopicArn;
    } else {
      this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
      this.topicArn = this.topic.arn;
      const topicArn = knownArn.snsTopic(props, this.topic.name);
      new SnsTopicPolicy(this, 'policy', {
        arn: this.topic.arn,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              // aws_sns_topic_policy replaces the default policy, so the owner's rights are restated.
              Sid: 'AccountOwnerManages',
              Effect: 'Allow',
              Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
              Action: [
                'sns:GetTopicAttributes',
                'sns:SetTopicAttributes',
                'sns:AddPermission',
                'sns:RemovePermission',
                'sns:DeleteTopic',
                'sns:Subscribe',
                'sns:ListSubscriptionsByTopic',
                'sns:Publish',
              ],
              Resource: topicArn,
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topicArn,
              Condition: {
                StringEquals: { 'aws:SourceAccount': props.accountId },
                ArnLike: {
                  'aws:SourceArn': `arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:${props.alarmNamePrefix}-*`,
                },
              },
            },
          ],
        }),
      });
    }
    if (props.email !== undefined) {
      // An e-mail subscription stays "pending confirmation" until the recipient clicks the link.
      new SnsTopicSubscription(this, 'email', { topicArn: this.topicArn, protocol: 'email', endpoint: props.email });
    }
  }
}
