/**
 * Small readers over Terraform configuration in JSON shape, and checkov's base semantics: its value
 * and negative-value checks, its graph operators (`equals`, `exists`, connections) and its verdicts.
 * A nested block may be written as an object or as an array of objects (hcl2json always writes
 * arrays), and a value may be a `${...}` expression only known at apply time.
 */
import { wholeInterpolation } from './hcl-expression';
import type { Finding, PolicyModel, PolicyRule, TfResource } from './types';

/** True for a string holding a Terraform interpolation (`${aws_kms_key.x.arn}`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** A nested block as a list of objects, whichever JSON form it was written in. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null && !Array.isArray(b));
}

/** The first block (or the object itself) under a path of block names, e.g. `get(cfg, 'tracing_config', 'mode')`. */
export function get(config: unknown, ...path: string[]): unknown {
  let current: unknown = config;
  for (const key of path) {
    const first = blocks(current)[0];
    if (!first) return undefined;
    current = first[key];
  }
  return current;
}

/** Values as a list (a single value becomes a one-element list). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every string found anywhere inside a value. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => allStrings(v, out));
  return out;
}

/** A `${var.NAME}` or `${local.NAME}` left unrendered (no default): two attributes holding the same one are linked. */
const SHARED_REFERENCE = /^\$\{\s*(var|local)\.[\w-]+(\.[\w-]+)*\s*\}$/;

/**
 * True when `value` refers to `target` the way checkov's graph links blocks: an expression naming its
 * address, a literal equal to one of its identifying attributes (`literalKeys`, e.g. the bucket name),
 * or the same unrendered `var.`/`local.` reference as one of those attributes.
 */
export function refersTo(value: unknown, target: TfResource, literalKeys: readonly string[] = []): boolean {
  const prefix = `${target.mode === 'data' ? 'data.' : ''}${target.type}.${target.name}`;
  const pattern = new RegExp(`(^|[^\\w.-])${escapeRegExp(prefix)}(\\.|\\[|\\}|$)`);
  const literals = literalKeys
    .map((k) => target.config[k])
    .filter((v): v is string => typeof v === 'string' && v !== '' && (!isExpression(v) || SHARED_REFERENCE.test(v)));
  return allStrings(value).some((s) => (isExpression(s) && pattern.test(s)) || literals.includes(s));
}

/** Resources of `type` whose attribute `attribute` refers to `target`. */
export function connected(
  model: PolicyModel,
  target: TfResource,
  type: string,
  attribute: string,
  literalKeys: readonly string[] = [],
): TfResource[] {
  return model.ofType(type, target.stack).filter((r) => refersTo(r.config[attribute], target, literalKeys));
}

/**
 * checkov's graph `connection` between a resource and resources of `type` in its stack: an edge exists
 * when either one's configuration refers to the other's address, or when `literal.attribute` of the other
 * names the resource by one of `literal.keys` (a literal name or the same unrendered var./local.).
 */
export function linked(
  model: PolicyModel,
  resource: TfResource,
  type: string,
  literal?: { attribute: string; keys: readonly string[] },
): TfResource[] {
  return model
    .ofType(type, resource.stack)
    .filter(
      (o) =>
        o !== resource &&
        (refersTo(o.config, resource) ||
          refersTo(resource.config, o) ||
          (literal !== undefined && refersTo(o.config[literal.attribute], resource, literal.keys))),
    );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A checkov verdict before it is attached to a resource. */
export type Verdict = 'pass' | 'fail' | 'unknown';

/** Checkov reads `"true"`/`"false"` strings as booleans; everything else as written. */
export function normaliseBool(value: unknown): unknown {
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return value;
}

/** A one-element list stands for its element (checkov unwraps `[x]` before comparing). */
export function unwrap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

/** The value at a path of attribute/block names (first block at each step), unwrapped. */
export function at(config: unknown, path: readonly string[]): unknown {
  let current: unknown = config;
  for (const key of path) {
    // checkov's paths name the first block (`settings/[0]/x`).
    const block = Array.isArray(current) ? current[0] : current;
    if (!block || typeof block !== 'object' || Array.isArray(block)) return undefined;
    current = (block as Record<string, unknown>)[key];
  }
  return unwrap(current);
}

/** `ANY_VALUE` of checkov's value checks: any value but an empty string. */
export const ANY_VALUE = Symbol('ANY_VALUE');

/**
 * checkov's BaseResourceValueCheck: a missing attribute gives `missing` (fail by default); with
 * ANY_VALUE any value but "" passes; a reference left unrendered (a whole `${...}`: another resource's
 * attribute, a variable without default) is UNKNOWN, as checkov answers for a value referring to
 * other blocks; a template with an interpolation inside passes (checkov's "variable dependant");
 * otherwise the value passes only when it is one of `expected`.
 */
export function valueCheck(
  config: unknown,
  path: readonly string[],
  expected: readonly unknown[] | typeof ANY_VALUE,
  missing: Verdict = 'fail',
): Verdict {
  const value = at(config, path);
  if (value === undefined || value === null) return missing;
  if (expected === ANY_VALUE) return value === '' ? 'fail' : 'pass';
  if (typeof value === 'string' && wholeInterpolation(value.trim()) !== undefined) return 'unknown';
  if (typeof value === 'string' && value.includes('${')) return 'pass';
  return expected.includes(normaliseBool(value)) ? 'pass' : 'fail';
}

/** checkov's BaseResourceNegativeValueCheck: fails only when the attribute is one of `forbidden`. */
export function negativeValueCheck(config: unknown, path: readonly string[], forbidden: readonly unknown[]): Verdict {
  const value = at(config, path);
  return value !== undefined && forbidden.includes(normaliseBool(value)) ? 'fail' : 'pass';
}

/** A graph check's `equals`: the rendered value equals `expected` (an unresolved expression does not). */
export function graphEquals(value: unknown, expected: unknown): boolean {
  return normaliseBool(unwrap(value)) === expected;
}

/** A graph check's `exists`: the attribute is present (not null). */
export function graphExists(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A rule over some types built from a checkov-style verdict function. */
export function verdictRule(
  meta: Pick<PolicyRule, 'id' | 'title' | 'area'>,
  types: readonly string[],
  check: (resource: TfResource, model: PolicyModel) => Verdict | { verdict: Verdict; message?: string },
  failMessage: string | ((resource: TfResource) => string),
): PolicyRule {
  return perResource(meta, types, (r, m) => {
    const result = check(r, m);
    const { verdict, message } = typeof result === 'string' ? { verdict: result, message: undefined } : result;
    if (verdict === 'pass') return undefined;
    if (verdict === 'unknown') return unknown(r, message ?? 'checkov answers UNKNOWN for this configuration');
    return message ?? (typeof failMessage === 'string' ? failMessage : failMessage(r));
  });
}

export const pass = (resource: TfResource): Finding => ({ resource, status: 'pass' });
export const fail = (resource: TfResource, message: string): Finding => ({ resource, status: 'fail', message });
export const unknown = (resource: TfResource, message: string): Finding => ({ resource, status: 'unknown', message });

/** A rule that checks each resource of some types on its own. */
export function perResource(
  meta: Pick<PolicyRule, 'id' | 'title' | 'area'>,
  types: readonly string[],
  check: (resource: TfResource, model: PolicyModel) => Finding | string | undefined,
): PolicyRule {
  return {
    ...meta,
    evaluate(model) {
      return types
        .flatMap((t) => model.ofType(t))
        .map((r) => {
          const result = check(r, model);
          if (result === undefined) return pass(r);
          return typeof result === 'string' ? fail(r, result) : result;
        });
    },
  };
}
