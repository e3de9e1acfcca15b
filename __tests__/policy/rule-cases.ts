/**
 * Shared table runner for the rule tests: each case is a small HCL (or Terraform JSON) fixture and the
 * verdict the rule must give on every resource it judges, one case per branch of checkov's logic.
 * HCL is parsed with hcl2json (a wasm module) once per test file, before the cases run.
 */
import { buildModel, parseHcl } from '../../policy/engine';
import { ALL_RULES } from '../../policy/rules';
import type { FindingStatus, PolicyModel } from '../../policy/types';

export type TfDoc = {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  variable?: Record<string, unknown>;
  locals?: Record<string, unknown>;
};

export interface VerdictCase {
  /** Checkov id of the rule under test. */
  readonly id: string;
  /** The branch of checkov's logic the fixture exercises. */
  readonly name: string;
  /** HCL source, or a Terraform JSON document (the shape cdktf writes). */
  readonly tf: string | TfDoc;
  /** The verdict on every resource the rule judges in the fixture (address → status). */
  readonly expect: Readonly<Record<string, FindingStatus>>;
}

export function modelOf(doc: unknown, stack = 'orders-app-prod'): PolicyModel {
  return buildModel([{ stack, json: doc }]);
}

export function ruleById(id: string) {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** Runs the cases of one area and checks that each of its rules has a passing and a failing case. */
export function runVerdictCases(area: string, cases: readonly VerdictCase[]): void {
  describe(`${area} rules, case by case against checkov's logic`, () => {
    const parsed = new Map<VerdictCase, unknown>();
    beforeAll(async () => {
      for (const c of cases) if (typeof c.tf === 'string') parsed.set(c, await parseHcl(`${c.id}.tf`, c.tf));
    });

    it.each(cases.map((c) => [`${c.id} ${c.name}`, c] as const))('%s', (_name, c) => {
      // GIVEN the fixture / WHEN the rule runs over it
      const findings = ruleById(c.id).evaluate(modelOf(typeof c.tf === 'string' ? parsed.get(c) : c.tf));
      // THEN every judged resource gets the expected verdict (and nothing else is judged)
      expect(Object.fromEntries(findings.map((f) => [f.resource.address, f.status]))).toEqual(c.expect);
    });

    it(`has a passing and a failing case for every ${area} rule`, () => {
      const verdicts = (id: string) => new Set(cases.filter((c) => c.id === id).flatMap((c) => Object.values(c.expect)));
      const missing = ALL_RULES.filter((r) => r.area === area).filter((r) => !verdicts(r.id).has('pass') || !verdicts(r.id).has('fail'));
      expect(missing.map((r) => r.id)).toEqual([]);
    });
  });
}

/** `${type.name.attr}` */
export const ref = (address: string, attribute = 'id'): string => `\${${address}.${attribute}}`;
