/**
 * A real local S3 server for tests (and anything else that wants one): the runtime's own
 * S3-compatible server (local/s3-server-main.ts), in this process, on a free loopback port.
 *
 * Usage:
 *   const s3 = await startLocalS3({ buckets: ['orders'] });
 *   ... s3.client, or s3.env for code that builds its own client ...
 *   await s3.stop();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3Server } from '../../local/s3-server-main';

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
  /** An S3 client for this server (path-style, the SDK's default checksums). */
  readonly client: S3Client;
  /** Environment that makes any AWS SDK v3 S3 client talk to this server. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'order-infra-s3-'));
  const server = await startS3Server({ directory, buckets: options.buckets ?? [] });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    // Any credentials work: the local server does not verify signatures.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_S3_FORCE_PATH_STYLE: 'true',
  };
  const client = new S3Client({
    endpoint,
    region: env.AWS_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  return {
    endpoint,
    port: server.port,
    directory,
    client,
    env,
    async stop() {
      client.destroy();
      await server.close();
      if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
