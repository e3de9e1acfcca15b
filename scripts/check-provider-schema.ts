/**
 * `npm run check:schema [-- DIR]`: checks every AWS resource and data source in the
 * synthesized Terraform JSON against the hashicorp/aws provider schema
 * (`terraform providers schema -json` output: PROVIDER_SCHEMA, or by default the committed copy
 * scripts/provider-schema/aws.json.gz, see its README for provenance). Reports unknown attributes and blocks, missing required arguments,
 * computed-only attributes that were set, block counts and nesting, and plain type
 * mismatches. Values that are Terraform expressions (`${...}`) are only known at plan time
 * and are not type-checked. Types absent from the schema copy are listed as "not checked".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findTerraformJson, loadModel } from '../policy/engine';
import type { TfResource } from '../policy/types';
import { synthesizeIfMissing } from './app-command';

type CtyType = string | [string, unknown, ...unknown[]];
interface SchemaAttribute {
  type?: CtyType;
  nested_type?: { attributes: Record<string, SchemaAttribute>; nesting_mode: string };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
interface SchemaBlockType {
  nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}
export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}
export interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
  version?: string;
  missing?: string[];
  /** Provenance note of the copy. */
  source?: string;
}

/**
 * Our schema copy had its documentation `description` fields stripped, which also dropped
 * every attribute literally named `description` (aws_kms_key, aws_iam_role, aws_security_group
 * and its rule objects, ...). With such a copy that name is accepted wherever it is absent.
 */
export function strippedNames(schema: ProviderSchema): ReadonlySet<string> {
  return new Set(/descriptions removed/i.test(schema.source ?? '') ? ['description'] : []);
}

/** Where problems are collected, and attribute names to accept although absent from the schema. */
export interface CheckContext {
  readonly errors: string[];
  readonly lenient: ReadonlySet<string>;
}

export interface SchemaReport {
  readonly errors: string[];
  readonly checked: { resources: number; dataSources: number };
  /** Types found in the JSON but absent from the schema copy, with their addresses. */
  readonly notChecked: Record<string, string[]>;
}

const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'connection', 'provisioner']);

const isExpr = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const describe = (v: unknown): string =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);

/** Checks a value against a cty type; returns a problem or undefined. */
export function checkType(value: unknown, type: CtyType | undefined, path: string, ctx: CheckContext): void {
  const { errors, lenient } = ctx;
  if (value === null || value === undefined || type === undefined || type === 'dynamic' || isExpr(value)) return;
  if (typeof type === 'string') {
    const ok =
      (type === 'string' && ['string', 'number', 'boolean'].includes(typeof value)) ||
      (type === 'number' &&
        (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))))) ||
      (type === 'bool' && (typeof value === 'boolean' || value === 'true' || value === 'false'));
    if (!ok) errors.push(`${path}: expected ${type}, got ${describe(value)}`);
    return;
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    if (!Array.isArray(value)) return void errors.push(`${path}: expected a ${kind}, got ${describe(value)}`);
    value.forEach((v, i) => checkType(v, kind === 'tuple' ? (inner as CtyType[])[i] : (inner as CtyType), `${path}[${i}]`, ctx));
  } else if (kind === 'map' || kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${path}: expected a ${kind}, got ${describe(value)}`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (kind === 'map') checkType(v, inner as CtyType, `${path}.${k}`, ctx);
      else if (!(k in (inner as Record<string, CtyType>))) {
        if (!lenient.has(k)) errors.push(`${path}.${k}: unknown attribute of the object`);
      } else checkType(v, (inner as Record<string, CtyType>)[k], `${path}.${k}`, ctx);
    }
  }
}

function checkAttribute(value: unknown, attr: SchemaAttribute, path: string, ctx: CheckContext): void {
  const { errors } = ctx;
  if (attr.computed && !attr.optional && !attr.required) errors.push(`${path}: is computed by the provider and cannot be set`);
  if (attr.nested_type) {
    if (value === null || isExpr(value)) return;
    const { attributes, nesting_mode } = attr.nested_type;
    const items =
      nesting_mode === 'single'
        ? [value]
        : nesting_mode === 'map'
          ? Object.values(value as object)
          : Array.isArray(value)
            ? value
            : undefined;
    if (!items) return void errors.push(`${path}: expected a ${nesting_mode} of objects, got ${describe(value)}`);
    items.forEach((item, i) => checkBlock(item, { attributes }, nesting_mode === 'single' ? path : `${path}[${i}]`, ctx));
    return;
  }
  checkType(value, attr.type, path, ctx);
}

/** Validates one block body (resource body or nested block) against its schema. */
export function checkBlock(body: unknown, schema: SchemaBlock, path: string, ctx: CheckContext, topLevel = false): void {
  const { errors, lenient } = ctx;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return void errors.push(`${path}: expected a block (an object), got ${describe(body)}`);
  const values = body as Record<string, unknown>;
  const attributes = schema.attributes ?? {};
  const blockTypes = schema.block_types ?? {};
  const dynamic = (values.dynamic ?? {}) as Record<string, { content?: unknown }>;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || (topLevel && META_ARGUMENTS.has(key))) continue;
    const here = path ? `${path}.${key}` : key;
    if (key === 'dynamic') {
      for (const [name, spec] of Object.entries(dynamic)) {
        if (!blockTypes[name]) errors.push(`${here}.${name}: unknown block type`);
        else if (spec?.content !== undefined) checkBlock(spec.content, blockTypes[name].block, `${here}.${name}.content`, ctx);
      }
    } else if (attributes[key]) checkAttribute(value, attributes[key], here, ctx);
    else if (blockTypes[key]) checkNestedBlocks(value, blockTypes[key], here, ctx);
    else if (!lenient.has(key)) errors.push(`${here}: unknown attribute or block (not in the provider schema)`);
  }
  for (const [name, attr] of Object.entries(attributes)) {
    if (attr.required && (values[name] === undefined || values[name] === null))
      errors.push(`${path ? `${path}.` : ''}${name}: required attribute is missing`);
  }
  for (const [name, bt] of Object.entries(blockTypes)) {
    if ((bt.min_items ?? 0) > 0 && values[name] === undefined && !dynamic[name])
      errors.push(`${path ? `${path}.` : ''}${name}: at least ${bt.min_items} block(s) required, none given`);
  }
}

function checkNestedBlocks(value: unknown, bt: SchemaBlockType, path: string, ctx: CheckContext): void {
  const { errors } = ctx;
  if (value === null) return;
  if (typeof value === 'string')
    return void errors.push(
      `${path}: a block cannot be an expression (${value.slice(0, 40)}); write it as an object or use a dynamic block`,
    );
  if (bt.nesting_mode === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${path}: expected a map of blocks keyed by label`);
    for (const [label, b] of Object.entries(value as object)) checkBlock(b, bt.block, `${path}.${label}`, ctx);
    return;
  }
  const items = Array.isArray(value) ? value : [value];
  if ((bt.nesting_mode === 'single' || bt.nesting_mode === 'group') && items.length > 1)
    errors.push(`${path}: a single block, ${items.length} given`);
  if (bt.min_items && items.length < bt.min_items)
    errors.push(`${path}: at least ${bt.min_items} block(s) required, ${items.length} given`);
  if (bt.max_items && items.length > bt.max_items) errors.push(`${path}: at most ${bt.max_items} block(s) allowed, ${items.length} given`);
  items.forEach((item, i) => checkBlock(item, bt.block, items.length > 1 ? `${path}[${i}]` : path, ctx));
}

/** Keys that are not snake_case, outside free-form maps (tags) and cdktf metadata. */
export function nonSnakeKeys(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => nonSnakeKeys(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    if (k === '//' || k === 'tags' || k === 'tags_all') return [];
    const here = path ? `${path}.${k}` : k;
    return [...(/^[a-z0-9_]+$/.test(k) ? [] : [here]), ...nonSnakeKeys(v, here)];
  });
}

/** Checks every AWS resource and data source of the loaded JSON. */
export function checkResources(resources: readonly TfResource[], schema: ProviderSchema): SchemaReport {
  const errors: string[] = [];
  const notChecked: Record<string, string[]> = {};
  const checked = { resources: 0, dataSources: 0 };
  const lenient = strippedNames(schema);
  for (const r of resources) {
    if (!r.type.startsWith('aws_')) continue;
    const entry = (r.mode === 'data' ? schema.data_source_schemas : schema.resource_schemas)[r.type];
    if (!entry) {
      (notChecked[`${r.mode === 'data' ? 'data.' : ''}${r.type}`] ??= []).push(`${r.stack}: ${r.address}`);
      // Without a schema, still catch the commonest slip: camelCase keys inside `any`-typed arguments.
      errors.push(...nonSnakeKeys(r.config, '').map((k) => `${r.stack}: ${r.address}: ${k}: not a Terraform (snake_case) name`));
      continue;
    }
    if (r.mode === 'data') checked.dataSources++;
    else checked.resources++;
    const local: string[] = [];
    checkBlock(r.config, entry.block, '', { errors: local, lenient }, true);
    errors.push(...local.map((e) => `${r.stack}: ${r.address}: ${e}`));
  }
  return { errors, checked, notChecked };
}

export function defaultSchemaPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROVIDER_SCHEMA || resolve(__dirname, 'provider-schema', 'aws.json.gz');
}

/** Reads a schema file, gunzipping a `.gz` one. */
export function readSchema(path: string): ProviderSchema {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as ProviderSchema;
}

export function main(argv: readonly string[], log: (l: string) => void = console.log, cwd = process.cwd()): number {
  const schemaPath = defaultSchemaPath();
  if (!existsSync(schemaPath)) {
    log(
      `Provider schema not found at ${schemaPath}. Set PROVIDER_SCHEMA to the output of \`terraform providers schema -json\` for hashicorp/aws.`,
    );
    return 2;
  }
  const dir = argv[0] ?? join(cwd, 'cdktf.out');
  if (argv[0] === undefined && !synthesizeIfMissing(dir, cwd, log)) {
    log('Synthesis failed; fix it and run `npx cdktf synth`, then this check again.');
    return 2;
  }
  let files: string[];
  try {
    files = findTerraformJson(dir);
  } catch (e) {
    log(`${(e as Error).message}. Usage: npm run check:schema [-- DIR]`);
    return 2;
  }
  if (files.length === 0) {
    log(`No *.tf.json files under ${dir}; run \`npx cdktf synth\` first.`);
    return 2;
  }
  const schema = readSchema(schemaPath);
  const model = loadModel(files);
  const report = checkResources(model.resources, schema);
  report.errors.forEach((e) => log(`ERROR ${e}`));
  for (const [type, where] of Object.entries(report.notChecked)) {
    log(
      `NOT CHECKED ${type} (${where.length}): absent from the provider schema copy${schema.missing ? ' (it lists its own gaps under "missing")' : ''} — ${where.join(', ')}`,
    );
  }
  if (strippedNames(schema).size > 0)
    log(
      `NOTE this schema copy lost attributes named ${[...strippedNames(schema)].join(', ')} with its descriptions; they are accepted without checks.`,
    );
  log(
    `Schema check against hashicorp/aws ${schema.version ?? '?'}: ${report.checked.resources} resources and ${report.checked.dataSources} data sources in ${model.stacks.length} stack(s); ${report.errors.length} error(s); ${Object.values(report.notChecked).flat().length} not checked.`,
  );
  return report.errors.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
