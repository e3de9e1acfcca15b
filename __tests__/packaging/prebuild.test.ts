import { HANDLER_NAMES } from '../../packaging/handlers';

describe('packaging/prebuild', () => {
  it('GIVEN main.ts imports it first WHEN imported THEN all six handlers are bundled in one esbuild run and later look-ups reuse them', () => {
    jest.isolateModules(() => {
      // Prepare: count esbuild runs by wrapping the real bundler functions.
      const batch = jest.fn();
      const single = jest.fn();
      jest.doMock('../../packaging/bundle', () => {
        const actual = jest.requireActual('../../packaging/bundle') as typeof import('../../packaging/bundle');
        return {
          ...actual,
          bundleHandlersSync: batch.mockImplementation(actual.bundleHandlersSync),
          bundleHandlerSync: single.mockImplementation(actual.bundleHandlerSync),
        };
      });
      const artifact = require('../../packaging/artifact') as typeof import('../../packaging/artifact');

      // Act + Assess: importing it bundles everything at once...
      require('../../packaging/prebuild');
      expect(batch).toHaveBeenCalledTimes(1);
      expect(batch.mock.calls[0][0]).toEqual([...HANDLER_NAMES]);

      // ...and the constructs' later look-ups run esbuild no more.
      const apiArtifact = artifact.handlerArtifact('api');
      const storageArtifact = artifact.handlerArtifact('s3-storage');
      expect(batch).toHaveBeenCalledTimes(1);
      expect(single).not.toHaveBeenCalled();
      expect(apiArtifact.s3Key).toMatch(/^lambda\/api\/[0-9a-f]{64}\.zip$/);
      expect(storageArtifact.s3Key).toMatch(/^lambda\/s3-storage\/[0-9a-f]{64}\.zip$/);
    });
  });
});
