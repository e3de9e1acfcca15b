/**
 * The one place the workflow state (order fields flat, results under `results`) becomes the
 * stored record's shape (order fields under `orderDetails`), for completed and failed orders.
 */
import type { InventoryCheckResult, OrderDetails, PaymentResult, StoredOrder } from './types';

export interface StoredOrderParts {
  readonly orderId: string;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly details: OrderDetails;
  readonly inventoryCheck?: InventoryCheckResult;
  readonly paymentProcessing?: PaymentResult;
  readonly finalStatus: StoredOrder['finalStatus'];
  readonly failureReason?: string;
  readonly requestHash?: string;
}

export function toStoredOrder(p: StoredOrderParts): StoredOrder {
  return {
    orderId: p.orderId,
    createdAt: p.createdAt,
    completedAt: p.completedAt,
    orderDetails: {
      customerName: p.details.customerName,
      items: p.details.items,
      totalAmount: p.details.totalAmount,
      currency: p.details.currency,
    },
    ...(p.inventoryCheck ? { inventoryCheck: p.inventoryCheck } : {}),
    ...(p.paymentProcessing ? { paymentProcessing: p.paymentProcessing } : {}),
    finalStatus: p.finalStatus,
    ...(p.failureReason === undefined ? {} : { failureReason: p.failureReason }),
    ...(typeof p.requestHash === 'string' ? { requestHash: p.requestHash } : {}),
  };
}
