import { Aspects, TerraformStack, Testing } from 'cdktf';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { asBlocks, HclBlockStatements } from '../../stacks/hcl-block-statements';

const STATEMENT = {
  or_statement: {
    statement: [
      {
        sqli_match_statement: {
          field_to_match: { body: { oversize_handling: 'MATCH' } },
          text_transformation: [{ priority: 0, type: 'NONE' }],
        },
      },
      { geo_match_statement: { country_codes: ['CU', 'KP'] } },
    ],
  },
};

function webAcl(withAspect: boolean): { hcl: string } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  new Wafv2WebAcl(stack, 'acl', {
    name: 'acl',
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    rule: [
      {
        name: 'r',
        priority: 0,
        action: { block: {} },
        statement: STATEMENT,
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'r', sampledRequestsEnabled: true },
      },
    ],
  });
  if (withAspect) Aspects.of(stack).add(new HclBlockStatements());
  return { hcl: Testing.synthHcl(stack) as string };
}

const squash = (hcl: string) => hcl.replace(/\s+/g, ' ');

describe('HclBlockStatements', () => {
  it('GIVEN no aspect THEN the renderer writes the statement as an argument, which Terraform rejects', () => {
    expect(webAcl(false).hcl).toMatch(/statement = \{/);
  });

  it('GIVEN the aspect WHEN rendered as HCL THEN every statement object is a block and lists of objects repeat the block', () => {
    const hcl = squash(webAcl(true).hcl);
    expect(hcl).not.toMatch(/statement = /);
    expect(hcl).toContain(
      'statement { or_statement { statement { sqli_match_statement { field_to_match { body { oversize_handling = "MATCH" } }',
    );
    expect(hcl).toContain('text_transformation { priority = 0 type = "NONE" }');
    expect(hcl).toContain('statement { geo_match_statement { country_codes = [ "CU", "KP" ] } }');
    // The rule's own typed blocks are untouched.
    expect(hcl).toContain('visibility_config { cloudwatch_metrics_enabled = true metric_name = "r" sampled_requests_enabled = true }');
  });

  it('GIVEN scalars, lists of scalars and empty objects THEN they are described as arguments and empty blocks', () => {
    expect(asBlocks({ a: 'x', n: 2, on: true, l: ['p'], e: {}, none: null })).toEqual({
      a: { value: 'x', isBlock: false, type: 'simple', storageClassType: 'string' },
      n: { value: 2, isBlock: false, type: 'simple', storageClassType: 'number' },
      on: { value: true, isBlock: false, type: 'simple', storageClassType: 'boolean' },
      l: { value: ['p'], isBlock: false, type: 'list', storageClassType: 'stringList' },
      e: { value: {}, isBlock: true, type: 'list', storageClassType: 'object' },
    });
  });
});
