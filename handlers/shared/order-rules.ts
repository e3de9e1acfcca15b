/**
 * Normalisation and the order-processor rule: pure functions shared by the api handler
 * (which hashes the normalised body) and the order-processor step.
 */
import { ORDER_LIMITS, validateCreateOrderRequest, type CreateOrderRequest, type FieldError } from './order-schema';
import { OrderValidationError } from './errors';
import { roundToCents } from './money';
import type { Order, OrderDetails } from './types';
import { isOrderId, requestHash as hashRequest } from './ids';

/** Trimmed names, prices and total rounded to cents, upper-case currency (USD by default). */
export function normaliseOrderRequest(request: CreateOrderRequest): OrderDetails {
  return {
    customerName: request.customerName.trim(),
    items: request.items.map((item) => ({ name: item.name.trim(), quantity: item.quantity, price: roundToCents(item.price) })),
    totalAmount: roundToCents(request.totalAmount),
    currency: (request.currency ?? ORDER_LIMITS.defaultCurrency).toUpperCase(),
  };
}

/**
 * order-processor: re-validates the execution input with the API's own schema (the
 * workflow can be started by anyone allowed to call StartExecution), normalises it and
 * stamps createdAt = receivedAt, so a retried step produces the same order.
 */
export function processOrder(input: unknown, now: () => Date = () => new Date()): Order {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new OrderValidationError([{ path: '(root)', message: 'the execution input must be an object' }]);
  }
  const { orderId, receivedAt, requestHash, ...body } = input as Record<string, unknown>;
  const problems: FieldError[] = [];
  if (!isOrderId(orderId)) problems.push({ path: 'orderId', message: 'orderId must be an order id such as ord_01J...' });
  if (receivedAt !== undefined && (typeof receivedAt !== 'string' || Number.isNaN(Date.parse(receivedAt)))) {
    problems.push({ path: 'receivedAt', message: 'receivedAt must be an ISO-8601 timestamp' });
  }
  if (requestHash !== undefined && (typeof requestHash !== 'string' || !/^[0-9a-f]{64}$/.test(requestHash))) {
    problems.push({ path: 'requestHash', message: 'requestHash must be a sha256 hex digest' });
  }
  const validation = validateCreateOrderRequest(body);
  if (!validation.ok) problems.push(...validation.errors);
  if (problems.length > 0 || !validation.ok) throw new OrderValidationError(problems);

  const details = normaliseOrderRequest(validation.value);
  return {
    orderId: orderId as string,
    createdAt: typeof receivedAt === 'string' ? new Date(receivedAt).toISOString() : now().toISOString(),
    ...details,
    requestHash: typeof requestHash === 'string' ? requestHash : hashRequest(details),
  };
}
