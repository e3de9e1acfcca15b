import { TerraformOutput, Testing } from 'cdktf';
import { FUNCTIONS, HANDLER_NAMES } from '../../spec/functions';
import { API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS } from '../../spec/time-budgets';
import {
  OrderFunctions,
  reservedConcurrencyOf,
  orderFunctionEnvironment,
  type OrderFunctionsProps,
  orderFunctionStatements,
} from '../../stacks/order-functions';

const PROPS: OrderFunctionsProps = {
  namePrefix: 'orders-dev',
  artifactsBucketName: 'orders-dev-artifacts-123456789012',
  ordersBucketName: 'orders-dev-orders-123456789012',
  ordersBucketArn: 'arn:aws:s3:::orders-dev-orders-123456789012',
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  logRetentionDays: 14,
  stateMachineName: 'orders-dev-order-workflow',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-order-workflow',
  executionArnPrefix: 'arn:aws:states:us-east-1:123456789012:execution:orders-dev-order-workflow',
  paymentApprovalLimit: 2500,
  reservedConcurrency: { api: 7, 's3-storage': 3 },
};

describe('orderFunctionStatements (least privilege)', () => {
  const statements = orderFunctionStatements(PROPS);

  it('lets the API function start this state machine, describe its executions, read order records and list the index only', () => {
    expect(statements.api).toEqual([
      { Sid: 'StartOrderWorkflow', Effect: 'Allow', Action: 'states:StartExecution', Resource: PROPS.stateMachineArn },
      {
        Sid: 'DescribeOrderWorkflowExecutions',
        Effect: 'Allow',
        Action: 'states:DescribeExecution',
        Resource: `${PROPS.executionArnPrefix}:*`,
      },
      {
        Sid: 'ReadOrders',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/records/*',
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/meta/order-count-*',
        ],
      },
      {
        Sid: 'ListOrderIndex',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::orders-dev-orders-123456789012',
        Condition: { StringLikeIfExists: { 's3:prefix': 'orders/index/*' } },
      },
    ]);
  });

  it('lets the storage function only read records and counter shards, put records, index entries and counter shards, and get a data key to encrypt them', () => {
    expect(statements['s3-storage']).toEqual([
      {
        Sid: 'WriteOrders',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/records/*',
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/index/*',
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/meta/order-count-*',
        ],
      },
      {
        Sid: 'ReadOrders',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/records/*',
          'arn:aws:s3:::orders-dev-orders-123456789012/orders/meta/order-count-*',
        ],
      },
      {
        Sid: 'TellMissingOrders',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::orders-dev-orders-123456789012',
        Condition: { StringLikeIfExists: { 's3:prefix': 'orders/meta/order-count-*' } },
      },
      { Sid: 'EncryptOrders', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: PROPS.kmsKeyArn },
    ]);
  });

  it.each(['order-processor', 'inventory-check', 'payment-process', 'merge-results'] as const)(
    'adds nothing for %s beyond the logs/X-Ray/KMS defaults',
    (handler) => {
      expect(statements[handler]).toEqual([]);
    },
  );

  it('never grants Action "*" or Resource "*"', () => {
    for (const s of Object.values(statements).flat()) {
      expect([s.Action].flat()).not.toContain('*');
      expect([s.Resource].flat()).not.toContain('*');
      expect(s.Effect).toBe('Allow');
    }
  });
});

describe('orderFunctionEnvironment', () => {
  const env = orderFunctionEnvironment(PROPS);

  it.each([...HANDLER_NAMES])('gives %s the Powertools variables', (handler) => {
    expect(env[handler]).toEqual(
      expect.objectContaining({
        POWERTOOLS_SERVICE_NAME: `orders-dev-${handler}`,
        POWERTOOLS_METRICS_NAMESPACE: 'OrderInfra',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      }),
    );
  });

  it('passes the variables each handler reads (docs/architecture.md)', () => {
    expect(env.api).toEqual(expect.objectContaining({ STATE_MACHINE_ARN: PROPS.stateMachineArn, ORDERS_BUCKET: PROPS.ordersBucketName }));
    expect(env['s3-storage']).toEqual(
      expect.objectContaining({ ORDERS_BUCKET: PROPS.ordersBucketName, ORDERS_KMS_KEY_ID: PROPS.kmsKeyArn }),
    );
    expect(env['payment-process'].PAYMENT_APPROVAL_LIMIT).toBe('2500');
    expect(Object.keys(env['order-processor']).sort()).toEqual([
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
    ]);
  });

  it('takes the configured log level', () => {
    expect(orderFunctionEnvironment({ ...PROPS, logLevel: 'DEBUG' }).api.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
  });
});

describe('function sizing (spec/functions.ts)', () => {
  it.each([...HANDLER_NAMES])('sizes %s within Lambda limits', (handler) => {
    const { memoryMb, timeoutSeconds } = FUNCTIONS[handler];
    expect(memoryMb).toBeGreaterThanOrEqual(128);
    expect(timeoutSeconds).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['api', 512, 15],
    ['order-processor', 256, 10],
    ['inventory-check', 256, 10],
    ['payment-process', 256, 10],
    ['merge-results', 256, 10],
    ['s3-storage', 256, 15],
  ] as const)('gives %s %i MB and %i s (the table in docs/app.md)', (handler, memoryMb, timeoutSeconds) => {
    expect(FUNCTIONS[handler]).toEqual(expect.objectContaining({ memoryMb, timeoutSeconds }));
  });

  it('keeps the API function inside API Gateway’s 29-second integration timeout', () => {
    expect(FUNCTIONS.api.timeoutSeconds).toBeLessThan(API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS);
  });
});

describe('reservedConcurrencyOf', () => {
  it('GIVEN one number THEN every function gets it', () => {
    expect(HANDLER_NAMES.map((h) => reservedConcurrencyOf(h, { reservedConcurrency: 7 }))).toEqual(HANDLER_NAMES.map(() => 7));
  });

  it('GIVEN a number per function THEN only the named functions are reserved', () => {
    const perFunction = { api: 20, 's3-storage': 5 };
    expect(reservedConcurrencyOf('api', { reservedConcurrency: perFunction })).toBe(20);
    expect(reservedConcurrencyOf('s3-storage', { reservedConcurrency: perFunction })).toBe(5);
    expect(reservedConcurrencyOf('merge-results', { reservedConcurrency: perFunction })).toBeUndefined();
  });

  it.each(['dev', 'prod'])('GIVEN nothing configured in %s THEN the spec leaves every function unreserved', (environment) => {
    expect(HANDLER_NAMES.map((h) => reservedConcurrencyOf(h, { environment }))).toEqual(HANDLER_NAMES.map(() => undefined));
  });
});

describe('OrderFunctions', () => {
  let json: any;
  let construct: OrderFunctions;
  beforeAll(() => {
    json = JSON.parse(
      Testing.synthScope((scope) => {
        construct = new OrderFunctions(scope, 'functions', PROPS);
        // resolves the ARN tokens into the Terraform references they stand for
        new TerraformOutput(scope, 'arns', { value: construct.workflowArns });
      }),
    );
  });
  const fn = (handler: string) =>
    (Object.values(json.resource.aws_lambda_function) as any[]).find((f) => f.function_name === `orders-dev-${handler}`);

  it.each([...HANDLER_NAMES])('creates %s with its sizing, its own reserved concurrency (if any) and environment', (handler) => {
    expect(fn(handler)).toEqual(
      expect.objectContaining({
        memory_size: FUNCTIONS[handler].memoryMb,
        timeout: FUNCTIONS[handler].timeoutSeconds,
        environment: { variables: orderFunctionEnvironment(PROPS)[handler] },
      }),
    );
    expect(fn(handler).reserved_concurrent_executions).toBe((PROPS.reservedConcurrency as Record<string, number>)[handler]);
  });

  it('reserves concurrency only for the functions listed, each its own count', () => {
    const reserved = HANDLER_NAMES.map((h) => [h, fn(h).reserved_concurrent_executions]).filter(([, n]) => n !== undefined);
    expect(reserved).toEqual([
      ['api', 7],
      ['s3-storage', 3],
    ]);
  });

  it('exposes the literal function names and the task ARNs the workflow needs', () => {
    expect(construct.functionNames).toEqual(HANDLER_NAMES.map((h) => `orders-dev-${h}`));
    // Built from the configured function name (known on a first plan), referencing the function for ordering.
    const ref = (handler: string) =>
      new RegExp(
        `^arn:\\$\\{data\\.aws_partition\\.[\\w-]+\\.partition\\}:lambda:\\$\\{data\\.aws_region\\.[\\w-]+\\.region\\}:\\$\\{data\\.aws_caller_identity\\.[\\w-]+\\.account_id\\}:function:\\$\\{aws_lambda_function\\.functions_${handler}_function_\\w+\\.function_name\\}$`,
      );
    const resolved = json.output.arns.value;
    expect(resolved.orderProcessor).toMatch(ref('order-processor'));
    expect(resolved.inventoryCheck).toMatch(ref('inventory-check'));
    expect(resolved.paymentProcess).toMatch(ref('payment-process'));
    expect(resolved.mergeResults).toMatch(ref('merge-results'));
    expect(resolved.s3Storage).toMatch(ref('s3-storage'));
  });
});
