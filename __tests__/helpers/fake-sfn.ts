/**
 * An in-memory stand-in for the two Step Functions calls the api handler makes, with the
 * service's execution-name rules: StartExecution with an existing name and the same input
 * while RUNNING returns that execution; a different input, or any repeat after it closed,
 * throws ExecutionAlreadyExists. DescribeExecution of an unknown ARN throws ExecutionDoesNotExist.
 * `forget` deletes a closed execution (Step Functions' 90-day retention, fast-forwarded).
 */
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';

export interface FakeExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: Date;
}

function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class FakeSfn {
  readonly executions = new Map<string, FakeExecution>();
  readonly calls: Array<{ command: string; input: unknown }> = [];
  /** Runs before StartExecution is answered: lets a test start a competing execution (a race). */
  beforeStart?: (name: string) => void;

  async send(command: unknown): Promise<unknown> {
    if (command instanceof StartExecutionCommand) {
      const { stateMachineArn, name, input } = command.input;
      this.calls.push({ command: 'StartExecution', input: command.input });
      this.beforeStart?.(name!);
      const executionArn = `${stateMachineArn!.replace(':stateMachine:', ':execution:')}:${name}`;
      const existing = this.executions.get(executionArn);
      if (existing) {
        if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate };
        throw serviceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      this.executions.set(executionArn, {
        executionArn,
        stateMachineArn: stateMachineArn!,
        name: name!,
        input: input ?? '{}',
        status: 'RUNNING',
        startDate: new Date(),
      });
      return { executionArn, startDate: new Date() };
    }
    if (command instanceof DescribeExecutionCommand) {
      this.calls.push({ command: 'DescribeExecution', input: command.input });
      const execution = this.executions.get(command.input.executionArn!);
      if (!execution) throw serviceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${command.input.executionArn}'`);
      return { ...execution };
    }
    throw new Error(`FakeSfn does not implement ${(command as object).constructor.name}`);
  }

  /**
   * Deletes a closed execution, as Step Functions does 90 days after it closed: afterwards
   * DescribeExecution says ExecutionDoesNotExist and the name can be started again.
   */
  forget(executionArn: string): void {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new Error(`FakeSfn.forget: no execution ${executionArn}`);
    if (execution.status === 'RUNNING')
      throw new Error(`FakeSfn.forget: ${executionArn} is RUNNING; Step Functions only deletes closed executions`);
    this.executions.delete(executionArn);
  }

  count(command: 'StartExecution' | 'DescribeExecution'): number {
    return this.calls.filter((c) => c.command === command).length;
  }
}
