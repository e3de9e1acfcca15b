import { existsSync } from 'node:fs';
import { Testing } from 'cdktf';
import { relative, resolve } from 'node:path';
import { checkResources, defaultSchemaPath, readSchema } from '../../scripts/check-provider-schema';
import { buildModel, findTerraformJson, loadModel } from '../../policy/engine';
import { loadConfig } from '../../config';
import { NetworkStack } from '../../stacks/network-stack';
import { synthesizedOutdir } from '../policy/synthesized';

const ROOT = resolve(__dirname, '..', '..');

describe('the real synthesized stacks against the committed provider schema copy', () => {
  const schemaPath = defaultSchemaPath({});
  const schema = readSchema(schemaPath);

  it('GIVEN a clone THEN the schema is read from inside the repository, compressed, with its provenance', () => {
    expect(relative(ROOT, schemaPath)).toBe('scripts/provider-schema/aws.json.gz');
    expect(existsSync(resolve(ROOT, 'scripts/provider-schema/README.md'))).toBe(true);
    expect(schema.version).toBe('6.25.0');
    expect((schema as unknown as { sources: Record<string, string> }).sources.aws_wafv2_web_acl).toMatch(
      /5\.100\.0.*providers schema -json/,
    );
  });

  it('have no schema errors and every type is checked, the WAF web ACL included', () => {
    const report = checkResources(loadModel(findTerraformJson(synthesizedOutdir())).resources, schema);
    expect(report.errors).toEqual([]);
    expect(report.notChecked).toEqual({});
    expect(report.checked.resources).toBeGreaterThan(200);
  }, 180_000);

  it('GIVEN the network stack with ORDERS_SSM_ACCESS=nat (NAT gateway, public subnets) THEN it has no schema errors and every type is checked', () => {
    const stack = new NetworkStack(Testing.app(), 'orders-network-dev', { config: loadConfig('dev', { ORDERS_SSM_ACCESS: 'nat' }) });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(['aws_nat_gateway', 'aws_eip', 'aws_internet_gateway', 'aws_route']));
    const report = checkResources(buildModel([{ stack: 'orders-network-dev', json }]).resources, schema);
    expect(report.errors).toEqual([]);
    expect(report.notChecked).toEqual({});
  });

  it.each([
    [
      'a misspelt statement',
      { rate_based_statment: { limit: 100, aggregate_key_type: 'IP' } },
      /statement\.rate_based_statment: unknown attribute or block/,
    ],
    [
      'a statement missing its required limit',
      { rate_based_statement: { aggregate_key_type: 'IP' } },
      /rate_based_statement\.limit: required attribute is missing/,
    ],
    ['a camelCase key', { geoMatchStatement: { country_codes: ['CU'] } }, /statement\.geoMatchStatement: unknown attribute or block/],
  ])('GIVEN a WAF rule with %s THEN the check reports it', (_label, statement, message) => {
    const acl = {
      name: 'acl',
      scope: 'REGIONAL',
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'acl', sampled_requests_enabled: true },
      rule: [
        {
          name: 'r',
          priority: 0,
          action: { block: {} },
          statement,
          visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'r', sampled_requests_enabled: true },
        },
      ],
    };
    const model = buildModel([{ stack: 's', json: { resource: { aws_wafv2_web_acl: { acl } } } }]);
    expect(checkResources(model.resources, schema).errors).toEqual([expect.stringMatching(message)]);
  });
});
