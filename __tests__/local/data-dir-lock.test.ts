/**
 * One runtime per data dir: the lock is taken before anything is resumed, names its
 * holder, is taken over when stale (holder gone, pid reused, torn file), and is released
 * on stop. Orphan temporary files of a killed process are removed at the next start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE_NAME, acquireDataDirLock, processStartTime } from '../../local/data-dir-lock';
import { executionFileName } from '../../local/execution-store';
import { startTestRuntime, validOrder, type TestRuntime } from '../helpers/local-runtime';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockFile = () => join(dir, LOCK_FILE_NAME);
const writeLock = (owner: Record<string, unknown>) =>
  writeFileSync(
    lockFile(),
    JSON.stringify({ hostname: hostname(), lockedAt: '2026-01-01T00:00:00.000Z', command: 'old', token: 't', ...owner }),
  );

describe('acquireDataDirLock', () => {
  it('GIVEN a held lock WHEN taken again THEN DataDirLockedError names the pid, command and lock file; after release it can be taken', () => {
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });

    let error: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`in use by another local runtime: process ${process.pid} on ${hostname()}`);
    expect((error as Error).message).toContain(lockFile());
    expect((error as Error).message).toContain('another --data-dir');

    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    acquireDataDirLock(dir).release();
  });

  it.each<[string, () => Record<string, unknown> | string]>([
    ['a process that has exited (a crash or kill -9)', () => ({ pid: spawnSync('true').pid })],
    ['a pid now used by another process (different start time)', () => ({ pid: process.pid, processStart: '1' })],
    ['an empty (torn) file', () => ''],
  ])('GIVEN a lock left by %s WHEN taken THEN it is stale and taken over', (_case, left) => {
    const owner = left();
    if (typeof owner === 'string') writeFileSync(lockFile(), owner);
    else writeLock(owner);
    const lock = acquireDataDirLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
  });

  it('GIVEN a live holder with the recorded start time THEN the lock is held', () => {
    writeLock({ pid: process.pid, processStart: processStartTime(process.pid) });
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
  });

  it('GIVEN a lock of another machine sharing the folder THEN it is never taken over', () => {
    writeLock({ pid: 1, hostname: 'elsewhere' });
    expect(() => acquireDataDirLock(dir)).toThrow(/process 1 on elsewhere/);
  });
});

describe('GIVEN a runtime with an unfinished execution on a data dir', () => {
  let first: TestRuntime | undefined;
  afterEach(async () => first?.stop());

  it('WHEN a second runtime starts on the same dir THEN it refuses before resuming anything; after the first stops, the next start resumes and removes orphan .tmp files', async () => {
    // Arrange: ProcessOrder fails with a long retry wait, so the execution stays RUNNING.
    first = await startTestRuntime({
      dataDir: dir,
      faults: [{ state: 'ProcessOrder', error: 'Lambda.ServiceException', times: 'always' }],
    });
    first.runtime.setRetryIntervalMs(60_000);
    const posted = await first.postOrder(validOrder(), 'lock-running');
    expect(posted.status).toBe(202);
    const orderId = posted.json.orderId as string;
    const recordFile = join(dir, 'executions', executionFileName(orderId));
    const onDisk = () => JSON.parse(readFileSync(recordFile, 'utf8')) as { status: string; runs: number };
    expect(onDisk()).toMatchObject({ status: 'RUNNING', runs: 1 });

    // Act + Assess: refused, naming this process; nothing resumed or rewritten.
    await expect(startTestRuntime({ dataDir: dir })).rejects.toThrow(
      new RegExp(`Data dir .* is in use by another local runtime: process ${process.pid} `),
    );
    expect(onDisk()).toMatchObject({ status: 'RUNNING', runs: 1 });
    expect(first.runtime.runningExecutions()).toEqual([orderId]);
    expect((await first.get(`/orders/${orderId}`)).status).toBe(200);

    // The first stops: lock released; a killed writer's temporary file is left behind.
    await first.stop();
    first = undefined;
    expect(existsSync(lockFile())).toBe(false);
    const orphan = join(dir, 'executions', `${executionFileName(orderId)}.99999.1.tmp`);
    writeFileSync(orphan, '{"half":');

    const next = await startTestRuntime({ dataDir: dir });
    try {
      expect(next.runtime.resumed.map((r) => r.name)).toEqual([orderId]);
      expect(existsSync(orphan)).toBe(false);
      await next.runtime.waitForExecution(orderId);
      expect(onDisk().runs).toBe(2);
    } finally {
      await next.stop();
    }
  }, 60_000);
});
