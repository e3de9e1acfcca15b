/**
 * s3-storage as Lambda runs it: the client comes from the standard environment only,
 * here pointed at a real local S3 server.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { handler as Handler } from '../../../handlers/s3-storage/index';
import { indexKey, recordKey } from '../../../handlers/shared/storage-layout';
import { startLocalS3, type LocalS3 } from '../../helpers/s3rver';
import { ORDER_ID, executionInput, inventory, order, payment } from '../fixtures';

const BUCKET = 'orders-storage-test';
const savedEnv = { ...process.env };
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
let handler: typeof Handler;
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
  Object.assign(process.env, s3.env, {
    ORDERS_BUCKET: BUCKET,
    ORDERS_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  });
  ({ handler } = await import('../../../handlers/s3-storage/index'));
});
afterAll(async () => {
  process.env = savedEnv;
  await s3?.stop();
});

let stdout: jest.SpiedFunction<typeof process.stdout.write>;
// Metrics are EMF lines on stdout: captured so they can be checked (and do not clutter jest).
beforeEach(() => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => stdout.mockRestore());

async function stored(key: string): Promise<any> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await out.Body!.transformToString());
}

describe('s3-storage handler', () => {
  /** merge-results' output: the order's fields flat, the settled results beside them. */
  const record = {
    ...order(),
    results: { inventoryCheck: inventory(), paymentProcessing: payment() },
    completedAt: '2026-11-26T01:00:02.000Z',
    finalStatus: 'completed' as const,
    refundRequired: false,
  };

  it('GIVEN the merged order THEN the record (order fields under orderDetails) and index entry are written and the result names the key', async () => {
    await expect(handler(record)).resolves.toEqual({ orderId: ORDER_ID, finalStatus: 'completed', recordKey: recordKey(ORDER_ID) });
    // One Embedded Metric Format line counts the completed order.
    const emf = stdout.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    expect(emf).toEqual([
      expect.objectContaining({
        OrdersCompleted: 1,
        _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'OrderInfra' })] }),
      }),
    ]);
    expect(await stored(recordKey(ORDER_ID))).toEqual({
      orderId: ORDER_ID,
      createdAt: record.createdAt,
      completedAt: record.completedAt,
      orderDetails: { customerName: 'Ada Lovelace', items: order().items, totalAmount: 1359.96, currency: 'USD' },
      inventoryCheck: inventory(),
      paymentProcessing: payment(),
      finalStatus: 'completed',
      requestHash: order().requestHash,
    });
    expect(await stored(indexKey(record.createdAt, ORDER_ID))).toEqual({ orderId: ORDER_ID, finalStatus: 'completed' });
  });

  it('GIVEN { outcome: "failed", state } THEN a failed record with the reason is written over the same keys', async () => {
    const state = {
      ...executionInput(),
      error: { Error: 'OrderValidationError', Cause: JSON.stringify({ errorMessage: 'order is invalid', trace: ['x'] }) },
    };
    await expect(handler({ outcome: 'failed', state })).resolves.toEqual({
      orderId: ORDER_ID,
      finalStatus: 'failed',
      recordKey: recordKey(ORDER_ID),
    });
    expect(await stored(recordKey(ORDER_ID))).toMatchObject({
      finalStatus: 'failed',
      failureReason: 'OrderValidationError: order is invalid',
    });
    const keys = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(keys.Contents!.map((c) => c.Key).sort()).toEqual([indexKey(record.createdAt, ORDER_ID), recordKey(ORDER_ID)]);
  });

  const emfLines = () =>
    stdout.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));

  it.each([
    ['approved (its refund failed): PaymentsNotRefunded counted', 'approved', 1],
    ['refunded: PaymentsNotRefunded absent', 'refunded', undefined],
  ])('GIVEN a failed order whose payment is %s', async (_name, status, expected) => {
    const state = {
      ...executionInput(),
      results: { paymentProcessing: { ...payment(), status } },
      error: { Error: 'Lambda.ServiceException', Cause: 'refund failed' },
    };
    await handler({ outcome: 'failed', state });
    const [emf] = emfLines();
    expect(emf.OrdersFailed).toBe(1);
    expect(emf.PaymentsNotRefunded).toBe(expected);
  });

  it('GIVEN ORDERS_BUCKET is unset THEN a ConfigurationError naming it', async () => {
    delete process.env.ORDERS_BUCKET;
    try {
      await expect(handler(record)).rejects.toMatchObject({ name: 'ConfigurationError', message: expect.stringMatching(/ORDERS_BUCKET/) });
    } finally {
      process.env.ORDERS_BUCKET = BUCKET;
    }
  });
});
