import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AlarmTopic } from './alarm-topic';

export interface MonitoringProps {
  /** Prefix of the dashboard, alarm and topic names. */
  readonly namePrefix: string;
  /** Region the metrics live in. */
  readonly region: string;
  /** Account id (topic policy). */
  readonly accountId: string;
  /** AWS partition (topic policy). */
  readonly partition: string;
  /** KMS key encrypting the alarm topic. */
  readonly kmsKeyArn: string;
  /** REST API name (the `ApiName` metric dimension). */
  readonly apiName: string;
  /** Stage name (the `Stage` metric dimension). */
  readonly stageName: string;
  /** State machine ARN (the `StateMachineArn` dimension). */
  readonly stateMachineArn: string;
  /** Namespace of the functions' own metrics (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
  readonly metricsNamespace: string;
  /**
   * Lambda functions to chart and alarm on: function name by a stable key (the handler name), which
   * names the alarms' construct ids, so adding a function never renames another function's alarms.
   */
  readonly functionNames: Readonly<Record<string, string>>;
  /** Web ACL name (the `WebACL` dimension). */
  readonly webAclName: string;
  /** Metric names of the web ACL's rules (the `Rule` dimension). */
  readonly wafRuleMetricNames: readonly string[];
  /** Operations host to chart and alarm on. @default - no EC2 widget or alarm */
  readonly opsHostInstanceId?: string;
  /** Use this SNS topic for alarms. @default - a new KMS-encrypted topic `<prefix>-alarms` */
  readonly existingAlarmTopicArn?: string;
  /** E-mail subscribed to the alarm topic. @default - none */
  readonly alarmEmail?: string;
}

/** Metric period of every alarm and widget, seconds. */
const PERIOD = 300;
type Metric = (string | Record<string, unknown>)[];

/**
 * Observability of the order system: the `<prefix>-monitoring-dashboard` dashboard and alarms
 * (API 5XX, state machine failures and timeouts, per-function errors and throttles, ops host
 * status checks) that notify an SNS topic on ALARM and OK.
 *
 * Defaults: 5-minute periods; alarms fire on the first bad datapoint and treat missing data
 * as not breaching (no traffic is not an outage), except the ops host status check.
 */
export class Monitoring extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly dashboardName: string;
  readonly alarmTopicArn: string;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const p = props.namePrefix;
    this.alarmTopicArn = new AlarmTopic(this, 'alarm-topic', {
      topicName: `${p}-alarms`,
      kmsKeyArn: props.kmsKeyArn,
      accountId: props.accountId,
      partition: props.partition,
      region: props.region,
      alarmNamePrefix: p,
      existingTopicArn: props.existingAlarmTopicArn,
      email: props.alarmEmail,
    }).topicArn;

    this.dashboardName = `${p}-monitoring-dashboard`;
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: this.dashboardName,
      dashboardBody: JSON.stringify(monitoringDashboardBody(props)),
    });
    this.systemAlarms(props);
    this.functionAlarms(props);
    if (props.opsHostInstanceId !== undefined) {
      // A host that should always run and reports nothing is itself a problem: missing data breaches.
      this.alarm(
        'ops-host-status',
        `${p}-ops-host-status-check`,
        'The operations host failed an EC2 status check.',
        'AWS/EC2',
        'StatusCheckFailed',
        { InstanceId: props.opsHostInstanceId },
        { statistic: 'Maximum', period: 60, evaluationPeriods: 2, treatMissingData: 'breaching' },
      );
    }
  }

  /** API 5XX, workflow failures and timeouts, and payments left captured on a failed order. */
  private systemAlarms(props: MonitoringProps): void {
    const p = props.namePrefix;
    const api = { ApiName: props.apiName, Stage: props.stageName };
    const sfn = { StateMachineArn: props.stateMachineArn };
    this.alarm(
      'api-5xx',
      `${p}-api-5xx`,
      'API Gateway answered 5XX: the API function or the integration failed.',
      'AWS/ApiGateway',
      '5XXError',
      api,
    );
    this.alarm(
      'sfn-failed',
      `${p}-order-workflow-failed`,
      'An order workflow execution failed (orders should end stored, not failed).',
      'AWS/States',
      'ExecutionsFailed',
      sfn,
    );
    this.alarm(
      'sfn-timed-out',
      `${p}-order-workflow-timed-out`,
      'An order workflow execution timed out.',
      'AWS/States',
      'ExecutionsTimedOut',
      sfn,
    );
    // Emitted by s3-storage (Powertools metrics) when a failed order is stored while its payment
    // is still captured: the refund failed every retry, so someone must refund it by hand.
    this.alarm(
      'payments-not-refunded',
      `${p}-payments-not-refunded`,
      "A failed order was stored with its payment still captured: refund it by hand (see the record's failureReason).",
      props.metricsNamespace,
      'PaymentsNotRefunded',
      { service: `${p}-s3-storage` },
    );
  }

  /** Errors and throttles of each function; construct ids use the stable key, never the position. */
  private functionAlarms(props: MonitoringProps): void {
    for (const [key, name] of Object.entries(props.functionNames)) {
      this.alarm(`${key}-errors`, `${name}-errors`, `Lambda ${name} returned errors.`, 'AWS/Lambda', 'Errors', {
        FunctionName: name,
      });
      this.alarm(
        `${key}-throttles`,
        `${name}-throttles`,
        `Lambda ${name} was throttled (reserved concurrency or account limit).`,
        'AWS/Lambda',
        'Throttles',
        { FunctionName: name },
      );
    }
  }

  private alarm(
    id: string,
    alarmName: string,
    description: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    overrides: { statistic?: string; period?: number; evaluationPeriods?: number; treatMissingData?: string } = {},
  ): void {
    this.alarms.push(
      new CloudwatchMetricAlarm(this, id, {
        alarmName,
        alarmDescription: description,
        namespace,
        metricName,
        dimensions,
        statistic: overrides.statistic ?? 'Sum',
        period: overrides.period ?? PERIOD,
        evaluationPeriods: overrides.evaluationPeriods ?? 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: overrides.treatMissingData ?? 'notBreaching',
        alarmActions: [this.alarmTopicArn],
        okActions: [this.alarmTopicArn],
      }),
    );
  }
}

/** The dashboard body (pure): API, workflow, WAF (all rules and per rule), Lambda per function, ops host. */
export function monitoringDashboardBody(props: MonitoringProps): { widgets: Record<string, unknown>[] } {
  const region = props.region;
  const widget = (title: string, metrics: Metric[], extra: Record<string, unknown> = {}) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: PERIOD, metrics, ...extra },
  });
  const apiDims = ['ApiName', props.apiName, 'Stage', props.stageName];
  const sfnDims = ['StateMachineArn', props.stateMachineArn];
  const wafDims = (rule: string) => ['WebACL', props.webAclName, 'Region', region, 'Rule', rule];

  const widgets: Record<string, unknown>[] = [
    widget('API Gateway: requests and errors', [
      ['AWS/ApiGateway', 'Count', ...apiDims, { stat: 'Sum', label: 'Requests' }],
      ['AWS/ApiGateway', '4XXError', ...apiDims, { stat: 'Sum', label: '4XX' }],
      ['AWS/ApiGateway', '5XXError', ...apiDims, { stat: 'Sum', label: '5XX' }],
    ]),
    widget(
      'API Gateway: latency (ms)',
      ['p50', 'p90', 'p99'].map((stat) => ['AWS/ApiGateway', 'Latency', ...apiDims, { stat, label: `Latency ${stat}` }]),
    ),
    widget('Order workflow: executions', [
      ['AWS/States', 'ExecutionsStarted', ...sfnDims, { stat: 'Sum', label: 'Started' }],
      ['AWS/States', 'ExecutionsSucceeded', ...sfnDims, { stat: 'Sum', label: 'Succeeded' }],
      ['AWS/States', 'ExecutionsFailed', ...sfnDims, { stat: 'Sum', label: 'Failed' }],
      ['AWS/States', 'ExecutionsTimedOut', ...sfnDims, { stat: 'Sum', label: 'Timed out' }],
    ]),
    widget('Order workflow: execution time (ms)', [
      ['AWS/States', 'ExecutionTime', ...sfnDims, { stat: 'p50', label: 'p50' }],
      ['AWS/States', 'ExecutionTime', ...sfnDims, { stat: 'p99', label: 'p99' }],
    ]),
    widget('WAF: allowed and blocked (all rules)', [
      ['AWS/WAFV2', 'AllowedRequests', ...wafDims('ALL'), { stat: 'Sum', label: 'Allowed' }],
      ['AWS/WAFV2', 'BlockedRequests', ...wafDims('ALL'), { stat: 'Sum', label: 'Blocked' }],
    ]),
    ...props.wafRuleMetricNames.map((rule) =>
      widget(`WAF rule ${rule}`, [
        ['AWS/WAFV2', 'BlockedRequests', ...wafDims(rule), { stat: 'Sum', label: 'Blocked' }],
        ['AWS/WAFV2', 'CountedRequests', ...wafDims(rule), { stat: 'Sum', label: 'Counted' }],
      ]),
    ),
    ...Object.values(props.functionNames).map((name) =>
      widget(`Lambda ${name}`, [
        ['AWS/Lambda', 'Invocations', 'FunctionName', name, { stat: 'Sum', label: 'Invocations' }],
        ['AWS/Lambda', 'Errors', 'FunctionName', name, { stat: 'Sum', label: 'Errors' }],
        ['AWS/Lambda', 'Throttles', 'FunctionName', name, { stat: 'Sum', label: 'Throttles' }],
        ['AWS/Lambda', 'Duration', 'FunctionName', name, { stat: 'p99', label: 'Duration p99 (ms)', yAxis: 'right' }],
      ]),
    ),
  ];
  if (props.opsHostInstanceId !== undefined) {
    widgets.push(
      widget('Operations host', [
        ['AWS/EC2', 'CPUUtilization', 'InstanceId', props.opsHostInstanceId, { stat: 'Average', label: 'CPU %' }],
        [
          'AWS/EC2',
          'StatusCheckFailed',
          'InstanceId',
          props.opsHostInstanceId,
          { stat: 'Maximum', label: 'Status check failed', yAxis: 'right' },
        ],
      ]),
    );
  }
  return { widgets };
}
