/**
 * Fault injection for the local workflow runner: make a Task state fail with a chosen
 * Lambda error for its first N attempts per execution (or always), BEFORE its bundle is
 * invoked, so the definition's own Retry and Catch rules are what gets exercised.
 *
 * Spec: `<TaskState>:<ErrorName>[:<count>|always]`, several joined by commas, e.g.
 * `CheckInventory:Lambda.ServiceException:2,StoreOrder:Lambda.TooManyRequestsException:always`.
 * The count defaults to 1.
 */
import { TASK_STATE_FUNCTIONS, type TaskStateName } from '../workflow/order-workflow-definition';

export interface FaultSpec {
  /** Task state that fails. */
  readonly state: TaskStateName;
  /** Error name the Task fails with, as Step Functions reports it (e.g. `Lambda.ServiceException`). */
  readonly error: string;
  /** Attempts per execution that fail; `'always'` fails every attempt. */
  readonly times: number | 'always';
}

export const TASK_STATE_NAMES = Object.keys(TASK_STATE_FUNCTIONS) as TaskStateName[];

/** Step Functions error names: letters, digits and `._-`, not empty. */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;

/** Thrown for an invalid fault spec; the message names the part, its value and the fix. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/** Parses one `<state>:<error>[:<count>|always]` item. */
export function parseFaultSpec(text: string): FaultSpec {
  const parts = text.trim().split(':');
  const [state, error, count] = parts;
  const problems: string[] = [];
  if (parts.length < 2 || parts.length > 3) {
    throw new FaultSpecError(
      `Fault "${text}" is malformed; write <TaskState>:<ErrorName>[:<count>|always], e.g. CheckInventory:Lambda.ServiceException:2`,
    );
  }
  if (!(TASK_STATE_NAMES as string[]).includes(state)) {
    problems.push(`state "${state}" is not a Task state of the order workflow (use one of ${TASK_STATE_NAMES.join(', ')})`);
  }
  if (!ERROR_NAME.test(error ?? '')) {
    problems.push(`error "${error}" is not a valid error name (letters, digits, ".", "_" or "-", e.g. Lambda.ServiceException)`);
  }
  let times: number | 'always' = 1;
  if (count !== undefined) {
    if (count === 'always') times = 'always';
    else if (/^[1-9][0-9]{0,5}$/.test(count)) times = Number(count);
    else problems.push(`count "${count}" must be a whole number from 1 to 999999 or "always"`);
  }
  if (problems.length > 0) throw new FaultSpecError(`Fault "${text}": ${problems.join('; ')}`);
  return { state: state as TaskStateName, error, times };
}

/** Parses a comma-separated list of fault specs (empty or undefined → no faults). */
export function parseFaultList(text: string | undefined): FaultSpec[] {
  if (!text || text.trim() === '') return [];
  return text
    .split(',')
    .filter((item) => item.trim() !== '')
    .map(parseFaultSpec);
}

/** The error a faulted Task throws: its `name` is what Retry/Catch `ErrorEquals` match. */
export class InjectedFaultError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Decides, per execution and Task state, whether the next attempt fails. Counting is
 * per execution so one order's retries never use up another order's faults.
 */
export class FaultInjector {
  private faults: FaultSpec[];
  private readonly attempts = new Map<string, number>();

  constructor(faults: readonly FaultSpec[] = []) {
    this.faults = [...faults];
  }

  /** Replaces the active faults (counters restart); tests switch faults on a running runtime. */
  set(faults: readonly FaultSpec[]): void {
    this.faults = [...faults];
    this.attempts.clear();
  }

  /** The active faults. */
  list(): readonly FaultSpec[] {
    return this.faults;
  }

  /** Returns the error to fail this attempt with, or undefined to run the bundle. */
  check(executionName: string, state: string): InjectedFaultError | undefined {
    const fault = this.faults.find((f) => f.state === state);
    if (!fault) return undefined;
    const key = `${executionName}\u0000${state}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    if (fault.times !== 'always' && attempt > fault.times) return undefined;
    const of = fault.times === 'always' ? 'always' : `${attempt} of ${fault.times}`;
    return new InjectedFaultError(fault.error, `Injected fault ${fault.error} in state ${state} (attempt ${of}) by the local runtime`);
  }

  /** Forgets an execution's counters once it has ended. */
  forget(executionName: string): void {
    for (const key of this.attempts.keys()) {
      if (key.startsWith(`${executionName}\u0000`)) this.attempts.delete(key);
    }
  }
}
