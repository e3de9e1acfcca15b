/**
 * Reads IAM policy documents as they appear in synthesized Terraform: a JSON string
 * (interpolations inside its values are fine), or a reference to a
 * `data.aws_iam_policy_document` in the same stack. Anything else (e.g. `${jsonencode(...)}`)
 * cannot be read statically and yields `undefined` — rules report it as "unknown", as checkov does.
 */
import { asList, blocks, isExpression } from './helpers';
import type { PolicyModel, TfResource } from './types';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly NotAction: string[];
  readonly Resource: string[];
  /** `'*'` or a map such as `{ AWS: [...], Service: [...] }`; undefined when absent. */
  readonly Principal?: '*' | Record<string, string[]>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Statement: PolicyStatement[];
}

const DATA_REF = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/;

/** Parses a policy attribute value; `undefined` when it cannot be read statically. */
export function readPolicy(value: unknown, owner: TfResource, model: PolicyModel): PolicyDocument | undefined {
  if (typeof value === 'string') {
    const ref = DATA_REF.exec(value.trim());
    if (ref) {
      const doc = model.ofType('data.aws_iam_policy_document', owner.stack).find((d) => d.name === ref[1]);
      return doc ? fromDataSource(doc) : undefined;
    }
    if (value.trim().startsWith('${')) return undefined;
    try {
      return normalise(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === 'object') return normalise(value);
  return undefined;
}

function normalise(raw: unknown): PolicyDocument | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const statements = asList((raw as { Statement?: unknown }).Statement);
  return {
    Statement: statements
      .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
      .map((s) => ({
        Sid: s.Sid === undefined ? undefined : String(s.Sid),
        Effect: String(s.Effect ?? 'Allow'),
        Action: asList(s.Action).map(String),
        NotAction: asList(s.NotAction).map(String),
        Resource: asList(s.Resource).map(String),
        Principal: normalisePrincipal(s.Principal),
        Condition: s.Condition as PolicyStatement['Condition'],
      })),
  };
}

function normalisePrincipal(p: unknown): PolicyStatement['Principal'] {
  if (p === undefined || p === null) return undefined;
  if (p === '*') return '*';
  if (typeof p === 'object') {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) out[k] = asList(v).map(String);
    return out;
  }
  return undefined;
}

/** Converts `data.aws_iam_policy_document` statement blocks to the JSON shape. */
function fromDataSource(doc: TfResource): PolicyDocument | undefined {
  if (isExpression(doc.config.statement)) return undefined;
  return {
    Statement: blocks(doc.config.statement).map((s) => {
      const principals = blocks(s.principals);
      let principal: PolicyStatement['Principal'];
      if (principals.length > 0) {
        const map: Record<string, string[]> = {};
        for (const p of principals) {
          const type = String(p.type);
          map[type] = [...(map[type] ?? []), ...asList(p.identifiers).map(String)];
        }
        principal = map;
      }
      const conditions = blocks(s.condition);
      let condition: PolicyStatement['Condition'];
      if (conditions.length > 0) {
        condition = {};
        for (const c of conditions) {
          const test = String(c.test);
          condition[test] = { ...(condition[test] ?? {}), [String(c.variable)]: c.values };
        }
      }
      return {
        Sid: s.sid === undefined ? undefined : String(s.sid),
        Effect: String(s.effect ?? 'Allow'),
        Action: asList(s.actions).map(String),
        NotAction: asList(s.not_actions).map(String),
        Resource: asList(s.resources).map(String),
        Principal: principal,
        Condition: condition,
      };
    }),
  };
}

/** True when a principal is `*` or has `AWS: "*"`. */
export function isWildcardPrincipal(principal: PolicyStatement['Principal']): boolean {
  if (principal === '*') return true;
  return !!principal && (principal.AWS ?? []).includes('*');
}
