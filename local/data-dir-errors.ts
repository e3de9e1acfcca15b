/**
 * I/O failures of the local runtime's data dir (full disk, read-only mount, missing
 * permission) as one clear line: what the runtime tried, the errno code and what it means.
 * The request that needed the write is answered 503; the process keeps running.
 */

/** What each errno code means, in words an operator acts on. */
const MEANINGS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENOENT: 'the folder is gone',
  ENAMETOOLONG: 'file name too long',
};

/** A data-dir read or write that failed; `message` is one line naming the action, the code and the path. */
export class DataDirIoError extends Error {
  override readonly name = 'DataDirIoError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Wraps an fs error (or anything thrown) met while doing `action`. */
  static from(error: unknown, action: string): DataDirIoError {
    if (error instanceof DataDirIoError) return error;
    const err = error as NodeJS.ErrnoException | undefined;
    const code = typeof err?.code === 'string' ? err.code : 'EIO';
    const where = typeof err?.path === 'string' ? ` (${err.path})` : '';
    return new DataDirIoError(code, `Cannot ${action}: ${code}, ${MEANINGS[code] ?? String(err?.message ?? error)}${where}`, {
      cause: error,
    });
  }
}

/** True for errno codes that mean "the data dir cannot be written now" (a 503, not a bug). */
export function isDataDirIoError(error: unknown): error is DataDirIoError {
  return error instanceof DataDirIoError;
}
