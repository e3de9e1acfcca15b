/**
 * The provider bindings type a WAF rule's `statement` as `any` (the schema nests statements in
 * statements, which the generator skips), so cdktf's HCL renderer writes it as an argument,
 * `statement = { ... }`, where Terraform expects nested blocks and rejects the file. When
 * synthesizing HCL, this aspect gives the renderer the block structure instead: in a WAF
 * statement every object is a block and every list of objects is a repeated block. The JSON synth,
 * where Terraform reads blocks from objects and lists alike, is left untouched.
 */
import type { IAspect } from 'cdktf';
import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Resource type → its block attribute whose items hold an `any`-typed value that is really blocks. */
export const ANY_TYPED_BLOCKS: Readonly<Record<string, { readonly attribute: string; readonly nested: string }>> = {
  aws_wafv2_web_acl: { attribute: 'rule', nested: 'statement' },
  aws_wafv2_rule_group: { attribute: 'rule', nested: 'statement' },
};

/** cdktf's HCL attribute descriptor (what generated `synthesizeHclAttributes()` returns per argument). */
interface HclDescriptor {
  value: unknown;
  isBlock?: boolean;
  type?: string;
  storageClassType?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Describes a plain value so that the renderer writes objects as blocks and scalars as arguments. */
export function asBlocks(value: Record<string, unknown>): Record<string, HclDescriptor> {
  const out: Record<string, HclDescriptor> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (isObject(v)) out[key] = { value: asBlocks(v), isBlock: true, type: 'list', storageClassType: 'object' };
    else if (Array.isArray(v) && v.length > 0 && v.every(isObject)) {
      out[key] = {
        value: v.map((item) => asBlocks(item as Record<string, unknown>)),
        isBlock: true,
        type: 'list',
        storageClassType: 'object',
      };
    } else if (Array.isArray(v)) {
      const kind = typeof v[0] === 'number' ? 'numberList' : typeof v[0] === 'boolean' ? 'booleanList' : 'stringList';
      out[key] = { value: v, isBlock: false, type: 'list', storageClassType: kind };
    } else out[key] = { value: v, isBlock: false, type: 'simple', storageClassType: typeof v === 'string' ? 'string' : typeof v };
  }
  return out;
}

export class HclBlockStatements implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const target = ANY_TYPED_BLOCKS[node.terraformResourceType];
    if (!target) return;
    const resource = node as unknown as Record<string, unknown> & { synthesizeHclAttributes(): Record<string, HclDescriptor> };
    const descriptor = resource.synthesizeHclAttributes()[target.attribute];
    if (!descriptor || !Array.isArray(descriptor.value)) return;
    const items = (descriptor.value as Array<Record<string, HclDescriptor>>).map((item) => {
      const nested = item[target.nested];
      if (!nested || !isObject(nested.value)) return item;
      return { ...item, [target.nested]: { value: asBlocks(nested.value), isBlock: true, type: 'list', storageClassType: 'object' } };
    });
    // An override merges into the bindings' own value (lists are appended), so the attribute is
    // reset first and the whole, re-described list is set as the override.
    const reset = `reset${target.attribute.replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase())}`;
    (resource[reset] as () => void).call(resource);
    node.addOverride(target.attribute, { ...descriptor, value: items });
  }
}
