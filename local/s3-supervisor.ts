/**
 * Keeps the local S3 server alive: when its process dies without being asked to stop
 * (killed, crashed), it is started again on the same port and data, retrying with a
 * growing wait until it is back. While it is down, `unavailable()` says so, and the local
 * API answers 503 with Retry-After instead of accepting orders it could not store.
 * A stop asked for through `stop()` (or the runtime's `s3.stop()`, which fault tests use
 * to take S3 away) is not undone.
 */
import type { LocalS3Server } from './s3-server';

/** First wait before another start attempt; doubles up to RESTART_MAX_WAIT_MS. */
export const RESTART_FIRST_WAIT_MS = 50;
export const RESTART_MAX_WAIT_MS = 2000;
/** What clients are told to wait: a restart takes well under a second when the machine is not starved. */
export const RETRY_AFTER_SECONDS = 1;

export interface S3Outage {
  readonly retryAfterSeconds: number;
  readonly message: string;
}

export class S3Supervisor {
  private stopped = false;
  private restarting: Promise<void> | undefined;
  private restartCount = 0;

  constructor(private readonly server: LocalS3Server) {
    server.onUnexpectedExit = () => {
      if (!this.stopped) this.restarting ??= this.restart().finally(() => (this.restarting = undefined));
    };
  }

  /** Restarts after unexpected deaths so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Undefined while the server runs; otherwise what to answer instead of serving. */
  unavailable(): S3Outage | undefined {
    if (this.server.running) return undefined;
    return {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      message: 'The order store is temporarily unavailable; nothing was accepted. Retry after the Retry-After seconds.',
    };
  }

  /** Resolves once a restart under way (if any) has finished. */
  async settled(): Promise<void> {
    await this.restarting;
  }

  private async restart(): Promise<void> {
    let wait = RESTART_FIRST_WAIT_MS;
    while (!this.stopped && !this.server.running) {
      try {
        await this.server.start();
        this.restartCount += 1;
      } catch {
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, RESTART_MAX_WAIT_MS);
      }
    }
  }

  /** Stops supervising and the server (data stays on disk). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting;
    await this.server.stop();
  }
}
