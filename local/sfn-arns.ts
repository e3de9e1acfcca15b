/**
 * ARN checks of the local Step Functions endpoint, answering like the service does: a
 * missing ARN is a `ValidationException`, a malformed one `InvalidArn` (with the service's
 * message shapes), a well-formed ARN of something that does not exist `StateMachineDoesNotExist`
 * / `ExecutionDoesNotExist` (decided by the caller).
 */
import { SfnServiceError } from './sfn-service-error';

/** The service's `Arn` member limit. */
const MAX_ARN_LENGTH = 256;
const PARTITION = '(?:aws|aws-cn|aws-us-gov|aws-iso(?:-[a-z])?)';
const NAME = '[^\\s:]{1,80}';
const STATE_MACHINE_ARN = new RegExp(`^arn:${PARTITION}:states:[a-z0-9-]+:\\d{12}:stateMachine:${NAME}(?::[A-Za-z0-9_$-]{1,80})?$`);
const EXECUTION_ARN = new RegExp(`^arn:${PARTITION}:states:[a-z0-9-]+:\\d{12}:(?:execution|express):${NAME}:${NAME}$`);

type ArnKind = 'stateMachine' | 'execution';

/** Throws the service's error for an ARN member that is missing or malformed; returns it when well formed. */
export function checkArn(member: 'stateMachineArn' | 'executionArn', value: unknown, kind: ArnKind): string {
  if (value === undefined || value === null) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (typeof value !== 'string') throw new SfnServiceError('SerializationException', `${member} must be a string`);
  if (value.length < 1 || value.length > MAX_ARN_LENGTH) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length between 1 and ${MAX_ARN_LENGTH}`,
    );
  }
  if (!value.startsWith('arn:')) throw new SfnServiceError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${value}'`);
  const resourceType = value.split(':')[5] ?? '';
  const allowed = kind === 'stateMachine' ? ['stateMachine'] : ['execution', 'express'];
  if (!allowed.includes(resourceType)) {
    throw new SfnServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${resourceType}'`);
  }
  if (!(kind === 'stateMachine' ? STATE_MACHINE_ARN : EXECUTION_ARN).test(value)) {
    throw new SfnServiceError('InvalidArn', `Invalid Arn: '${value}'`);
  }
  return value;
}
