/** Shared sample data for the handler tests (and the local runtime's tests, if useful). */
import { sampleOrderBody } from '../fixtures/sample-order';
import type { ExecutionInput, InventoryCheckResult, Order, OrderWithResults, PaymentResult } from '../../handlers/shared/types';

export const ORDER_ID = 'ord_01KDWA4100ABCDEFGHJKMNPQRS';

/** A valid POST /orders body: the shared sample (the README's example). */
export const orderRequestBody = sampleOrderBody;

export function executionInput(overrides: Partial<ExecutionInput> = {}): ExecutionInput {
  return {
    orderId: ORDER_ID,
    receivedAt: '2026-11-26T01:00:00.000Z',
    ...orderRequestBody(),
    requestHash: 'a'.repeat(64),
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  const { receivedAt, ...rest } = executionInput();
  return { ...rest, createdAt: receivedAt, ...overrides };
}

export function inventory(status: 'available' | 'unavailable' = 'available'): InventoryCheckResult {
  return {
    status,
    checkedAt: '2026-11-26T01:00:01.000Z',
    items: [{ name: 'Laptop', requested: 1, inStock: status === 'available' ? 50 : 0 }],
    unavailableItems:
      status === 'available' ? [] : [{ name: 'Laptop', requested: 1, inStock: 0, reason: 'insufficient stock: requested 1, in stock 0' }],
  };
}

export function payment(status: PaymentResult['status'] = 'approved', extra: Partial<PaymentResult> = {}): PaymentResult {
  return {
    status,
    transactionId: 'txn_0123456789abcdef01234567',
    amount: 1359.96,
    currency: 'USD',
    processedAt: '2026-11-26T01:00:01.000Z',
    ...extra,
  };
}

export function withResults(inv: InventoryCheckResult, pay: PaymentResult, base: Order = order()): OrderWithResults {
  return { ...base, results: { inventoryCheck: inv, paymentProcessing: pay } };
}
