/**
 * Time budgets of the order workflow: Lambda timeouts (spec/functions.ts), each Task's
 * TimeoutSeconds, the retry policies, the state machine's TimeoutSeconds, and the S3 outage
 * the storage retries ride out. The workflow definition is built from these numbers, and
 * tests hold the relations between them on the definition as built:
 *
 * - a Task waits longer than the function it invokes may run, plus a cold start;
 * - the state machine's timeout is at least the worst case of every path (every attempt of
 *   every retrier timing out, every backoff at its cap);
 * - the storage retries' randomised waits add up to more than the promised outage in at
 *   least the promised share of executions.
 */

/** An ASL Retrier. */
export interface RetryPolicy {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: 'FULL' | 'NONE';
}

/** Transient Lambda errors that every Task retries (AWS's recommended list). */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * A Task's timeout above its function's timeout: Lambda's init phase (up to 10 s, not counted
 * in the function timeout) plus the invoke's own overhead.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 15;

/** The Task timeout for a function with this timeout. */
export function taskTimeoutSeconds(functionTimeoutSeconds: number): number {
  return functionTimeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS;
}

/** Every Task: the transient Lambda errors, with backoff and full jitter. */
export const TRANSIENT_RETRY: RetryPolicy = {
  ErrorEquals: LAMBDA_TRANSIENT_ERRORS,
  IntervalSeconds: 1,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

/**
 * The storage Tasks also retry any failure (an S3 outage surfaces as States.TaskFailed).
 * FULL jitter: after an outage every waiting execution retries at once otherwise, and the
 * herd knocks the recovering service over again.
 */
export const STORAGE_RETRY: RetryPolicy = {
  ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
  IntervalSeconds: 2,
  MaxAttempts: 12,
  BackoffRate: 2,
  MaxDelaySeconds: 120,
  JitterStrategy: 'FULL',
};

/** The S3 outage the storage retries ride out: this long, in at least this share of executions. */
export const S3_OUTAGE_RIDE_OUT = { seconds: 180, probability: 0.99 } as const;

/** Upper bound of the whole execution (Step Functions fails it as States.Timeout beyond it). */
export const STATE_MACHINE_TIMEOUT_SECONDS = 3600;

/** API Gateway's integration timeout: the API function must answer within it. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/** The computed wait before each retry of a retrier (before jitter): interval × rate^n, capped. */
export function retryDelays(retry: Pick<RetryPolicy, 'IntervalSeconds' | 'MaxAttempts' | 'BackoffRate' | 'MaxDelaySeconds'>): number[] {
  return Array.from({ length: retry.MaxAttempts }, (_, n) =>
    Math.min(retry.IntervalSeconds * retry.BackoffRate ** n, retry.MaxDelaySeconds ?? Number.POSITIVE_INFINITY),
  );
}

/**
 * The longest a Task can take: every retrier's attempts each run to the timeout (the
 * retriers count separately, so alternating errors exhaust all of them) and every wait is
 * the full computed delay.
 */
export function worstCaseTaskSeconds(timeoutSeconds: number, retriers: readonly RetryPolicy[]): number {
  const attempts = 1 + retriers.reduce((n, r) => n + r.MaxAttempts, 0);
  const waits = retriers.flatMap(retryDelays).reduce((a, b) => a + b, 0);
  return attempts * timeoutSeconds + waits;
}

/**
 * The time the retry waits add up to, that at least `probability` of executions exceed.
 * With FULL jitter each wait is uniform between 0 and its computed delay; the sum's
 * distribution is computed by convolution on a 0.1 s grid (exact enough, and deterministic).
 */
export function guaranteedRetryWaitSeconds(retry: RetryPolicy, probability: number): number {
  const delays = retryDelays(retry);
  if (retry.JitterStrategy === 'NONE') return delays.reduce((a, b) => a + b, 0);
  const step = 0.1;
  let dist = [1];
  for (const delay of delays) {
    const width = Math.max(1, Math.round(delay / step));
    const next = new Array<number>(dist.length + width).fill(0);
    // Uniform over `width` bins: a running-sum convolution.
    for (let i = 0; i < dist.length; i += 1) {
      const share = dist[i] / width;
      next[i] += share;
      next[i + width] -= share;
    }
    for (let i = 1; i < next.length; i += 1) next[i] += next[i - 1];
    dist = next;
  }
  let below = 0;
  for (let i = 0; i < dist.length; i += 1) {
    below += dist[i];
    if (below > 1 - probability) return i * step;
  }
  return dist.length * step;
}

/** The parts of an ASL state the worst-case walk reads. */
interface AslStateLike {
  readonly Type?: unknown;
  readonly Next?: unknown;
  readonly Default?: unknown;
  readonly TimeoutSeconds?: unknown;
  readonly Retry?: unknown;
  readonly Catch?: unknown;
  readonly Choices?: unknown;
  readonly Branches?: unknown;
}

interface AslMachineLike {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, unknown>>;
}

/**
 * The longest any execution of the machine can run: the slowest path from StartAt to an
 * end, through Next, Choice and Catch transitions, each Task at its worst case and each
 * Parallel at its slowest branch. A Task without TimeoutSeconds runs for up to a year,
 * which no state-machine timeout covers.
 */
export function worstCaseExecutionSeconds(machine: AslMachineLike): number {
  const memo = new Map<string, number>();
  const fromState = (name: string, stack: readonly string[]): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (stack.includes(name)) throw new Error(`the workflow loops through ${name}: no worst case without a bound on iterations`);
    const state = machine.States[name] as AslStateLike | undefined;
    if (!state) throw new Error(`the workflow names a state ${name} that it does not define`);
    const nexts: string[] = [];
    if (typeof state.Next === 'string') nexts.push(state.Next);
    if (typeof state.Default === 'string') nexts.push(state.Default);
    for (const c of (state.Choices as Array<{ Next?: unknown }> | undefined) ?? []) if (typeof c.Next === 'string') nexts.push(c.Next);
    for (const c of (state.Catch as Array<{ Next?: unknown }> | undefined) ?? []) if (typeof c.Next === 'string') nexts.push(c.Next);
    let own = 0;
    if (state.Type === 'Task') {
      const timeout = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : 365 * 24 * 3600;
      own = worstCaseTaskSeconds(timeout, (state.Retry as RetryPolicy[] | undefined) ?? []);
    } else if (state.Type === 'Parallel' || state.Type === 'Map') {
      const branches = (state.Branches as AslMachineLike[] | undefined) ?? [];
      own = Math.max(0, ...branches.map(worstCaseExecutionSeconds));
    }
    const after = Math.max(0, ...nexts.map((n) => fromState(n, [...stack, name])));
    const total = own + after;
    memo.set(name, total);
    return total;
  };
  return fromState(machine.StartAt, []);
}
