import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { awsContext } from './aws-stack-defaults';
import { serviceTrustPolicy } from './iam-documents';
import { knownArn } from './known-arns';

export interface VpcFlowLogsProps {
  /** Prefix of every name (`orders-dev`). */
  readonly namePrefix: string;
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /** Retention of the log group, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the log group. */
  readonly kmsKeyArn: string;
}

/** `/aws/vpc-flow-logs/<prefix>`: the flow-log group's name (the network key lets CloudWatch Logs use it for this group only). */
export function flowLogGroupName(namePrefix: string): string {
  return `/aws/vpc-flow-logs/${namePrefix}`;
}

/**
 * VPC flow logs of ALL traffic (accepted and rejected) to a KMS-encrypted CloudWatch log group
 * `/aws/vpc-flow-logs/<prefix>`, delivered by a role that may write to that group only.
 */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { accountId: account, partition, region } = awsContext(this);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: flowLogGroupName(props.namePrefix),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new IamRole(this, 'role', {
      name: `${props.namePrefix}-vpc-flow-logs`,
      description: 'Delivers VPC flow logs to their CloudWatch log group',
      // VPC Flow Logs documents aws:SourceAccount in the delivery role's trust policy
      // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', account),
    });
    // AWS's flow-log role policy (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    // lists CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups and DescribeLogStreams on "*".
    // Terraform creates the group, so CreateLogGroup is left out; the writes stay on this group and
    // DescribeLogGroups, a listing, on this account's groups in the region.
    const logGroupArn = knownArn.logGroup(awsContext(this), this.logGroup.name);
    const policy = new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WriteThisLogGroupOnly',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [logGroupArn, `${logGroupArn}:*`],
          },
          {
            Sid: 'FindTheLogGroup',
            Effect: 'Allow',
            Action: 'logs:DescribeLogGroups',
            Resource: `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        ],
      }),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      tags: { Name: `${props.namePrefix}-vpc` },
      // Without the role's policy in place the first deliveries fail (and the flow log reports an access error).
      dependsOn: [policy],
    });
  }
}
