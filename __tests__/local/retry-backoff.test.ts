import '../../local/polyfills';
import { buildOrderWorkflowDefinition } from '../../workflow/order-workflow-definition';
import { DEFAULT_RETRY_SCALE, scaleRetries } from '../../local/workflow-runner';

const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

type Retrier = {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxDelaySeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  JitterStrategy?: string;
};

function retriersOf(definition: {
  States: Record<string, { Retry?: Retrier[]; Branches?: { States: Record<string, unknown> }[] }>;
}): Retrier[] {
  return Object.values(definition.States).flatMap((s) => [
    ...(s.Retry ?? []),
    ...(s.Branches ?? []).flatMap((b) => retriersOf(b as never)),
  ]);
}

describe('local retries follow the definition, scaled', () => {
  const arn = (n: string) => `arn:aws:lambda:us-east-1:000000000000:function:${n}`;
  const deployed = buildOrderWorkflowDefinition({
    orderProcessor: arn('p'),
    inventoryCheck: arn('i'),
    paymentProcess: arn('y'),
    mergeResults: arn('m'),
    s3Storage: arn('s'),
  }) as never;

  it('GIVEN the order workflow THEN every Retrier keeps its errors, BackoffRate, MaxAttempts and JitterStrategy, and waits scale × its intervals', () => {
    const scale = 0.05;
    const before = retriersOf(deployed);
    const after = retriersOf(scaleRetries(deployed, scale));
    expect(before.length).toBeGreaterThan(5);
    expect(after).toHaveLength(before.length);
    after.forEach((r, i) => {
      const d = before[i]!;
      expect({ ...r, IntervalSeconds: undefined, MaxDelaySeconds: undefined }).toEqual({
        ...d,
        IntervalSeconds: undefined,
        MaxDelaySeconds: undefined,
      });
      expect(r.IntervalSeconds).toBeCloseTo((d.IntervalSeconds ?? 1) * scale, 10);
      if (d.MaxDelaySeconds !== undefined) expect(r.MaxDelaySeconds).toBeCloseTo(d.MaxDelaySeconds * scale, 10);
    });
    // The deployed definition itself is untouched.
    expect(retriersOf(deployed)).toEqual(before);
  });

  it('GIVEN the default scale THEN the longest retry sequence of the workflow (storage) stays under 10 s locally', () => {
    const waits = retriersOf(scaleRetries(deployed, DEFAULT_RETRY_SCALE)).map((r) => {
      let total = 0;
      for (let n = 0; n < (r.MaxAttempts ?? 3); n++)
        total += Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** n, r.MaxDelaySeconds ?? Infinity);
      return total;
    });
    expect(Math.max(...waits)).toBeLessThan(10);
  });

  /** Runs a one-Task definition whose Task fails `failures` times; returns the waits the library slept, in ms. */
  async function retryWaits(definition: object, failures: number): Promise<number[]> {
    const waits: number[] = [];
    const realSetTimeout = global.setTimeout;
    // The library sleeps with setTimeout(resolve, ms): record each ms instead of timing the gaps, which a busy
    // machine stretches. The Task's own timeout timer (TASK_TIMEOUT_MS) is left alone.
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      if (ms === TASK_TIMEOUT_MS) return realSetTimeout(fn, ms);
      if (typeof ms === 'number' && ms > 0) waits.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    try {
      let calls = 0;
      const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
      const run = machine.run({} as never, {
        overrides: {
          taskResourceLocalHandlers: {
            Work: async () => {
              calls += 1;
              if (calls <= failures) throw Object.assign(new Error('try again'), { name: 'Transient' });
              return 'done';
            },
          },
        },
      });
      await expect(run.result).resolves.toBe('done');
    } finally {
      spy.mockRestore();
    }
    return waits;
  }

  const TASK_TIMEOUT_MS = 77_000;
  const oneTask = (retrier: object) => ({
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        TimeoutSeconds: TASK_TIMEOUT_MS / 1000,
        Retry: [{ ErrorEquals: ['Transient'], ...retrier }],
        End: true,
      },
    },
  });

  it('GIVEN a Retrier with BackoffRate 2 and no jitter WHEN a Task fails three times THEN each wait is twice the one before (scaled)', async () => {
    const definition = oneTask({ IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'NONE' });
    const waits = await retryWaits(scaleRetries(definition, 0.05), 3);
    // 2 s × 0.05 = 100 ms, then twice that, then twice again.
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeCloseTo(100, 6);
    expect(waits[1]! / waits[0]!).toBeCloseTo(2, 6);
    expect(waits[2]! / waits[1]!).toBeCloseTo(2, 6);
    // Unscaled, the same definition waits the deployed seconds.
    expect(await retryWaits(definition, 1)).toEqual([2000]);
  });

  it('GIVEN MaxDelaySeconds THEN the scaled wait is capped at scale × MaxDelaySeconds', async () => {
    const waits = await retryWaits(
      scaleRetries(oneTask({ IntervalSeconds: 4, BackoffRate: 10, MaxDelaySeconds: 5, MaxAttempts: 2, JitterStrategy: 'NONE' }), 0.02),
      2,
    );
    // 4 s × 0.02 = 80 ms; then 40 s capped at 5 s, × 0.02 = 100 ms.
    expect(waits[0]).toBeCloseTo(80, 6);
    expect(waits[1]).toBeCloseTo(100, 6);
  });

  it('GIVEN FULL jitter THEN each wait is drawn between 0 and the scaled backoff', async () => {
    // The draw is random (and may be 0 ms, which the recorder cannot tell from other timers):
    // pin it near the top of the range, where every wait must sit just under its scaled cap.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    let waits: number[];
    try {
      waits = await retryWaits(
        scaleRetries(oneTask({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: 'FULL' }), 0.05),
        4,
      );
    } finally {
      random.mockRestore();
    }
    expect(waits).toHaveLength(4);
    [50, 100, 200, 400].forEach((cap, i) => {
      expect(waits[i]).toBeLessThanOrEqual(cap);
      expect(waits[i]).toBeGreaterThanOrEqual(cap * 0.95);
    });
  });
});
