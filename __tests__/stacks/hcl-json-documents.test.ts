import { Aspects, TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { HclSafeJsonDocuments, isHclSynth } from '../../stacks/hcl-json-documents';

function synthPolicies(withAspect: boolean, policyOf: (bucketArn: string) => string): Record<string, { policy: string }> {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'b' });
  new S3BucketPolicy(stack, 'policy', { bucket: bucket.id, policy: policyOf(bucket.arn) });
  if (withAspect) Aspects.of(stack).add(new HclSafeJsonDocuments());
  return JSON.parse(Testing.synth(stack)).resource.aws_s3_bucket_policy;
}

const withReference = (arn: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${arn}/*` }] });

describe('HclSafeJsonDocuments', () => {
  it('GIVEN a one-line JSON policy holding a reference WHEN the aspect runs THEN it becomes jsonencode() of the same document', () => {
    const { policy } = synthPolicies(true, withReference).policy;
    expect(policy).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", "Resource" = "${aws_s3_bucket.bucket.arn}/*"}]})}',
    );
  });

  it('GIVEN no aspect (a JSON synth) THEN the policy stays a literal JSON document', () => {
    const { policy } = synthPolicies(false, withReference).policy;
    expect(JSON.parse(policy).Statement[0].Resource).toBe('${aws_s3_bucket.bucket.arn}/*');
  });

  it.each([
    ['without a reference', () => JSON.stringify({ Version: '2012-10-17', Statement: [] })],
    ['on several lines (rendered as a heredoc)', (arn: string) => JSON.stringify({ Resource: arn }, null, 2)],
    ['that is not JSON', (arn: string) => `{not json ${arn}`],
  ])('GIVEN a value %s THEN the aspect leaves it alone', (_name, policyOf) => {
    expect(synthPolicies(true, policyOf).policy.policy).toBe(synthPolicies(false, policyOf).policy.policy);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    [undefined, false],
  ])('isHclSynth reads SYNTH_HCL_OUTPUT=%s as %s', (value, expected) => {
    expect(isHclSynth({ SYNTH_HCL_OUTPUT: value })).toBe(expected);
  });
});
