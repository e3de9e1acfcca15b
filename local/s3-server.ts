/**
 * The local S3: our own S3-compatible server (local/s3-server-main.ts) in a child process,
 * loopback only, data under `<dataDir>/s3`, the orders bucket created at start. Stoppable
 * and restartable on the same port without losing data, so fault tests can take S3 away
 * mid-run; `onExit` reports a death nobody asked for (the supervisor restarts it).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalS3Options {
  /** Folder holding the buckets. */
  readonly directory: string;
  /** Buckets created (if missing) at every start. */
  readonly buckets: readonly string[];
  /** Port; 0 picks a free one at first start and keeps it for restarts. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

const CHILD_SCRIPT = join(__dirname, 's3-server-main.ts');
// The child runs the TypeScript source through tsx's require hook (a dev dependency, like
// everything `npm start` runs); ~0.1 s of its start-up.
const TSX_REQUIRE_HOOK = require.resolve('tsx/cjs');
const START_TIMEOUT_MS = 15000;

export class LocalS3Server {
  private child: ChildProcess | undefined;
  private currentPort: number;
  readonly host: string;

  constructor(private readonly options: LocalS3Options) {
    this.currentPort = options.port ?? 0;
    this.host = options.host ?? '127.0.0.1';
  }

  /** `http://127.0.0.1:<port>`; valid after the first start. */
  get endpoint(): string {
    return `http://${this.host}:${this.currentPort}`;
  }

  get port(): number {
    return this.currentPort;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Process id of the running server (fault tests kill it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Called when the server process ends without stop() (killed, crashed). */
  onUnexpectedExit: ((why: string) => void) | undefined;

  /** Starts the server (a no-op when running); restarts reuse the first port. */
  async start(): Promise<void> {
    if (this.child) return;
    mkdirSync(this.options.directory, { recursive: true });
    const args = JSON.stringify({
      host: this.host,
      port: this.currentPort,
      directory: this.options.directory,
      buckets: this.options.buckets,
    });
    const child = fork(CHILD_SCRIPT, [args], {
      execArgv: ['--require', TSX_REQUIRE_HOOK],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(
          new Error(`Local S3 did not start on ${this.host}:${this.currentPort}: ${why}${stderr ? `; stderr: ${stderr.trim()}` : ''}`),
        );
      };
      child.once('message', (msg: { ready?: boolean; port?: number; error?: string }) => {
        if (msg.ready && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        } else fail(msg.error ?? 'unexpected message');
      });
      child.once('exit', (code) => fail(`the process exited with code ${code}`));
    });
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.onUnexpectedExit?.(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    this.currentPort = port;
    this.child = child;
  }

  /** Stops the server and waits for its process to exit; data stays on disk. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ stop: true });
      else child.kill('SIGTERM');
    });
  }
}
