import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError, isServiceUnavailable } from '../shared/errors';
import { getLogger } from '../shared/logger';
import { captureColdStart, countEvents } from '../shared/metrics';
import { s3Client } from '../shared/s3-client';
import { sfnClient } from '../shared/sfn-client';
import { startInvocation, type LambdaContextLike } from '../shared/lambda';
import { errorResponse } from './http';
import { route } from './router';

const logger = getLogger('api');

/** API Gateway REST proxy handler for /orders and /orders/{orderId}. */
export async function handler(event: APIGatewayProxyEvent, context?: LambdaContextLike): Promise<APIGatewayProxyResult> {
  startInvocation(logger, context);
  captureColdStart('api', context?.functionName);
  const requestId = event?.requestContext?.requestId ?? context?.awsRequestId;
  try {
    const result = await route(event, {
      sfn: sfnClient(),
      s3: s3Client(),
      stateMachineArn: process.env.STATE_MACHINE_ARN,
      bucket: process.env.ORDERS_BUCKET,
      onOrderAccepted: () => countEvents('api', { OrdersAccepted: 1 }),
    });
    logger.info('request served', { method: event.httpMethod, resource: event.resource, path: event.path, statusCode: result.statusCode });
    return result;
  } catch (error) {
    if (error instanceof HttpError) {
      logger.info('request rejected', {
        method: event?.httpMethod,
        path: event?.path,
        statusCode: error.statusCode,
        reason: error.message,
        errors: error.errors,
      });
      countEvents('api', { RequestsRejected: 1 });
      return errorResponse(error.statusCode, error.message, error.errors, error.headers);
    }
    if (isServiceUnavailable(error)) {
      logger.warn('dependency unavailable', { method: event?.httpMethod, path: event?.path, requestId, error: error as Error });
      countEvents('api', { RequestsThrottled: 1 });
      return errorResponse(503, 'The order service is temporarily unavailable; retry later', undefined, { 'Retry-After': '1' }, requestId);
    }
    // The stack goes to the log only; the client gets a request id to quote.
    logger.error('request failed', { method: event?.httpMethod, path: event?.path, requestId, error: error as Error });
    countEvents('api', { RequestsFailed: 1 });
    return errorResponse(500, 'Internal server error', undefined, undefined, requestId);
  }
}
