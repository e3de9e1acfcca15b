import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../local/polyfills';
import { ExecutionHistoryStore, type LibraryEvent, toHistoryEvents, withoutExecutionData } from '../../local/execution-history';

const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

const CONTEXT = { region: 'us-east-1', roleArn: 'arn:aws:iam::000000000000:role/r', taskTimeouts: { Work: 30 } };
const LAMBDA = 'arn:aws:states:::lambda:invoke';

/** Runs a definition on the library with local Task handlers; returns the AWS-shaped history. */
async function historyOf(definition: object, handlers: Record<string, (input: unknown) => Promise<unknown>>) {
  const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const execution = machine.run({ order: 1 } as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((k) => [k, 1])),
    },
  });
  const events: LibraryEvent[] = [];
  const collected = (async () => {
    for await (const e of execution.eventLogs) {
      events.push(e as LibraryEvent);
      if (e.type.startsWith('Execution') && e.type !== 'ExecutionStarted') break;
    }
  })();
  await execution.result.catch(() => undefined);
  await collected;
  return toHistoryEvents(events, CONTEXT, new Map([['Work', { FunctionName: 'fn', Payload: { order: 1 } }]]));
}

function failing(times: number, name = 'Lambda.ServiceException') {
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls <= times) throw Object.assign(new Error('boom'), { name });
    return { ok: true };
  };
}

const task = (extra: object) => ({ Type: 'Task', Resource: LAMBDA, ...extra });

describe('toHistoryEvents: the library run as AWS reports it in GetExecutionHistory', () => {
  it('GIVEN a Task that fails once and is retried THEN TaskFailed is followed by a new TaskScheduled/TaskStarted, without entering the state again', async () => {
    const events = await historyOf(
      { StartAt: 'Work', States: { Work: task({ Retry: [{ ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 2 }], End: true }) } },
      { Work: failing(1) },
    );
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[2]).toMatchObject({
      taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', timeoutInSeconds: 30 },
    });
    expect(
      JSON.parse(
        String((events[2] as unknown as { taskScheduledEventDetails: { parameters: string } }).taskScheduledEventDetails.parameters),
      ),
    ).toEqual({
      FunctionName: 'fn',
      Payload: { order: 1 },
    });
    expect(events[4]).toMatchObject({ taskFailedEventDetails: { error: 'Lambda.ServiceException', cause: 'boom' } });
  });

  it('GIVEN a Task whose failure a Catch handles THEN TaskFailed is followed by TaskStateExited and the catcher state', async () => {
    const events = await historyOf(
      {
        StartAt: 'Work',
        States: {
          Work: task({ Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }], End: true }),
          Handled: { Type: 'Pass', End: true },
        },
      },
      { Work: failing(5, 'PaymentDeclined') },
    );
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const exited = events[5] as unknown as { stateExitedEventDetails: { name: string; output: string } };
    expect(exited.stateExitedEventDetails.name).toBe('Work');
    expect(JSON.parse(exited.stateExitedEventDetails.output).error.Error).toBe('PaymentDeclined');
  });

  it('GIVEN a Parallel state THEN it is Entered, Started, its branches run, then Succeeded and Exited; each Task chains to its own events', async () => {
    const events = await historyOf(
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Left', States: { Left: task({ End: true }) } },
              { StartAt: 'Right', States: { Right: task({ End: true }) } },
            ],
            End: true,
          },
        },
      },
      { Left: async () => 'l', Right: async () => 'r' },
    );
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskSucceeded')).toHaveLength(2);
    // Follow one Task's chain from its Exited event back to its Entered event.
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const name of ['Left', 'Right']) {
      const exited = events.find((e) => (e as { stateExitedEventDetails?: { name: string } }).stateExitedEventDetails?.name === name)!;
      const chain = [exited.type];
      let e = byId.get(exited.previousEventId);
      while (e && !e.type.endsWith('StateEntered')) {
        chain.unshift(e.type);
        e = byId.get(e.previousEventId);
      }
      chain.unshift(e!.type);
      expect(chain).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
      expect((e as unknown as { stateEnteredEventDetails: { name: string } }).stateEnteredEventDetails.name).toBe(name);
    }
  });

  it('GIVEN a run that fails THEN the history ends with ExecutionFailed naming the error', async () => {
    const events = await historyOf({ StartAt: 'Work', States: { Work: task({ End: true }) } }, { Work: failing(9, 'Fatal') });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Fatal' } });
  });

  it('GIVEN a re-drive run THEN it starts with ExecutionRedriven and its ids continue after the first run', () => {
    const started: LibraryEvent = { type: 'ExecutionStarted', timestamp: 1, input: {} };
    const events = toHistoryEvents([started], CONTEXT, new Map(), 11, { kind: 'redrive', redriveCount: 2 });
    expect(events).toEqual([
      { id: 11, previousEventId: 10, timestamp: 1, type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount: 2 } },
    ]);
  });

  it('GIVEN includeExecutionData false THEN inputs, outputs and parameters are dropped and everything else is kept', () => {
    const event = {
      id: 2,
      previousEventId: 1,
      timestamp: 5,
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'r', parameters: '{"secret":1}' },
    };
    expect(withoutExecutionData(event)).toEqual({
      id: 2,
      previousEventId: 1,
      timestamp: 5,
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'r' },
    });
  });
});

describe('ExecutionHistoryStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orders-history-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN events appended for a name of 80 CJK characters WHEN a new store opens the folder THEN they are read back', async () => {
    const name = '注'.repeat(80);
    const store = new ExecutionHistoryStore(dir);
    await store.append(name, (first) => [{ id: first, previousEventId: first - 1, timestamp: 1, type: 'ExecutionStarted' }]);
    await store.append(name, (first) => [{ id: first, previousEventId: first - 1, timestamp: 2, type: 'ExecutionSucceeded' }]);
    const reopened = new ExecutionHistoryStore(dir);
    expect(reopened.get(name).map((e) => [e.id, e.type])).toEqual([
      [1, 'ExecutionStarted'],
      [2, 'ExecutionSucceeded'],
    ]);
    expect(readdirSync(dir).every((f) => Buffer.byteLength(f) < 255)).toBe(true);
  });

  it('GIVEN a temporary file left by a crash WHEN the store opens THEN it is removed and the complete files are kept', () => {
    writeFileSync(join(dir, 'abc.json.123.1.tmp'), '{"partial');
    new ExecutionHistoryStore(dir);
    expect(existsSync(join(dir, 'abc.json.123.1.tmp'))).toBe(false);
  });
});
