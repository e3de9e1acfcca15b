/**
 * cdktf's HCL writer quotes `depends_on` entries (`depends_on = ["aws_s3_bucket.b"]`) and
 * `lifecycle.ignore_changes` attribute names, which Terraform accepts only with a "Quoted
 * references are deprecated" warning per entry. When synthesizing HCL, this aspect hands the
 * writer both lists as bare expressions instead (`depends_on = [aws_s3_bucket.b]`,
 * `ignore_changes = [ami]`). The JSON synth, where quoted names are the syntax, is left untouched.
 */
import type { IAspect } from 'cdktf';
import { Lazy, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/** `[a.b, c.d]` from `["a.b", "${c.d}"]`. */
export function dependsOnExpression(addresses: readonly string[]): string {
  return `[${addresses.map((a) => a.replace(/^\$\{(.*)\}$/, '$1')).join(', ')}]`;
}

export class HclDependsOnReferences implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const ignored = node.lifecycle?.ignoreChanges;
    if (Array.isArray(ignored) && ignored.length > 0) {
      // The writer prints a lifecycle value that starts with "[" as it is.
      node.addOverride('lifecycle.ignore_changes', dependsOnExpression(ignored));
    }
    if (!node.dependsOn || node.dependsOn.length === 0) return;
    const dependsOn = node.dependsOn;
    node.dependsOn = undefined;
    // The entries are tokens (`dependable.fqn`) until synthesis resolves them; the writer prints a
    // `reference` value as it is, unquoted.
    const value = Lazy.stringValue({ produce: (context) => dependsOnExpression(context.resolve(dependsOn) as string[]) });
    node.addOverride('depends_on', { value, type: 'reference' });
  }
}
