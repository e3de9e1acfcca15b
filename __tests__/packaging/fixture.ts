/**
 * A throw-away project with a handlers/<name>/index.ts per handler, so the bundler is
 * tested independently of the real handlers' code. node_modules is a symlink to ours.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HANDLER_NAMES } from '../../packaging/handlers';

/** Uses a real dependency (zod/mini) and leaves an unused export for tree shaking to drop. */
export const FIXTURE_HANDLER_SOURCE = `
import * as z from 'zod/mini';
import { greeting } from '../shared/greeting';
const schema = z.object({ name: z.string() });
export const handler = async (event: unknown) => ({ message: greeting(schema.parse(event).name), file: typeof __filename });
`;

export const FIXTURE_SHARED_SOURCE = `
export const greeting = (name: string) => 'hello ' + name;
export const UNUSED_MARKER = () => 'tree-shaking-should-drop-this-marker';
`;

export interface Fixture {
  readonly root: string;
  write(relativePath: string, content: string): void;
  remove(): void;
}

export function createFixtureProject(handlerSource: string = FIXTURE_HANDLER_SOURCE): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'order-infra-bundle-fixture-'));
  symlinkSync(resolve(__dirname, '../../node_modules'), join(root, 'node_modules'), 'dir');
  const write = (relativePath: string, content: string) => {
    mkdirSync(join(root, relativePath, '..'), { recursive: true });
    writeFileSync(join(root, relativePath), content);
  };
  write('handlers/shared/greeting.ts', FIXTURE_SHARED_SOURCE);
  for (const name of HANDLER_NAMES) write(`handlers/${name}/index.ts`, handlerSource);
  return { root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}
