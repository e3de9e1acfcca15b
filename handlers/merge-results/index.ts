import { getLogger } from '../shared/logger';
import { mergeResults } from '../shared/merge';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { MergedOrder } from '../shared/types';

const logger = getLogger('merge-results');

/** Order + results -> the merged order: results settled, outcome and refundRequired beside them. */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<MergedOrder> {
  startInvocation(logger, context);
  const record = mergeResults(event);
  logger.info('results merged', {
    orderId: record.orderId,
    finalStatus: record.finalStatus,
    failureReason: record.failureReason,
    refundRequired: record.refundRequired,
  });
  return record;
}
