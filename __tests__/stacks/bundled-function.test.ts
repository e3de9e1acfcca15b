import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { unzipSync } from 'fflate';
import type {} from 'cdktf/lib/testing/adapters/jest';
import { handlerArtifact } from '../../packaging/artifact';
import { BundledFunction, type BundledFunctionProps } from '../../stacks/bundled-function';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b6f6e1e-1111-2222-3333-444455556666';
const BASE: BundledFunctionProps = {
  handler: 'api',
  functionName: 'orders-dev-api',
  artifactsBucketName: 'orders-dev-artifacts',
  logRetentionDays: 14,
  kmsKeyArn: KEY_ARN,
};

type Json = Record<string, any>;

/** The one resource of `type` whose logical id starts with `prefix`. */
function resource(tf: Json, type: string, prefix: string): Json {
  const matches = Object.entries(tf.resource[type] ?? {}).filter(([id]) => id.startsWith(prefix));
  expect(matches).toHaveLength(1);
  return matches[0][1] as Json;
}

describe('BundledFunction', () => {
  let synthesized: string;
  let tf: Json;
  let stackDir: string;

  beforeAll(() => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new BundledFunction(stack, 'Api', {
      ...BASE,
      description: 'Orders API',
      memorySize: 512,
      timeoutSeconds: 29,
      environment: { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders' },
      policyStatements: [
        {
          Sid: 'StartOrders',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
        },
      ],
      reservedConcurrency: 5,
    });
    new BundledFunction(stack, 'Merge', { ...BASE, handler: 'merge-results', functionName: 'orders-dev-merge-results' });
    new BundledFunction(stack, 'Store', {
      ...BASE,
      handler: 's3-storage',
      functionName: 'orders-dev-s3-storage',
      vpc: { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] },
    });
    synthesized = Testing.synth(stack);
    tf = JSON.parse(synthesized);
    const outdir = Testing.fullSynth(stack);
    stackDir = join(outdir, 'stacks', 'test');
  });

  describe('the function', () => {
    it('GIVEN defaults WHEN synthesized THEN it runs Node.js 24 on arm64 with 256 MB, 10 s, JSON logs, active tracing and the KMS key', () => {
      expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
        function_name: 'orders-dev-merge-results',
        runtime: 'nodejs24.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        memory_size: 256,
        timeout: 10,
        kms_key_arn: KEY_ARN,
        tracing_config: { mode: 'Active' },
      });
      const merge = resource(tf, 'aws_lambda_function', 'Merge');
      expect(merge.logging_config).toEqual({
        log_format: 'JSON',
        log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Merge_log-group_\w+\.name\}$/),
      });
      expect(merge.environment).toBeUndefined();
      expect(merge.reserved_concurrent_executions).toBeUndefined();
      expect(merge.description).toBeUndefined();
    });

    it('GIVEN overrides WHEN synthesized THEN memory, timeout, environment, description and reserved concurrency are applied', () => {
      const api = resource(tf, 'aws_lambda_function', 'Api');
      expect(api).toMatchObject({
        memory_size: 512,
        timeout: 29,
        description: 'Orders API',
        reserved_concurrent_executions: 5,
        environment: { variables: { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders' } },
      });
    });

    it('WHEN synthesized THEN it reads s3_bucket/s3_key from the artifact object and source_code_hash from the same zip', () => {
      const api = resource(tf, 'aws_lambda_function', 'Api');
      expect(api.s3_bucket).toMatch(/^\$\{aws_s3_object\.Api_artifact_\w+\.bucket\}$/);
      expect(api.s3_key).toMatch(/^\$\{aws_s3_object\.Api_artifact_\w+\.key\}$/);
      expect(api.source_code_hash).toBe(handlerArtifact('api').sha256Base64);
      expect(api.filename).toBeUndefined();
    });

    it('WHEN synthesized THEN it depends on its log group (and its policy)', () => {
      const api = resource(tf, 'aws_lambda_function', 'Api');
      expect(api.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.Api_log-group_\w+$/)]));
      expect(api.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy\.Api_role-policy_\w+$/)]));
    });
  });

  describe('in a VPC', () => {
    it('GIVEN vpc THEN the function gets those subnets and security groups, and its role the ENI managed policy before it', () => {
      const fn = resource(tf, 'aws_lambda_function', 'Store');
      expect(fn.vpc_config).toEqual({
        subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        security_group_ids: ['sg-0123456789abcdef0'],
      });
      const attachment = resource(tf, 'aws_iam_role_policy_attachment', 'Store');
      expect(attachment.policy_arn).toMatch(
        /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::aws:policy\/service-role\/AWSLambdaENIManagementAccess$/,
      );
      expect(attachment.role).toMatch(/^\$\{aws_iam_role\.Store_role_\w+\.name\}$/);
      expect(fn.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\.Store_vpc-access_/)]));
    });

    it('GIVEN no vpc THEN no vpc_config and no ENI permissions', () => {
      expect(resource(tf, 'aws_lambda_function', 'Api').vpc_config).toBeUndefined();
      expect(Object.keys(tf.resource.aws_iam_role_policy_attachment)).toEqual([expect.stringMatching(/^Store_/)]);
    });
  });

  describe('the artifact', () => {
    it('WHEN synthesized THEN the zip is uploaded KMS-encrypted under a content-addressed key with an MD5 source_hash', () => {
      const built = handlerArtifact('api');
      const object = resource(tf, 'aws_s3_object', 'Api');
      expect(object).toMatchObject({
        bucket: 'orders-dev-artifacts',
        key: `lambda/api/${built.sha256Hex}.zip`,
        source_hash: built.md5Hex,
        server_side_encryption: 'aws:kms',
        kms_key_id: KEY_ARN,
        content_type: 'application/zip',
      });
      expect(object.etag).toBeUndefined();
    });

    it('WHEN fully synthesized THEN `source` is a relative path to a copy of exactly that zip, containing only index.js', () => {
      const built = handlerArtifact('api');
      const source: string = resource(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')), 'aws_s3_object', 'Api').source;
      expect(source).toMatch(new RegExp(`^assets/Api_asset_\\w+/${built.sha256Hex}/api\\.zip$`));
      const bytes = readFileSync(join(stackDir, source));
      expect(bytes.equals(Buffer.from(built.zip))).toBe(true);
      expect(Object.keys(unzipSync(bytes))).toEqual(['index.js']);
    });

    it("GIVEN a second function of another handler THEN it carries that handler's own key and hash", () => {
      const built = handlerArtifact('merge-results');
      expect(resource(tf, 'aws_lambda_function', 'Merge').source_code_hash).toBe(built.sha256Base64);
      expect(resource(tf, 'aws_s3_object', 'Merge').key).toBe(`lambda/merge-results/${built.sha256Hex}.zip`);
    });
  });

  describe('logs and permissions', () => {
    it('WHEN synthesized THEN the log group is /aws/lambda/<name> with the retention and the KMS key', () => {
      expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/lambda/orders-dev-api',
        retention_in_days: 14,
        kms_key_id: KEY_ARN,
      });
    });

    it('WHEN synthesized THEN the role trusts lambda.amazonaws.com without an aws:SourceAccount condition (Lambda documents none)', () => {
      const role = resource(tf, 'aws_iam_role', 'Api');
      expect(role.name).toBe('orders-dev-api-role');
      const trust = JSON.parse(role.assume_role_policy);
      expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    });

    it('WHEN synthesized THEN the inline policy allows its own log group, X-Ray on *, kms:Decrypt on the key, plus the extra statements', () => {
      const policy = resource(tf, 'aws_iam_role_policy', 'Api');
      expect(policy.role).toMatch(/^\$\{aws_iam_role\.Api_role_\w+\.id\}$/);
      const statements: Json[] = JSON.parse(policy.policy).Statement;
      // Built from the log group's configured name, so it is known on a first plan.
      const logGroupArn = expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:logs:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:log-group:\$\{aws_cloudwatch_log_group\.Api_log-group_\w+\.name\}(:\*)?$/,
      );
      expect(statements).toEqual([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [logGroupArn, logGroupArn],
        },
        { Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        { Sid: 'DecryptWithAppKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
        {
          Sid: 'StartOrders',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
        },
      ]);
      expect(statements.flatMap((s) => [].concat(s.Action))).not.toContain('logs:CreateLogGroup');
    });
  });

  describe('validation', () => {
    it.each<[string, Partial<BundledFunctionProps>, RegExp]>([
      ['an unknown handler', { handler: 'billing' as never }, /handler is "billing": use one of api, order-processor/],
      ['a function name with spaces', { functionName: 'orders dev' }, /functionName is "orders dev"/],
      ['a function name too long for its role', { functionName: 'x'.repeat(60) }, /functionName .*1-59/],
      ['a retention CloudWatch rejects', { logRetentionDays: 10 }, /logRetentionDays is 10: use one of CloudWatch's periods/],
      ['too little memory', { memorySize: 64 }, /memorySize is 64: use an integer from 128 to 10240/],
      ['a timeout above 15 minutes', { timeoutSeconds: 901 }, /timeoutSeconds is 901/],
      ['negative reserved concurrency', { reservedConcurrency: -1 }, /reservedConcurrency is -1/],
      [
        'a reserved environment key',
        { environment: { AWS_REGION: 'x' } },
        /environment key is "AWS_REGION": the Lambda runtime reserves it/,
      ],
      ['a malformed environment key', { environment: { '1BAD': 'x' } }, /environment key is "1BAD"/],
      [
        'a statement without actions',
        { policyStatements: [{ Effect: 'Allow', Action: [], Resource: '*' }] },
        /policyStatements\[0\]\.Action/,
      ],
    ])('GIVEN %s WHEN constructed THEN it throws naming the setting, value and fix', (_case, override, message) => {
      const stack = new TerraformStack(Testing.app(), 'invalid');
      expect(() => new BundledFunction(stack, 'Fn', { ...BASE, ...override })).toThrow(message);
    });

    it('GIVEN several problems WHEN constructed THEN one error lists all of them before anything is bundled', () => {
      const stack = new TerraformStack(Testing.app(), 'invalid');
      expect(() => new BundledFunction(stack, 'Fn', { ...BASE, memorySize: 1, timeoutSeconds: 0 })).toThrow(
        /memorySize[\s\S]*timeoutSeconds/,
      );
      expect(stack.node.findAll().some((c) => c.node.id === 'Asset')).toBe(false);
    });
  });
});
