/** Shared table runner: each rule fails its bad fixture (naming the offender) and passes its good one. */
import { buildModel } from '../../policy/engine';
import { ALL_RULES } from '../../policy/rules';
import type { PolicyModel } from '../../policy/types';

export type TfDoc = { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> };

export interface RuleCase {
  /** Checkov id of the rule under test. */
  readonly id: string;
  /** A fixture the rule must fail. */
  readonly bad: TfDoc;
  /** The address the failure must name. */
  readonly offender: string;
  /** A fixture the rule must pass (with at least one resource evaluated). */
  readonly good: TfDoc;
}

export function modelOf(doc: TfDoc, stack = 'orders-app-prod'): PolicyModel {
  return buildModel([{ stack, json: doc }]);
}

export function ruleById(id: string) {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

export function runRuleCases(area: string, cases: readonly RuleCase[]): void {
  describe(`${area} rules`, () => {
    it.each(cases.map((c) => [c.id, c] as const))('%s fails the bad fixture and names the offender', (_id, c) => {
      // GIVEN a fixture violating the rule / WHEN the rule runs
      const findings = ruleById(c.id).evaluate(modelOf(c.bad));
      // THEN it fails, naming the offending address
      const failed = findings.filter((f) => f.status === 'fail').map((f) => f.resource.address);
      expect(failed).toContain(c.offender);
    });

    it.each(cases.map((c) => [c.id, c] as const))('%s passes the good fixture', (_id, c) => {
      const findings = ruleById(c.id).evaluate(modelOf(c.good));
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.filter((f) => f.status !== 'pass')).toEqual([]);
    });
  });
}

/** `${type.name.attr}` */
export const ref = (address: string, attribute = 'id'): string => `\${${address}.${attribute}}`;
