import { optionalEnv, requiredEnv } from '../shared/env';
import { buildFailedRecord, buildStoredRecord } from '../shared/failed-order';
import { getLogger } from '../shared/logger';
import { captureColdStart, countEvents } from '../shared/metrics';
import { s3Client } from '../shared/s3-client';
import { storeOrder } from '../shared/storage';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { MergedOrder, StoredOrderResult } from '../shared/types';

const logger = getLogger('s3-storage');

export type StorageEvent = MergedOrder | { readonly outcome: 'failed'; readonly state: unknown };

/** The merged order, or { outcome: "failed", state } -> the stored record's key and status. */
export async function handler(event: StorageEvent, context?: LambdaContextLike): Promise<StoredOrderResult> {
  startInvocation(logger, context);
  captureColdStart('s3-storage', context?.functionName);
  const failed = (event as { outcome?: unknown })?.outcome === 'failed';
  const record = failed ? buildFailedRecord((event as { state: unknown }).state) : buildStoredRecord(event);
  const result = await storeOrder(
    { s3: s3Client(), bucket: requiredEnv('ORDERS_BUCKET'), kmsKeyId: optionalEnv('ORDERS_KMS_KEY_ID') },
    record,
  );
  logger.info('order stored', { ...result, failureReason: record.failureReason });
  // A failed order whose payment is still captured (its refund failed every retry) needs a
  // person: counted separately so an alarm can page on it, not only text in the record.
  const notRefunded = result.finalStatus === 'failed' && record.paymentProcessing?.status === 'approved';
  countEvents(
    's3-storage',
    result.finalStatus === 'completed' ? { OrdersCompleted: 1 } : { OrdersFailed: 1, ...(notRefunded ? { PaymentsNotRefunded: 1 } : {}) },
  );
  return result;
}
