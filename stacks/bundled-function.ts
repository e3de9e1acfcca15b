import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { AssetType, TerraformAsset, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDWATCH_RETENTION_DAYS } from '../config';
import { handlerArtifact } from '../packaging/artifact';
import { HANDLER_NAMES, type HandlerName } from '../packaging/handlers';
import { awsContext } from './aws-stack-defaults';
import { serviceTrustPolicy } from './iam-documents';
import { kmsKeyGrant, knownArn } from './known-arns';

/** One statement of an IAM policy document, in IAM's own JSON casing. */
export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, unknown>;
}

export interface BundledFunctionProps {
  /** Folder under handlers/. */
  readonly handler: HandlerName;
  /** Function name (environment prefix included). */
  readonly functionName: string;
  /** One-line description. @default - none */
  readonly description?: string;
  /** Name (or Terraform reference) of the artifacts bucket the zip is uploaded to. */
  readonly artifactsBucketName: string;
  /** Retention of the function's log group /aws/lambda/<name>, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the log group and environment variables. */
  readonly kmsKeyArn: string;
  /** Memory in MB. @default 256 */
  readonly memorySize?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
  /** Environment variables. @default {} */
  readonly environment?: Record<string, string>;
  /** Permissions beyond logs, X-Ray and KMS decrypt. @default [] */
  readonly policyStatements?: IamStatement[];
  /** Reserved concurrent executions. @default - unreserved */
  readonly reservedConcurrency?: number;
  /** Attach the function to these private subnets with these security groups. @default - not in a VPC */
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
}

/** Variables the Lambda runtime sets itself; defining them fails at deploy time. */
const RESERVED_ENVIRONMENT_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** The props with every default applied (the one place defaults live). */
export function bundledFunctionDefaults(props: BundledFunctionProps) {
  return {
    memorySize: props.memorySize ?? 256,
    timeoutSeconds: props.timeoutSeconds ?? 10,
    environment: props.environment ?? {},
    policyStatements: props.policyStatements ?? [],
    reservedConcurrency: props.reservedConcurrency,
  };
}

/** Collects every problem with the props; empty when they are valid. */
export function validateBundledFunctionProps(props: BundledFunctionProps): string[] {
  const p = bundledFunctionDefaults(props);
  const problems: string[] = [];
  const bad = (setting: string, value: unknown, fix: string) => problems.push(`${setting} is ${JSON.stringify(value)}: ${fix}`);
  if (!(HANDLER_NAMES as readonly string[]).includes(props.handler))
    bad('handler', props.handler, `use one of ${HANDLER_NAMES.join(', ')}`);
  // 59 leaves room for the "-role" suffix of the execution role (IAM names stop at 64).
  if (!Token.isUnresolved(props.functionName) && !/^[A-Za-z0-9_-]{1,59}$/.test(props.functionName)) {
    bad('functionName', props.functionName, 'use 1-59 letters, digits, hyphens or underscores');
  }
  if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays)) {
    bad('logRetentionDays', props.logRetentionDays, `use one of CloudWatch's periods: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
  }
  if (!Number.isInteger(p.memorySize) || p.memorySize < 128 || p.memorySize > 10240)
    bad('memorySize', p.memorySize, 'use an integer from 128 to 10240 (MB)');
  if (!Number.isInteger(p.timeoutSeconds) || p.timeoutSeconds < 1 || p.timeoutSeconds > 900)
    bad('timeoutSeconds', p.timeoutSeconds, 'use an integer from 1 to 900');
  if (p.reservedConcurrency !== undefined && (!Number.isInteger(p.reservedConcurrency) || p.reservedConcurrency < 0)) {
    bad('reservedConcurrency', p.reservedConcurrency, 'use a non-negative integer, or leave it unset for unreserved');
  }
  for (const key of Object.keys(p.environment)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key))
      bad(`environment key`, key, 'start with a letter and use only letters, digits and underscores');
    else if (RESERVED_ENVIRONMENT_KEYS.has(key)) bad('environment key', key, 'the Lambda runtime reserves it; choose another name');
  }
  p.policyStatements.forEach((s, i) => {
    const actions = ([] as string[]).concat(s.Action);
    const resources = ([] as string[]).concat(s.Resource);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') bad(`policyStatements[${i}].Effect`, s.Effect, 'use "Allow" or "Deny"');
    if (actions.length === 0 || actions.some((a) => !a))
      bad(`policyStatements[${i}].Action`, s.Action, 'name at least one action such as "s3:GetObject"');
    if (resources.length === 0 || resources.some((r) => !r))
      bad(`policyStatements[${i}].Resource`, s.Resource, 'name at least one resource ARN');
  });
  return problems;
}

/**
 * A Lambda function built from `handlers/<handler>/index.ts`: esbuild bundle → deterministic
 * zip → `aws_s3_object` under a content-addressed key → `aws_lambda_function` reading
 * `s3_bucket`/`s3_key` with `source_code_hash` of the same bytes. Node.js 24 on arm64,
 * JSON logs to its own KMS-encrypted log group, active X-Ray tracing, and its own role.
 *
 * Defaults: memorySize 256, timeoutSeconds 10, environment {}, policyStatements [], unreserved concurrency.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly artifact: S3Object;
  readonly functionName: string;
  readonly functionArn: string;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const problems = validateBundledFunctionProps(props);
    if (problems.length > 0) {
      throw new Error(`BundledFunction "${this.node.path}" has invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    const p = bundledFunctionDefaults(props);
    const built = handlerArtifact(props.handler);

    // The asset folder is named by our own content hash (not cdktf's path hash), and the
    // zip file's name is the handler: the synthesized `source` is relative and machine-independent.
    const asset = new TerraformAsset(this, 'asset', { path: built.zipFile, type: AssetType.FILE, assetHash: built.sha256Hex });

    this.artifact = new S3Object(this, 'artifact', {
      bucket: props.artifactsBucketName,
      key: built.s3Key,
      source: asset.path,
      // `etag` is not an MD5 under SSE-KMS, so the provider documents `source_hash` for change detection.
      sourceHash: built.md5Hex,
      contentType: 'application/zip',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: props.kmsKeyArn,
    });

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-role`,
      description: `Execution role of the ${props.functionName} Lambda function`,
      // No aws:SourceAccount condition: AWS documents no such key in the context when Lambda assumes an
      // execution role, and a condition on an absent key would deny it ("cannot be assumed by Lambda").
      // The guard is iam:PassRole instead: only principals allowed to pass this role can attach it to a function.
      assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'),
    });

    const logGroupArn = knownArn.logGroup(awsContext(this), this.logGroup.name);
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      name: 'function',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [logGroupArn, `${logGroupArn}:*`],
          },
          // X-Ray has no resource-level permissions: "*" is the only resource these actions accept.
          { Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
          { Sid: 'DecryptWithAppKey', Effect: 'Allow', Action: 'kms:Decrypt', ...kmsKeyGrant(this, awsContext(this), props.kmsKeyArn) },
          ...p.policyStatements,
        ],
      }),
    });

    // In a VPC, Lambda creates and deletes the function's network interfaces with the execution role;
    // AWS's managed policy grants exactly the ENI actions (they have no resource-level permissions).
    const eniAccess = props.vpc
      ? new IamRolePolicyAttachment(this, 'vpc-access', {
          role: this.role.name,
          policyArn: `arn:${awsContext(this).partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess`,
        })
      : undefined;

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      // Referencing the object (not the literal key) makes Terraform upload before it updates the function.
      s3Bucket: this.artifact.bucket,
      s3Key: this.artifact.key,
      sourceCodeHash: built.sha256Base64,
      memorySize: p.memorySize,
      timeout: p.timeoutSeconds,
      kmsKeyArn: props.kmsKeyArn,
      reservedConcurrentExecutions: p.reservedConcurrency,
      environment: Object.keys(p.environment).length > 0 ? { variables: p.environment } : undefined,
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      tracingConfig: { mode: 'Active' },
      vpcConfig: props.vpc ? { subnetIds: props.vpc.subnetIds, securityGroupIds: props.vpc.securityGroupIds } : undefined,
      // The log group first, so Lambda never auto-creates an unencrypted group without retention;
      // the policy first, so the first invocations can already write logs and traces.
      dependsOn: [this.logGroup, rolePolicy, ...(eniAccess ? [eniAccess] : [])],
    });

    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
  }
}
