import { runVerdictCases, type VerdictCase } from '../rule-cases';

const B = 'aws_s3_bucket.b';
const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "orders-data"\n}\n';
/** The bucket plus a split-out resource of `type` whose `bucket` is `link` and with `body`. */
const part = (type: string, body: string, link = 'aws_s3_bucket.b.id') =>
  `${BUCKET}resource "${type}" "part" {\n  bucket = ${link}\n${body}\n}\n`;
const PAB = 'aws_s3_bucket_public_access_block.part';
const pab = (flags: Record<string, boolean | string>) =>
  part(
    'aws_s3_bucket_public_access_block',
    Object.entries({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
      ...flags,
    })
      .map(([k, v]) => `  ${k} = ${v}`)
      .join('\n'),
  );
const P = 'aws_s3_bucket_policy.p';
/** A bucket policy resource holding `statements`, written with jsonencode in HCL. */
const policy = (...statements: string[]) =>
  `${BUCKET}resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [${statements.join(', ')}]\n  })\n}\n`;
const wildcardRead = (condition = '', principal = '"*"') =>
  `{ Effect = "Allow", Principal = ${principal}, Action = "s3:GetObject", Resource = "arn:aws:s3:::orders-data/*"${condition ? `, Condition = ${condition}` : ''} }`;
/** The same bucket policy as a literal JSON string, the only form CKV_AWS_93 reads. */
const jsonPolicy = (...statements: object[]) => ({
  resource: {
    aws_s3_bucket: { b: { bucket: 'orders-data' } },
    aws_s3_bucket_policy: {
      p: { bucket: '${aws_s3_bucket.b.id}', policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
    },
  },
});
const TLS_DENY =
  '{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::orders-data/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }';
const lifecycle = (rule: string) => part('aws_s3_bucket_lifecycle_configuration', `  rule {\n    id = "r"\n${rule}\n  }`);
const ABORT = '    abort_incomplete_multipart_upload {\n      days_after_initiation = 7\n    }';

const cases: VerdictCase[] = [
  { id: 'CKV_AWS_18', name: 'fails a bucket without logging', tf: BUCKET, expect: { [B]: 'fail' } },
  {
    id: 'CKV_AWS_18',
    name: 'passes an inline logging block',
    tf: 'resource "aws_s3_bucket" "b" {\n  logging {\n    target_bucket = "logs"\n  }\n}',
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_18',
    name: 'passes a connected aws_s3_bucket_logging',
    tf: part('aws_s3_bucket_logging', '  target_bucket = "logs"'),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_18',
    name: 'passes the log target bucket too (connected through target_bucket)',
    tf: `${BUCKET}resource "aws_s3_bucket" "logs" {}\nresource "aws_s3_bucket_logging" "l" {\n  bucket = aws_s3_bucket.b.id\n  target_bucket = aws_s3_bucket.logs.id\n}`,
    expect: { [B]: 'pass', 'aws_s3_bucket.logs': 'pass' },
  },

  { id: 'CKV_AWS_21', name: 'fails without versioning', tf: BUCKET, expect: { [B]: 'fail' } },
  {
    id: 'CKV_AWS_21',
    name: 'passes the inline versioning block',
    tf: 'resource "aws_s3_bucket" "b" {\n  versioning {\n    enabled = true\n  }\n}',
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'fails Suspended',
    tf: part('aws_s3_bucket_versioning', '  versioning_configuration {\n    status = "Suspended"\n  }'),
    expect: { [B]: 'fail' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'passes Enabled linked by reference',
    tf: part('aws_s3_bucket_versioning', '  versioning_configuration {\n    status = "Enabled"\n  }'),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'passes Enabled linked by the literal bucket name',
    tf: part('aws_s3_bucket_versioning', '  versioning_configuration {\n    status = "Enabled"\n  }', '"orders-data"'),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'passes Enabled linked through a shared local',
    tf: 'locals {\n  name = "shared"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = local.name\n}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = local.name\n  versioning_configuration {\n    status = "Enabled"\n  }\n}',
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'fails a status that is only known at apply time (a graph equals)',
    tf: part('aws_s3_bucket_versioning', '  versioning_configuration {\n    status = aws_ssm_parameter.s.value\n  }'),
    expect: { [B]: 'fail' },
  },
  {
    id: 'CKV_AWS_21',
    name: 'does not link versioning of another bucket',
    tf: `${BUCKET}resource "aws_s3_bucket" "other" {\n  bucket = "other"\n}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.other.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}`,
    expect: { [B]: 'fail', 'aws_s3_bucket.other': 'pass' },
  },

  {
    id: 'CKV_AWS_145',
    name: 'fails SSE-S3',
    tf: part(
      'aws_s3_bucket_server_side_encryption_configuration',
      '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }',
    ),
    expect: { [B]: 'fail' },
  },
  {
    id: 'CKV_AWS_145',
    name: 'passes aws:kms',
    tf: part(
      'aws_s3_bucket_server_side_encryption_configuration',
      '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n    }\n  }',
    ),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_145',
    name: 'passes aws:kms:dsse inline',
    tf: 'resource "aws_s3_bucket" "b" {\n  server_side_encryption_configuration {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm = "aws:kms:dsse"\n      }\n    }\n  }\n}',
    expect: { [B]: 'pass' },
  },

  { id: 'CKV_AWS_144', name: 'fails without replication', tf: BUCKET, expect: { [B]: 'fail' } },
  {
    id: 'CKV_AWS_144',
    name: 'fails a replication configuration without an Enabled rule',
    tf: part('aws_s3_bucket_replication_configuration', '  role = "r"\n  rule {\n    status = "Disabled"\n  }'),
    expect: { [B]: 'fail' },
  },
  {
    id: 'CKV_AWS_144',
    name: 'passes an Enabled rule',
    tf: part(
      'aws_s3_bucket_replication_configuration',
      '  role = "r"\n  rule {\n    status = "Disabled"\n  }\n  rule {\n    status = "Enabled"\n  }',
    ),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_144',
    name: 'passes a status taken from a variable without default',
    tf: `variable "status" {}\n${part('aws_s3_bucket_replication_configuration', '  role = "r"\n  rule {\n    status = var.status\n  }')}`,
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV_AWS_144',
    name: 'passes the inline replication_configuration with an Enabled rule',
    tf: 'resource "aws_s3_bucket" "b" {\n  replication_configuration {\n    role = "r"\n    rules {\n      status = "Enabled"\n    }\n  }\n}',
    expect: { [B]: 'pass' },
  },

  {
    id: 'CKV_AWS_300',
    name: 'passes an Enabled rule without filter',
    tf: lifecycle(`    status = "Enabled"\n${ABORT}`),
    expect: { 'aws_s3_bucket_lifecycle_configuration.part': 'pass' },
  },
  {
    id: 'CKV_AWS_300',
    name: 'passes an empty filter {}',
    tf: lifecycle(`    status = "Enabled"\n    filter {}\n${ABORT}`),
    expect: { 'aws_s3_bucket_lifecycle_configuration.part': 'pass' },
  },
  {
    id: 'CKV_AWS_300',
    name: 'fails filter { prefix = "" } (checkov counts any filter argument)',
    tf: lifecycle(`    status = "Enabled"\n    filter {\n      prefix = ""\n    }\n${ABORT}`),
    expect: { 'aws_s3_bucket_lifecycle_configuration.part': 'fail' },
  },
  {
    id: 'CKV_AWS_300',
    name: 'fails a Disabled rule',
    tf: lifecycle(`    status = "Disabled"\n${ABORT}`),
    expect: { 'aws_s3_bucket_lifecycle_configuration.part': 'fail' },
  },
  {
    id: 'CKV_AWS_300',
    name: 'fails without abort block',
    tf: lifecycle('    status = "Enabled"\n    expiration {\n      days = 30\n    }'),
    expect: { 'aws_s3_bucket_lifecycle_configuration.part': 'fail' },
  },

  { id: 'CKV2_AWS_61', name: 'fails without lifecycle configuration', tf: BUCKET, expect: { [B]: 'fail' } },
  {
    id: 'CKV2_AWS_61',
    name: 'passes a connected lifecycle configuration',
    tf: lifecycle('    status = "Enabled"'),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV2_AWS_61',
    name: 'fails an inline lifecycle_rule (checkov only looks for the separate resource)',
    tf: 'resource "aws_s3_bucket" "b" {\n  lifecycle_rule {\n    enabled = true\n  }\n}',
    expect: { [B]: 'fail' },
  },

  { id: 'CKV2_AWS_62', name: 'fails without event notifications', tf: BUCKET, expect: { [B]: 'fail' } },
  {
    id: 'CKV2_AWS_62',
    name: 'passes a connected aws_s3_bucket_notification',
    tf: part('aws_s3_bucket_notification', '  eventbridge = true'),
    expect: { [B]: 'pass' },
  },
  {
    id: 'CKV2_AWS_62',
    name: 'passes a notification linked by the literal bucket name',
    tf: part('aws_s3_bucket_notification', '  eventbridge = true', '"orders-data"'),
    expect: { [B]: 'pass' },
  },

  { id: 'CKV2_AWS_6', name: 'fails without public access block', tf: BUCKET, expect: { [B]: 'fail' } },
  { id: 'CKV2_AWS_6', name: 'fails when block_public_policy is false', tf: pab({ block_public_policy: false }), expect: { [B]: 'fail' } },
  { id: 'CKV2_AWS_6', name: 'passes both flags true', tf: pab({}), expect: { [B]: 'pass' } },

  {
    id: 'CKV2_AWS_65',
    name: 'fails ObjectWriter on the ownership controls resource itself',
    tf: part('aws_s3_bucket_ownership_controls', '  rule {\n    object_ownership = "ObjectWriter"\n  }'),
    expect: { 'aws_s3_bucket_ownership_controls.part': 'fail' },
  },
  {
    id: 'CKV2_AWS_65',
    name: 'passes BucketOwnerEnforced (the bucket is not judged)',
    tf: part('aws_s3_bucket_ownership_controls', '  rule {\n    object_ownership = "BucketOwnerEnforced"\n  }'),
    expect: { 'aws_s3_bucket_ownership_controls.part': 'pass' },
  },

  { id: 'CKV_AWS_53', name: 'fails block_public_acls false', tf: pab({ block_public_acls: false }), expect: { [PAB]: 'fail' } },
  { id: 'CKV_AWS_53', name: 'passes true', tf: pab({}), expect: { [PAB]: 'pass' } },
  { id: 'CKV_AWS_53', name: 'passes "true" written as a string', tf: pab({ block_public_acls: '"true"' }), expect: { [PAB]: 'pass' } },
  {
    id: 'CKV_AWS_53',
    name: 'is UNKNOWN for a value left to a variable without default',
    tf: `variable "flag" {}\n${pab({ block_public_acls: 'var.flag' })}`,
    expect: { [PAB]: 'unknown' },
  },
  {
    id: 'CKV_AWS_53',
    name: 'judges a variable default',
    tf: `variable "flag" {\n  default = false\n}\n${pab({ block_public_acls: 'var.flag' })}`,
    expect: { [PAB]: 'fail' },
  },
  { id: 'CKV_AWS_54', name: 'fails block_public_policy false', tf: pab({ block_public_policy: false }), expect: { [PAB]: 'fail' } },
  { id: 'CKV_AWS_54', name: 'passes true', tf: pab({}), expect: { [PAB]: 'pass' } },
  { id: 'CKV_AWS_55', name: 'fails ignore_public_acls false', tf: pab({ ignore_public_acls: false }), expect: { [PAB]: 'fail' } },
  { id: 'CKV_AWS_55', name: 'passes true', tf: pab({}), expect: { [PAB]: 'pass' } },
  {
    id: 'CKV_AWS_56',
    name: 'fails when restrict_public_buckets is missing',
    tf: part('aws_s3_bucket_public_access_block', '  block_public_acls = true'),
    expect: { [PAB]: 'fail' },
  },
  { id: 'CKV_AWS_56', name: 'passes true', tf: pab({}), expect: { [PAB]: 'pass' } },

  {
    id: 'CKV_AWS_70',
    name: 'fails Principal "*" without condition (jsonencode policy)',
    tf: policy(wildcardRead()),
    expect: { [B]: 'unknown', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'fails Principal { AWS = ["*"] }',
    tf: policy(wildcardRead('', '{ AWS = ["*"] }')),
    expect: { [B]: 'unknown', [P]: 'fail' },
  },
  { id: 'CKV_AWS_70', name: 'passes a TLS-only Deny', tf: policy(TLS_DENY), expect: { [B]: 'unknown', [P]: 'pass' } },
  {
    id: 'CKV_AWS_70',
    name: 'passes ArnLike on a specific aws:SourceArn',
    tf: policy(wildcardRead('{ ArnLike = { "aws:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/E1" } }')),
    expect: { [B]: 'unknown', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'fails ArnLike on every ARN of a service',
    tf: policy(wildcardRead('{ ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/x" } }')),
    expect: { [B]: 'unknown', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'passes ArnNotEquals',
    tf: policy(wildcardRead('{ ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::1:role/x" } }')),
    expect: { [B]: 'unknown', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'passes StringEquals aws:SourceVpc',
    tf: policy(wildcardRead('{ StringEquals = { "aws:SourceVpc" = "vpc-1" } }')),
    expect: { [B]: 'unknown', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'fails aws:SourceVpce spelled as IAM documents it (checkov matches aws:sourceVpce case-sensitively)',
    tf: policy(wildcardRead('{ StringEquals = { "aws:SourceVpce" = "vpce-1" } }')),
    expect: { [B]: 'unknown', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'fails an account condition only',
    tf: policy(wildcardRead('{ StringEquals = { "aws:SourceAccount" = "123456789012" } }')),
    expect: { [B]: 'unknown', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'answers on the first wildcard statement (a later bad one is not seen)',
    tf: policy(wildcardRead('{ ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::1:role/x" } }'), wildcardRead()),
    expect: { [B]: 'unknown', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'is UNKNOWN for a policy only known at apply time',
    tf: `${BUCKET}resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = aws_ssm_parameter.p.value\n}`,
    expect: { [B]: 'unknown', [P]: 'unknown' },
  },
  {
    id: 'CKV_AWS_70',
    name: 'reads a policy from an aws_iam_policy_document data source',
    tf: `${BUCKET}data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:GetObject"]\n    resources = ["*"]\n    principals {\n      type = "*"\n      identifiers = ["*"]\n    }\n  }\n}\nresource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = data.aws_iam_policy_document.d.json\n}`,
    expect: { [B]: 'unknown', [P]: 'fail' },
  },

  {
    id: 'CKV_AWS_93',
    name: 'fails an unconditional Deny to "*"',
    tf: jsonPolicy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::orders-data/*' }),
    expect: { [B]: 'pass', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_93',
    name: 'fails an unconditional Deny of Action "*"',
    tf: jsonPolicy({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::1:role/x' }, Action: '*', Resource: '*' }),
    expect: { [B]: 'pass', [P]: 'fail' },
  },
  {
    id: 'CKV_AWS_93',
    name: 'passes a conditional Deny',
    tf: jsonPolicy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
    expect: { [B]: 'pass', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_93',
    name: 'passes a Deny with NotAction',
    tf: jsonPolicy({ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*' }),
    expect: { [B]: 'pass', [P]: 'pass' },
  },
  {
    id: 'CKV_AWS_93',
    name: 'passes a jsonencode policy (checkov reads only JSON strings)',
    tf: policy('{ Effect = "Deny", Principal = "*", Action = "*", Resource = "*" }'),
    expect: { [B]: 'pass', [P]: 'pass' },
  },
];

runVerdictCases('S3', cases);
