/** The dev app stack as synthesized JSON, one synth per test file (the invariants read what Terraform gets). */
import { Testing } from 'cdktf';
import { loadConfig } from '../../config';
import { OrderAppStack } from '../../stacks/app-stack';

export type Json = Record<string, any>;

let cached: Json | undefined;

export function synthesizedDevApp(): Json {
  cached ??= JSON.parse(Testing.synth(new OrderAppStack(Testing.app(), 'orders-app-dev', { config: loadConfig('dev', {}) })));
  return cached!;
}

/** Every resource of a type as [address, body]. */
export function resourcesOf(json: Json, type: string): Array<[string, Json]> {
  return Object.entries((json.resource?.[type] ?? {}) as Json).map(([name, body]) => [`${type}.${name}`, body as Json]);
}

/** The synthesized Lambda function of a handler. */
export function lambdaOf(json: Json, handler: string): Json {
  const found = resourcesOf(json, 'aws_lambda_function').filter(([, f]) => f.function_name.endsWith(`-${handler}`));
  if (found.length !== 1) throw new Error(`expected one function for ${handler}, found ${found.length}`);
  return found[0][1];
}
