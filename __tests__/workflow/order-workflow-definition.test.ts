import {
  buildOrderWorkflowDefinition,
  LAMBDA_TRANSIENT_ERRORS,
  type OrderWorkflowFunctionArns,
  TASK_STATE_FUNCTIONS,
} from '../../workflow/order-workflow-definition';

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
  errorsText: (sep?: string) => string;
};

type State = Record<string, any>;

const ARNS: OrderWorkflowFunctionArns = {
  orderProcessor: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-order-processor',
  inventoryCheck: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-inventory-check',
  paymentProcess: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-payment-process',
  mergeResults: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-merge-results',
  s3Storage: 'arn:aws:lambda:us-east-1:123456789012:function:orders-dev-s3-storage',
};

/** Every state of the definition, including those inside Parallel branches. */
function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...((state.Branches ?? []) as Array<{ States: Record<string, State> }>).flatMap((b) => allStates(b.States)),
  ]);
}

/** Names of the states a state can move to next (Next, Choice targets, Catch targets). */
function successors(state: State): string[] {
  return [
    ...(state.Next ? [state.Next as string] : []),
    ...((state.Choices ?? []) as State[]).map((c) => c.Next as string),
    ...(state.Default ? [state.Default as string] : []),
    ...((state.Catch ?? []) as State[]).map((c) => c.Next as string),
  ];
}

describe('buildOrderWorkflowDefinition', () => {
  const definition = buildOrderWorkflowDefinition(ARNS);
  const topStates = definition.States as Record<string, State>;
  const states = allStates(topStates);
  const tasks = states.filter(([, s]) => s.Type === 'Task');

  it('passes asl-validator (on a copy: the validator mutates its argument)', () => {
    // GIVEN a deep copy, so the validator's QueryLanguage stamping cannot leak into other assertions
    const copy = structuredClone(definition);
    // WHEN
    const result = validateAsl(copy);
    // THEN
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(definition).toEqual(buildOrderWorkflowDefinition(ARNS));
  });

  it.each([
    [undefined, 'arn:aws:states:::lambda:invoke'],
    ['aws-us-gov', 'arn:aws-us-gov:states:::lambda:invoke'],
    ['aws-cn', 'arn:aws-cn:states:::lambda:invoke'],
  ])('GIVEN partition %s THEN every Task invokes Lambda through %s', (partition, resource) => {
    const inPartition = allStates(buildOrderWorkflowDefinition(ARNS, { partition }).States as Record<string, State>);
    const resources = inPartition.filter(([, s]) => s.Type === 'Task').map(([, s]) => s.Resource);
    expect(resources).toHaveLength(tasks.length);
    expect(new Set(resources)).toEqual(new Set([resource]));
  });

  it('is a pure function of the ARNs (same input, same JSON)', () => {
    expect(JSON.stringify(buildOrderWorkflowDefinition(ARNS))).toBe(JSON.stringify(definition));
  });

  it('has the shape: process order -> Parallel(inventory, payment) -> merge -> store', () => {
    expect(definition.StartAt).toBe('ProcessOrder');
    expect(topStates.ProcessOrder.Next).toBe('CheckInventoryAndPayment');
    const parallel = topStates.CheckInventoryAndPayment;
    expect(parallel.Type).toBe('Parallel');
    expect(parallel.Branches.map((b: State) => b.StartAt)).toEqual(['CheckInventory', 'ProcessPayment']);
    expect(parallel.Next).toBe('MergeResults');
    expect(topStates.MergeResults.Next).toBe('IsRefundRequired');
    expect(topStates.IsRefundRequired.Default).toBe('StoreOrder');
    expect(topStates.StoreOrder.End).toBe(true);
  });

  it('declares exactly the Task states of TASK_STATE_FUNCTIONS', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(TASK_STATE_FUNCTIONS).sort());
  });

  it.each(Object.entries(TASK_STATE_FUNCTIONS))('Task %s invokes the %s function through lambda:invoke', (stateName, fn) => {
    const [, state] = tasks.find(([name]) => name === stateName)!;
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(state.Parameters.FunctionName).toBe(ARNS[fn]);
    expect(state.OutputPath).toBe('$.Payload');
    expect(state.TimeoutSeconds).toBeGreaterThan(0);
  });

  it.each(Object.keys(TASK_STATE_FUNCTIONS))(
    'Task %s retries the five transient Lambda errors with exponential backoff and jitter',
    (stateName) => {
      const [, state] = tasks.find(([name]) => name === stateName)!;
      const retry = (state.Retry as State[]).find((r) => LAMBDA_TRANSIENT_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect(retry).toBeDefined();
      expect([...retry!.ErrorEquals].sort()).toEqual(
        [
          'Lambda.AWSLambdaException',
          'Lambda.ClientExecutionTimeoutException',
          'Lambda.SdkClientException',
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
        ].sort(),
      );
      expect(retry!.BackoffRate).toBeGreaterThan(1);
      expect(retry!.MaxAttempts).toBeGreaterThanOrEqual(2);
      expect(retry!.IntervalSeconds).toBeGreaterThan(0);
      expect(retry!.JitterStrategy).toBe('FULL');
    },
  );

  it('routes a failed Parallel state to compensation, then to StoreFailedOrder', () => {
    const parallelCatch = topStates.CheckInventoryAndPayment.Catch as State[];
    expect(parallelCatch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'CompensatePayment' })]);
    const compensate = topStates.CompensatePayment;
    expect(compensate.Parameters.FunctionName).toBe(ARNS.paymentProcess);
    expect(compensate.Parameters.Payload).toEqual({ action: 'refund', 'state.$': '$' });
    expect(compensate.Next).toBe('StoreFailedOrder');
    // a failing compensation must not lose the order either
    expect(compensate.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'StoreFailedOrder' })]);
  });

  it.each(['ProcessOrder', 'RefundPayment'])(
    'catches every failure of %s (nothing more to refund) into $.error and stores the order as failed',
    (stateName) => {
      expect(topStates[stateName].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'StoreFailedOrder' }]);
    },
  );

  it.each(['MergeResults', 'StoreOrder'])(
    'catches every failure of %s (after a possible capture) into $.error and compensates first',
    (stateName) => {
      expect(topStates[stateName].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CompensatePayment' }]);
    },
  );

  it.each([
    ['CheckInventory', 'InventoryCheckFailed'],
    ['ProcessPayment', 'PaymentFailed'],
  ])('lets the Parallel branch %s turn its own failure into an error result, so the sibling result survives', (task, failed) => {
    const branch = (topStates.CheckInventoryAndPayment.Branches as Array<{ StartAt: string; States: Record<string, State> }>).find(
      (b) => b.StartAt === task,
    )!;
    expect(branch.States[task].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failed }]);
    expect(branch.States[failed]).toEqual({ Type: 'Pass', Parameters: { status: 'error', 'error.$': '$.error' }, End: true });
  });

  it('stores a failed order with outcome "failed" and ends there', () => {
    const storeFailed = topStates.StoreFailedOrder;
    expect(storeFailed.Parameters.FunctionName).toBe(ARNS.s3Storage);
    expect(storeFailed.Parameters.Payload).toEqual({ outcome: 'failed', 'state.$': '$', 'executionName.$': '$$.Execution.Name' });
    expect(storeFailed.End).toBe(true);
  });

  it('ends every path from the start in a store Task (StoreOrder or StoreFailedOrder)', () => {
    // GIVEN the top-level graph; WHEN walking every edge (Next, Choice, Catch) from StartAt
    const terminals = new Set<string>();
    const seen = new Set<string>();
    const walk = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const state = topStates[name];
      expect(state).toBeDefined();
      const next = successors(state);
      if (state.End === true || next.length === 0) terminals.add(name);
      next.forEach(walk);
    };
    walk(definition.StartAt as string);
    // THEN the only terminal states are the two stores, both reachable, and no state is unreachable
    expect([...terminals].sort()).toEqual(['StoreFailedOrder', 'StoreOrder']);
    expect([...seen].sort()).toEqual(Object.keys(topStates).sort());
    expect(states.some(([, s]) => s.Type === 'Fail')).toBe(false);
  });

  it('retries storage failures longer than other steps, so a brief S3 outage does not fail an accepted order', () => {
    for (const name of ['StoreOrder', 'StoreFailedOrder']) {
      const retry = topStates[name].Retry as State[];
      expect(retry).toEqual(
        expect.arrayContaining([expect.objectContaining({ ErrorEquals: expect.arrayContaining(['States.TaskFailed']) })]),
      );
    }
  });
});
