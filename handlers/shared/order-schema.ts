/**
 * The POST /orders contract: one strict zod/mini schema used by the api handler, the
 * order-processor (which never trusts its caller) and, through
 * `createOrderRequestJsonSchema()`, the API Gateway request model.
 *
 * zod/mini (not classic zod) keeps the handler bundles small; every check carries its own
 * message because zod/mini ships no locale ("Invalid input" would name nothing).
 */
import * as z from 'zod/mini';
import { ORDER_LIMITS } from '../../spec/limits';
import { ISO_4217_CURRENCIES } from './currencies';
import { hasAtMostTwoDecimalsText, toCents } from './money';

/** The limits live in the spec (spec/limits.ts), next to the WAF facts they must respect. */
export { ORDER_LIMITS };

/**
 * A missing field says "is required"; a present one of the wrong type says what it must be; a
 * number out of range names the bound it breaks (JSON's `1e309` parses to Infinity, which zod
 * reports as no number, and `1e24` is no safe integer).
 */
function typeError(what: string, expected: string, tooSmall?: string, tooBig?: string) {
  return {
    error: (issue: { code?: string; input?: unknown; received?: unknown }) =>
      issue.code === 'too_big' || issue.received === 'Infinity'
        ? tooBig
        : issue.code === 'too_small' || issue.received === '-Infinity'
          ? tooSmall
          : issue.input === undefined
            ? `${what} is required`
            : `${what} must be ${expected}`,
  };
}

/** At most two decimals, for a double (`toCents`); the API also checks each amount's source text (`hasAtMostTwoDecimalsText`). */
const hasAtMostTwoDecimals = (n: number): boolean => toCents(n) !== undefined;
/** Unicode White_Space and Default_Ignorable_Code_Point (zero-width spaces, U+3164 HANGUL FILLER, ...): nothing visible. */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;
// An empty string already failed minLength: report it once.
const notBlank = (s: string): boolean => s.length === 0 || !INVISIBLE_ONLY.test(s);
/** Code points, not UTF-16 units: "李小龍" is 3 characters and an emoji is 1. */
const characters = (s: string): number => [...s].length;
// Over the raw cap already failed maxLength: report it once.
const trimmedFits = (s: string): boolean => s.length > ORDER_LIMITS.rawTextMaxLength || characters(s.trim()) <= ORDER_LIMITS.nameMaxLength;

function boundedText(what: string) {
  const tooLong = `${what} must be at most ${ORDER_LIMITS.nameMaxLength} characters after trimming`;
  return z
    .string(typeError(what, 'a string'))
    .check(
      z.minLength(1, `${what} must not be empty`),
      z.maxLength(ORDER_LIMITS.rawTextMaxLength, `${tooLong} (and at most ${ORDER_LIMITS.rawTextMaxLength} with surrounding whitespace)`),
      z.refine(notBlank, `${what} must not be blank`),
      z.refine(trimmedFits, tooLong),
    );
}

function money(what: string, max: number) {
  return z
    .number(typeError(what, 'a number', `${what} must be greater than 0`, `${what} must be at most ${max}`))
    .check(
      z.gt(0, `${what} must be greater than 0`),
      z.lte(max, `${what} must be at most ${max}`),
      z.refine(hasAtMostTwoDecimals, `${what} must have at most two decimal places`),
    );
}

function strict<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'unknown field'
        : issue.input === undefined
          ? `${what} is required`
          : `${what} must be an object`,
  });
}

/** Σ price × quantity in integer cents (prices are already known to have two decimals). */
export function itemsTotalCents(items: ReadonlyArray<{ readonly quantity: number; readonly price: number }>): number {
  return items.reduce((sum, item) => sum + (toCents(item.price) ?? Math.round(item.price * 100)) * item.quantity, 0);
}

function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Builds the order schemas (zod spends a few milliseconds on it; see `orderSchemas`). */
function buildOrderSchemas() {
  const orderItem = strict(
    {
      name: boundedText('name'),
      quantity: z
        .int(
          typeError(
            'quantity',
            'an integer',
            `quantity must be at least ${ORDER_LIMITS.minQuantity}`,
            `quantity must be at most ${ORDER_LIMITS.maxQuantity}`,
          ),
        )
        .check(
          z.gte(ORDER_LIMITS.minQuantity, `quantity must be at least ${ORDER_LIMITS.minQuantity}`),
          z.lte(ORDER_LIMITS.maxQuantity, `quantity must be at most ${ORDER_LIMITS.maxQuantity}`),
        ),
      price: money('price', ORDER_LIMITS.maxPrice),
    },
    'item',
  );

  const baseShape = {
    customerName: boundedText('customerName'),
    items: z
      .array(orderItem, typeError('items', 'an array'))
      .check(
        z.minLength(ORDER_LIMITS.minItems, `items must contain at least ${ORDER_LIMITS.minItems} item`),
        z.maxLength(ORDER_LIMITS.maxItems, `items must contain at most ${ORDER_LIMITS.maxItems} items`),
      ),
    totalAmount: money('totalAmount', ORDER_LIMITS.maxTotalAmount),
    currency: z.optional(
      z.string({ error: 'currency must be a string' }).check(
        z.regex(/^[A-Za-z]{3}$/, 'currency must be a three-letter ISO 4217 code such as USD'),
        z.refine((c) => ISO_4217_CURRENCIES.has(c.toUpperCase()), 'currency is not an ISO 4217 currency code'),
      ),
    ),
  };

  // The POST /orders body: strict (unknown fields are errors), with the cross-field total rule.
  const createOrderRequest = strict(baseShape, 'the request body').check(
    z.superRefine(
      (body, ctx) => {
        const expected = itemsTotalCents(body.items);
        const actual = toCents(body.totalAmount);
        if (actual !== expected) {
          ctx.issues.push({
            code: 'custom',
            input: body.totalAmount,
            path: ['totalAmount'],
            message: `totalAmount must equal the sum of price x quantity (${formatCents(expected)})`,
          });
        }
      },
      {
        // The sum is meaningful only when every item and the total passed their own checks.
        when: (payload) =>
          !payload.issues.some((issue) => {
            const head = issue.path?.[0];
            return head === 'items' || head === 'totalAmount' || (head === undefined && issue.code !== 'unrecognized_keys');
          }),
      },
    ),
  );
  return { orderItem, createOrderRequest };
}

let built: ReturnType<typeof buildOrderSchemas> | undefined;

/**
 * The schemas, built on first use rather than when the module loads: a cold start that serves a
 * GET never pays for building them (about 5 ms of an api cold start on our machines).
 */
export function orderSchemas(): ReturnType<typeof buildOrderSchemas> {
  built ??= buildOrderSchemas();
  return built;
}

export type CreateOrderRequest = z.infer<ReturnType<typeof buildOrderSchemas>['createOrderRequest']>;
export type OrderItem = z.infer<ReturnType<typeof buildOrderSchemas>['orderItem']>;

/** One offending field: `path` like `items[0].price`, `(root)` for the body itself. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** zod issues → one FieldError per offending field (each unknown key gets its own entry). */
function toFieldErrors(issues: ReadonlyArray<z.core.$ZodIssue>): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/**
 * Checks of the numbers' source text (the API's JSON reader keeps each number's text by path), for
 * `validateCreateOrderRequest`: an amount finer than a cent, and a quantity written with a fraction
 * or an exponent (`1.0`, `1e0`): JSON Schema's "integer" of the API Gateway model may refuse those
 * texts, so the handler refuses them too and both layers answer alike.
 */
export function numberTextErrors(input: unknown, numberText: ReadonlyMap<string, string>): FieldError[] {
  const body = input as { items?: unknown } | null;
  const items = body && typeof body === 'object' && Array.isArray(body.items) ? body.items : [];
  const errors: FieldError[] = [];
  const amounts = [...items.map((_, i) => [`items[${i}].price`, 'price'] as const), ['totalAmount', 'totalAmount'] as const];
  for (const [path, what] of amounts) {
    const text = numberText.get(path);
    if (text !== undefined && !hasAtMostTwoDecimalsText(text))
      errors.push({ path, message: `${what} must have at most two decimal places` });
  }
  items.forEach((_, i) => {
    const text = numberText.get(`items[${i}].quantity`);
    if (text !== undefined && /[.eE]/.test(text))
      errors.push({ path: `items[${i}].quantity`, message: 'quantity must be written as a whole number, without a fraction or exponent' });
  });
  return errors;
}

/**
 * Validates a parsed POST /orders body; never throws. `moreErrors` (the API adds `numberTextErrors`)
 * join the schema's; each message is given once per field (an unsafe integer breaks both the
 * integer type and the maximum).
 */
export function validateCreateOrderRequest(input: unknown, moreErrors: readonly FieldError[] = []): ValidationResult<CreateOrderRequest> {
  const result = orderSchemas().createOrderRequest.safeParse(input);
  const all = [...(result.success ? [] : toFieldErrors(result.error.issues)), ...moreErrors];
  const errors = all.filter((e, i) => all.findIndex((f) => f.path === e.path && f.message === e.message) === i);
  return result.success && errors.length === 0 ? { ok: true, value: result.data } : { ok: false, errors };
}

/**
 * JSON Schema draft-04 of the POST /orders body, for the API Gateway request model.
 * It carries what JSON Schema can express (types, lengths, ranges, required, no extra
 * fields, the currency pattern); the blank-name, two-decimal, ISO-code and total rules
 * are refinements that only the handler enforces.
 */
export function createOrderRequestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(orderSchemas().createOrderRequest, { target: 'draft-4', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
