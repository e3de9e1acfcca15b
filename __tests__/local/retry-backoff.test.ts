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

  it('GIVEN a Retrier with BackoffRate 2 and no jitter WHEN a Task fails three times THEN each wait is twice the one before (scaled)', async () => {
    const scale = 0.05;
    const calls: number[] = [];
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'NONE' }],
          End: true,
        },
      },
    };
    const machine = new StateMachine(scaleRetries(definition, scale) as never, { validationOptions: { noValidate: true } });
    const run = machine.run({} as never, {
      overrides: {
        taskResourceLocalHandlers: {
          Work: async () => {
            calls.push(performance.now());
            if (calls.length <= 3) throw Object.assign(new Error('try again'), { name: 'Transient' });
            return 'done';
          },
        },
      },
    });
    await expect(run.result).resolves.toBe('done');
    const waits = calls.slice(1).map((at, i) => at - calls[i]!);
    // 2 s × 0.05 = 100 ms, then 200 ms, then 400 ms.
    expect(waits[0]).toBeGreaterThanOrEqual(95);
    expect(waits[0]).toBeLessThan(200);
    expect(waits[1]! / waits[0]!).toBeGreaterThan(1.7);
    expect(waits[1]! / waits[0]!).toBeLessThan(2.3);
    expect(waits[2]! / waits[1]!).toBeGreaterThan(1.7);
    expect(waits[2]! / waits[1]!).toBeLessThan(2.3);
  });

  it('GIVEN MaxDelaySeconds THEN the scaled wait is capped at scale × MaxDelaySeconds', async () => {
    const calls: number[] = [];
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [
            { ErrorEquals: ['Transient'], IntervalSeconds: 4, BackoffRate: 10, MaxDelaySeconds: 5, MaxAttempts: 2, JitterStrategy: 'NONE' },
          ],
          End: true,
        },
      },
    };
    const machine = new StateMachine(scaleRetries(definition, 0.02) as never, { validationOptions: { noValidate: true } });
    const run = machine.run({} as never, {
      overrides: {
        taskResourceLocalHandlers: {
          Work: async () => {
            calls.push(performance.now());
            if (calls.length <= 2) throw Object.assign(new Error('again'), { name: 'Transient' });
            return 'ok';
          },
        },
      },
    });
    await run.result;
    // 4 s × 0.02 = 80 ms; then 40 s capped at 5 s, × 0.02 = 100 ms.
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(95);
    expect(calls[2]! - calls[1]!).toBeLessThan(180);
  });
});
