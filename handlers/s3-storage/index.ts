import { optionalEnv, requiredEnv } from '../shared/env';
import { InvalidStateError, OrderConflictError, StorageUnavailableError } from '../shared/errors';
import { buildFailedRecord, buildStoredRecord } from '../shared/failed-order';
import { getLogger } from '../shared/logger';
import { captureColdStart, countEvents } from '../shared/metrics';
import { s3Client } from '../shared/s3-client';
import { storeOrder } from '../shared/storage';
import { StorageLayoutError } from '../shared/storage-layout';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { MergedOrder, StoredOrder, StoredOrderResult } from '../shared/types';

const logger = getLogger('s3-storage');

/**
 * StoreOrder sends `{ record, executionName }`, StoreFailedOrder `{ outcome: "failed",
 * state, executionName }` (executionName is `$$.Execution.Name`). A bare MergedOrder, or
 * either shape without executionName (executions started before the name was passed),
 * is stored as the execution named by its orderId.
 */
export type StorageEvent =
  | MergedOrder
  | { readonly record: MergedOrder; readonly executionName?: string }
  | { readonly outcome: 'failed'; readonly state: unknown; readonly executionName?: string };

function recordOf(event: StorageEvent): { record: StoredOrder; executionName?: string } {
  const e = (event ?? {}) as { outcome?: unknown; state?: unknown; record?: unknown; executionName?: unknown };
  const executionName = typeof e.executionName === 'string' && e.executionName !== '' ? e.executionName : undefined;
  if (e.outcome === 'failed') return { record: buildFailedRecord(e.state), ...(executionName ? { executionName } : {}) };
  if (e.record !== undefined) return { record: buildStoredRecord(e.record), ...(executionName ? { executionName } : {}) };
  return { record: buildStoredRecord(event) };
}

/** Errors that say what is wrong with the order; anything else is the store failing. */
const ORDER_ERRORS = [InvalidStateError, OrderConflictError, StorageLayoutError];

/** Stores the order -> the stored record's key and status. */
export async function handler(event: StorageEvent, context?: LambdaContextLike): Promise<StoredOrderResult> {
  startInvocation(logger, context);
  captureColdStart('s3-storage', context?.functionName);
  const { record, executionName } = recordOf(event);
  const target = { s3: s3Client(), bucket: requiredEnv('ORDERS_BUCKET'), kmsKeyId: optionalEnv('ORDERS_KMS_KEY_ID') };
  let result: StoredOrderResult;
  try {
    result = await storeOrder(target, record, executionName);
  } catch (error) {
    if (ORDER_ERRORS.some((type) => error instanceof type)) {
      logger.error('order not stored', { orderId: record.orderId, executionName, error: error as Error });
      throw error;
    }
    // The full error (endpoint, address, stack) goes to the log only: the workflow copies
    // the thrown message into the stored record's failureReason, which customers read.
    logger.error('order store failed', { orderId: record.orderId, error: error as Error });
    const code = (error as { code?: unknown; name?: unknown })?.code ?? (error as { name?: unknown })?.name;
    throw new StorageUnavailableError(
      `the order store did not accept the write${typeof code === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(code) ? ` (${code})` : ''}`,
    );
  }
  logger.info('order stored', { ...result, executionName, failureReason: record.failureReason });
  // A failed order whose payment is still captured (its refund failed every retry) needs a
  // person: counted separately so an alarm can page on it, not only text in the record.
  const notRefunded = result.finalStatus === 'failed' && record.paymentProcessing?.status === 'approved';
  countEvents(
    's3-storage',
    result.finalStatus === 'completed' ? { OrdersCompleted: 1 } : { OrdersFailed: 1, ...(notRefunded ? { PaymentsNotRefunded: 1 } : {}) },
  );
  return result;
}
