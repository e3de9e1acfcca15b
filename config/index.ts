/**
 * The typed configuration of order-infra: one `OrderInfraConfig` per environment,
 * built from defaults and the documented `ORDERS_*` environment variables.
 *
 * Every value has a default, so `cdktf synth` runs offline with no AWS credentials.
 * A variable `ORDERS_<NAME>` applies to every environment; `ORDERS_<ENV>_<NAME>`
 * (for example `ORDERS_PROD_REGION`) applies to one environment and wins.
 * All problems are collected and reported in one `ConfigError` before any stack is built.
 */
import { apiGatewayAccountConflicts, ownsApiGatewayAccountByDefault } from './api-gateway-account';
import { ISO_COUNTRY_CODES } from './iso-country-codes';
import {
  ACCOUNT_ID,
  AMI_ID,
  BUCKET,
  CIDR,
  EMAIL,
  KMS_KEY_ARN,
  NAME_PREFIX,
  REGION,
  ROLE_ARN,
  SNS_TOPIC_ARN,
  SUBNET_ID,
  VPC_ID,
  WAF_RULE_ACTION_OVERRIDE,
  validCidr,
} from './patterns';
import {
  CLOUDWATCH_RETENTION_DAYS,
  DEFAULT_STATE_BUCKET,
  ENVIRONMENT_NAMES,
  stateKeyAlias,
  type ApiConfig,
  type EnvironmentName,
  type NetworkConfig,
  type OrderInfraConfig,
  type RemoteStateConfig,
  type WafRuleActionOverride,
} from './types';
import { DEFAULT_PAYMENT_APPROVAL_LIMIT, HANDLER_NAMES, isHandlerName } from '../spec/functions';
import { ConfigError, type Env, VariableReader } from './variable-reader';

export * from './types';
export { ConfigError } from './variable-reader';

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
  for (const bucket of new Set(configs.map((c) => c.state.bucket))) {
    const sharing = configs.filter((c) => c.state.bucket === bucket);
    if (new Set(sharing.map((c) => c.state.kmsKeyId)).size > 1) {
      problems.push(
        `ORDERS_STATE_KMS_KEY_ID differs between environments sharing the state bucket ${bucket} ` +
          `(${sharing.map((c) => `${c.environment}: ${c.state.kmsKeyId}`).join(', ')}); one bucket is encrypted with one key`,
      );
    }
  }
  if (problems.length === 0) problems.push(...apiGatewayAccountConflicts((name) => loadConfig(name, env)));
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/** Loads and validates one environment's configuration; throws one `ConfigError` listing every problem. */
export function loadConfig(environment: string, env: Env = process.env): OrderInfraConfig {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(environment)) {
    throw new ConfigError([`environment "${environment}" is unknown; use one of ${ENVIRONMENT_NAMES.join(', ')}`]);
  }
  const envName = environment as EnvironmentName;
  const reader = new VariableReader(envName, env);
  const config: OrderInfraConfig = {
    ...readAccountConfig(reader, envName),
    ...readWorkloadConfig(reader, envName),
    state: readStateConfig(reader, env),
    network: readNetworkConfig(reader, envName),
    api: readApiConfig(reader, envName, env),
  };
  reader.throwIfProblems();
  return config;
}

type AccountConfig = Pick<OrderInfraConfig, 'environment' | 'region' | 'namePrefix' | 'allowedAccountIds' | 'deployRoleArn' | 'tags'>;

/** Where the environment lives and how it is named and tagged. */
function readAccountConfig(reader: VariableReader, envName: EnvironmentName): AccountConfig {
  const userTags = reader.tags('TAGS');
  // China and ISO partitions name service principals and endpoint services differently
  // (amazonaws.com.cn, c2s.ic.gov, ...); the stacks are written and checked for amazonaws.com only.
  const supported = (region: string) => awsPartitionOf(region) === 'aws' || awsPartitionOf(region) === 'aws-us-gov';
  return {
    environment: envName,
    region: reader.string(
      'REGION',
      'us-east-1',
      REGION,
      'an AWS region such as eu-west-1 of the aws or aws-us-gov partition (China and ISO regions are not supported: their service principals and endpoint names differ)',
      supported,
    ),
    namePrefix: reader.string(
      'NAME_PREFIX',
      `orders-${envName}`,
      NAME_PREFIX,
      '3-24 characters: lowercase letters, digits, hyphens; starting with a letter',
    ),
    allowedAccountIds: reader.list('ACCOUNT_ID', [], ACCOUNT_ID, 'a 12-digit AWS account id (comma-separate several)'),
    deployRoleArn: reader.optional('DEPLOY_ROLE_ARN', ROLE_ARN, 'an IAM role ARN such as arn:aws:iam::123456789012:role/deploy'),
    tags: { ...userTags, Project: 'order-infra', Environment: envName, ManagedBy: 'cdktf' },
  };
}

type WorkloadConfig = Omit<OrderInfraConfig, keyof AccountConfig | 'state' | 'network' | 'api'>;

/** Logging, WAF, alarms, keys, functions and the simulated payment processor. */
function readWorkloadConfig(reader: VariableReader, envName: EnvironmentName): WorkloadConfig {
  const isProd = envName === 'prod';
  return {
    logRetentionDays: reader.integer(
      'LOG_RETENTION_DAYS',
      isProd ? 365 : 14,
      (n) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n),
      `one of CloudWatch's retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
    ),
    geoBlockCountries: reader.list(
      'GEO_BLOCK_COUNTRIES',
      ['CU', 'IR', 'KP', 'SY'],
      /^[A-Z]{2}$/,
      'ISO 3166-1 alpha-2 codes such as CU,IR (empty for none)',
      (c) => ISO_COUNTRY_CODES.has(c),
    ),
    wafRateLimit: reader.integer(
      'WAF_RATE_LIMIT',
      2000,
      (n) => n >= 10 && n <= 2_000_000_000,
      'an integer from 10 to 2000000000 (requests per IP per 5 minutes)',
    ),
    wafRuleActionOverrides: reader
      .list(
        'WAF_RULE_ACTION_OVERRIDES',
        // Callers on AWS, GCP or Azure are this API's normal clients: counted, not blocked.
        ['AWSManagedRulesAnonymousIpList:HostingProviderIPList=count'],
        WAF_RULE_ACTION_OVERRIDE,
        'Group:Rule=action entries such as AWSManagedRulesAnonymousIpList:HostingProviderIPList=count (action: allow, block, count, captcha or challenge); empty for none',
      )
      .map(parseWafRuleActionOverride),
    alarmEmail: reader.optional('ALARM_EMAIL', EMAIL, 'an e-mail address'),
    existingKmsKeyArn: reader.optional('KMS_KEY_ARN', KMS_KEY_ARN, 'a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid>'),
    existingAlarmTopicArn: reader.optional(
      'ALARM_TOPIC_ARN',
      SNS_TOPIC_ARN,
      'an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms',
    ),
    lambdaReservedConcurrency: readReservedConcurrency(reader),
    lambdaInVpc: reader.boolean('LAMBDA_IN_VPC', false),
    // Execution data is the order itself (names, items): kept out of prod's logs unless asked for.
    workflowLogExecutionData: reader.boolean('WORKFLOW_LOG_EXECUTION_DATA', !isProd),
    paymentApprovalLimit: reader.integer(
      'PAYMENT_APPROVAL_LIMIT',
      DEFAULT_PAYMENT_APPROVAL_LIMIT,
      (n) => n > 0 && n <= 1_000_000_000,
      'a positive integer amount',
    ),
    forceDestroy: !isProd,
  };
}

/** Concurrent executions Lambda always leaves unreserved in an account and region. */
export const UNRESERVED_MINIMUM = 100;

const CONCURRENCY_SETTING = /^\s*(\d+|[a-z0-9-]+\s*=\s*\d+(\s*,\s*[a-z0-9-]+\s*=\s*\d+)*)\s*$/;

/**
 * `ORDERS_LAMBDA_RESERVED_CONCURRENCY`: `api=20,s3-storage=10` reserves per function; a single number
 * reserves it for every function. Unset (the default): every function uses the account's unreserved pool.
 */
function readReservedConcurrency(reader: VariableReader): Record<string, number> {
  const expected = `handler=count pairs such as api=20,s3-storage=10 (each handler once: ${HANDLER_NAMES.join(', ')}; counts 1-1000), or one count for every function`;
  const raw = reader.string('LAMBDA_RESERVED_CONCURRENCY', '', CONCURRENCY_SETTING, expected);
  const quota = reader.optionalInteger('LAMBDA_ACCOUNT_CONCURRENCY', undefined, (n) => n >= 1, 'a positive integer');
  if (raw === '') return {};
  const pairs: Array<[string, number]> = /^\d+$/.test(raw)
    ? HANDLER_NAMES.map((h) => [h, Number(raw)])
    : raw.split(',').map((pair) => {
        const [name, count] = pair.split('=').map((s) => s.trim());
        return [name, Number(count)];
      });
  const names = pairs.map(([name]) => name);
  if (new Set(names).size !== names.length || pairs.some(([name, count]) => !isHandlerName(name) || count < 1 || count > 1000)) {
    reader.problem('LAMBDA_RESERVED_CONCURRENCY', raw, expected);
    return {};
  }
  // Lambda keeps UNRESERVED_MINIMUM executions unreserved
  // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html); with the account's
  // quota known, a reservation the apply would reject is reported here instead.
  const total = pairs.reduce((sum, [, count]) => sum + count, 0);
  if (quota !== undefined && total > quota - UNRESERVED_MINIMUM) {
    reader.problem(
      'LAMBDA_RESERVED_CONCURRENCY',
      raw,
      `reservations totalling at most ${Math.max(quota - UNRESERVED_MINIMUM, 0)} (ORDERS_LAMBDA_ACCOUNT_CONCURRENCY ${quota} minus the ${UNRESERVED_MINIMUM} Lambda keeps unreserved; these total ${total}): reserve less, or raise the account quota first`,
    );
    return {};
  }
  return Object.fromEntries(pairs);
}

/** The remote state every environment's stacks use. */
function readStateConfig(reader: VariableReader, env: Env): RemoteStateConfig {
  // One state bucket serves every environment, so its region must not follow ORDERS_<ENV>_REGION:
  // by default it is the shared ORDERS_REGION (or us-east-1).
  const sharedRegion = env.ORDERS_REGION?.trim();
  const bucket = reader.string(
    'STATE_BUCKET',
    DEFAULT_STATE_BUCKET,
    BUCKET,
    'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
  );
  // Without kms_key_id Terraform asks S3 for AES256 on every write; name the state key instead.
  const existingKmsKeyArn = reader.optional(
    'STATE_KMS_KEY_ID',
    KMS_KEY_ARN,
    `a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid>, or unset for the bootstrap key alias/${stateKeyAlias(bucket)}`,
  );
  return {
    bucket,
    kmsKeyId: existingKmsKeyArn ?? `alias/${stateKeyAlias(bucket)}`,
    existingKmsKeyArn,
    region: reader.string(
      'STATE_REGION',
      sharedRegion && REGION.test(sharedRegion) ? sharedRegion : 'us-east-1',
      REGION,
      'an AWS region such as eu-west-1',
    ),
    keyPrefix: reader.string(
      'STATE_KEY_PREFIX',
      'order-infra',
      /^[\w.-]+(\/[\w.-]+)*$/,
      'a key prefix such as order-infra or teams/orders',
    ),
  };
}

/** The VPC (created or existing) and the operations host. */
function readNetworkConfig(reader: VariableReader, envName: EnvironmentName): NetworkConfig {
  const isProd = envName === 'prod';
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
  return {
    vpcCidr: reader.string(
      'VPC_CIDR',
      isProd ? '10.30.0.0/16' : '10.20.0.0/16',
      CIDR,
      'an IPv4 CIDR from /16 to /24 such as 10.20.0.0/16',
      validCidr,
    ),
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
  };
}

/** Throttling, quota, logging and account-setting ownership of the REST API. */
function readApiConfig(reader: VariableReader, envName: EnvironmentName, env: Env): ApiConfig {
  const isProd = envName === 'prod';
  return {
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
    manageAccountRole: reader.boolean('MANAGE_API_GATEWAY_ACCOUNT', ownsApiGatewayAccountByDefault(envName, env)),
  };
}

function parseWafRuleActionOverride(entry: string): WafRuleActionOverride {
  const [, group, rule, action] = WAF_RULE_ACTION_OVERRIDE.exec(entry)!;
  return { group, rule, action: action as WafRuleActionOverride['action'] };
}
