import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionStore, type ExecutionRecord } from '../../local/execution-store';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-store-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (name: string, status: ExecutionRecord['status'] = 'RUNNING'): ExecutionRecord => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:m:${name}`,
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
  name,
  input: '{"a":1}',
  status,
  startDate: '2026-01-01T00:00:00.000Z',
  runs: 1,
});

it('GIVEN records put and then updated WHEN a new store opens the folder THEN it sees the last version of each', async () => {
  const store = new ExecutionStore(dir);
  await store.put(record('a'));
  void store.put(record('b'));
  void store.put({ ...record('b'), status: 'SUCCEEDED', output: '{}' });
  await store.flush();
  const reopened = new ExecutionStore(dir);
  expect(reopened.get('a')?.status).toBe('RUNNING');
  expect(reopened.get('b')?.status).toBe('SUCCEEDED');
  expect(reopened.list()).toHaveLength(2);
});

it('GIVEN a put WHEN it has not reached the disk yet THEN get() already returns it (check-and-set is synchronous)', () => {
  const store = new ExecutionStore(dir);
  const pending = store.put(record('sync'));
  expect(store.get('sync')?.name).toBe('sync');
  return pending;
});

it('GIVEN finished writes WHEN the folder is listed THEN only <name>.json files remain (no temporary files)', async () => {
  const store = new ExecutionStore(dir);
  await Promise.all([store.put(record('x')), store.put({ ...record('x'), status: 'FAILED' })]);
  expect(readdirSync(dir)).toEqual(['x.json']);
});

it.each([
  ['not valid JSON', '{"name": 5', /junk\.json is not valid JSON; moved to junk\.json\.unreadable, its execution is not resumed$/],
  [
    'JSON but no execution record',
    '{"hello":"world"}',
    /junk\.json is not an execution record \(no name or status\); moved to junk\.json\.unreadable/,
  ],
])(
  'GIVEN a record file that is %s WHEN the store opens THEN it is moved aside and the operator told, in one line naming it',
  async (_n, text, message) => {
    writeFileSync(join(dir, 'junk.json'), text);
    const told: string[] = [];
    const store = new ExecutionStore(dir, { onUnreadable: (m) => told.push(m) });
    await store.put(record('ok'));
    expect(store.list().map((r) => r.name)).toEqual(['ok']);
    expect(told).toEqual([expect.stringMatching(message)]);
    expect(told[0]).toContain(join(dir, 'junk.json'));
    expect(readdirSync(dir).sort()).toEqual(['junk.json.unreadable', 'ok.json']);
    // Kept as it was, and never loaded (or reported) again.
    expect(readFileSync(join(dir, 'junk.json.unreadable'), 'utf8')).toBe(text);
    const again: string[] = [];
    expect(new ExecutionStore(dir, { onUnreadable: (m) => again.push(m) }).list().map((r) => r.name)).toEqual(['ok']);
    expect(again).toEqual([]);
  },
);
