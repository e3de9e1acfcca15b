/**
 * A Catch's `{ Error, Cause }` as one line of text. Its own module: merge-results needs it but
 * none of failed-order's dependencies (the payment simulator stays out of its bundle).
 */
import type { StepError } from './types';

const MAX_REASON_LENGTH = 1000;

/** "Error: message" from a Catch; Lambda errors carry a JSON Cause whose stack we drop. */
export function describeStepError(error: StepError | undefined): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const type = typeof error.Error === 'string' && error.Error ? error.Error : 'Error';
  let message = typeof error.Cause === 'string' ? error.Cause : '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (cause && typeof cause === 'object' && typeof cause.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // A States.* error's Cause is plain text: keep it.
  }
  const text = message ? `${type}: ${message}` : type;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
