/**
 * The settings of a synthesized app stack that cost and capacity depend on, read from its
 * `cdk.tf.json`: each function's memory, architecture and reserved concurrency, the workflow
 * type and log level, the API's throttle and access-log format, the WAF rules and logging.
 */
import { readFileSync } from 'node:fs';

export interface FunctionConfig {
  readonly name: string;
  /** Handler folder, from the function name's suffix. */
  readonly handler: string;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  readonly reservedConcurrency?: number;
  readonly xrayActive: boolean;
}

export interface StackCostConfig {
  readonly stack: string;
  readonly functions: readonly FunctionConfig[];
  readonly workflowType: string;
  /** Step Functions log level (ALL logs every history event) and whether events carry data. */
  readonly workflowLogLevel: string;
  readonly workflowLogsData: boolean;
  /** The usage plan's throttle (per API key). */
  readonly apiThrottleRps?: number;
  readonly apiThrottleBurst?: number;
  /** The stage-wide method throttle (method path "all methods"): every client together. */
  readonly stageThrottleRps?: number;
  readonly stageThrottleBurst?: number;
  /** The access-log line template (`$context.*` variables), when access logging is on. */
  readonly accessLogFormat?: string;
  readonly apiXrayTracing: boolean;
  readonly wafRules: number;
  readonly wafLogging: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON, read field by field with defaults below.
type Resources = Record<string, Record<string, Record<string, any>>>;

const HANDLERS = ['api', 'order-processor', 'inventory-check', 'payment-process', 'merge-results', 's3-storage'];

export function readStackCostConfig(stack: string, file: string): StackCostConfig {
  const resources = (JSON.parse(readFileSync(file, 'utf8')) as { resource: Resources }).resource;
  const all = (type: string) => Object.values(resources[type] ?? {});
  const functions = all('aws_lambda_function').map((f): FunctionConfig => {
    const name = String(f.function_name);
    const handler = HANDLERS.find((h) => name.endsWith(`-${h}`)) ?? name;
    return {
      name,
      handler,
      memoryMb: Number(f.memory_size ?? 128),
      architecture: (f.architectures?.[0] ?? 'x86_64') as 'arm64' | 'x86_64',
      reservedConcurrency: typeof f.reserved_concurrent_executions === 'number' ? f.reserved_concurrent_executions : undefined,
      xrayActive: f.tracing_config?.mode === 'Active',
    };
  });
  const machine = all('aws_sfn_state_machine')[0] ?? {};
  const usagePlan = all('aws_api_gateway_usage_plan')[0];
  const stage = all('aws_api_gateway_stage')[0];
  const methodSettings = all('aws_api_gateway_method_settings').find((m) => m.method_path === '*/*');
  const acl = all('aws_wafv2_web_acl')[0];
  return {
    stack,
    functions,
    workflowType: String(machine.type ?? 'STANDARD'),
    workflowLogLevel: String(machine.logging_configuration?.level ?? 'OFF'),
    workflowLogsData: machine.logging_configuration?.include_execution_data === true,
    apiThrottleRps: usagePlan?.throttle_settings?.rate_limit,
    apiThrottleBurst: usagePlan?.throttle_settings?.burst_limit,
    stageThrottleRps: methodSettings?.settings?.throttling_rate_limit,
    stageThrottleBurst: methodSettings?.settings?.throttling_burst_limit,
    accessLogFormat: stage?.access_log_settings?.format,
    apiXrayTracing: stage?.xray_tracing_enabled === true,
    wafRules: Array.isArray(acl?.rule) ? acl.rule.length : 0,
    wafLogging: all('aws_wafv2_web_acl_logging_configuration').length > 0,
  };
}
