/**
 * The Step Functions ARN formats: the stack (IAM resources), the API handler (the execution
 * ARN of an order) and the local Step Functions endpoint all build them here.
 */

export interface StateMachineArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stateMachineName: string;
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` */
export function stateMachineArn(p: StateMachineArnParts): string {
  return `arn:${p.partition}:states:${p.region}:${p.accountId}:stateMachine:${p.stateMachineName}`;
}

/** `arn:<partition>:states:<region>:<account>:execution:<name>`: every execution ARN of the machine starts with it and `:`. */
export function executionArnPrefix(p: StateMachineArnParts): string {
  return `arn:${p.partition}:states:${p.region}:${p.accountId}:execution:${p.stateMachineName}`;
}

/** A state machine ARN as Step Functions writes it. */
export const STATE_MACHINE_ARN_PATTERN = /^arn:([a-z-]+):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** The parts of a state machine ARN, or undefined when it is not one. */
export function parseStateMachineArn(arn: string): StateMachineArnParts | undefined {
  const m = STATE_MACHINE_ARN_PATTERN.exec(arn);
  return m ? { partition: m[1], region: m[2], accountId: m[3], stateMachineName: m[4] } : undefined;
}

/** The ARN of the execution named `executionName` of the state machine `stateMachineArnValue`; undefined for a malformed machine ARN. */
export function executionArnOf(stateMachineArnValue: string, executionName: string): string | undefined {
  const parts = parseStateMachineArn(stateMachineArnValue);
  return parts ? `${executionArnPrefix(parts)}:${executionName}` : undefined;
}
