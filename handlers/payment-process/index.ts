import { positiveNumberEnv } from '../shared/env';
import { getLogger } from '../shared/logger';
import { captureColdStart, countEvents } from '../shared/metrics';
import { DEFAULT_PAYMENT_APPROVAL_LIMIT, chargeOrder, refundState } from '../shared/payment';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { Order, PaymentResult } from '../shared/types';

const logger = getLogger('payment-process');

export type PaymentEvent = Order | { readonly action: 'refund'; readonly state: unknown };

/** Order -> PaymentResult (charge), or { action: "refund", state } -> state with the payment refunded. */
export async function handler(event: PaymentEvent, context?: LambdaContextLike): Promise<PaymentResult | Record<string, unknown>> {
  startInvocation(logger, context);
  captureColdStart('payment-process', context?.functionName);
  if (event && (event as { action?: unknown }).action === 'refund') {
    const { state, decision } = refundState((event as { state: unknown }).state);
    const payment = state.results.paymentProcessing;
    logger.info('payment refund decision', {
      orderId: state.orderId,
      decision,
      transactionId: payment.transactionId,
      refundId: payment.refundId,
      amount: payment.amount,
    });
    if (decision === 'refunded') countEvents('payment-process', { PaymentsRefunded: 1 });
    return state;
  }
  const result = chargeOrder(event, positiveNumberEnv('PAYMENT_APPROVAL_LIMIT', DEFAULT_PAYMENT_APPROVAL_LIMIT));
  logger.info('payment charge decision', {
    orderId: (event as Order).orderId,
    decision: result.status,
    transactionId: result.transactionId,
    amount: result.amount,
    reason: result.reason,
  });
  countEvents('payment-process', result.status === 'approved' ? { PaymentsApproved: 1 } : { PaymentsDeclined: 1 });
  return result;
}
