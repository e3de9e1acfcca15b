/** EC2 and network rules (checkov CKV_AWS_8, 23, 24, 25, 79, 88, 130, 260, 277, CKV2_AWS_5, 11, 12, 41). */
import {
  asList,
  at,
  blocks,
  graphExists,
  linked,
  negativeValueCheck,
  normaliseBool,
  valueCheck,
  type Verdict,
  verdictRule,
} from '../helpers';
import type { PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'EC2 and network';
const VPC = ['aws_vpc'];
const SG_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];
const OPEN_IPV6 = ['::/0', '0000:0000:0000:0000:0000:0000:0000:0000/0'];

/** Python's `int(x)` as checkov's force_int applies it: numbers and numeric strings, else null. */
function forceInt(value: unknown): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  return null;
}

const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false && !(Array.isArray(v) && v.length === 0);
const absent = (v: unknown): boolean => v === undefined || v === null;

/**
 * checkov AbsSecurityGroupUnrestrictedIngress.contains_violation, for one ingress rule (inline block,
 * aws_security_group_rule or aws_vpc_security_group_ingress_rule):
 * - ports `0`–`0` mean every port; a missing port is not a number, so the range never matches;
 * - protocol `-1` with ports 0–65535 (or 0–0) opens every port, whatever `port` is;
 * - open means 0.0.0.0/0, or ::/0 in an ipv6_cidr_blocks list, or no source at all (no CIDR, no
 *   `security_groups`, no `source_security_group_id`) — so `self = false` alone is open, and so is a VPC
 *   ingress rule whose only source is `referenced_security_group_id` (checkov does not read it), while a
 *   VPC rule's `cidr_ipv6 = "::/0"` is not recognised. Followed as is to predict checkov's verdicts.
 */
export function violatesIngress(rule: Record<string, unknown>, port: number): boolean {
  const from = forceInt(rule.from_port);
  let to = forceInt(rule.to_port);
  const protocol = asList(rule.protocol)[0];
  if (from === 0 && to === 0) to = 65535;
  if (
    truthy(rule.prefix_list_ids) &&
    !(Array.isArray(rule.prefix_list_ids) && rule.prefix_list_ids.every((p) => Array.isArray(p) && p.length === 0))
  )
    return false;
  const inRange = from !== null && to !== null && from <= port && port <= to;
  const allTraffic = (protocol === '-1' || protocol === -1) && from === 0 && to === 65535;
  if (!inRange && !allTraffic) return false;
  const cidrs = asList(truthy(rule.cidr_blocks) ? rule.cidr_blocks : rule.cidr_ipv4).flat();
  if (cidrs.includes('0.0.0.0/0')) return true;
  const ipv6 = truthy(rule.ipv6_cidr_blocks) ? rule.ipv6_cidr_blocks : rule.cidr_ipv6;
  if (Array.isArray(ipv6) && ipv6.some((ip) => OPEN_IPV6.includes(String(ip)))) return true;
  return !truthy(ipv6) && cidrs.length === 0 && absent(rule.security_groups) && absent(rule.source_security_group_id);
}

/** checkov's check_self: an ingress rule with `self = true`. */
const selfRule = (rule: Record<string, unknown>): boolean => normaliseBool(asList(rule.self)[0]) === true;

/** checkov's verdict of an open-port check on one resource of SG_TYPES. */
export function openPortVerdict(r: TfResource, port: number): Verdict {
  const c = r.config;
  if (c.ingress !== undefined && c.ingress !== null) {
    for (const rule of blocks(c.ingress)) {
      // checkov passes the whole group at the first self-referencing rule.
      if (selfRule(rule)) return 'pass';
      if (violatesIngress(rule, port)) return 'fail';
    }
    return 'pass';
  }
  if (c.type !== undefined) {
    if (asList(c.type)[0] !== 'ingress') return 'unknown';
    if (selfRule(c)) return 'pass';
    return violatesIngress(c, port) ? 'fail' : 'pass';
  }
  if (r.type === 'aws_vpc_security_group_ingress_rule' && (c.from_port !== undefined || c.to_port !== undefined)) {
    return violatesIngress(c, port) ? 'fail' : 'pass';
  }
  return 'pass';
}

function openPortRule(id: string, title: string, port: number): PolicyRule {
  return verdictRule(
    { id, title, area },
    SG_TYPES,
    (r) => {
      const v = openPortVerdict(r, port);
      return v === 'unknown' ? { verdict: v, message: 'an egress rule (checkov: UNKNOWN)' } : v;
    },
    port === -1 ? 'ingress open to the internet on every port' : `ingress from 0.0.0.0/0 or ::/0 (or from no source) to port ${port}`,
  );
}

/** checkov CKV_AWS_8's verdict on one block device. */
function blockDeviceVerdict(block: Record<string, unknown>): Verdict {
  const encrypted = normaliseBool(block.encrypted);
  if (encrypted === false && !truthy(block.snapshot_id)) return 'fail';
  if (encrypted === true) return 'pass';
  if (truthy(block.snapshot_id)) return 'pass';
  return 'unknown';
}

/** Types whose connection to a security group counts as "attached" for checkov CKV2_AWS_5. */
const SG_ATTACHMENTS = [
  'aws_alb',
  'aws_apprunner_vpc_connector',
  'aws_appstream_fleet',
  'aws_batch_compute_environment',
  'aws_cloudwatch_event_target',
  'aws_codebuild_project',
  'aws_codestarconnections_host',
  'aws_dax_cluster',
  'aws_db_instance',
  'aws_dms_replication_instance',
  'aws_docdb_cluster',
  'aws_ec2_client_vpn_endpoint',
  'aws_ec2_client_vpn_network_association',
  'aws_ec2_spot_fleet_request',
  'aws_ecs_service',
  'aws_efs_mount_target',
  'aws_eks_cluster',
  'aws_eks_node_group',
  'aws_elasticache_cluster',
  'aws_elasticache_replication_group',
  'aws_elasticsearch_domain',
  'aws_elb',
  'aws_emr_cluster',
  'aws_emr_studio',
  'aws_glue_dev_endpoint',
  'aws_instance',
  'aws_lambda_function',
  'aws_launch_configuration',
  'aws_launch_template',
  'aws_lb',
  'aws_memorydb_cluster',
  'aws_mq_broker',
  'aws_msk_cluster',
  'aws_mwaa_environment',
  'aws_neptune_cluster',
  'aws_network_interface',
  'aws_quicksight_vpc_connection',
  'aws_rds_cluster',
  'aws_redshift_cluster',
  'aws_route53_resolver_endpoint',
  'aws_sagemaker_notebook_instance',
  'aws_transfer_server',
  'aws_vpc_endpoint',
  'aws_vpclattice_service_network_vpc_association',
];

/** checkov CKV2_AWS_12 on one default security group: no rule attributes inline and no separate rule resources. */
function defaultGroupClosed(model: PolicyModel, group: TfResource): boolean {
  const inline = (kind: string, keys: string[]) => blocks(group.config[kind]).some((b) => keys.some((k) => graphExists(b[k])));
  if (inline('ingress', ['to_port', 'from_port', 'self', 'protocol'])) return false;
  if (inline('egress', ['to_port', 'from_port', 'cidr_blocks', 'protocol'])) return false;
  return ['aws_security_group_rule', 'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule'].every(
    (t) => linked(model, group, t).length === 0,
  );
}

export const ec2NetworkRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_8', title: 'EC2 instance / launch configuration EBS volumes are encrypted', area },
    ['aws_launch_configuration', 'aws_instance'],
    (r) => {
      // checkov: no root_block_device fails (Terraform's default root volume is unencrypted); then every
      // root and EBS block must be encrypted or come from a snapshot; a block saying neither is UNKNOWN.
      const root = blocks(r.config.root_block_device);
      if (root.length === 0) return { verdict: 'fail', message: 'no root_block_device (the default root volume is unencrypted)' };
      const verdicts = [...root, ...blocks(r.config.ebs_block_device)].map(blockDeviceVerdict);
      if (verdicts.includes('fail')) return { verdict: 'fail', message: 'a block device has encrypted = false and no snapshot_id' };
      if (verdicts.includes('unknown')) return { verdict: 'unknown', message: 'a block device sets neither encrypted nor snapshot_id' };
      return 'pass';
    },
    'a block device is not encrypted',
  ),
  verdictRule(
    { id: 'CKV_AWS_79', title: 'Instance Metadata Service v1 is not enabled (IMDSv2 required)', area },
    ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'],
    (r) => {
      const options = blocks(r.config.metadata_options)[0];
      if (!options) return { verdict: 'fail', message: 'no metadata_options block (IMDSv1 stays enabled)' };
      if (options.http_endpoint === 'disabled') return 'pass';
      return valueCheck(r.config, ['metadata_options', 'http_tokens'], ['required']);
    },
    (r) => `metadata_options.http_tokens is ${JSON.stringify(at(r.config, ['metadata_options', 'http_tokens']))}; set "required"`,
  ),
  verdictRule(
    { id: 'CKV_AWS_88', title: 'EC2 instance does not have a public IP', area },
    ['aws_instance', 'aws_launch_template'],
    (r) =>
      negativeValueCheck(
        r.config,
        r.type === 'aws_instance' ? ['associate_public_ip_address'] : ['network_interfaces', 'associate_public_ip_address'],
        [true],
      ),
    'associate_public_ip_address is true',
  ),
  verdictRule(
    { id: 'CKV_AWS_130', title: 'VPC subnets do not assign public IP by default', area },
    ['aws_subnet'],
    (r) => negativeValueCheck(r.config, ['map_public_ip_on_launch'], [true]),
    'map_public_ip_on_launch is true',
  ),
  verdictRule(
    { id: 'CKV2_AWS_41', title: 'An IAM role is attached to the EC2 instance', area },
    ['aws_instance'],
    (r) => (graphExists(r.config.iam_instance_profile) ? 'pass' : 'fail'),
    'iam_instance_profile is not set',
  ),
  verdictRule(
    { id: 'CKV_AWS_23', title: 'Every security group and rule has a description', area },
    [
      'aws_security_group',
      'aws_security_group_rule',
      'aws_db_security_group',
      'aws_elasticache_security_group',
      'aws_redshift_security_group',
      'aws_vpc_security_group_ingress_rule',
      'aws_vpc_security_group_egress_rule',
    ],
    // checkov: a rule resource (one with `type`, aws_security_group_rule) needs its own description; any
    // other resource passes with its own description, or else with a description on every inline
    // ingress/egress block — so a group with neither a description nor inline blocks passes.
    (r) => {
      if (truthy(r.config.description)) return 'pass';
      if (r.config.type !== undefined) return 'fail';
      return [...blocks(r.config.ingress), ...blocks(r.config.egress)].every((b) => truthy(b.description)) ? 'pass' : 'fail';
    },
    'neither the resource nor every inline rule has a description',
  ),
  openPortRule('CKV_AWS_24', 'No security group allows ingress from 0.0.0.0/0 to port 22', 22),
  openPortRule('CKV_AWS_25', 'No security group allows ingress from 0.0.0.0/0 to port 3389', 3389),
  openPortRule('CKV_AWS_260', 'No security group allows ingress from 0.0.0.0/0 to port 80', 80),
  // checkov CKV_AWS_277 is the same check for "port -1": it matches rules whose range includes -1
  // (from_port = -1) and protocol -1 with ports 0–65535 or 0–0, not a TCP rule over 0–65535.
  openPortRule('CKV_AWS_277', 'No security group allows ingress from 0.0.0.0/0 to all ports', -1),
  verdictRule(
    { id: 'CKV2_AWS_5', title: 'Security groups are attached to another resource', area },
    ['aws_security_group'],
    (r, m) => (SG_ATTACHMENTS.some((t) => linked(m, r, t).length > 0) ? 'pass' : 'fail'),
    'no resource uses this security group',
  ),
  verdictRule(
    { id: 'CKV2_AWS_11', title: 'VPC flow logging is enabled in all VPCs', area },
    VPC,
    (r, m) => (linked(m, r, 'aws_flow_log').length > 0 ? 'pass' : 'fail'),
    'no aws_flow_log for this VPC',
  ),
  verdictRule(
    { id: 'CKV2_AWS_12', title: 'The default security group of every VPC restricts all traffic', area },
    VPC,
    (r, m) => {
      const defaults = linked(m, r, 'aws_default_security_group');
      if (defaults.length === 0)
        return { verdict: 'fail', message: 'no aws_default_security_group for this VPC (AWS leaves its default rules open)' };
      return defaults.every((d) => defaultGroupClosed(m, d))
        ? 'pass'
        : { verdict: 'fail', message: 'the default security group has inline rules or separate rule resources attached' };
    },
    'the default security group is not closed',
  ),
];
