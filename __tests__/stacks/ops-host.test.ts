import { TerraformStack, Testing } from 'cdktf';
import { AL2023_ARM64_AMI_PARAMETER, OpsHost, type OpsHostProps } from '../../stacks/ops-host';

type Json = Record<string, any>;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

function synthHost(props: Partial<OpsHostProps> = {}): Json {
  const stack = new TerraformStack(Testing.app(), 'test');
  new OpsHost(stack, 'ops-host', {
    namePrefix: 'orders-dev',
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.20.0.0/16',
    subnetId: 'subnet-0123456789abcdef0',
    s3PrefixListId: 'pl-63a5400a',
    kmsKeyArn: KEY,
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}
const values = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
const instanceOf = (json: Json): Json => {
  const instances = values(json, 'aws_instance');
  expect(instances).toHaveLength(1);
  return instances[0];
};

describe('OpsHost', () => {
  describe('GIVEN the defaults', () => {
    const json = synthHost();
    const instance = instanceOf(json);

    it('THEN a t4g.micro sits in the private subnet with no public IP', () => {
      expect(instance).toMatchObject({
        instance_type: 't4g.micro',
        subnet_id: 'subnet-0123456789abcdef0',
        associate_public_ip_address: false,
      });
    });

    it('THEN IMDSv2 is required with a hop limit of 1', () => {
      expect(instance.metadata_options).toEqual({ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 });
    });

    it('THEN the root volume is gp3, encrypted with the key, and tagged on the device so default_tags reach it', () => {
      expect(instance.root_block_device).toEqual({
        volume_type: 'gp3',
        encrypted: true,
        kms_key_id: KEY,
        delete_on_termination: true,
        tags: { Name: 'orders-dev-ops-host' },
      });
      // volume_tags conflicts with root_block_device.tags and does not get the provider's default_tags.
      expect(instance).not.toHaveProperty('volume_tags');
    });

    it('THEN it is EBS-optimized with detailed monitoring', () => {
      expect(instance).toMatchObject({ ebs_optimized: true, monitoring: true });
    });

    it('THEN the AMI is the latest AL2023 arm64 from SSM and later AMI changes are ignored', () => {
      expect(Object.values(json.data.aws_ssm_parameter)).toEqual([{ name: AL2023_ARM64_AMI_PARAMETER }]);
      expect(AL2023_ARM64_AMI_PARAMETER).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
      expect(instance.ami).toMatch(/^\$\{data\.aws_ssm_parameter\..+\.insecure_value\}$/);
      expect(instance.lifecycle).toEqual({ ignore_changes: ['ami'] });
    });

    it('THEN its security group has a description and no ingress rule at all', () => {
      expect(values(json, 'aws_security_group')).toEqual([
        expect.objectContaining({
          name: 'orders-dev-ops-host',
          vpc_id: 'vpc-0123456789abcdef0',
          description: expect.stringMatching(/no inbound/),
        }),
      ]);
      expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
      expect(values(json, 'aws_security_group')[0].ingress).toBeUndefined();
      expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\./)]);
    });

    it('THEN egress is only HTTPS to the VPC CIDR and the S3 prefix list, each rule described', () => {
      const rules = values(json, 'aws_vpc_security_group_egress_rule');
      expect(rules).toHaveLength(2);
      for (const rule of rules) {
        expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443, description: expect.stringMatching(/\w{5}/) });
      }
      expect(rules.map((r) => r.cidr_ipv4 ?? r.prefix_list_id).sort()).toEqual(['10.20.0.0/16', 'pl-63a5400a']);
    });

    it('THEN the instance profile role trusts EC2 and has only AmazonSSMManagedInstanceCore', () => {
      const [role] = values(json, 'aws_iam_role');
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      expect(values(json, 'aws_iam_role_policy_attachment')).toEqual([
        {
          role: expect.stringMatching(/aws_iam_role\..+\.name/),
          policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/),
        },
      ]);
      expect(json.resource.aws_iam_role_policy).toBeUndefined();
      expect(values(json, 'aws_iam_instance_profile')).toEqual([
        { name: 'orders-dev-ops-host', role: expect.stringMatching(/aws_iam_role\..+\.name/) },
      ]);
      expect(instance.iam_instance_profile).toMatch(/aws_iam_instance_profile\..+\.name/);
    });
  });

  describe('GIVEN a pinned AMI, an instance type and internet HTTPS', () => {
    const json = synthHost({ amiId: 'ami-0123456789abcdef0', instanceType: 'm7g.large', allowHttpsToInternet: true });
    const instance = instanceOf(json);

    it('THEN the pinned AMI is used, with no SSM lookup and no ignore_changes', () => {
      expect(instance).toMatchObject({ ami: 'ami-0123456789abcdef0', instance_type: 'm7g.large' });
      expect(instance.lifecycle).toBeUndefined();
      expect(json.data.aws_ssm_parameter).toBeUndefined();
    });

    it('THEN HTTPS egress to the internet is added (for SSM through NAT), still no ingress', () => {
      const rules = values(json, 'aws_vpc_security_group_egress_rule');
      expect(rules.find((r) => r.cidr_ipv4 === '0.0.0.0/0')).toMatchObject({
        from_port: 443,
        to_port: 443,
        description: expect.stringMatching(/NAT/),
      });
      expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    });
  });

  it('GIVEN a malformed AMI id WHEN constructed THEN it throws naming amiId', () => {
    expect(() => synthHost({ amiId: 'al2023' })).toThrow(/amiId is "al2023"; use an AMI id such as ami-/);
  });
});
