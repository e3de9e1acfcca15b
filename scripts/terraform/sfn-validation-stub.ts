/**
 * When a state machine's definition is known at plan time, the AWS provider asks Step Functions to
 * check it (`ValidateStateMachineDefinition`) during `terraform plan`. The offline plan has no AWS,
 * so it points the provider's `stepfunctions` endpoint at this local stand-in, which answers that one
 * call with asl-validator's verdict (the validator the workflow tests use) in the API's own shape.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// asl-validator ships no type declarations.
const validateAsl = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

/** The API's answer for one definition (`result` OK or FAIL, with one diagnostic per problem). */
export function validationResult(definition: string): { result: 'OK' | 'FAIL'; diagnostics: Array<Record<string, string>> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (error) {
    return { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }] };
  }
  // On a copy: asl-validator mutates its argument.
  const verdict = validateAsl(structuredClone(parsed));
  if (verdict.isValid) return { result: 'OK', diagnostics: [] };
  return {
    result: 'FAIL',
    diagnostics: verdict
      .errorsText('\n')
      .split('\n')
      .map((message) => ({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message })),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, calls: string[]): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  calls.push(target);
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  if (target !== 'AWSStepFunctions.ValidateStateMachineDefinition') {
    res.statusCode = 400;
    res.end(
      JSON.stringify({
        __type: 'UnknownOperationException',
        message: `the offline plan answers only ValidateStateMachineDefinition, not ${target}`,
      }),
    );
    return;
  }
  res.end(JSON.stringify(validationResult(String((JSON.parse(body) as { definition?: unknown }).definition ?? ''))));
}

export interface SfnValidationStub {
  readonly url: string;
  /** X-Amz-Target of every request received. */
  readonly calls: string[];
  close(): Promise<void>;
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export async function startSfnValidationStub(): Promise<SfnValidationStub> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8'), calls));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
