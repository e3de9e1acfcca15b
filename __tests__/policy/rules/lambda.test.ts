import { modelOf, ruleById, runRuleCases, type RuleCase } from '../rule-cases';

const fn = (extra: Record<string, unknown> = {}) => ({
  resource: { aws_lambda_function: { api: { function_name: 'orders-prod-api', runtime: 'nodejs24.x', role: 'arn', ...extra } } },
});
const permission = (extra: Record<string, unknown>) => ({
  resource: { aws_lambda_permission: { invoke: { action: 'lambda:InvokeFunction', function_name: 'f', ...extra } } },
});
const FN = 'aws_lambda_function.api';
const PERM = 'aws_lambda_permission.invoke';

const cases: RuleCase[] = [
  { id: 'CKV_AWS_50', bad: fn(), offender: FN, good: fn({ tracing_config: { mode: 'Active' } }) },
  { id: 'CKV_AWS_115', bad: fn(), offender: FN, good: fn({ reserved_concurrent_executions: 50 }) },
  { id: 'CKV_AWS_116', bad: fn(), offender: FN, good: fn({ dead_letter_config: { target_arn: '${aws_sqs_queue.dlq.arn}' } }) },
  {
    id: 'CKV_AWS_173',
    bad: fn({ environment: { variables: { A: 'b' } } }),
    offender: FN,
    good: fn({ environment: { variables: { A: 'b' } }, kms_key_arn: '${aws_kms_key.app.arn}' }),
  },
  { id: 'CKV_AWS_272', bad: fn(), offender: FN, good: fn({ code_signing_config_arn: '${aws_lambda_code_signing_config.c.arn}' }) },
  { id: 'CKV_AWS_363', bad: fn({ runtime: 'nodejs16.x' }), offender: FN, good: fn({ runtime: 'nodejs24.x' }) },
  {
    id: 'CKV_AWS_301',
    bad: permission({ principal: '*' }),
    offender: PERM,
    good: permission({ principal: 'apigateway.amazonaws.com', source_arn: 'x' }),
  },
  {
    id: 'CKV_AWS_364',
    bad: permission({ principal: 'apigateway.amazonaws.com' }),
    offender: PERM,
    good: permission({ principal: 'apigateway.amazonaws.com', source_arn: '${aws_api_gateway_rest_api.api.execution_arn}/*' }),
  },
];

runRuleCases('Lambda', cases);

describe('CKV_AWS_363 runtimes', () => {
  it.each([
    ['nodejs20.x', 'fail'],
    ['nodejs18.x', 'fail'],
    ['python3.9', 'fail'],
    ['nodejs22.x', 'pass'],
    ['nodejs24.x', 'pass'],
    ['python3.13', 'pass'],
  ])('%s -> %s', (runtime, status) => {
    expect(ruleById('CKV_AWS_363').evaluate(modelOf(fn({ runtime })))[0].status).toBe(status);
  });
});
