import { AWS_6_TO_5, pinAwsProviderVersion, translate, translationsBetween } from '../../../scripts/terraform/provider-translations';

describe('provider translations between hashicorp/aws majors', () => {
  it('GIVEN the same major THEN nothing is translated', () => {
    expect(translationsBetween(6, 6)).toEqual([]);
  });

  it('GIVEN 6.x configuration and a 5.x provider THEN exactly the region attribute and the runtime are translated', () => {
    expect(translationsBetween(6, 5)).toBe(AWS_6_TO_5);
    expect(AWS_6_TO_5.map((t) => `${t.from} -> ${t.to}`)).toEqual([
      'data.aws_region.<name>.region -> data.aws_region.<name>.name',
      'runtime "nodejs24.x" -> runtime "nodejs22.x"',
    ]);
  });

  it('GIVEN majors without a table THEN it fails naming both and where to add one', () => {
    expect(() => translationsBetween(6, 4)).toThrow(/from hashicorp\/aws 6\.x to 4\.x.*provider-translations\.ts/);
  });

  it.each<[string, string, string, number[]]>([
    [
      'a JSON reference to the 6.x region attribute',
      '{"p":"logs.${data.aws_region.aws-context_region_DEC3537F.region}.amazonaws.com"}',
      '{"p":"logs.${data.aws_region.aws-context_region_DEC3537F.name}.amazonaws.com"}',
      [1, 0],
    ],
    ['an HCL reference inside jsonencode', 'x = data.aws_region.r.region, y = 1', 'x = data.aws_region.r.name, y = 1', [1, 0]],
    ['the JSON runtime', '"runtime": "nodejs24.x",', '"runtime": "nodejs22.x",', [0, 1]],
    ['the HCL runtime', 'runtime = "nodejs24.x"', 'runtime = "nodejs22.x"', [0, 1]],
    ['another attribute of aws_region', '${data.aws_region.r.endpoint}', '${data.aws_region.r.endpoint}', [0, 0]],
    ['a runtime string that is not the runtime argument', '"NODE_VERSION": "nodejs24.x"', '"NODE_VERSION": "nodejs24.x"', [0, 0]],
    ['a region attribute of another data source', '${data.aws_s3_bucket.b.region}', '${data.aws_s3_bucket.b.region}', [0, 0]],
  ])('GIVEN %s WHEN translated to 5.x THEN it reads as expected', (_label, input, output, counts) => {
    expect(translate(input, AWS_6_TO_5)).toEqual({ text: output, counts });
  });

  it('GIVEN a JSON synth WHEN pinned to the mirrored version THEN only the aws constraint changes', () => {
    const json = JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } }, resource: {} });
    expect(JSON.parse(pinAwsProviderVersion(json, 'json', '5.100.0'))).toEqual({
      terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
      resource: {},
    });
  });

  it('GIVEN an HCL synth WHEN pinned THEN the required_providers version changes and nothing else', () => {
    const hcl =
      'terraform {\nrequired_providers {\n  aws = {\nversion = "6.25.0"\nsource = "aws"\n}\n}\n}\nresource "x" "y" {\nversion = "6.25.0"\n}\n';
    expect(pinAwsProviderVersion(hcl, 'hcl', '5.100.0')).toBe(hcl.replace('version = "6.25.0"', 'version = "5.100.0"'));
  });

  it('GIVEN a synth without an aws constraint THEN pinning fails', () => {
    expect(() => pinAwsProviderVersion('{"terraform":{}}', 'json', '5.100.0')).toThrow(/required_providers\.aws/);
    expect(() => pinAwsProviderVersion('terraform {}', 'hcl', '5.100.0')).toThrow(/required_providers aws version/);
  });
});
