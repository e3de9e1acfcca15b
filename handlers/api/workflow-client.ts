/**
 * The two Step Functions calls the API makes, with the execution-name idempotency rules:
 * the execution name is the order id, and its ARN follows from the state machine's ARN.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { ConfigurationError, errorName } from '../shared/errors';
import type { SfnSender } from '../shared/sfn-client';

const STATE_MACHINE_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

/** arn:...:stateMachine:<machine> + name -> arn:...:execution:<machine>:<name> */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  if (!STATE_MACHINE_ARN.test(stateMachineArn)) {
    throw new ConfigurationError(
      `STATE_MACHINE_ARN is ${JSON.stringify(stateMachineArn)}; expected arn:aws:states:<region>:<account>:stateMachine:<name>`,
    );
  }
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

export interface ExecutionInfo {
  readonly executionArn: string;
  readonly status: string;
  readonly input?: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
}

/** The execution named `name`, or undefined when Step Functions has none. */
export async function describeExecution(sfn: SfnSender, stateMachineArn: string, name: string): Promise<ExecutionInfo | undefined> {
  const executionArn = executionArnFor(stateMachineArn, name);
  let output: DescribeExecutionOutput;
  try {
    output = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
  return {
    executionArn: output.executionArn ?? executionArn,
    status: output.status ?? 'UNKNOWN',
    input: output.input,
    startDate: output.startDate,
    stopDate: output.stopDate,
  };
}

/** Starts the execution; `undefined` when one with that name already exists (the caller compares). */
export async function startExecution(sfn: SfnSender, stateMachineArn: string, name: string, input: unknown): Promise<string | undefined> {
  const fallbackArn = executionArnFor(stateMachineArn, name);
  try {
    const output = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return output.executionArn ?? fallbackArn;
  } catch (error) {
    if (errorName(error) === 'ExecutionAlreadyExists') return undefined;
    throw error;
  }
}
