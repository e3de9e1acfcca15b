/** Calls the api router and renders a thrown HttpError the way the handler does. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../../../handlers/shared/errors';
import { route } from '../../../handlers/api/router';
import type { ApiDependencies } from '../../../handlers/api/orders-service';
import { apiEvent, type ApiEventOptions } from '../../helpers/api-event';

export interface CallResult {
  readonly status: number;
  readonly body: any;
  readonly headers: Record<string, unknown>;
}

export async function callRoute(deps: ApiDependencies, options: ApiEventOptions): Promise<CallResult> {
  let result: APIGatewayProxyResult;
  try {
    result = await route(apiEvent(options), deps);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.statusCode, body: { message: error.message, errors: error.errors }, headers: { ...error.headers } };
  }
  return { status: result.statusCode, body: JSON.parse(result.body), headers: result.headers ?? {} };
}
