/**
 * The minimal Lambda context the handlers use, so the local runtime can pass its own.
 */
import type { Logger } from '@aws-lambda-powertools/logger';

export interface LambdaContextLike {
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

/** Tags the invocation's log lines with its request id (Powertools keeps it until the next call). */
export function startInvocation(logger: Logger, context: LambdaContextLike | undefined): void {
  logger.resetKeys();
  if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
}
