/**
 * The typed configuration of order-infra: one `OrderInfraConfig` per environment,
 * built from defaults and the documented `ORDERS_*` environment variables.
 *
 * Every value has a default, so `cdktf synth` runs offline with no AWS credentials.
 * A variable `ORDERS_<NAME>` applies to every environment; `ORDERS_<ENV>_<NAME>`
 * (for example `ORDERS_PROD_REGION`) applies to one environment and wins.
 * All problems are collected and reported in one `ConfigError` before any stack is built.
 */
import { ISO_COUNTRY_CODES } from './iso-country-codes';

export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** How instances in private subnets reach AWS Systems Manager. */
export type SsmAccess = 'endpoints' | 'nat' | 'none';

/** CloudWatch Logs accepts only these retention periods (days). */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface RemoteStateConfig {
  /** S3 bucket holding Terraform state (created by the `orders-bootstrap` stack). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /** Key prefix; keys are `<prefix>/<env>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

export interface NetworkConfig {
  /** CIDR of the VPC this project creates (ignored with an existing VPC). */
  readonly vpcCidr: string;
  /** An existing VPC to use instead of creating one. */
  readonly existingVpcId?: string;
  /** Private subnets of the existing VPC (at least two); required with `existingVpcId`. */
  readonly existingPrivateSubnetIds?: readonly string[];
  /** How private subnets reach SSM: interface endpoints, a NAT gateway, or not at all. */
  readonly ssmAccess: SsmAccess;
  /** Instance type of the operations host (an arm64/Graviton type). */
  readonly opsHostInstanceType: string;
  /** Pin the operations host to this AMI; by default the latest Amazon Linux 2023 at first apply, later AMI changes ignored. */
  readonly opsHostAmiId?: string;
}

export interface ApiConfig {
  /** Steady-state request rate (requests per second) of the stage and usage plan. */
  readonly throttleRateLimit: number;
  /** Burst capacity of the stage and usage plan. */
  readonly throttleBurstLimit: number;
  /** Requests per day allowed per API key. */
  readonly quotaPerDay: number;
  /** Execution logging level of the stage. */
  readonly loggingLevel: 'INFO' | 'ERROR';
  /** Create `aws_api_gateway_account` and its CloudWatch role (a per-region singleton). */
  readonly manageAccountRole: boolean;
}

export interface OrderInfraConfig {
  readonly environment: EnvironmentName;
  /** AWS region of the environment. */
  readonly region: string;
  /** Prefix of every resource name, `orders-<env>` by default. */
  readonly namePrefix: string;
  /** `allowed_account_ids` guard of the AWS provider; empty means no guard. */
  readonly allowedAccountIds: readonly string[];
  /** Role the AWS provider assumes to deploy (`assume_role`). */
  readonly deployRoleArn?: string;
  /** Provider `default_tags`: Project, Environment, ManagedBy and the user's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Retention of every log group, in days. */
  readonly logRetentionDays: number;
  /** ISO 3166-1 alpha-2 codes blocked by the WAF; empty omits the rule. */
  readonly geoBlockCountries: readonly string[];
  /** WAF rate limit: requests per IP per 5-minute window. */
  readonly wafRateLimit: number;
  /** E-mail subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Use this KMS key (ARN) instead of creating one. */
  readonly existingKmsKeyArn?: string;
  /** Send alarms to this SNS topic (ARN) instead of creating one. */
  readonly existingAlarmTopicArn?: string;
  /** Reserved concurrency per Lambda function; undefined means unreserved. */
  readonly lambdaReservedConcurrency?: number;
  /** Orders above this amount are declined by the simulated payment processor. */
  readonly paymentApprovalLimit: number;
  /** Destroy non-empty buckets on `terraform destroy` (dev only). */
  readonly forceDestroy: boolean;
  readonly state: RemoteStateConfig;
  readonly network: NetworkConfig;
  readonly api: ApiConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid order-infra configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TAG_KEY = /^[\w .:/=+@-]{1,128}$/;

/** The AWS partition a region belongs to, e.g. `aws-us-gov` for `us-gov-west-1`. */
export function awsPartitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Environments to synthesize: `ORDERS_ENVIRONMENTS` (comma-separated), default `dev,prod`. */
export function selectedEnvironments(env: Env = process.env): EnvironmentName[] {
  const raw = env.ORDERS_ENVIRONMENTS?.trim() || ENVIRONMENT_NAMES.join(',');
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ENVIRONMENT_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ConfigError([
      `ORDERS_ENVIRONMENTS: unknown environment ${unknown.map((u) => `"${u}"`).join(', ')}; use one or more of ${ENVIRONMENT_NAMES.join(', ')}`,
    ]);
  }
  return [...new Set(names)] as EnvironmentName[];
}

/** Loads and validates the configuration of every selected environment. */
export function loadAllConfigs(env: Env = process.env): OrderInfraConfig[] {
  const problems: string[] = [];
  const configs: OrderInfraConfig[] = [];
  for (const name of selectedEnvironments(env)) {
    try {
      configs.push(loadConfig(name, env));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  // The bootstrap stack creates every state bucket with one provider, hence in one region.
  const stateRegions = [...new Set(configs.map((c) => c.state.region))];
  if (stateRegions.length > 1) {
    problems.push(
      `ORDERS_STATE_REGION differs between environments (${configs.map((c) => `${c.environment}: ${c.state.region}`).join(', ')}); ` +
        'set ORDERS_STATE_REGION once, without an environment prefix',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/** Loads and validates one environment's configuration; throws one `ConfigError` listing every problem. */
export function loadConfig(environment: string, env: Env = process.env): OrderInfraConfig {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(environment)) {
    throw new ConfigError([`environment "${environment}" is unknown; use one of ${ENVIRONMENT_NAMES.join(', ')}`]);
  }
  const envName = environment as EnvironmentName;
  const isProd = envName === 'prod';
  const reader = new VariableReader(envName, env);

  const region = reader.string('REGION', 'us-east-1', REGION, 'an AWS region such as eu-west-1');
  const namePrefix = reader.string(
    'NAME_PREFIX',
    `orders-${envName}`,
    NAME_PREFIX,
    '3-24 characters: lowercase letters, digits, hyphens; starting with a letter',
  );
  const allowedAccountIds = reader.list('ACCOUNT_ID', [], ACCOUNT_ID, 'a 12-digit AWS account id (comma-separate several)');
  const userTags = reader.tags('TAGS');
  const logRetentionDays = reader.integer(
    'LOG_RETENTION_DAYS',
    isProd ? 365 : 14,
    (n) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n),
    `one of CloudWatch's retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
  );
  const geoBlockCountries = reader.list(
    'GEO_BLOCK_COUNTRIES',
    ['CU', 'IR', 'KP', 'SY'],
    /^[A-Z]{2}$/,
    'ISO 3166-1 alpha-2 codes such as CU,IR (empty for none)',
    (c) => ISO_COUNTRY_CODES.has(c),
  );
  const wafRateLimit = reader.integer(
    'WAF_RATE_LIMIT',
    2000,
    (n) => n >= 10 && n <= 2_000_000_000,
    'an integer from 10 to 2000000000 (requests per IP per 5 minutes)',
  );
  // One state bucket serves every environment, so its region must not follow ORDERS_<ENV>_REGION:
  // by default it is the shared ORDERS_REGION (or us-east-1).
  const sharedRegion = env.ORDERS_REGION?.trim();
  const stateRegion = reader.string(
    'STATE_REGION',
    sharedRegion && REGION.test(sharedRegion) ? sharedRegion : 'us-east-1',
    REGION,
    'an AWS region such as eu-west-1',
  );
  const vpcCidr = reader.string(
    'VPC_CIDR',
    isProd ? '10.30.0.0/16' : '10.20.0.0/16',
    CIDR,
    'an IPv4 CIDR from /16 to /24 such as 10.20.0.0/16',
    validCidr,
  );
  const existingVpcId = reader.optional('EXISTING_VPC_ID', VPC_ID, 'a VPC id such as vpc-0123456789abcdef0');
  const existingPrivateSubnetIds = reader.list(
    'EXISTING_PRIVATE_SUBNET_IDS',
    [],
    SUBNET_ID,
    'comma-separated subnet ids such as subnet-0123456789abcdef0',
  );
  if (existingVpcId && existingPrivateSubnetIds.length < 2) {
    reader.problem(
      'EXISTING_PRIVATE_SUBNET_IDS',
      existingPrivateSubnetIds.join(','),
      'at least two private subnet ids of the existing VPC (one per availability zone)',
    );
  }
  if (!existingVpcId && existingPrivateSubnetIds.length > 0) {
    reader.problem('EXISTING_VPC_ID', '', 'the id of the VPC that EXISTING_PRIVATE_SUBNET_IDS belong to');
  }

  const config: OrderInfraConfig = {
    environment: envName,
    region,
    namePrefix,
    allowedAccountIds,
    deployRoleArn: reader.optional('DEPLOY_ROLE_ARN', ROLE_ARN, 'an IAM role ARN such as arn:aws:iam::123456789012:role/deploy'),
    tags: { ...userTags, Project: 'order-infra', Environment: envName, ManagedBy: 'cdktf' },
    logRetentionDays,
    geoBlockCountries,
    wafRateLimit,
    alarmEmail: reader.optional('ALARM_EMAIL', EMAIL, 'an e-mail address'),
    existingKmsKeyArn: reader.optional('KMS_KEY_ARN', KMS_KEY_ARN, 'a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid>'),
    existingAlarmTopicArn: reader.optional(
      'ALARM_TOPIC_ARN',
      SNS_TOPIC_ARN,
      'an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms',
    ),
    lambdaReservedConcurrency: reader.optionalInteger(
      'LAMBDA_RESERVED_CONCURRENCY',
      isProd ? 50 : undefined,
      (n) => n >= 1 && n <= 1000,
      'an integer from 1 to 1000',
    ),
    paymentApprovalLimit: reader.integer('PAYMENT_APPROVAL_LIMIT', 10_000, (n) => n > 0 && n <= 1_000_000_000, 'a positive integer amount'),
    forceDestroy: !isProd,
    state: {
      bucket: reader.string(
        'STATE_BUCKET',
        'order-infra-terraform-state',
        BUCKET,
        'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
      ),
      region: stateRegion,
      keyPrefix: reader.string(
        'STATE_KEY_PREFIX',
        'order-infra',
        /^[\w.-]+(\/[\w.-]+)*$/,
        'a key prefix such as order-infra or teams/orders',
      ),
    },
    network: {
      vpcCidr,
      existingVpcId,
      existingPrivateSubnetIds: existingVpcId ? existingPrivateSubnetIds : undefined,
      ssmAccess: reader.oneOf('SSM_ACCESS', 'endpoints', ['endpoints', 'nat', 'none'] as const),
      opsHostInstanceType: reader.string(
        'OPS_HOST_INSTANCE_TYPE',
        't4g.micro',
        /^[a-z][a-z0-9-]*g[a-z]*\.[a-z0-9]+$/,
        'a Graviton (arm64) instance type such as t4g.micro',
      ),
      opsHostAmiId: reader.optional('OPS_HOST_AMI_ID', AMI_ID, 'an AMI id such as ami-0123456789abcdef0'),
    },
    api: {
      throttleRateLimit: reader.integer(
        'API_THROTTLE_RATE_LIMIT',
        isProd ? 100 : 20,
        (n) => n >= 1 && n <= 10_000,
        'an integer from 1 to 10000 (requests per second)',
      ),
      throttleBurstLimit: reader.integer(
        'API_THROTTLE_BURST_LIMIT',
        isProd ? 200 : 40,
        (n) => n >= 1 && n <= 5_000,
        'an integer from 1 to 5000',
      ),
      quotaPerDay: reader.integer('API_QUOTA_PER_DAY', isProd ? 100_000 : 10_000, (n) => n >= 1, 'a positive integer'),
      loggingLevel: reader.oneOf('API_LOGGING_LEVEL', isProd ? 'ERROR' : 'INFO', ['INFO', 'ERROR'] as const),
      manageAccountRole: reader.boolean('MANAGE_API_GATEWAY_ACCOUNT', true),
    },
  };
  reader.throwIfProblems();
  return config;
}

function validCidr(value: string): boolean {
  const m = CIDR.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  return octets.every((o) => o <= 255) && bits >= 16 && bits <= 24;
}

/** Reads `ORDERS_<ENV>_<NAME>` or `ORDERS_<NAME>`, collecting every problem. */
class VariableReader {
  private readonly problems: string[] = [];
  constructor(
    private readonly environment: EnvironmentName,
    private readonly env: Env,
  ) {}

  private lookup(name: string): { variable: string; value: string | undefined } {
    const specific = `ORDERS_${this.environment.toUpperCase()}_${name}`;
    if (this.env[specific] !== undefined) return { variable: specific, value: this.env[specific]!.trim() };
    const general = `ORDERS_${name}`;
    return { variable: general, value: this.env[general]?.trim() };
  }

  problem(name: string, value: string, expected: string): void {
    const { variable } = this.lookup(name);
    this.problems.push(`${variable} (${this.environment}) is ${JSON.stringify(value)}; expected ${expected}`);
  }

  string(name: string, fallback: string, pattern: RegExp, expected: string, check: (v: string) => boolean = () => true): string {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (!pattern.test(value) || !check(value)) {
      this.problem(name, value, expected);
      return fallback;
    }
    return value;
  }

  optional(name: string, pattern: RegExp, expected: string): string | undefined {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return undefined;
    if (!pattern.test(value)) {
      this.problem(name, value, expected);
      return undefined;
    }
    return value;
  }

  integer(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
    return this.optionalInteger(name, fallback, check, expected) ?? fallback;
  }

  optionalInteger(name: string, fallback: number | undefined, check: (n: number) => boolean, expected: string): number | undefined {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || !check(n)) {
      this.problem(name, value, expected);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.problem(name, value, 'true or false');
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, value, `one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  /** A comma-separated list; an empty (but set) variable means an empty list. */
  list(name: string, fallback: readonly string[], pattern: RegExp, expected: string, check: (v: string) => boolean = () => true): string[] {
    const { value } = this.lookup(name);
    if (value === undefined) return [...fallback];
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !pattern.test(i) || !check(i));
    if (bad.length > 0) {
      this.problem(name, value, `${expected} (not valid: ${bad.join(', ')})`);
      return [...fallback];
    }
    return [...new Set(items)];
  }

  /** `key=value,key=value` */
  tags(name: string): Record<string, string> {
    const { value } = this.lookup(name);
    const tags: Record<string, string> = {};
    if (!value) return tags;
    for (const pair of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      const key = eq > 0 ? pair.slice(0, eq).trim() : '';
      const tagValue = eq > 0 ? pair.slice(eq + 1).trim() : '';
      if (
        !TAG_KEY.test(key) ||
        key.toLowerCase().startsWith('aws:') ||
        tagValue.length > 256 ||
        ['Project', 'Environment', 'ManagedBy'].includes(key)
      ) {
        this.problem(
          name,
          value,
          'key=value pairs separated by commas (keys up to 128 characters, not starting with aws:, not Project/Environment/ManagedBy)',
        );
        return {};
      }
      tags[key] = tagValue;
    }
    return tags;
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
