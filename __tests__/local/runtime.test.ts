/**
 * End to end over real HTTP: the local runtime with the real handler bundles and the real
 * workflow definition, on free ports in a temp dir. One runtime for the whole file.
 */
import { unknownRouteAnswer } from '../../spec/routes';
import { startTestRuntime, validOrder, type TestRuntime } from '../helpers/local-runtime';

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
}, 120000);

afterAll(async () => {
  await t?.cleanup();
});

/** Posts an order and waits for its execution to end; returns the 202 body and the stored order. */
async function placeOrder(body: Record<string, unknown>, key?: string) {
  const accepted = await t.postOrder(body, key);
  expect(accepted.status).toBe(202);
  const execution = await t.runtime.waitForExecution(accepted.json.orderId, 15000);
  const stored = await t.get(`/orders/${accepted.json.orderId}`);
  expect(stored.status).toBe(200);
  return { accepted: accepted.json, execution, order: stored.json };
}

describe('creating and reading orders', () => {
  it('GIVEN a valid order WHEN posted THEN it is accepted (202), completes within a few seconds and reads back by id', async () => {
    const started = Date.now();
    const { accepted, execution, order } = await placeOrder(validOrder());
    expect(accepted.orderId).toMatch(/^ord_[0-9A-Z]{26}$/);
    expect(accepted.executionArn).toBe(`${t.runtime.stateMachineArn.replace(':stateMachine:', ':execution:')}:${accepted.orderId}`);
    expect(execution.status).toBe('SUCCEEDED');
    // "Within a few seconds" (typically well under one); generous because CI machines are shared.
    expect(Date.now() - started).toBeLessThan(10000);
    expect(order).toMatchObject({
      orderId: accepted.orderId,
      finalStatus: 'completed',
      orderDetails: { customerName: 'Ada Lovelace', totalAmount: 1359.96, currency: 'USD' },
      inventoryCheck: { status: 'available' },
      paymentProcessing: { status: 'approved', amount: 1359.96 },
    });
  });

  it('GIVEN 5 more orders WHEN listed 2 per page THEN pages are newest first, disjoint, and end without a nextToken', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await placeOrder(validOrder({ customerName: `Customer ${i}` }))).accepted.orderId);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.get(`/orders?limit=2${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.json.orders.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.orders.map((o: { orderId: string }) => o.orderId));
      token = page.json.pagination.nextToken;
      pages++;
    } while (token && pages < 10);
    expect(token).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    // The 5 just placed are the newest, in reverse order of creation.
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    expect(pages).toBe(Math.ceil(seen.length / 2));
    expect(seen.length).toBe(6);
  });

  it('GIVEN an Idempotency-Key WHEN the same body is posted twice THEN the same orderId and executionArn come back and one execution runs', async () => {
    const key = `same-${Date.now()}`;
    const first = await t.postOrder(validOrder(), key);
    const second = await t.postOrder(validOrder(), key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json.orderId).toBe(first.json.orderId);
    expect(second.json.executionArn).toBe(first.json.executionArn);
    await t.runtime.waitForExecution(first.json.orderId);
    const third = await t.postOrder(validOrder(), key);
    expect(third.json.orderId).toBe(first.json.orderId);
    expect(t.runtime.executions().filter((e) => e.name === first.json.orderId)).toHaveLength(1);
    expect(t.runtime.invocations.count({ executionName: first.json.orderId, state: 'ProcessPayment', outcome: 'succeeded' })).toBe(1);
  });

  it('GIVEN an Idempotency-Key already used WHEN a different body is posted with it THEN 409 names the key and nothing new runs', async () => {
    const key = `conflict-${Date.now()}`;
    const first = await t.postOrder(validOrder(), key);
    const before = t.runtime.executions().length;
    const conflict = await t.postOrder(validOrder({ customerName: 'Someone Else' }), key);
    expect(conflict.status).toBe(409);
    expect(conflict.json.message).toContain(key);
    expect(t.runtime.executions().length).toBe(before);
    await t.runtime.waitForExecution(first.json.orderId);
  });
});

describe('validation', () => {
  it.each([
    ['a missing customerName', 400, /customerName/, { ...validOrder(), customerName: undefined }],
    ['a negative quantity', 400, /quantity/, validOrder({ items: [{ name: 'Laptop', quantity: -1, price: 10 }], totalAmount: -10 })],
    ['a total that does not add up', 400, /totalAmount/, validOrder({ totalAmount: 1 })],
    ['an unknown field', 400, /admin|unknown/, validOrder({ admin: true })],
    ['malformed JSON', 400, /JSON/i, '{"customerName": '],
  ])('GIVEN %s WHEN posted THEN %i with a message naming the problem and no execution', async (_name, status, pattern, body) => {
    const before = t.runtime.executions().length;
    const res = await t.request('POST', '/orders', { body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.json)).toMatch(pattern);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(t.runtime.executions().length).toBe(before);
  });

  it.each([
    ['GET', '/orders/not-an-id', 400],
    ['GET', '/orders/ord_00000000000000000000000000', 404],
    ['GET', '/orders?limit=0', 400],
    ['GET', '/orders?nextToken=garbage', 400],
  ])('GIVEN %s %s WHEN requested THEN %i', async (method, path, status) => {
    const res = await t.request(method, path);
    expect(res.status).toBe(status);
    expect(typeof res.json.message).toBe('string');
  });

  it.each([['/'], ['/nope'], ['/orders/a/b']])(
    'GIVEN the unknown path %s WHEN requested THEN 404 naming the routes, as the deployed gateway answers',
    async (path) => {
      const res = await t.get(path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ message: unknownRouteAnswer().message });
    },
  );
});

describe('business outcomes stored as failed orders', () => {
  it('GIVEN an order over the payment approval limit WHEN processed THEN it is stored failed with the payment declined', async () => {
    const { execution, order } = await placeOrder(
      validOrder({ items: [{ name: 'Laptop', quantity: 11, price: 1000 }], totalAmount: 11000 }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(order.finalStatus).toBe('failed');
    expect(order.paymentProcessing.status).toBe('declined');
    expect(order.failureReason).toEqual(expect.any(String));
  });

  it('GIVEN an order for more than the stock WHEN processed THEN it is stored failed, inventory unavailable and the captured payment refunded', async () => {
    const { accepted, order } = await placeOrder(validOrder({ items: [{ name: 'Printer', quantity: 21, price: 100 }], totalAmount: 2100 }));
    expect(order.finalStatus).toBe('failed');
    expect(order.inventoryCheck.status).toBe('unavailable');
    expect(order.paymentProcessing.status).toBe('refunded');
    expect(t.runtime.invocations.count({ executionName: accepted.orderId, state: 'RefundPayment', outcome: 'succeeded' })).toBe(1);
  });
});
