/**
 * The two Step Functions calls the API makes, with the execution-name idempotency rules:
 * the execution name is the order id, and its ARN follows from the state machine's ARN.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { ConfigurationError, errorName } from '../shared/errors';
import { executionArnOf } from '../../spec/arns';
import type { SfnSender } from '../shared/sfn-client';

/** arn:...:stateMachine:<machine> + name -> arn:...:execution:<machine>:<name> (the spec's format). */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const arn = executionArnOf(stateMachineArn, executionName);
  if (arn === undefined) {
    throw new ConfigurationError(
      `STATE_MACHINE_ARN is ${JSON.stringify(stateMachineArn)}; expected arn:aws:states:<region>:<account>:stateMachine:<name>`,
    );
  }
  return arn;
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
