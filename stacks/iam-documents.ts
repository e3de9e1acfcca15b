/** IAM policy documents shared by the constructs, as the JSON strings Terraform takes. */

/**
 * A trust policy letting one AWS service assume a role. With `sourceAccount`, only while it acts
 * for that account (`aws:SourceAccount`): the confused-deputy guard AWS recommends for service roles.
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }),
      },
    ],
  });
}
