/**
 * Executions of the local state machine, one JSON file each under `<dataDir>/executions/`,
 * written atomically (temporary file + rename) so a crash never leaves half a record.
 * The in-memory map is the source of truth while the process runs; the files let the
 * next start find RUNNING executions and resume them.
 *
 * File names are bounded and collision-free for every name Step Functions accepts (1-80
 * characters of any script): a name of only `A-Z a-z 0-9 _ -` is its own file name, any
 * other name is `~<sha256 of the name>.json` (`~` is never part of an execution name).
 * The real name is always the `name` field inside.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirIoError } from './data-dir-errors';

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

/** The file operations the store writes with; tests inject I/O errors (ENOSPC, EROFS, EACCES) here. */
export interface ExecutionFileSystem {
  writeFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const NODE_FILE_SYSTEM: ExecutionFileSystem = { writeFile: (path, data) => writeFile(path, data), rename };

/** A name that is safe as a file name on every file system, as it is. */
const PLAIN_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The file holding the execution named `name` (at most 70 bytes, whatever the name). */
export function executionFileName(name: string): string {
  return PLAIN_NAME.test(name) ? `${name}.json` : `~${createHash('sha256').update(name, 'utf8').digest('hex')}.json`;
}

export interface ExecutionStoreOptions {
  /** @default node:fs/promises */
  readonly fileSystem?: Partial<ExecutionFileSystem>;
  /**
   * Told, in one line, of each record file that cannot be read: it is moved aside to
   * `<file>.unreadable` (kept for the operator, never loaded again) and its execution is not resumed.
   * @default - nothing is told
   */
  readonly onUnreadable?: (message: string) => void;
}

export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  /** Per-execution write chain: writes of one record never overtake each other. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly fs: ExecutionFileSystem;
  private tmpCounter = 0;
  private readonly onUnreadable: (message: string) => void;

  /**
   * Loads every record. Call only while holding the data-dir lock: temporary files left by
   * a process that died mid-write are deleted here.
   */
  constructor(
    private readonly directory: string,
    options: ExecutionStoreOptions = {},
  ) {
    this.fs = { ...NODE_FILE_SYSTEM, ...options.fileSystem };
    this.onUnreadable = options.onUnreadable ?? (() => undefined);
    mkdirSync(directory, { recursive: true });
    for (const file of readdirSync(directory)) {
      if (file.endsWith('.tmp')) unlinkSync(join(directory, file));
      else if (file.endsWith('.json')) this.load(file);
    }
  }

  private load(file: string): void {
    let record: ExecutionRecord;
    try {
      record = JSON.parse(readFileSync(join(this.directory, file), 'utf8')) as ExecutionRecord;
    } catch (error) {
      // Writes are atomic, so a file that does not parse was damaged or written by something else.
      this.setAside(file, error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(error as Error).message})`);
      return;
    }
    if (!record || typeof record !== 'object' || typeof record.name !== 'string' || typeof record.status !== 'string') {
      this.setAside(file, 'is not an execution record (no name or status)');
      return;
    }
    const canonical = executionFileName(record.name);
    if (file !== canonical) {
      // Written under an older naming scheme: move it where the next write goes, so two files never disagree.
      if (existsSync(join(this.directory, canonical))) unlinkSync(join(this.directory, file));
      else renameSync(join(this.directory, file), join(this.directory, canonical));
      if (this.records.has(record.name)) return;
    }
    this.records.set(record.name, record);
  }

  private setAside(file: string, problem: string): void {
    const aside = `${file}.unreadable`;
    try {
      renameSync(join(this.directory, file), join(this.directory, aside));
    } catch {
      this.onUnreadable(
        `Execution record ${join(this.directory, file)} ${problem} and could not be moved aside; its execution is not resumed`,
      );
      return;
    }
    this.onUnreadable(`Execution record ${join(this.directory, file)} ${problem}; moved to ${aside}, its execution is not resumed`);
  }

  get(name: string): ExecutionRecord | undefined {
    return this.records.get(name);
  }

  list(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  /**
   * Sets a record in memory at once (so concurrent callers see it) and persists it.
   * Rejects with a DataDirIoError when the file cannot be written; the memory keeps the record.
   */
  put(record: ExecutionRecord): Promise<void> {
    this.records.set(record.name, record);
    const previous = this.writes.get(record.name) ?? Promise.resolve();
    const write = () => this.write(record);
    // A failed earlier write must not stop this one: the newest version is what counts.
    const next = previous.then(write, write);
    this.writes.set(record.name, next);
    const forget = () => {
      if (this.writes.get(record.name) === next) this.writes.delete(record.name);
    };
    next.then(forget, forget);
    return next;
  }

  /** Forgets a record whose first write failed (a StartExecution that was refused), if it is still `record`. */
  discard(record: ExecutionRecord): void {
    if (this.records.get(record.name) === record) this.records.delete(record.name);
  }

  /** Waits for every pending write (failed ones included). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private async write(record: ExecutionRecord): Promise<void> {
    const file = join(this.directory, executionFileName(record.name));
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    try {
      await this.fs.writeFile(tmp, JSON.stringify(record, null, 2));
      await this.fs.rename(tmp, file);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw DataDirIoError.from(error, `write the record of execution ${JSON.stringify(record.name.slice(0, 80))}`);
    }
  }
}
