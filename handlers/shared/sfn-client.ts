/**
 * The Step Functions client, created once per bundle on first use. Configured only by the
 * environment (AWS_REGION, AWS_ENDPOINT_URL_SFN, credentials), so the local runtime's
 * Step Functions endpoint is reached by the unchanged client.
 */
import { SFNClient } from '@aws-sdk/client-sfn';

/** The subset of the client the api handler uses (DescribeExecution, StartExecution). */
export type SfnSender = Pick<SFNClient, 'send'>;

let client: SFNClient | undefined;

export function sfnClient(): SFNClient {
  client ??= new SFNClient({});
  return client;
}
