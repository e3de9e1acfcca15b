/**
 * Money arithmetic in integer cents. Kept free of zod so the payment bundle stays small.
 */

/**
 * Amount in integer cents; undefined when the amount has more than two decimals. Exact for a
 * double: `Math.round(amount * 100)` is the right whole number of cents for any amount whose
 * product stays far below 2^53 (its rounding error is then far below half a cent), and the
 * double nearest to cents / 100 (the division is correctly rounded) is the amount itself only
 * when the amount was written with at most two decimals. A fixed tolerance on the product
 * instead fails large amounts: 135000000.02 * 100 is 13500000002.000002.
 */
export function toCents(amount: number): number | undefined {
  const cents = Math.round(amount * 100);
  return Number.isSafeInteger(cents) && cents / 100 === amount ? cents : undefined;
}

/** Nearest whole cent, as a number of currency units (19.999 -> 20, 5.5 -> 5.5). */
export function roundToCents(amount: number): number {
  return (toCents(amount) ?? Math.round(amount * 100)) / 100;
}

/**
 * True when a JSON number's text is an exact decimal with at most two decimal places
 * (`19.99`, `1.50`, `5e2`, `100e-4`), false for anything finer (`19.990000001`, `1e-9`).
 */
export function hasAtMostTwoDecimalsText(text: string): boolean {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return false;
  const fraction = m[2] ?? '';
  const digits = `${m[1]}${fraction}`;
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  // value = digits × 10^(exponent − fraction length); its decimal places, trailing zeros aside:
  return fraction.length - Number(m[3] ?? 0) - trailingZeros <= 2 || /^0+$/.test(digits);
}
