/**
 * `npm run bench:bundles`: each handler's bundle and zip size, and how long its module takes
 * to load (require) in a fresh Node process - the part of a Lambda cold start our code controls.
 * Median of several fresh processes per handler (`--runs N`, default 7).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prebuildHandlerArtifacts } from '../packaging/artifact';
import { formatKiB, markdownTable } from '../scripts/build-handlers';
import { median } from './synth';

/** What the functions get from Terraform; set so module-scope configuration reads succeed. */
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ORDERS_BUCKET: 'orders-bench-orders',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-bench',
  PAYMENT_APPROVAL_LIMIT: '10000',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'Orders',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

/** Milliseconds `require()` of the file takes in a fresh process. */
function loadMs(file: string): number {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...HANDLER_ENV } }).toString());
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${process.argv[runsArg + 1]}`);
  const dir = mkdtempSync(join(tmpdir(), 'order-infra-bench-bundles-'));
  try {
    const rows = prebuildHandlerArtifacts().map((artifact) => {
      const file = join(dir, artifact.handler, 'index.js');
      mkdirSync(join(dir, artifact.handler));
      writeFileSync(file, artifact.bundle);
      const times = Array.from({ length: runs }, () => loadMs(file));
      return [
        artifact.handler,
        formatKiB(artifact.bundle.byteLength),
        formatKiB(artifact.zip.byteLength),
        median(times).toFixed(1),
        Math.min(...times).toFixed(1),
      ];
    });
    process.stdout.write(`node ${process.version}, ${runs} fresh process(es) per handler\n\n`);
    process.stdout.write(`${markdownTable(['handler', 'index.js', 'zip', 'load ms (median)', 'load ms (min)'], rows)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
