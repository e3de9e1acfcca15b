/**
 * The Step Functions client, created once per bundle on first use. Configured only by the
 * environment (AWS_REGION, AWS_ENDPOINT_URL_SFN, and the credentials Lambda puts there:
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; no default credential chain),
 * so the local runtime's Step Functions endpoint is reached by the unchanged client.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The subset of the client the api handler uses (DescribeExecution, StartExecution). */
export type SfnSender = Pick<SFNClient, 'send'>;

let client: SFNClient | undefined;

export function sfnClient(): SFNClient {
  // cacheMiddleware: each command's middleware stack is resolved once per client, not on every call.
  client ??= new SFNClient({ credentials: fromEnv(), cacheMiddleware: true });
  return client;
}
