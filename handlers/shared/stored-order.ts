/**
 * The check a stored object passes before it is served as an order: anything else under
 * the records prefix (a stray upload, a truncated write, another tool's file) is reported
 * as an InvalidStoredOrderError, which a listing skips and logs instead of failing the page.
 */
import type { StoredOrder } from './types';

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
