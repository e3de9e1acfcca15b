import { Aspects, TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { dependsOnExpression, HclDependsOnReferences } from '../../stacks/hcl-depends-on';

function hcl(withAspect: boolean): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'b' });
  const other = new S3Bucket(stack, 'other', { bucket: 'o' });
  new S3BucketPolicy(stack, 'policy', { bucket: 'b', policy: '{}', dependsOn: [bucket, other], lifecycle: { ignoreChanges: ['policy'] } });
  if (withAspect) Aspects.of(stack).add(new HclDependsOnReferences());
  return Testing.synthHcl(stack) as string;
}

describe('HclDependsOnReferences (depends_on and lifecycle.ignore_changes)', () => {
  it('GIVEN no aspect THEN the writer quotes the references (deprecated in Terraform)', () => {
    expect(hcl(false).replace(/\s+/g, ' ')).toContain('depends_on = [ "aws_s3_bucket.bucket", "aws_s3_bucket.other", ]');
  });

  it('GIVEN the aspect THEN depends_on holds bare references', () => {
    expect(hcl(true)).toContain('depends_on = [aws_s3_bucket.bucket, aws_s3_bucket.other]');
    expect(hcl(true)).toContain('ignore_changes = [policy]');
    expect(hcl(false).replace(/\s+/g, ' ')).toContain('ignore_changes = [ "policy", ]');
  });

  it('GIVEN addresses, some as interpolations THEN the expression lists them bare', () => {
    expect(dependsOnExpression(['aws_s3_bucket.a', '${aws_iam_role.r}'])).toBe('[aws_s3_bucket.a, aws_iam_role.r]');
  });
});
