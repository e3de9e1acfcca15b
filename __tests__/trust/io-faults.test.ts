/**
 * I/O errors of the data dir never end the process: a full disk, a read-only mount or a
 * missing permission (injected into the execution store's writes; we run as root, so
 * chmod proves nothing) gives a one-line warning and a 503 for the affected request,
 * which was then not started; a function log on a full device (a symlink to /dev/full)
 * is dropped with a warning; no promise is left rejected unobserved.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderIdFromIdempotencyKey } from '../../handlers/shared/ids';
import { recordKey } from '../../handlers/shared/storage-layout';
import { closeIdleConnections, postOrder, send } from './http';
import { VALID_ORDER } from './hostile-cases';
import { startTrustRuntime, type TrustRuntime } from './trust-runtime';

/** The write error to inject next, and which record writes it hits. */
const fault: { code?: string; hits?: (data: string) => boolean } = {};
const fileSystem = {
  writeFile: async (path: string, data: string) => {
    if (fault.code && (fault.hits?.(data) ?? true)) {
      throw Object.assign(new Error(`${fault.code}: injected, write '${path}'`), { code: fault.code, path, syscall: 'write' });
    }
    await writeFile(path, data);
  },
};

const warnings: string[] = [];
/** Every warning since the first start (`warnings` is reset per test). */
const allWarnings: string[] = [];
const onWarning = (message: string) => {
  warnings.push(message);
  allWarnings.push(message);
};
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let dataDir: string;
let rt: TrustRuntime;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dataDir = mkdtempSync(join(tmpdir(), 'order-infra-io-'));
  mkdirSync(join(dataDir, 'logs'));
  // A full disk for the api function's log: every write to /dev/full fails with ENOSPC.
  symlinkSync('/dev/full', join(dataDir, 'logs', 'api.log'));
  rt = await startTrustRuntime({ dataDir, fileSystem, onWarning });
}, 120_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  closeIdleConnections();
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  fault.code = undefined;
  fault.hits = undefined;
});

describe('GIVEN the execution store cannot write WHEN an order is posted', () => {
  it.each(['ENOSPC', 'EROFS', 'EACCES'])(
    '%s: 503 JSON with Retry-After, a one-line warning naming it, nothing started or stored; the retry after it clears is accepted once',
    async (code) => {
      // Arrange
      const key = `io-${code}`;
      const orderId = orderIdFromIdempotencyKey(key);
      fault.code = code;
      warnings.length = 0;

      // Act
      const refused = await postOrder(rt.baseUrl, VALID_ORDER, key);

      // Assess
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect((refused.json as { message: string }).message).toMatch(/temporarily unavailable/);
      expect(refused.text).not.toMatch(/\/tmp\/|ENOSPC|EROFS|EACCES/);
      const storeWarnings = warnings.filter((w) => w.includes('record of execution'));
      expect(storeWarnings.length).toBeGreaterThan(0);
      for (const w of storeWarnings) expect(w).not.toContain('\n');
      expect(storeWarnings[0]).toMatch(
        new RegExp(`Cannot write the record of execution "${orderId}": ${code}, .*; the order was not started`),
      );
      expect(rt.runtime.execution(orderId)).toBeUndefined();

      fault.code = undefined;
      const accepted = await postOrder(rt.baseUrl, VALID_ORDER, key);
      expect(accepted.status).toBe(202);
      await rt.waitForStored([orderId]);
      expect((await rt.listKeys('orders/records/')).filter((k) => k === recordKey(orderId))).toHaveLength(1);
    },
  );
});

describe('GIVEN a full device under the api function log WHEN orders are served', () => {
  it('THEN one warning says its output is dropped and the API keeps answering', async () => {
    const res = await postOrder(rt.baseUrl, VALID_ORDER, 'io-log');
    expect(res.status).toBe(202);
    await rt.waitForStored([orderIdFromIdempotencyKey('io-log')]);
    expect((await send(rt.baseUrl, { method: 'GET', path: '/orders?limit=1' })).status).toBe(200);
    const logWarnings = allWarnings.filter((w) => w.includes('api function log'));
    expect(logWarnings).toEqual([
      expect.stringMatching(/^Cannot write the api function log: ENOSPC, no space left on the device.*; its output is dropped$/),
    ]);
  });
});

describe('GIVEN the final record write of an execution fails WHEN the order finishes', () => {
  it('THEN the order is stored anyway, a warning says it resumes, and the next start finishes it again without a second record', async () => {
    // Arrange: only writes of a finished record fail.
    fault.code = 'ENOSPC';
    fault.hits = (data) => data.includes('"status": "SUCCEEDED"');
    warnings.length = 0;
    const key = 'io-final';
    const orderId = orderIdFromIdempotencyKey(key);

    // Act
    expect((await postOrder(rt.baseUrl, VALID_ORDER, key)).status).toBe(202);
    await rt.waitForStored([orderId]);
    fault.code = undefined;

    // Assess: on disk the execution is still RUNNING; the next start resumes it.
    expect(warnings.some((w) => /ENOSPC.*the execution resumes at the next start/.test(w))).toBe(true);
    await rt.test.stop();
    rt = await startTrustRuntime({ dataDir, fileSystem, onWarning });
    expect(rt.runtime.resumed.map((r) => r.name)).toContain(orderId);
    await rt.runtime.waitForIdle(30_000);
    expect((await rt.listKeys('orders/records/')).filter((k) => k === recordKey(orderId))).toHaveLength(1);
    expect((await rt.readRecord(orderId)).finalStatus).toBe('completed');
  });

  it('THEN no promise was ever rejected unobserved', () => {
    expect(unhandled).toEqual([]);
  });
});
