/**
 * `npm run bench:bundles`: each handler's bundle and zip size; how long its module takes to load
 * (require) in a fresh Node process, the part of a Lambda cold start our code controls; the
 * whole process (start, require, exit) against a bare `node -e ''`; and, for the two functions
 * that call AWS, the cold start as require + first invocation against a local S3 server (api:
 * one `GET /orders` page, s3-storage: storing one order). Medians of fresh processes
 * (`--runs N`, default 15: single load times vary by ±20 % on a 2-core machine), measured in
 * rounds that take each process once. For those two it also measures the floor of the process
 * figure: a process that only loads the Node built-ins the bundle requires and compiles the
 * bundle without running it (work a cold start cannot skip, whatever the code does).
 *
 * Goals: api and s3-storage ≤ 300 KiB minified, load ≤ 45 ms, process ≤ 1.5× bare node; the
 * four handlers without the AWS SDK ≤ 50 KiB.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prebuildHandlerArtifacts } from '../packaging/artifact';
import { bundleBudgetKiB, SDK_HANDLERS, type HandlerName } from '../packaging/handlers';
import { formatKiB, markdownTable } from '../scripts/build-handlers';
import { startLocalS3, type LocalS3 } from '../__tests__/helpers/local-s3';
import { inventory, payment, withResults } from '../__tests__/handlers/fixtures';
import { mergeResults } from '../handlers/shared/merge';
import { atMost, reportFigures, type Figure } from './figures';
import { median } from './synth';

/** What the functions get from Terraform; set so module-scope configuration reads succeed. */
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  ORDERS_BUCKET: 'orders-bench-orders',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-bench',
  PAYMENT_APPROVAL_LIMIT: '10000',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'Orders',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

const LIMITS = { loadMs: 45, processRatio: 1.5 };

/** The first invocation each SDK handler gets in the cold-start measurement. */
function firstEvent(handler: HandlerName): unknown {
  if (handler === 'api') {
    return {
      resource: '/orders',
      path: '/orders',
      httpMethod: 'GET',
      headers: {},
      queryStringParameters: { limit: '10' },
      requestContext: { requestId: 'bench-cold-start', identity: { sourceIp: '127.0.0.1', apiKeyId: null } },
      body: null,
    };
  }
  // What the merge step hands StoreOrder: the merged order, the same pure function as in AWS.
  return mergeResults(withResults(inventory(), payment()), new Date('2026-11-26T01:00:02.000Z'));
}

/** The environment of a measured process: only PATH and the function's variables, as in Lambda. */
const processEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, ...HANDLER_ENV, ...extra });

/** Runs `script` in a fresh Node process with the handler environment; returns its stdout. */
function runNode(script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['-e', script], {
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/** Milliseconds `require()` of the file takes in a fresh process. */
function loadMs(file: string): number {
  return Number(runNode(`const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`));
}

/** The Node built-ins a bundle requires (`require("node:…")`), each once, in first-use order. */
export function bundleBuiltins(bundle: string): string[] {
  return [...new Set(Array.from(bundle.matchAll(/require\("(node:[a-z_/]+)"\)/g), (m) => m[1]))];
}

/**
 * A script that does what loading `file` cannot avoid: require the built-ins it requires and
 * compile it as Node's CommonJS loader does (one function of the module wrapper's parameters),
 * without running it.
 */
export function floorScript(file: string, bundle: string): string {
  const builtins = bundleBuiltins(bundle).map((name) => `require(${JSON.stringify(name)});`);
  const compile = `require('node:vm').compileFunction(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: ${JSON.stringify(file)} });`;
  return `${builtins.join('')}${compile}`;
}

/** Wall milliseconds of a whole fresh process running `script`. */
function processMs(script: string): number {
  const started = performance.now();
  runNode(script);
  return performance.now() - started;
}

/**
 * require + first invocation, in a fresh process, with the environment pointing at the local S3.
 * Asynchronous: the local S3 server runs in this process, so a synchronous child would wait for
 * a server whose event loop it blocks.
 */
async function coldStartMs(
  file: string,
  handler: HandlerName,
  s3: LocalS3,
  bucket: string,
): Promise<{ loadMs: number; firstCallMs: number }> {
  const script = `
    const t0 = performance.now();
    const { handler } = require(${JSON.stringify(file)});
    const t1 = performance.now();
    handler(${JSON.stringify(firstEvent(handler))}, { awsRequestId: 'cold', functionName: 'bench-${handler}' }).then((result) => {
      const t2 = performance.now();
      if (result && result.statusCode && result.statusCode !== 200) throw new Error('first invocation answered ' + result.statusCode + ': ' + result.body);
      process.stdout.write('\\nBENCH_RESULT ' + JSON.stringify({ loadMs: t1 - t0, firstCallMs: t2 - t1 }) + '\\n');
    });`;
  // The handler's own log and metric lines share stdout.
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    env: processEnv({ ...s3.env, ORDERS_BUCKET: bucket }),
    timeout: 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`${handler}: the cold-start run printed no result`);
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${process.argv[runsArg + 1]}`);
  const dir = mkdtempSync(join(tmpdir(), 'order-infra-bench-bundles-'));
  const bucket = 'orders-bench-cold-start';
  const s3 = await startLocalS3({ buckets: [bucket] });
  try {
    const artifacts = prebuildHandlerArtifacts();
    const files = artifacts.map((artifact) => {
      const file = join(dir, artifact.handler, 'index.js');
      mkdirSync(join(dir, artifact.handler));
      writeFileSync(file, artifact.bundle);
      return file;
    });
    // Round-robin: each round measures the bare process and every bundle once, so a busy spell
    // of the machine falls on all of them alike instead of on whichever was measured then.
    const bareRuns: number[] = [];
    const loadRuns: number[][] = files.map(() => []);
    const processRuns: number[][] = files.map(() => []);
    const floorRuns: number[][] = files.map(() => []);
    const isSdk = (handler: HandlerName) => (SDK_HANDLERS as readonly HandlerName[]).includes(handler);
    const floors = artifacts.map(
      (artifact, i) => isSdk(artifact.handler) && floorScript(files[i], Buffer.from(artifact.bundle).toString('utf8')),
    );
    for (let round = 0; round < runs; round += 1) {
      bareRuns.push(processMs(''));
      files.forEach((file, i) => {
        loadRuns[i].push(loadMs(file));
        processRuns[i].push(processMs(`require(${JSON.stringify(file)})`));
        const floor = floors[i];
        if (floor) floorRuns[i].push(processMs(floor));
      });
    }
    const bare = median(bareRuns);
    const figures: Figure[] = [];
    const rows: string[][] = [];
    for (const [i, artifact] of artifacts.entries()) {
      const file = files[i];
      const load = median(loadRuns[i]);
      const proc = median(processRuns[i]);
      const kib = artifact.bundle.byteLength / 1024;
      const sdk = isSdk(artifact.handler);
      const floor = sdk ? median(floorRuns[i]) : undefined;
      const cold: { loadMs: number; firstCallMs: number }[] = [];
      for (let i = 0; sdk && i < runs; i += 1) cold.push(await coldStartMs(file, artifact.handler, s3, bucket));
      const command = 'npm run bench:bundles';
      figures.push(
        atMost(
          `${artifact.handler} bundle`,
          command,
          kib,
          bundleBudgetKiB(artifact.handler),
          formatKiB(artifact.bundle.byteLength),
          ' KiB',
        ),
      );
      if (sdk) {
        figures.push(atMost(`${artifact.handler} in-process load`, command, load, LIMITS.loadMs, `${load.toFixed(1)} ms`, ' ms'));
        figures.push(
          atMost(
            `${artifact.handler} process vs bare node`,
            command,
            proc / bare,
            LIMITS.processRatio,
            `${proc.toFixed(0)} ms / ${bare.toFixed(0)} ms`,
          ),
        );
      }
      rows.push([
        artifact.handler,
        formatKiB(artifact.bundle.byteLength),
        formatKiB(artifact.zip.byteLength),
        load.toFixed(1),
        `${proc.toFixed(0)} (${(proc / bare).toFixed(2)}×)`,
        floor === undefined ? '–' : `${floor.toFixed(0)} (${(floor / bare).toFixed(2)}×)`,
        sdk ? median(cold.map((c) => c.loadMs + c.firstCallMs)).toFixed(1) : '–',
        sdk ? median(cold.map((c) => c.firstCallMs)).toFixed(1) : '–',
      ]);
    }
    process.stdout.write(`node ${process.version}, ${runs} fresh process(es) per figure; bare \`node -e ''\` ${bare.toFixed(0)} ms\n\n`);
    process.stdout.write(
      `${markdownTable(['handler', 'index.js', 'zip', 'load ms', 'process ms', 'floor ms (built-ins + compile)', 'cold start ms (load + first call)', 'first call ms'], rows)}\n`,
    );
    reportFigures(figures);
  } finally {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
