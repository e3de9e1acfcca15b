/**
 * The stored order record: the one place the workflow state (order fields flat, results under
 * `results`) becomes the record's shape (order fields under `orderDetails`), and the check a
 * stored object passes before it is served as an order — anything else under the records
 * prefix (a stray upload, a truncated write, another tool's file) is an InvalidStoredOrderError,
 * which a listing skips and logs instead of failing the page.
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

/** An object under the records prefix that is not a valid stored order. */
export class InvalidStoredOrderError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key} is not a valid stored order: ${reason}`);
    this.name = 'InvalidStoredOrderError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Why `value` is not the stored order `orderId`, or undefined when it is one. */
function storedOrderProblem(value: unknown, orderId: string): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.orderId !== orderId) return `its orderId is ${JSON.stringify(value.orderId)}, not ${orderId}`;
  if (value.finalStatus !== 'completed' && value.finalStatus !== 'failed') return 'finalStatus is neither completed nor failed';
  if (typeof value.createdAt !== 'string') return 'createdAt is missing';
  // A failed order keeps whatever details its (possibly invalid) input had: only the container is required.
  if (value.orderDetails !== undefined && !isObject(value.orderDetails)) return 'orderDetails is not an object';
  return undefined;
}

/** The JSON value of the object at `key`, or an InvalidStoredOrderError when it is not JSON. */
export function parseStoredJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidStoredOrderError(key, 'not JSON');
  }
}

/** `value` (the object at `key`) as the stored order `orderId`, or an InvalidStoredOrderError. */
export function checkStoredOrder(value: unknown, key: string, orderId: string): StoredOrder {
  const problem = storedOrderProblem(value, orderId);
  if (problem) throw new InvalidStoredOrderError(key, problem);
  return value as StoredOrder;
}
