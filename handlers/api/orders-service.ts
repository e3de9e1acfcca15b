/**
 * The three API operations as functions of their dependencies (clients, names, clock,
 * id source): the handler adapts events to them, tests call them with fakes or a local S3.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ConfigurationError, HttpError } from '../shared/errors';
import { IDEMPOTENCY_KEY_PATTERN, isOrderId, newOrderId, orderIdFromIdempotencyKey, requestHash } from '../shared/ids';
import { numberTextErrors, validateCreateOrderRequest } from '../shared/order-schema';
import { normaliseOrderRequest } from '../shared/order-rules';
import type { S3Sender } from '../shared/s3-client';
import type { SfnSender } from '../shared/sfn-client';
import { readOrderCount } from '../shared/order-count';
import { listOrders, readOrder } from '../shared/storage';
import { decodeNextToken, encodeNextToken } from '../shared/storage-layout';
import type { ExecutionInput, StoredOrder } from '../shared/types';
import { jsonResponse } from './http';
import { describeExecution, executionArnFor, startExecution, type ExecutionInfo } from './workflow-client';

export interface ApiDependencies {
  readonly sfn: SfnSender;
  readonly s3: S3Sender;
  /** STATE_MACHINE_ARN */
  readonly stateMachineArn: string | undefined;
  /** ORDERS_BUCKET */
  readonly bucket: string | undefined;
  readonly now?: () => Date;
  readonly newOrderId?: () => string;
  /** Called once per newly started order (not for idempotent repeats), e.g. to count it. */
  readonly onOrderAccepted?: (orderId: string) => void;
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

function configured(value: string | undefined, name: string): string {
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

export interface CreateOrderRequestContext {
  /** The parsed JSON body. */
  readonly body: unknown;
  /** The source text of each number in the body, by field path: amounts are checked as decimals. @default - checked as doubles only */
  readonly numberText?: ReadonlyMap<string, string>;
  /** The Idempotency-Key header, if sent. */
  readonly idempotencyKey?: string;
  /** Who the key belongs to (the API key id in AWS); keys of different callers never meet. */
  readonly idempotencyScope?: string;
}

function acceptedResponse(
  execution: { executionArn: string; orderId: string; status: string; input: unknown },
  replay: boolean,
): APIGatewayProxyResult {
  return jsonResponse(202, {
    message: 'Order workflow started successfully',
    orderId: execution.orderId,
    executionArn: execution.executionArn,
    executionName: execution.orderId,
    workflowStatus: execution.status,
    inputData: execution.input,
    ...(replay ? { idempotentReplay: true } : {}),
  });
}

/** Same key + same body: the existing order (status from its execution); different body: 409. */
function answerRepeat(existing: ExecutionInfo, orderId: string, hash: string, key: string): APIGatewayProxyResult {
  let input: Partial<ExecutionInput> | undefined;
  try {
    input = existing.input ? (JSON.parse(existing.input) as Partial<ExecutionInput>) : undefined;
  } catch {
    input = undefined;
  }
  if (input?.requestHash !== hash) {
    throw new HttpError(409, `Idempotency-Key ${JSON.stringify(key)} was already used with a different request body (order ${orderId})`);
  }
  return acceptedResponse({ executionArn: existing.executionArn, orderId, status: existing.status.toLowerCase(), input }, true);
}

/**
 * Status a replay answered from the stored record reports: a record exists only once the
 * workflow's last state (StoreOrder or StoreFailedOrder) ran, so the execution SUCCEEDED,
 * whether the order completed or failed; the same answer as while the execution was kept.
 */
export const STORED_ORDER_WORKFLOW_STATUS = 'succeeded';

/**
 * Step Functions deletes an execution 90 days after it closed; the stored record outlives it.
 * Same body: the replay, rebuilt from the record (createdAt is the original receivedAt);
 * different body: 409; no record: undefined (the key is free, a new order starts).
 */
async function answerRepeatFromRecord(
  deps: ApiDependencies,
  stateMachineArn: string,
  orderId: string,
  hash: string,
  key: string,
): Promise<APIGatewayProxyResult | undefined> {
  const record = await readOrder(deps.s3, configured(deps.bucket, 'ORDERS_BUCKET'), orderId);
  if (!record) return undefined;
  // Records stored before requestHash was kept: orderDetails is the normalised body the hash covers.
  const storedHash = record.requestHash ?? (record.orderDetails ? requestHash(record.orderDetails) : undefined);
  if (storedHash !== hash) {
    throw new HttpError(409, `Idempotency-Key ${JSON.stringify(key)} was already used with a different request body (order ${orderId})`);
  }
  const input: ExecutionInput = { orderId, receivedAt: record.createdAt, ...record.orderDetails, requestHash: hash };
  return acceptedResponse(
    { executionArn: executionArnFor(stateMachineArn, orderId), orderId, status: STORED_ORDER_WORKFLOW_STATUS, input },
    true,
  );
}

/** A record as clients see it: requestHash is an internal idempotency fingerprint. */
function publicOrder({
  requestHash: _internal,
  executionName: _owner,
  ...order
}: StoredOrder): Omit<StoredOrder, 'requestHash' | 'executionName'> {
  return order;
}

/** POST /orders */
export async function createOrder(deps: ApiDependencies, request: CreateOrderRequestContext): Promise<APIGatewayProxyResult> {
  const key = request.idempotencyKey;
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'Idempotency-Key header is malformed', [
      { path: 'headers.Idempotency-Key', message: 'must be 1-64 characters of A-Z, a-z, 0-9, _ and -' },
    ]);
  }
  const validation = validateCreateOrderRequest(request.body, request.numberText ? numberTextErrors(request.body, request.numberText) : []);
  if (!validation.ok) throw new HttpError(400, 'Order request is invalid', validation.errors);

  const stateMachineArn = configured(deps.stateMachineArn, 'STATE_MACHINE_ARN');
  const details = normaliseOrderRequest(validation.value);
  const hash = requestHash(details);
  const orderId = key !== undefined ? orderIdFromIdempotencyKey(key, request.idempotencyScope) : (deps.newOrderId ?? newOrderId)();

  if (key !== undefined) {
    // Most repeats find the execution here and never call StartExecution.
    const existing = await describeExecution(deps.sfn, stateMachineArn, orderId);
    if (existing) return answerRepeat(existing, orderId, hash, key);
    // One GetObject, only here: a keyed request whose execution is gone (or never existed).
    const fromRecord = await answerRepeatFromRecord(deps, stateMachineArn, orderId, hash, key);
    if (fromRecord) return fromRecord;
  }
  const input: ExecutionInput = { orderId, receivedAt: (deps.now ?? (() => new Date()))().toISOString(), ...details, requestHash: hash };
  const executionArn = await startExecution(deps.sfn, stateMachineArn, orderId, input);
  if (executionArn !== undefined) {
    deps.onOrderAccepted?.(orderId);
    return acceptedResponse({ executionArn, orderId, status: 'started', input }, false);
  }

  // A concurrent request with the same key won the race (or, without a key, a 1-in-2^80 id clash).
  const existing = await describeExecution(deps.sfn, stateMachineArn, orderId);
  if (!existing || key === undefined) throw new Error(`execution ${orderId} already exists but cannot be matched to this request`);
  return answerRepeat(existing, orderId, hash, key);
}

/** GET /orders/{orderId} */
export async function getOrder(deps: ApiDependencies, orderId: string): Promise<APIGatewayProxyResult> {
  if (!isOrderId(orderId)) {
    throw new HttpError(400, 'orderId is malformed', [
      { path: 'orderId', message: 'must be ord_ followed by 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)' },
    ]);
  }
  const record = await readOrder(deps.s3, configured(deps.bucket, 'ORDERS_BUCKET'), orderId);
  if (record) return jsonResponse(200, publicOrder(record));
  const execution = await describeExecution(deps.sfn, configured(deps.stateMachineArn, 'STATE_MACHINE_ARN'), orderId);
  if (!execution) throw new HttpError(404, `Order ${orderId} not found`);
  // Accepted but not stored yet. An execution that ended without a record (its storage
  // step failed every retry) is reported the same way, with workflowStatus for operators:
  // the order was accepted, so "not found" would be false.
  return jsonResponse(200, {
    orderId,
    finalStatus: 'processing',
    workflowStatus: execution.status,
    executionArn: execution.executionArn,
    ...(execution.startDate ? { startedAt: new Date(execution.startDate).toISOString() } : {}),
  });
}

export interface ListOrdersQuery {
  readonly limit: readonly string[];
  readonly nextToken: readonly string[];
}

const LIMIT_ERROR = { path: 'query.limit', message: `must be one integer from 1 to ${MAX_PAGE_SIZE}` };
const TOKEN_ERROR = { path: 'query.nextToken', message: 'must be a nextToken returned by this API' };

/** limit and nextToken, or one 400 naming every malformed parameter. */
function parseListQuery(query: ListOrdersQuery): { limit: number; startAfter?: string } {
  const [rawLimit] = query.limit;
  const limitOk =
    query.limit.length === 0 || (query.limit.length === 1 && /^[1-9]\d{0,2}$/.test(rawLimit) && Number(rawLimit) <= MAX_PAGE_SIZE);
  const startAfter = query.nextToken.length === 1 ? decodeNextToken(query.nextToken[0]) : undefined;
  const tokenOk = query.nextToken.length === 0 || startAfter !== undefined;
  if (!limitOk || !tokenOk) {
    const errors = [...(limitOk ? [] : [LIMIT_ERROR]), ...(tokenOk ? [] : [TOKEN_ERROR])];
    throw new HttpError(
      400,
      `${errors.map((e) => e.path.replace('query.', '')).join(' and ')} ${errors.length > 1 ? 'are' : 'is'} malformed`,
      errors,
    );
  }
  return { limit: query.limit.length === 0 ? DEFAULT_PAGE_SIZE : Number(rawLimit), ...(startAfter ? { startAfter } : {}) };
}

/** GET /orders: newest first, one ListObjectsV2 + `limit` GetObject calls per page, plus one read of the order counter. */
export async function listOrdersPage(deps: ApiDependencies, query: ListOrdersQuery): Promise<APIGatewayProxyResult> {
  const { limit, startAfter } = parseListQuery(query);
  const bucket = configured(deps.bucket, 'ORDERS_BUCKET');
  const [page, totalCount] = await Promise.all([listOrders(deps.s3, bucket, limit, startAfter), readOrderCount(deps.s3, bucket)]);
  return jsonResponse(200, {
    message: 'Orders retrieved successfully',
    orders: page.orders.map(publicOrder),
    count: page.orders.length,
    totalCount,
    pagination: { limit, hasMore: page.hasMore, ...(page.lastKey ? { nextToken: encodeNextToken(page.lastKey) } : {}) },
  });
}
