/**
 * The usage `npm run cost` prices: one real order through the api bundle and the workflow
 * definition, counted on the way.
 */
import { measureOrders, type OrderUsage } from '../../scripts/cost/measure';

describe('measureOrders (one order through the local runtime parts)', () => {
  let usage: OrderUsage;
  beforeAll(async () => {
    usage = await measureOrders(1);
  }, 120_000);

  it('GIVEN one completed order THEN every function ran once, Parallel branch tasks included', () => {
    for (const f of Object.values(usage.functions)) expect(f.invocations).toBe(1);
  });

  it('GIVEN the states entered THEN the count includes each Task, the Parallel state and its branches', () => {
    const tasks = Object.values(usage.functions).reduce((n, f) => n + f.invocations, 0) - usage.functions.api.invocations;
    // Five Task states ran; the Parallel state that holds two of them is entered too.
    expect(usage.stateTransitions).toBeGreaterThanOrEqual(tasks + 1);
  });

  it('GIVEN the S3 traffic THEN one order writes its record, one index entry and its counter shard twice (pending, counted), the index entry under the index prefix and the shard under the counter prefix', () => {
    expect(usage.s3.put).toBe(4);
    expect(usage.s3IndexPuts).toBe(1);
    expect(usage.s3CounterPuts).toBe(2);
    expect(usage.s3.list).toBe(0);
  });

  it('GIVEN the logs THEN every function wrote some, and the workflow events are counted', () => {
    for (const f of Object.values(usage.functions)) expect(f.logBytes).toBeGreaterThan(0);
    expect(usage.workflowLogBytes).toBeGreaterThan(1000);
  });
});
