import { buildOrderWorkflowDefinition } from '../../../workflow/order-workflow-definition';
import { startSfnValidationStub, validationResult } from '../../../scripts/terraform/sfn-validation-stub';

const ARNS = {
  orderProcessor: 'arn:aws:lambda:us-east-1:123456789012:function:p',
  inventoryCheck: 'arn:aws:lambda:us-east-1:123456789012:function:i',
  paymentProcess: 'arn:aws:lambda:us-east-1:123456789012:function:pay',
  mergeResults: 'arn:aws:lambda:us-east-1:123456789012:function:m',
  s3Storage: 'arn:aws:lambda:us-east-1:123456789012:function:s',
};

describe('the Step Functions validation stand-in of the offline plan', () => {
  it("GIVEN the order workflow's definition THEN it is OK", () => {
    expect(validationResult(JSON.stringify(buildOrderWorkflowDefinition(ARNS)))).toEqual({ result: 'OK', diagnostics: [] });
  });

  it.each([
    ['a definition whose StartAt names no state', JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Succeed' } } })],
    ['a definition that is not JSON', '{"StartAt":'],
  ])('GIVEN %s THEN it FAILs with an ERROR diagnostic', (_label, definition) => {
    const result = validationResult(definition);
    expect(result.result).toBe('FAIL');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.every((d) => d.severity === 'ERROR' && d.message.length > 0)).toBe(true);
  });

  it('GIVEN the AWS JSON protocol WHEN the provider calls ValidateStateMachineDefinition THEN it answers; other operations get a 400', async () => {
    const stub = await startSfnValidationStub();
    try {
      const call = (target: string, body: unknown) =>
        fetch(stub.url, {
          method: 'POST',
          headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.0' },
          body: JSON.stringify(body),
        });
      const ok = await call('AWSStepFunctions.ValidateStateMachineDefinition', {
        definition: JSON.stringify(buildOrderWorkflowDefinition(ARNS)),
        type: 'STANDARD',
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ result: 'OK', diagnostics: [] });
      const other = await call('AWSStepFunctions.CreateStateMachine', {});
      expect(other.status).toBe(400);
      expect(stub.calls).toEqual(['AWSStepFunctions.ValidateStateMachineDefinition', 'AWSStepFunctions.CreateStateMachine']);
    } finally {
      await stub.close();
    }
  });
});
