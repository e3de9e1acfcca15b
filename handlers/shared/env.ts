/**
 * Environment readers. Read at call time (not import time) so tests and the local
 * runtime can set variables per case; a bad value throws a ConfigurationError naming it.
 */
import { ConfigurationError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

export function requiredEnv(name: string, env: Env = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A positive number (decimals allowed, e.g. 10000 or 2500.50). */
export function positiveNumberEnv(name: string, fallback: number, env: Env = process.env): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d{1,2})?$/.test(raw) || !Number.isFinite(n) || n <= 0) {
    throw new ConfigurationError(`environment variable ${name} is ${JSON.stringify(raw)}; expected a positive amount such as 10000`);
  }
  return n;
}
