/**
 * Executions of the local state machine, one JSON file each under `<dataDir>/executions/`,
 * written atomically (temporary file + rename) so a crash never leaves half a record.
 * The in-memory map is the source of truth while the process runs; the files let the
 * next start find RUNNING executions and resume them.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  /** The input exactly as given to StartExecution (a JSON string). */
  readonly input: string;
  readonly status: ExecutionStatus;
  /** ISO-8601. */
  readonly startDate: string;
  readonly stopDate?: string;
  /** JSON string of the output when SUCCEEDED. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  /** How many times this execution was (re)started: 1, then +1 per resume after a restart. */
  readonly runs: number;
  /** How many times a FAILED / TIMED_OUT execution was re-driven at a start (as AWS's `redriveCount`). */
  readonly redriveCount?: number;
  /** ISO-8601 time of the last re-drive. */
  readonly redriveDate?: string;
  /** FAILED: the Task state that failed and its input, where a re-drive restarts (kept while the re-drive runs). */
  readonly redriveFrom?: { readonly state: string; readonly input: unknown };
}

export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  /** Per-execution write chain: writes of one record never overtake each other. */
  private readonly writes = new Map<string, Promise<void>>();
  private tmpCounter = 0;

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
    for (const file of readdirSync(directory)) {
      if (!file.endsWith('.json')) continue;
      try {
        const record = JSON.parse(readFileSync(join(directory, file), 'utf8')) as ExecutionRecord;
        if (record && typeof record.name === 'string') this.records.set(record.name, record);
      } catch {
        // A file that does not parse was not written by this store (writes are atomic); skip it.
      }
    }
  }

  get(name: string): ExecutionRecord | undefined {
    return this.records.get(name);
  }

  list(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  /** Sets a record in memory at once (so concurrent callers see it) and persists it. */
  put(record: ExecutionRecord): Promise<void> {
    this.records.set(record.name, record);
    const previous = this.writes.get(record.name) ?? Promise.resolve();
    const next = previous.then(() => this.write(record));
    this.writes.set(record.name, next);
    void next.finally(() => {
      if (this.writes.get(record.name) === next) this.writes.delete(record.name);
    });
    return next;
  }

  /** Waits for every pending write. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private async write(record: ExecutionRecord): Promise<void> {
    const file = join(this.directory, `${encodeURIComponent(record.name)}.json`);
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    await writeFile(tmp, JSON.stringify(record, null, 2));
    await rename(tmp, file);
  }
}
