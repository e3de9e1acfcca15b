/**
 * StoreFailedOrder's input is whatever state a step failed with, plus `error`
 * ({ Error, Cause }) from the Catch. This turns it into a failed record so that an
 * accepted order is never lost, whatever step broke.
 */
import { InvalidStateError } from './errors';
import { isOrderId } from './ids';
import { paymentInState } from './payment';
import { describeStepError } from './step-error';
import type { InventoryCheckResult, OrderDetails, StepError, StoredOrder } from './types';

export { describeStepError };

function detailsFrom(s: Record<string, unknown>): OrderDetails {
  const nested = s.orderDetails as Partial<OrderDetails> | undefined;
  const pick = <K extends keyof OrderDetails>(k: K): OrderDetails[K] => (nested?.[k] ?? s[k]) as OrderDetails[K];
  return { customerName: pick('customerName'), items: pick('items'), totalAmount: pick('totalAmount'), currency: pick('currency') };
}

function createdAtFrom(s: Record<string, unknown>, now: Date): string {
  for (const candidate of [s.createdAt, s.receivedAt]) {
    if (typeof candidate === 'string' && !Number.isNaN(Date.parse(candidate))) return new Date(candidate).toISOString();
  }
  return now.toISOString();
}

export function buildFailedRecord(state: unknown, now: Date = new Date()): StoredOrder {
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new InvalidStateError('StoreFailedOrder needs the failed state object');
  const s = state as Record<string, unknown>;
  if (!isOrderId(s.orderId)) throw new InvalidStateError('StoreFailedOrder needs the state of an order (orderId missing or malformed)');
  const reasons = [
    describeStepError(s.error as StepError | undefined),
    typeof s.failureReason === 'string' ? s.failureReason : undefined,
    s.compensationError ? `compensation failed: ${describeStepError(s.compensationError as StepError)}` : undefined,
  ].filter((r): r is string => Boolean(r));
  const inventoryCheck = (s.inventoryCheck ?? (s.results as { inventoryCheck?: unknown } | undefined)?.inventoryCheck) as
    | InventoryCheckResult
    | undefined;
  const paymentProcessing = paymentInState(s);
  // Only reachable when a step after the charge failed and no refund ran (e.g. RefundPayment
  // or StoreOrder failed every retry): operators must see the money is still captured.
  if (paymentProcessing?.status === 'approved') reasons.push(`payment ${paymentProcessing.transactionId} is captured and was not refunded`);
  return {
    orderId: s.orderId,
    createdAt: createdAtFrom(s, now),
    completedAt: now.toISOString(),
    orderDetails: detailsFrom(s),
    ...(inventoryCheck ? { inventoryCheck } : {}),
    ...(paymentProcessing ? { paymentProcessing } : {}),
    finalStatus: 'failed',
    failureReason: reasons.length > 0 ? reasons.join('; ') : 'the workflow failed',
    // Every failure state still holds the execution input's hash; the api answers keyed repeats from it once the execution is gone.
    ...(typeof s.requestHash === 'string' ? { requestHash: s.requestHash } : {}),
  };
}
