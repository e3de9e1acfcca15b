/**
 * Every invocation's log lines carry Powertools' Lambda context keys, and the first invocation of
 * an execution environment (and only it) emits the ColdStart metric.
 */
import type { handler as Handler } from '../../../handlers/payment-process/index';
import { order } from '../fixtures';

const context = (awsRequestId: string) => ({
  awsRequestId,
  functionName: 'orders-dev-payment-process',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-payment-process',
  memoryLimitInMB: '256',
});

describe('invocation context (payment-process handler)', () => {
  const savedEnv = { ...process.env };
  let handler: typeof Handler;
  let stdout: jest.SpiedFunction<typeof process.stdout.write>;
  const lines = () =>
    stdout.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line));

  beforeAll(async () => {
    // Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE; Powertools counts cold starts only for on-demand environments.
    Object.assign(process.env, {
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'OrdersTest',
    });
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    ({ handler } = await import('../../../handlers/payment-process/index'));
  });
  afterAll(() => {
    process.env = savedEnv;
  });
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  it('GIVEN two invocations WHEN logged THEN each line names the function and its own request id, and only the first is a cold start', async () => {
    await handler(order(), context('req-1'));
    const first = lines();
    stdout.mockClear();
    await handler(order(), context('req-2'));
    const second = lines();

    const firstLog = first.find((l) => l.message === 'payment charge decision');
    const secondLog = second.find((l) => l.message === 'payment charge decision');
    expect(firstLog).toMatchObject({ cold_start: true, function_request_id: 'req-1', function_name: 'orders-dev-payment-process' });
    expect(secondLog).toMatchObject({ cold_start: false, function_request_id: 'req-2' });

    const coldStarts = (ls: any[]) => ls.filter((l) => l._aws?.CloudWatchMetrics?.[0]?.Metrics?.some((m: any) => m.Name === 'ColdStart'));
    expect(coldStarts(first)).toHaveLength(1);
    expect(coldStarts(first)[0]).toMatchObject({ ColdStart: 1, function_name: 'orders-dev-payment-process' });
    expect(coldStarts(second)).toHaveLength(0);
  });
});
