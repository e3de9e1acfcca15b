/** The shapes of order-infra's typed configuration: one `OrderInfraConfig` per environment. */
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
  /**
   * Create `aws_api_gateway_account` and its CloudWatch role. The setting exists once per account and
   * region, so exactly one environment may own it (checked across environments by `loadAllConfigs`).
   */
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
  /** Actions that replace a managed rule's own (`Group:Rule=count`): e.g. hosting-provider IPs only counted. */
  readonly wafRuleActionOverrides: readonly WafRuleActionOverride[];
  /** E-mail subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Use this KMS key (ARN) instead of creating one. */
  readonly existingKmsKeyArn?: string;
  /** Send alarms to this SNS topic (ARN) instead of creating one. */
  readonly existingAlarmTopicArn?: string;
  /** Reserved concurrency by handler name (`api`, `s3-storage`, ...); a function not listed is unreserved. */
  readonly lambdaReservedConcurrency: Readonly<Record<string, number>>;
  /** Attach the functions to the network stack's private subnets (with Step Functions and X-Ray endpoints). */
  readonly lambdaInVpc: boolean;
  /** Log the workflow's execution data (order input and output) with its `ALL`-level events. */
  readonly workflowLogExecutionData: boolean;
  /** Orders above this amount are declined by the simulated payment processor. */
  readonly paymentApprovalLimit: number;
  /** Destroy non-empty buckets on `terraform destroy` (dev only). */
  readonly forceDestroy: boolean;
  readonly state: RemoteStateConfig;
  readonly network: NetworkConfig;
  readonly api: ApiConfig;
}

/** One managed rule's action replaced (a `rule_action_override` of its group). */
export interface WafRuleActionOverride {
  /** Managed rule group, e.g. `AWSManagedRulesAnonymousIpList`. */
  readonly group: string;
  /** Rule in that group, e.g. `HostingProviderIPList`. */
  readonly rule: string;
  readonly action: 'allow' | 'block' | 'count' | 'captcha' | 'challenge';
}
