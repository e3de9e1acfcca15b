import {
  MissingOfflineValue,
  OFFLINE_ACCOUNT_ID,
  offlineValue,
  overrideDataSources,
} from '../../../scripts/terraform/offline-data-sources';

const ctx = { region: 'eu-west-1' };

describe('offline data-source values', () => {
  it('GIVEN a stack reading account, partition, region, zones and remote state WHEN overridden THEN the data blocks go and references become literals', () => {
    const doc = {
      data: {
        aws_caller_identity: { a: {} },
        aws_partition: { p: {} },
        aws_availability_zones: { z: {} },
        terraform_remote_state: { net: { backend: 's3' } },
      },
      resource: {
        aws_iam_role: {
          r: {
            assume_role_policy: '{"Condition":{"StringEquals":{"aws:SourceAccount":"${data.aws_caller_identity.a.account_id}"}}}',
            name: 'arn:${data.aws_partition.p.partition}:x',
            depends_on: ['data.aws_partition.p', 'aws_s3_bucket.b'],
          },
        },
        aws_subnet: { s: { availability_zone: '${element(data.aws_availability_zones.z.names, 0)}' } },
        aws_cloudwatch_metric_alarm: {
          m: {
            dimensions: {
              InstanceId: '${data.terraform_remote_state.net.outputs.cross-stack-output-aws_instanceops-host_instance_974BC7D4id}',
            },
          },
        },
      },
    };
    const out = overrideDataSources(doc, ctx) as typeof doc;
    expect(out.data).toBeUndefined();
    expect(out.resource.aws_iam_role.r).toEqual({
      assume_role_policy: `{"Condition":{"StringEquals":{"aws:SourceAccount":"\${"${OFFLINE_ACCOUNT_ID}"}"}}}`,
      name: 'arn:${"aws"}:x',
      depends_on: ['aws_s3_bucket.b'],
    });
    expect(out.resource.aws_subnet.s.availability_zone).toBe('${element(["eu-west-1a","eu-west-1b","eu-west-1c"], 0)}');
    expect(out.resource.aws_cloudwatch_metric_alarm.m.dimensions.InstanceId).toBe('${"i-0123456789abcdef0"}');
    // The input is left as it was (the scratch copy is rewritten, never the synth).
    expect(doc.data.aws_caller_identity).toEqual({ a: {} });
  });

  it('GIVEN a data-source type without a row WHEN overridden THEN it fails naming the type and the table', () => {
    const doc = { data: { aws_vpc_endpoint_service: { s: {} } }, resource: {} };
    expect(() => overrideDataSources(doc, ctx)).toThrow(MissingOfflineValue);
    expect(() => overrideDataSources(doc, ctx)).toThrow(
      'data source type "aws_vpc_endpoint_service" has no offline value; add it to OFFLINE_DATA_SOURCES in scripts/terraform/offline-data-sources.ts',
    );
  });

  it.each([
    [
      'an attribute without a value',
      'aws_caller_identity',
      'provider_name',
      /attribute "provider_name" of data source type "aws_caller_identity"/,
    ],
    [
      'a remote-state output without a pattern',
      'terraform_remote_state',
      'outputs.api_url',
      /terraform_remote_state attribute "outputs.api_url"/,
    ],
  ])('GIVEN %s THEN it fails naming it', (_label, type, attribute, message) => {
    expect(() => offlineValue(type, attribute, ctx)).toThrow(message);
  });

  it('GIVEN a whole-object reference to a data source THEN it fails instead of planning a half-rewritten stack', () => {
    const doc = { data: { aws_partition: { p: {} } }, output: { o: { value: '${data.aws_partition.p}' } } };
    expect(() => overrideDataSources(doc, ctx)).toThrow(/the reference data\.aws_partition\.p/);
  });

  it("GIVEN the region-dependent rows THEN they follow the stack's provider region", () => {
    expect(offlineValue('aws_region', 'name', ctx)).toBe('eu-west-1');
    expect(offlineValue('aws_region', 'region', ctx)).toBe('eu-west-1');
    expect(offlineValue('aws_ec2_instance_type_offerings', 'locations', ctx)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });
});
