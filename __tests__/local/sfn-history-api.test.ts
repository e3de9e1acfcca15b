/**
 * The local Step Functions endpoint read by the AWS SDK's own client, as the AWS CLI
 * (`aws stepfunctions get-execution-history --endpoint-url ...`) would read it.
 */
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startTestRuntime, type TestRuntime, validOrder } from '../helpers/local-runtime';

let t: TestRuntime;
let sfn: SFNClient;

function client(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
}

async function placeOrder(): Promise<string> {
  const res = await t.postOrder(validOrder());
  expect(res.status).toBe(202);
  const id = res.json.orderId as string;
  await t.runtime.waitForExecution(id);
  return id;
}

function arnOf(name: string): string {
  return `${t.runtime.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

async function history(name: string, extra: Record<string, unknown> = {}): Promise<HistoryEvent[]> {
  const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf(name), maxResults: 1000, ...extra }));
  return out.events ?? [];
}

/** The types of one state's events, from its Entered event to its Exited event. */
function stateChain(events: HistoryEvent[], name: string): string[] {
  const exited = events.find((e) => e.stateExitedEventDetails?.name === name);
  if (!exited) return [];
  const byId = new Map(events.map((e) => [e.id, e]));
  const chain: string[] = [];
  for (let e: HistoryEvent | undefined = exited; e; e = byId.get(e.previousEventId)) {
    chain.unshift(e.type as string);
    if (e.stateEnteredEventDetails?.name === name) break;
  }
  return chain;
}

beforeAll(async () => {
  t = await startTestRuntime();
  sfn = client(t.runtime.sfnEndpoint);
});
afterAll(async () => {
  sfn?.destroy();
  await t?.cleanup();
});
afterEach(() => t.runtime.faults.set([]));

describe('GetExecutionHistory over the AWS SDK', () => {
  it('GIVEN an order whose CheckInventory fails once with a transient error THEN its history shows the retry inside the Parallel state, in AWS order', async () => {
    t.runtime.faults.set([{ state: 'CheckInventory', error: 'Lambda.ServiceException', times: 1 }]);
    const events = await history(await placeOrder());
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.type).toBe('ExecutionStarted');
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(stateChain(events, 'CheckInventory')).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    const entered = events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered.slice(0, 2)).toEqual(['ProcessOrder', 'CheckInventoryAndPayment']);
    expect(entered).toEqual(expect.arrayContaining(['MergeResults', 'IsRefundRequired', 'StoreOrder']));
    const types = events.map((e) => e.type);
    expect(types.indexOf('ParallelStateStarted')).toBe(types.indexOf('ParallelStateEntered') + 1);
    expect(types.indexOf('ParallelStateSucceeded')).toBeLessThan(types.indexOf('ParallelStateExited'));
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'Lambda.ServiceException' });
  });

  it('GIVEN an order whose ProcessPayment fails with an error no Retrier matches THEN the Catch shows as TaskFailed → TaskStateExited → PaymentFailed', async () => {
    t.runtime.faults.set([{ state: 'ProcessPayment', error: 'PaymentGatewayDown', times: 'always' }]);
    const events = await history(await placeOrder());
    expect(stateChain(events, 'ProcessPayment')).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
    ]);
    const exitedAt = events.findIndex((e) => e.stateExitedEventDetails?.name === 'ProcessPayment');
    const next = events.slice(exitedAt + 1).find((e) => e.stateEnteredEventDetails?.name === 'PaymentFailed');
    expect(next?.type).toBe('PassStateEntered');
  });

  it('GIVEN reverseOrder, maxResults and nextToken THEN pages walk the events newest first without gaps or repeats', async () => {
    const name = await placeOrder();
    const all = await history(name);
    const seen: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: arnOf(name), reverseOrder: true, maxResults: 7, nextToken }),
      );
      expect((page.events ?? []).length).toBeLessThanOrEqual(7);
      seen.push(...(page.events ?? []).map((e) => e.id as number));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(all.map((e) => e.id as number).reverse());
  });

  it('GIVEN includeExecutionData false THEN no event carries an input or an output', async () => {
    const events = await history(await placeOrder(), { includeExecutionData: false });
    expect(events.length).toBeGreaterThan(10);
    expect(JSON.stringify(events)).not.toMatch(/"(input|output|parameters)"/);
    expect(events.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails?.name).toBe('ProcessOrder');
  });

  it('GIVEN a token from another execution THEN InvalidToken, as AWS answers', async () => {
    const a = await placeOrder();
    const b = await placeOrder();
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf(a), maxResults: 2 }));
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf(b), nextToken: page.nextToken }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });

  it('GIVEN a restart of the runtime THEN the history of a finished order is still there', async () => {
    const name = await placeOrder();
    const before = await history(name);
    sfn.destroy();
    t = await t.restart();
    sfn = client(t.runtime.sfnEndpoint);
    expect(await history(name)).toEqual(before);
  });
});

describe('ListExecutions, DescribeStateMachine, ListStateMachines, StopExecution over the AWS SDK', () => {
  it('GIVEN finished orders THEN ListExecutions pages them newest first and filters by status', async () => {
    await placeOrder();
    await placeOrder();
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: t.runtime.stateMachineArn, maxResults: 2, nextToken }));
      names.push(...(page.executions ?? []).map((e) => e.name as string));
      nextToken = page.nextToken;
    } while (nextToken);
    const records = t.runtime.executions().sort((x, y) => y.startDate.localeCompare(x.startDate) || x.name.localeCompare(y.name));
    expect(names).toEqual(records.map((r) => r.name));
    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: t.runtime.stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 1000 }),
    );
    expect((succeeded.executions ?? []).every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(succeeded.executions?.length).toBe(records.filter((r) => r.status === 'SUCCEEDED').length);
  });

  it('THEN DescribeStateMachine returns the definition the runtime runs, and ListStateMachines lists it', async () => {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: t.runtime.stateMachineArn }));
    expect(described).toMatchObject({ stateMachineArn: t.runtime.stateMachineArn, status: 'ACTIVE', type: 'STANDARD' });
    const definition = JSON.parse(described.definition ?? '{}');
    expect(definition.StartAt).toBe('ProcessOrder');
    expect(Object.keys(definition.States)).toEqual(expect.arrayContaining(['CheckInventoryAndPayment', 'MergeResults', 'StoreOrder']));
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.stateMachineArn)).toEqual([t.runtime.stateMachineArn]);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${t.runtime.stateMachineArn}-other` })),
    ).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('GIVEN an execution stuck retrying WHEN StopExecution is called THEN it ends ABORTED with the given error and its history ends ExecutionAborted', async () => {
    t.runtime.faults.set([{ state: 'ProcessOrder', error: 'Lambda.ServiceException', times: 'always' }]);
    t.runtime.setRetryIntervalMs(5000);
    try {
      const res = await t.postOrder(validOrder());
      const name = res.json.orderId as string;
      const stopped = await sfn.send(
        new StopExecutionCommand({ executionArn: arnOf(name), error: 'Operator', cause: 'stopped by the test' }),
      );
      expect(stopped.stopDate).toBeInstanceOf(Date);
      const record = await t.runtime.waitForExecution(name, 5000);
      expect(record).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by the test' });
      const events = await history(name);
      expect(events.at(-1)?.type).toBe('ExecutionAborted');
    } finally {
      t.runtime.setRetryIntervalMs(10);
    }
  });
});
