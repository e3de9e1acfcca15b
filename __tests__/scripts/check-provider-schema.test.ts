import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkResources, main, strippedNames, type ProviderSchema } from '../../scripts/check-provider-schema';
import { buildModel } from '../../policy/engine';

/** A tiny inline schema in the shape of `terraform providers schema -json` (not the real one). */
const SCHEMA: ProviderSchema = {
  version: 'test',
  resource_schemas: {
    aws_widget: {
      block: {
        attributes: {
          name: { type: 'string', required: true },
          size: { type: 'number', optional: true },
          enabled: { type: 'bool', optional: true },
          tags: { type: ['map', 'string'], optional: true },
          subnet_ids: { type: ['set', 'string'], optional: true },
          arn: { type: 'string', computed: true },
          id: { type: 'string', optional: true, computed: true },
          rule: { nested_type: { nesting_mode: 'list', attributes: { port: { type: 'number', required: true } } }, optional: true },
        },
        block_types: {
          logging: { nesting_mode: 'list', max_items: 1, block: { attributes: { level: { type: 'string', required: true } } } },
          target: { nesting_mode: 'set', min_items: 1, block: { attributes: { arn: { type: 'string', required: true } } } },
          settings: { nesting_mode: 'single', block: { attributes: { mode: { type: 'string', optional: true } } } },
        },
      },
    },
  },
  data_source_schemas: { aws_widget_info: { block: { attributes: { name: { type: 'string', required: true } } } } },
};

const GOOD = {
  name: 'w',
  size: 3,
  enabled: true,
  tags: { a: 'b' },
  subnet_ids: ['${aws_subnet.a.id}'],
  target: [{ arn: 'x' }],
  logging: { level: 'INFO' },
  depends_on: ['aws_x.y'],
  lifecycle: { create_before_destroy: true },
  '//': { metadata: {} },
};

function check(config: Record<string, unknown>, mode: 'resource' | 'data' = 'resource', type = 'aws_widget') {
  const model = buildModel([{ stack: 's', json: { [mode]: { [type]: { w: config } } } }]);
  return checkResources(model.resources, SCHEMA);
}

describe('provider schema check', () => {
  it('accepts a valid resource with meta-arguments and expressions', () => {
    const report = check(GOOD);
    expect(report.errors).toEqual([]);
    expect(report.checked).toEqual({ resources: 1, dataSources: 0 });
  });

  it.each([
    ['an unknown attribute', { ...GOOD, colour: 'red' }, 'colour: unknown attribute or block'],
    ['a missing required attribute', { ...GOOD, name: undefined }, 'name: required attribute is missing'],
    ['a computed-only attribute that was set', { ...GOOD, arn: 'arn:x' }, 'arn: is computed by the provider and cannot be set'],
    [
      'too many blocks for max_items',
      { ...GOOD, logging: [{ level: 'A' }, { level: 'B' }] },
      'logging: at most 1 block(s) allowed, 2 given',
    ],
    ['a missing block with min_items', { ...GOOD, target: undefined }, 'target: at least 1 block(s) required, none given'],
    ['two blocks for single nesting', { ...GOOD, settings: [{}, {}] }, 'settings: a single block, 2 given'],
    [
      'an unknown attribute inside a block',
      { ...GOOD, logging: { level: 'INFO', format: 'json' } },
      'logging.format: unknown attribute or block',
    ],
    ['a missing required attribute inside a block', { ...GOOD, target: [{}] }, 'target.arn: required attribute is missing'],
    ['a number that is not a number', { ...GOOD, size: 'big' }, 'size: expected number'],
    ['a bool given as an object', { ...GOOD, enabled: {} }, 'enabled: expected bool'],
    ['a list where a set of strings is expected', { ...GOOD, subnet_ids: 'subnet-1' }, 'subnet_ids: expected a set'],
    ['a block written as an expression', { ...GOOD, logging: '${var.logging}' }, 'logging: a block cannot be an expression'],
    ['a camelCase key', { ...GOOD, subnetIds: ['a'] }, 'subnetIds: unknown attribute or block'],
    ['a nested attribute missing its required key', { ...GOOD, rule: [{}] }, 'rule[0].port: required attribute is missing'],
  ])('reports %s', (_name, config, message) => {
    const report = check(config as Record<string, unknown>);
    expect(report.errors).toEqual([expect.stringContaining(`s: aws_widget.w: ${message}`)]);
  });

  it('checks data sources against data_source_schemas', () => {
    expect(check({}, 'data', 'aws_widget_info').errors).toEqual(['s: data.aws_widget_info.w: name: required attribute is missing']);
  });

  it('lists AWS types missing from the schema as not checked, and ignores non-AWS types', () => {
    const model = buildModel([
      {
        stack: 's',
        json: { resource: { aws_wafv2_web_acl: { acl: { anything: 1 } } }, data: { terraform_remote_state: { net: { backend: 's3' } } } },
      },
    ]);
    const report = checkResources(model.resources, SCHEMA);
    expect(report.errors).toEqual([]);
    expect(report.notChecked).toEqual({ aws_wafv2_web_acl: ['s: aws_wafv2_web_acl.acl'] });
  });

  it('still flags camelCase keys in a type the schema lacks (e.g. inside the WAF statement)', () => {
    const model = buildModel([
      {
        stack: 's',
        json: {
          resource: {
            aws_wafv2_web_acl: { acl: { tags: { CostCenter: '1' }, rule: [{ statement: { rateBasedStatement: { limit: 10 } } }] } },
          },
        },
      },
    ]);
    expect(checkResources(model.resources, SCHEMA).errors).toEqual([
      's: aws_wafv2_web_acl.acl: rule[0].statement.rateBasedStatement: not a Terraform (snake_case) name',
    ]);
  });

  it('accepts `description` only when the schema copy says its descriptions were removed', () => {
    expect(strippedNames({ ...SCHEMA, source: 'x (descriptions removed)' })).toEqual(new Set(['description']));
    expect(check({ ...GOOD, description: 'd' }).errors).toHaveLength(1);
    const model = buildModel([{ stack: 's', json: { resource: { aws_widget: { w: { ...GOOD, description: 'd' } } } } }]);
    expect(checkResources(model.resources, { ...SCHEMA, source: 'descriptions removed' }).errors).toEqual([]);
  });

  describe('CLI', () => {
    let dir: string;
    const env = process.env.PROVIDER_SCHEMA;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'schema-cli-'));
      writeFileSync(join(dir, 'schema.json'), JSON.stringify(SCHEMA));
      for (const [name, config] of [
        ['good', GOOD],
        ['bad', { ...GOOD, colour: 'red' }],
      ] as const) {
        mkdirSync(join(dir, name, 'stacks', 'app'), { recursive: true });
        writeFileSync(join(dir, name, 'stacks', 'app', 'cdk.tf.json'), JSON.stringify({ resource: { aws_widget: { w: config } } }));
      }
      process.env.PROVIDER_SCHEMA = join(dir, 'schema.json');
    });
    afterAll(() => {
      if (env === undefined) delete process.env.PROVIDER_SCHEMA;
      else process.env.PROVIDER_SCHEMA = env;
      rmSync(dir, { recursive: true, force: true });
    });

    it('exits 0 with a summary on valid output and 1 naming the error on invalid output', () => {
      const out: string[] = [];
      expect(main([join(dir, 'good')], (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toMatch(/1 resources and 0 data sources in 1 stack\(s\); 0 error\(s\)/);
      const bad: string[] = [];
      expect(main([join(dir, 'bad')], (l) => bad.push(l))).toBe(1);
      expect(bad[0]).toBe('ERROR app: aws_widget.w: colour: unknown attribute or block (not in the provider schema)');
    });

    it('exits 2 with a clear message when the schema is missing', () => {
      process.env.PROVIDER_SCHEMA = join(dir, 'nope.json');
      const out: string[] = [];
      expect(main([join(dir, 'good')], (l) => out.push(l))).toBe(2);
      expect(out[0]).toMatch(/Provider schema not found/);
      process.env.PROVIDER_SCHEMA = join(dir, 'schema.json');
    });
  });
});
