/**
 * esbuild plugin: the AWS SDK's fallbacks for runtimes other than Lambda's Node.js are left out.
 *
 * - Hash classes (SHA-256, SHA-1, MD5, CRC32) use `node:crypto` and `zlib.crc32`, and fall back
 *   to a JavaScript implementation where those lack the algorithm (Node < 20.15 has no
 *   `zlib.crc32`). The Lambda Node.js 24 runtime has them all.
 * - Stream helpers handle Node streams, and hand web streams and Blobs (`ReadableStream`, what a
 *   browser or `fetch` gives) to a browser implementation. Lambda's HTTP handler returns Node
 *   streams, and the handlers send strings and buffers.
 *
 * Each fallback import is replaced by a stand-in that throws, naming what was left out, if it is
 * ever reached; the import from any other module still gets the real implementation.
 */

/** Fallback modules: the module that imports it, the import path, and what it exports. */
const FALLBACKS = [
  ['Sha256Node.js', './Sha256Js', ['Sha256Js']],
  ['Sha1Node.js', './Sha1Js', ['Sha1Js']],
  ['Md5Node.js', './Md5Js', ['Md5Js']],
  ['Crc32Node.js', './Crc32Js', ['Crc32Js']],
  ['sdk-stream-mixin.js', './sdk-stream-mixin.browser', ['sdkStreamMixin']],
  ['stream-collector.js', './stream-collector.browser', ['collectBlob', 'collectReadableStream']],
  ['createChecksumStream.js', './createChecksumStream.browser', ['createChecksumStream']],
  ['getAwsChunkedEncodingStream.js', './getAwsChunkedEncodingStream.browser', ['getAwsChunkedEncodingStream']],
  ['splitStream.js', './splitStream.browser', ['splitStream']],
  ['headStream.js', './headStream.browser', ['headStream']],
].map(([importer, path, exports]) => ({ importer, path, exports }));

const FALLBACK_IMPORT = new RegExp(`^(?:${FALLBACKS.map((f) => f.path.replace(/\./g, '\\.')).join('|')})$`);
/** esbuild namespace of the stand-in modules (they are made here, not read from files). */
const LEFT_OUT_NAMESPACE = 'lambda-sdk-left-out';

function fallbackFor(importPath, importerFile) {
  const base = importerFile.split(/[\\/]/).pop();
  return FALLBACKS.find((f) => f.path === importPath && f.importer === base);
}

/** The one function every stand-in is made by (one copy of the message in the bundle). */
const LEFT_OUT_MODULE = `export function leftOut(name) {
  return function () {
    throw new Error(name + ' is left out of this Lambda bundle: only a Node without crypto or zlib.crc32, or a web stream, needs it');
  };
}
`;

/** The stand-in module for a fallback: every export throws when called or constructed. */
function standInModule(fallback) {
  const names = fallback.exports.map((name) => `export const ${name} = /* @__PURE__ */ leftOut(${JSON.stringify(name)});\n`);
  return `import { leftOut } from "left-out";\n${names.join('')}`;
}

function nodeOnlyPathsPlugin() {
  return {
    name: 'aws-sdk-node-only-paths',
    setup(build) {
      build.onResolve({ filter: FALLBACK_IMPORT }, (args) => {
        const fallback = fallbackFor(args.path, args.importer);
        return fallback
          ? { path: `${fallback.importer}:${fallback.path}`, namespace: LEFT_OUT_NAMESPACE, pluginData: fallback }
          : undefined;
      });
      build.onResolve({ filter: /^left-out$/, namespace: LEFT_OUT_NAMESPACE }, () => ({ path: 'left-out', namespace: LEFT_OUT_NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: LEFT_OUT_NAMESPACE }, (args) => ({
        contents: args.path === 'left-out' ? LEFT_OUT_MODULE : standInModule(args.pluginData),
        loader: 'js',
      }));
    },
  };
}

module.exports = { nodeOnlyPathsPlugin, standInModule, FALLBACKS, LEFT_OUT_NAMESPACE };
