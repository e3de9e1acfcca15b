import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { bundleAllToDirectory, bundleHandlerSync, bundleHandlersSync, handlerBuildOptions } from '../../packaging/bundle';
import { HANDLER_NAMES, type HandlerName } from '../../packaging/handlers';
import { createFixtureProject, type Fixture } from './fixture';

/** Loads a CommonJS bundle in a sandbox and returns its exports. */
function loadBundle(code: Uint8Array): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(new TextDecoder().decode(code), {
    module,
    exports: module.exports,
    require,
    process,
    __filename: 'index.js',
    __dirname: '.',
  });
  return module.exports;
}

describe('bundleHandlerSync (fixture project)', () => {
  let fixture: Fixture;
  let code: Uint8Array;
  let text: string;

  beforeAll(() => {
    fixture = createFixtureProject();
    code = bundleHandlerSync('api', { projectRoot: fixture.root });
    text = new TextDecoder().decode(code);
  });
  afterAll(() => fixture.remove());

  it('GIVEN a handler importing zod/mini WHEN bundled THEN the output is self-contained CommonJS exporting a working handler', async () => {
    expect(text).not.toMatch(/require\(["']zod/);
    const { handler } = loadBundle(code) as { handler: (e: unknown) => Promise<unknown> };
    await expect(handler({ name: 'Ada' })).resolves.toEqual({ message: 'hello Ada', file: 'string' });
    await expect(handler({})).rejects.toThrow();
  });

  it('GIVEN an export nobody uses WHEN bundled THEN tree shaking drops it', () => {
    expect(text).not.toContain('tree-shaking-should-drop-this-marker');
  });

  it('GIVEN the build WHEN bundled THEN the output is minified (no comments, few lines)', () => {
    expect(text.split('\n').length).toBeLessThan(10);
    expect(text).not.toMatch(/\/\/ (node_modules|handlers)\//);
  });

  it('GIVEN absolute paths on the build machine WHEN bundled THEN none appears in the output', () => {
    for (const p of [fixture.root, join(__dirname, '../..'), '/root/', '/home/', tmpdir()]) {
      expect(text).not.toContain(p);
    }
  });

  it('GIVEN the same sources in another folder WHEN bundled THEN the bytes are identical', () => {
    const other = createFixtureProject();
    try {
      expect(Buffer.from(bundleHandlerSync('api', { projectRoot: other.root })).equals(Buffer.from(code))).toBe(true);
    } finally {
      other.remove();
    }
  });

  it('GIVEN the esbuild options THEN they target the Lambda Node.js 24 runtime as minified, tree-shaken CommonJS with relative entries', () => {
    const options = handlerBuildOptions('payment-process', { projectRoot: fixture.root });
    expect(options).toMatchObject({
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      legalComments: 'none',
      write: false,
      absWorkingDir: fixture.root,
      entryPoints: ['handlers/payment-process/index.ts'],
    });
  });

  it('GIVEN an unknown handler name WHEN bundled THEN it throws naming the valid handlers', () => {
    expect(() => bundleHandlerSync('nope' as HandlerName, { projectRoot: fixture.root })).toThrow(
      /Unknown handler "nope".*order-processor/,
    );
  });

  it('GIVEN a handler with a syntax error WHEN bundled THEN it throws naming the handler and the file', () => {
    const broken = createFixtureProject('export const handler = (;');
    try {
      expect(() => bundleHandlerSync('merge-results', { projectRoot: broken.root })).toThrow(
        /merge-results.*handlers\/merge-results\/index\.ts/s,
      );
    } finally {
      broken.remove();
    }
  });

  it('GIVEN a handler that inlines the project path WHEN bundled THEN it refuses with a reproducibility error', () => {
    const leaky = createFixtureProject();
    try {
      leaky.write('handlers/s3-storage/index.ts', `export const handler = async () => ${JSON.stringify(leaky.root)};`);
      expect(() => bundleHandlerSync('s3-storage', { projectRoot: leaky.root })).toThrow(/s3-storage.*build machine path/);
    } finally {
      leaky.remove();
    }
  });
});

describe('bundleAllToDirectory (fixture project)', () => {
  it('GIVEN six handlers WHEN bundled to a folder THEN <out>/<name>/index.js exists for each with the reported size', async () => {
    const fixture = createFixtureProject();
    const out = mkdtempSync(join(tmpdir(), 'order-infra-dist-'));
    try {
      const written = await bundleAllToDirectory(out, { projectRoot: fixture.root });
      expect(written.map((w) => w.name)).toEqual([...HANDLER_NAMES]);
      for (const w of written) {
        expect(w.file).toBe(join(out, w.name, 'index.js'));
        expect(readFileSync(w.file).byteLength).toBe(w.bytes);
      }
      // The async build and the sync build give the same bytes.
      expect(readFileSync(written[0].file).equals(Buffer.from(bundleHandlerSync('api', { projectRoot: fixture.root })))).toBe(true);
    } finally {
      fixture.remove();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('bundleHandlersSync (fixture project)', () => {
  it('GIVEN several handlers WHEN bundled in one esbuild run THEN each output equals the single-handler build', () => {
    const fixture = createFixtureProject();
    try {
      fixture.write('handlers/payment-process/index.ts', 'export const handler = async () => "payment";');
      const bundles = bundleHandlersSync(['api', 'payment-process'], { projectRoot: fixture.root });
      expect([...bundles.keys()]).toEqual(['api', 'payment-process']);
      for (const [name, code] of bundles) {
        expect(Buffer.from(code).equals(Buffer.from(bundleHandlerSync(name, { projectRoot: fixture.root })))).toBe(true);
      }
      expect(new TextDecoder().decode(bundles.get('payment-process'))).toContain('"payment"');
    } finally {
      fixture.remove();
    }
  });
});
