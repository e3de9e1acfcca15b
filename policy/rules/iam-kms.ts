/** IAM and KMS rules (checkov CKV_AWS_7, 33, 60, 61, 62, 63, 274, CKV2_AWS_40, 64). */
import { asList, blocks, connected, isExpression, isSet, isTrue, perResource, unknown } from '../helpers';
import { isWildcardPrincipal, readPolicy, type PolicyDocument, type PolicyStatement } from '../policy-document';
import type { Finding, PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'IAM and KMS';

/** Where identity policies live: resource type → attribute holding the document. */
const IDENTITY_POLICIES: Record<string, string> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
};

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
const ACCOUNT_ACCESS = /^(\d{12}|arn:aws:iam::\d{12}:root)/;

/** Every identity policy document: standalone/inline policy resources, roles' inline_policy blocks, policy-document data sources. */
function identityPolicies(model: PolicyModel): Array<{ resource: TfResource; doc?: PolicyDocument }> {
  const out: Array<{ resource: TfResource; doc?: PolicyDocument }> = [];
  for (const [type, attribute] of Object.entries(IDENTITY_POLICIES)) {
    for (const r of model.ofType(type)) out.push({ resource: r, doc: readPolicy(r.config[attribute], r, model) });
  }
  for (const role of model.ofType('aws_iam_role')) {
    for (const inline of blocks(role.config.inline_policy).filter((b) => isSet(b.policy)))
      out.push({ resource: role, doc: readPolicy(inline.policy, role, model) });
  }
  for (const d of model.ofType('data.aws_iam_policy_document'))
    out.push({ resource: d, doc: readPolicy(`\${data.aws_iam_policy_document.${d.name}.json}`, d, model) });
  return out;
}

/** A rule over identity policies failing on the first Allow statement matching `bad`. */
function statementRule(id: string, title: string, bad: (s: PolicyStatement) => boolean, message: string): PolicyRule {
  return {
    id,
    title,
    area,
    evaluate(model) {
      return identityPolicies(model).map(({ resource, doc }): Finding => {
        if (!doc) return unknown(resource, 'policy is not statically readable');
        const hit = doc.Statement.find((s) => s.Effect === 'Allow' && bad(s));
        return hit ? { resource, status: 'fail', message } : { resource, status: 'pass' };
      });
    },
  };
}

function keyPolicies(model: PolicyModel, key: TfResource): Array<{ owner: TfResource; value: unknown }> {
  const inline = isSet(key.config.policy) ? [{ owner: key, value: key.config.policy }] : [];
  const separate = connected(model, key, 'aws_kms_key_policy', 'key_id', ['key_id']).map((p) => ({ owner: p, value: p.config.policy }));
  return [...inline, ...separate];
}

export const iamKmsRules: PolicyRule[] = [
  perResource(
    { id: 'CKV_AWS_60', title: 'IAM role allows only specific services or principals to assume it', area },
    ['aws_iam_role'],
    (r, m) => {
      const doc = readPolicy(r.config.assume_role_policy, r, m);
      if (!doc) return unknown(r, 'assume_role_policy is not statically readable');
      return doc.Statement.some((s) => s.Effect !== 'Deny' && isWildcardPrincipal(s.Principal))
        ? 'trust policy allows Principal "*"'
        : undefined;
    },
  ),
  perResource(
    { id: 'CKV_AWS_61', title: 'IAM role trust policy does not allow assume role from a whole account without sts:ExternalId', area },
    ['aws_iam_role'],
    (r, m) => {
      const doc = readPolicy(r.config.assume_role_policy, r, m);
      if (!doc) return unknown(r, 'assume_role_policy is not statically readable');
      const bad = doc.Statement.find((s) => {
        if (s.Effect === 'Deny' || s.Principal === '*' || !s.Principal?.AWS) return false;
        const externalId = Object.values(s.Condition ?? {}).some((c) => c && 'sts:ExternalId' in c);
        if (s.Action.includes('sts:AssumeRole') && externalId) return false;
        return s.Principal.AWS.some((p) => ACCOUNT_ACCESS.test(p));
      });
      return bad
        ? `trust policy lets a whole account assume the role (${bad.Principal !== '*' ? bad.Principal?.AWS?.join(', ') : ''})`
        : undefined;
    },
  ),
  statementRule(
    'CKV_AWS_62',
    'IAM policies that allow full "*:*" administrative privileges are not created',
    (s) => s.Action.includes('*') && s.Resource.includes('*'),
    'Allow of Action "*" on Resource "*"',
  ),
  statementRule(
    'CKV_AWS_63',
    'No IAM policy document allows "*" as a statement\'s actions',
    (s) => s.Action.includes('*'),
    'Allow of Action "*"',
  ),
  statementRule(
    'CKV2_AWS_40',
    'IAM policy does not allow full IAM privileges',
    (s) => s.Action.some((a) => a === '*' || a === 'iam:*') && s.Resource.includes('*'),
    'Allow of iam:* on Resource "*"',
  ),
  {
    id: 'CKV_AWS_274',
    title: 'IAM roles, users and groups do not use the AdministratorAccess policy',
    area,
    evaluate(model) {
      const holders: Array<[string, string]> = [
        ['aws_iam_role', 'managed_policy_arns'],
        ['aws_iam_role_policy_attachment', 'policy_arn'],
        ['aws_iam_policy_attachment', 'policy_arn'],
        ['aws_iam_user_policy_attachment', 'policy_arn'],
        ['aws_iam_group_policy_attachment', 'policy_arn'],
        ['aws_iam_role_policy_attachments_exclusive', 'policy_arns'],
      ];
      return holders.flatMap(([type, attribute]) =>
        model
          .ofType(type)
          .map(
            (r): Finding =>
              asList(r.config[attribute]).some((a) => typeof a === 'string' && ADMIN_POLICY.test(a))
                ? { resource: r, status: 'fail', message: `${attribute} attaches AdministratorAccess` }
                : { resource: r, status: 'pass' },
          ),
      );
    },
  },
  perResource({ id: 'CKV_AWS_7', title: 'Rotation for customer-created symmetric CMKs is enabled', area }, ['aws_kms_key'], (r) => {
    const spec = r.config.customer_master_key_spec;
    // Asymmetric and HMAC keys cannot rotate; checkov only judges symmetric keys.
    if (typeof spec === 'string' && !isExpression(spec) && spec !== 'SYMMETRIC_DEFAULT') return undefined;
    return isTrue(r.config.enable_key_rotation) ? undefined : 'enable_key_rotation is not true';
  }),
  perResource({ id: 'CKV_AWS_33', title: 'KMS key policy does not contain a wildcard (*) principal', area }, ['aws_kms_key'], (r, m) => {
    for (const { owner, value } of keyPolicies(m, r)) {
      const doc = readPolicy(value, owner, m);
      if (!doc) return unknown(r, 'key policy is not statically readable');
      const bad = doc.Statement.find((s) => s.Effect === 'Allow' && isWildcardPrincipal(s.Principal));
      if (bad) return `Allow statement ${JSON.stringify(bad.Sid ?? bad.Action.join(','))} has Principal "*"`;
    }
    return undefined;
  }),
  perResource({ id: 'CKV2_AWS_64', title: 'KMS key policy is defined', area }, ['aws_kms_key'], (r, m) =>
    keyPolicies(m, r).length > 0 ? undefined : 'no policy on the key and no aws_kms_key_policy for it',
  ),
];
