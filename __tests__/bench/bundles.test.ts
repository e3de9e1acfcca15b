import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBuiltins, floorScript } from '../../bench/bundles';

describe('bench:bundles process floor', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'order-infra-floor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the floor script of `bundle` in a fresh Node; returns its exit code and stderr. */
  const runFloor = (name: string, bundle: string) => {
    const file = join(dir, name);
    writeFileSync(file, bundle);
    const script = `${floorScript(file, bundle)};process.stdout.write(JSON.stringify({ userModules: Object.keys(require('node:module')._cache), zlib: process.moduleLoadList.includes('NativeModule zlib') }))`;
    try {
      return { code: 0, out: execFileSync(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() };
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      return { code: e.status, out: e.stderr.toString() };
    }
  };

  it('lists each node: built-in a bundle requires once, in first-use order', () => {
    const bundle = 'var a=require("node:crypto"),b=require("node:https");var c=require("node:crypto");require("fs");require("node:zlib")';
    expect(bundleBuiltins(bundle)).toEqual(['node:crypto', 'node:https', 'node:zlib']);
  });

  it('loads the built-ins and compiles the bundle without running it', () => {
    const result = runFloor('runs.js', 'require("node:zlib");throw new Error("the bundle ran")');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ userModules: [], zlib: true });
  });

  it('fails on a bundle that does not compile, so it measures a real compile', () => {
    const result = runFloor('broken.js', 'require("node:zlib");function (');
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/SyntaxError/);
  });
});
