/**
 * merge-results: settles the Parallel state's branch results (in place, under `results`) and
 * decides the outcome; the order's fields stay as they are, flat. `completed` needs stock available AND payment approved; an approved payment
 * for an order that cannot ship must be refunded (refundRequired drives the workflow's
 * Choice to the RefundPayment step).
 */
import { InvalidStateError } from './errors';
import { describeStepError } from './step-error';
import { transactionIdFor } from './ids';
import type { BranchFailure, InventoryCheckResult, MergedOrder, OrderWithResults, PaymentResult } from './types';

function describeUnavailable(inventory: InventoryCheckResult): string {
  const lines = inventory.unavailableItems.map((item) => `${item.name} (${item.reason})`);
  return `items unavailable: ${lines.join(', ')}`;
}

function failureReasonOf(inventory: InventoryCheckResult | BranchFailure, payment: PaymentResult | BranchFailure): string | undefined {
  const reasons: string[] = [];
  if (payment.status === 'error') reasons.push(`payment step failed: ${describeStepError(payment.error) ?? 'unknown error'}`);
  else if (payment.status === 'declined') reasons.push(`payment declined: ${payment.reason ?? 'no reason given'}`);
  else if (payment.status !== 'approved') reasons.push(`payment ${payment.status}`);
  if (inventory.status === 'error') reasons.push(`inventory check failed: ${describeStepError(inventory.error) ?? 'unknown error'}`);
  else if (inventory.status !== 'available') reasons.push(describeUnavailable(inventory));
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** A failed payment step captured nothing we know of: record it as not charged. */
function paymentRecord(
  payment: PaymentResult | BranchFailure,
  orderId: string,
  amount: number,
  currency: string,
  now: Date,
): PaymentResult {
  if (payment.status !== 'error') return payment;
  return {
    status: 'not-charged',
    transactionId: transactionIdFor(orderId),
    amount,
    currency,
    processedAt: now.toISOString(),
    reason: describeStepError(payment.error) ?? 'payment step failed',
  };
}

export function mergeResults(state: unknown, now: Date = new Date()): MergedOrder {
  const s = state as Partial<OrderWithResults> | null;
  const inventory = s?.results?.inventoryCheck;
  const payment = s?.results?.paymentProcessing;
  const inventoryOk = inventory && (inventory.status === 'error' || Array.isArray(inventory.unavailableItems));
  if (!s || typeof s.orderId !== 'string' || !inventoryOk || !payment) {
    throw new InvalidStateError('merge-results needs the order and results { inventoryCheck, paymentProcessing }');
  }
  const failureReason = failureReasonOf(inventory, payment);
  return {
    orderId: s.orderId,
    createdAt: s.createdAt ?? now.toISOString(),
    customerName: s.customerName!,
    items: s.items!,
    totalAmount: s.totalAmount!,
    currency: s.currency!,
    // Carried to the stored record: the api answers keyed repeats from it once the execution is gone.
    ...(typeof s.requestHash === 'string' ? { requestHash: s.requestHash } : {}),
    results: {
      ...(inventory.status === 'error' ? {} : { inventoryCheck: inventory }),
      paymentProcessing: paymentRecord(payment, s.orderId, s.totalAmount!, s.currency!, now),
    },
    completedAt: now.toISOString(),
    finalStatus: failureReason === undefined ? 'completed' : 'failed',
    ...(failureReason === undefined ? {} : { failureReason }),
    // Only a captured payment needs giving back; a declined one never moved money.
    refundRequired: failureReason !== undefined && payment.status === 'approved',
  };
}
