/**
 * Fixed values for the data sources the offline plan cannot read (no AWS account, fake keys).
 *
 * Why a scratch-copy rewrite and not `terraform test` with `override_data`: a test run keeps its
 * plan to itself, while reviewers, the plan-comment renderer and our tests need `terraform show
 * -json` of a real plan. So the scratch copy drops each data block and writes its value in place of
 * every reference to it (`data.aws_caller_identity.x.account_id` becomes `"123456789012"`), which
 * Terraform then treats as known at plan time, as it would a data source read during the plan.
 *
 * One row per data-source type. A type or attribute without a row fails the plan naming it: add
 * one line here when a construct starts reading a new data source.
 */

/** The stack's provider region, for values that depend on it. */
export interface OfflineContext {
  readonly region: string;
}

type Value = string | number | boolean | readonly string[] | Readonly<Record<string, unknown>>;
type Attributes = (ctx: OfflineContext) => Readonly<Record<string, Value>>;

export const OFFLINE_ACCOUNT_ID = '123456789012';
const zones = (ctx: OfflineContext) => ['a', 'b', 'c'].map((z) => `${ctx.region}${z}`);

/** Values of the cross-stack outputs read through terraform_remote_state, by output name pattern. */
export const OFFLINE_REMOTE_OUTPUTS: ReadonlyArray<readonly [RegExp, Value]> = [
  [/aws_instance.*id$|instance_id$/, 'i-0123456789abcdef0'],
  [/aws_vpc.*id$|vpc_id$/, 'vpc-0123456789abcdef0'],
  [/subnet.*ids?$/, ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']],
  [/security_group.*id$/, 'sg-0123456789abcdef0'],
];

export const OFFLINE_DATA_SOURCES: Readonly<Record<string, Attributes>> = {
  aws_caller_identity: () => ({
    account_id: OFFLINE_ACCOUNT_ID,
    arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/offline-plan`,
    id: OFFLINE_ACCOUNT_ID,
    user_id: 'AIDAOFFLINEPLAN',
  }),
  aws_partition: () => ({ partition: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws', id: 'aws' }),
  aws_region: (ctx) => ({ region: ctx.region, name: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com` }),
  aws_availability_zones: (ctx) => ({ names: zones(ctx), zone_ids: ['use1-az1', 'use1-az2', 'use1-az4'], id: ctx.region }),
  aws_ec2_instance_type_offerings: (ctx) => ({ locations: zones(ctx), instance_types: ['t4g.micro', 't4g.micro', 't4g.micro'] }),
  aws_prefix_list: () => ({ id: 'pl-63a5400a', name: 'com.amazonaws.us-east-1.s3', cidr_blocks: ['3.5.0.0/19'] }),
  aws_ssm_parameter: () => ({ insecure_value: 'ami-0123456789abcdef0', value: 'ami-0123456789abcdef0', version: 1 }),
  aws_ami: () => ({ id: 'ami-0123456789abcdef0', image_id: 'ami-0123456789abcdef0', architecture: 'arm64' }),
  aws_iam_role: () => ({ arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/offline-plan-existing`, name: 'offline-plan-existing' }),
};

/** An error naming what has no offline value, and where to add it. */
export class MissingOfflineValue extends Error {
  constructor(what: string) {
    super(`${what} has no offline value; add it to OFFLINE_DATA_SOURCES in scripts/terraform/offline-data-sources.ts`);
    this.name = 'MissingOfflineValue';
  }
}

/** The fixed value of `data.<type>.<name>.<attribute>` (remote state: `outputs.<output>`). */
export function offlineValue(type: string, attribute: string, ctx: OfflineContext): Value {
  if (type === 'terraform_remote_state') {
    const output = /^outputs\.(.+)$/.exec(attribute)?.[1];
    const hit = output && OFFLINE_REMOTE_OUTPUTS.find(([pattern]) => pattern.test(output));
    if (!hit) throw new MissingOfflineValue(`terraform_remote_state attribute "${attribute}"`);
    return hit[1];
  }
  const attributes = OFFLINE_DATA_SOURCES[type];
  if (!attributes) throw new MissingOfflineValue(`data source type "${type}"`);
  const values = attributes(ctx);
  if (!(attribute in values)) throw new MissingOfflineValue(`attribute "${attribute}" of data source type "${type}"`);
  return values[attribute];
}

// A reference: data.TYPE.NAME.ATTR, and for remote state also the output name after `outputs.`.
const DATA_ADDRESS = /^data\.[a-z0-9_]+\.[A-Za-z0-9_-]+$/;
const REFERENCE = /\bdata\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(outputs\.[A-Za-z0-9_-]+|[a-z0-9_]+)/g;

/**
 * Replaces every data source of a synthesized stack (Terraform JSON) by its fixed values: the data
 * blocks go, references become HCL literals (JSON syntax is valid HCL for strings, lists, objects),
 * and `depends_on` entries naming a data source are dropped.
 */
export function overrideDataSources(doc: Record<string, unknown>, ctx: OfflineContext): Record<string, unknown> {
  const data = (doc.data ?? {}) as Record<string, Record<string, unknown>>;
  for (const type of Object.keys(data)) {
    if (type !== 'terraform_remote_state' && !OFFLINE_DATA_SOURCES[type]) throw new MissingOfflineValue(`data source type "${type}"`);
  }
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (_m, type: string, _name: string, attribute: string) =>
        JSON.stringify(offlineValue(type, attribute, ctx)),
      );
    }
    if (Array.isArray(value)) return value.filter((v) => !(typeof v === 'string' && DATA_ADDRESS.test(v))).map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '//' ? v : rewrite(v)]));
    }
    return value;
  };
  const { data: _dropped, ...rest } = doc;
  const out = rewrite(rest) as Record<string, unknown>;
  const { '//': _metadata, ...checked } = out;
  const leftover = JSON.stringify(checked).match(/\bdata\.[a-z0-9_]+\.[A-Za-z0-9_-]+/);
  if (leftover) throw new MissingOfflineValue(`the reference ${leftover[0]} (not to one attribute)`);
  return out;
}
