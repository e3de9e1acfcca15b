import { ORDER_LIMITS } from '../../../spec/limits';
import { roundToCents, toCents } from '../../../handlers/shared/money';

describe('toCents', () => {
  it('gives the whole cents of an amount written with at most two decimals', () => {
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(0.01)).toBe(1);
    expect(toCents(1.5)).toBe(150);
    expect(toCents(0.1 + 0.2 - 0.00000000000000004)).toBe(30);
  });

  it('rejects amounts with more than two decimals', () => {
    expect(toCents(0.1 + 0.2)).toBeUndefined(); // 0.30000000000000004
    expect(toCents(1e-9)).toBeUndefined();
    expect(toCents(19.999)).toBeUndefined();
    expect(toCents(Number.NaN)).toBeUndefined();
    expect(toCents(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('is exact for large totals, where a fixed tolerance on amount * 100 fails', () => {
    expect(135000000.02 * 100).not.toBe(13500000002); // the floating-point error the old check tripped on
    expect(toCents(135000000.02)).toBe(13500000002);
    expect(toCents(4999999999.02)).toBe(499999999902);
  });

  it('round-trips every cent value up to the largest allowed total', () => {
    // Each power-of-two band up to maxTotalAmount, sampled densely at its start (where the old
    // tolerance failed about a third of the values) and at random inside it.
    const maxCents = ORDER_LIMITS.maxTotalAmount * 100;
    let seed = 1;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const failures: number[] = [];
    for (let band = 1; band <= maxCents; band *= 2) {
      for (let i = 0; i < 300; i += 1) {
        for (const cents of [band + i, Math.floor(band + random() * band)]) {
          if (cents > maxCents) continue;
          if (toCents(cents / 100) !== cents) failures.push(cents);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('roundToCents leaves a two-decimal amount alone and rounds a finer one', () => {
    expect(roundToCents(135000000.02)).toBe(135000000.02);
    expect(roundToCents(19.999)).toBe(20);
  });
});
