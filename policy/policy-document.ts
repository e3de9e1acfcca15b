/**
 * Reads IAM policy documents as checkov sees them after rendering: a JSON string (interpolations inside
 * its values are fine), a `jsonencode(<literal>)` (already rendered to JSON by the model), an object,
 * or a reference to a `data.aws_iam_policy_document` in the same stack, converted to the JSON shape the
 * way checkov's converter does. Statements are returned as written (a string or a list per field, a
 * `Principal` that is `"*"`, a map or a list), because each checkov check reads them its own way.
 */
import { asList, blocks, isExpression } from './helpers';
import type { PolicyModel, TfResource } from './types';

/** One statement as written (keys `Effect`, `Action`, `Principal`, ...). */
export type RawStatement = Record<string, unknown>;

export interface PolicyDocument {
  /** `Statement` as written: one object or a list. */
  readonly Statement?: unknown;
  readonly [key: string]: unknown;
}

const DATA_REF = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/;

/** The data source a policy attribute refers to, if it is `${data.aws_iam_policy_document.X.json}`. */
export function policyDocumentSource(value: unknown, owner: TfResource, model: PolicyModel): TfResource | undefined {
  if (typeof value !== 'string') return undefined;
  const ref = DATA_REF.exec(value.trim());
  return ref ? model.ofType('data.aws_iam_policy_document', owner.stack).find((d) => d.name === ref[1]) : undefined;
}

/** Parses a policy attribute value; `undefined` when it cannot be read statically. */
export function readPolicy(value: unknown, owner: TfResource, model: PolicyModel): PolicyDocument | undefined {
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof v === 'string') {
    if (DATA_REF.test(v.trim())) {
      const doc = policyDocumentSource(v, owner, model);
      return doc ? fromDataSource(doc) : undefined;
    }
    if (v.trim().startsWith('${')) return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PolicyDocument) : undefined;
    } catch {
      return undefined;
    }
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as PolicyDocument;
  return undefined;
}

/** The statements of a document as objects (checkov's `force_list(policy["Statement"])`). */
export function statementsOf(doc: PolicyDocument | undefined): RawStatement[] {
  return asList(doc?.Statement).filter((s): s is RawStatement => !!s && typeof s === 'object' && !Array.isArray(s));
}

/** A field as a list of strings (a single string becomes a one-element list). */
export function listOf(value: unknown): string[] {
  return asList(value).filter((x): x is string => typeof x === 'string');
}

/**
 * `data.aws_iam_policy_document` statement blocks in the JSON shape (checkov's
 * iam_terraform_document_to_policy_converter): `effect` defaults to Allow, `principals` become a
 * `Principal` map by type (type `*` with identifier `*` is `"*"`, as Terraform renders it) and
 * `condition` blocks a `Condition` map by test and variable.
 */
export function fromDataSource(doc: TfResource): PolicyDocument | undefined {
  if (isExpression(doc.config.statement)) return undefined;
  return {
    Version: doc.config.version ?? '2012-10-17',
    Statement: blocks(doc.config.statement).map((s) => {
      const out: RawStatement = { Effect: s.effect ?? 'Allow' };
      if (s.sid !== undefined) out.Sid = s.sid;
      if (s.actions !== undefined) out.Action = s.actions;
      if (s.not_actions !== undefined) out.NotAction = s.not_actions;
      if (s.resources !== undefined) out.Resource = s.resources;
      if (s.not_resources !== undefined) out.NotResource = s.not_resources;
      for (const [block, key] of [
        ['principals', 'Principal'],
        ['not_principals', 'NotPrincipal'],
      ] as const) {
        const principals = blocks(s[block]);
        if (principals.length === 0) continue;
        if (principals.length === 1 && principals[0].type === '*' && listOf(principals[0].identifiers).includes('*')) {
          out[key] = '*';
          continue;
        }
        const map: Record<string, string[]> = {};
        for (const p of principals) map[String(p.type)] = [...(map[String(p.type)] ?? []), ...listOf(p.identifiers)];
        out[key] = map;
      }
      const conditions = blocks(s.condition);
      if (conditions.length > 0) {
        const condition: Record<string, Record<string, unknown>> = {};
        for (const c of conditions) condition[String(c.test)] = { ...(condition[String(c.test)] ?? {}), [String(c.variable)]: c.values };
        out.Condition = condition;
      }
      return out;
    }),
  };
}
