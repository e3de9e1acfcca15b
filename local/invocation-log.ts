/**
 * A record of every function invocation the local runtime made: which execution and
 * Task state caused it, which attempt it was and how it ended. Tests count on it
 * ("payment succeeded exactly once"), the CLI does not print it.
 */
import type { HandlerName } from '../packaging/handlers';

export type InvocationOutcome = 'succeeded' | 'failed' | 'injected-fault';

export interface InvocationRecord {
  /** Order of the invocation in this runtime, from 1. */
  readonly seq: number;
  /** Function (bundle) invoked. */
  readonly handler: HandlerName;
  /** Execution name (the order id) for workflow tasks; undefined for API requests. */
  readonly executionName?: string;
  /** Task state for workflow tasks; undefined for API requests. */
  readonly state?: string;
  /** Attempt of this state in this execution within this process, from 1. */
  readonly attempt: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: InvocationOutcome;
  /** Error name for `failed` and `injected-fault`. */
  readonly errorType?: string;
}

export interface InvocationFilter {
  readonly handler?: HandlerName;
  readonly executionName?: string;
  readonly state?: string;
  readonly outcome?: InvocationOutcome;
}

export class InvocationLog {
  private readonly records: InvocationRecord[] = [];
  private readonly attempts = new Map<string, number>();

  /** Next attempt number of a state in an execution (call once per attempt). */
  nextAttempt(executionName: string | undefined, state: string | undefined): number {
    const key = `${executionName ?? ''}\u0000${state ?? ''}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    return attempt;
  }

  add(record: Omit<InvocationRecord, 'seq'>): InvocationRecord {
    const full = { ...record, seq: this.records.length + 1 };
    this.records.push(full);
    return full;
  }

  /** Every record matching the filter, oldest first. */
  list(filter: InvocationFilter = {}): InvocationRecord[] {
    return this.records.filter(
      (r) =>
        (filter.handler === undefined || r.handler === filter.handler) &&
        (filter.executionName === undefined || r.executionName === filter.executionName) &&
        (filter.state === undefined || r.state === filter.state) &&
        (filter.outcome === undefined || r.outcome === filter.outcome),
    );
  }

  /** How many records match the filter. */
  count(filter: InvocationFilter = {}): number {
    return this.list(filter).length;
  }

  /** Drops every record (tests sharing one runtime reset between cases). */
  clear(): void {
    this.records.length = 0;
    this.attempts.clear();
  }
}
