/**
 * The relations that hold the layers together, checked on what Terraform gets (the
 * synthesized dev app stack), on the handlers' own code and on the local runtime's tables.
 * Each names the fact it protects; each fails when one layer drifts from the spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from '../../handlers/shared/errors';
import { parseJsonBody } from '../../handlers/api/request-body';
import { route } from '../../handlers/api/router';
import { executionArnFor } from '../../handlers/api/workflow-client';
import { validateCreateOrderRequest } from '../../handlers/shared/order-schema';
import {
  indexKey,
  ORDER_COUNT_SHARDS,
  ORDER_INDEX_PREFIX as HANDLER_INDEX_PREFIX,
  orderCountKey,
  recordKey,
} from '../../handlers/shared/storage-layout';
import { ROUTES as LOCAL_ROUTES } from '../../local/api-gateway';
import { LOCAL_RUNTIME_VARIABLES, localFunctionConfig } from '../../local/runtime';
import { executionArnOf } from '../../spec/arns';
import { HANDLER_NAMES } from '../../spec/functions';
import { MAX_BODY_BYTES } from '../../spec/limits';
import { API_ROUTES, type RouteResource } from '../../spec/routes';
import { KEY_FORMATS, ORDER_COUNT_PREFIX, ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX } from '../../spec/storage-layout';
import {
  type RetryPolicy,
  S3_OUTAGE_RIDE_OUT,
  STORAGE_RETRY,
  TRANSIENT_RETRY,
  TASK_TIMEOUT_MARGIN_SECONDS,
  guaranteedRetryWaitSeconds,
  retryDelays,
  worstCaseExecutionSeconds,
} from '../../spec/time-budgets';
import { maxValidBodyText } from './max-valid-body';
import { type Json, lambdaOf, resourcesOf, synthesizedDevApp } from './synthesized-app';
import { rulesBlockingBodyOfSize } from './waf-size-model';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ARCHITECTURE = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
const ORDER_ID = 'ord_01KDWA4100ABCDEFGHJKMNPQRS';

let app: Json;
let definition: Json;
beforeAll(() => {
  app = synthesizedDevApp();
  definition = JSON.parse(resourcesOf(app, 'aws_sfn_state_machine')[0][1].definition);
});

/** Every Task state, Parallel branches included, as [name, state]. */
function taskStates(machine: Json): Array<[string, Json]> {
  return Object.entries(machine.States as Json).flatMap(([name, state]: [string, Json]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, Json]] : []),
    ...((state.Branches as Json[] | undefined) ?? []).flatMap(taskStates),
  ]);
}

/** The synthesized function a Task invokes, from its `${aws_lambda_function.<name>.arn}` reference. */
function invokedFunction(task: Json): Json {
  // The ARN as a reference, or built from known parts ending in the function's name.
  const ref = /(?:^|:function:)\$\{aws_lambda_function\.([\w-]+)\.(?:arn|function_name)\}$/.exec(task.Parameters.FunctionName);
  if (!ref) throw new Error(`Task invokes ${task.Parameters.FunctionName}, not a function of the stack`);
  return app.resource.aws_lambda_function[ref[1]];
}

const storageStates = () => taskStates(definition).filter(([, t]) => invokedFunction(t).function_name.endsWith('-s3-storage'));
const outageRetrier = (task: Json) => (task.Retry as RetryPolicy[]).find((r) => r.ErrorEquals.includes('States.TaskFailed'));

describe('time budgets', () => {
  it('every Task waits longer than its function may run, plus a cold start', () => {
    const tasks = taskStates(definition);
    expect(tasks).toHaveLength(8);
    for (const [name, task] of tasks) {
      const fn = invokedFunction(task);
      expect({ task: name, timeout: task.TimeoutSeconds >= fn.timeout + TASK_TIMEOUT_MARGIN_SECONDS }).toEqual({
        task: name,
        timeout: true,
      });
    }
  });

  it("the state machine's timeout covers its slowest path (every retry timing out, every backoff at its cap)", () => {
    const worst = worstCaseExecutionSeconds(definition as never);
    // The slowest path stores twice (StoreOrder fails every retry, then StoreFailedOrder): over 40 minutes.
    expect(worst).toBeGreaterThan(2400);
    expect(definition.TimeoutSeconds).toBeGreaterThanOrEqual(worst);
  });

  it.each(['StoreOrder', 'StoreFailedOrder'])(
    '%s retries an S3 outage of the promised length in the promised share of executions',
    (state) => {
      const task = storageStates().find(([name]) => name === state)![1];
      const retrier = outageRetrier(task);
      expect(retrier).toBeDefined();
      expect(guaranteedRetryWaitSeconds(retrier!, S3_OUTAGE_RIDE_OUT.probability)).toBeGreaterThanOrEqual(S3_OUTAGE_RIDE_OUT.seconds);
    },
  );

  it('executions that meet one S3 outage retry spread out, not all at once (no 250 ms window holds half of 1,000)', () => {
    for (const [, task] of storageStates()) {
      const retrier = outageRetrier(task)!;
      // A deterministic generator: the test must not flake.
      let seed = 42;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const windows = new Map<number, number>();
      for (let e = 0; e < 1000; e += 1) {
        let at = 0;
        for (const delay of retryDelays(retrier)) {
          at += retrier.JitterStrategy === 'FULL' ? random() * delay : delay;
          const w = Math.floor(at / 0.25);
          windows.set(w, (windows.get(w) ?? 0) + 1);
        }
      }
      const busiest = Math.max(...windows.values());
      expect(busiest).toBeLessThan(500);
    }
  });

  it("docs/trust.md states the storage Tasks' retries in the spec's numbers", () => {
    const trust = readFileSync(join(ROOT, 'docs', 'trust.md'), 'utf8').replace(/\s+/g, ' ');
    const local = (STORAGE_RETRY.MaxAttempts * 2).toString();
    expect(trust).toContain(
      `StoreOrder retries ${TRANSIENT_RETRY.MaxAttempts}× on Lambda errors and ${STORAGE_RETRY.MaxAttempts}× on ${STORAGE_RETRY.ErrorEquals.map((e) => `\`${e}\``).join(' or ')}`,
    );
    expect(trust).toContain(
      `backoff from ${STORAGE_RETRY.IntervalSeconds} s, each wait at most ${STORAGE_RETRY.MaxDelaySeconds} s, full jitter`,
    );
    expect(trust).toContain(`(this test uses 2 s: ≈ ${local} s of`);
  });

  it("the README promises the outage the retries ride out, in the spec's numbers", () => {
    const { seconds, probability } = S3_OUTAGE_RIDE_OUT;
    expect(README).toContain(`S3 outage of up to ${seconds / 60} minutes (${seconds} s) in at least ${probability * 100}% of executions`);
  });
});

describe('the largest valid body passes the WAF as configured', () => {
  const event = (body: string) => ({
    body,
    isBase64Encoded: false,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
  });
  const acl = () => resourcesOf(app, 'aws_wafv2_web_acl')[0][1];

  it(`is accepted by the API: ${MAX_BODY_BYTES} bytes of worst-case UTF-8 and JSON escapes, every field at its limit`, () => {
    const text = maxValidBodyText();
    expect(Buffer.byteLength(text, 'utf8')).toBe(MAX_BODY_BYTES);
    expect(validateCreateOrderRequest(parseJsonBody(event(text)))).toEqual(expect.objectContaining({ ok: true }));
    expect(() => parseJsonBody(event(`${text} `))).toThrow(expect.objectContaining({ statusCode: 413 }));
  });

  it('no rule of the synthesized web ACL blocks it on size; one byte more is answered 413 by the ACL, as by the API', () => {
    expect(rulesBlockingBodyOfSize(acl(), MAX_BODY_BYTES)).toEqual([]);
    const over = acl().rule.find((r: Json) => r.name === 'BodyLargerThanApiLimit');
    expect(rulesBlockingBodyOfSize(acl(), MAX_BODY_BYTES + 1)).toContain('BodyLargerThanApiLimit');
    expect(over.action.block.custom_response.response_code).toBe(413);
  });

  it('the README states the same body limit', () => {
    expect(README).toContain(`at most ${MAX_BODY_BYTES / 1024} KiB`);
  });
});

describe('storage layout and IAM', () => {
  const statement = (handler: string, sid: string) => {
    const policies = resourcesOf(app, 'aws_iam_role_policy').filter(([address]) => address.includes(`functions_${handler}_`));
    return policies.flatMap(([, p]) => JSON.parse(p.policy).Statement as Json[]).find((s) => s.Sid === sid)!;
  };
  /** IAM's `*` wildcard as a regular expression. */
  const covers = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
  const objectPrefixes = (resources: string | string[]) => [resources].flat().map((r) => r.replace(/^[^/]*\//, '').replace(/\*$/, ''));
  const createdAt = '2026-11-26T01:00:00.000Z';

  it('the storage step may put exactly the keys it writes (record, index entry, counter shards)', () => {
    const write = statement('s3-storage', 'WriteOrders');
    for (const key of [
      recordKey(ORDER_ID),
      indexKey(createdAt, ORDER_ID),
      ...Array.from({ length: ORDER_COUNT_SHARDS }, (_, n) => orderCountKey(n)),
    ]) {
      expect({ key, covered: [write.Resource].flat().some((r: string) => covers(r.replace(/^[^/]*\//, ''), key)) }).toEqual({
        key,
        covered: true,
      });
    }
    expect(objectPrefixes(write.Resource).sort()).toEqual([ORDER_INDEX_PREFIX, ORDER_RECORDS_PREFIX, ORDER_COUNT_PREFIX].sort());
  });

  it('the storage step may read the record and counter shards it reads before writing, nothing else', () => {
    const read = statement('s3-storage', 'ReadOrders');
    expect(objectPrefixes(read.Resource)).toEqual([ORDER_RECORDS_PREFIX, ORDER_COUNT_PREFIX]);
    expect(covers(`${objectPrefixes(read.Resource)[1]}*`, orderCountKey(ORDER_COUNT_SHARDS - 1))).toBe(true);
  });

  it('the API may read the records and counter shards it reads and list the index prefix it lists, nothing else', () => {
    const read = statement('api', 'ReadOrders');
    expect(objectPrefixes(read.Resource)).toEqual([ORDER_RECORDS_PREFIX, ORDER_COUNT_PREFIX]);
    expect(covers(`${objectPrefixes(read.Resource)[0]}*`, recordKey(ORDER_ID))).toBe(true);
    expect(covers(`${objectPrefixes(read.Resource)[1]}*`, orderCountKey(0))).toBe(true);
    const list = statement('api', 'ListOrderIndex');
    expect(covers(list.Condition.StringLikeIfExists['s3:prefix'], HANDLER_INDEX_PREFIX)).toBe(true);
  });

  it.each([
    ['README.md', README],
    ['docs/architecture.md', ARCHITECTURE],
  ])('%s documents the key layout the spec defines', (_file, text) => {
    expect(text).toContain(`\`${ORDER_RECORDS_PREFIX}<orderId>.json\``);
    expect(text).toContain(`\`${ORDER_INDEX_PREFIX}<`);
    expect(KEY_FORMATS.record.startsWith(ORDER_RECORDS_PREFIX)).toBe(true);
  });
});

describe('routes: API Gateway, the router and the local adapter serve one list', () => {
  const expected = API_ROUTES.map((r) => `${r.method} ${r.resource}`).sort();
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const RESOURCES: Record<RouteResource, string> = { '/orders': '/orders', '/orders/{orderId}': `/orders/${ORDER_ID}` };

  it('API Gateway has a method for exactly the spec routes', () => {
    const paths = new Map<string, string>();
    const resources = Object.fromEntries(resourcesOf(app, 'aws_api_gateway_resource'));
    const pathOf = (address: string): string => {
      const known = paths.get(address);
      if (known) return known;
      const r = resources[address];
      const parent = /^\$\{(aws_api_gateway_resource\.[\w-]+)\.id\}$/.exec(r.parent_id);
      const path = `${parent ? pathOf(parent[1]) : ''}/${r.path_part}`;
      paths.set(address, path);
      return path;
    };
    const methods = resourcesOf(app, 'aws_api_gateway_method').map(([, m]) => {
      const resource = /^\$\{(aws_api_gateway_resource\.[\w-]+)\.id\}$/.exec(m.resource_id)![1];
      return `${m.http_method} ${pathOf(resource)}`;
    });
    expect(methods.sort()).toEqual(expected);
  });

  it("the API handler's router routes exactly the spec routes (others: 404/405)", async () => {
    const sentinel = new Error('routed');
    const deps = {
      sfn: { send: () => Promise.reject(sentinel) },
      s3: { send: () => Promise.reject(sentinel) },
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-order-workflow',
      bucket: 'orders',
    } as never;
    const routed: string[] = [];
    for (const [resource, path] of Object.entries(RESOURCES)) {
      for (const method of METHODS) {
        const body =
          method === 'POST'
            ? JSON.stringify({ customerName: 'Ada', items: [{ name: 'Laptop', quantity: 1, price: 1 }], totalAmount: 1 })
            : null;
        const event = {
          httpMethod: method,
          resource,
          path,
          pathParameters: resource === '/orders' ? null : { orderId: ORDER_ID },
          body,
          headers: {},
          multiValueHeaders: {},
        };
        try {
          await route(event as never, deps);
          routed.push(`${method} ${resource}`);
        } catch (e) {
          if (!(e instanceof HttpError && (e.statusCode === 404 || e.statusCode === 405))) routed.push(`${method} ${resource}`);
        }
      }
    }
    expect(routed.sort()).toEqual(expected);
  });

  it('the local API Gateway adapter serves exactly the spec routes', () => {
    const served = Object.entries(RESOURCES).flatMap(([resource, path]) =>
      METHODS.filter((method) => LOCAL_ROUTES.some((r) => r.method === method && r.match(path.split('/').slice(1)) !== undefined)).map(
        (method) => `${method} ${resource}`,
      ),
    );
    expect(served.sort()).toEqual(expected);
  });
});

describe('the local runtime runs each function as the stack deploys it', () => {
  const local = (handler: (typeof HANDLER_NAMES)[number]) =>
    localFunctionConfig(handler, {
      region: 'us-east-1',
      s3: 'http://127.0.0.1:1',
      sfn: 'http://127.0.0.1:2',
      bucket: 'orders-local-orders',
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders-local-order-workflow',
    });

  it.each([...HANDLER_NAMES])('%s: the same environment variables, memory and timeout', (handler) => {
    const deployed = lambdaOf(app, handler);
    const config = local(handler);
    const localOwn = Object.keys(config.environment).filter((k) => !(LOCAL_RUNTIME_VARIABLES as readonly string[]).includes(k));
    expect(localOwn.sort()).toEqual(Object.keys(deployed.environment.variables).sort());
    expect(config.memorySizeMb).toBe(deployed.memory_size);
    expect(config.environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe(String(deployed.memory_size));
    expect(config.timeoutMs).toBe(deployed.timeout * 1000);
    // Values that are literals in the stack are the same locally (names and ARNs differ by design).
    for (const name of ['POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL', 'PAYMENT_APPROVAL_LIMIT']) {
      expect(config.environment[name]).toBe(deployed.environment.variables[name]);
    }
  });
});

describe('the execution ARN format', () => {
  it('the API handler, the local runtime and the IAM grant use the same format', () => {
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-dev-order-workflow';
    expect(executionArnFor(machine, ORDER_ID)).toBe(
      `arn:aws:states:us-east-1:123456789012:execution:orders-dev-order-workflow:${ORDER_ID}`,
    );
    expect(executionArnOf(machine, ORDER_ID)).toBe(executionArnFor(machine, ORDER_ID));
    const describe = resourcesOf(app, 'aws_iam_role_policy')
      .flatMap(([, p]) => JSON.parse(p.policy).Statement as Json[])
      .find((s) => s.Sid === 'DescribeOrderWorkflowExecutions')!;
    expect(describe.Resource).toMatch(/:states:us-east-1:\$\{[^}]+\}:execution:orders-dev-order-workflow:\*$/);
  });
});
