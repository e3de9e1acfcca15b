/**
 * The Lambda context the handlers use (the local runtime passes its own), and the start of
 * every invocation's logging: Powertools' own context keys (cold_start, function_name,
 * function_request_id, function_arn, function_memory_size) instead of hand-made ones.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export type LambdaContextLike = Partial<
  Pick<Context, 'awsRequestId' | 'functionName' | 'functionVersion' | 'invokedFunctionArn' | 'memoryLimitInMB'>
>;

/** Clears the previous invocation's keys and tags this one's log lines with its Lambda context. */
export function startInvocation(logger: Logger, context: LambdaContextLike | undefined): void {
  logger.resetKeys();
  // Powertools reads only these fields; the local runtime's context has them all.
  if (context) logger.addContext(context as Context);
}
