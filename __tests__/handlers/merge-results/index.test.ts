import type { handler as Handler } from '../../../handlers/merge-results/index';
import { inventory, payment, withResults } from '../fixtures';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
let handler: typeof Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../handlers/merge-results/index'));
});

describe('merge-results handler', () => {
  it('GIVEN available stock and an approved payment THEN completed', async () => {
    await expect(handler(withResults(inventory(), payment()))).resolves.toMatchObject({ finalStatus: 'completed', refundRequired: false });
  });

  it('GIVEN unavailable stock and an approved payment THEN failed with refundRequired', async () => {
    await expect(handler(withResults(inventory('unavailable'), payment()))).resolves.toMatchObject({
      finalStatus: 'failed',
      refundRequired: true,
    });
  });

  it('GIVEN a state without results THEN InvalidStateError', async () => {
    await expect(handler({})).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
