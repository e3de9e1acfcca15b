/**
 * Loads Terraform configuration and runs the policy rules over it.
 * By default it reads `cdktf.out/stacks/<stack>/cdk.tf.json`; given any other folder it reads every
 * `*.tf.json` and `*.tf` (HCL, through `@cdktf/hcl2json`) below it. Each folder is one module (one
 * "stack"), as Terraform reads it: its files share variables and locals, and their values are rendered
 * into the resources the way checkov's graph renders them (defaults of `var.*`, `local.*`, `jsonencode`
 * of literals), so resources link by address, by literal name and by a shared `var.`/`local.` value.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { type ExpressionScope, expandDynamicBlocks, resolveValue } from './hcl-expression';
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

const SKIPPED_FOLDERS = ['node_modules', '.terraform', 'assets', '.git'];

/** Terraform files under `dir`: `<dir>/stacks/*\/cdk.tf.json` when present (cdktf output), else every `*.tf.json` (and, with `hcl`, `*.tf`). */
export function findTerraformFiles(dir: string, options: { hcl?: boolean } = {}): string[] {
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
      if (SKIPPED_FOLDERS.includes(entry.name)) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf.json') || (options.hcl && entry.name.endsWith('.tf'))) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Terraform JSON files only (what cdktf writes); see {@link findTerraformFiles}. */
export function findTerraformJson(dir: string): string[] {
  return findTerraformFiles(dir);
}

type Section = Record<string, Record<string, unknown>>;
interface TfDocument {
  resource?: Section;
  data?: Section;
  variable?: Record<string, unknown>;
  locals?: unknown;
  /** Values from the module's terraform.tfvars / *.auto.tfvars (they override defaults, as in Terraform and checkov). */
  tfvars?: Record<string, unknown>;
}

/** Blocks written once (JSON object) or repeated (hcl2json's arrays), as a list. */
function instances(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v));
}

/** Variable defaults and locals of one module, read from all its documents. */
function moduleScope(docs: readonly TfDocument[]): ExpressionScope {
  const variables = new Map<string, unknown>();
  const locals = new Map<string, unknown>();
  for (const doc of docs) {
    for (const [name, decl] of Object.entries(doc.variable ?? {})) {
      const d = instances(decl)[0];
      if (d && 'default' in d && d.default !== null) variables.set(name, d.default);
    }
    for (const block of instances(doc.locals)) for (const [name, value] of Object.entries(block)) locals.set(name, value);
  }
  for (const doc of docs) for (const [name, value] of Object.entries(doc.tfvars ?? {})) variables.set(name, value);
  return { variables, locals };
}

/** Builds the model from Terraform documents (JSON shape) keyed by stack (module) name. */
export function buildModel(documents: ReadonlyArray<{ stack: string; json: unknown }>): PolicyModel {
  const resources: TfResource[] = [];
  const stacks: string[] = [];
  const byStack = new Map<string, TfDocument[]>();
  for (const { stack, json } of documents) {
    if (!stacks.includes(stack)) stacks.push(stack);
    byStack.set(stack, [...(byStack.get(stack) ?? []), (json ?? {}) as TfDocument]);
  }
  for (const stack of stacks) {
    const docs = byStack.get(stack) ?? [];
    const scope = moduleScope(docs);
    for (const doc of docs) {
      for (const [mode, section] of [
        ['resource', doc.resource],
        ['data', doc.data],
      ] as const) {
        for (const [type, byName] of Object.entries(section ?? {})) {
          for (const [name, config] of Object.entries(byName ?? {})) {
            // JSON holds one instance per name; hcl2json (and hand-written JSON) a list of blocks.
            for (const c of Array.isArray(config) ? config : [config]) {
              const rendered = resolveValue(expandDynamicBlocks((c ?? {}) as Record<string, unknown>, scope), scope) as Record<
                string,
                unknown
              >;
              // `count = 0` or an empty literal for_each creates no instance, so checkov judges none.
              if (rendered.count === 0 || (Array.isArray(rendered.for_each) && rendered.for_each.length === 0)) continue;
              resources.push({
                stack,
                mode,
                type,
                name,
                address: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
                config: rendered,
              });
            }
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

/** The stack (module) name of a file: the cdktf stack folder, else the folder relative to `root`. */
function stackOf(file: string, root?: string): string {
  const folder = dirname(file);
  if (basename(file) === 'cdk.tf.json') return basename(folder);
  const rel = root ? relative(root, folder) : '';
  return rel === '' ? basename(folder) : rel;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PolicyInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads Terraform JSON files into a model (synchronously; HCL needs {@link loadModelFromFiles}). */
export function loadModel(files: readonly string[], root?: string): PolicyModel {
  return buildModel(
    files.map((file) => {
      if (!file.endsWith('.json')) throw new PolicyInputError(`${file} is HCL; read it with loadModelFromFiles`);
      return { stack: stackOf(file, root), json: readJson(file) };
    }),
  );
}

/** Parses HCL source to Terraform's JSON shape (blocks as arrays, expressions as `${...}` strings). */
export async function parseHcl(file: string, source: string): Promise<unknown> {
  // Required with a local type: the package's own typings pull in the DOM library, which changes
  // what `fetch` and friends accept everywhere else in the project.
  const { parse } = require('@cdktf/hcl2json') as { parse(name: string, source: string): Promise<unknown> };
  try {
    return await parse(file, source);
  } catch (e) {
    throw new PolicyInputError(`${file} is not valid HCL: ${String((e as Error).message ?? e).split('\n')[0]}`);
  }
}

/**
 * Arguments of `module` blocks whose source is a local folder become that module's variable values
 * (rendered in the caller's scope first), as checkov's graph passes them. A module folder called from
 * several places keeps its defaults, since its resources stand for several instances.
 */
function moduleArguments(
  files: readonly string[],
  documents: ReadonlyArray<{ stack: string; json: unknown }>,
  root?: string,
): Array<{ stack: string; json: unknown }> {
  const calls = new Map<string, Array<Record<string, unknown>>>();
  files.forEach((file, i) => {
    const doc = documents[i].json as { module?: Record<string, unknown> };
    const scope = moduleScope(documents.filter((d) => d.stack === documents[i].stack).map((d) => d.json as TfDocument));
    for (const block of Object.values(doc.module ?? {}).flatMap(instances)) {
      if (typeof block.source !== 'string' || !/^\.\.?\//.test(block.source)) continue;
      const target = stackOf(join(dirname(file), block.source, 'x.tf'), root);
      const {
        source: _source,
        version: _version,
        providers: _providers,
        count: _count,
        for_each: _forEach,
        depends_on: _dependsOn,
        ...args
      } = block;
      calls.set(target, [...(calls.get(target) ?? []), resolveValue(args, scope) as Record<string, unknown>]);
    }
  });
  return [...calls].filter(([, args]) => args.length === 1).map(([stack, [tfvars]]) => ({ stack, json: { tfvars } }));
}

/** Variable values files Terraform loads automatically from a module folder. */
function tfvarsFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => /^(terraform\.tfvars|.+\.auto\.tfvars)(\.json)?$/.test(f))
    .sort((a, b) => (a.startsWith('terraform.') ? -1 : b.startsWith('terraform.') ? 1 : a.localeCompare(b)))
    .map((f) => join(folder, f));
}

/** Reads Terraform JSON and HCL files into a model (with each module folder's tfvars). */
export async function loadModelFromFiles(files: readonly string[], root?: string): Promise<PolicyModel> {
  const documents: Array<{ stack: string; json: unknown }> = [];
  for (const file of files) {
    const json = file.endsWith('.json') ? readJson(file) : await parseHcl(file, readFileSync(file, 'utf8'));
    documents.push({ stack: stackOf(file, root), json });
  }
  documents.push(...moduleArguments(files, documents, root));
  for (const folder of [...new Set(files.filter((f) => basename(f) !== 'cdk.tf.json').map((f) => dirname(f)))]) {
    for (const file of tfvarsFiles(folder)) {
      const tfvars = file.endsWith('.json') ? readJson(file) : await parseHcl(file, readFileSync(file, 'utf8'));
      documents.push({ stack: stackOf(join(folder, 'x.tf'), root), json: { tfvars } });
    }
  }
  return buildModel(documents);
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
