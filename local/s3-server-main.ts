/**
 * The local S3 server: an ObjectStore behind the S3 REST protocol on one HTTP server.
 * `startS3Server` runs it in this process (tests); run as a script (forked by
 * local/s3-server.ts) it serves in a child process and reports over IPC:
 * `{ ready: true, port }` once listening or `{ error }`; `{ stop: true }` (or the parent
 * going away) closes it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectStore } from './s3-object-store';
import { s3RequestHandler } from './s3-protocol';

export interface S3ServerOptions {
  /** Folder holding the buckets. */
  readonly directory: string;
  /** Buckets created (if missing) at start. @default [] */
  readonly buckets?: readonly string[];
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface RunningS3Server {
  readonly port: number;
  readonly store: ObjectStore;
  close(): Promise<void>;
}

export async function startS3Server(options: S3ServerOptions): Promise<RunningS3Server> {
  const store = ObjectStore.open(options.directory);
  for (const bucket of options.buckets ?? []) store.createBucket(bucket);
  const server: Server = createServer(s3RequestHandler(store));
  // The SDK keeps connections alive; closing must not wait for them.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function runAsChild(): void {
  const options = JSON.parse(process.argv[2]) as S3ServerOptions;
  let running: RunningS3Server | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const exit = () => process.exit(0);
    (running ? running.close() : Promise.resolve()).then(exit, exit);
    setTimeout(exit, 1000).unref();
  };
  startS3Server(options).then(
    (server) => {
      running = server;
      process.send?.({ ready: true, port: server.port });
    },
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
  );
  process.on('message', (msg: { stop?: boolean }) => msg?.stop && stop());
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', () => undefined); // the parent decides when to stop (Ctrl-C reaches the whole group)
}

if (require.main === module) runAsChild();
