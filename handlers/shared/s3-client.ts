/**
 * The S3 client, created once per bundle on first use (module scope, so warm invocations
 * reuse its connections; lazily, so tests and the local runtime can set the environment
 * first). Configured only by the environment: AWS_REGION, AWS_ENDPOINT_URL_S3,
 * AWS_REQUEST_CHECKSUM_CALCULATION, AWS_S3_FORCE_PATH_STYLE=true for S3-compatible servers
 * addressed by host name, and the credentials Lambda puts there (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN): no default credential chain.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The subset of the client the handlers use, so tests can pass any S3Client. */
export type S3Sender = Pick<S3Client, 'send'>;

export function createS3Client(env: Readonly<Record<string, string | undefined>> = process.env): S3Client {
  // cacheMiddleware: each command's middleware stack is resolved once per client, not on every call.
  return new S3Client({ credentials: fromEnv(), forcePathStyle: env.AWS_S3_FORCE_PATH_STYLE === 'true', cacheMiddleware: true });
}

let client: S3Client | undefined;

export function s3Client(): S3Client {
  client ??= createS3Client();
  return client;
}
