/**
 * The order mix of the load suite and the API benchmark: mostly orders that complete,
 * with every tenth one out of stock (captured, then refunded) and every tenth declined,
 * so "terminal" covers each way an order can end, each with a known expected outcome.
 */

export interface LoadOrder {
  readonly body: Record<string, unknown>;
  /** Stored finalStatus the order must reach. */
  readonly finalStatus: 'completed' | 'failed';
  /** Stored payment status the order must reach. */
  readonly payment: 'approved' | 'refunded' | 'declined';
}

/** The i-th order of a run; deterministic, so a repeat sends the identical body. */
export function loadOrder(i: number): LoadOrder {
  const customerName = `Load Customer ${i}`;
  if (i % 10 === 8) {
    // 60 laptops: the default catalogue stocks 50 (handlers/shared/inventory.ts); 6,000 is approved.
    return {
      body: { customerName, items: [{ name: 'Laptop', quantity: 60, price: 100 }], totalAmount: 6000, currency: 'USD' },
      finalStatus: 'failed',
      payment: 'refunded',
    };
  }
  if (i % 10 === 9) {
    // 12,000 is above the default approval limit of 10,000.
    return {
      body: { customerName, items: [{ name: 'Monitor', quantity: 6, price: 2000 }], totalAmount: 12000, currency: 'USD' },
      finalStatus: 'failed',
      payment: 'declined',
    };
  }
  const quantity = 1 + (i % 3);
  const price = 10 + (i % 50) + 0.25;
  return {
    body: {
      customerName,
      items: [
        { name: 'Mouse', quantity, price },
        { name: 'Keyboard', quantity: 1, price: 49.99 },
      ],
      totalAmount: Math.round((quantity * price + 49.99) * 100) / 100,
      currency: 'EUR',
    },
    finalStatus: 'completed',
    payment: 'approved',
  };
}

/** Positive integer from an environment variable, or the fallback. */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${JSON.stringify(raw)} must be a positive integer, e.g. ${name}=${fallback}`);
  return n;
}
