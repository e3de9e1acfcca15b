/**
 * A stored order belongs to its execution, over the local runtime: a StartExecution under
 * another name whose input carries a victim's orderId can neither overwrite the victim's
 * record nor list it twice; the workflow reports the conflict (FAILED, OrderConflictError)
 * and it is not re-driven at the next start.
 */
import { ORDER_INDEX_PREFIX } from '../../handlers/shared/storage-layout';
import { closeIdleConnections, postOrder } from '../trust/http';
import { startTrustRuntime, type TrustRuntime } from '../trust/trust-runtime';
import { validOrder } from '../helpers/local-runtime';

let rt: TrustRuntime;

beforeAll(async () => {
  rt = await startTrustRuntime();
});
afterAll(async () => {
  closeIdleConnections();
  await rt?.stop();
});

async function startExecution(name: string, input: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(rt.runtime.sfnEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
    body: JSON.stringify({ stateMachineArn: rt.runtime.stateMachineArn, name, input: JSON.stringify(input) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('GIVEN a completed order WHEN another execution name carries its orderId THEN the record is untouched, listed once, and the intruder fails with OrderConflictError', async () => {
  const accepted = await postOrder(rt.baseUrl, validOrder({ customerName: 'Victim' }));
  expect(accepted.status).toBe(202);
  const orderId = (accepted.json as { orderId: string }).orderId;
  await rt.waitForStored([orderId]);
  const before = await rt.readRecord(orderId);
  expect(before).toMatchObject({ finalStatus: 'completed', executionName: orderId });

  const victimInput = JSON.parse(rt.runtime.execution(orderId)!.input) as Record<string, unknown>;
  const intruderInput = { ...victimInput, customerName: 'Mallory', receivedAt: new Date(Date.now() + 60_000).toISOString() };
  expect((await startExecution('intruder-1', intruderInput)).status).toBe(200);
  const intruder = await rt.runtime.waitForExecution('intruder-1');

  expect(intruder).toMatchObject({ status: 'FAILED', error: 'OrderConflictError' });
  expect(await rt.readRecord(orderId)).toEqual(before);
  expect((await rt.listKeys(ORDER_INDEX_PREFIX)).filter((k) => k.endsWith(orderId))).toHaveLength(1);
  const page = (await fetch(`${rt.baseUrl}/orders?limit=100`).then((r) => r.json())) as {
    orders: { orderId: string }[];
    totalCount: number;
  };
  expect(page.orders.filter((o) => o.orderId === orderId)).toHaveLength(1);
  expect(page.totalCount).toBe(page.orders.length);
  // The intruder's own charge was refused or refunded, never left captured.
  expect(rt.runtime.invocations.count({ executionName: 'intruder-1', state: 'CompensatePayment', outcome: 'succeeded' })).toBe(1);

  // A conflict is final: the next start does not re-drive it.
  const restarted = await rt.test.restart();
  try {
    expect(restarted.runtime.resumed.map((r) => r.name)).not.toContain('intruder-1');
  } finally {
    await restarted.stop();
  }
});
