import { runVerdictCases, type VerdictCase } from '../rule-cases';

const ROLE = 'aws_iam_role.r';
const POL = 'aws_iam_policy.p';
const KEY = 'aws_kms_key.k';
/** A role whose trust policy holds `statements` (HCL objects), written with jsonencode. */
const role = (...statements: string[]) =>
  `resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [${statements.join(', ')}]\n  })\n}\n`;
/** The same trust policy as a literal JSON string (cdktf's JSON.stringify form), the only form CKV_AWS_60 reads. */
const jsonRole = (...statements: object[]) => ({
  resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } } },
});
const policy = (statement: string, type = 'aws_iam_policy', name = 'p', attribute = 'policy') =>
  `resource "${type}" "${name}" {\n  ${attribute} = jsonencode({ Version = "2012-10-17", Statement = ${statement} })\n}\n`;
const key = (body = '') => `resource "aws_kms_key" "k" {\n  description = "k"\n${body}\n}\n`;
const keyPolicy = (statement: string) => `  policy = jsonencode({ Version = "2012-10-17", Statement = [${statement}] })`;
const LAMBDA_TRUST = '{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }';
const ROOT_ADMIN = '{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "kms:*", Resource = "*" }';

const cases: VerdictCase[] = [
  {
    id: 'CKV_AWS_60',
    name: 'fails Principal AWS "*"',
    tf: jsonRole({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'CKV_AWS_60',
    name: 'fails a Principal AWS list holding "*"',
    tf: jsonRole({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] }, Action: 'sts:AssumeRole' }),
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'CKV_AWS_60',
    name: 'passes a service principal',
    tf: jsonRole({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'CKV_AWS_60',
    name: 'passes a bare Principal "*" (checkov reads only Principal.AWS)',
    tf: jsonRole({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'CKV_AWS_60',
    name: 'passes a Deny',
    tf: jsonRole({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'CKV_AWS_60',
    name: 'passes a jsonencode trust policy (checkov reads only JSON strings)',
    tf: role('{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'ORDERS_IAM_TRUST_WILDCARD',
    name: 'fails a jsonencode trust policy with AWS "*"',
    tf: role('{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'ORDERS_IAM_TRUST_WILDCARD',
    name: 'fails a bare Principal "*"',
    tf: role('{ Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'fail' },
  },
  { id: 'ORDERS_IAM_TRUST_WILDCARD', name: 'passes a service principal', tf: role(LAMBDA_TRUST), expect: { [ROLE]: 'pass' } },
  {
    id: 'ORDERS_IAM_TRUST_WILDCARD',
    name: 'is UNKNOWN for a trust policy only known at apply time',
    tf: 'resource "aws_iam_role" "r" {\n  assume_role_policy = aws_ssm_parameter.t.value\n}',
    expect: { [ROLE]: 'unknown' },
  },

  {
    id: 'CKV_AWS_61',
    name: 'fails a whole account as principal',
    tf: role('{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'CKV_AWS_61',
    name: 'fails a bare account id',
    tf: role('{ Effect = "Allow", Principal = { AWS = ["123456789012"] }, Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'CKV_AWS_61',
    name: 'passes a whole account with sts:ExternalId',
    tf: role(
      '{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "sts:AssumeRole", Condition = { StringEquals = { "sts:ExternalId" = "x" } } }',
    ),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'CKV_AWS_61',
    name: 'passes a specific role',
    tf: role('{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:role/ci" }, Action = "sts:AssumeRole" }'),
    expect: { [ROLE]: 'pass' },
  },
  {
    id: 'CKV_AWS_61',
    name: 'reads a trust policy from a data source',
    tf: 'data "aws_iam_policy_document" "t" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type = "AWS"\n      identifiers = ["arn:aws:iam::123456789012:root"]\n    }\n  }\n}\nresource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.t.json\n}',
    expect: { [ROLE]: 'fail' },
  },

  {
    id: 'CKV_AWS_62',
    name: 'fails Action "*" on Resource "*"',
    tf: policy('[{ Effect = "Allow", Action = "*", Resource = "*" }]'),
    expect: { [POL]: 'fail' },
  },
  {
    id: 'CKV_AWS_62',
    name: 'fails a statement without Effect (Allow)',
    tf: policy('{ Action = ["*"], Resource = ["*"] }'),
    expect: { [POL]: 'fail' },
  },
  {
    id: 'CKV_AWS_62',
    name: 'passes Action "*" on one resource',
    tf: policy('[{ Effect = "Allow", Action = "*", Resource = "arn:aws:s3:::b" }]'),
    expect: { [POL]: 'pass' },
  },
  { id: 'CKV_AWS_62', name: 'passes a Deny', tf: policy('[{ Effect = "Deny", Action = "*", Resource = "*" }]'), expect: { [POL]: 'pass' } },
  {
    id: 'CKV_AWS_62',
    name: 'judges SSO permission set inline policies',
    tf: policy('[{ Effect = "Allow", Action = "*", Resource = "*" }]', 'aws_ssoadmin_permission_set_inline_policy', 'ps', 'inline_policy'),
    expect: { 'aws_ssoadmin_permission_set_inline_policy.ps': 'fail' },
  },
  {
    id: 'CKV_AWS_62',
    name: 'reads cdktf JSON policy strings',
    tf: {
      resource: {
        aws_iam_role_policy: {
          rp: { role: 'r', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) },
        },
      },
    },
    expect: { 'aws_iam_role_policy.rp': 'fail' },
  },
  {
    id: 'CKV_AWS_62',
    name: 'passes a policy only known at apply time (checkov cannot read it)',
    tf: 'resource "aws_iam_policy" "p" {\n  policy = aws_ssm_parameter.p.value\n}',
    expect: { [POL]: 'pass' },
  },

  {
    id: 'CKV_AWS_63',
    name: 'fails Action "*" on a specific resource',
    tf: policy('[{ Effect = "Allow", Action = "*", Resource = "arn:aws:s3:::b" }]'),
    expect: { [POL]: 'fail' },
  },
  {
    id: 'CKV_AWS_63',
    name: 'passes service wildcards',
    tf: policy('[{ Effect = "Allow", Action = "s3:*", Resource = "*" }]'),
    expect: { [POL]: 'pass' },
  },

  {
    id: 'CKV2_AWS_40',
    name: 'fails iam:* on a specific resource',
    tf: policy('[{ Effect = "Allow", Action = ["iam:*"], Resource = "arn:aws:iam::1:role/x" }]'),
    expect: { [POL]: 'fail' },
  },
  { id: 'CKV2_AWS_40', name: 'fails "*"', tf: policy('[{ Effect = "Allow", Action = "*", Resource = "*" }]'), expect: { [POL]: 'fail' } },
  {
    id: 'CKV2_AWS_40',
    name: 'passes iam:PassRole',
    tf: policy('[{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]'),
    expect: { [POL]: 'pass' },
  },
  {
    id: 'CKV2_AWS_40',
    name: 'fails a data source statement with effect Allow',
    tf: 'data "aws_iam_policy_document" "d" {\n  statement {\n    effect = "Allow"\n    actions = ["iam:*"]\n    resources = ["*"]\n  }\n}',
    expect: { 'data.aws_iam_policy_document.d': 'fail' },
  },
  {
    id: 'CKV2_AWS_40',
    name: 'passes a data source statement without effect (checkov filters on an explicit Allow)',
    tf: 'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["iam:*"]\n    resources = ["*"]\n  }\n}',
    expect: { 'data.aws_iam_policy_document.d': 'pass' },
  },

  {
    id: 'CKV_AWS_274',
    name: 'fails an AdministratorAccess attachment',
    tf: 'resource "aws_iam_role_policy_attachment" "a" {\n  role = "r"\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}',
    expect: { 'aws_iam_role_policy_attachment.a': 'fail' },
  },
  {
    id: 'CKV_AWS_274',
    name: 'fails a role listing it in managed_policy_arns',
    tf: 'resource "aws_iam_role" "r" {\n  assume_role_policy = "{}"\n  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n}',
    expect: { [ROLE]: 'fail' },
  },
  {
    id: 'CKV_AWS_274',
    name: 'fails an SSO managed policy attachment',
    tf: 'resource "aws_ssoadmin_managed_policy_attachment" "s" {\n  instance_arn = "i"\n  permission_set_arn = "p"\n  managed_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}',
    expect: { 'aws_ssoadmin_managed_policy_attachment.s': 'fail' },
  },
  {
    id: 'CKV_AWS_274',
    name: 'passes another managed policy',
    tf: 'resource "aws_iam_user_policy_attachment" "a" {\n  user = "u"\n  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"\n}',
    expect: { 'aws_iam_user_policy_attachment.a': 'pass' },
  },

  { id: 'CKV_AWS_7', name: 'fails a symmetric key without rotation', tf: key(), expect: { [KEY]: 'fail' } },
  { id: 'CKV_AWS_7', name: 'passes rotation enabled', tf: key('  enable_key_rotation = true'), expect: { [KEY]: 'pass' } },
  {
    id: 'CKV_AWS_7',
    name: 'is UNKNOWN for an asymmetric key',
    tf: key('  customer_master_key_spec = "RSA_2048"'),
    expect: { [KEY]: 'unknown' },
  },

  { id: 'CKV_AWS_33', name: 'passes an account root principal', tf: key(keyPolicy(ROOT_ADMIN)), expect: { [KEY]: 'pass' } },
  {
    id: 'CKV_AWS_33',
    name: 'fails Principal "*" without condition',
    tf: key(keyPolicy('{ Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*" }')),
    expect: { [KEY]: 'fail' },
  },
  {
    id: 'CKV_AWS_33',
    name: 'fails a Principal list holding "*"',
    tf: key(keyPolicy('{ Effect = "Allow", Principal = ["*"], Action = "kms:Decrypt", Resource = "*" }')),
    expect: { [KEY]: 'fail' },
  },
  {
    id: 'CKV_AWS_33',
    name: 'fails Principal AWS "*"',
    tf: key(keyPolicy('{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*" }')),
    expect: { [KEY]: 'fail' },
  },
  {
    id: 'CKV_AWS_33',
    name: 'passes a wildcard principal with a condition (checkov skips conditional statements)',
    tf: key(
      keyPolicy(
        '{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*", Condition = { StringEquals = { "kms:CallerAccount" = "123456789012" } } }',
      ),
    ),
    expect: { [KEY]: 'pass' },
  },
  {
    id: 'CKV_AWS_33',
    name: 'passes a JSON-string key policy whatever it says (checkov errors out on strings and reports passed)',
    tf: {
      resource: {
        aws_kms_key: {
          k: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] }) },
        },
      },
    },
    expect: { [KEY]: 'pass' },
  },
  {
    id: 'CKV_AWS_33',
    name: 'fails a wildcard in a separate aws_kms_key_policy, condition or not',
    tf: `${key()}resource "aws_kms_key_policy" "kp" {\n  key_id = aws_kms_key.k.id\n${keyPolicy('{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*", Condition = { StringEquals = { "kms:CallerAccount" = "1" } } }')}\n}`,
    expect: { [KEY]: 'fail' },
  },

  { id: 'CKV2_AWS_64', name: 'fails a key without aws_kms_key_policy', tf: key(keyPolicy(ROOT_ADMIN)), expect: { [KEY]: 'fail' } },
  {
    id: 'CKV2_AWS_64',
    name: 'passes a connected aws_kms_key_policy',
    tf: `${key()}resource "aws_kms_key_policy" "kp" {\n  key_id = aws_kms_key.k.id\n${keyPolicy(ROOT_ADMIN)}\n}`,
    expect: { [KEY]: 'pass' },
  },
];

runVerdictCases('IAM and KMS', cases);
