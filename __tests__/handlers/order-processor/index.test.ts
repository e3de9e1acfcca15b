import type { handler as Handler } from '../../../handlers/order-processor/index';
import { executionInput } from '../fixtures';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
let handler: typeof Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../handlers/order-processor/index'));
});

describe('order-processor handler', () => {
  it('GIVEN the execution input THEN it returns the Order with createdAt = receivedAt', async () => {
    const input = executionInput({ currency: 'eur' });
    await expect(handler(input, { awsRequestId: 'r' })).resolves.toMatchObject({
      orderId: input.orderId,
      createdAt: input.receivedAt,
      currency: 'EUR',
    });
  });

  it('GIVEN an invalid order THEN it throws OrderValidationError (caught by the workflow, not retried)', async () => {
    await expect(handler(executionInput({ totalAmount: 5 }))).rejects.toMatchObject({
      name: 'OrderValidationError',
      message: expect.stringMatching(/totalAmount/),
    });
  });
});
