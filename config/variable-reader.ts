/**
 * Reading `ORDERS_*` environment variables: `ORDERS_<ENV>_<NAME>` wins over `ORDERS_<NAME>`, and every
 * problem is collected so that one `ConfigError` can name them all.
 */
import { TAG_KEY } from './patterns';
import type { EnvironmentName } from './types';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid order-infra configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment variables configuration is read from. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads `ORDERS_<ENV>_<NAME>` or `ORDERS_<NAME>`, collecting every problem. */
export class VariableReader {
  private readonly problems: string[] = [];
  constructor(
    private readonly environment: EnvironmentName,
    private readonly env: Env,
  ) {}

  private lookup(name: string): { variable: string; value: string | undefined } {
    const specific = `ORDERS_${this.environment.toUpperCase()}_${name}`;
    if (this.env[specific] !== undefined) return { variable: specific, value: this.env[specific]!.trim() };
    const general = `ORDERS_${name}`;
    return { variable: general, value: this.env[general]?.trim() };
  }

  problem(name: string, value: string, expected: string): void {
    const { variable } = this.lookup(name);
    this.problems.push(`${variable} (${this.environment}) is ${JSON.stringify(value)}; expected ${expected}`);
  }

  string(name: string, fallback: string, pattern: RegExp, expected: string, check: (v: string) => boolean = () => true): string {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (!pattern.test(value) || !check(value)) {
      this.problem(name, value, expected);
      return fallback;
    }
    return value;
  }

  optional(name: string, pattern: RegExp, expected: string): string | undefined {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return undefined;
    if (!pattern.test(value)) {
      this.problem(name, value, expected);
      return undefined;
    }
    return value;
  }

  integer(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
    return this.optionalInteger(name, fallback, check, expected) ?? fallback;
  }

  optionalInteger(name: string, fallback: number | undefined, check: (n: number) => boolean, expected: string): number | undefined {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || !check(n)) {
      this.problem(name, value, expected);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    this.problem(name, value, 'true or false');
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const { value } = this.lookup(name);
    if (value === undefined || value === '') return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, value, `one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  /** A comma-separated list; an empty (but set) variable means an empty list. */
  list(name: string, fallback: readonly string[], pattern: RegExp, expected: string, check: (v: string) => boolean = () => true): string[] {
    const { value } = this.lookup(name);
    if (value === undefined) return [...fallback];
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !pattern.test(i) || !check(i));
    if (bad.length > 0) {
      this.problem(name, value, `${expected} (not valid: ${bad.join(', ')})`);
      return [...fallback];
    }
    return [...new Set(items)];
  }

  /** `key=value,key=value` */
  tags(name: string): Record<string, string> {
    const { value } = this.lookup(name);
    const tags: Record<string, string> = {};
    if (!value) return tags;
    for (const pair of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      const key = eq > 0 ? pair.slice(0, eq).trim() : '';
      const tagValue = eq > 0 ? pair.slice(eq + 1).trim() : '';
      if (
        !TAG_KEY.test(key) ||
        key.toLowerCase().startsWith('aws:') ||
        tagValue.length > 256 ||
        ['Project', 'Environment', 'ManagedBy'].includes(key)
      ) {
        this.problem(
          name,
          value,
          'key=value pairs separated by commas (keys up to 128 characters, not starting with aws:, not Project/Environment/ManagedBy)',
        );
        return {};
      }
      tags[key] = tagValue;
    }
    return tags;
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
