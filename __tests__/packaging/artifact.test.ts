import { existsSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { artifactS3Key, artifactStagingDir, clearArtifactCache, handlerArtifact } from '../../packaging/artifact';
import { bundleHandlerSync } from '../../packaging/bundle';
import { md5Hex, sha256Base64, sha256Hex } from '../../packaging/deterministic-zip';
import { createFixtureProject, type Fixture } from './fixture';

describe('handlerArtifact (fixture project)', () => {
  let fixture: Fixture;
  beforeAll(() => {
    fixture = createFixtureProject();
  });
  afterAll(() => fixture.remove());
  beforeEach(() => clearArtifactCache());

  it('GIVEN a handler WHEN built THEN the zip holds exactly index.js = the bundle, and every hash is of that zip', () => {
    const artifact = handlerArtifact('inventory-check', { projectRoot: fixture.root });
    const files = unzipSync(artifact.zip);
    expect(Object.keys(files)).toEqual(['index.js']);
    expect(Buffer.from(files['index.js']).equals(Buffer.from(bundleHandlerSync('inventory-check', { projectRoot: fixture.root })))).toBe(
      true,
    );
    expect(artifact.sha256Hex).toBe(sha256Hex(artifact.zip));
    expect(artifact.sha256Base64).toBe(sha256Base64(artifact.zip));
    expect(artifact.md5Hex).toBe(md5Hex(artifact.zip));
  });

  it('GIVEN a handler WHEN built THEN its S3 key is content-addressed under lambda/<handler>/', () => {
    const artifact = handlerArtifact('payment-process', { projectRoot: fixture.root });
    expect(artifact.s3Key).toBe(`lambda/payment-process/${artifact.sha256Hex}.zip`);
    expect(artifact.s3Key).toBe(artifactS3Key('payment-process', sha256Hex(artifact.zip)));
  });

  it('GIVEN a handler WHEN built THEN the zip is staged on disk under a folder named by its hash', () => {
    const artifact = handlerArtifact('api', { projectRoot: fixture.root });
    expect(artifact.zipFile.startsWith(artifactStagingDir())).toBe(true);
    expect(artifact.zipFile).toContain(`${artifact.sha256Hex}/api.zip`);
    expect(existsSync(artifact.zipFile)).toBe(true);
    expect(readFileSync(artifact.zipFile).equals(Buffer.from(artifact.zip))).toBe(true);
  });

  it('GIVEN the same handler twice in one process WHEN built THEN it is bundled once (same object)', () => {
    const first = handlerArtifact('merge-results', { projectRoot: fixture.root });
    fixture.write('handlers/merge-results/index.ts', 'export const handler = async () => "changed";');
    expect(handlerArtifact('merge-results', { projectRoot: fixture.root })).toBe(first);
  });

  it('GIVEN changed handler code and a cleared cache WHEN built THEN the key and source_code_hash change', () => {
    const before = handlerArtifact('s3-storage', { projectRoot: fixture.root });
    fixture.write('handlers/s3-storage/index.ts', 'export const handler = async () => "v2";');
    clearArtifactCache();
    const after = handlerArtifact('s3-storage', { projectRoot: fixture.root });
    expect(after.s3Key).not.toBe(before.s3Key);
    expect(after.sha256Base64).not.toBe(before.sha256Base64);
  });
});

describe('handlerArtifact with one broken handler (fixture project)', () => {
  let fixture: Fixture;
  beforeAll(() => {
    fixture = createFixtureProject();
    fixture.write('handlers/order-processor/index.ts', 'export const handler = (;');
  });
  afterAll(() => fixture.remove());
  beforeEach(() => clearArtifactCache());

  it('GIVEN another handler is broken WHEN a healthy one is built THEN it still builds', () => {
    expect(handlerArtifact('api', { projectRoot: fixture.root }).s3Key).toMatch(/^lambda\/api\/[0-9a-f]{64}\.zip$/);
  });

  it('GIVEN a broken handler WHEN it is built THEN the error names that handler and its file', () => {
    expect(() => handlerArtifact('order-processor', { projectRoot: fixture.root })).toThrow(
      /handler "order-processor" \(handlers\/order-processor\/index\.ts/,
    );
  });
});
