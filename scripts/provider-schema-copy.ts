/**
 * `tsx scripts/provider-schema-copy.ts --base FULL.json [--add OTHER.json:TYPE:VERSION ...]`: writes the
 * committed provider schema copy `scripts/provider-schema/aws.json.gz` that `npm run check:schema`
 * reads: only the resource and data-source types the synthesized stacks use (plus
 * EXPECTED_TYPES), documentation text removed, gzip-compressed. `--add` takes a type from another
 * schema file (the 6.25.0 copy lacks `aws_wafv2_web_acl`; take it from `terraform providers schema
 * -json` of the mirrored 5.100.0 provider). Both inputs are `terraform providers schema -json`
 * output or the single-provider shape check:schema reads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { findTerraformJson, loadModel } from '../policy/engine';
import { REPO_ROOT } from './app-command';
import type { ProviderSchema, SchemaBlock } from './check-provider-schema';

export const SCHEMA_COPY = join(REPO_ROOT, 'scripts', 'provider-schema', 'aws.json.gz');

/** Types read or created by constructs in progress, kept so that their first synth is checked too. */
export const EXPECTED_TYPES = [
  'data.aws_ec2_instance_type_offerings',
  'aws_s3_bucket_notification',
  'aws_api_gateway_method_settings',
  'aws_lambda_permission',
  'aws_wafv2_rule_group',
  // The network stack's `ORDERS_SSM_ACCESS=nat` adds these; the default synth has none.
  'aws_internet_gateway',
  'aws_route',
  'aws_nat_gateway',
  'aws_eip',
];

type FullSchema = { provider_schemas?: Record<string, ProviderSchema> } & Partial<ProviderSchema>;

/** The hashicorp/aws part of a schema file, in check:schema's shape. */
export function awsPart(file: string): ProviderSchema {
  const full = JSON.parse(readFileSync(file, 'utf8')) as FullSchema;
  const aws = full.provider_schemas ? Object.entries(full.provider_schemas).find(([k]) => k.endsWith('hashicorp/aws'))?.[1] : full;
  if (!aws?.resource_schemas) throw new Error(`${file}: no hashicorp/aws resource_schemas`);
  return aws as ProviderSchema;
}

/** Removes documentation (description, description_kind, deprecated) but never an attribute *named* description. */
export function stripDocs(block: SchemaBlock): SchemaBlock {
  const drop = (o: Record<string, unknown>) => {
    const { description: _d, description_kind: _k, deprecated: _x, ...rest } = o;
    return rest;
  };
  const out = drop(block as Record<string, unknown>) as SchemaBlock;
  if (block.attributes) {
    out.attributes = Object.fromEntries(
      Object.entries(block.attributes).map(([name, attr]) => {
        const a = drop(attr as Record<string, unknown>) as typeof attr;
        if (attr.nested_type)
          a.nested_type = { ...attr.nested_type, attributes: stripDocs({ attributes: attr.nested_type.attributes }).attributes! };
        return [name, a];
      }),
    );
  }
  if (block.block_types) {
    out.block_types = Object.fromEntries(
      Object.entries(block.block_types).map(([name, bt]) => [
        name,
        { ...drop(bt as unknown as Record<string, unknown>), block: stripDocs(bt.block) },
      ]),
    ) as SchemaBlock['block_types'];
  }
  return out;
}

export function main(argv: readonly string[]): number {
  const { values } = parseArgs({ args: [...argv], options: { base: { type: 'string' }, add: { type: 'string', multiple: true } } });
  if (!values.base) {
    console.error('Usage: provider-schema-copy.ts --base FULL.json [--add OTHER.json:TYPE:VERSION ...] (after `npx cdktf synth`)');
    return 2;
  }
  const base = awsPart(values.base);
  const used = new Set(
    loadModel(findTerraformJson(join(REPO_ROOT, 'cdktf.out'))).resources.map((r) => `${r.mode === 'data' ? 'data.' : ''}${r.type}`),
  );
  for (const t of EXPECTED_TYPES) used.add(t);
  const copy: ProviderSchema & { sources: Record<string, string> } = {
    version: base.version,
    source: '',
    resource_schemas: {},
    data_source_schemas: {},
    sources: {},
  };
  const take = (from: ProviderSchema, key: string, origin: string) => {
    const [kind, type] = key.startsWith('data.') ? (['data_source_schemas', key.slice(5)] as const) : (['resource_schemas', key] as const);
    const entry = from[kind][type];
    if (!entry) return false;
    copy[kind][type] = { block: stripDocs(entry.block) };
    copy.sources[key] = origin;
    return true;
  };
  const missing = [...used].filter((t) => t.replace(/^data\./, '').startsWith('aws_') && !take(base, t, `hashicorp/aws ${base.version}`));
  for (const spec of values.add ?? []) {
    const [file, type, version] = spec.split(':');
    if (!take(awsPart(file), type, `hashicorp/aws ${version ?? '(version not given)'}, terraform providers schema -json`)) {
      console.error(`${file} has no ${type}`);
      return 1;
    }
  }
  copy.missing = missing.filter((t) => !copy.sources[t]);
  copy.source = `Subset of the hashicorp/aws ${base.version} schema (terraform providers schema -json, documentation removed) for the types order-infra uses; per-type origins in "sources". See scripts/provider-schema/README.md.`;
  writeFileSync(SCHEMA_COPY, gzipSync(JSON.stringify(copy), { level: 9 }));
  console.log(`${SCHEMA_COPY}: ${Object.keys(copy.sources).length} types; missing: ${copy.missing.join(', ') || 'none'}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
