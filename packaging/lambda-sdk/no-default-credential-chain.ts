/**
 * Replaces `@aws-sdk/credential-provider-node` (the default credential chain: SSO, STS web
 * identity, INI files, IMDS...) in Lambda bundles. Lambda puts the function's credentials in
 * the environment, and every client here is built with `fromEnv()`, so the chain is never
 * consulted; dropping it removes STS/SSO clients from every bundle that uses the AWS SDK.
 */
export function defaultProvider(): () => Promise<never> {
  return async () => {
    throw new Error(
      'The default AWS credential chain is not bundled: pass credentials from the environment ' +
        '(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) with fromEnv()',
    );
  };
}
