/**
 * The function host with fixture bundles: results, Lambda-style errors, the timeout,
 * a crashing worker, the per-function environment and the context.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_ENVIRONMENTS, LambdaFunctionError, LocalLambdaFunction, MAX_DEFAULT_ENVIRONMENTS } from '../../local/lambda-host';

const FIXTURE = `
console.log('init', process.env.GREETING);
exports.handler = async (event, context) => {
  switch (event.kind) {
    case 'echo': return { event, env: process.env.GREETING, secret: process.env.SECRET ?? null, fn: context.functionName, arn: context.invokedFunctionArn, id: context.awsRequestId, remaining: context.getRemainingTimeInMillis() };
    case 'throw': { const e = new Error('order is invalid: items: required'); e.name = 'OrderValidationError'; throw e; }
    case 'sleep': await new Promise((r) => setTimeout(r, event.ms)); return 'late';
    case 'crash': setImmediate(() => process.exit(3)); return new Promise(() => {});
    case 'undefined': return undefined;
  }
};`;

let dir: string;
let fn: LocalLambdaFunction;

function newFunction(timeoutMs = 1000, file = join(dir, 'index.js')): LocalLambdaFunction {
  return new LocalLambdaFunction({
    functionName: 'orders-local-test',
    file,
    environment: { GREETING: 'hello' },
    timeoutMs,
    memorySizeMb: 256,
    logFile: join(dir, 'logs', 'test.log'),
    region: 'eu-west-1',
    accountId: '000000000000',
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'order-infra-host-'));
  writeFileSync(join(dir, 'index.js'), FIXTURE);
  process.env.SECRET = 'parent-only';
  fn = newFunction();
  await fn.warm();
});

afterAll(async () => {
  delete process.env.SECRET;
  await fn?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<LambdaFunctionError> {
  try {
    await promise;
  } catch (e) {
    return e as LambdaFunctionError;
  }
  throw new Error('expected a rejection');
}

it('GIVEN an event WHEN invoked THEN the result comes back with a Lambda context and only the function environment', async () => {
  const result = (await fn.invoke({ kind: 'echo', n: 1 })) as Record<string, unknown>;
  expect(result).toMatchObject({
    event: { kind: 'echo', n: 1 },
    env: 'hello',
    secret: null,
    fn: 'orders-local-test',
    arn: 'arn:aws:lambda:eu-west-1:000000000000:function:orders-local-test',
  });
  expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(result.remaining).toBeGreaterThan(0);
  expect(result.remaining).toBeLessThanOrEqual(1000);
});

it('GIVEN a handler returning undefined WHEN invoked THEN the result is null, as Lambda serialises it', async () => {
  expect(await fn.invoke({ kind: 'undefined' })).toBeNull();
});

it('GIVEN a handler that throws WHEN invoked THEN a LambdaFunctionError carries errorType (= name) and errorMessage', async () => {
  const error = await rejection(fn.invoke({ kind: 'throw' }));
  expect(error).toBeInstanceOf(LambdaFunctionError);
  expect(error.name).toBe('OrderValidationError');
  expect(error.errorType).toBe('OrderValidationError');
  expect(error.errorMessage).toBe('order is invalid: items: required');
});

it('GIVEN a handler slower than the timeout WHEN invoked THEN Sandbox.Timedout, and the function keeps serving', async () => {
  const error = await rejection(fn.invoke({ kind: 'sleep', ms: 1500 }));
  expect(error.errorType).toBe('Sandbox.Timedout');
  expect(error.errorMessage).toMatch(/timed out after 1\.00 seconds/);
  expect(await fn.invoke({ kind: 'undefined' })).toBeNull();
});

it('GIVEN a handler that kills its process WHEN invoked THEN Runtime.ExitError, and the next invocation gets a fresh worker', async () => {
  const error = await rejection(fn.invoke({ kind: 'crash' }));
  expect(error.errorType).toBe('Runtime.ExitError');
  expect(((await fn.invoke({ kind: 'echo' })) as { env: string }).env).toBe('hello');
});

it('GIVEN a bundle that does not exist WHEN invoked THEN Runtime.ImportModuleError', async () => {
  const missing = newFunction(1000, join(dir, 'missing.js'));
  try {
    expect((await rejection(missing.invoke({}))).errorType).toBe('Runtime.ImportModuleError');
  } finally {
    await missing.close();
  }
});

it('GIVEN a closed function WHEN invoked THEN Runtime.Stopped; its output went to the log file', async () => {
  const other = newFunction();
  await other.invoke({ kind: 'undefined' });
  await other.close();
  expect((await rejection(other.invoke({}))).errorType).toBe('Runtime.Stopped');
  expect(readFileSync(join(dir, 'logs', 'test.log'), 'utf8')).toContain('init hello');
});

describe('execution environments', () => {
  const POOL_FIXTURE = `
const environmentId = require('node:crypto').randomUUID();
exports.handler = async (event) => {
  if (event.kind === 'crash') { setImmediate(() => process.exit(3)); return new Promise(() => {}); }
  await new Promise((r) => setTimeout(r, event.ms ?? 0));
  return environmentId;
};`;

  function poolFunction(maxEnvironments: number): LocalLambdaFunction {
    const file = join(dir, 'pool.js');
    writeFileSync(file, POOL_FIXTURE);
    return new LocalLambdaFunction({ ...newFunction().config, file, maxEnvironments });
  }

  it('GIVEN invocations one after another WHEN each ends before the next THEN one warm environment runs them all', async () => {
    const pool = poolFunction(3);
    try {
      const ids = [];
      for (let i = 0; i < 5; i += 1) ids.push(await pool.invoke({}));
      expect(new Set(ids).size).toBe(1);
      expect(pool.environmentCount).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('GIVEN more concurrent invocations than maxEnvironments WHEN they run THEN exactly maxEnvironments environments share them', async () => {
    const pool = poolFunction(3);
    try {
      const ids = await Promise.all(Array.from({ length: 9 }, () => pool.invoke({ ms: 200 })));
      expect(new Set(ids).size).toBe(3);
      expect(pool.environmentCount).toBe(3);
      // Least busy first: the 9 spread 3 per environment.
      expect([...new Set(ids)].map((id) => ids.filter((x) => x === id).length)).toEqual([3, 3, 3]);
    } finally {
      await pool.close();
    }
  });

  it('GIVEN one environment crashes WHEN others are running THEN only its invocations fail and a new one replaces it', async () => {
    const pool = poolFunction(2);
    try {
      const slow = pool.invoke({ ms: 300 });
      const crash = rejection(pool.invoke({ kind: 'crash' }));
      expect((await crash).errorType).toBe('Runtime.ExitError');
      expect(typeof (await slow)).toBe('string');
      expect(pool.environmentCount).toBe(1);
      await Promise.all([pool.invoke({ ms: 100 }), pool.invoke({ ms: 100 })]);
      expect(pool.environmentCount).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('GIVEN maxEnvironments 0 WHEN the function is created THEN it is refused, naming the function', () => {
    expect(() => poolFunction(0)).toThrow(/maxEnvironments of orders-local-test must be a positive integer, got 0/);
  });
});

it('GIVEN the default THEN a function may use every CPU but never more than MAX_DEFAULT_ENVIRONMENTS workers', () => {
  expect(DEFAULT_MAX_ENVIRONMENTS).toBeLessThanOrEqual(Math.max(1, availableParallelism()));
  expect(DEFAULT_MAX_ENVIRONMENTS).toBeGreaterThanOrEqual(Math.min(2, availableParallelism(), MAX_DEFAULT_ENVIRONMENTS));
  expect(DEFAULT_MAX_ENVIRONMENTS).toBeLessThanOrEqual(MAX_DEFAULT_ENVIRONMENTS);
});
