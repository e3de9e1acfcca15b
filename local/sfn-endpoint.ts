/**
 * A local endpoint speaking the Step Functions JSON 1.0 protocol
 * (`X-Amz-Target: AWSStepFunctions.<Operation>`, `application/x-amz-json-1.0`), so the
 * api bundle's unchanged SFNClient reaches the local service through
 * `AWS_ENDPOINT_URL_SFN`. Supported: StartExecution, DescribeExecution and the read operations of
 * `sfn-read-operations.ts` (GetExecutionHistory, ListExecutions, DescribeStateMachine,
 * ListStateMachines, StopExecution). Errors use the
 * AWS JSON shape `{ "__type": "com.amazonaws.states#<Code>", "message": ... }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, listen, readBody, type LocalHttpServer } from './http-util';
import { type ReadOperationsContext, readOperation } from './sfn-read-operations';
import { SfnServiceError, type LocalStepFunctions } from './step-functions';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_REQUEST_BYTES = 1024 * 1024;

/** Epoch seconds with milliseconds: how the JSON protocol encodes timestamps. */
function epochSeconds(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) / 1000;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: SfnServiceError): void {
  send(res, error.statusCode, { __type: `com.amazonaws.states#${error.code}`, message: error.message });
}

async function handle(
  service: LocalStepFunctions,
  req: IncomingMessage,
  res: ServerResponse,
  reads: ReadOperationsContext | undefined,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith('AWSStepFunctions.')) {
    return sendError(res, new SfnServiceError('UnknownOperationException', 'Send POST with X-Amz-Target: AWSStepFunctions.<Operation>'));
  }
  let body: Record<string, unknown>;
  try {
    const raw = await readBody(req, MAX_REQUEST_BYTES);
    const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch (e) {
    if (e instanceof BodyTooLargeError) return sendError(res, new SfnServiceError('ValidationException', 'Request too large', 413));
    return sendError(res, new SfnServiceError('SerializationException', 'Request body is not a JSON object'));
  }
  const operation = target.slice('AWSStepFunctions.'.length);
  try {
    switch (operation) {
      case 'StartExecution': {
        const started = await service.startExecution(body);
        return send(res, 200, { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) });
      }
      case 'DescribeExecution': {
        const r = service.describeExecution(body.executionArn);
        return send(res, 200, {
          executionArn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: epochSeconds(r.startDate),
          stopDate: epochSeconds(r.stopDate),
          input: r.input,
          inputDetails: { included: true },
          ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
          ...(r.error !== undefined ? { error: r.error, cause: r.cause } : {}),
          ...(r.redriveCount !== undefined ? { redriveCount: r.redriveCount, redriveDate: epochSeconds(r.redriveDate) } : {}),
        });
      }
      default: {
        const answer = reads ? await readOperation(reads, operation, body) : undefined;
        if (answer) return send(res, 200, answer);
        return sendError(
          res,
          new SfnServiceError(
            'UnknownOperationException',
            `Operation ${operation} is not supported by the local Step Functions endpoint (StartExecution, DescribeExecution, GetExecutionHistory, ListExecutions, DescribeStateMachine, ListStateMachines, StopExecution)`,
          ),
        );
      }
    }
  } catch (e) {
    if (e instanceof SfnServiceError) return sendError(res, e);
    return sendError(res, new SfnServiceError('InternalFailure', 'Internal failure of the local Step Functions endpoint', 500));
  }
}

/** Starts the endpoint on host:port (0 = a free port). */
export function startSfnEndpoint(
  service: LocalStepFunctions,
  host: string,
  port: number,
  reads?: ReadOperationsContext,
): Promise<LocalHttpServer> {
  return listen(
    (req, res) => {
      handle(service, req, res, reads).catch(() => {
        if (!res.headersSent) sendError(res, new SfnServiceError('InternalFailure', 'Internal failure', 500));
        else res.end();
      });
    },
    host,
    port,
    {
      clientErrorBody: (status, message) => ({
        contentType: CONTENT_TYPE,
        body: JSON.stringify({
          __type: `com.amazonaws.states#${status === 431 ? 'RequestHeaderFieldsTooLarge' : 'SerializationException'}`,
          message,
        }),
      }),
    },
  );
}
