import { Testing } from 'cdktf';
import { loadConfig } from '../../config';
import { NetworkStack } from '../../stacks/network-stack';

type Json = Record<string, any>;

function synthNetwork(env: Record<string, string> = {}, environment = 'dev'): { json: Json; stack: NetworkStack } {
  const stack = new NetworkStack(Testing.app(), `orders-network-${environment}`, { config: loadConfig(environment, env) });
  return { json: JSON.parse(Testing.synth(stack)), stack };
}
const values = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
const EXISTING = {
  ORDERS_EXISTING_VPC_ID: 'vpc-0123456789abcdef0',
  ORDERS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
};
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

/**
 * Network hardening over the whole stack: every security group and rule has a description, no
 * ingress is open to 0.0.0.0/0 or ::/0, and the adopted default group has no rules.
 * Returns the problems found (empty when the stack complies).
 */
function securityGroupProblems(json: Json): string[] {
  const problems: string[] = [];
  const described = (r: Json) => typeof r.description === 'string' && r.description.trim().length >= 10;
  const open = (r: Json) =>
    r.cidr_ipv4 === '0.0.0.0/0' ||
    r.cidr_ipv6 === '::/0' ||
    [...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? [])].some((c: string) => c === '0.0.0.0/0' || c === '::/0');
  for (const [id, sg] of Object.entries<Json>(json.resource.aws_security_group ?? {})) {
    if (!described(sg)) problems.push(`aws_security_group.${id} has no description`);
    for (const rule of [...(sg.ingress ?? []), ...(sg.egress ?? [])])
      if (!described(rule)) problems.push(`aws_security_group.${id} has an inline rule without description`);
    if ((sg.ingress ?? []).some(open)) problems.push(`aws_security_group.${id} admits the whole internet`);
  }
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule']) {
    for (const [id, rule] of Object.entries<Json>(json.resource[type] ?? {})) {
      if (!described(rule)) problems.push(`${type}.${id} has no description`);
      const ingress = type === 'aws_vpc_security_group_ingress_rule' || rule.type === 'ingress';
      if (ingress && open(rule)) problems.push(`${type}.${id} admits the whole internet`);
    }
  }
  for (const [id, sg] of Object.entries<Json>(json.resource.aws_default_security_group ?? {})) {
    if (sg.ingress?.length !== 0 || sg.egress?.length !== 0) problems.push(`aws_default_security_group.${id} keeps rules`);
  }
  return problems;
}

describe('NetworkStack', () => {
  describe('GIVEN the default dev configuration', () => {
    const { json, stack } = synthNetwork();

    it('THEN state lives in the S3 backend under the dev network key', () => {
      expect(json.terraform.backend.s3).toMatchObject({
        key: 'order-infra/dev/orders-network-dev.tfstate',
        encrypt: true,
        use_lockfile: true,
      });
    });

    it('THEN outputs vpc_id, private_subnet_ids and ops_host_instance_id reference the created resources', () => {
      expect(json.output).toEqual({
        vpc_id: expect.objectContaining({ value: expect.stringMatching(/^\$\{aws_vpc\..+\.id\}$/) }),
        private_subnet_ids: expect.objectContaining({
          value: [expect.stringMatching(/private-subnet-0.*\.id/), expect.stringMatching(/private-subnet-1.*\.id/)],
        }),
        ops_host_instance_id: expect.objectContaining({ value: expect.stringMatching(/^\$\{aws_instance\..+\.id\}$/) }),
      });
      expect(stack.privateSubnetIds).toHaveLength(2);
    });

    it("THEN a network KMS key encrypts the flow logs and the host's root volume", () => {
      expect(values(json, 'aws_kms_alias')[0].name).toBe('alias/orders-dev-network');
      const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.network-key_[0-9A-F]+\.arn\}$/);
      expect(values(json, 'aws_cloudwatch_log_group')[0].kms_key_id).toEqual(keyArn);
      expect(values(json, 'aws_instance')[0].root_block_device.kms_key_id).toEqual(keyArn);
    });

    it('THEN the network key lets CloudWatch Logs use it for the flow-log group only, and no other service at all', () => {
      const statements = JSON.parse(values(json, 'aws_kms_key')[0].policy).Statement;
      expect(statements.map((s: any) => s.Principal)).toEqual([
        { AWS: expect.stringMatching(/:root$/) },
        { Service: expect.stringMatching(/^logs\./) },
      ]);
      const groups: string[] = statements[1].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'];
      expect(groups).toEqual([expect.stringMatching(/:log-group:\/aws\/vpc-flow-logs\/orders-dev$/)]);
      expect(values(json, 'aws_cloudwatch_log_group')[0].name).toBe('/aws/vpc-flow-logs/orders-dev');
    });

    it('THEN the flow logs keep the environment retention (14 days in dev)', () => {
      expect(values(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(14);
    });

    it('THEN the host sits in the first private subnet and may reach S3 through the region prefix list', () => {
      expect(values(json, 'aws_instance')[0].subnet_id).toMatch(/private-subnet-0/);
      expect(Object.values(json.data.aws_prefix_list)).toEqual([{ name: 'com.amazonaws.us-east-1.s3' }]);
      expect(
        values(json, 'aws_vpc_security_group_egress_rule')
          .map((r) => r.cidr_ipv4 ?? r.prefix_list_id)
          .sort(),
      ).toEqual([expect.stringMatching(/aws_vpc\..+\.cidr_block/), expect.stringMatching(/data\.aws_prefix_list/)]);
    });

    it('THEN SSM is reached through interface endpoints, not NAT', () => {
      expect(values(json, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface')).toHaveLength(3);
      expect(json.resource.aws_nat_gateway).toBeUndefined();
    });

    it('THEN every security group and rule has a description and no ingress is open to the internet', () => {
      expect(values(json, 'aws_security_group')).toHaveLength(2);
      expect(
        values(json, 'aws_vpc_security_group_ingress_rule').length + values(json, 'aws_vpc_security_group_egress_rule').length,
      ).toBeGreaterThanOrEqual(3);
      expect(securityGroupProblems(json)).toEqual([]);
    });

    it('THEN the security group check itself catches an undescribed rule and an open ingress', () => {
      // Guards the helper above: a check that finds nothing proves nothing.
      const broken: Json = JSON.parse(JSON.stringify(json));
      const [ruleId] = Object.keys(broken.resource.aws_vpc_security_group_ingress_rule);
      broken.resource.aws_vpc_security_group_ingress_rule[ruleId] = {
        ...broken.resource.aws_vpc_security_group_ingress_rule[ruleId],
        description: undefined,
        cidr_ipv4: '0.0.0.0/0',
      };
      const [sgId] = Object.keys(broken.resource.aws_default_security_group);
      broken.resource.aws_default_security_group[sgId].ingress = [{ cidr_blocks: ['::/0'] }];
      expect(securityGroupProblems(broken)).toEqual([
        `aws_vpc_security_group_ingress_rule.${ruleId} has no description`,
        `aws_vpc_security_group_ingress_rule.${ruleId} admits the whole internet`,
        `aws_default_security_group.${sgId} keeps rules`,
      ]);
    });
  });

  it('GIVEN prod WHEN synthesized THEN the flow logs keep 365 days and the VPC uses the prod CIDR', () => {
    const { json } = synthNetwork({}, 'prod');
    expect(values(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(365);
    expect(values(json, 'aws_vpc')[0].cidr_block).toBe('10.30.0.0/16');
  });

  it('GIVEN ORDERS_SSM_ACCESS=nat WHEN synthesized THEN a NAT gateway exists and the host may reach HTTPS on the internet', () => {
    const { json } = synthNetwork({ ORDERS_SSM_ACCESS: 'nat' });
    expect(values(json, 'aws_nat_gateway')).toHaveLength(1);
    expect(values(json, 'aws_vpc_security_group_egress_rule').map((r) => r.cidr_ipv4)).toContain('0.0.0.0/0');
    expect(securityGroupProblems(json)).toEqual([]);
  });

  describe('GIVEN an existing VPC and subnets', () => {
    const { json } = synthNetwork(EXISTING);

    it('THEN no VPC, subnet, flow log, default security group or endpoint is created', () => {
      for (const type of [
        'aws_vpc',
        'aws_subnet',
        'aws_flow_log',
        'aws_default_security_group',
        'aws_vpc_endpoint',
        'aws_internet_gateway',
        'aws_route_table',
        'aws_nat_gateway',
      ]) {
        expect(json.resource[type]).toBeUndefined();
      }
    });

    it('THEN the host uses the given ids and the VPC CIDR read from a data source', () => {
      expect(Object.values(json.data.aws_vpc)).toEqual([{ id: 'vpc-0123456789abcdef0' }]);
      expect(values(json, 'aws_instance')[0].subnet_id).toBe('subnet-0123456789abcdef0');
      expect(values(json, 'aws_security_group')[0].vpc_id).toBe('vpc-0123456789abcdef0');
      expect(
        values(json, 'aws_vpc_security_group_egress_rule')
          .map((r) => r.cidr_ipv4)
          .filter(Boolean),
      ).toEqual([expect.stringMatching(/^\$\{data\.aws_vpc\..+\.cidr_block\}$/)]);
    });

    it('THEN the one security group it creates, and its rules, are described and admit nothing inbound', () => {
      expect(values(json, 'aws_security_group')).toHaveLength(1);
      expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
      expect(securityGroupProblems(json)).toEqual([]);
    });

    it('THEN the outputs carry the given ids', () => {
      expect(json.output.vpc_id.value).toBe('vpc-0123456789abcdef0');
      expect(json.output.private_subnet_ids.value).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
    });
  });

  it('GIVEN an existing KMS key WHEN synthesized THEN no key is created and the given one encrypts logs and volume', () => {
    const { json } = synthNetwork({ ORDERS_KMS_KEY_ARN: KEY_ARN });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(values(json, 'aws_cloudwatch_log_group')[0].kms_key_id).toBe(KEY_ARN);
    expect(values(json, 'aws_instance')[0].root_block_device.kms_key_id).toBe(KEY_ARN);
  });
});
