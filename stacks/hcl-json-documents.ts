/**
 * cdktf 0.21's HCL renderer (`cdktf synth --hcl`) writes a one-line string that holds both
 * quotes and a Terraform reference without escaping the quotes (hashicorp/terraform-cdk#3911),
 * so a policy such as `{"Resource":"${aws_s3_bucket.x.arn}"}` becomes invalid HCL. When
 * synthesizing HCL, this aspect rewrites such JSON-document attributes as `jsonencode(...)` of
 * the same document, which the renderer writes correctly. The JSON synth (`cdk.tf.json`, what
 * deploys and what reviewers and the policy suite read) is left untouched.
 */
import { Fn, type IAspect, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/** True when the cdktf CLI asked for HCL (`cdktf synth --hcl` sets SYNTH_HCL_OUTPUT). */
export function isHclSynth(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.SYNTH_HCL_OUTPUT === 'true' || env.SYNTH_HCL_OUTPUT === '1';
}

export class HclSafeJsonDocuments implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    // synthesizeAttributes is the generated bindings' map of Terraform argument names to values.
    const attributes = (node as unknown as { synthesizeAttributes(): Record<string, unknown> }).synthesizeAttributes();
    for (const [name, value] of Object.entries(attributes)) {
      if (!isSingleLineJsonDocumentWithReference(value)) continue;
      node.addOverride(name, Fn.jsonencode(JSON.parse(value)));
    }
  }
}

function isSingleLineJsonDocumentWithReference(value: unknown): value is string {
  if (typeof value !== 'string' || !value.includes('${') || value.includes('\n')) return false;
  if (!value.startsWith('{') && !value.startsWith('[')) return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
