import { type App, Testing } from 'cdktf';
import { loadConfig, type OrderInfraConfig } from '../../config';
import { HANDLER_NAMES } from '../../packaging/handlers';
import { OrderAppStack } from '../../stacks/app-stack';
import { MANAGED_RULE_GROUPS } from '../../stacks/web-acl';

type Json = Record<string, any>;

function synthApp(config: OrderInfraConfig, networkStackName?: string): Json {
  const app: App = Testing.app();
  const stack = new OrderAppStack(app, `orders-app-${config.environment}`, { config, networkStackName });
  return JSON.parse(Testing.synth(stack));
}

/** Every resource as [address, body]. */
function resources(json: Json, type?: string): Array<[string, Json]> {
  return Object.entries(json.resource as Json)
    .filter(([t]) => type === undefined || t === type)
    .flatMap(([t, byName]) => Object.entries(byName as Json).map(([name, body]) => [`${t}.${name}`, body] as [string, Json]));
}

function only(json: Json, type: string, fragment = ''): Json {
  const found = resources(json, type).filter(([address]) => address.includes(fragment));
  expect(found).toHaveLength(1);
  return found[0][1];
}

/** Every IAM-style policy document in the stack, with where it came from. */
function policyDocuments(json: Json): Array<[string, string]> {
  const fields: Record<string, string> = {
    aws_iam_role: 'assume_role_policy',
    aws_iam_role_policy: 'policy',
    aws_sns_topic_policy: 'policy',
    aws_s3_bucket_policy: 'policy',
    aws_kms_key: 'policy',
  };
  return Object.entries(fields).flatMap(([type, field]) =>
    resources(json, type).map(([address, body]) => [address, body[field]] as [string, string]),
  );
}

const functionBy = (json: Json, handler: string) =>
  resources(json, 'aws_lambda_function')
    .map(([, f]) => f)
    .find((f) => f.function_name.endsWith(`-${handler}`))!;
const roleStatements = (json: Json, handler: string) =>
  JSON.parse(resources(json, 'aws_iam_role_policy').find(([a]) => a.includes(`functions_${handler}_`))![1].policy).Statement as Json[];

describe('OrderAppStack', () => {
  let dev: Json;
  let prod: Json;
  let estate: Json;
  const devConfig = loadConfig('dev', {});
  const prodConfig = loadConfig('prod', {});
  const estateConfig = loadConfig('dev', {
    ORDERS_GEO_BLOCK_COUNTRIES: '',
    ORDERS_WAF_RATE_LIMIT: '750',
    ORDERS_MANAGE_API_GATEWAY_ACCOUNT: 'false',
    ORDERS_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    ORDERS_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:estate-alarms',
    ORDERS_ALARM_EMAIL: 'ops@example.com',
  });
  beforeAll(() => {
    dev = synthApp(devConfig, 'orders-network-dev');
    prod = synthApp(prodConfig);
    estate = synthApp(estateConfig);
  });

  describe('storage', () => {
    it.each([
      ['dev', () => dev, true],
      ['prod', () => prod, false],
    ])('%s names both buckets with the account id (deterministic, globally unique) and sets force_destroy=%s', (env, get, forceDestroy) => {
      const names = resources(get(), 'aws_s3_bucket')
        .map(([, b]) => b.bucket)
        .sort();
      expect(names).toEqual(
        ['access-logs', 'artifacts', 'orders'].map((b) =>
          expect.stringMatching(
            new RegExp(`^orders-${env}-${b}-\\$\\{data\\.aws_caller_identity\\.aws-context_account_\\w+\\.account_id\\}$`),
          ),
        ),
      );
      for (const [, b] of resources(get(), 'aws_s3_bucket')) expect(b.force_destroy).toBe(forceDestroy);
    });

    it('logs S3 access of the orders and artifacts buckets to the access-log bucket', () => {
      const logging = resources(dev, 'aws_s3_bucket_logging').map(([, l]) => [l.bucket, l.target_bucket]);
      expect(logging).toHaveLength(2);
      for (const [source, target] of logging) {
        expect(source).toMatch(/aws_s3_bucket\.(orders|artifacts)-bucket_/);
        expect(target).toMatch(/^\$\{aws_s3_bucket\.access-log-bucket_\w+\.bucket\}$/);
      }
    });

    it('encrypts with the stack’s key, or the configured existing key without creating one', () => {
      expect(resources(dev, 'aws_kms_key')).toHaveLength(1);
      expect(estate.resource.aws_kms_key).toBeUndefined();
      const sse = resources(estate, 'aws_s3_bucket_server_side_encryption_configuration')
        .filter(([address]) => !address.includes('access-log-bucket'))
        .map(([, s]) => s.rule[0].apply_server_side_encryption_by_default.kms_master_key_id);
      expect(sse).toEqual([estateConfig.existingKmsKeyArn, estateConfig.existingKmsKeyArn]);
    });
  });

  describe('functions', () => {
    it.each([...HANDLER_NAMES])('%s: nodejs24.x on arm64, JSON logs to its own group, X-Ray active, KMS env', (handler) => {
      const f = functionBy(dev, handler);
      expect(f).toEqual(
        expect.objectContaining({
          function_name: `orders-dev-${handler}`,
          runtime: 'nodejs24.x',
          architectures: ['arm64'],
          tracing_config: { mode: 'Active' },
          logging_config: { log_format: 'JSON', log_group: expect.stringMatching(/aws_cloudwatch_log_group\..*\.name/) },
          kms_key_arn: expect.stringMatching(/aws_kms_key\./),
        }),
      );
      expect(f.environment.variables).toEqual(
        expect.objectContaining({
          POWERTOOLS_SERVICE_NAME: `orders-dev-${handler}`,
          POWERTOOLS_METRICS_NAMESPACE: 'OrderInfra',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        }),
      );
      // Unreserved by default in every environment: reserving needs an account quota new accounts lack.
      expect(f.reserved_concurrent_executions).toBeUndefined();
      expect(functionBy(prod, handler).reserved_concurrent_executions).toBeUndefined();
      // its own group, named the way Lambda would name it, created by Terraform before the function
      const groupAddress = /^\$\{(aws_cloudwatch_log_group\.[\w-]+)\.name\}$/.exec(f.logging_config.log_group)![1];
      const group = resources(dev, 'aws_cloudwatch_log_group').find(([address]) => address === groupAddress)![1];
      expect(group).toEqual(expect.objectContaining({ name: `/aws/lambda/orders-dev-${handler}`, retention_in_days: 14 }));
      expect(f.depends_on).toEqual(expect.arrayContaining([groupAddress]));
    });

    it('passes each function the environment docs/architecture.md names', () => {
      const vars = (h: string) => functionBy(dev, h).environment.variables;
      expect(vars('api').STATE_MACHINE_ARN).toMatch(
        /^arn:\$\{data\.aws_partition\.aws-context_partition_\w+\.partition\}:states:us-east-1:\$\{data\.aws_caller_identity\.aws-context_account_\w+\.account_id\}:stateMachine:orders-dev-order-workflow$/,
      );
      expect(vars('api').ORDERS_BUCKET).toMatch(/^\$\{aws_s3_bucket\.orders-bucket_[\w]+\.bucket\}$/);
      expect(vars('s3-storage').ORDERS_BUCKET).toBe(vars('api').ORDERS_BUCKET);
      expect(vars('s3-storage').ORDERS_KMS_KEY_ID).toMatch(/aws_kms_key\..*\.arn/);
      expect(vars('payment-process').PAYMENT_APPROVAL_LIMIT).toBe('10000');
    });

    it('computes a state machine ARN equal to the real one (same name, region, account)', () => {
      const machine = only(dev, 'aws_sfn_state_machine');
      expect(functionBy(dev, 'api').environment.variables.STATE_MACHINE_ARN.endsWith(`:stateMachine:${machine.name}`)).toBe(true);
    });

    it('lets the API function start and describe only this state machine’s executions, read order records and list the index', () => {
      const extra = roleStatements(dev, 'api').filter((s) => !['WriteOwnLogs', 'WriteTraces', 'DecryptWithAppKey'].includes(s.Sid));
      expect(extra).toEqual([
        {
          Sid: 'StartOrderWorkflow',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: expect.stringMatching(/:stateMachine:orders-dev-order-workflow$/),
        },
        {
          Sid: 'DescribeOrderWorkflowExecutions',
          Effect: 'Allow',
          Action: 'states:DescribeExecution',
          Resource: expect.stringMatching(/:execution:orders-dev-order-workflow:\*$/),
        },
        {
          Sid: 'ReadOrders',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [expect.stringMatching(/\/orders\/records\/\*$/), expect.stringMatching(/\/orders\/meta\/order-count-\*$/)],
        },
        {
          Sid: 'ListOrderIndex',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\.orders-bucket_\w+\.bucket\}$/,
          ),
          Condition: { StringLikeIfExists: { 's3:prefix': 'orders/index/*' } },
        },
      ]);
      expect(roleStatements(dev, 'api').find((s) => s.Sid === 'DecryptWithAppKey')).toEqual(
        expect.objectContaining({ Action: 'kms:Decrypt' }),
      );
    });

    it('lets the storage function only read and put its own objects (with the data key to encrypt them)', () => {
      const extra = roleStatements(dev, 's3-storage').filter((s) => !['WriteOwnLogs', 'WriteTraces', 'DecryptWithAppKey'].includes(s.Sid));
      expect(extra).toEqual([
        {
          Sid: 'WriteOrders',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: [
            expect.stringMatching(/\/orders\/records\/\*$/),
            expect.stringMatching(/\/orders\/index\/\*$/),
            expect.stringMatching(/\/orders\/meta\/order-count-\*$/),
          ],
        },
        {
          Sid: 'ReadOrders',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [expect.stringMatching(/\/orders\/records\/\*$/), expect.stringMatching(/\/orders\/meta\/order-count-\*$/)],
        },
        {
          Sid: 'TellMissingOrders',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::\$\{aws_s3_bucket\.orders-bucket_\w+\.bucket\}$/,
          ),
          Condition: { StringLikeIfExists: { 's3:prefix': 'orders/meta/order-count-*' } },
        },
        {
          Sid: 'EncryptOrders',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Encrypt'],
          // The key's ARN is known only after apply; its alias names it on a first plan.
          Resource: expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:kms:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:key\/\*$/,
          ),
          Condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': expect.stringMatching(/^\$\{aws_kms_alias\.app-key_alias_\w+\.name\}$/) },
          },
        },
      ]);
    });

    it.each(['order-processor', 'inventory-check', 'payment-process', 'merge-results'])(
      'gives %s only logs, X-Ray and KMS decrypt',
      (handler) => {
        expect(roleStatements(dev, handler).map((s) => s.Sid)).toEqual(['WriteOwnLogs', 'WriteTraces', 'DecryptWithAppKey']);
      },
    );
  });

  describe('IAM and logs, across the whole stack', () => {
    it.each([
      ['dev', () => dev],
      ['prod', () => prod],
      ['estate', () => estate],
    ])('%s: every policy document parses; no Action "*"; Resource "*" only for X-Ray and log delivery in role policies', (_env, get) => {
      const docs = policyDocuments(get());
      expect(docs.length).toBeGreaterThanOrEqual(10);
      for (const [address, text] of docs) {
        const doc = JSON.parse(text);
        expect(doc.Version).toBe('2012-10-17');
        for (const s of doc.Statement as Json[]) {
          expect([s.Action ?? s.NotAction].flat()).not.toContain('*');
          if (address.startsWith('aws_iam_role_policy.') && [s.Resource].flat().includes('*')) {
            expect([s.Action].flat().every((a: string) => /^(xray|logs):/.test(a))).toBe(true);
            expect(['WriteTraces', 'WriteXRayTraces', 'DeliverExecutionLogs']).toContain(s.Sid);
          }
        }
      }
    });

    it.each([
      ['dev', () => dev, 14],
      ['prod', () => prod, 365],
    ])('%s: every log group has the environment’s retention and KMS encryption', (_env, get, days) => {
      const groups = resources(get(), 'aws_cloudwatch_log_group');
      // 6 functions, state machine, API access + execution, WAF
      expect(groups).toHaveLength(10);
      for (const [, g] of groups)
        expect(g).toEqual(expect.objectContaining({ retention_in_days: days, kms_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/) }));
    });

    it('has no dependency cycle between resources (references and depends_on)', () => {
      const edges = new Map<string, Set<string>>();
      for (const [address, body] of resources(dev)) {
        const text = JSON.stringify(body);
        const refs = new Set<string>([...text.matchAll(/\b(aws_[a-z0-9_]+\.[\w-]+)\.[a-z_]+/g)].map((m) => m[1]));
        for (const d of (body.depends_on ?? []) as string[]) refs.add(d);
        refs.delete(address);
        edges.set(address, refs);
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const cycles: string[] = [];
      const visit = (node: string, path: string[]): void => {
        if (state.get(node) === 'done') return;
        if (state.get(node) === 'visiting') {
          cycles.push([...path, node].join(' -> '));
          return;
        }
        state.set(node, 'visiting');
        for (const next of edges.get(node) ?? []) if (edges.has(next)) visit(next, [...path, node]);
        state.set(node, 'done');
      };
      for (const node of edges.keys()) visit(node, []);
      expect(cycles).toEqual([]);
      // the state machine depends on the task functions, never on the API function
      const machine = resources(dev, 'aws_sfn_state_machine')[0][0];
      expect([...edges.get(machine)!].some((r) => r.includes('functions_order-processor_'))).toBe(true);
      expect([...edges.get(machine)!].some((r) => r.includes('functions_api_'))).toBe(false);
    });
  });

  describe('workflow, API, WAF, monitoring wiring', () => {
    it('puts the literal ASL definition with the task function ARNs into the state machine', () => {
      const definition = JSON.parse(only(dev, 'aws_sfn_state_machine').definition);
      const arn = (handler: string) =>
        expect.stringMatching(
          new RegExp(`:lambda:.+:function:\\$\\{aws_lambda_function\\.functions_${handler}_function_\\w+\\.function_name\\}$`),
        );
      expect(definition.States.ProcessOrder.Parameters.FunctionName).toEqual(arn('order-processor'));
      expect(definition.States.MergeResults.Parameters.FunctionName).toEqual(arn('merge-results'));
      expect(definition.States.StoreOrder.Parameters.FunctionName).toEqual(arn('s3-storage'));
      expect(definition.States.CompensatePayment.Parameters.FunctionName).toEqual(arn('payment-process'));
    });

    it('associates the WAF with the API stage', () => {
      expect(only(dev, 'aws_wafv2_web_acl_association').resource_arn).toMatch(/^\$\{aws_api_gateway_stage\.api_stage_\w+\.arn\}$/);
    });

    it.each([
      ['dev', () => dev, 2000, ['CU', 'IR', 'KP', 'SY']],
      ['estate', () => estate, 750, []],
    ])('%s WAF has every managed group, the configured rate limit and geo list (omitted when empty)', (_env, get, limit, countries) => {
      const rules = only(get(), 'aws_wafv2_web_acl').rule as Json[];
      for (const group of MANAGED_RULE_GROUPS)
        expect(rules.find((r) => r.name === group)?.statement.managed_rule_group_statement.name).toBe(group);
      expect(rules.find((r) => r.name === 'RateLimitPerIp')!.statement.rate_based_statement.limit).toBe(limit);
      const geo = rules.find((r) => r.name === 'GeoBlock');
      if (countries.length === 0) expect(geo).toBeUndefined();
      else expect(geo!.statement.geo_match_statement.country_codes).toEqual(countries);
    });

    it('GIVEN dev and prod may share an account THEN only prod manages the API Gateway account setting', () => {
      expect(resources(prod, 'aws_api_gateway_account')).toHaveLength(1);
      expect(dev.resource.aws_api_gateway_account).toBeUndefined();
      expect(estate.resource.aws_api_gateway_account).toBeUndefined();
    });

    it('reads the ops host id from the network state’s named, non-sensitive output for the alarm and the dashboard', () => {
      const [[address, remote]] = Object.entries(dev.data.terraform_remote_state as Json);
      expect(remote).toEqual({
        backend: 's3',
        config: { bucket: 'order-infra-terraform-state', key: 'order-infra/dev/orders-network-dev.tfstate', region: 'us-east-1' },
      });
      const instanceId = `\${data.terraform_remote_state.${address}.outputs.ops_host_instance_id}`;
      const alarm = resources(dev, 'aws_cloudwatch_metric_alarm').find(([, a]) => a.alarm_name === 'orders-dev-ops-host-status-check')![1];
      expect(alarm.dimensions).toEqual({ InstanceId: instanceId });
      expect(only(dev, 'aws_cloudwatch_dashboard').dashboard_body).toContain(instanceId);
      // cdktf's cross-stack outputs are sensitive, which hides the whole dashboard in every plan
      expect(JSON.stringify(dev)).not.toContain('cross-stack');
    });

    it('monitors the ops host when the network stack gives one', () => {
      expect(resources(dev, 'aws_cloudwatch_metric_alarm').some(([, a]) => a.alarm_name === 'orders-dev-ops-host-status-check')).toBe(true);
      expect(resources(prod, 'aws_cloudwatch_metric_alarm').some(([, a]) => a.namespace === 'AWS/EC2')).toBe(false);
      // 3 API/workflow alarms + payments not refunded + errors and throttles per function + ops host
      expect(resources(dev, 'aws_cloudwatch_metric_alarm')).toHaveLength(4 + 2 * HANDLER_NAMES.length + 1);
    });

    it('sends alarms to the existing topic and subscribes the configured e-mail', () => {
      expect(estate.resource.aws_sns_topic).toBeUndefined();
      expect(
        resources(estate, 'aws_cloudwatch_metric_alarm').every(
          ([, a]) => a.alarm_actions[0] === 'arn:aws:sns:us-east-1:123456789012:estate-alarms',
        ),
      ).toBe(true);
      expect(only(estate, 'aws_sns_topic_subscription')).toEqual(
        expect.objectContaining({ protocol: 'email', endpoint: 'ops@example.com' }),
      );
    });
  });

  describe('outputs', () => {
    it.each([
      ['api_gateway_url', /^\$\{aws_api_gateway_stage\.api_stage_\w+\.invoke_url\}\/orders$/],
      ['state_machine_arn', /^\$\{aws_sfn_state_machine\.workflow_state-machine_\w+\.arn\}$/],
      ['orders_bucket_name', /^\$\{aws_s3_bucket\.orders-bucket_\w+\.bucket\}$/],
      ['monitoring_dashboard_name', /^\$\{aws_cloudwatch_dashboard\.monitoring_dashboard_\w+\.dashboard_name\}$/],
      ['waf_web_acl_arn', /^\$\{aws_wafv2_web_acl\.web-acl_\w+\.arn\}$/],
      ['api_key_id', /^\$\{aws_api_gateway_api_key\.api_api-key_\w+\.id\}$/],
      ['app_kms_key_arn', /^\$\{aws_kms_key\.app-key_\w+\.arn\}$/],
    ])('outputs %s', (name, value) => {
      expect(dev.output[name].value).toMatch(value);
    });

    it('outputs exactly the seven documented names, and never the API key value', () => {
      expect(Object.keys(dev.output).sort()).toEqual([
        'api_gateway_url',
        'api_key_id',
        'app_kms_key_arn',
        'monitoring_dashboard_name',
        'orders_bucket_name',
        'state_machine_arn',
        'waf_web_acl_arn',
      ]);
      expect(JSON.stringify(dev.output)).not.toMatch(/\.value\}/);
    });
  });
});

describe('OrderAppStack in AWS GovCloud', () => {
  it('GIVEN ORDERS_REGION=us-gov-west-1 THEN the workflow invokes Lambda through the aws-us-gov partition', () => {
    const gov = synthApp(loadConfig('dev', { ORDERS_REGION: 'us-gov-west-1' }));
    const [, machine] = resources(gov, 'aws_sfn_state_machine')[0];
    expect(machine.definition).toContain('"Resource": "arn:aws-us-gov:states:::lambda:invoke"');
  });
});

describe('OrderAppStack key policy, workflow logs, bucket events', () => {
  const dev = synthApp(loadConfig('dev', {}), 'orders-network-dev');
  const prod = synthApp(loadConfig('prod', {}));
  const keyPolicy = (json: Json) => JSON.parse(only(json, 'aws_kms_key').policy) as { Statement: Json[] };

  it('lets CloudWatch Logs use the app key only for this stack’s log groups, and every log group of the stack is one of them', () => {
    const logs = keyPolicy(dev).Statement.find((s) => s.Principal?.Service?.startsWith?.('logs.'))!;
    const patterns: string[] = logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'];
    const arnPrefix =
      /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:logs:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:log-group:/;
    expect(patterns.every((p) => arnPrefix.test(p))).toBe(true);
    const names = patterns.map((p) => p.replace(arnPrefix, ''));
    expect(names.some((n) => n === '*' || n.startsWith('*'))).toBe(false);
    const matches = (name: string) =>
      names.some((n) =>
        new RegExp(
          `^${n
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
            .join('.*')}$`,
        ).test(name),
      );
    // The execution log group's name holds the REST API id: the pattern has `*` exactly there.
    const groupNames = resources(dev, 'aws_cloudwatch_log_group').map(([, g]) =>
      (g.name as string).replace(/\$\{aws_api_gateway_rest_api\.[\w-]+\.id\}/, 'a1b2c3d4e5'),
    );
    expect(groupNames).toHaveLength(10);
    expect(groupNames.filter((n) => !matches(n))).toEqual([]);
    expect(matches('/aws/lambda/someone-elses-function')).toBe(false);
  });

  it('lets no service but CloudWatch alarms (for the encrypted topic) use the app key; an existing topic removes that too', () => {
    const services = (json: Json) =>
      keyPolicy(json)
        .Statement.filter((s) => s.Principal?.Service && !s.Principal.Service.startsWith('logs.'))
        .map((s) => s.Principal.Service);
    expect(services(dev)).toEqual(['cloudwatch.amazonaws.com']);
    const ownTopic = synthApp(loadConfig('dev', { ORDERS_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:estate-alarms' }));
    expect(services(ownTopic)).toEqual([]);
  });

  it('logs every workflow event in both environments, with execution data only in dev by default', () => {
    const logging = (json: Json) => only(json, 'aws_sfn_state_machine').logging_configuration;
    expect(logging(dev)).toMatchObject({ level: 'ALL', include_execution_data: true });
    expect(logging(prod)).toMatchObject({ level: 'ALL', include_execution_data: false });
    const opted = synthApp(loadConfig('prod', { ORDERS_PROD_WORKFLOW_LOG_EXECUTION_DATA: 'true' }));
    expect(logging(opted).include_execution_data).toBe(true);
  });

  it('sends object events of the orders and artifacts buckets (not the access-log bucket) to EventBridge', () => {
    const notified = resources(dev, 'aws_s3_bucket_notification').map(([, n]) => [n.bucket, n.eventbridge]);
    expect(notified.sort()).toEqual([
      [expect.stringMatching(/^\$\{aws_s3_bucket\.artifacts-bucket_\w+\.id\}$/), true],
      [expect.stringMatching(/^\$\{aws_s3_bucket\.orders-bucket_\w+\.id\}$/), true],
    ]);
  });

  it('GIVEN per-function reserved concurrency THEN only those functions reserve, each its own count', () => {
    const reserved = synthApp(loadConfig('prod', { ORDERS_PROD_LAMBDA_RESERVED_CONCURRENCY: 'api=20, s3-storage=5' }));
    const counts = Object.fromEntries(HANDLER_NAMES.map((h) => [h, functionBy(reserved, h).reserved_concurrent_executions]));
    expect(counts).toEqual({
      api: 20,
      'order-processor': undefined,
      'inventory-check': undefined,
      'payment-process': undefined,
      'merge-results': undefined,
      's3-storage': 5,
    });
  });
});

describe('OrderAppStack with the functions in the VPC', () => {
  const config = loadConfig('dev', { ORDERS_LAMBDA_IN_VPC: 'true' });
  const json = synthApp(config, 'orders-network-dev');
  const remote = Object.keys(json.data.terraform_remote_state)[0];

  it('attaches every function to the network state’s private subnets with the functions’ security group', () => {
    for (const handler of HANDLER_NAMES) {
      expect(functionBy(json, handler).vpc_config).toEqual({
        subnet_ids: `\${data.terraform_remote_state.${remote}.outputs.private_subnet_ids}`,
        security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.function-vpc-access_functions_\w+\.id\}$/)],
      });
      expect(functionBy(json, handler).depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/vpc-access/)]));
    }
    const attachments = resources(json, 'aws_iam_role_policy_attachment').filter(([a]) => a.includes('vpc-access'));
    expect(attachments).toHaveLength(HANDLER_NAMES.length);
    for (const [, a] of attachments) expect(a.policy_arn).toMatch(/:iam::aws:policy\/service-role\/AWSLambdaENIManagementAccess$/);
  });

  it('adds private-DNS interface endpoints for Step Functions and X-Ray, reachable from the functions only, and HTTPS to S3', () => {
    const endpoints = resources(json, 'aws_vpc_endpoint').map(([, e]) => [e.service_name, e.vpc_endpoint_type, e.private_dns_enabled]);
    expect(endpoints.sort()).toEqual([
      ['com.amazonaws.us-east-1.states', 'Interface', true],
      ['com.amazonaws.us-east-1.xray', 'Interface', true],
    ]);
    const ingress = only(json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toMatchObject({ from_port: 443, to_port: 443, referenced_security_group_id: expect.stringMatching(/functions_/) });
    const egress = resources(json, 'aws_vpc_security_group_egress_rule').map(([, r]) => r.prefix_list_id ?? r.referenced_security_group_id);
    expect(egress).toEqual([expect.stringMatching(/endpoints_/), expect.stringMatching(/aws_prefix_list/)]);
    expect(resources(json, 'aws_vpc_security_group_egress_rule').every(([, r]) => r.from_port === 443 && r.cidr_ipv4 === undefined)).toBe(
      true,
    );
  });

  it('GIVEN no network stack THEN the VPC switch is rejected with a message naming it', () => {
    expect(() => synthApp(config)).toThrow(/lambdaInVpc \(ORDERS_LAMBDA_IN_VPC=true\) needs networkStackName/);
  });

  it('by default no function is in a VPC and no endpoint is created', () => {
    const plain = synthApp(loadConfig('dev', {}), 'orders-network-dev');
    expect(HANDLER_NAMES.map((h) => functionBy(plain, h).vpc_config)).toEqual(HANDLER_NAMES.map(() => undefined));
    expect(plain.resource.aws_vpc_endpoint).toBeUndefined();
  });
});
