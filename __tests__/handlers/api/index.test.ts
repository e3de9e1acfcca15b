/**
 * The api handler as Lambda runs it: clients built from the standard environment
 * variables only, talking to a real local S3 and to a minimal Step Functions JSON endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { handler as ApiHandler } from '../../../handlers/api/index';
import { apiEvent } from '../../helpers/api-event';
import { captureMetrics } from '../../helpers/emf';
import { startLocalS3, type LocalS3 } from '../../helpers/local-s3';
import { sampleOrderBody } from '../../fixtures/sample-order';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-workflow';
const BUCKET = 'orders-index-test';
const body = sampleOrderBody();

// Set before the handler module (and its module-scope logger) loads.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
delete process.env.POWERTOOLS_METRICS_DISABLED;
let handler: typeof ApiHandler;
let s3: LocalS3;
let sfnServer: Server;
const sfnCalls: Array<{ target: string; body: any }> = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
  // Speaks the awsJson1_0 protocol of Step Functions for the two calls the api makes.
  sfnServer = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']).replace('AWSStepFunctions.', '');
      const payload = JSON.parse(raw || '{}');
      sfnCalls.push({ target, body: payload });
      res.setHeader('Content-Type', 'application/x-amz-json-1.0');
      if (target === 'StartExecution') {
        res.end(
          JSON.stringify({
            executionArn: `${payload.stateMachineArn.replace(':stateMachine:', ':execution:')}:${payload.name}`,
            startDate: 1_700_000_000,
          }),
        );
      } else {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ExecutionDoesNotExist', message: 'Execution Does Not Exist' }));
      }
    });
  });
  await new Promise<void>((resolve) => sfnServer.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, s3.env, {
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(sfnServer.address() as AddressInfo).port}`,
    STATE_MACHINE_ARN,
    ORDERS_BUCKET: BUCKET,
  });
  ({ handler } = await import('../../../handlers/api/index'));
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise((resolve) => sfnServer?.close(resolve));
  await s3?.stop();
});

// Metrics are Embedded Metric Format lines on stdout: each test checks its own.
const countersEmitted = captureMetrics();

describe('api handler', () => {
  it('GIVEN a valid POST THEN StartExecution is called with the order id as name and 202 is returned as JSON', async () => {
    const result = await handler(apiEvent({ method: 'POST', path: '/orders', body }), { awsRequestId: 'r1' });
    expect(result.statusCode).toBe(202);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    const answer = JSON.parse(result.body);
    const start = sfnCalls.find((c) => c.target === 'StartExecution')!;
    expect(start.body).toMatchObject({ stateMachineArn: STATE_MACHINE_ARN, name: answer.orderId });
    expect(JSON.parse(start.body.input)).toEqual(answer.inputData);
    expect(countersEmitted()).toEqual([{ OrdersAccepted: 1 }]);
  });

  it('GIVEN an invalid POST THEN 400 { message, errors } and no stack', async () => {
    const result = await handler(apiEvent({ method: 'POST', path: '/orders', body: { ...body, totalAmount: 11 } }));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({
      message: 'Order request is invalid',
      errors: [{ path: 'totalAmount', message: 'totalAmount must equal the sum of price x quantity (1359.96)' }],
    });
    expect(countersEmitted()).toEqual([{ RequestsRejected: 1 }]);
  });

  it('GIVEN an id with no record and no execution THEN 404', async () => {
    const result = await handler(apiEvent({ method: 'GET', path: '/orders/ord_01KDWA4100AAAAAAAAAAAAAAAA' }));
    expect(result.statusCode).toBe(404);
    expect(countersEmitted()).toEqual([{ RequestsRejected: 1 }]);
  });

  it('GIVEN an empty bucket THEN GET /orders lists nothing', async () => {
    const result = await handler(apiEvent({ method: 'GET', path: '/orders' }));
    expect(JSON.parse(result.body)).toEqual({
      message: 'Orders retrieved successfully',
      orders: [],
      count: 0,
      totalCount: 0,
      pagination: { limit: 10, hasMore: false },
    });
    expect(countersEmitted()).toEqual([]);
  });

  it('GIVEN a failing dependency THEN 500 with a generic message and the request id, never a stack', async () => {
    process.env.ORDERS_BUCKET = 'no-such-bucket';
    try {
      const result = await handler(apiEvent({ method: 'GET', path: '/orders' }), { awsRequestId: 'lambda-req' });
      expect(result.statusCode).toBe(500);
      expect(JSON.parse(result.body)).toEqual({ message: 'Internal server error', requestId: 'req-test-1' });

      expect(countersEmitted()).toEqual([{ RequestsFailed: 1 }]);
      expect(result.body).not.toMatch(/at |NoSuchBucket|node_modules/);
    } finally {
      process.env.ORDERS_BUCKET = BUCKET;
    }
  });

  it('GIVEN STATE_MACHINE_ARN is missing THEN a valid POST is a 500, an invalid one still a 400', async () => {
    delete process.env.STATE_MACHINE_ARN;
    try {
      expect((await handler(apiEvent({ method: 'POST', path: '/orders', body }))).statusCode).toBe(500);

      expect((await handler(apiEvent({ method: 'POST', path: '/orders', body: {} }))).statusCode).toBe(400);
      expect(countersEmitted()).toEqual([{ RequestsFailed: 1 }, { RequestsRejected: 1 }]);
    } finally {
      process.env.STATE_MACHINE_ARN = STATE_MACHINE_ARN;
    }
  });

  it('GIVEN an unknown route THEN 404 in JSON', async () => {
    const result = await handler(apiEvent({ method: 'GET', path: '/admin', resource: null }));
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).message).toBe('No route for GET /admin');
    expect(countersEmitted()).toEqual([{ RequestsRejected: 1 }]);
  });
});
