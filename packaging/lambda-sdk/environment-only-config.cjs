/**
 * esbuild plugin: the AWS SDK in a Lambda bundle is configured by environment variables only.
 *
 * - Shared config files (`~/.aws/config`, `~/.aws/credentials`): every setting the SDK looks up
 *   (retry mode, max attempts, FIPS and dual-stack endpoints, checksums, defaults mode...) is
 *   first read from its environment variable, then from these files. Lambda has no such files,
 *   so each first call only paid for two failed reads, and loading `fs/promises` (with readline)
 *   and the INI parser at start. Here the files are read as empty: the environment variable or
 *   the SDK's default decides.
 * - The region from EC2 instance metadata: Lambda always sets `AWS_REGION`; without it the client
 *   fails with "Region is missing" instead of waiting for IMDS.
 */
const { dirname } = require('node:path');

const SHARED_CONFIG_FILES =
  /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]shared-ini-file-loader[\\/]loadSharedConfigFiles\.js$/;
const INSTANCE_METADATA_REGION =
  /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]config-resolver[\\/]regionConfig[\\/]getInstanceMetadataRegion\.js$/;

const NO_SHARED_CONFIG_FILES = `export { CONFIG_PREFIX_SEPARATOR } from "./constants";
export const loadSharedConfigFiles = async () => ({ configFile: {}, credentialsFile: {} });
`;
const NO_INSTANCE_METADATA_REGION = 'export const getInstanceMetadataRegion = async () => undefined;\n';

function environmentOnlyConfigPlugin() {
  return {
    name: 'aws-sdk-environment-only-config',
    setup(build) {
      build.onLoad({ filter: SHARED_CONFIG_FILES }, (args) => ({
        contents: NO_SHARED_CONFIG_FILES,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
      build.onLoad({ filter: INSTANCE_METADATA_REGION }, () => ({ contents: NO_INSTANCE_METADATA_REGION, loader: 'js' }));
    },
  };
}

module.exports = { environmentOnlyConfigPlugin, SHARED_CONFIG_FILES, INSTANCE_METADATA_REGION };
