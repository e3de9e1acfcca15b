/** EC2 and network rules (checkov CKV_AWS_8, 23, 24, 25, 79, 88, 130, 260, 277, CKV2_AWS_5, 11, 12, 41). */
import {
  allStrings,
  asList,
  blocks,
  connected,
  escapeRegExp,
  get,
  isExpression,
  isExplicitTrue,
  isSet,
  isTrue,
  perResource,
} from '../helpers';
import type { PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'EC2 and network';
const INSTANCE = ['aws_instance', 'aws_launch_configuration'];
const VPC = ['aws_vpc'];
const OPEN = ['0.0.0.0/0', '::/0'];

/** One ingress permission, from any of Terraform's three ways of writing security group rules. */
interface Ingress {
  readonly owner: TfResource;
  readonly from: unknown;
  readonly to: unknown;
  readonly protocol: unknown;
  readonly cidrs: string[];
}

export function ingressRules(model: PolicyModel): Ingress[] {
  const out: Ingress[] = [];
  for (const sg of model.ofType('aws_security_group')) {
    for (const i of blocks(sg.config.ingress)) {
      out.push({
        owner: sg,
        from: i.from_port,
        to: i.to_port,
        protocol: i.protocol,
        cidrs: [...asList(i.cidr_blocks), ...asList(i.ipv6_cidr_blocks)].map(String),
      });
    }
  }
  for (const rule of model.ofType('aws_security_group_rule').filter((r) => r.config.type === 'ingress')) {
    const c = rule.config;
    out.push({
      owner: rule,
      from: c.from_port,
      to: c.to_port,
      protocol: c.protocol,
      cidrs: [...asList(c.cidr_blocks), ...asList(c.ipv6_cidr_blocks)].map(String),
    });
  }
  for (const rule of model.ofType('aws_vpc_security_group_ingress_rule')) {
    const c = rule.config;
    out.push({
      owner: rule,
      from: c.from_port,
      to: c.to_port,
      protocol: c.ip_protocol,
      cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((x) => x !== undefined).map(String),
    });
  }
  return out;
}

function allProtocols(protocol: unknown): boolean {
  return protocol === '-1' || protocol === -1 || protocol === 'all';
}

/** True when an ingress permission opens `port` (or every port when `port` is 'all') to the internet. */
export function opensToWorld(i: Ingress, port: number | 'all'): boolean {
  if (!i.cidrs.some((c) => OPEN.includes(c))) return false;
  if (allProtocols(i.protocol)) return true;
  const from = Number(i.from);
  const to = Number(i.to);
  if (isExpression(i.from) || isExpression(i.to) || Number.isNaN(from) || Number.isNaN(to)) return false;
  if (port === 'all') return from <= 0 && to >= 65535;
  return from <= port && port <= to;
}

function openPortRule(id: string, title: string, port: number | 'all'): PolicyRule {
  return {
    id,
    title,
    area,
    evaluate(model) {
      const offenders = new Set(
        ingressRules(model)
          .filter((i) => opensToWorld(i, port))
          .map((i) => i.owner),
      );
      const owners = [
        ...model.ofType('aws_security_group'),
        ...model.ofType('aws_security_group_rule'),
        ...model.ofType('aws_vpc_security_group_ingress_rule'),
      ];
      return owners.map((r) =>
        offenders.has(r)
          ? {
              resource: r,
              status: 'fail' as const,
              message: `ingress from 0.0.0.0/0 or ::/0 to ${port === 'all' ? 'all ports' : `port ${port}`}`,
            }
          : { resource: r, status: 'pass' as const },
      );
    },
  };
}

/** Types whose references to a security group count as "attached" for CKV2_AWS_5 (rules about the group itself do not). */
const NOT_ATTACHMENTS = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

export const ec2NetworkRules: PolicyRule[] = [
  perResource({ id: 'CKV_AWS_8', title: 'EC2 instance / launch configuration EBS volumes are encrypted', area }, INSTANCE, (r) => {
    if (!isTrue(get(r.config, 'root_block_device', 'encrypted'))) return 'root_block_device.encrypted is not true';
    const plain = blocks(r.config.ebs_block_device).filter((b) => !isSet(b.snapshot_id) && !isTrue(b.encrypted));
    return plain.length > 0 ? `ebs_block_device ${plain.map((b) => String(b.device_name)).join(', ')} not encrypted` : undefined;
  }),
  perResource(
    { id: 'CKV_AWS_79', title: 'Instance Metadata Service v1 is not enabled (IMDSv2 required)', area },
    ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'],
    (r) => {
      const tokens = get(r.config, 'metadata_options', 'http_tokens');
      const endpoint = get(r.config, 'metadata_options', 'http_endpoint');
      return tokens === 'required' || endpoint === 'disabled' || isExpression(tokens)
        ? undefined
        : `metadata_options.http_tokens is ${JSON.stringify(tokens)}; set "required"`;
    },
  ),
  perResource({ id: 'CKV_AWS_88', title: 'EC2 instance does not have a public IP', area }, ['aws_instance'], (r) =>
    isExplicitTrue(r.config.associate_public_ip_address) ? 'associate_public_ip_address is true' : undefined,
  ),
  perResource({ id: 'CKV_AWS_130', title: 'VPC subnets do not assign public IP by default', area }, ['aws_subnet'], (r) =>
    isExplicitTrue(r.config.map_public_ip_on_launch) ? 'map_public_ip_on_launch is true' : undefined,
  ),
  perResource({ id: 'CKV2_AWS_41', title: 'An IAM role is attached to the EC2 instance', area }, ['aws_instance'], (r) =>
    isSet(r.config.iam_instance_profile) ? undefined : 'iam_instance_profile is not set',
  ),
  perResource(
    { id: 'CKV_AWS_23', title: 'Every security group and rule has a description', area },
    ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'],
    (r) => {
      if (!isSet(r.config.description)) return 'description is not set';
      const inline = [...blocks(r.config.ingress), ...blocks(r.config.egress)].filter((b) => !isSet(b.description));
      return inline.length > 0 ? `${inline.length} inline rule(s) without description` : undefined;
    },
  ),
  openPortRule('CKV_AWS_24', 'No security group allows ingress from 0.0.0.0/0 to port 22', 22),
  openPortRule('CKV_AWS_25', 'No security group allows ingress from 0.0.0.0/0 to port 3389', 3389),
  openPortRule('CKV_AWS_260', 'No security group allows ingress from 0.0.0.0/0 to port 80', 80),
  openPortRule('CKV_AWS_277', 'No security group allows ingress from 0.0.0.0/0 to all ports', 'all'),
  perResource({ id: 'CKV2_AWS_5', title: 'Security groups are attached to another resource', area }, ['aws_security_group'], (r, m) => {
    const pattern = new RegExp(`\\baws_security_group\\.${escapeRegExp(r.name)}\\.`);
    const attached = m.resources.some(
      (o) => o.stack === r.stack && !NOT_ATTACHMENTS.includes(o.type) && allStrings(o.config).some((s) => pattern.test(s)),
    );
    return attached ? undefined : 'no resource uses this security group';
  }),
  perResource({ id: 'CKV2_AWS_11', title: 'VPC flow logging is enabled in all VPCs', area }, VPC, (r, m) =>
    connected(m, r, 'aws_flow_log', 'vpc_id', ['id']).length > 0 ? undefined : 'no aws_flow_log for this VPC',
  ),
  perResource({ id: 'CKV2_AWS_12', title: 'The default security group of every VPC restricts all traffic', area }, VPC, (r, m) => {
    const defaults = connected(m, r, 'aws_default_security_group', 'vpc_id', ['id']);
    if (defaults.length === 0) return 'no aws_default_security_group for this VPC (AWS leaves its default rules open)';
    return defaults.every((d) => blocks(d.config.ingress).length === 0 && blocks(d.config.egress).length === 0)
      ? undefined
      : 'the default security group has ingress or egress rules';
  }),
];
