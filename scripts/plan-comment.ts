/**
 * `tsx scripts/plan-comment.ts --stack S --plan-json plan.json --plan-text plan.txt [--run-url U]
 * [--artifact-url A] [--commit SHA]`: the pull-request comment for one stack's plan, printed to stdout
 * (plan.yml posts it). It holds a headline (add/change/destroy/replace counts), a table of every
 * changed resource by action, the security-relevant changes with their documents, and the plan text
 * cut so that the whole comment stays within GitHub's 65,536 characters; the full plan is the
 * workflow artifact it links to. Without a plan JSON (a failed plan) it says so and shows the output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** GitHub rejects an issue comment body longer than this (characters). */
export const COMMENT_LIMIT = 65_536;

/** Resource type → the attributes that hold what a security review reads. */
export const SECURITY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: ['assume_role_policy', 'permissions_boundary'],
  aws_iam_role_policy: ['policy'],
  aws_iam_policy: ['policy'],
  aws_iam_role_policy_attachment: ['policy_arn'],
  aws_kms_key: ['policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_s3_bucket_public_access_block: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
  aws_sns_topic_policy: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_lambda_permission: ['action', 'principal', 'source_arn', 'source_account'],
  aws_security_group: ['ingress', 'egress'],
  aws_security_group_rule: ['type', 'protocol', 'from_port', 'to_port', 'cidr_blocks', 'source_security_group_id'],
  aws_vpc_security_group_ingress_rule: ['ip_protocol', 'from_port', 'to_port', 'cidr_ipv4', 'referenced_security_group_id'],
  aws_vpc_security_group_egress_rule: ['ip_protocol', 'from_port', 'to_port', 'cidr_ipv4', 'referenced_security_group_id'],
  aws_wafv2_web_acl: ['default_action', 'rule'],
  aws_cloudwatch_log_resource_policy: ['policy_document'],
};

export interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; after?: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
}
export interface PlanJson {
  resource_changes?: ResourceChange[];
}

export interface CommentInput {
  readonly stack: string;
  /** `terraform show -json` of the plan; undefined when the plan failed. */
  readonly plan?: PlanJson;
  /** The plan's text output (or the error output of a failed plan). */
  readonly planText?: string;
  readonly runUrl?: string;
  readonly artifactUrl?: string;
  readonly commit?: string;
  /** @default COMMENT_LIMIT */
  readonly limit?: number;
}

export const marker = (stack: string) => `<!-- order-infra-plan:${stack} -->`;

/** `create`, `update`, `delete`, `replace` (delete and create, either order), `read` or `no-op`. */
export function actionOf(actions: readonly string[]): string {
  if (actions.includes('create') && actions.includes('delete')) return 'replace';
  return actions[0] ?? 'no-op';
}

/** The headline, in plan.yml's summary format: replacements count as an add and a destroy, as `terraform plan` counts them. */
export function headline(plan: PlanJson): string {
  const changes = plan.resource_changes ?? [];
  const count = (a: string) => changes.filter((c) => c.change.actions.includes(a)).length;
  const replaced = changes.filter((c) => actionOf(c.change.actions) === 'replace').length;
  return `**${count('create')} to add, ${count('update')} to change, ${count('delete')} to destroy** (${replaced} replaced)`;
}

const ORDER = ['replace', 'delete', 'update', 'create'];
const changed = (plan: PlanJson) =>
  (plan.resource_changes ?? [])
    .filter((c) => ORDER.includes(actionOf(c.change.actions)))
    .sort(
      (a, b) => ORDER.indexOf(actionOf(a.change.actions)) - ORDER.indexOf(actionOf(b.change.actions)) || a.address.localeCompare(b.address),
    );

/** A Markdown table of every changed resource, destructive actions first. */
export function changeTable(plan: PlanJson): string {
  const rows = changed(plan).map((c) => `| ${actionOf(c.change.actions)} | \`${c.address}\` |`);
  if (rows.length === 0) return 'No resource changes.';
  return ['| Action | Resource |', '| --- | --- |', ...rows].join('\n');
}

/** A document attribute for reading: JSON strings pretty-printed, unknown values said so. */
function showValue(change: ResourceChange, attribute: string): string | undefined {
  if (change.change.after_unknown?.[attribute] === true) return '(known after apply)';
  const value = change.change.after?.[attribute];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return undefined;
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, (_k, v) => (Array.isArray(v) && v.length === 0 ? undefined : v), 2);
}

/** One folded section per security-relevant change, each with the documents it sets. */
export function securitySections(plan: PlanJson): string[] {
  return changed(plan)
    .filter((c) => SECURITY_ATTRIBUTES[c.type] && actionOf(c.change.actions) !== 'delete')
    .map((c) => {
      const docs = SECURITY_ATTRIBUTES[c.type]
        .map((a) => [a, showValue(c, a)] as const)
        .filter((d): d is readonly [string, string] => d[1] !== undefined)
        .map(([a, v]) => `\`${a}\`\n\n\`\`\`\`json\n${v}\n\`\`\`\``);
      return `<details><summary>${actionOf(c.change.actions)} <code>${c.address}</code></summary>\n\n${docs.join('\n\n')}\n</details>`;
    });
}

/** Cuts text to at most `room` characters, saying so and where the rest is. */
function cut(text: string, room: number, fullPlan: string): string {
  if (text.length <= room) return text;
  const note = `\n... truncated: ${text.length.toLocaleString('en-US')} characters in all; the full plan is ${fullPlan}.`;
  const keep = Math.max(0, room - note.length);
  return `${text.slice(0, text.lastIndexOf('\n', keep) > 0 ? text.lastIndexOf('\n', keep) : keep)}${note}`;
}

export function renderPlanComment(input: CommentInput): string {
  const limit = input.limit ?? COMMENT_LIMIT;
  const fullPlan = input.artifactUrl ? `the workflow artifact [plan-${input.stack}](${input.artifactUrl})` : 'in the workflow log';
  const head = [marker(input.stack), `### Terraform plan: \`${input.stack}\``];
  const footer = [
    '',
    `Full plan: ${fullPlan}.${input.runUrl ? ` [Workflow run](${input.runUrl})` : ''}${input.commit ? ` · commit ${input.commit.slice(0, 7)}` : ''}`,
  ];
  const planText = input.planText ?? '(no plan output)';
  if (!input.plan) {
    head.push('**Plan failed** - see the output below and the workflow log.');
  } else {
    const security = securitySections(input.plan);
    head.push(headline(input.plan), '', '#### Changed resources', '', changeTable(input.plan), '');
    head.push(`#### Security-relevant changes (${security.length})`, '', ...(security.length ? security : ['None.']), '');
  }
  // The plan text gets whatever room is left; the sections above are what a reviewer must see.
  const fence = (text: string) => ['<details><summary>Show plan</summary>', '', '````', text, '````', '</details>'].join('\n');
  const fixed = [...head, fence(''), ...footer].join('\n').length;
  let body = [...head, fence(cut(planText, limit - fixed - 1, fullPlan)), ...footer].join('\n');
  if (body.length > limit) {
    // Even without plan text the sections are too long: keep the headline and table, drop the documents.
    const short = [...head.slice(0, 7), '#### Security-relevant changes', '', `Too long for one comment; see ${fullPlan}.`, ''];
    body = [...short, fence(cut(planText, limit - [...short, fence(''), ...footer].join('\n').length - 1, fullPlan)), ...footer].join('\n');
  }
  return body.slice(0, limit);
}

export function main(argv: readonly string[], write: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: 'string' },
      'plan-json': { type: 'string' },
      'plan-text': { type: 'string' },
      'run-url': { type: 'string' },
      'artifact-url': { type: 'string' },
      commit: { type: 'string' },
    },
  });
  if (!values.stack) {
    console.error(
      'Usage: plan-comment.ts --stack STACK [--plan-json FILE] [--plan-text FILE] [--run-url URL] [--artifact-url URL] [--commit SHA]',
    );
    return 2;
  }
  const read = (f?: string) => (f && existsSync(f) ? readFileSync(f, 'utf8') : undefined);
  const json = read(values['plan-json']);
  write(
    renderPlanComment({
      stack: values.stack,
      plan: json ? (JSON.parse(json) as PlanJson) : undefined,
      planText: read(values['plan-text']),
      runUrl: values['run-url'],
      artifactUrl: values['artifact-url'] || undefined,
      commit: values.commit,
    }),
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
