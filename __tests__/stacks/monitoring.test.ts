import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Monitoring, type MonitoringProps } from '../../stacks/monitoring';

const FUNCTION_NAMES = { api: 'orders-dev-api', 'order-processor': 'orders-dev-order-processor', 's3-storage': 'orders-dev-s3-storage' };
const FUNCTIONS = Object.values(FUNCTION_NAMES);
const BASE: MonitoringProps = {
  namePrefix: 'orders-dev',
  region: 'eu-west-1',
  accountId: '123456789012',
  partition: 'aws',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  apiName: 'orders-dev-api',
  stageName: 'dev',
  stateMachineArn: '${aws_sfn_state_machine.sm.arn}',
  functionNames: FUNCTION_NAMES,
  metricsNamespace: 'OrderInfra',
  webAclName: 'orders-dev-web-acl',
  wafRuleMetricNames: ['orders-dev-web-acl-RateLimitPerIp', 'orders-dev-web-acl-GeoBlock'],
};

function synth(props: MonitoringProps) {
  const raw = Testing.synthScope((scope) => {
    new Monitoring(scope, 'monitoring', props);
  });
  const json = JSON.parse(raw);
  const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[];
  const dashboard = Object.values(json.resource.aws_cloudwatch_dashboard)[0] as any;
  return { raw, json, alarms, body: JSON.parse(dashboard.dashboard_body) };
}

/** `[namespace, metric, ...dims, options]` of every metric of every widget. */
function metricsOf(body: any): any[][] {
  return body.widgets.flatMap((w: any) => w.properties.metrics);
}

describe('Monitoring', () => {
  let plain: ReturnType<typeof synth>;
  let full: ReturnType<typeof synth>;
  let existing: ReturnType<typeof synth>;
  beforeAll(() => {
    plain = synth(BASE);
    full = synth({ ...BASE, opsHostInstanceId: 'i-0123456789abcdef0', alarmEmail: 'ops@example.com' });
    existing = synth({ ...BASE, existingAlarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:estate-alarms', alarmEmail: 'ops@example.com' });
  });

  it('names the dashboard <prefix>-monitoring-dashboard', () => {
    expect(plain.raw).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'orders-dev-monitoring-dashboard' });
  });

  it.each([
    ['AWS/ApiGateway', 'Count', 'Sum'],
    ['AWS/ApiGateway', 'Latency', 'p50'],
    ['AWS/ApiGateway', 'Latency', 'p90'],
    ['AWS/ApiGateway', 'Latency', 'p99'],
    ['AWS/ApiGateway', '4XXError', 'Sum'],
    ['AWS/ApiGateway', '5XXError', 'Sum'],
    ['AWS/States', 'ExecutionsStarted', 'Sum'],
    ['AWS/States', 'ExecutionsSucceeded', 'Sum'],
    ['AWS/States', 'ExecutionsFailed', 'Sum'],
    ['AWS/States', 'ExecutionsTimedOut', 'Sum'],
    ['AWS/States', 'ExecutionTime', 'p99'],
    ['AWS/WAFV2', 'AllowedRequests', 'Sum'],
    ['AWS/WAFV2', 'BlockedRequests', 'Sum'],
  ])('charts %s %s (%s)', (namespace, metric, stat) => {
    const found = metricsOf(plain.body).filter((m) => m[0] === namespace && m[1] === metric && m[m.length - 1].stat === stat);
    expect(found.length).toBeGreaterThan(0);
  });

  it('scopes API and workflow metrics to this API stage and state machine', () => {
    const metrics = metricsOf(plain.body);
    for (const m of metrics.filter((x) => x[0] === 'AWS/ApiGateway'))
      expect(m.slice(2, 6)).toEqual(['ApiName', 'orders-dev-api', 'Stage', 'dev']);
    for (const m of metrics.filter((x) => x[0] === 'AWS/States'))
      expect(m.slice(2, 4)).toEqual(['StateMachineArn', '${aws_sfn_state_machine.sm.arn}']);
    expect(plain.body.widgets.every((w: any) => w.properties.region === 'eu-west-1')).toBe(true);
  });

  it('has one WAF widget per rule, with the rule dimension', () => {
    for (const rule of BASE.wafRuleMetricNames) {
      const w = plain.body.widgets.find((x: any) => x.properties.title === `WAF rule ${rule}`);
      expect(w.properties.metrics[0]).toEqual([
        'AWS/WAFV2',
        'BlockedRequests',
        'WebACL',
        'orders-dev-web-acl',
        'Region',
        'eu-west-1',
        'Rule',
        rule,
        { stat: 'Sum', label: 'Blocked' },
      ]);
    }
  });

  it.each(FUNCTIONS)('has a Lambda widget for %s with invocations, errors, throttles and duration p99', (fn) => {
    const w = plain.body.widgets.find((x: any) => x.properties.title === `Lambda ${fn}`);
    expect(w.properties.metrics.map((m: any[]) => [m[1], m[3], m[4].stat])).toEqual([
      ['Invocations', fn, 'Sum'],
      ['Errors', fn, 'Sum'],
      ['Throttles', fn, 'Sum'],
      ['Duration', fn, 'p99'],
    ]);
  });

  it('adds the ops host widget and alarm only when an instance id is given', () => {
    expect(metricsOf(plain.body).some((m) => m[0] === 'AWS/EC2')).toBe(false);
    expect(plain.alarms.some((a) => a.namespace === 'AWS/EC2')).toBe(false);
    expect(
      metricsOf(full.body)
        .filter((m) => m[0] === 'AWS/EC2')
        .map((m) => m[3]),
    ).toEqual(['i-0123456789abcdef0', 'i-0123456789abcdef0']);
    expect(full.raw).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'orders-dev-ops-host-status-check',
      namespace: 'AWS/EC2',
      metric_name: 'StatusCheckFailed',
      dimensions: { InstanceId: 'i-0123456789abcdef0' },
      statistic: 'Maximum',
      treat_missing_data: 'breaching',
    });
  });

  it.each<[string, string, string, Record<string, string>]>([
    ['orders-dev-api-5xx', 'AWS/ApiGateway', '5XXError', { ApiName: 'orders-dev-api', Stage: 'dev' }],
    ['orders-dev-order-workflow-failed', 'AWS/States', 'ExecutionsFailed', { StateMachineArn: '${aws_sfn_state_machine.sm.arn}' }],
    ['orders-dev-order-workflow-timed-out', 'AWS/States', 'ExecutionsTimedOut', { StateMachineArn: '${aws_sfn_state_machine.sm.arn}' }],
    // s3-storage's own metric: a failed order stored with its payment still captured.
    ['orders-dev-payments-not-refunded', 'OrderInfra', 'PaymentsNotRefunded', { service: 'orders-dev-s3-storage' }],
    ...FUNCTIONS.flatMap(
      (fn): Array<[string, string, string, Record<string, string>]> => [
        [`${fn}-errors`, 'AWS/Lambda', 'Errors', { FunctionName: fn }],
        [`${fn}-throttles`, 'AWS/Lambda', 'Throttles', { FunctionName: fn }],
      ],
    ),
  ])('alarms %s on %s %s at one or more in 5 minutes', (name, namespace, metric, dimensions) => {
    expect(plain.raw).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: name,
      namespace,
      metric_name: metric,
      dimensions,
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
    });
  });

  it('GIVEN one more function WHEN synthesized THEN every existing alarm keeps its address (alarms are keyed by function, not position)', () => {
    // GIVEN a function added before the others in the table
    const more = synth({ ...BASE, functionNames: { 'inventory-check': 'orders-dev-inventory-check', ...FUNCTION_NAMES } });
    const addresses = (json: any) =>
      Object.fromEntries(
        Object.entries(json.resource.aws_cloudwatch_metric_alarm).map(([address, a]: [string, any]) => [a.alarm_name, address]),
      );
    // THEN
    const before = addresses(plain.json);
    const after = addresses(more.json);
    for (const [name, address] of Object.entries(before)) expect([name, after[name]]).toEqual([name, address]);
    expect(after['orders-dev-api-errors']).toMatch(/^monitoring_api-errors_/);
  });

  it('sends every alarm and its recovery to the alarm topic', () => {
    expect(plain.alarms).toHaveLength(4 + 2 * FUNCTIONS.length);
    for (const alarm of plain.alarms) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.[\w-]+\.arn\}$/)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  it('creates a KMS-encrypted topic that only this account’s alarms may publish to', () => {
    expect(plain.raw).toHaveResourceWithProperties(SnsTopic, { name: 'orders-dev-alarms', kms_master_key_id: BASE.kmsKeyArn });
    const policy = JSON.parse((Object.values(plain.json.resource.aws_sns_topic_policy)[0] as any).policy);
    const publish = policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublish');
    expect(publish).toEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-dev-*' },
        },
      }),
    );
    for (const s of policy.Statement) expect([s.Action].flat()).not.toContain('*');
    expect(plain.raw).not.toHaveResource(SnsTopicSubscription);
  });

  it('subscribes the configured e-mail', () => {
    expect(full.raw).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('uses an existing topic without creating a topic or policy', () => {
    expect(existing.raw).not.toHaveResource(SnsTopic);
    expect(existing.raw).not.toHaveResource(SnsTopicPolicy);
    expect(existing.alarms.every((a) => a.alarm_actions[0] === 'arn:aws:sns:eu-west-1:123456789012:estate-alarms')).toBe(true);
    expect(existing.raw).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: 'arn:aws:sns:eu-west-1:123456789012:estate-alarms',
      endpoint: 'ops@example.com',
    });
  });
});
