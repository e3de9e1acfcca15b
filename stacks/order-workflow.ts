import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { buildOrderWorkflowDefinition, type OrderWorkflowFunctionArns } from '../workflow/order-workflow-definition';
import { serviceTrustPolicy } from './iam-documents';

export interface OrderWorkflowProps {
  /** State machine name, e.g. `orders-dev-order-workflow`. */
  readonly stateMachineName: string;
  /** ARNs (Terraform references) of the five task functions. */
  readonly functionArns: OrderWorkflowFunctionArns;
  /** Account id for the role's `aws:SourceAccount` trust condition (confused-deputy guard). */
  readonly accountId: string;
  /** Retention of the execution log group, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the execution log group. */
  readonly kmsKeyArn: string;
  /** AWS partition of the Step Functions service-integration ARNs. @default 'aws' */
  readonly partition?: string;
  /** Log each event's input and output (the order: names, items) with the `ALL`-level events. @default false */
  readonly logExecutionData?: boolean;
}

/** `/aws/vendedlogs/states/<name>`: the state machine's execution log group. */
export function workflowLogGroupName(stateMachineName: string): string {
  return `/aws/vendedlogs/states/${stateMachineName}`;
}

/**
 * The order workflow as a STANDARD Step Functions state machine, with its own role and
 * log group `/aws/vendedlogs/states/<name>` (the `vendedlogs` prefix keeps the log group's
 * resource policy small when many state machines log).
 *
 * The definition is `JSON.stringify` of `buildOrderWorkflowDefinition()`, so the plan shows a
 * literal, reviewable JSON document with `${aws_lambda_function.x.arn}` references inside its
 * strings rather than a `jsonencode(...)` expression.
 *
 * Defaults: logging level ALL (every state transition) without execution data, so no customer data
 * reaches CloudWatch Logs; X-Ray tracing on.
 */
export class OrderWorkflow extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly stateMachineArn: string;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: workflowLogGroupName(props.stateMachineName),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      name: `${props.stateMachineName}-sfn`,
      description: `Execution role of the ${props.stateMachineName} state machine`,
      // Step Functions documents aws:SourceAccount/aws:SourceArn in the trust policy of a state machine's role
      // ("Prevent cross-service confused deputy issue",
      // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html).
      assumeRolePolicy: serviceTrustPolicy('states.amazonaws.com', props.accountId),
    });

    const functionArns = [...new Set(Object.values(props.functionArns) as string[])];
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'order-workflow',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InvokeTaskFunctions',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            // `:*` covers qualified invocations (versions/aliases) of the same functions.
            Resource: functionArns.flatMap((arn) => [arn, `${arn}:*`]),
          },
          {
            Sid: 'DeliverExecutionLogs',
            Effect: 'Allow',
            Action: [
              'logs:CreateLogDelivery',
              'logs:GetLogDelivery',
              'logs:UpdateLogDelivery',
              'logs:DeleteLogDelivery',
              'logs:ListLogDeliveries',
              'logs:PutResourcePolicy',
              'logs:DescribeResourcePolicies',
              'logs:DescribeLogGroups',
            ],
            // CloudWatch Logs vended-log delivery APIs have no resource-level permissions (AWS Step Functions docs).
            Resource: '*',
          },
          {
            Sid: 'WriteXRayTraces',
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
            // X-Ray has no resource-level permissions.
            Resource: '*',
          },
        ],
      }),
    });

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: props.stateMachineName,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(buildOrderWorkflowDefinition(props.functionArns, { partition: props.partition }), null, 2),
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: props.logExecutionData ?? false,
        // Step Functions wants the log-stream wildcard form of the log group ARN.
        logDestination: `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      // Step Functions checks at creation that the role can deliver logs and invoke.
      dependsOn: [policy],
    });
    this.stateMachineArn = this.stateMachine.arn;
  }
}
