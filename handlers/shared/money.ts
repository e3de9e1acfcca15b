/**
 * Money arithmetic in integer cents. Kept free of zod so the payment bundle stays small.
 */

/** Amount in integer cents; undefined when the amount has more than two decimals. */
export function toCents(amount: number): number | undefined {
  const scaled = amount * 100;
  const cents = Math.round(scaled);
  // Binary floating point: 19.99 * 100 is 1998.9999999999998, so compare with a tolerance
  // far below one cent and far above the rounding error at the largest allowed amount.
  return Math.abs(scaled - cents) < 1e-6 ? cents : undefined;
}

/** Nearest whole cent, as a number of currency units (19.999 -> 20, 5.5 -> 5.5). */
export function roundToCents(amount: number): number {
  return (toCents(amount) ?? Math.round(amount * 100)) / 100;
}
