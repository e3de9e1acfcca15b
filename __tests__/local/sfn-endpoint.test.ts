/**
 * The local Step Functions endpoint, driven by the real SFNClient (as the api bundle
 * uses it) and by raw HTTP for the wire format.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startTestRuntime, type TestRuntime } from '../helpers/local-runtime';

let t: TestRuntime;
let sfn: SFNClient;

beforeAll(async () => {
  t = await startTestRuntime();
  sfn = new SFNClient({ endpoint: t.runtime.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
}, 120000);

afterAll(async () => {
  sfn?.destroy();
  await t?.cleanup();
});

const start = (name: string, input: string) =>
  sfn.send(new StartExecutionCommand({ stateMachineArn: t.runtime.stateMachineArn, name, input }));

/** Rejection of a promise as { name, status }. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

describe('StartExecution name idempotency', () => {
  it('GIVEN a RUNNING execution WHEN started again with the same name and input THEN the same executionArn and startDate come back', async () => {
    // ProcessOrder fails "always" with a 60 s retry wait: the execution stays RUNNING.
    t.runtime.faults.set([{ state: 'ProcessOrder', error: 'Lambda.ServiceException', times: 'always' }]);
    t.runtime.setRetryIntervalMs(60000);
    const first = await start('idem-running', '{"a":1}');
    const second = await start('idem-running', '{"a":1}');
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate?.getTime()).toBe(first.startDate?.getTime());
    expect(t.runtime.execution('idem-running')?.status).toBe('RUNNING');
    expect(t.runtime.executions().filter((e) => e.name === 'idem-running')).toHaveLength(1);
  });

  it('GIVEN a RUNNING execution WHEN started again with a different input THEN 400 ExecutionAlreadyExists', async () => {
    expect(await failure(start('idem-running', '{"a":2}'))).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });
  });

  it('GIVEN a closed execution WHEN started again with the same name and input THEN 400 ExecutionAlreadyExists', async () => {
    t.runtime.faults.set([]);
    t.runtime.setRetryIntervalMs(10);
    await start('idem-closed', '{}');
    const closed = await t.runtime.waitForExecution('idem-closed');
    expect(closed.status).not.toBe('RUNNING');
    expect(await failure(start('idem-closed', '{}'))).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });
  });

  it('GIVEN an ExecutionAlreadyExists WHEN read on the wire THEN it is the AWS JSON error shape', async () => {
    const res = await fetch(t.runtime.sfnEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: JSON.stringify({ stateMachineArn: t.runtime.stateMachineArn, name: 'idem-closed', input: '{}' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toMatch(/#ExecutionAlreadyExists$/);
    expect(body.message).toContain('idem-closed');
  });

  it.each([
    ['a name with a space', 'InvalidName', { name: 'bad name', input: '{}' }],
    ['a name of 81 characters', 'InvalidName', { name: 'x'.repeat(81), input: '{}' }],
    ['an input that is not JSON', 'InvalidExecutionInput', { name: 'bad-input', input: '{' }],
  ])('GIVEN %s WHEN started THEN 400 %s', async (_case, code, request) => {
    const result = await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: t.runtime.stateMachineArn, ...request })));
    expect(result).toMatchObject({ name: code, status: 400 });
  });

  it('GIVEN another state machine ARN WHEN started THEN StateMachineDoesNotExist', async () => {
    const result = await failure(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${t.runtime.stateMachineArn}-other`, name: 'n', input: '{}' })),
    );
    expect(result.name).toBe('StateMachineDoesNotExist');
  });
});

describe('ARN checks as Step Functions answers them', () => {
  const sm = () => t.runtime.stateMachineArn;
  it.each<[string, () => Record<string, unknown>, string, RegExp]>([
    ['no ARN at all', () => ({ name: 'n' }), 'ValidationException', /Value null at 'stateMachineArn' failed to satisfy constraint/],
    [
      'a name instead of an ARN',
      () => ({ stateMachineArn: 'orders-local-order-workflow' }),
      'InvalidArn',
      /^Invalid Arn: 'Invalid ARN prefix: orders-local-order-workflow'$/,
    ],
    [
      'an execution ARN',
      () => ({ stateMachineArn: sm().replace(':stateMachine:', ':execution:') }),
      'InvalidArn',
      /^Invalid Arn: 'Resource type not valid in this context: execution'$/,
    ],
    [
      'a Lambda ARN',
      () => ({ stateMachineArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }),
      'InvalidArn',
      /Resource type not valid in this context: function/,
    ],
    [
      'a short account id',
      () => ({ stateMachineArn: sm().replace('000000000000', '0000') }),
      'InvalidArn',
      /^Invalid Arn: 'arn:aws:states:/,
    ],
    [
      'an ARN of 300 characters',
      () => ({ stateMachineArn: `${sm()}${'x'.repeat(300)}` }),
      'ValidationException',
      /length between 1 and 256/,
    ],
  ])('GIVEN StartExecution with %s THEN 400 %s with the service message', async (_case, request, code, message) => {
    const result = await failure(sfn.send(new StartExecutionCommand({ name: 'arn-case', input: '{}', ...request() } as never)));
    expect(result).toMatchObject({ name: code, status: 400 });
    expect(result.message).toMatch(message);
  });

  it.each<[string, () => unknown, string, RegExp]>([
    ['a state machine ARN', () => sm(), 'InvalidArn', /^Invalid Arn: 'Resource type not valid in this context: stateMachine'$/],
    [
      'an execution ARN without a name',
      () => sm().replace(':stateMachine:', ':execution:'),
      'InvalidArn',
      /^Invalid Arn: 'arn:aws:states:/,
    ],
    ['garbage', () => 'not-an-arn', 'InvalidArn', /^Invalid Arn: 'Invalid ARN prefix: not-an-arn'$/],
    ['nothing', () => undefined, 'ValidationException', /Value null at 'executionArn'/],
  ])('GIVEN DescribeExecution with %s THEN 400 %s', async (_case, executionArn, code, message) => {
    const result = await failure(sfn.send(new DescribeExecutionCommand({ executionArn: executionArn() } as never)));
    expect(result).toMatchObject({ name: code, status: 400 });
    expect(result.message).toMatch(message);
  });

  it('GIVEN a well-formed execution ARN of another state machine THEN ExecutionDoesNotExist, not InvalidArn', async () => {
    const arn = `${sm().replace(':stateMachine:', ':execution:')}-other:name`;
    expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: arn })))).toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});

describe('DescribeExecution', () => {
  it('GIVEN a closed execution WHEN described THEN status, input, dates and error come back and its record is on disk', async () => {
    const arn = t.runtime.execution('idem-closed')!.executionArn;
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(d).toMatchObject({ executionArn: arn, name: 'idem-closed', input: '{}', stateMachineArn: t.runtime.stateMachineArn });
    expect(['SUCCEEDED', 'FAILED']).toContain(d.status);
    expect(d.startDate).toBeInstanceOf(Date);
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    expect(existsSync(join(t.dataDir, 'executions', 'idem-closed.json'))).toBe(true);
  });

  it('GIVEN an unknown execution ARN WHEN described THEN 400 ExecutionDoesNotExist', async () => {
    const arn = `${t.runtime.stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`;
    expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: arn })))).toMatchObject({
      name: 'ExecutionDoesNotExist',
      status: 400,
    });
  });

  it('GIVEN an unsupported operation WHEN called THEN 400 UnknownOperationException', async () => {
    const res = await fetch(t.runtime.sfnEndpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSStepFunctions.SendTaskSuccess' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/#UnknownOperationException$/);
  });
});
