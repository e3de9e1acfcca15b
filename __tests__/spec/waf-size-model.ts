/**
 * What a synthesized web ACL does with a benign body of a given size: which rules block it
 * on size alone. Models WAF's documented behaviour: API Gateway forwards the first
 * `default_size_inspection_limit` bytes (16 KB when not set); a body-inspecting statement
 * with `oversize_handling: MATCH` matches a longer body; a size constraint compares the
 * body's size; the Core Rule Set's SizeRestrictions_BODY blocks bodies over 8 KB unless a
 * `rule_action_override` (or the group's `override_action: count`) makes it count.
 * Content rules (SQLi, XSS) cannot be modelled and are not: the body is assumed benign.
 */
import { WAF_FACTS } from '../../spec/limits';
import type { Json } from './synthesized-app';

function inspectionBytes(acl: Json): number {
  const limit = acl.association_config?.request_body?.[0]?.api_gateway?.default_size_inspection_limit as
    | keyof typeof WAF_FACTS.bodyInspectionLimits
    | undefined;
  return limit ? WAF_FACTS.bodyInspectionLimits[limit] : WAF_FACTS.defaultBodyInspectionBytes;
}

/** Whether a statement matches a benign body of `bytes` bytes on size alone. */
function matchesOnSize(statement: Json, bytes: number, inspected: number): boolean {
  const [kind, body] = Object.entries(statement)[0] as [string, Json];
  if (kind === 'or_statement') return (body.statement as Json[]).some((s) => matchesOnSize(s, bytes, inspected));
  if (kind === 'and_statement') return (body.statement as Json[]).every((s) => matchesOnSize(s, bytes, inspected));
  if (kind === 'not_statement') return false;
  const field = body.field_to_match as Json | undefined;
  const bodyField = field?.body ?? field?.json_body;
  if (!bodyField) return false;
  const oversize = bytes > inspected;
  if (oversize) return bodyField.oversize_handling === 'MATCH';
  if (kind === 'size_constraint_statement') {
    const size = body.size as number;
    return { GT: bytes > size, GE: bytes >= size, LT: bytes < size, LE: bytes <= size, EQ: bytes === size, NE: bytes !== size }[
      body.comparison_operator as string
    ] as boolean;
  }
  return false;
}

/** Names of the rules that block a benign body of `bytes` bytes. */
export function rulesBlockingBodyOfSize(acl: Json, bytes: number): string[] {
  const inspected = inspectionBytes(acl);
  const blocking: string[] = [];
  for (const rule of acl.rule as Json[]) {
    const managed = rule.statement.managed_rule_group_statement as Json | undefined;
    if (managed) {
      const groupCounts = rule.override_action?.count !== undefined;
      const counted = (managed.rule_action_override ?? []).some(
        (o: Json) => o.name === 'SizeRestrictions_BODY' && o.action_to_use?.block === undefined,
      );
      const excluded = (managed.rule_excluded ?? managed.excluded_rule ?? []).some((e: Json) => e.name === 'SizeRestrictions_BODY');
      // The Core Rule Set inspects what it is given; a body over 8 KB (or oversize past the limit) fails SizeRestrictions_BODY.
      if (
        managed.name === 'AWSManagedRulesCommonRuleSet' &&
        !groupCounts &&
        !counted &&
        !excluded &&
        bytes > WAF_FACTS.commonRuleSetBodyLimitBytes
      )
        blocking.push(`${rule.name}:SizeRestrictions_BODY`);
      continue;
    }
    if (rule.action?.block !== undefined && matchesOnSize(rule.statement, bytes, inspected)) blocking.push(rule.name);
  }
  return blocking;
}
