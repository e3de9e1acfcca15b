/**
 * What the Lambda bundles leave out of the AWS SDK, tested on the api bundle itself (the file
 * zipped for Lambda): the clients read their configuration and credentials from environment
 * variables only, as Lambda provides them, never from shared config files, and the source
 * rewrites that let esbuild drop unused SDK code change nothing else.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { handlerArtifact } from '../../packaging/artifact';
import { literalSchemaKeys, versionOnlyPackageImport } from '../../packaging/lambda-sdk/sdk-tree-shaking.cjs';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3';

let s3: LocalS3;
let dir: string;
let bundle: string;
const BUCKET = 'orders-bundle-config';

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
  dir = mkdtempSync(join(tmpdir(), 'order-infra-sdk-config-'));
  bundle = join(dir, 'index.js');
  writeFileSync(bundle, handlerArtifact('api').bundle);
  // A home folder whose shared config files would supply what the environment leaves out.
  mkdirSync(join(dir, 'home', '.aws'), { recursive: true });
  writeFileSync(join(dir, 'home', '.aws', 'config'), '[default]\nregion = eu-west-3\n');
  writeFileSync(join(dir, 'home', '.aws', 'credentials'), '[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = fromfile\n');
}, 120_000);

afterAll(async () => {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One `GET /orders?limit=1` through the api bundle in a fresh process with exactly `env`. */
async function listOnce(env: Record<string, string>): Promise<{ statusCode: number; log: string }> {
  const script = `
    require(${JSON.stringify(bundle)}).handler({ resource: '/orders', path: '/orders', httpMethod: 'GET', headers: {},
      queryStringParameters: { limit: '1' }, requestContext: { requestId: 'config-test', identity: { sourceIp: '127.0.0.1' } }, body: null },
      { awsRequestId: 'config-test', functionName: 'orders-test-api' })
    .then((r) => process.stdout.write('\\nRESULT ' + r.statusCode + '\\n'));`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: join(dir, 'home'),
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      ORDERS_BUCKET: BUCKET,
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders-test',
      ...env,
    },
    timeout: 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result; stdout: ${stdout.slice(0, 500)} stderr: ${stderr.slice(0, 500)}`);
  return { statusCode: Number(line.slice(7)), log: stdout + stderr };
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

it('GIVEN region and credentials in the environment WHEN the api bundle lists orders THEN it answers 200', async () => {
  expect((await listOnce({ AWS_REGION: 'us-east-1', ...CREDENTIALS })).statusCode).toBe(200);
}, 60_000);

it('GIVEN a region only in ~/.aws/config WHEN the api bundle lists orders THEN the file is not read: Region is missing', async () => {
  const result = await listOnce({ ...CREDENTIALS });
  expect(result.statusCode).toBe(500);
  expect(result.log).toMatch(/Region is missing/);
}, 60_000);

it('GIVEN credentials only in ~/.aws/credentials WHEN the api bundle lists orders THEN they are not used: credentials come from the environment only', async () => {
  const result = await listOnce({ AWS_REGION: 'us-east-1' });
  expect(result.statusCode).toBe(500);
  expect(result.log).toMatch(/Could not load credentials from environment|credentials/i);
  expect(result.log).not.toMatch(/FROMFILE/);
}, 60_000);

describe('source rewrites for tree shaking', () => {
  it('GIVEN a schema module with computed keys over module constants THEN the keys become the string literals', () => {
    const source =
      'const _h = "http";\nconst _x = "xmlName";\nexport var A$ = [3, n0, _A, { [_h]: ["GET", "/", 200], [_x]: "a", [y]: 1 }];\n';
    expect(literalSchemaKeys(source)).toBe(
      'const _h = "http";\nconst _x = "xmlName";\nexport var A$ = [3, n0, _A, { "http": ["GET", "/", 200], "xmlName": "a", [y]: 1 }];\n',
    );
  });

  it('GIVEN a runtime config importing package.json THEN only its version is imported', () => {
    const out = versionOnlyPackageImport('import packageInfo from "../package.json";\nexport const v = packageInfo.version;\n');
    expect(out).toContain('import { version as packageVersion } from "../package.json";');
    expect(out).toContain('const packageInfo = { version: packageVersion };');
    expect(out).not.toMatch(/^import packageInfo/m);
  });
});
