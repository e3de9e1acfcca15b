import { runVerdictCases, type VerdictCase } from '../rule-cases';

const I = 'aws_instance.i';
const SG = 'aws_security_group.sg';
const RULE = 'aws_security_group_rule.r';
const VRULE = 'aws_vpc_security_group_ingress_rule.v';
const instance = (body: string) => `resource "aws_instance" "i" {\n  ami = "ami-1"\n  instance_type = "t3.micro"\n${body}\n}\n`;
const sg = (...ingress: string[]) =>
  `resource "aws_security_group" "sg" {\n  name = "sg"\n  description = "d"\n${ingress.map((b) => `  ingress {\n${b}\n  }`).join('\n')}\n}\n`;
const sgRule = (body: string, type = 'ingress') =>
  `resource "aws_security_group_rule" "r" {\n  type = "${type}"\n  security_group_id = "sg-1"\n${body}\n}\n`;
const vpcRule = (body: string) => `resource "aws_vpc_security_group_ingress_rule" "v" {\n  security_group_id = "sg-1"\n${body}\n}\n`;
const ports = (from: number, to: number, protocol = 'tcp') => `    from_port = ${from}\n    to_port = ${to}\n    protocol = "${protocol}"`;
const WORLD = '    cidr_blocks = ["0.0.0.0/0"]';
const VPC = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n';
const defaultSg = (body = '') => `${VPC}resource "aws_default_security_group" "d" {\n  vpc_id = aws_vpc.v.id\n${body}\n}\n`;

const ssh: VerdictCase[] = [
  { id: 'CKV_AWS_24', name: 'fails port 22 open to the world', tf: sg(`${ports(22, 22)}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_24', name: 'fails a range including 22', tf: sg(`${ports(0, 1024)}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_24', name: 'fails ports 0-0 (every port)', tf: sg(`${ports(0, 0, '-1')}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_24', name: 'fails ::/0', tf: sg(`${ports(22, 22)}\n    ipv6_cidr_blocks = ["::/0"]`), expect: { [SG]: 'fail' } },
  {
    id: 'CKV_AWS_24',
    name: 'passes a private CIDR',
    tf: sg(`${ports(22, 22)}\n    cidr_blocks = ["10.0.0.0/8"]`),
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'passes a source security group',
    tf: sg(`${ports(22, 22)}\n    security_groups = ["sg-2"]`),
    expect: { [SG]: 'pass' },
  },
  { id: 'CKV_AWS_24', name: 'fails a rule with no source at all', tf: sg(ports(22, 22)), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_24', name: 'fails self = false alone', tf: sg(`${ports(22, 22)}\n    self = false`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_24', name: 'passes self = true', tf: sg(`${ports(22, 22)}\n    self = true`), expect: { [SG]: 'pass' } },
  {
    id: 'CKV_AWS_24',
    name: 'passes a prefix list source',
    tf: sg(`${ports(22, 22)}\n${WORLD}\n    prefix_list_ids = ["pl-1"]`),
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'passes ports -1..-1 with tcp (not read as every port)',
    tf: sg(`${ports(-1, -1)}\n${WORLD}`),
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'passes a group without ingress',
    tf: 'resource "aws_security_group" "sg" {\n  name = "sg"\n}',
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'fails a separate aws_security_group_rule',
    tf: sgRule(`${ports(22, 22)}\n${WORLD}`),
    expect: { [RULE]: 'fail' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'is UNKNOWN for an egress rule',
    tf: sgRule(`${ports(22, 22)}\n${WORLD}`, 'egress'),
    expect: { [RULE]: 'unknown' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'passes a separate rule from another group',
    tf: sgRule(`${ports(22, 22)}\n    source_security_group_id = "sg-2"`),
    expect: { [RULE]: 'pass' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'fails an aws_vpc_security_group_ingress_rule from 0.0.0.0/0',
    tf: vpcRule('  from_port = 22\n  to_port = 22\n  ip_protocol = "tcp"\n  cidr_ipv4 = "0.0.0.0/0"'),
    expect: { [VRULE]: 'fail' },
  },
  {
    id: 'CKV_AWS_24',
    name: 'passes a VPC ingress rule from a private CIDR',
    tf: vpcRule('  from_port = 22\n  to_port = 22\n  ip_protocol = "tcp"\n  cidr_ipv4 = "10.0.0.0/8"'),
    expect: { [VRULE]: 'pass' },
  },
  { id: 'CKV_AWS_25', name: 'fails 3389 open', tf: sg(`${ports(3389, 3389)}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_25', name: 'passes 443 open', tf: sg(`${ports(443, 443)}\n${WORLD}`), expect: { [SG]: 'pass' } },
  { id: 'CKV_AWS_260', name: 'fails 80 open', tf: sg(`${ports(80, 80)}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_260', name: 'passes 443 open', tf: sg(`${ports(443, 443)}\n${WORLD}`), expect: { [SG]: 'pass' } },
  { id: 'CKV_AWS_277', name: 'fails protocol -1 over ports 0-0', tf: sg(`${ports(0, 0, '-1')}\n${WORLD}`), expect: { [SG]: 'fail' } },
  { id: 'CKV_AWS_277', name: 'fails ports -1..-1', tf: sg(`${ports(-1, -1, '-1')}\n${WORLD}`), expect: { [SG]: 'fail' } },
  {
    id: 'CKV_AWS_277',
    name: 'passes tcp 0-65535 (checkov only counts protocol -1)',
    tf: sg(`${ports(0, 65535)}\n${WORLD}`),
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_277',
    name: 'passes protocol -1 from a private CIDR',
    tf: sg(`${ports(0, 0, '-1')}\n    cidr_blocks = ["10.0.0.0/8"]`),
    expect: { [SG]: 'pass' },
  },
];

const cases: VerdictCase[] = [
  ...ssh,
  { id: 'CKV_AWS_8', name: 'fails without root_block_device', tf: instance(''), expect: { [I]: 'fail' } },
  {
    id: 'CKV_AWS_8',
    name: 'passes an encrypted root volume',
    tf: instance('root_block_device {\n encrypted = true\n}'),
    expect: { [I]: 'pass' },
  },
  { id: 'CKV_AWS_8', name: 'fails encrypted = false', tf: instance('root_block_device {\n encrypted = false\n}'), expect: { [I]: 'fail' } },
  {
    id: 'CKV_AWS_8',
    name: 'is UNKNOWN when a block says neither',
    tf: instance('root_block_device {\n volume_size = 8\n}'),
    expect: { [I]: 'unknown' },
  },
  {
    id: 'CKV_AWS_8',
    name: 'passes a volume from a snapshot, encrypted flag or not',
    tf: instance('root_block_device {\n encrypted = true\n}\nebs_block_device {\n device_name = "/dev/sdb"\n snapshot_id = "snap-1"\n}'),
    expect: { [I]: 'pass' },
  },
  {
    id: 'CKV_AWS_8',
    name: 'fails an unencrypted EBS block',
    tf: instance('root_block_device {\n encrypted = true\n}\nebs_block_device {\n device_name = "/dev/sdb"\n encrypted = false\n}'),
    expect: { [I]: 'fail' },
  },
  {
    id: 'CKV_AWS_8',
    name: 'judges launch configurations',
    tf: 'resource "aws_launch_configuration" "lc" {\n  image_id = "ami-1"\n  instance_type = "t3.micro"\n}',
    expect: { 'aws_launch_configuration.lc': 'fail' },
  },

  { id: 'CKV_AWS_79', name: 'fails without metadata_options', tf: instance(''), expect: { [I]: 'fail' } },
  {
    id: 'CKV_AWS_79',
    name: 'passes http_tokens required',
    tf: instance('metadata_options {\n http_tokens = "required"\n}'),
    expect: { [I]: 'pass' },
  },
  {
    id: 'CKV_AWS_79',
    name: 'fails http_tokens optional',
    tf: instance('metadata_options {\n http_tokens = "optional"\n}'),
    expect: { [I]: 'fail' },
  },
  {
    id: 'CKV_AWS_79',
    name: 'passes the endpoint disabled',
    tf: instance('metadata_options {\n http_endpoint = "disabled"\n}'),
    expect: { [I]: 'pass' },
  },
  {
    id: 'CKV_AWS_79',
    name: 'judges launch templates',
    tf: 'resource "aws_launch_template" "lt" {\n  metadata_options {\n    http_tokens = "required"\n  }\n}',
    expect: { 'aws_launch_template.lt': 'pass' },
  },

  { id: 'CKV_AWS_88', name: 'fails a public IP', tf: instance('associate_public_ip_address = true'), expect: { [I]: 'fail' } },
  { id: 'CKV_AWS_88', name: 'passes without public IP', tf: instance(''), expect: { [I]: 'pass' } },
  {
    id: 'CKV_AWS_88',
    name: 'fails a launch template network interface with a public IP',
    tf: 'resource "aws_launch_template" "lt" {\n  network_interfaces {\n    associate_public_ip_address = true\n  }\n}',
    expect: { 'aws_launch_template.lt': 'fail' },
  },

  {
    id: 'CKV_AWS_130',
    name: 'fails map_public_ip_on_launch',
    tf: 'resource "aws_subnet" "s" {\n  vpc_id = "v"\n  cidr_block = "10.0.0.0/24"\n  map_public_ip_on_launch = true\n}',
    expect: { 'aws_subnet.s': 'fail' },
  },
  {
    id: 'CKV_AWS_130',
    name: 'passes the default',
    tf: 'resource "aws_subnet" "s" {\n  vpc_id = "v"\n  cidr_block = "10.0.0.0/24"\n}',
    expect: { 'aws_subnet.s': 'pass' },
  },

  { id: 'CKV2_AWS_41', name: 'fails without instance profile', tf: instance(''), expect: { [I]: 'fail' } },
  {
    id: 'CKV2_AWS_41',
    name: 'passes with one',
    tf: instance('iam_instance_profile = aws_iam_instance_profile.p.name'),
    expect: { [I]: 'pass' },
  },

  {
    id: 'CKV_AWS_23',
    name: 'fails a group without description whose inline rule has none',
    tf: 'resource "aws_security_group" "sg" {\n  name = "sg"\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n  }\n}',
    expect: { [SG]: 'fail' },
  },
  {
    id: 'CKV_AWS_23',
    name: 'passes a group with a description (inline rules need none)',
    tf: sg(ports(443, 443)),
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV_AWS_23',
    name: 'passes a group whose every inline rule has a description',
    tf: 'resource "aws_security_group" "sg" {\n  name = "sg"\n  egress {\n    description = "out"\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n  }\n}',
    expect: { [SG]: 'pass' },
  },
  { id: 'CKV_AWS_23', name: 'fails a separate rule without description', tf: sgRule(ports(443, 443)), expect: { [RULE]: 'fail' } },
  {
    id: 'CKV_AWS_23',
    name: 'passes a separate rule with one',
    tf: sgRule(`${ports(443, 443)}\n  description = "https"`),
    expect: { [RULE]: 'pass' },
  },
  {
    id: 'CKV_AWS_23',
    name: 'passes a group with neither a description nor inline rules',
    tf: 'resource "aws_security_group" "sg" {\n  name = "sg"\n}',
    expect: { [SG]: 'pass' },
  },

  {
    id: 'CKV2_AWS_5',
    name: 'fails an unattached group',
    tf: 'resource "aws_security_group" "sg" {\n  name = "sg"\n}',
    expect: { [SG]: 'fail' },
  },
  {
    id: 'CKV2_AWS_5',
    name: 'passes a group used by an instance',
    tf: `resource "aws_security_group" "sg" {\n  name = "sg"\n}\n${instance('vpc_security_group_ids = [aws_security_group.sg.id]')}`,
    expect: { [SG]: 'pass' },
  },
  {
    id: 'CKV2_AWS_5',
    name: 'fails a group only referenced by its own rules',
    tf: `resource "aws_security_group" "sg" {\n  name = "sg"\n}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n  security_group_id = aws_security_group.sg.id\n  from_port = 1\n  to_port = 1\n  protocol = "tcp"\n}`,
    expect: { [SG]: 'fail' },
  },

  { id: 'CKV2_AWS_11', name: 'fails a VPC without flow log', tf: VPC, expect: { 'aws_vpc.v': 'fail' } },
  {
    id: 'CKV2_AWS_11',
    name: 'passes with a flow log',
    tf: `${VPC}resource "aws_flow_log" "f" {\n  vpc_id = aws_vpc.v.id\n  traffic_type = "ALL"\n}`,
    expect: { 'aws_vpc.v': 'pass' },
  },

  { id: 'CKV2_AWS_12', name: 'fails a VPC without default security group resource', tf: VPC, expect: { 'aws_vpc.v': 'fail' } },
  { id: 'CKV2_AWS_12', name: 'passes a default group without rules', tf: defaultSg(), expect: { 'aws_vpc.v': 'pass' } },
  {
    id: 'CKV2_AWS_12',
    name: 'fails a default group with an inline self ingress',
    tf: defaultSg('  ingress {\n    protocol = -1\n    self = true\n    from_port = 0\n    to_port = 0\n  }'),
    expect: { 'aws_vpc.v': 'fail' },
  },
  {
    id: 'CKV2_AWS_12',
    name: 'fails a default group opened by a separate aws_security_group_rule',
    tf: `${defaultSg()}resource "aws_security_group_rule" "r" {\n  type = "egress"\n  security_group_id = aws_default_security_group.d.id\n  from_port = 0\n  to_port = 0\n  protocol = "-1"\n  cidr_blocks = ["0.0.0.0/0"]\n}`,
    expect: { 'aws_vpc.v': 'fail' },
  },
  {
    id: 'CKV2_AWS_12',
    name: 'fails a default group opened by an aws_vpc_security_group_ingress_rule',
    tf: `${defaultSg()}resource "aws_vpc_security_group_ingress_rule" "v" {\n  security_group_id = aws_default_security_group.d.id\n  ip_protocol = "-1"\n  cidr_ipv4 = "10.0.0.0/8"\n}`,
    expect: { 'aws_vpc.v': 'fail' },
  },
];

runVerdictCases('EC2 and network', cases);
