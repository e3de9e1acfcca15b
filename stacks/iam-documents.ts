/** IAM policy documents shared by the constructs, as the JSON strings Terraform takes. */

/**
 * A trust policy letting one AWS service assume a role. With `sourceAccount`, only while it acts
 * for that account (`aws:SourceAccount`): the confused-deputy guard. Pass it only for services whose
 * documentation says they send the key when assuming the role (Step Functions, VPC Flow Logs); for
 * others the condition could deny the service itself.
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
