/**
 * One local runtime per data dir: `<dataDir>/runtime.lock` is created exclusively before
 * anything in the dir is read for resuming, holds the owner's pid and process start time,
 * and is removed when the runtime stops or the process exits. A lock whose process is gone
 * (a crash, `kill -9`) or whose pid now belongs to another process (same pid, different
 * start time) is stale and taken over.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirIoError } from './data-dir-errors';

export const LOCK_FILE_NAME = 'runtime.lock';

/** What the lock file says about its holder. */
export interface LockOwner {
  readonly pid: number;
  /** Kernel start time of the process (Linux `/proc/<pid>/stat` field 22); absent elsewhere. */
  readonly processStart?: string;
  readonly hostname: string;
  /** ISO-8601 time the lock was taken. */
  readonly lockedAt: string;
  /** The holder's command line (shortened), so the message names the process. */
  readonly command: string;
  /** Tells this lock from a later one of the same process. */
  readonly token: string;
}

/** The data dir is held by a live process; the message names it and says what to do. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';

  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `Data dir ${dataDir} is in use by another local runtime: process ${owner.pid} on ${owner.hostname} ` +
        `(${JSON.stringify(owner.command)}, since ${owner.lockedAt}) holds ${join(dataDir, LOCK_FILE_NAME)}. ` +
        'Stop that process, or start with another --data-dir.',
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Removes the lock if it is still this one; safe to call twice. */
  release(): void;
}

/** The kernel start time of a process, or undefined where /proc is not available. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock's holder is certainly gone (or its pid was reused by another process). */
export function isStale(owner: LockOwner | undefined): boolean {
  if (!owner || !Number.isInteger(owner.pid) || owner.pid <= 0) return true;
  // Another machine sharing the folder: its pids mean nothing here, so never steal its lock.
  if (owner.hostname !== hostname()) return false;
  if (!isAlive(owner.pid)) return true;
  const start = processStartTime(owner.pid);
  return owner.processStart !== undefined && start !== undefined && start !== owner.processStart;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return owner && typeof owner === 'object' ? owner : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    // Empty or torn: the holder died between creating and writing it.
    return undefined;
  }
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw DataDirIoError.from(error, `create the data-dir lock ${file}`);
  }
  try {
    writeSync(fd, JSON.stringify(owner, null, 2));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the lock on `dataDir` (which must exist) or throws DataDirLockedError naming the holder. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE_NAME);
  const owner: LockOwner = {
    pid: process.pid,
    ...(processStartTime(process.pid) !== undefined ? { processStart: processStartTime(process.pid) } : {}),
    hostname: hostname(),
    lockedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 200),
    token: randomUUID(),
  };
  for (let attempt = 0; !tryCreate(file, owner); attempt += 1) {
    let holder: LockOwner | undefined;
    try {
      holder = readOwner(file);
    } catch {
      continue; // released between our create and read: try again
    }
    if (!isStale(holder) || attempt >= 3) throw new DataDirLockedError(dataDir, holder ?? { ...owner, pid: 0, command: '?' });
    // Rename before deleting: of two starters that both found it stale, only one moves it.
    const moved = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, moved);
      unlinkSync(moved);
    } catch {
      // Someone else took it over first: the next create attempt decides.
    }
  }
  const onExit = () => release();
  const release = () => {
    process.off('exit', onExit);
    try {
      if (readOwner(file)?.token === owner.token) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', onExit);
  return { file, owner, release };
}
