/**
 * Loads synthesized Terraform JSON and runs the policy rules over it.
 * By default it reads `cdktf.out/stacks/<stack>/cdk.tf.json`; given a folder it reads every
 * `*.tf.json` below it (the stack is the file's folder name), so teams can run the suite
 * on their other Terraform JSON too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ALL_RULES } from './rules';
import type { Finding, PolicyModel, PolicyRule, TfResource } from './types';
import { findWaiver, WAIVERS, type Waiver } from './waivers';

export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

export const DEFAULT_OUTDIR = 'cdktf.out';

/** The Terraform JSON files to read: `<dir>/stacks/*\/cdk.tf.json` when present, else every `*.tf.json` under `dir`. */
export function findTerraformJson(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PolicyInputError(`${dir} is not a folder`);
  const stacksDir = join(dir, 'stacks');
  if (existsSync(stacksDir)) {
    const files = readdirSync(stacksDir)
      .sort()
      .map((s) => join(stacksDir, s, 'cdk.tf.json'))
      .filter((f) => existsSync(f));
    if (files.length > 0) return files;
  }
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.terraform' || entry.name === 'assets') continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf.json')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Builds the model from Terraform JSON documents keyed by stack name. */
export function buildModel(documents: ReadonlyArray<{ stack: string; json: unknown }>): PolicyModel {
  const resources: TfResource[] = [];
  const stacks: string[] = [];
  for (const { stack, json } of documents) {
    if (!stacks.includes(stack)) stacks.push(stack);
    const doc = (json ?? {}) as { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> };
    for (const [mode, section] of [
      ['resource', doc.resource],
      ['data', doc.data],
    ] as const) {
      for (const [type, byName] of Object.entries(section ?? {})) {
        for (const [name, config] of Object.entries(byName ?? {})) {
          // JSON may hold one instance or (hand-written) a list of identically named blocks.
          for (const c of Array.isArray(config) ? config : [config]) {
            resources.push({
              stack,
              mode,
              type,
              name,
              address: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
              config: (c ?? {}) as Record<string, unknown>,
            });
          }
        }
      }
    }
  }
  const index = new Map<string, TfResource[]>();
  for (const r of resources) {
    const key = `${r.mode === 'data' ? 'data.' : ''}${r.type}`;
    index.set(key, [...(index.get(key) ?? []), r]);
  }
  return {
    resources,
    stacks,
    ofType: (type, stack) => (index.get(type) ?? []).filter((r) => stack === undefined || r.stack === stack),
  };
}

/** Reads files into a model; the stack of a file is its folder's name. */
export function loadModel(files: readonly string[]): PolicyModel {
  return buildModel(
    files.map((file) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new PolicyInputError(`${file} is not valid JSON: ${(e as Error).message}`);
      }
      const folder = basename(dirname(file));
      const stack = basename(file) === 'cdk.tf.json' ? folder : `${folder}/${basename(file, '.tf.json')}`;
      return { stack, json };
    }),
  );
}

export type RuleStatus = 'PASS' | 'FAIL' | 'WAIVED' | 'N/A';

export interface RuleResult {
  readonly rule: PolicyRule;
  readonly status: RuleStatus;
  readonly failures: ReadonlyArray<Finding>;
  readonly waived: ReadonlyArray<{ finding: Finding; waiver: Waiver }>;
  readonly unknown: ReadonlyArray<Finding>;
  readonly evaluated: number;
}

/** Runs rules over a model, applying waivers. */
export function runPolicies(
  model: PolicyModel,
  rules: readonly PolicyRule[] = ALL_RULES,
  waivers: readonly Waiver[] = WAIVERS,
): RuleResult[] {
  return rules.map((rule) => {
    const findings = rule.evaluate(model);
    const failures: Finding[] = [];
    const waived: Array<{ finding: Finding; waiver: Waiver }> = [];
    for (const f of findings.filter((x) => x.status === 'fail')) {
      const waiver = findWaiver(rule.id, f.resource, model, waivers);
      if (waiver) waived.push({ finding: f, waiver });
      else failures.push(f);
    }
    const status: RuleStatus = failures.length > 0 ? 'FAIL' : waived.length > 0 ? 'WAIVED' : findings.length === 0 ? 'N/A' : 'PASS';
    return { rule, status, failures, waived, unknown: findings.filter((x) => x.status === 'unknown'), evaluated: findings.length };
  });
}

/** `stack: address` for reports. */
export function where(f: Finding): string {
  return `${f.resource.stack}: ${f.resource.address}`;
}
