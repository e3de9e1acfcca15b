import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { OrderWorkflow } from '../../stacks/order-workflow';

const ARNS = {
  orderProcessor: '${aws_lambda_function.processor.arn}',
  inventoryCheck: '${aws_lambda_function.inventory.arn}',
  paymentProcess: '${aws_lambda_function.payment.arn}',
  mergeResults: '${aws_lambda_function.merge.arn}',
  s3Storage: '${aws_lambda_function.storage.arn}',
};

describe('OrderWorkflow', () => {
  let raw: string;
  let json: any;
  let machine: any;
  let policy: any;
  beforeAll(() => {
    raw = Testing.synthScope((scope) => {
      new OrderWorkflow(scope, 'workflow', {
        stateMachineName: 'orders-dev-order-workflow',
        functionArns: ARNS,
        accountId: '123456789012',
        logRetentionDays: 14,
        kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
      });
    });
    json = JSON.parse(raw);
    machine = Object.values(json.resource.aws_sfn_state_machine)[0];
    policy = JSON.parse((Object.values(json.resource.aws_iam_role_policy)[0] as any).policy);
  });

  it('is a STANDARD state machine logging ALL events without execution data by default, and tracing', () => {
    expect(raw).toHaveResourceWithProperties(SfnStateMachine, {
      name: 'orders-dev-order-workflow',
      type: 'STANDARD',
      logging_configuration: {
        level: 'ALL',
        include_execution_data: false,
        log_destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/),
      },
      tracing_configuration: { enabled: true },
    });
  });

  it('GIVEN logExecutionData THEN it logs each event’s input and output too, still at level ALL', () => {
    const opted = JSON.parse(
      Testing.synthScope((scope) => {
        new OrderWorkflow(scope, 'workflow', {
          stateMachineName: 'orders-dev-order-workflow',
          functionArns: ARNS,
          accountId: '123456789012',
          logRetentionDays: 14,
          kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
          logExecutionData: true,
        });
      }),
    );
    expect((Object.values(opted.resource.aws_sfn_state_machine)[0] as any).logging_configuration).toMatchObject({
      level: 'ALL',
      include_execution_data: true,
    });
  });

  it('holds the definition as a literal JSON document with Terraform references inside its strings', () => {
    // GIVEN the synthesized definition attribute
    const definition: string = machine.definition;
    // THEN it is a JSON string, not a jsonencode() expression, and it parses
    expect(definition.startsWith('{')).toBe(true);
    expect(definition).not.toMatch(/jsonencode/);
    const parsed = JSON.parse(definition);
    expect(parsed.StartAt).toBe('ProcessOrder');
    expect(parsed.States.ProcessOrder.Parameters.FunctionName).toBe('${aws_lambda_function.processor.arn}');
    expect(parsed.States.StoreFailedOrder.Parameters.FunctionName).toBe('${aws_lambda_function.storage.arn}');
    expect(parsed.States.CheckInventoryAndPayment.Branches[0].States.CheckInventory.Parameters.FunctionName).toBe(
      '${aws_lambda_function.inventory.arn}',
    );
  });

  it('writes execution logs to an encrypted /aws/vendedlogs/states/ group with retention', () => {
    expect(raw).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/vendedlogs/states/orders-dev-order-workflow',
      retention_in_days: 14,
      kms_key_id: expect.stringMatching(/^arn:aws:kms:/),
    });
  });

  it('has a role trusted only by Step Functions of this account', () => {
    const role = Object.values(json.resource.aws_iam_role)[0] as any;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    expect(machine.role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
  });

  it('may invoke exactly the five task functions (and their qualified versions)', () => {
    const invoke = policy.Statement.find((s: any) => s.Sid === 'InvokeTaskFunctions');
    expect(invoke.Action).toBe('lambda:InvokeFunction');
    const expected = Object.values(ARNS).flatMap((a) => [a, `${a}:*`]);
    expect([...invoke.Resource].sort()).toEqual(expected.sort());
  });

  it('uses Resource "*" only for log delivery and X-Ray, and never Action "*"', () => {
    const wildcard = policy.Statement.filter((s: any) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
    expect(wildcard.map((s: any) => s.Sid).sort()).toEqual(['DeliverExecutionLogs', 'WriteXRayTraces']);
    for (const s of policy.Statement) {
      const actions = [s.Action].flat();
      expect(actions).not.toContain('*');
      expect(actions.every((a: string) => /^[a-z0-9-]+:[A-Za-z]+$/.test(a))).toBe(true);
    }
  });

  it('is created after its role policy, so creation-time permission checks pass', () => {
    expect(machine.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });
});

describe('OrderWorkflow in another partition', () => {
  it('GIVEN partition aws-us-gov THEN the synthesized definition invokes Lambda through arn:aws-us-gov:states', () => {
    const raw = Testing.synthScope((scope) => {
      new OrderWorkflow(scope, 'workflow', {
        stateMachineName: 'orders-dev-order-workflow',
        functionArns: ARNS,
        accountId: '123456789012',
        logRetentionDays: 14,
        kmsKeyArn: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
        partition: 'aws-us-gov',
      });
    });
    const machine = Object.values(JSON.parse(raw).resource.aws_sfn_state_machine)[0] as { definition: string };
    expect(machine.definition).toContain('"Resource": "arn:aws-us-gov:states:::lambda:invoke"');
    expect(machine.definition).not.toContain('"arn:aws:states:::lambda:invoke"');
  });
});
