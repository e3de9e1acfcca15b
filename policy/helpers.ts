/**
 * Small readers over synthesized Terraform JSON. Terraform JSON writes a nested block as
 * an object or as an array of objects, and any value may be a `${...}` expression whose
 * result is only known at apply time: such a value counts as "set" (checkov does the same).
 */
import type { Finding, PolicyModel, PolicyRule, TfResource } from './types';

/** True for a string holding a Terraform interpolation (`${aws_kms_key.x.arn}`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/** True when a value is present: not undefined/null/empty string/empty array/empty object. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
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

/** True for `true`, `"true"` or an expression (the value is decided at apply time, as in checkov). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || isExpression(value);
}

/** True only for an explicit `true` / `"true"`. */
export function isExplicitTrue(value: unknown): boolean {
  return value === true || value === 'true';
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

/** True when `value` refers to `target` (an expression naming its address) or equals one of its literal identifiers. */
export function refersTo(value: unknown, target: TfResource, literalKeys: readonly string[] = []): boolean {
  const prefix = `${target.mode === 'data' ? 'data.' : ''}${target.type}.${target.name}`;
  const pattern = new RegExp(`(^|[^\\w.-])${escapeRegExp(prefix)}(\\.|\\[|\\}|$)`);
  const literals = literalKeys
    .map((k) => target.config[k])
    .filter((v): v is string => typeof v === 'string' && !isExpression(v) && v !== '');
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

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
