/**
 * The esbuild plugins of every handler build, in one place: the synchronous build
 * (packaging/esbuild-worker.cjs), the asynchronous one (packaging/bundle.ts) and the local
 * watch mode all use this list, so their bundles are the same bytes.
 */
const { environmentOnlyConfigPlugin } = require('./environment-only-config.cjs');
const { nodeOnlyPathsPlugin } = require('./node-only-paths.cjs');
const { sdkTreeShakingPlugin } = require('./sdk-tree-shaking.cjs');

function handlerBuildPlugins() {
  return [sdkTreeShakingPlugin(), environmentOnlyConfigPlugin(), nodeOnlyPathsPlugin()];
}

module.exports = { handlerBuildPlugins };
