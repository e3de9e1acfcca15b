import { awsPartitionOf, CLOUDWATCH_RETENTION_DAYS, ConfigError, loadAllConfigs, loadConfig, selectedEnvironments } from '../../config';

/** Runs `act` and returns the ConfigError it throws (fails the test if it throws nothing else). */
function configError(act: () => unknown): ConfigError {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('config defaults', () => {
  it.each([
    ['dev', 14, 'orders-dev', '10.20.0.0/16', true, true, 'INFO', 20, 40, 10_000, false],
    ['prod', 365, 'orders-prod', '10.30.0.0/16', false, false, 'ERROR', 100, 200, 100_000, true],
  ] as const)(
    'GIVEN no variables WHEN loading %s THEN its defaults apply',
    (env, retention, prefix, cidr, executionData, forceDestroy, logging, rate, burst, quota, ownsAccountSetting) => {
      // WHEN
      const config = loadConfig(env, {});
      // THEN
      expect(config).toMatchObject({
        environment: env,
        region: 'us-east-1',
        namePrefix: prefix,
        allowedAccountIds: [],
        logRetentionDays: retention,
        geoBlockCountries: ['CU', 'IR', 'KP', 'SY'],
        wafRateLimit: 2000,
        wafRuleActionOverrides: [{ group: 'AWSManagedRulesAnonymousIpList', rule: 'HostingProviderIPList', action: 'count' }],
        forceDestroy,
        lambdaReservedConcurrency: {},
        lambdaInVpc: false,
        workflowLogExecutionData: executionData,
        paymentApprovalLimit: 10_000,
        tags: { Project: 'order-infra', Environment: env, ManagedBy: 'cdktf' },
        state: { bucket: 'order-infra-terraform-state', region: 'us-east-1', keyPrefix: 'order-infra' },
        network: { vpcCidr: cidr, ssmAccess: 'endpoints', opsHostInstanceType: 't4g.micro' },
        api: {
          loggingLevel: logging,
          throttleRateLimit: rate,
          throttleBurstLimit: burst,
          quotaPerDay: quota,
          manageAccountRole: ownsAccountSetting,
        },
      });
      expect(config.deployRoleArn).toBeUndefined();
      expect(config.alarmEmail).toBeUndefined();
      expect(config.existingKmsKeyArn).toBeUndefined();
      expect(config.network.existingVpcId).toBeUndefined();
      expect(config.network.opsHostAmiId).toBeUndefined();
    },
  );

  it('GIVEN no ORDERS_ENVIRONMENTS WHEN loading all THEN dev and prod are built, in that order', () => {
    expect(loadAllConfigs({}).map((c) => c.environment)).toEqual(['dev', 'prod']);
  });
});

describe('config overrides', () => {
  const arn = 'arn:aws:iam::123456789012:role/deploy';
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:alarms';
  it.each<[string, string, (c: ReturnType<typeof loadConfig>) => unknown, unknown]>([
    ['ORDERS_REGION', 'eu-west-1', (c) => [c.region, c.state.region], ['eu-west-1', 'eu-west-1']],
    ['ORDERS_NAME_PREFIX', 'shop-dev', (c) => c.namePrefix, 'shop-dev'],
    ['ORDERS_ACCOUNT_ID', '123456789012, 210987654321', (c) => c.allowedAccountIds, ['123456789012', '210987654321']],
    ['ORDERS_DEPLOY_ROLE_ARN', arn, (c) => c.deployRoleArn, arn],
    [
      'ORDERS_TAGS',
      'CostCenter=42, Owner=team-a',
      (c) => c.tags,
      { CostCenter: '42', Owner: 'team-a', Project: 'order-infra', Environment: 'dev', ManagedBy: 'cdktf' },
    ],
    ['ORDERS_LOG_RETENTION_DAYS', '30', (c) => c.logRetentionDays, 30],
    ['ORDERS_GEO_BLOCK_COUNTRIES', 'RU,BY', (c) => c.geoBlockCountries, ['RU', 'BY']],
    ['ORDERS_GEO_BLOCK_COUNTRIES', '', (c) => c.geoBlockCountries, []],
    ['ORDERS_WAF_RATE_LIMIT', '500', (c) => c.wafRateLimit, 500],
    [
      'ORDERS_WAF_RULE_ACTION_OVERRIDES',
      'AWSManagedRulesCommonRuleSet:NoUserAgent_HEADER=count, AWSManagedRulesAnonymousIpList:HostingProviderIPList=block',
      (c) => c.wafRuleActionOverrides,
      [
        { group: 'AWSManagedRulesCommonRuleSet', rule: 'NoUserAgent_HEADER', action: 'count' },
        { group: 'AWSManagedRulesAnonymousIpList', rule: 'HostingProviderIPList', action: 'block' },
      ],
    ],
    ['ORDERS_WAF_RULE_ACTION_OVERRIDES', '', (c) => c.wafRuleActionOverrides, []],
    ['ORDERS_ALARM_EMAIL', 'ops@example.com', (c) => c.alarmEmail, 'ops@example.com'],
    ['ORDERS_KMS_KEY_ARN', keyArn, (c) => c.existingKmsKeyArn, keyArn],
    ['ORDERS_ALARM_TOPIC_ARN', topicArn, (c) => c.existingAlarmTopicArn, topicArn],
    [
      'ORDERS_LAMBDA_RESERVED_CONCURRENCY',
      '5',
      (c) => c.lambdaReservedConcurrency,
      { api: 5, 'order-processor': 5, 'inventory-check': 5, 'payment-process': 5, 'merge-results': 5, 's3-storage': 5 },
    ],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', ' api = 20 ,s3-storage=10', (c) => c.lambdaReservedConcurrency, { api: 20, 's3-storage': 10 }],
    ['ORDERS_LAMBDA_IN_VPC', 'true', (c) => c.lambdaInVpc, true],
    ['ORDERS_WORKFLOW_LOG_EXECUTION_DATA', 'false', (c) => c.workflowLogExecutionData, false],
    ['ORDERS_REGION', 'us-gov-west-1', (c) => c.region, 'us-gov-west-1'],
    ['ORDERS_PAYMENT_APPROVAL_LIMIT', '250', (c) => c.paymentApprovalLimit, 250],
    ['ORDERS_STATE_BUCKET', 'acme-tf-state', (c) => c.state.bucket, 'acme-tf-state'],
    ['ORDERS_STATE_REGION', 'eu-central-1', (c) => [c.region, c.state.region], ['us-east-1', 'eu-central-1']],
    ['ORDERS_STATE_KEY_PREFIX', 'teams/orders', (c) => c.state.keyPrefix, 'teams/orders'],
    ['ORDERS_VPC_CIDR', '10.99.0.0/20', (c) => c.network.vpcCidr, '10.99.0.0/20'],
    ['ORDERS_SSM_ACCESS', 'nat', (c) => c.network.ssmAccess, 'nat'],
    ['ORDERS_SSM_ACCESS', 'none', (c) => c.network.ssmAccess, 'none'],
    ['ORDERS_OPS_HOST_INSTANCE_TYPE', 'm7g.large', (c) => c.network.opsHostInstanceType, 'm7g.large'],
    ['ORDERS_OPS_HOST_AMI_ID', 'ami-0123456789abcdef0', (c) => c.network.opsHostAmiId, 'ami-0123456789abcdef0'],
    ['ORDERS_API_THROTTLE_RATE_LIMIT', '7', (c) => c.api.throttleRateLimit, 7],
    ['ORDERS_API_THROTTLE_BURST_LIMIT', '9', (c) => c.api.throttleBurstLimit, 9],
    ['ORDERS_API_QUOTA_PER_DAY', '123', (c) => c.api.quotaPerDay, 123],
    ['ORDERS_API_LOGGING_LEVEL', 'ERROR', (c) => c.api.loggingLevel, 'ERROR'],
    ['ORDERS_MANAGE_API_GATEWAY_ACCOUNT', 'true', (c) => c.api.manageAccountRole, true],
  ])('GIVEN %s=%j WHEN loading dev THEN the setting changes', (variable, value, read, expected) => {
    expect(read(loadConfig('dev', { [variable]: value }))).toEqual(expected);
  });

  it('GIVEN an existing VPC and two subnets WHEN loading THEN both are used', () => {
    const config = loadConfig('dev', {
      ORDERS_EXISTING_VPC_ID: 'vpc-0123456789abcdef0',
      ORDERS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
    });
    expect(config.network.existingVpcId).toBe('vpc-0123456789abcdef0');
    expect(config.network.existingPrivateSubnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
  });

  it('GIVEN ORDERS_PROD_X and ORDERS_X WHEN loading both envs THEN the specific one wins for prod only', () => {
    const [dev, prod] = loadAllConfigs({
      ORDERS_REGION: 'eu-west-1',
      ORDERS_PROD_REGION: 'eu-central-1',
      ORDERS_PROD_LOG_RETENTION_DAYS: '731',
    });
    expect([dev.region, prod.region]).toEqual(['eu-west-1', 'eu-central-1']);
    expect([dev.logRetentionDays, prod.logRetentionDays]).toEqual([14, 731]);
  });

  it('GIVEN a deploy role and an account per environment WHEN loading all THEN each environment assumes its own role in its own account', () => {
    const [dev, prod] = loadAllConfigs({
      ORDERS_DEV_DEPLOY_ROLE_ARN: 'arn:aws:iam::111111111111:role/deploy-dev',
      ORDERS_DEV_ACCOUNT_ID: '111111111111',
      ORDERS_PROD_DEPLOY_ROLE_ARN: 'arn:aws:iam::222222222222:role/deploy-prod',
      ORDERS_PROD_ACCOUNT_ID: '222222222222',
    });
    expect([dev.deployRoleArn, dev.allowedAccountIds]).toEqual(['arn:aws:iam::111111111111:role/deploy-dev', ['111111111111']]);
    expect([prod.deployRoleArn, prod.allowedAccountIds]).toEqual(['arn:aws:iam::222222222222:role/deploy-prod', ['222222222222']]);
  });

  it('GIVEN only ORDERS_PROD_REGION WHEN loading all THEN prod runs there but state stays in the shared region', () => {
    const [dev, prod] = loadAllConfigs({ ORDERS_PROD_REGION: 'eu-central-1' });
    expect([dev.region, prod.region]).toEqual(['us-east-1', 'eu-central-1']);
    expect([dev.state.region, prod.state.region]).toEqual(['us-east-1', 'us-east-1']);
  });

  it('GIVEN ORDERS_ENVIRONMENTS=prod WHEN loading all THEN only prod is built', () => {
    expect(loadAllConfigs({ ORDERS_ENVIRONMENTS: 'prod' }).map((c) => c.environment)).toEqual(['prod']);
    expect(selectedEnvironments({ ORDERS_ENVIRONMENTS: 'dev, prod, dev' })).toEqual(['dev', 'prod']);
  });

  it('accepts every CloudWatch retention period', () => {
    for (const days of CLOUDWATCH_RETENTION_DAYS)
      expect(loadConfig('prod', { ORDERS_LOG_RETENTION_DAYS: String(days) }).logRetentionDays).toBe(days);
  });
});

describe('config errors name the variable', () => {
  it.each([
    ['ORDERS_REGION', 'Europe', 'an AWS region'],
    ['ORDERS_NAME_PREFIX', 'Orders_Dev', '3-24 characters'],
    ['ORDERS_ACCOUNT_ID', '12345', 'a 12-digit AWS account id'],
    ['ORDERS_ACCOUNT_ID', '123456789012,abc', 'not valid: abc'],
    ['ORDERS_DEPLOY_ROLE_ARN', 'deploy-role', 'an IAM role ARN'],
    ['ORDERS_TAGS', 'novalue', 'key=value pairs'],
    ['ORDERS_TAGS', 'Project=mine', 'not Project/Environment/ManagedBy'],
    ['ORDERS_TAGS', 'aws:x=1', 'not starting with aws:'],
    ['ORDERS_LOG_RETENTION_DAYS', '10', "one of CloudWatch's retention periods"],
    ['ORDERS_LOG_RETENTION_DAYS', 'forever', "one of CloudWatch's retention periods"],
    ['ORDERS_GEO_BLOCK_COUNTRIES', 'CU,XX', 'not valid: XX'],
    ['ORDERS_GEO_BLOCK_COUNTRIES', 'cuba', 'ISO 3166-1 alpha-2'],
    ['ORDERS_WAF_RATE_LIMIT', '5', 'an integer from 10'],
    ['ORDERS_WAF_RULE_ACTION_OVERRIDES', 'HostingProviderIPList=count', 'not valid: HostingProviderIPList=count'],
    ['ORDERS_WAF_RULE_ACTION_OVERRIDES', 'AWSManagedRulesAnonymousIpList:HostingProviderIPList=off', 'Group:Rule=action entries'],
    ['ORDERS_WAF_RATE_LIMIT', '1.5', 'an integer from 10'],
    ['ORDERS_ALARM_EMAIL', 'not-an-email', 'an e-mail address'],
    ['ORDERS_KMS_KEY_ARN', 'alias/mine', 'a KMS key ARN'],
    ['ORDERS_ALARM_TOPIC_ARN', 'alarms', 'an SNS topic ARN'],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', '0', 'handler=count pairs such as api=20,s3-storage=10'],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', 'api=1001', 'counts 1-1000'],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', 'checkout=5', 'each handler once: api, order-processor'],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', 'api=5,api=6', 'each handler once'],
    ['ORDERS_LAMBDA_RESERVED_CONCURRENCY', 'api:5', 'handler=count pairs'],
    ['ORDERS_LAMBDA_IN_VPC', 'on', 'true or false'],
    ['ORDERS_LAMBDA_ACCOUNT_CONCURRENCY', '0', 'a positive integer'],
    ['ORDERS_WORKFLOW_LOG_EXECUTION_DATA', '1', 'true or false'],
    ['ORDERS_REGION', 'cn-north-1', 'China and ISO regions are not supported'],
    ['ORDERS_REGION', 'us-iso-east-1', 'China and ISO regions are not supported'],
    ['ORDERS_PAYMENT_APPROVAL_LIMIT', '-3', 'a positive integer amount'],
    ['ORDERS_STATE_BUCKET', 'Bad_Bucket', 'an S3 bucket name'],
    ['ORDERS_STATE_REGION', 'mars-1', 'an AWS region'],
    ['ORDERS_STATE_KEY_PREFIX', '/abs//path', 'a key prefix'],
    ['ORDERS_VPC_CIDR', '10.0.0.0/8', 'from /16 to /24'],
    ['ORDERS_VPC_CIDR', '300.0.0.0/16', 'from /16 to /24'],
    ['ORDERS_EXISTING_VPC_ID', 'my-vpc', 'a VPC id'],
    ['ORDERS_SSM_ACCESS', 'vpn', 'one of endpoints, nat, none'],
    ['ORDERS_OPS_HOST_INSTANCE_TYPE', 't3.micro', 'a Graviton (arm64) instance type'],
    ['ORDERS_OPS_HOST_AMI_ID', 'ami-xyz', 'an AMI id'],
    ['ORDERS_API_THROTTLE_RATE_LIMIT', '0', 'an integer from 1 to 10000'],
    ['ORDERS_API_THROTTLE_BURST_LIMIT', '5001', 'an integer from 1 to 5000'],
    ['ORDERS_API_QUOTA_PER_DAY', '0', 'a positive integer'],
    ['ORDERS_API_LOGGING_LEVEL', 'DEBUG', 'one of INFO, ERROR'],
    ['ORDERS_MANAGE_API_GATEWAY_ACCOUNT', 'yes', 'true or false'],
  ])('GIVEN %s=%j WHEN loading THEN one ConfigError names it and the expectation', (variable, value, expected) => {
    // WHEN
    const error = configError(() => loadConfig('dev', { [variable]: value }));
    // THEN
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`${variable} (dev) is ${JSON.stringify(value)}`);
    expect(error.problems[0]).toContain(expected);
    expect(error.message).toContain(variable);
  });

  it('GIVEN an unknown environment WHEN loading THEN the error lists the valid ones', () => {
    expect(configError(() => loadConfig('staging', {})).message).toMatch(/environment "staging" is unknown; use one of dev, prod/);
    expect(configError(() => loadAllConfigs({ ORDERS_ENVIRONMENTS: 'dev,qa' })).message).toMatch(
      /ORDERS_ENVIRONMENTS: unknown environment "qa"/,
    );
  });

  it('GIVEN an existing VPC with one subnet WHEN loading THEN it asks for two', () => {
    const error = configError(() =>
      loadConfig('dev', {
        ORDERS_EXISTING_VPC_ID: 'vpc-0123456789abcdef0',
        ORDERS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-0123456789abcdef0',
      }),
    );
    expect(error.problems).toEqual([expect.stringContaining('ORDERS_EXISTING_PRIVATE_SUBNET_IDS (dev)')]);
    expect(error.problems[0]).toContain('at least two private subnet ids');
  });

  it('GIVEN subnets without a VPC WHEN loading THEN it asks for the VPC id', () => {
    const error = configError(() =>
      loadConfig('dev', { ORDERS_EXISTING_PRIVATE_SUBNET_IDS: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1' }),
    );
    expect(error.problems).toEqual([expect.stringContaining('ORDERS_EXISTING_VPC_ID (dev)')]);
  });

  it('GIVEN different state regions per environment WHEN loading all THEN it asks for one ORDERS_STATE_REGION', () => {
    const error = configError(() => loadAllConfigs({ ORDERS_PROD_STATE_REGION: 'eu-west-1' }));
    expect(error.problems).toEqual([
      'ORDERS_STATE_REGION differs between environments (dev: us-east-1, prod: eu-west-1); set ORDERS_STATE_REGION once, without an environment prefix',
    ]);
  });

  it('GIVEN a bad ORDERS_PROD_X WHEN loading all THEN the message names the prod variable and every problem', () => {
    const error = configError(() => loadAllConfigs({ ORDERS_PROD_LOG_RETENTION_DAYS: '2', ORDERS_ACCOUNT_ID: 'x' }));
    expect(error.problems).toEqual([
      expect.stringContaining('ORDERS_ACCOUNT_ID (dev)'),
      expect.stringContaining('ORDERS_ACCOUNT_ID (prod)'),
      expect.stringContaining('ORDERS_PROD_LOG_RETENTION_DAYS (prod) is "2"'),
    ]);
  });
});

describe('reserved concurrency against the account quota', () => {
  it.each<[string, string, Record<string, number>]>([
    ['api=450,s3-storage=450', '1000', { api: 450, 's3-storage': 450 }],
    ['api=50', '150', { api: 50 }],
  ])('GIVEN %s and a quota of %s (at most quota - 100 reserved) WHEN loading THEN it is accepted', (reserved, quota, expected) => {
    const config = loadConfig('prod', { ORDERS_LAMBDA_RESERVED_CONCURRENCY: reserved, ORDERS_LAMBDA_ACCOUNT_CONCURRENCY: quota });
    expect(config.lambdaReservedConcurrency).toEqual(expected);
  });

  it.each([
    ['api=451,s3-storage=450', '1000', 'reservations totalling at most 900', 'these total 901'],
    ['50', '10', 'reservations totalling at most 0', 'these total 300'],
  ])('GIVEN %s and a quota of %s WHEN loading THEN one error gives the limit, the total and the fix', (reserved, quota, limit, total) => {
    const error = configError(() =>
      loadConfig('prod', { ORDERS_LAMBDA_RESERVED_CONCURRENCY: reserved, ORDERS_LAMBDA_ACCOUNT_CONCURRENCY: quota }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`ORDERS_LAMBDA_RESERVED_CONCURRENCY (prod) is ${JSON.stringify(reserved)}`);
    expect(error.problems[0]).toContain(limit);
    expect(error.problems[0]).toContain(total);
    expect(error.problems[0]).toContain('reserve less, or raise the account quota first');
  });

  it('GIVEN no quota WHEN reserving a lot THEN nothing is checked (the quota is unknown)', () => {
    expect(loadConfig('prod', { ORDERS_LAMBDA_RESERVED_CONCURRENCY: '1000' }).lambdaReservedConcurrency.api).toBe(1000);
  });
});

describe('API Gateway account setting: one owner per account and region', () => {
  const owners = (env: Record<string, string>) =>
    loadAllConfigs(env)
      .filter((c) => c.api.manageAccountRole)
      .map((c) => c.environment);

  it.each<[string, Record<string, string>, string[]]>([
    ['no account ids (dev and prod may share an account)', {}, ['prod']],
    ['the same account', { ORDERS_ACCOUNT_ID: '111111111111' }, ['prod']],
    ['different accounts', { ORDERS_DEV_ACCOUNT_ID: '111111111111', ORDERS_PROD_ACCOUNT_ID: '222222222222' }, ['dev', 'prod']],
    ['different regions', { ORDERS_DEV_REGION: 'eu-west-1' }, ['dev', 'prod']],
    ['only dev has an account id (prod may be anywhere)', { ORDERS_DEV_ACCOUNT_ID: '111111111111' }, ['prod']],
    ['the estate owns it', { ORDERS_MANAGE_API_GATEWAY_ACCOUNT: 'false' }, []],
    ['dev owns it instead', { ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT: 'true', ORDERS_PROD_MANAGE_API_GATEWAY_ACCOUNT: 'false' }, ['dev']],
  ])('GIVEN %s WHEN loading all THEN %j manage it', (_case, env, expected) => {
    expect(owners(env)).toEqual(expected);
  });

  it.each<[string, Record<string, string>]>([
    ['both claim it with no account ids', { ORDERS_MANAGE_API_GATEWAY_ACCOUNT: 'true' }],
    ['both claim it in one account', { ORDERS_ACCOUNT_ID: '111111111111', ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT: 'true' }],
    [
      'dev claims it with an account id, prod has none',
      { ORDERS_DEV_ACCOUNT_ID: '111111111111', ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT: 'true' },
    ],
  ])('GIVEN %s WHEN loading all THEN one error names both variables and the fix', (_case, env) => {
    const error = configError(() => loadAllConfigs(env));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT and ORDERS_PROD_MANAGE_API_GATEWAY_ACCOUNT are both true while dev and prod may share an account in us-east-1 /,
    );
    expect(error.problems[0]).toContain(
      'set ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT=false, or give ORDERS_DEV_ACCOUNT_ID and ORDERS_PROD_ACCOUNT_ID different accounts',
    );
  });

  it('GIVEN only dev is selected WHEN both claim it THEN the unselected prod still counts (its state owns the setting too)', () => {
    expect(() => loadAllConfigs({ ORDERS_ENVIRONMENTS: 'dev', ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT: 'true' })).toThrow(
      /ORDERS_DEV_MANAGE_API_GATEWAY_ACCOUNT and ORDERS_PROD_MANAGE_API_GATEWAY_ACCOUNT are both true/,
    );
  });
});

describe('awsPartitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('GIVEN region %s THEN the partition is %s', (region, partition) => {
    expect(awsPartitionOf(region)).toBe(partition);
  });
});
