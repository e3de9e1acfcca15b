/**
 * Typed errors. Lambda reports `name` as the error type Step Functions sees in
 * `$.error.Error`, so each class sets it; `cause` keeps the original error for the logs.
 */
import type { FieldError } from './order-schema';

/** The order failed validation inside the workflow: permanent, never retried. */
export class OrderValidationError extends Error {
  constructor(
    readonly errors: readonly FieldError[],
    options?: { cause?: unknown },
  ) {
    super(`order is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, options);
    this.name = 'OrderValidationError';
  }
}

/** A step received a state it cannot work with (a contract violation, not a customer error). */
export class InvalidStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidStateError';
  }
}

/** An environment variable is missing or malformed: the deployment is broken. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** An answer the API gives on purpose (4xx): carries its status and field errors. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errors?: readonly FieldError[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** An error's name as AWS SDK v3 reports it (`ExecutionDoesNotExist`, `NoSuchKey`, ...). */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Error names AWS services use for "not now": the request was not carried out and may be retried. */
const UNAVAILABLE_ERRORS = new Set(['ServiceUnavailable', 'ServiceUnavailableException', 'ThrottlingException', 'SlowDown']);

/**
 * True when a dependency refused a call without carrying it out (a 503, throttling, or no
 * connection at all): the API answers 503 with Retry-After, and the client's retry is safe.
 */
export function isServiceUnavailable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  return (
    e?.$metadata?.httpStatusCode === 503 || (typeof e?.name === 'string' && UNAVAILABLE_ERRORS.has(e.name)) || e?.code === 'ECONNREFUSED'
  );
}
