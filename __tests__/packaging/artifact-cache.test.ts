/**
 * The on-disk artifact cache: reused exactly when no input byte changed, rebuilt on any change
 * (a source, a key file, a damaged entry), indifferent to mtimes.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearArtifactCache, handlerArtifact, type ArtifactOptions } from '../../packaging/artifact';
import { createFixtureProject, type Fixture } from './fixture';

describe('artifact cache (fixture project)', () => {
  let fixture: Fixture;
  let options: ArtifactOptions;
  let cacheDir: string;

  /** What a new synth process sees: no in-memory artifacts, only the disk cache. */
  const freshBuild = (name: 'api' | 'payment-process' = 'api') => {
    clearArtifactCache();
    return handlerArtifact(name, options);
  };
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

  beforeEach(() => {
    fixture = createFixtureProject();
    cacheDir = mkdtempSync(join(tmpdir(), 'order-infra-artifact-cache-'));
    options = { projectRoot: fixture.root, cacheDir };
  });
  afterEach(() => {
    fixture.remove();
    rmSync(cacheDir, { recursive: true, force: true });
    clearArtifactCache();
  });

  it('GIVEN a build WHEN a new process builds the unchanged project THEN the bundle and zip come from the cache, byte-identical', () => {
    const cold = freshBuild();
    const warm = freshBuild();
    expect(cold.fromCache).toBe(false);
    expect(warm.fromCache).toBe(true);
    expect(Buffer.from(warm.zip).equals(Buffer.from(cold.zip))).toBe(true);
    expect(Buffer.from(warm.bundle).equals(Buffer.from(cold.bundle))).toBe(true);
    expect(warm.sha256Hex).toBe(cold.sha256Hex);
  });

  it('GIVEN only new mtimes on every source WHEN built again THEN the cache still applies (bytes, not mtimes)', () => {
    freshBuild();
    const later = new Date(Date.now() + 3_600_000);
    for (const f of ['handlers/shared/greeting.ts', 'handlers/api/index.ts']) utimesSync(join(fixture.root, f), later, later);
    expect(freshBuild().fromCache).toBe(true);
  });

  it('GIVEN a changed byte in a shared input WHEN built again THEN every handler using it is rebuilt with the change', () => {
    const cold = freshBuild();
    fixture.write('handlers/shared/greeting.ts', "export const greeting = (name: string) => 'hi ' + name;");
    const rebuilt = freshBuild();
    expect(rebuilt.fromCache).toBe(false);
    expect(text(rebuilt.bundle)).toContain('hi ');
    expect(rebuilt.sha256Hex).not.toBe(cold.sha256Hex);
    // The rebuild covered every handler (one esbuild run); none is left with the old greeting.
    expect(text(freshBuild('payment-process').bundle)).toContain('hi ');
  });

  it('GIVEN a change to a file outside the inputs that esbuild reads (tsconfig.json) WHEN built again THEN it is rebuilt', () => {
    freshBuild();
    writeFileSync(join(fixture.root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022' } }));
    expect(freshBuild().fromCache).toBe(false);
  });

  it('GIVEN a damaged cached zip WHEN built again THEN the entry is not trusted and the artifact is rebuilt correctly', () => {
    const cold = freshBuild();
    writeFileSync(join(cacheDir, 'api.zip'), 'not a zip');
    const rebuilt = freshBuild();
    expect(rebuilt.fromCache).toBe(false);
    expect(Buffer.from(rebuilt.zip).equals(Buffer.from(cold.zip))).toBe(true);
  });

  it('GIVEN cacheDir false WHEN built twice THEN nothing is cached', () => {
    options = { projectRoot: fixture.root, cacheDir: false };
    freshBuild();
    expect(freshBuild().fromCache).toBe(false);
  });
});
