/**
 * What the Lambda bundles leave out of the AWS SDK, tested on the api bundle itself (the file
 * zipped for Lambda): the clients read their configuration and credentials from environment
 * variables only, as Lambda provides them, never from shared config files; service errors keep
 * the names the handlers branch on without their classes; and the source rewrites that let
 * esbuild drop unused SDK code change nothing else.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { handlerArtifact } from '../../packaging/artifact';
import { handlerBuildOptions, handlerBuildPlugins } from '../../packaging/bundle';
import { FALLBACKS, LEFT_OUT_NAMESPACE, nodeOnlyPathsPlugin } from '../../packaging/lambda-sdk/node-only-paths.cjs';
import { literalSchemaKeys, unregisteredModeledErrors, versionOnlyPackageImport } from '../../packaging/lambda-sdk/sdk-tree-shaking.cjs';
import { newOrderId } from '../../handlers/shared/ids';
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

const LIST_ONE = { resource: '/orders', path: '/orders', pathParameters: null, queryStringParameters: { limit: '1' } };

/** One API Gateway request (`route`) through the api bundle in a fresh process with exactly `env`. */
async function invokeOnce(route: object, env: Record<string, string>): Promise<{ statusCode: number; body: string; log: string }> {
  const event = {
    httpMethod: 'GET',
    headers: {},
    requestContext: { requestId: 'config-test', identity: { sourceIp: '127.0.0.1' } },
    body: null,
    ...route,
  };
  const script = `
    require(${JSON.stringify(bundle)}).handler(${JSON.stringify(event)}, { awsRequestId: 'config-test', functionName: 'orders-test-api' })
    .then((r) => process.stdout.write('\\nRESULT ' + JSON.stringify(r) + '\\n'));`;
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
  const result = JSON.parse(line.slice(7)) as { statusCode: number; body: string };
  return { statusCode: result.statusCode, body: result.body, log: stdout + stderr };
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

it('GIVEN region and credentials in the environment WHEN the api bundle lists orders THEN it answers 200', async () => {
  expect((await invokeOnce(LIST_ONE, { AWS_REGION: 'us-east-1', ...CREDENTIALS })).statusCode).toBe(200);
}, 60_000);

it('GIVEN a region only in ~/.aws/config WHEN the api bundle lists orders THEN the file is not read: Region is missing', async () => {
  const result = await invokeOnce(LIST_ONE, { ...CREDENTIALS });
  expect(result.statusCode).toBe(500);
  expect(result.log).toMatch(/Region is missing/);
}, 60_000);

it('GIVEN credentials only in ~/.aws/credentials WHEN the api bundle lists orders THEN they are not used: credentials come from the environment only', async () => {
  const result = await invokeOnce(LIST_ONE, { AWS_REGION: 'us-east-1' });
  expect(result.statusCode).toBe(500);
  expect(result.log).toMatch(/Could not load credentials from environment|credentials/i);
  expect(result.log).not.toMatch(/FROMFILE/);
}, 60_000);

describe('service errors without their classes', () => {
  let sfn: Server;
  let sfnEndpoint: string;
  /** What the stand-in Step Functions answers each call: status and `__type` of a JSON 1.0 error. */
  let sfnError: { status: number; type: string };
  const sfnTargets: string[] = [];

  beforeAll(async () => {
    sfn = createServer((req, res) => {
      sfnTargets.push(String(req.headers['x-amz-target']));
      req.resume().on('end', () => {
        res.writeHead(sfnError.status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: `com.amazonaws.sfn#${sfnError.type}`, message: `${sfnError.type} from the stand-in` }));
      });
    });
    await new Promise<void>((resolve) => sfn.listen(0, '127.0.0.1', resolve));
    sfnEndpoint = `http://127.0.0.1:${(sfn.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => sfn.close(() => resolve())));

  const getOrder = (orderId: string) => ({ resource: '/orders/{orderId}', path: `/orders/${orderId}`, pathParameters: { orderId } });
  const env = () => ({ AWS_REGION: 'us-east-1', ...CREDENTIALS, AWS_ENDPOINT_URL_SFN: sfnEndpoint, AWS_MAX_ATTEMPTS: '1' });

  it("GIVEN S3's NoSuchKey and Step Functions' ExecutionDoesNotExist WHEN the api bundle gets an unknown order THEN it answers 404: both errors keep their names", async () => {
    sfnError = { status: 400, type: 'ExecutionDoesNotExist' };
    const orderId = newOrderId();
    const result = await invokeOnce(getOrder(orderId), env());
    expect(sfnTargets.at(-1)).toBe('AWSStepFunctions.DescribeExecution');
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).message).toBe(`Order ${orderId} not found`);
  }, 60_000);

  it('GIVEN Step Functions throttles WHEN the api bundle gets an unknown order THEN it answers 503: the throttling error keeps its name', async () => {
    sfnError = { status: 400, type: 'ThrottlingException' };
    const result = await invokeOnce(getOrder(newOrderId()), env());
    expect(result.statusCode).toBe(503);
  }, 60_000);

  it('GIVEN a schema module THEN modeled errors are unregistered and the base exception stays registered', () => {
    const source = [
      'const _s_registry = new TypeRegistry(_s);',
      '_s_registry.registerError(SFNServiceException$, SFNServiceException);',
      'const n0_registry = new TypeRegistry(n0);',
      'export var InvalidArn$ = [-3, n0, _IA, { "error": "client" }, [_m], [0]];',
      'n0_registry.registerError(InvalidArn$, InvalidArn);',
      'n0_registry.registerError(InvalidName$, InvalidName);',
      '',
    ].join('\n');
    const out = unregisteredModeledErrors(source);
    expect(out).toContain('_s_registry.registerError(SFNServiceException$, SFNServiceException);');
    expect(out).toContain('export var InvalidArn$');
    expect(out).not.toMatch(/n0_registry\.registerError/);
  });
});

describe('fallbacks for runtimes other than Lambda Node.js', () => {
  const sha256Dir = join(dirname(require.resolve('@smithy/core/package.json')), 'dist-es', 'submodules', 'checksum', 'sha256');

  /** Bundles `import ... from "./Sha256Js"` as if written in the file `importer` next to it; returns the export. */
  async function sha256JsImportedBy(importer: string): Promise<new () => unknown> {
    const result = await build({
      stdin: { contents: 'export { Sha256Js } from "./Sha256Js";', resolveDir: sha256Dir, sourcefile: importer },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      logLevel: 'silent',
      plugins: [nodeOnlyPathsPlugin()],
    });
    const module = { exports: {} as { Sha256Js: new () => unknown } };
    new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
    return module.exports.Sha256Js;
  }

  it("GIVEN the Node hash class's import of its JavaScript fallback THEN it gets a stand-in that fails, naming what is left out", async () => {
    const Standin = await sha256JsImportedBy('Sha256Node.js');
    expect(() => new Standin()).toThrow(/Sha256Js is left out of this Lambda bundle/);
  });

  it('GIVEN any other module importing the JavaScript implementation THEN it gets the real one', async () => {
    const Sha256Js = await sha256JsImportedBy('index.js');
    expect(new Sha256Js()).toHaveProperty('digest');
  });

  it.each(['api', 's3-storage'] as const)(
    'GIVEN the %s bundle THEN none of the left-out fallback modules is in it',
    async (name) => {
      const result = await build({ ...handlerBuildOptions(name), plugins: handlerBuildPlugins() });
      // The modules with code in the output (the metafile's inputs also list the tree-shaken ones).
      const output = Object.values(result.metafile.outputs)[0];
      const inputs = Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path);
      const leftOut = FALLBACKS.map((f) => `/${f.path.slice(2)}.js`);
      expect(inputs.filter((input) => leftOut.some((suffix) => input.endsWith(suffix)))).toEqual([]);
      // The stand-ins did replace imports the bundle has (the list is not stale).
      expect(inputs.filter((input) => input.startsWith(`${LEFT_OUT_NAMESPACE}:`)).length).toBeGreaterThan(4);
    },
    60_000,
  );
});

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
