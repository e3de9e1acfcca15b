/**
 * The largest POST /orders body the API accepts: exactly MAX_BODY_BYTES bytes, every field at
 * its limit, names padded with JSON `\u0020` escapes (6 bytes for one character, the most
 * bytes per character JSON allows) around 4-byte UTF-8 characters.
 */
import { MAX_BODY_BYTES, ORDER_LIMITS } from '../../spec/limits';

const ESCAPED_SPACE = '\\u0020';
/** A 4-byte UTF-8 character (2 UTF-16 units). */
const WIDE = '\u{1F381}';

export function maxValidBodyText(maxBytes: number = MAX_BODY_BYTES): string {
  const visible = WIDE.repeat(ORDER_LIMITS.nameMaxLength);
  // Raw length is counted in UTF-16 units after JSON decoding: each escape decodes to one.
  const padUnits = ORDER_LIMITS.rawTextMaxLength - visible.length;
  const names = ORDER_LIMITS.maxItems + 1;
  const pads = new Array<number>(names).fill(0);
  const ascii = new Array<number>(names).fill(0);
  const render = () => {
    const name = (i: number) => `"${visible}${ESCAPED_SPACE.repeat(pads[i])}${' '.repeat(ascii[i])}"`;
    const items = Array.from(
      { length: ORDER_LIMITS.maxItems },
      (_, i) => `{"name":${name(i + 1)},"quantity":${ORDER_LIMITS.maxQuantity},"price":${ORDER_LIMITS.maxPrice}}`,
    );
    const total = ORDER_LIMITS.maxItems * ORDER_LIMITS.maxQuantity * ORDER_LIMITS.maxPrice;
    return `{"customerName":${name(0)},"items":[${items.join(',')}],"totalAmount":${total},"currency":"USD"}`;
  };
  let missing = maxBytes - Buffer.byteLength(render(), 'utf8');
  // Fill with 6-byte escapes while they fit, then top up with single ASCII spaces.
  for (let i = 0; i < names && missing >= ESCAPED_SPACE.length; i += 1) {
    pads[i] = Math.min(padUnits, Math.floor(missing / ESCAPED_SPACE.length));
    missing -= pads[i] * ESCAPED_SPACE.length;
  }
  for (let i = 0; i < names && missing > 0; i += 1) {
    ascii[i] = Math.min(padUnits - pads[i], missing);
    missing -= ascii[i];
  }
  if (missing !== 0) throw new Error(`cannot build a valid body of exactly ${maxBytes} bytes`);
  return render();
}
