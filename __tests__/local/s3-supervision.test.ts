/**
 * The runtime supervises its S3 server: `kill -9` of the S3 child during load. It is
 * restarted on the same data; meanwhile the API answers 503 + Retry-After and starts
 * nothing; every order answered 202 ends stored exactly once (completed: the outage is
 * shorter than the storage retries, so nothing valid is refunded); no order answered 5xx exists.
 */
import { ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX, recordKey } from '../../handlers/shared/storage-layout';
import { closeIdleConnections, postOrder, runPool, type RawResponse } from '../trust/http';
import { startTrustRuntime, type TrustRuntime } from '../trust/trust-runtime';
import { validOrder } from '../helpers/local-runtime';

let rt: TrustRuntime;

beforeAll(async () => {
  // 500 ms retry waits: StoreOrder's storage retries span seconds, longer than a restart.
  rt = await startTrustRuntime({ retryIntervalMs: 500 });
});
afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

it('GIVEN load WHEN the S3 child is killed with SIGKILL THEN it is restarted, 503 + Retry-After while down, every 202 stored once, no 5xx order exists', async () => {
  const runId = Date.now().toString(36);
  const answers: { key?: string; res: RawResponse }[] = [];
  const pid = rt.runtime.s3.pid!;
  const load = runPool(
    Array.from({ length: 40 }, (_, i) => i),
    6,
    async (i) => {
      if (i === 12) process.kill(pid, 'SIGKILL');
      // Half keyed (their order id is known even when refused), half keyless.
      const key = i % 2 === 0 ? `supervision-${runId}-${i}` : undefined;
      answers.push({ key, res: await postOrder(rt.baseUrl, validOrder({ customerName: `Load ${i}` }), key) });
    },
  );
  // Deterministically one request inside the outage: the restart takes a process start.
  await until(() => !rt.runtime.s3.running, 10_000, 'the S3 child to be seen dead');
  const duringOutage = await postOrder(rt.baseUrl, validOrder({ customerName: 'During outage' }), `supervision-${runId}-down`);
  await load;
  await until(() => rt.runtime.s3.running, 20_000, 'the S3 child to be restarted');

  expect(duringOutage.status).toBe(503);
  expect(duringOutage.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(JSON.stringify(duringOutage.json)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|\bat .+\(/);
  expect(rt.runtime.s3.restarts).toBe(1);
  expect(rt.runtime.s3.pid).not.toBe(pid);

  const accepted = answers.filter((a) => a.res.status === 202).map((a) => (a.res.json as { orderId: string }).orderId);
  expect(answers.map((a) => a.res.status).filter((s) => s !== 202 && s !== 503)).toEqual([]);
  // Every started execution was answered 202: a refused request (keyed or not) started nothing.
  expect(
    rt.runtime
      .executions()
      .map((e) => e.name)
      .sort(),
  ).toEqual([...accepted].sort());

  await rt.waitForStored(accepted, 60_000);
  expect((await rt.listKeys(ORDER_RECORDS_PREFIX)).sort()).toEqual(accepted.map(recordKey).sort());
  expect(await rt.listKeys(ORDER_INDEX_PREFIX)).toHaveLength(accepted.length);
  for (const id of accepted) expect({ id, status: (await rt.readRecord(id)).finalStatus }).toEqual({ id, status: 'completed' });
  // The data written before the kill is still there after the restart, and the count is exact.
  const list = (await fetch(`${rt.baseUrl}/orders?limit=1`).then((r) => r.json())) as { totalCount: number };
  expect(list.totalCount).toBe(accepted.length);
});
