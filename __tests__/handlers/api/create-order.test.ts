import { GetObjectCommand } from '@aws-sdk/client-s3';
import { orderIdFromIdempotencyKey, requestHash } from '../../../handlers/shared/ids';
import type { ApiDependencies } from '../../../handlers/api/orders-service';
import type { ApiEventOptions } from '../../helpers/api-event';
import { callRoute } from './call';
import { FakeSfn } from '../../helpers/fake-sfn';
import { sampleOrderBody } from '../../fixtures/sample-order';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-workflow';
const NOW = new Date('2026-11-26T01:00:00.000Z');
const FIXED_ID = 'ord_01KDWA4100ABCDEFGHJKMNPQRS';

const body = sampleOrderBody;

let sfn: FakeSfn;
let deps: ApiDependencies;
let accepted: string[];
let s3Calls: string[];

/**
 * An orders bucket without records. POST reads S3 only for a keyed request whose execution
 * does not exist (one GetObject, answered NoSuchKey here); any other S3 call is a bug.
 * Replays from stored records are tested against a real local S3 in idempotency-retention.test.ts.
 */
const emptyBucket = {
  send: (command: object) => {
    s3Calls.push(command.constructor.name);
    if (!(command instanceof GetObjectCommand)) return Promise.reject(new Error(`POST /orders must not send ${command.constructor.name}`));
    return Promise.reject(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
  },
};
beforeEach(() => {
  sfn = new FakeSfn();
  accepted = [];
  s3Calls = [];
  deps = {
    sfn,
    s3: emptyBucket,
    stateMachineArn: STATE_MACHINE_ARN,
    bucket: 'orders',
    now: () => NOW,
    newOrderId: () => FIXED_ID,
    onOrderAccepted: (id) => accepted.push(id),
  };
});

const call = (options: ApiEventOptions) => callRoute(deps, options);

describe('POST /orders', () => {
  it('GIVEN a valid order THEN 202 with the started execution, named after the order', async () => {
    const res = await call({ method: 'POST', path: '/orders', body: body() });
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:orders-dev-workflow:${FIXED_ID}`;
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      message: 'Order workflow started successfully',
      orderId: FIXED_ID,
      executionArn,
      executionName: FIXED_ID,
      workflowStatus: 'started',
      inputData: { orderId: FIXED_ID, receivedAt: NOW.toISOString(), ...body(), requestHash: requestHash(body()) },
    });
    expect(JSON.parse(sfn.executions.get(executionArn)!.input)).toEqual(res.body.inputData);
  });

  it('GIVEN no Idempotency-Key THEN each POST is a new order with a new id', async () => {
    deps = { ...deps, newOrderId: undefined };
    const first = await call({ method: 'POST', path: '/orders', body: body() });
    const second = await call({ method: 'POST', path: '/orders', body: body() });
    expect(first.body.orderId).not.toBe(second.body.orderId);
    expect(first.body.orderId).toMatch(/^ord_[0-9A-Z]{26}$/);
    expect(sfn.count('StartExecution')).toBe(2);
    // Without a key there is nothing to look up: no DescribeExecution, no S3 read.
    expect(sfn.count('DescribeExecution')).toBe(0);
    expect(s3Calls).toEqual([]);
  });

  it('GIVEN a lower-case currency and padded names THEN the execution input is normalised', async () => {
    const res = await call({ method: 'POST', path: '/orders', body: { ...body(), customerName: '  Ada  ', currency: 'usd' } });
    expect(res.body.inputData).toMatchObject({ customerName: 'Ada', currency: 'USD' });
  });

  describe('with an Idempotency-Key', () => {
    const key = 'client-order-0001';
    const idempotent = (extra: Partial<ApiEventOptions> = {}) =>
      call({ method: 'POST', path: '/orders', body: body(), headers: { 'Idempotency-Key': key }, ...extra });

    it('GIVEN the same key and body twice THEN the same order and execution, and one StartExecution', async () => {
      const first = await idempotent();
      const second = await idempotent();
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body.orderId).toBe(orderIdFromIdempotencyKey(key));
      expect(second.body).toMatchObject({
        orderId: first.body.orderId,
        executionArn: first.body.executionArn,
        workflowStatus: 'running',
        idempotentReplay: true,
      });
      expect(sfn.count('StartExecution')).toBe(1);
      expect(accepted).toEqual([first.body.orderId]);
      // The new key cost one record lookup; the repeat found its execution and read nothing.
      expect(s3Calls).toEqual(['GetObjectCommand']);
    });

    it('GIVEN a repeat after the execution finished THEN still 202 with the same order', async () => {
      const first = await idempotent();
      sfn.executions.get(first.body.executionArn)!.status = 'SUCCEEDED';
      const again = await idempotent();
      expect(again).toMatchObject({ status: 202, body: { orderId: first.body.orderId, workflowStatus: 'succeeded' } });
    });

    it('GIVEN the header name in another case THEN it is the same key', async () => {
      const first = await idempotent();
      const second = await call({ method: 'POST', path: '/orders', body: body(), headers: { 'idempotency-key': key } });
      expect(second.body.orderId).toBe(first.body.orderId);
    });

    it('GIVEN the same key with a different body THEN 409 and no second execution', async () => {
      await idempotent();
      const conflict = await idempotent({ body: { ...body(), customerName: 'Someone Else' } });
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toMatch(/already used with a different request body/);
      expect(sfn.executions.size).toBe(1);
    });

    it('GIVEN the same key from another API key THEN a different order', async () => {
      const mine = await idempotent({ apiKeyId: 'key-a' });
      const theirs = await idempotent({ apiKeyId: 'key-b' });
      expect(theirs.body.orderId).not.toBe(mine.body.orderId);
    });

    it('GIVEN a concurrent request wins the race THEN the loser answers with the winner order', async () => {
      sfn.beforeStart = (name) => {
        sfn.beforeStart = undefined;
        const arn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
        const input = JSON.stringify({ orderId: name, receivedAt: '2026-11-26T00:59:59.000Z', requestHash: requestHash(body()) });
        sfn.executions.set(arn, { executionArn: arn, stateMachineArn: STATE_MACHINE_ARN, name, input, status: 'RUNNING', startDate: NOW });
      };
      const res = await idempotent();
      expect(res).toMatchObject({ status: 202, body: { orderId: orderIdFromIdempotencyKey(key), idempotentReplay: true } });
    });

    it('GIVEN a race lost to a different body THEN 409', async () => {
      sfn.beforeStart = (name) => {
        sfn.beforeStart = undefined;
        const arn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
        sfn.executions.set(arn, {
          executionArn: arn,
          stateMachineArn: STATE_MACHINE_ARN,
          name,
          input: '{"requestHash":"other"}',
          status: 'RUNNING',
          startDate: NOW,
        });
      };
      expect((await idempotent()).status).toBe(409);
    });

    it.each([
      ['a key with spaces', 'my key'],
      ['a 65-character key', 'k'.repeat(65)],
      ['an empty key', ''],
      ['a key with unicode', 'clé'],
    ])('GIVEN %s THEN 400 naming the header', async (_n, badKey) => {
      const res = await call({ method: 'POST', path: '/orders', body: body(), headers: { 'Idempotency-Key': badKey } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'headers.Idempotency-Key', message: expect.stringMatching(/1-64 characters/) }]);
      expect(sfn.calls).toHaveLength(0);
    });
  });

  describe('with the Idempotency-Key header sent twice', () => {
    it.each<[string, Record<string, string>]>([
      ['in two spellings with different values', { 'Idempotency-Key': 'good-1', 'idempotency-key': 'bad key!' }],
      ['in two spellings with different valid values', { 'Idempotency-Key': 'key-a', 'IDEMPOTENCY-KEY': 'key-b' }],
    ])('GIVEN it %s THEN 400 naming the header and nothing is started', async (_n, headers) => {
      const res = await call({ method: 'POST', path: '/orders', body: body(), headers });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/sent more than once with different values/);
      expect(res.body.errors).toEqual([{ path: 'headers.Idempotency-Key', message: 'must be sent once; got 2 different values' }]);
      expect(sfn.calls).toHaveLength(0);
    });

    it('GIVEN it twice with the same value THEN it is one key', async () => {
      const res = await call({
        method: 'POST',
        path: '/orders',
        body: body(),
        headers: { 'Idempotency-Key': 'same-1', 'idempotency-key': 'same-1' },
      });
      expect(res.status).toBe(202);
      expect(sfn.count('StartExecution')).toBe(1);
      expect(res.body.orderId).toBe(orderIdFromIdempotencyKey('same-1', ''));
    });
  });

  it.each<[string, unknown, number, string[]]>([
    ['malformed JSON', '{"customerName":', 400, []],
    ['a wrong total', { ...body(), totalAmount: 1 }, 400, ['totalAmount']],
    [
      'several bad fields',
      { customerName: '', items: [{ name: 'Laptop', quantity: 0, price: 1 }], totalAmount: 1, x: 1 },
      400,
      ['customerName', 'items[0].quantity', 'x'],
    ],
  ])('GIVEN %s THEN 4xx listing the fields and nothing started', async (_n, payload, status, paths) => {
    const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const res = await call({ method: 'POST', path: '/orders', body: raw });
    expect(res.status).toBe(status);
    for (const p of paths) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(p);
    expect(sfn.count('StartExecution')).toBe(0);
  });

  it('GIVEN a prototype-pollution key in the raw JSON THEN 400 naming it', async () => {
    const res = await call({ method: 'POST', path: '/orders', body: '{"__proto__":{"admin":true},"customerName":"A"}' });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: '__proto__', message: 'field name is a forbidden key' }] } });
  });

  it('GIVEN text/plain THEN 415', async () => {
    expect(
      (await call({ method: 'POST', path: '/orders', body: JSON.stringify(body()), headers: { 'Content-Type': 'text/plain' } })).status,
    ).toBe(415);
  });

  it('GIVEN a body over 64 KiB THEN 413', async () => {
    expect(
      (await call({ method: 'POST', path: '/orders', body: JSON.stringify({ ...body(), customerName: 'x'.repeat(70_000) }) })).status,
    ).toBe(413);
  });
});
