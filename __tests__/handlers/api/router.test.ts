import { storeOrder } from '../../../handlers/shared/storage';
import { encodeNextToken, indexKey } from '../../../handlers/shared/storage-layout';
import { route } from '../../../handlers/api/router';
import type { ApiDependencies } from '../../../handlers/api/orders-service';
import { apiEvent, type ApiEventOptions } from '../../helpers/api-event';
import { callRoute } from './call';
import { FakeSfn } from '../../helpers/fake-sfn';
import { startLocalS3, type LocalS3 } from '../../helpers/s3rver';
import { sampleOrderBody } from '../../fixtures/sample-order';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-workflow';
const BUCKET = 'orders-api-test';
const NOW = new Date('2026-11-26T01:00:00.000Z');
const FIXED_ID = 'ord_01KDWA4100ABCDEFGHJKMNPQRS';

const body = sampleOrderBody;

let s3: LocalS3;
let sfn: FakeSfn;
let deps: ApiDependencies;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(() => {
  sfn = new FakeSfn();
  deps = { sfn, s3: s3.client, stateMachineArn: STATE_MACHINE_ARN, bucket: BUCKET, now: () => NOW, newOrderId: () => FIXED_ID };
});

const call = (options: ApiEventOptions) => callRoute(deps, options);

describe('GET /orders/{orderId}', () => {
  const stored = {
    orderId: 'ord_01KDWA4100ZZZZZZZZZZZZZZZZ',
    createdAt: '2026-11-26T00:00:00.000Z',
    completedAt: '2026-11-26T00:00:02.000Z',
    orderDetails: {
      customerName: '<script>alert(1)</script>',
      items: [{ name: 'Mouse', quantity: 1, price: 5 }],
      totalAmount: 5,
      currency: 'USD',
    },
    finalStatus: 'completed' as const,
    refundRequired: false,
  };

  beforeAll(async () => {
    await storeOrder({ s3: s3.client, bucket: BUCKET }, stored);
  });

  it('GIVEN a stored order THEN 200 with the record, script text returned as escaped data', async () => {
    const result = await route(apiEvent({ method: 'GET', path: `/orders/${stored.orderId}` }), deps);
    expect(result.statusCode).toBe(200);
    expect(result.body).not.toContain('<script>');
    const { refundRequired: _r, ...record } = stored;
    expect(JSON.parse(result.body)).toEqual(record);
  });

  it('GIVEN an order whose execution is still running THEN 200 processing', async () => {
    const post = await call({ method: 'POST', path: '/orders', body: body() });
    const res = await call({ method: 'GET', path: `/orders/${post.body.orderId}` });
    expect(res).toMatchObject({ status: 200, body: { orderId: FIXED_ID, finalStatus: 'processing', workflowStatus: 'RUNNING' } });
  });

  it('GIVEN an unknown but well-formed id THEN 404', async () => {
    const res = await call({ method: 'GET', path: '/orders/ord_01KDWA4100AAAAAAAAAAAAAAAA' });
    expect(res).toMatchObject({ status: 404, body: { message: 'Order ord_01KDWA4100AAAAAAAAAAAAAAAA not found' } });
  });

  it.each([['nonsense'], ['ord_123'], ['ord_01KDWA4100AAAAAAAAAAAAAAAI'], ['%E0%A4%A'], ['..%2F..%2Fetc']])(
    'GIVEN the malformed id %s THEN 400',
    async (id) => {
      const res = await call({ method: 'GET', path: `/orders/${id}`, resource: null });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('orderId');
    },
  );
});

describe('GET /orders', () => {
  const bucket = 'orders-list-api-test';
  const ids: string[] = [];

  beforeAll(async () => {
    await s3.client.send(new (await import('@aws-sdk/client-s3')).CreateBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < 5; i += 1) {
      const orderId = `ord_01KDWA41${String(i).padStart(2, '0')}ABCDEFGHJKMNPQRS`;
      ids.push(orderId);
      await storeOrder(
        { s3: s3.client, bucket },
        {
          orderId,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          completedAt: NOW.toISOString(),
          orderDetails: { customerName: 'A', items: [], totalAmount: 1, currency: 'USD' },
          finalStatus: 'completed',
        },
      );
    }
  });

  it('GIVEN no limit THEN 200 with up to 10 orders, newest first, no nextToken at the end', async () => {
    deps = { ...deps, bucket };
    const res = await call({ method: 'GET', path: '/orders' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message: 'Orders retrieved successfully', count: 5, pagination: { limit: 10, hasMore: false } });
    expect(res.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([...ids].reverse());
    expect(res.body.pagination).not.toHaveProperty('nextToken');
  });

  it('GIVEN limit 2 THEN the nextToken walks all pages', async () => {
    deps = { ...deps, bucket };
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const res = await call({ method: 'GET', path: '/orders', query: { limit: '2', ...(nextToken ? { nextToken } : {}) } });
      expect(res.status).toBe(200);
      seen.push(...res.body.orders.map((o: { orderId: string }) => o.orderId));
      nextToken = res.body.pagination.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['limit 0', { limit: '0' }, 'query.limit'],
    ['limit 101', { limit: '101' }, 'query.limit'],
    ['limit -1', { limit: '-1' }, 'query.limit'],
    ['limit 1.5', { limit: '1.5' }, 'query.limit'],
    ['limit 10abc', { limit: '10abc' }, 'query.limit'],
    ['limit empty', { limit: '' }, 'query.limit'],
    ['limit with a leading zero', { limit: '010' }, 'query.limit'],
    ['limit twice', { limit: ['5', '6'] }, 'query.limit'],
    ['a garbage nextToken', { nextToken: 'garbage!' }, 'query.nextToken'],
    ['a nextToken for a records key', { nextToken: encodeNextToken('orders/records/x.json') }, 'query.nextToken'],
    ['a nextToken of plain base64', { nextToken: `${Buffer.from(indexKey(1, FIXED_ID)).toString('base64')}=` }, 'query.nextToken'],
  ])('GIVEN %s THEN 400 naming %s', async (_n, query, path) => {
    const res = await call({ method: 'GET', path: '/orders', query });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('GIVEN a bad limit and a bad token THEN both are named', async () => {
    const res = await call({ method: 'GET', path: '/orders', query: { limit: 'x', nextToken: '%%' } });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit', 'query.nextToken']);
  });
});

describe('routing', () => {
  it.each<[string, string, string | null, number, string]>([
    ['DELETE', '/orders', '/orders', 405, 'GET, POST'],
    ['PUT', '/orders/ord_01KDWA4100AAAAAAAAAAAAAAAA', '/orders/{orderId}', 405, 'GET'],
    ['GET', '/customers', '/customers', 404, ''],
    ['GET', '/orders/a/b', null, 404, ''],
    ['PATCH', '/orders/', null, 405, 'GET, POST'],
  ])('%s %s (resource %s) THEN %i', async (method, path, resource, status, allow) => {
    const res = await call({ method, path, resource });
    expect(res.status).toBe(status);
    if (allow) expect(res.headers.Allow).toBe(allow);
  });

  it('GIVEN no resource (a catch-all proxy or the local runtime) THEN the path routes', async () => {
    const res = await call({ method: 'POST', path: '/orders', resource: null, body: body() });
    expect(res.status).toBe(202);
  });
});
