import { OrderValidationError } from '../shared/errors';
import { getLogger } from '../shared/logger';
import { processOrder } from '../shared/order-rules';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import type { Order } from '../shared/types';

const logger = getLogger('order-processor');

/** Execution input -> Order. An invalid order throws OrderValidationError (not retried). */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<Order> {
  startInvocation(logger, context);
  try {
    const order = processOrder(event);
    logger.info('order processed', {
      orderId: order.orderId,
      items: order.items.length,
      totalAmount: order.totalAmount,
      currency: order.currency,
    });
    return order;
  } catch (error) {
    if (error instanceof OrderValidationError) logger.warn('order rejected', { errors: error.errors });
    throw error;
  }
}
