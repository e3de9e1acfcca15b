/**
 * LocalStepFunctions.resumeUnfinished with a recording runner: which executions of a
 * previous process are run again at start, and from where.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionStore, type ExecutionRecord } from '../../local/execution-store';
import { LocalStepFunctions, MAX_LOCAL_REDRIVES } from '../../local/step-functions';
import type { RedrivePoint, WorkflowRunner } from '../../local/workflow-runner';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders-local-order-workflow';
const FROM: RedrivePoint = { state: 'StoreFailedOrder', input: { orderId: 'ord_x', error: { Error: 'S3', Cause: 'down' } } };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-sfn-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function record(name: string, fields: Partial<ExecutionRecord>): ExecutionRecord {
  return {
    executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:${name}`,
    stateMachineArn: ARN,
    name,
    input: JSON.stringify({ orderId: name }),
    status: 'RUNNING',
    startDate: '2026-11-26T00:00:00.000Z',
    runs: 1,
    ...fields,
  };
}

/** Writes records as a previous process would have, then starts a service on them with a runner that never finishes. */
async function resumeWith(records: ExecutionRecord[]) {
  const previous = new ExecutionStore(dir);
  await Promise.all(records.map((r) => previous.put(r)));
  const runs: Array<{ name: string; input: unknown; from?: RedrivePoint }> = [];
  const runner = {
    run: (input: unknown, ctx: { executionName: string }, from?: RedrivePoint) => {
      runs.push({ name: ctx.executionName, input, ...(from ? { from } : {}) });
      return { result: new Promise(() => undefined), abort: () => undefined };
    },
  } as unknown as WorkflowRunner;
  const store = new ExecutionStore(dir);
  const service = new LocalStepFunctions(store, runner, ARN);
  const resumed = await service.resumeUnfinished();
  return { resumed: resumed.map((r) => r.name).sort(), runs, store };
}

describe('resumeUnfinished', () => {
  it('GIVEN a RUNNING execution WHEN resumed THEN it runs again from the start with its input, runs + 1', async () => {
    const { resumed, runs, store } = await resumeWith([record('a', {})]);
    expect(resumed).toEqual(['a']);
    expect(runs).toEqual([{ name: 'a', input: { orderId: 'a' } }]);
    expect(store.get('a')).toEqual(expect.objectContaining({ status: 'RUNNING', runs: 2 }));
  });

  it('GIVEN a FAILED execution with a re-drive point WHEN resumed THEN it is re-driven from that state with that input: RUNNING, redriveCount 1, error cleared', async () => {
    const { resumed, runs, store } = await resumeWith([
      record('f', { status: 'FAILED', stopDate: '2026-11-26T00:01:00.000Z', error: 'Error', cause: 'down', redriveFrom: FROM }),
    ]);
    expect(resumed).toEqual(['f']);
    expect(runs).toEqual([{ name: 'f', input: { orderId: 'f' }, from: FROM }]);
    const now = store.get('f')!;
    expect(now).toEqual(expect.objectContaining({ status: 'RUNNING', runs: 2, redriveCount: 1, redriveFrom: FROM }));
    expect(now.stopDate).toBeUndefined();
    expect(now.error).toBeUndefined();
  });

  it('GIVEN a re-drive that was itself stopped (RUNNING with a re-drive point) WHEN resumed THEN it continues from the re-drive point, not the start', async () => {
    const { runs } = await resumeWith([record('r', { status: 'RUNNING', redriveCount: 1, redriveFrom: FROM, runs: 2 })]);
    expect(runs).toEqual([{ name: 'r', input: { orderId: 'r' }, from: FROM }]);
  });

  it.each<[string, Partial<ExecutionRecord>]>([
    ['SUCCEEDED', { status: 'SUCCEEDED' }],
    ['FAILED without a re-drive point (not a top-level Task failure)', { status: 'FAILED' }],
    ['TIMED_OUT', { status: 'TIMED_OUT' }],
    [`FAILED after ${MAX_LOCAL_REDRIVES} re-drives`, { status: 'FAILED', redriveFrom: FROM, redriveCount: MAX_LOCAL_REDRIVES }],
  ])('GIVEN an execution %s WHEN the service starts THEN it is left alone', async (_name, fields) => {
    const { resumed, runs, store } = await resumeWith([record('x', fields)]);
    expect(resumed).toEqual([]);
    expect(runs).toEqual([]);
    expect(store.get('x')?.status).toBe(fields.status);
  });

  it(`GIVEN a FAILED execution re-driven ${MAX_LOCAL_REDRIVES - 1} times WHEN the service starts THEN it gets its last re-drive`, async () => {
    const { resumed, store } = await resumeWith([
      record('l', { status: 'FAILED', redriveFrom: FROM, redriveCount: MAX_LOCAL_REDRIVES - 1 }),
    ]);
    expect(resumed).toEqual(['l']);
    expect(store.get('l')?.redriveCount).toBe(MAX_LOCAL_REDRIVES);
  });
});
