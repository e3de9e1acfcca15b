import { evaluateExpression, renderTemplate, wholeInterpolation } from '../../policy/hcl-expression';

const scope = {
  variables: new Map<string, unknown>([
    ['env', 'prod'],
    ['tags', { team: 'orders' }],
  ]),
  locals: new Map<string, unknown>([
    ['account', '123456789012'],
    ['chained', '${var.env}-bucket'],
  ]),
};

describe('the HCL literal evaluator', () => {
  it.each<[string, unknown]>([
    ['${-1}', -1],
    ['${true}', true],
    ['${var.env}', 'prod'],
    ['${var.tags.team}', 'orders'],
    ['${local.chained}', 'prod-bucket'],
    ['arn:aws:iam::${local.account}:root', 'arn:aws:iam::123456789012:root'],
    // jsonencode renders to the structure itself, as checkov's evaluator does
    ['${jsonencode({ a = [1, "x"], "b" : null })}', { a: [1, 'x'], b: null }],
    ['${jsonencode({ Resource = "${aws_s3_bucket.b.arn}/*" })}', { Resource: '${aws_s3_bucket.b.arn}/*' }],
    ['${jsonencode({ Principal = { AWS = aws_iam_role.r.arn } })}', { Principal: { AWS: '${aws_iam_role.r.arn}' } }],
    ['${tolist(["a"])}', ['a']],
  ])('renders %s', (input, expected) => {
    expect(renderTemplate(input, scope)).toEqual(expected);
  });

  it.each([
    '${var.unset}',
    '${var.env == "prod" ? 1 : 0}',
    '${aws_s3_bucket.b.id}',
    '${[for s in var.list : upper(s)]}',
    '${jsonencode({ a = var.env == "x" })}',
    '${lookup(var.m, "k")}',
  ])('leaves %s as written (not a literal)', (input) => {
    expect(renderTemplate(input, scope)).toBe(input);
  });

  it('reads heredocs and comments inside jsonencode', () => {
    const r = evaluateExpression('jsonencode({\n  # a comment\n  a = <<-EOT\n    hello\n    EOT\n})');
    expect(r?.value).toEqual({ a: 'hello\n' });
  });

  it('tells a whole interpolation from a template of several', () => {
    expect(wholeInterpolation('${a.b}')).toBe('a.b');
    expect(wholeInterpolation('${a}-${b}')).toBeUndefined();
    expect(wholeInterpolation('${jsonencode({ a = "}" })}')).toBe('jsonencode({ a = "}" })');
  });
});
