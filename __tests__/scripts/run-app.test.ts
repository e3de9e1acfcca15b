/**
 * scripts/run-app.cjs compiles main.ts into .cache/main.cjs and recompiles exactly when a byte of
 * an input (or of a file the compilation depends on) changed; mtimes alone never do.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appPaths, ensureApp, isAppCurrent } from '../../scripts/run-app.cjs';

const RUN_APP = resolve(__dirname, '../../scripts/run-app.cjs');

describe('scripts/run-app.cjs (fixture project)', () => {
  let root: string;
  const write = (file: string, content: string) => writeFileSync(join(root, file), content);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'order-infra-run-app-'));
    mkdirSync(join(root, 'lib'));
    write('main.ts', "import { message } from './lib/message';\nconsole.log(message(process.env.WHO ?? 'app'));\n");
    write('lib/message.ts', 'export const message = (who: string): string => `hello ${who}`;\n');
    write('tsconfig.json', '{"compilerOptions":{"target":"ES2022"}}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('GIVEN no compiled app WHEN ensured twice THEN the first compiles and the second reuses it', () => {
    expect(isAppCurrent(root)).toBe(false);
    expect(ensureApp(root).compiled).toBe(true);
    expect(isAppCurrent(root)).toBe(true);
    expect(ensureApp(root)).toEqual({ app: appPaths(root).app, compiled: false });
  });

  it('GIVEN a compiled app WHEN only mtimes change THEN it is still current', () => {
    ensureApp(root);
    const later = new Date(Date.now() + 3_600_000);
    for (const f of ['main.ts', 'lib/message.ts', 'tsconfig.json']) utimesSync(join(root, f), later, later);
    expect(isAppCurrent(root)).toBe(true);
  });

  it.each([
    ['an imported module', 'lib/message.ts', 'export const message = (who: string): string => `bye ${who}`;\n'],
    ['tsconfig.json', 'tsconfig.json', '{"compilerOptions":{"target":"ES2020"}}'],
    ['package.json (not an input, but it shapes the build)', 'package.json', '{"name":"x"}'],
  ])('GIVEN a compiled app WHEN a byte of %s changes THEN it is recompiled', (_what, file, content) => {
    ensureApp(root);
    write(file, content);
    expect(isAppCurrent(root)).toBe(false);
    expect(ensureApp(root).compiled).toBe(true);
  });

  it('GIVEN a damaged compiled app WHEN ensured THEN it is recompiled, not run', () => {
    ensureApp(root);
    writeFileSync(appPaths(root).app, 'throw new Error("damaged")');
    expect(ensureApp(root).compiled).toBe(true);
  });

  it('GIVEN the script run as a command THEN it runs the current sources, and a source change shows in the next run', () => {
    const script = join(root, 'scripts', 'run-app.cjs');
    mkdirSync(join(root, 'scripts'));
    copyFileSync(RUN_APP, script);
    symlinkSync(resolve(__dirname, '../../node_modules'), join(root, 'node_modules'), 'dir');
    const run = () => execFileSync(process.execPath, [script], { cwd: root, env: { PATH: process.env.PATH, WHO: 'Ada' } }).toString();
    expect(run()).toBe('hello Ada\n');
    write('lib/message.ts', 'export const message = (who: string): string => `bye ${who}`;\n');
    expect(run()).toBe('bye Ada\n');
  });

  it('GIVEN a syntax error WHEN ensured THEN it throws naming the file', () => {
    write('lib/message.ts', 'export const message = (;');
    expect(() => ensureApp(root)).toThrow(/Compiling main\.ts failed: lib\/message\.ts:1/);
  });
});

describe("cdktf's token creation stacks on the synth path", () => {
  /** A fresh cdktf (own module registry), optionally after `skipCreationStacks(env)`; the stack of a new token. */
  function creationStackOfNewToken(env?: Record<string, string>): { skipped?: boolean; stack: string[] } {
    let result: { skipped?: boolean; stack: string[] } = { stack: [] };
    jest.isolateModules(() => {
      const skipped = env
        ? (require('../../scripts/run-app.cjs') as typeof import('../../scripts/run-app.cjs')).skipCreationStacks(env)
        : undefined;
      const { Lazy } = require('cdktf') as typeof import('cdktf');
      result = { skipped, stack: [...Lazy.anyValue({ produce: () => 'value' }).creationStack] };
    });
    return result;
  }

  it('GIVEN cdktf as it is THEN a token records its creation stack (what the synth path skips)', () => {
    expect(creationStackOfNewToken().stack.length).toBeGreaterThan(0);
  });

  it('GIVEN the synth path THEN tokens get an empty creation stack', () => {
    expect(creationStackOfNewToken({})).toEqual({ skipped: true, stack: [] });
  });

  it('GIVEN ORDERS_SYNTH_CREATION_STACKS=1 THEN tokens keep their creation stack', () => {
    const result = creationStackOfNewToken({ ORDERS_SYNTH_CREATION_STACKS: '1' });
    expect(result.skipped).toBe(false);
    expect(result.stack.length).toBeGreaterThan(0);
  });
});
