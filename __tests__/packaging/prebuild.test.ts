import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_NAMES } from '../../packaging/handlers';

/** Imports packaging/prebuild in a fresh module registry, counting esbuild runs. */
function importPrebuild(): { batch: jest.Mock; artifact: typeof import('../../packaging/artifact') } {
  const batch = jest.fn();
  let artifact!: typeof import('../../packaging/artifact');
  jest.isolateModules(() => {
    jest.doMock('../../packaging/bundle', () => {
      const actual = jest.requireActual('../../packaging/bundle') as typeof import('../../packaging/bundle');
      return { ...actual, bundleHandlersWithInputsSync: batch.mockImplementation(actual.bundleHandlersWithInputsSync) };
    });
    artifact = require('../../packaging/artifact');
    require('../../packaging/prebuild');
  });
  return { batch, artifact };
}

describe('packaging/prebuild', () => {
  const saved = process.env.ORDER_INFRA_CACHE_DIR;
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'order-infra-prebuild-cache-'));
    process.env.ORDER_INFRA_CACHE_DIR = cacheDir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ORDER_INFRA_CACHE_DIR;
    else process.env.ORDER_INFRA_CACHE_DIR = saved;
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('GIVEN an empty artifact cache WHEN main.ts imports it first THEN all six handlers are bundled in one esbuild run and later look-ups reuse them', () => {
    const { batch, artifact } = importPrebuild();
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch.mock.calls[0][0]).toEqual([...HANDLER_NAMES]);

    const apiArtifact = artifact.handlerArtifact('api');
    const storageArtifact = artifact.handlerArtifact('s3-storage');
    expect(batch).toHaveBeenCalledTimes(1);
    expect(apiArtifact.fromCache).toBe(false);
    expect(apiArtifact.s3Key).toMatch(/^lambda\/api\/[0-9a-f]{64}\.zip$/);
    expect(storageArtifact.s3Key).toMatch(/^lambda\/s3-storage\/[0-9a-f]{64}\.zip$/);
  });

  it('GIVEN the cache the previous synth left WHEN a new process imports it THEN esbuild does not run and the artifacts are the same bytes', () => {
    const first = importPrebuild().artifact.handlerArtifact('api');
    const { batch, artifact } = importPrebuild();
    expect(batch).not.toHaveBeenCalled();
    const again = artifact.handlerArtifact('api');
    expect(again.fromCache).toBe(true);
    expect(Buffer.from(again.zip).equals(Buffer.from(first.zip))).toBe(true);
    expect(HANDLER_NAMES.every((name) => artifact.handlerArtifact(name).fromCache)).toBe(true);
  });
});
