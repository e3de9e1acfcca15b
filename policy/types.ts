/** The shapes shared by the policy engine, its rules and its waivers. */

/** One resource or data source from a synthesized Terraform JSON file. */
export interface TfResource {
  /** Stack: the cdktf stack (folder under cdktf.out/stacks), or for other Terraform the module folder relative to the folder read. */
  readonly stack: string;
  /** `resource` or `data`. */
  readonly mode: 'resource' | 'data';
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Logical name, e.g. `orders_bucket_1A2B3C4D`. */
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.orders_bucket_1A2B3C4D` (`data.` prefix for data sources). */
  readonly address: string;
  /** The configuration as checkov renders it: variables, locals, jsonencode and dynamic blocks resolved where literal (blocks may be objects or arrays). */
  readonly config: Record<string, unknown>;
}

/** Every resource of every loaded stack. */
export interface PolicyModel {
  readonly resources: readonly TfResource[];
  /** Stack names in load order. */
  readonly stacks: readonly string[];
  /** Resources of one type (`data.` prefix selects data sources), optionally in one stack. */
  ofType(type: string, stack?: string): TfResource[];
}

export type FindingStatus = 'pass' | 'fail' | 'unknown';

/** The verdict of one rule on one resource. */
export interface Finding {
  readonly resource: TfResource;
  readonly status: FindingStatus;
  /** Why it failed (or why it could not be evaluated). */
  readonly message?: string;
}

/** A checkov-equivalent rule. */
export interface PolicyRule {
  /** The checkov id, e.g. `CKV_AWS_50`. */
  readonly id: string;
  /** Checkov's title. */
  readonly title: string;
  /** Service area (for grouping in the output). */
  readonly area: string;
  /** Evaluates every applicable resource of the model. */
  evaluate(model: PolicyModel): Finding[];
}
