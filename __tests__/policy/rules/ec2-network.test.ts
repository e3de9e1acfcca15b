import { modelOf, ref, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const I = 'aws_instance.ops';
const instance = (extra: Record<string, unknown>) => ({
  resource: { aws_instance: { ops: { ami: 'ami-1', instance_type: 't4g.micro', ...extra } } },
});
const SG = 'aws_security_group.ops';
const sg = (ingress: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  resource: {
    aws_security_group: {
      ops: { name: 'ops', description: 'Operations host', vpc_id: ref('aws_vpc.main'), ingress, egress: [], ...extra },
    },
    aws_instance: { ops: { ami: 'ami-1', vpc_security_group_ids: [ref(SG)] } },
  },
});
const open = (from: number, to: number, protocol = 'tcp') => ({
  description: 'in',
  from_port: from,
  to_port: to,
  protocol,
  cidr_blocks: ['0.0.0.0/0'],
});
const https = { description: 'HTTPS from the VPC', from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.20.0.0/16'] };
const vpc = (others: Record<string, Record<string, unknown>> = {}) => ({
  resource: { aws_vpc: { main: { cidr_block: '10.20.0.0/16' } }, ...others },
});

const cases: RuleCase[] = [
  {
    id: 'CKV_AWS_8',
    bad: instance({ root_block_device: { encrypted: false } }),
    offender: I,
    good: instance({ root_block_device: { encrypted: true, volume_type: 'gp3' } }),
  },
  {
    id: 'CKV_AWS_79',
    bad: instance({ metadata_options: { http_tokens: 'optional' } }),
    offender: I,
    good: instance({ metadata_options: { http_tokens: 'required', http_endpoint: 'enabled' } }),
  },
  {
    id: 'CKV_AWS_88',
    bad: instance({ associate_public_ip_address: true }),
    offender: I,
    good: instance({ associate_public_ip_address: false }),
  },
  {
    id: 'CKV2_AWS_41',
    bad: instance({}),
    offender: I,
    good: instance({ iam_instance_profile: ref('aws_iam_instance_profile.ops', 'name') }),
  },
  {
    id: 'CKV_AWS_130',
    bad: { resource: { aws_subnet: { pub: { vpc_id: 'v', cidr_block: '10.0.0.0/24', map_public_ip_on_launch: true } } } },
    offender: 'aws_subnet.pub',
    good: { resource: { aws_subnet: { pub: { vpc_id: 'v', cidr_block: '10.0.0.0/24', map_public_ip_on_launch: false } } } },
  },
  { id: 'CKV_AWS_23', bad: sg([{ ...https, description: undefined }]), offender: SG, good: sg([https]) },
  { id: 'CKV_AWS_24', bad: sg([open(22, 22)]), offender: SG, good: sg([https]) },
  { id: 'CKV_AWS_25', bad: sg([open(3000, 4000)]), offender: SG, good: sg([https]) },
  { id: 'CKV_AWS_260', bad: sg([open(0, 0, '-1')]), offender: SG, good: sg([https]) },
  { id: 'CKV_AWS_277', bad: sg([open(0, 65535)]), offender: SG, good: sg([https]) },
  {
    id: 'CKV2_AWS_5',
    bad: { resource: { aws_security_group: { ops: { name: 'ops', description: 'unused' } } } },
    offender: SG,
    good: sg([https]),
  },
  {
    id: 'CKV2_AWS_11',
    bad: vpc(),
    offender: 'aws_vpc.main',
    good: vpc({ aws_flow_log: { fl: { vpc_id: ref('aws_vpc.main'), traffic_type: 'ALL' } } }),
  },
  {
    id: 'CKV2_AWS_12',
    bad: vpc({
      aws_default_security_group: {
        d: { vpc_id: ref('aws_vpc.main'), ingress: [{ protocol: '-1', self: true, from_port: 0, to_port: 0 }] },
      },
    }),
    offender: 'aws_vpc.main',
    good: vpc({ aws_default_security_group: { d: { vpc_id: ref('aws_vpc.main'), ingress: [], egress: [] } } }),
  },
];

runRuleCases('EC2 and network', cases);

describe('security group rules written as separate resources', () => {
  it.each([
    [
      'aws_security_group_rule',
      {
        type: 'ingress',
        description: 'ssh',
        from_port: 22,
        to_port: 22,
        protocol: 'tcp',
        cidr_blocks: ['0.0.0.0/0'],
        security_group_id: 'sg',
      },
    ],
    [
      'aws_vpc_security_group_ingress_rule',
      { description: 'ssh', from_port: 22, to_port: 22, ip_protocol: 'tcp', cidr_ipv4: '0.0.0.0/0', security_group_id: 'sg' },
    ],
  ])('CKV_AWS_24 fails an open SSH %s', (type, config) => {
    // GIVEN an SSH rule open to the world written as its own resource
    const findings = ruleById('CKV_AWS_24').evaluate(modelOf({ resource: { [type]: { ssh: config } } }));
    // THEN that rule resource is the offender
    expect(findings.filter((f) => f.status === 'fail').map((f) => f.resource.address)).toEqual([`${type}.ssh`]);
  });
});
