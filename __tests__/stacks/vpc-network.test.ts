import { TerraformStack, Testing } from 'cdktf';
import { splitCidr, VpcNetwork, type VpcNetworkProps } from '../../stacks/vpc-network';

type Json = Record<string, any>;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

function synthVpc(props: Partial<VpcNetworkProps> = {}): Json {
  const stack = new TerraformStack(Testing.app(), 'test');
  new VpcNetwork(stack, 'vpc', { namePrefix: 'orders-dev', cidr: '10.20.0.0/16', logRetentionDays: 14, kmsKeyArn: KEY, ...props });
  return JSON.parse(Testing.synth(stack));
}
const values = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
const ref = (type: string, attr = 'id') => expect.stringMatching(new RegExp(`^\\$\\{${type}\\.[\\w-]+\\.${attr}\\}$`));

describe('VpcNetwork', () => {
  describe('GIVEN the defaults (SSM through interface endpoints)', () => {
    const json = synthVpc();
    const subnets = values(json, 'aws_subnet');

    it('THEN the VPC has the CIDR and DNS support (needed by private endpoint DNS)', () => {
      expect(values(json, 'aws_vpc')).toEqual([
        { cidr_block: '10.20.0.0/16', enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: 'orders-dev-vpc' } },
      ]);
    });

    it('THEN two private subnets span two AZs read from the region, none mapping public IPs', () => {
      expect(subnets).toHaveLength(2);
      for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
      expect(subnets.map((s) => s.availability_zone)).toEqual(
        [0, 1].map((i) =>
          expect.stringMatching(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.[\\w-]+\\.names, ${i}\\)\\}$`)),
        ),
      );
      expect(subnets.map((s) => s.tags.Tier)).toEqual(['private', 'private']);
      // The public slices (0 and 1) stay reserved, so adding NAT later renumbers no private subnet.
      expect(subnets.map((s) => s.cidr_block)).toEqual(['10.20.32.0/20', '10.20.48.0/20']);
    });

    it('THEN there is no internet gateway, public subnet, public route table or route to the internet', () => {
      expect(json.resource.aws_internet_gateway).toBeUndefined();
      expect(json.resource.aws_route).toBeUndefined();
      expect(values(json, 'aws_route_table').map((t) => t.tags.Name)).toEqual(['orders-dev-private-0', 'orders-dev-private-1']);
      expect(values(json, 'aws_route_table_association')).toHaveLength(2);
    });

    it('THEN no instance-type offering narrows the AZs', () => {
      expect(json.data.aws_ec2_instance_type_offerings).toBeUndefined();
    });

    it('THEN flow logs of ALL traffic go to a KMS-encrypted log group with the retention', () => {
      expect(values(json, 'aws_cloudwatch_log_group')).toEqual([
        { name: '/aws/vpc-flow-logs/orders-dev', retention_in_days: 14, kms_key_id: KEY },
      ]);
      expect(values(json, 'aws_flow_log')).toEqual([
        expect.objectContaining({
          vpc_id: ref('aws_vpc'),
          traffic_type: 'ALL',
          log_destination_type: 'cloud-watch-logs',
          log_destination: ref('aws_cloudwatch_log_group', 'arn'),
          iam_role_arn: ref('aws_iam_role', 'arn'),
        }),
      ]);
    });

    it('THEN the flow-log role is assumable by flow logs of this account and may write only to that log group', () => {
      const trust = JSON.parse(values(json, 'aws_iam_role')[0].assume_role_policy);
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': expect.stringMatching(/aws_caller_identity/) } },
        }),
      ]);
      const policy = JSON.parse(values(json, 'aws_iam_role_policy')[0].policy);
      expect(policy.Statement).toEqual([
        {
          Sid: 'WriteThisLogGroupOnly',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [
            // Built from the configured log group name: known on a first plan.
            expect.stringMatching(/^arn:\$\{data\.aws_partition\..+:log-group:\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/),
            expect.stringMatching(/^arn:\$\{data\.aws_partition\..+:log-group:\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}:\*$/),
          ],
        },
        {
          // AWS's documented flow-log role policy includes it.
          Sid: 'FindTheLogGroup',
          Effect: 'Allow',
          Action: 'logs:DescribeLogGroups',
          Resource: expect.stringMatching(
            /^arn:\$\{data\.aws_partition\..+\}:logs:\$\{data\.aws_region\..+\.region\}:\$\{data\.aws_caller_identity\..+\}:log-group:\*$/,
          ),
        },
      ]);
    });

    it('THEN the flow log is created only after its role may deliver', () => {
      const [policyId] = Object.keys(json.resource.aws_iam_role_policy);
      expect(values(json, 'aws_flow_log')[0].depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
    });

    it('THEN the default security group is adopted with no rules', () => {
      expect(values(json, 'aws_default_security_group')).toEqual([
        expect.objectContaining({ vpc_id: ref('aws_vpc'), ingress: [], egress: [] }),
      ]);
    });

    it('THEN an S3 gateway endpoint serves both private route tables', () => {
      const gateway = values(json, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Gateway');
      expect(gateway).toEqual([
        expect.objectContaining({
          service_name: expect.stringMatching(/^com\.amazonaws\.\$\{data\.aws_region\..+\.region\}\.s3$/),
          route_table_ids: [ref('aws_route_table'), ref('aws_route_table')],
        }),
      ]);
      expect(gateway[0].route_table_ids[0]).toContain('private-route-table-0');
    });

    it.each(['ssm', 'ssmmessages', 'ec2messages'])(
      'THEN a private-DNS interface endpoint for %s sits in the private subnets',
      (service) => {
        const endpoint = values(json, 'aws_vpc_endpoint').find((e) => e.service_name.endsWith(`.${service}`));
        expect(endpoint).toMatchObject({
          vpc_endpoint_type: 'Interface',
          private_dns_enabled: true,
          security_group_ids: [ref('aws_security_group')],
        });
        expect(endpoint!.subnet_ids).toEqual([expect.stringContaining('private-subnet-0'), expect.stringContaining('private-subnet-1')]);
      },
    );

    it('THEN the endpoint security group admits only HTTPS from the VPC CIDR, with descriptions', () => {
      expect(values(json, 'aws_security_group')).toEqual([
        expect.objectContaining({ description: expect.stringMatching(/\w/), name: 'orders-dev-ssm-endpoints' }),
      ]);
      expect(values(json, 'aws_vpc_security_group_ingress_rule')).toEqual([
        {
          security_group_id: ref('aws_security_group'),
          description: expect.stringMatching(/HTTPS/),
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          cidr_ipv4: '10.20.0.0/16',
        },
      ]);
    });

    it('THEN there is no NAT gateway', () => {
      expect(json.resource.aws_nat_gateway).toBeUndefined();
      expect(json.resource.aws_eip).toBeUndefined();
    });
  });

  describe('GIVEN ssmAccess nat', () => {
    const json = synthVpc({ ssmAccess: 'nat' });

    it('THEN two public subnets in the same AZs route through one internet gateway', () => {
      const publics = values(json, 'aws_subnet').filter((s) => s.tags.Tier === 'public');
      expect(publics.map((s) => s.cidr_block)).toEqual(['10.20.0.0/20', '10.20.16.0/20']);
      expect(publics.map((s) => s.map_public_ip_on_launch)).toEqual([false, false]);
      expect(values(json, 'aws_internet_gateway')).toHaveLength(1);
      expect(values(json, 'aws_route').filter((r) => r.gateway_id)).toEqual([
        {
          route_table_id: expect.stringContaining('public-route-table'),
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: ref('aws_internet_gateway'),
        },
      ]);
      expect(values(json, 'aws_route_table')).toHaveLength(3);
      expect(values(json, 'aws_route_table_association')).toHaveLength(4);
    });

    it('THEN one NAT gateway with an EIP sits in a public subnet', () => {
      expect(values(json, 'aws_eip')).toEqual([expect.objectContaining({ domain: 'vpc' })]);
      expect(values(json, 'aws_nat_gateway')).toEqual([
        expect.objectContaining({ allocation_id: ref('aws_eip', 'allocation_id'), subnet_id: expect.stringContaining('public-subnet-0') }),
      ]);
    });

    it('THEN each private route table has a default route to it', () => {
      const natRoutes = values(json, 'aws_route').filter((r) => r.nat_gateway_id);
      expect(natRoutes.map((r) => r.route_table_id).sort()).toEqual([
        expect.stringContaining('private-route-table-0'),
        expect.stringContaining('private-route-table-1'),
      ]);
      for (const route of natRoutes)
        expect(route).toMatchObject({ destination_cidr_block: '0.0.0.0/0', nat_gateway_id: ref('aws_nat_gateway') });
    });

    it('THEN there are no interface endpoints', () => {
      expect(values(json, 'aws_vpc_endpoint').map((e) => e.vpc_endpoint_type)).toEqual(['Gateway']);
    });
  });

  it('GIVEN ssmAccess none WHEN synthesized THEN neither NAT, internet gateway nor interface endpoints exist, the S3 gateway stays', () => {
    const json = synthVpc({ ssmAccess: 'none' });
    expect(json.resource.aws_nat_gateway).toBeUndefined();
    expect(json.resource.aws_internet_gateway).toBeUndefined();
    expect(values(json, 'aws_vpc_endpoint').map((e) => e.vpc_endpoint_type)).toEqual(['Gateway']);
  });

  describe('GIVEN availabilityZoneInstanceType', () => {
    const json = synthVpc({ availabilityZoneInstanceType: 'm7g.large' });
    const [offerings] = Object.values(json.data.aws_ec2_instance_type_offerings) as Json[];

    it("THEN the AZs offering that type are read among the region's available AZs", () => {
      expect(offerings.location_type).toBe('availability-zone');
      expect(offerings.filter).toEqual([
        { name: 'instance-type', values: ['m7g.large'] },
        { name: 'location', values: expect.stringMatching(/^\$\{data\.aws_availability_zones\.[\w-]+\.names\}$/) },
      ]);
    });

    it('THEN the subnets take those AZs in name order', () => {
      expect(values(json, 'aws_subnet').map((s) => s.availability_zone)).toEqual(
        [0, 1].map((i) =>
          expect.stringMatching(
            new RegExp(`^\\$\\{element\\(sort\\(data\\.aws_ec2_instance_type_offerings\\.[\\w-]+\\.locations\\), ${i}\\)\\}$`),
          ),
        ),
      );
    });

    it('THEN the plan fails with a clear message when fewer AZs than subnets offer the type', () => {
      expect(offerings.lifecycle.postcondition).toEqual([
        {
          condition: '${length(self.locations) >= 2}',
          error_message: expect.stringMatching(/^Fewer than 2 availability zones of the region offer m7g\.large; /),
        },
      ]);
    });
  });

  it('GIVEN three AZs, NAT and a /24 WHEN synthesized THEN six /28 subnets exist', () => {
    const json = synthVpc({ availabilityZoneCount: 3, cidr: '10.1.2.0/24', ssmAccess: 'nat' });
    expect(
      values(json, 'aws_subnet')
        .map((s) => s.cidr_block)
        .sort(),
    ).toEqual(['10.1.2.0/28', '10.1.2.16/28', '10.1.2.32/28', '10.1.2.48/28', '10.1.2.64/28', '10.1.2.80/28']);
  });

  it.each([
    [{ cidr: '10.0.0.0/8' }, /cidr is "10.0.0.0\/8"; use a literal IPv4 CIDR from \/16 to \/24/],
    [{ availabilityZoneCount: 1 }, /availabilityZoneCount is 1; use 2 to 8/],
  ])('GIVEN invalid props %j WHEN constructed THEN it throws naming the prop', (props, message) => {
    expect(() => synthVpc(props)).toThrow(message);
  });

  it.each([
    ['10.20.0.0/16', 4, 0, '10.20.0.0/20'],
    ['10.20.0.0/16', 4, 15, '10.20.240.0/20'],
    ['192.168.10.0/24', 2, 3, '192.168.10.192/26'],
    ['10.20.5.0/16', 4, 1, '10.20.16.0/20'],
  ])('splitCidr(%s, %i)[%i] is %s', (cidr, bits, index, expected) => {
    expect(splitCidr(cidr, bits)[index]).toBe(expected);
  });
});
