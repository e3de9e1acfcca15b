/** IAM and KMS rules (checkov CKV_AWS_7, 33, 60, 61, 62, 63, 274, CKV2_AWS_40, 64) and ORDERS_IAM_TRUST_WILDCARD. */
import { asList, blocks, linked, valueCheck, type Verdict, verdictRule } from '../helpers';
import { listOf, type PolicyDocument, policyDocumentSource, readPolicy, type RawStatement, statementsOf } from '../policy-document';
import type { PolicyModel, PolicyRule, TfResource } from '../types';

const area = 'IAM and KMS';

/** Identity policy resources checkov's CKV_AWS_62/63 and CKV2_AWS_40 judge. */
const POLICY_RESOURCES = [
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_policy',
  'aws_ssoadmin_permission_set_inline_policy',
];

/** checkov compares the ARN exactly (another partition's AdministratorAccess is not recognised). */
const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const ACCOUNT_ACCESS = /^(\d{12}|arn:aws:iam::\d{12}:root)/;

/** The document in `policy` (or `inline_policy` for SSO permission sets), read as checkov's extract_policy_dict does. */
function identityDocument(r: TfResource, m: PolicyModel): PolicyDocument | undefined {
  const value = r.config.policy ?? r.config.inline_policy;
  return value === undefined ? undefined : readPolicy(value, r, m);
}

/** Allow statements (an absent Effect is Allow) that have an Action. */
const allowsWithAction = (doc: PolicyDocument | undefined): RawStatement[] =>
  statementsOf(doc).filter((s) => 'Action' in s && (s.Effect ?? 'Allow') === 'Allow');

/** `'AWS' in principal` with `*` among its values. */
function awsWildcard(principal: unknown): boolean {
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * The assume-role document's statements. checkov CKV_AWS_60 reads only a literal JSON string: a
 * `jsonencode(...)` (which checkov renders to a structure) or a data source document is not read.
 */
function trustStatements(r: TfResource, m: PolicyModel, stringOnly: boolean): RawStatement[] | undefined {
  const value = r.config.assume_role_policy;
  if (stringOnly && (typeof value !== 'string' || value.trim().startsWith('${'))) return [];
  const doc = readPolicy(value, r, m);
  if (!doc) return undefined;
  // checkov iterates Statement as a list; a single statement object makes its check error out (passed).
  return Array.isArray(doc.Statement) ? statementsOf(doc) : [];
}

/** checkov CKV_AWS_61 on one trust statement. */
function trustsWholeAccount(s: RawStatement): boolean {
  if (s.Effect === 'Deny') return false;
  const principal = s.Principal;
  if (!principal || typeof principal !== 'object' || Array.isArray(principal) || !('AWS' in principal)) return false;
  const assume =
    typeof s.Action === 'string' ? s.Action === 'sts:AssumeRole' : Array.isArray(s.Action) && s.Action.includes('sts:AssumeRole');
  const condition = s.Condition;
  const externalId =
    !!condition &&
    typeof condition === 'object' &&
    Object.values(condition as Record<string, unknown>).some((c) => !!c && typeof c === 'object' && 'sts:ExternalId' in (c as object));
  if (assume && externalId) return false;
  return asList((principal as Record<string, unknown>).AWS).some((p) => typeof p === 'string' && ACCOUNT_ACCESS.test(p));
}

/** checkov CKV_AWS_33 (resource check) on an aws_kms_key's inline policy: conditional statements are skipped. */
function keyPolicyWildcard(doc: PolicyDocument): boolean {
  return statementsOf(doc).some((s) => {
    if (!('Principal' in s) || s.Effect === 'Deny' || 'Condition' in s) return false;
    const p = s.Principal;
    return awsWildcard(p) || p === '*' || (Array.isArray(p) && p.includes('*'));
  });
}

/** checkov CKV_AWS_33 (graph check) on an aws_kms_key_policy: any Allow to `*` or `AWS: *`, conditions or not. */
function separateKeyPolicyWildcard(doc: PolicyDocument): boolean {
  return statementsOf(doc).some((s) => s.Effect === 'Allow' && (s.Principal === '*' || awsWildcard(s.Principal)));
}

export const iamKmsRules: PolicyRule[] = [
  verdictRule(
    { id: 'CKV_AWS_60', title: 'IAM role allows only specific services or principals to assume it', area },
    ['aws_iam_role'],
    (r, m) => {
      // checkov looks only at `Principal.AWS` of a JSON-string trust policy; a bare `Principal: "*"`, and any
      // jsonencode'd trust policy, pass here (ORDERS_IAM_TRUST_WILDCARD reads every form).
      for (const s of trustStatements(r, m, true) ?? []) {
        if (s.Effect === 'Deny') continue;
        // A statement without Principal makes checkov's check error out, which it reports as passed.
        if (!('Principal' in s)) return 'pass';
        if (awsWildcard(s.Principal)) return 'fail';
      }
      return 'pass';
    },
    'trust policy allows Principal AWS "*"',
  ),
  verdictRule(
    { id: 'ORDERS_IAM_TRUST_WILDCARD', title: 'IAM role trust policy does not allow any principal ("*" or AWS "*")', area },
    ['aws_iam_role'],
    (r, m) => {
      const statements = trustStatements(r, m, false);
      if (!statements) return { verdict: 'unknown', message: 'assume_role_policy is not statically readable' };
      return statements.some((s) => s.Effect !== 'Deny' && (s.Principal === '*' || awsWildcard(s.Principal))) ? 'fail' : 'pass';
    },
    'trust policy allows any principal',
  ),
  verdictRule(
    { id: 'CKV_AWS_61', title: 'IAM role trust policy does not allow assume role from a whole account without sts:ExternalId', area },
    ['aws_iam_role'],
    (r, m): Verdict | { verdict: Verdict; message: string } => {
      const statements = trustStatements(r, m, false) ?? [];
      const bad = statements.find(trustsWholeAccount);
      return bad
        ? {
            verdict: 'fail',
            message: `trust policy lets a whole account assume the role (${listOf((bad.Principal as Record<string, unknown>).AWS).join(', ')})`,
          }
        : 'pass';
    },
    'trust policy lets a whole account assume the role',
  ),
  verdictRule(
    { id: 'CKV_AWS_62', title: 'IAM policies that allow full "*:*" administrative privileges are not created', area },
    POLICY_RESOURCES,
    // An unreadable document passes, as checkov swallows the parse error.
    (r, m) =>
      allowsWithAction(identityDocument(r, m)).some((s) => listOf(s.Action).includes('*') && asList(s.Resource ?? '').includes('*'))
        ? 'fail'
        : 'pass',
    'Allow of Action "*" on Resource "*"',
  ),
  verdictRule(
    { id: 'CKV_AWS_63', title: 'No IAM policy document allows "*" as a statement\'s actions', area },
    POLICY_RESOURCES,
    (r, m) => (allowsWithAction(identityDocument(r, m)).some((s) => listOf(s.Action).includes('*')) ? 'fail' : 'pass'),
    'Allow of Action "*"',
  ),
  verdictRule(
    { id: 'CKV2_AWS_40', title: 'IAM policy does not allow full IAM privileges', area },
    [...POLICY_RESOURCES, 'data.aws_iam_policy_document'],
    (r, m) => {
      // checkov's graph: any statement with an explicit Effect Allow whose actions include iam:* or *,
      // whatever its resources (iam:* on one role is still full IAM). A data source statement must say
      // `effect = "Allow"` to be judged.
      const actions =
        r.mode === 'data'
          ? blocks(r.config.statement)
              .filter((s) => s.effect === 'Allow')
              .flatMap((s) => listOf(s.actions))
          : statementsOf(identityDocument(r, m))
              .filter((s) => s.Effect === 'Allow')
              .flatMap((s) => listOf(s.Action));
      return actions.some((a) => a === 'iam:*' || a === '*') ? 'fail' : 'pass';
    },
    'an Allow statement grants iam:* or *',
  ),
  verdictRule(
    { id: 'CKV_AWS_274', title: 'IAM roles, users and groups do not use the AdministratorAccess policy', area },
    [
      'aws_iam_role',
      'aws_iam_policy_attachment',
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_ssoadmin_managed_policy_attachment',
    ],
    (r) => {
      if (r.type === 'aws_iam_role') return asList(r.config.managed_policy_arns).includes(ADMIN_POLICY_ARN) ? 'fail' : 'pass';
      const arn = r.type === 'aws_ssoadmin_managed_policy_attachment' ? r.config.managed_policy_arn : r.config.policy_arn;
      return asList(arn)[0] === ADMIN_POLICY_ARN ? 'fail' : 'pass';
    },
    'attaches AdministratorAccess',
  ),
  verdictRule(
    { id: 'CKV_AWS_7', title: 'Rotation for customer-created symmetric CMKs is enabled', area },
    ['aws_kms_key'],
    (r) => {
      // checkov judges keys without a spec, SYMMETRIC_DEFAULT and HMAC specs (which AWS cannot rotate); other specs are UNKNOWN.
      const spec = r.config.customer_master_key_spec;
      if (
        spec === undefined ||
        spec === null ||
        spec === '' ||
        spec === 'SYMMETRIC_DEFAULT' ||
        (typeof spec === 'string' && spec.startsWith('HMAC'))
      ) {
        return valueCheck(r.config, ['enable_key_rotation'], [true]);
      }
      return { verdict: 'unknown', message: `customer_master_key_spec ${String(spec)} is asymmetric (checkov: UNKNOWN)` };
    },
    'enable_key_rotation is not true',
  ),
  verdictRule(
    { id: 'CKV_AWS_33', title: 'KMS key policy does not contain a wildcard (*) principal', area },
    ['aws_kms_key'],
    (r, m) => {
      // checkov reads the key's policy only as a structure (jsonencode, an object, a rendered data source
      // document); on a JSON string its check errors out, which it reports as passed.
      const value = r.config.policy;
      const structured = (value !== null && typeof value === 'object') || policyDocumentSource(value, r, m) !== undefined;
      const inline = structured ? readPolicy(value, r, m) : undefined;
      if (inline && keyPolicyWildcard(inline)) return { verdict: 'fail', message: 'an unconditional Allow statement has Principal "*"' };
      for (const p of linked(m, r, 'aws_kms_key_policy')) {
        const doc = readPolicy(p.config.policy, p, m);
        if (doc && separateKeyPolicyWildcard(doc)) return { verdict: 'fail', message: `${p.address} allows Principal "*"` };
      }
      return 'pass';
    },
    'a key policy allows Principal "*"',
  ),
  verdictRule(
    { id: 'CKV2_AWS_64', title: 'KMS key policy is defined', area },
    ['aws_kms_key'],
    // checkov's graph counts only a connected aws_kms_key_policy; the key's own `policy` argument does not.
    (r, m) => (linked(m, r, 'aws_kms_key_policy').length > 0 ? 'pass' : 'fail'),
    'no aws_kms_key_policy for this key (checkov does not count the inline policy argument)',
  ),
];
