/**
 * Stops `npm start` when the processes that launched it go away. A signal sent to `npm`
 * is not always passed down (npm forwards SIGINT and SIGTERM to its child shell only,
 * SIGHUP not at all, and tsx relays only SIGINT and SIGTERM), so the runtime watches its
 * launch chain itself: its parent, and on Linux every ancestor below the session leader
 * (the interactive shell). When one of them exits, the runtime stops as on Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { processStartTime } from './data-dir-lock';

interface Ancestor {
  readonly pid: number;
  readonly start: string | undefined;
}

/** Fields after the command name of /proc/<pid>/stat: [0] state, [1] ppid, [3] session id. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The launch chain: parent, grandparent, ... up to (not including) the session leader or init. */
export function launchAncestors(): Ancestor[] {
  const session = Number(statFields(process.pid)?.[3] ?? 0);
  const chain: Ancestor[] = [];
  let pid = process.ppid;
  while (pid > 1 && pid !== session && chain.length < 16) {
    chain.push({ pid, start: processStartTime(pid) });
    pid = Number(statFields(pid)?.[1] ?? 0);
  }
  return chain;
}

function gone(ancestor: Ancestor): boolean {
  try {
    process.kill(ancestor.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const start = processStartTime(ancestor.pid);
  // A zombie has not been reaped yet but has exited; a new start time means the pid was reused.
  return statFields(ancestor.pid)?.[0] === 'Z' || (ancestor.start !== undefined && start !== undefined && start !== ancestor.start);
}

/** Calls `onGone` once when the parent or an ancestor of the launch chain exits; returns a stop function. */
export function watchLaunchChain(onGone: (pid: number) => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const chain = launchAncestors();
  const timer = setInterval(() => {
    const dead = process.ppid !== parent ? parent : chain.find(gone)?.pid;
    if (dead === undefined) return;
    clearInterval(timer);
    onGone(dead);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
