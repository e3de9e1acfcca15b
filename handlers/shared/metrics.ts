/**
 * Business metrics as CloudWatch Embedded Metric Format (one log line, no API call):
 * Powertools Metrics, one instance per bundle at module scope. Namespace from
 * POWERTOOLS_METRICS_NAMESPACE (default: the spec's METRICS_NAMESPACE); POWERTOOLS_METRICS_DISABLED=true
 * turns them off (tests).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../../spec/functions';

let metrics: Metrics | undefined;

function instance(serviceName: string): Metrics {
  metrics ??= new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || serviceName,
  });
  return metrics;
}

/**
 * Emits Powertools' ColdStart metric on the first invocation of this execution environment
 * (a no-op on warm ones), with the function name as a dimension.
 */
export function captureColdStart(serviceName: string, functionName?: string): void {
  instance(serviceName).captureColdStartMetric(functionName);
}

/** Emits counters now: a step's invocation is short, and flushing per call loses nothing on a crash. */
export function countEvents(serviceName: string, counts: Readonly<Record<string, number>>): void {
  const m = instance(serviceName);
  for (const [name, value] of Object.entries(counts)) m.addMetric(name, MetricUnit.Count, value);
  m.publishStoredMetrics();
}
