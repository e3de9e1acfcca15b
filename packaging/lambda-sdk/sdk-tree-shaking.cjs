/**
 * esbuild plugin: two source rewrites of AWS SDK v3 client modules that change no behaviour
 * and let tree shaking drop what the handlers never call.
 *
 * - Schema modules (`@aws-sdk/client-<name>/dist-es/schemas/`) write object keys as computed
 *   keys over module constants (`{ [_h]: [...] }` with `const _h = "http"`); esbuild must assume
 *   a computed key could have side effects, so it keeps every operation's schema (65 KiB for
 *   S3). Written as the string literals they are, the unused ones go.
 * - Runtime configs import their whole package.json for its `version` (the user agent); a
 *   named import keeps only that field.
 * - Schema modules register a class for every modeled error of the service (33 for Step
 *   Functions, 24 for S3), which keeps every class and its schema. Unregistered, an error
 *   reaches the caller as the service's base exception with the same `name`, `message`,
 *   `$fault` and `$metadata` (the SDK's own path for errors it has no class for), which is all
 *   the handlers read; only `instanceof <ModeledError>` would no longer hold, and no handler uses it.
 */
const { readFile } = require('node:fs/promises');

const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const RUNTIME_CONFIG_MODULE = /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]runtimeConfig\.js$/;

/** `{ [_x]: v }` → `{ "value of _x": v }` for every `const _x = "string";` at the top of the module. */
function literalSchemaKeys(source) {
  const constants = new Map();
  for (const m of source.matchAll(/^const (_[A-Za-z0-9_]+) = ("[^"\\\n]*");$/gm)) constants.set(m[1], m[2]);
  return source.replace(/\[(_[A-Za-z0-9_]+)\]:/g, (all, id) => (constants.has(id) ? `${constants.get(id)}:` : all));
}

/** `import packageInfo from "../package.json"` → an import of `version` alone. */
function versionOnlyPackageImport(source) {
  return source.replace(
    /^import packageInfo from "\.\.\/package\.json";$/m,
    'import { version as packageVersion } from "../package.json";\nconst packageInfo = { version: packageVersion };',
  );
}

/** Drops `n0_registry.registerError(X$, X);` (modeled errors); keeps the base exception's registration. */
function unregisteredModeledErrors(source) {
  return source.replace(/^n\d+_registry\.registerError\(([A-Za-z0-9_]+)\$, \1\);\n/gm, '');
}

function sdkTreeShakingPlugin() {
  return {
    name: 'aws-sdk-tree-shaking',
    setup(build) {
      build.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
        contents: unregisteredModeledErrors(literalSchemaKeys(await readFile(args.path, 'utf8'))),
        loader: 'js',
      }));
      build.onLoad({ filter: RUNTIME_CONFIG_MODULE }, async (args) => ({
        contents: versionOnlyPackageImport(await readFile(args.path, 'utf8')),
        loader: 'js',
      }));
    },
  };
}

module.exports = {
  literalSchemaKeys,
  unregisteredModeledErrors,
  versionOnlyPackageImport,
  sdkTreeShakingPlugin,
  SCHEMA_MODULE,
  RUNTIME_CONFIG_MODULE,
};
