/**
 * The Step Functions operations that look at executions and the state machine, in AWS's
 * request and response shapes: GetExecutionHistory, ListExecutions, DescribeStateMachine,
 * ListStateMachines and StopExecution. The AWS CLI and SDK pointed at the local endpoint
 * (`--endpoint-url`) read local executions as they would read AWS's.
 */
import type { ExecutionRecord } from './execution-store';
import { type ExecutionHistoryStore, type HistoryEvent, withoutExecutionData } from './execution-history';
import { type LocalStepFunctions, SfnServiceError } from './step-functions';
import { checkArn } from './sfn-arns';

/** Page sizes: AWS's default for both operations is 100, and at most 1,000 are returned. */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

/** Epoch seconds with milliseconds: how the JSON protocol encodes timestamps. */
function epochSeconds(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) / 1000;
}

function pageSize(value: unknown): number {
  if (value === undefined || value === 0) return DEFAULT_PAGE;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_PAGE) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  return value as number;
}

/** Tokens are opaque to callers; here they carry the position and what they were issued for, so a token is not reused elsewhere. */
function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
}

function decodeToken(scope: string, token: unknown): number {
  if (token === undefined || token === null) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { scope?: unknown; offset?: unknown };
    if (decoded.scope === scope && Number.isInteger(decoded.offset) && (decoded.offset as number) >= 0) return decoded.offset as number;
  } catch {
    // falls through to the error below
  }
  throw new SfnServiceError('InvalidToken', `Invalid Token: '${String(token)}'`);
}

function page<T>(items: readonly T[], scope: string, body: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const size = pageSize(body.maxResults);
  const offset = decodeToken(scope, body.nextToken);
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length ? { items: slice, nextToken: encodeToken(scope, offset + size) } : { items: slice };
}

function wireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const shaped = includeData ? event : withoutExecutionData(event);
  return { ...shaped, timestamp: shaped.timestamp / 1000 };
}

function listItem(r: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: epochSeconds(r.startDate),
    ...(r.stopDate ? { stopDate: epochSeconds(r.stopDate) } : {}),
    ...(r.redriveCount !== undefined ? { redriveCount: r.redriveCount, redriveDate: epochSeconds(r.redriveDate) } : {}),
  };
}

export interface ReadOperationsContext {
  readonly service: LocalStepFunctions;
  readonly history: ExecutionHistoryStore;
  /** When the state machine was "created": the runtime's start. */
  readonly createdAt: string;
}

/** Answers one of the operations above, or returns undefined for any other operation. */
export async function readOperation(
  ctx: ReadOperationsContext,
  operation: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const { service, history } = ctx;
  const stateMachineName = service.stateMachineArn.split(':').pop() ?? '';
  const requireStateMachine = (arn: unknown) => {
    checkArn('stateMachineArn', arn, 'stateMachine');
    if (arn !== service.stateMachineArn)
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  };
  switch (operation) {
    case 'GetExecutionHistory': {
      const record = service.describeExecution(body.executionArn);
      const includeData = body.includeExecutionData !== false;
      const events = [...history.get(record.name)];
      if (body.reverseOrder === true) events.reverse();
      const scope = `history:${record.name}:${body.reverseOrder === true ? 'r' : 'f'}`;
      const { items, nextToken } = page(events, scope, body);
      return { events: items.map((e) => wireEvent(e, includeData)), ...(nextToken ? { nextToken } : {}) };
    }
    case 'ListExecutions': {
      requireStateMachine(body.stateMachineArn);
      if (body.statusFilter !== undefined && !STATUSES.has(String(body.statusFilter))) {
        throw new SfnServiceError(
          'ValidationException',
          `Value '${String(body.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
        );
      }
      // Newest first, as AWS lists them; the name breaks ties so pages never overlap.
      const all = service
        .listExecutions()
        .filter((r) => body.statusFilter === undefined || r.status === body.statusFilter)
        .sort((a, b) => b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name));
      const { items, nextToken } = page(all, `executions:${String(body.statusFilter ?? '')}`, body);
      return { executions: items.map(listItem), ...(nextToken ? { nextToken } : {}) };
    }
    case 'DescribeStateMachine': {
      requireStateMachine(body.stateMachineArn);
      return {
        stateMachineArn: service.stateMachineArn,
        name: stateMachineName,
        status: 'ACTIVE',
        definition: JSON.stringify(service.runner.deployedDefinition),
        roleArn: 'arn:aws:iam::000000000000:role/orders-local-workflow',
        type: 'STANDARD',
        creationDate: epochSeconds(ctx.createdAt),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    }
    case 'ListStateMachines':
      return {
        stateMachines: [
          { stateMachineArn: service.stateMachineArn, name: stateMachineName, type: 'STANDARD', creationDate: epochSeconds(ctx.createdAt) },
        ],
      };
    case 'StopExecution': {
      const error = body.error === undefined ? undefined : String(body.error);
      const cause = body.cause === undefined ? undefined : String(body.cause);
      const { stopDate } = await service.stopExecution(body.executionArn, error, cause);
      return { stopDate: epochSeconds(stopDate) };
    }
    default:
      return undefined;
  }
}
