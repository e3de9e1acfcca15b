/**
 * The simulated payment processor: deterministic, documented rules.
 *
 * - charge: approved when totalAmount <= the approval limit (PAYMENT_APPROVAL_LIMIT,
 *   default 10000, same number for every currency), declined above it with a reason.
 *   The transaction id is derived from the order id, so a retried step is the same charge.
 * - refund: an approved payment becomes `refunded` with a refund id derived from the
 *   transaction id (a retried refund is the same refund); anything else was never
 *   captured and is reported `not-charged`.
 */
import { InvalidStateError } from './errors';
import { isOrderId, refundIdFor, transactionIdFor } from './ids';
import { toCents } from './money';
import type { OrderState, PaymentResult } from './types';
import { DEFAULT_PAYMENT_APPROVAL_LIMIT } from '../../spec/functions';

export { DEFAULT_PAYMENT_APPROVAL_LIMIT };

export interface ChargeRequest {
  readonly orderId: string;
  readonly totalAmount: number;
  readonly currency: string;
}

function assertChargeable(order: unknown): asserts order is ChargeRequest {
  const o = order as Partial<ChargeRequest> | null;
  if (!o || !isOrderId(o.orderId) || typeof o.totalAmount !== 'number' || !(o.totalAmount > 0) || typeof o.currency !== 'string') {
    throw new InvalidStateError('payment-process needs an order with orderId, totalAmount > 0 and currency');
  }
}

/** Charges an order (simulated). */
export function chargeOrder(order: unknown, approvalLimit: number, now: Date = new Date()): PaymentResult {
  assertChargeable(order);
  const base = {
    transactionId: transactionIdFor(order.orderId),
    amount: order.totalAmount,
    currency: order.currency,
    processedAt: now.toISOString(),
  };
  // Integer cents: 10000.01 must decline against a 10000 limit, whatever the float error.
  const amountCents = toCents(order.totalAmount) ?? Math.round(order.totalAmount * 100);
  if (amountCents <= Math.round(approvalLimit * 100)) return { status: 'approved', ...base };
  return {
    status: 'declined',
    ...base,
    reason: `amount ${order.totalAmount} ${order.currency} exceeds the approval limit of ${approvalLimit}`,
  };
}

/** The payment a state carries (`results.paymentProcessing`); a failed payment branch (`status: "error"`) carries none. */
export function paymentInState(state: OrderState): PaymentResult | undefined {
  const payment = state.results?.paymentProcessing;
  return payment && typeof payment === 'object' && typeof payment.status === 'string' && payment.status !== 'error' ? payment : undefined;
}

export type RefundDecision = 'refunded' | 'already-refunded' | 'not-charged';

/**
 * Refunds whatever the state shows was captured and returns the state with
 * `results.paymentProcessing` updated and `refundRequired: false`.
 */
export function refundState(
  state: unknown,
  now: Date = new Date(),
): { state: OrderState & { results: { paymentProcessing: PaymentResult } }; decision: RefundDecision } {
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new InvalidStateError('a refund needs the workflow state object');
  const s = state as OrderState;
  const orderId = s.orderId;
  if (!isOrderId(orderId)) throw new InvalidStateError('a refund needs the state of an order (orderId missing)');
  const payment = paymentInState(s);
  const amount = payment?.amount ?? s.totalAmount ?? 0;
  const currency = payment?.currency ?? s.currency ?? 'USD';
  const transactionId = payment?.transactionId ?? transactionIdFor(orderId);

  let paymentProcessing: PaymentResult;
  let decision: RefundDecision;
  if (payment?.status === 'approved' || payment?.status === 'refunded') {
    decision = payment.status === 'approved' ? 'refunded' : 'already-refunded';
    paymentProcessing = {
      ...payment,
      status: 'refunded',
      refundId: refundIdFor(transactionId),
      // A repeated refund keeps the first refund's time: it is the same refund.
      processedAt: payment.status === 'refunded' ? payment.processedAt : now.toISOString(),
      reason: payment.reason ?? 'refunded: the order could not be completed',
    };
  } else {
    decision = 'not-charged';
    paymentProcessing = {
      status: 'not-charged',
      transactionId,
      amount,
      currency,
      processedAt: now.toISOString(),
      reason:
        payment?.status === 'declined'
          ? `payment was declined${payment.reason ? `: ${payment.reason}` : ''}`
          : 'no captured payment to refund',
    };
  }
  return { state: { ...s, results: { ...s.results, paymentProcessing }, refundRequired: false }, decision };
}
