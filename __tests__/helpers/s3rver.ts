/**
 * A real local S3 server for tests (and anything else that wants one): s3rver in a child
 * process, because its ListObjectsV2 continuation tokens use DES, which Node >= 17 only
 * offers with --openssl-legacy-provider (a flag we must not force on jest itself).
 *
 * Usage:
 *   const s3 = await startLocalS3({ buckets: ['orders'] });
 *   ... s3.client, or s3.env for code that builds its own client ...
 *   await s3.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

export interface LocalS3Options {
  /** Buckets created at start. @default [] */
  readonly buckets?: readonly string[];
  /** Data folder; kept on stop when given. @default - a temp folder removed on stop */
  readonly directory?: string;
}

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /** An S3 client for this server (path-style, checksums only when required). */
  readonly client: S3Client;
  /** Environment that makes any AWS SDK v3 S3 client talk to this server. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const CHILD_SOURCE = `
const S3rver = require(process.argv[1]);
const buckets = JSON.parse(process.argv[3]).map((name) => ({ name, configs: [] }));
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2], configureBuckets: buckets, allowMismatchedSignatures: true })
  .run()
  .then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'))
  .catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
process.on('SIGTERM', () => process.exit(0));
`;

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 15 s: ${err}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code}: ${err}`));
    });
  });
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'order-infra-s3-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', CHILD_SOURCE, require.resolve('s3rver'), directory, JSON.stringify(options.buckets ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (error) {
    child.kill('SIGKILL');
    if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
  const client = new S3Client({
    endpoint,
    region: env.AWS_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    port,
    directory,
    client,
    env,
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
