/**
 * The storage step's records. StoreFailedOrder's input is whatever state a step failed with,
 * plus `error` ({ Error, Cause }) from the Catch: buildFailedRecord turns it into a failed
 * record so that an accepted order is never lost, whatever step broke. StoreOrder's input is
 * the merged order: buildStoredRecord nests it into the stored shape. Every state has the
 * order's fields flat and the branch results under `results`.
 */
import { InvalidStateError } from './errors';
import { isOrderId } from './ids';
import { paymentInState } from './payment';
import { describeStepError } from './step-error';
import { toStoredOrder } from './stored-order';
import type { InventoryCheckResult, MergedOrder, OrderDetails, OrderState, StepError, StoredOrder } from './types';

export { describeStepError };

/** The order's fields, flat in every state (execution input, order, merged order). */
function detailsFrom(s: OrderState): OrderDetails {
  return { customerName: s.customerName!, items: s.items!, totalAmount: s.totalAmount!, currency: s.currency! };
}

/** A settled inventory result; a branch failure (`status: "error"`) is not one. */
function inventoryIn(s: OrderState): InventoryCheckResult | undefined {
  const inventory = s.results?.inventoryCheck;
  return inventory && inventory.status !== 'error' ? inventory : undefined;
}

function createdAtFrom(s: OrderState, now: Date): string {
  for (const candidate of [s.createdAt, s.receivedAt]) {
    if (typeof candidate === 'string' && !Number.isNaN(Date.parse(candidate))) return new Date(candidate).toISOString();
  }
  return now.toISOString();
}

export function buildFailedRecord(state: unknown, now: Date = new Date()): StoredOrder {
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new InvalidStateError('StoreFailedOrder needs the failed state object');
  const s = state as OrderState;
  if (!isOrderId(s.orderId)) throw new InvalidStateError('StoreFailedOrder needs the state of an order (orderId missing or malformed)');
  const reasons = [
    describeStepError(s.error as StepError | undefined),
    typeof s.failureReason === 'string' ? s.failureReason : undefined,
    s.compensationError ? `compensation failed: ${describeStepError(s.compensationError as StepError)}` : undefined,
  ].filter((r): r is string => Boolean(r));
  const inventoryCheck = inventoryIn(s);
  const paymentProcessing = paymentInState(s);
  // Only reachable when a step after the charge failed and no refund ran (e.g. RefundPayment
  // or StoreOrder failed every retry): operators must see the money is still captured.
  if (paymentProcessing?.status === 'approved') reasons.push(`payment ${paymentProcessing.transactionId} is captured and was not refunded`);
  return toStoredOrder({
    orderId: s.orderId,
    createdAt: createdAtFrom(s, now),
    completedAt: now.toISOString(),
    details: detailsFrom(s),
    inventoryCheck,
    paymentProcessing,
    finalStatus: 'failed',
    failureReason: reasons.length > 0 ? reasons.join('; ') : 'the workflow failed',
    // Every failure state still holds the execution input's hash; the api answers keyed repeats from it once the execution is gone.
    requestHash: s.requestHash,
  });
}

/** The stored record of an order merge-results settled (StoreOrder's input, after any refund). */
export function buildStoredRecord(state: unknown): StoredOrder {
  const s = state as Partial<MergedOrder> | null;
  if (!s || !isOrderId(s.orderId) || (s.finalStatus !== 'completed' && s.finalStatus !== 'failed') || !s.results?.paymentProcessing)
    throw new InvalidStateError('StoreOrder needs the merged order (orderId, finalStatus, results.paymentProcessing)');
  return toStoredOrder({
    orderId: s.orderId,
    createdAt: s.createdAt!,
    completedAt: s.completedAt!,
    details: detailsFrom(s as OrderState),
    inventoryCheck: s.results.inventoryCheck,
    paymentProcessing: s.results.paymentProcessing,
    finalStatus: s.finalStatus,
    failureReason: s.failureReason,
    requestHash: s.requestHash,
  });
}
