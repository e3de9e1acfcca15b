/**
 * Synths from two copies of the project, in different folders, with different file mtimes,
 * time zones and temp folders, give byte-identical `cdktf.out/stacks/**` (JSON and zips), and
 * nothing synthesized names the build machine (paths, user, host) or the time of the build.
 * Copy a runs cdktf.json's app twice, with its caches cold and then warm; copy b runs main.ts
 * through the tsx loader: all three give the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { isAppCurrent } from '../scripts/run-app.cjs';

const PROJECT_ROOT = resolve(__dirname, '..');
/** Build output, VCS data and dependencies are not "the project sources". */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.cache',
  'cdktf.out',
  'dist',
  'coverage',
  '.local',
  '.gen',
  '.terraform',
  '__tests__',
]);
/** main.ts through the TypeScript loader, as the app ran before it was compiled ahead. */
const TSX_APP = ['--disable-warning=DEP0044', '--import', 'tsx', 'main.ts'];
const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Every file under `dir`, as sorted paths relative to it. */
function walk(dir: string, base: string = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

interface Checkout {
  readonly root: string;
  readonly tmp: string;
  readonly outdir: string;
}

/** Copies the project into a fresh folder and stamps every file and folder with `mtime`. */
function checkout(label: string, mtime: Date): Checkout {
  const root = mkdtempSync(join(tmpdir(), `order-infra-determinism-${label}-`));
  for (const entry of readdirSync(PROJECT_ROOT)) {
    if (!NOT_COPIED.has(entry)) cpSync(join(PROJECT_ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const file of walk(root).filter((f) => !f.startsWith('node_modules'))) utimesSync(join(root, file), mtime, mtime);
  const tmp = join(root, '.tmp');
  mkdirSync(tmp);
  return { root, tmp, outdir: join(root, 'cdktf.out') };
}

/** Runs what `cdktf synth` runs (cdktf.json's app) in the checkout, or the given node arguments. */
function synth(c: Checkout, tz: string, outdir: string = c.outdir, nodeArgs?: string[]): void {
  const app: string = JSON.parse(readFileSync(join(c.root, 'cdktf.json'), 'utf8')).app;
  const [command, ...args] = nodeArgs ? ['node', ...nodeArgs] : app.split(' ');
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ORDERS_') && !k.startsWith('JEST_') && k !== 'ORDER_INFRA_CACHE_DIR'),
  );
  execFileSync(command === 'node' ? process.execPath : command, args, {
    cwd: c.root,
    // A private TMPDIR per checkout: the second synth cannot reuse the first one's staged zips.
    env: { ...env, CDKTF_OUTDIR: outdir, TMPDIR: c.tmp, TZ: tz, CHECKPOINT_DISABLE: '1' },
    stdio: 'pipe',
    timeout: 120_000,
  });
}

/** The readable content of a synthesized file: text as is, each zip entry decompressed. */
function readable(file: string): string {
  const bytes = readFileSync(file);
  if (!file.endsWith('.zip')) return bytes.toString('utf8');
  return Object.entries(unzipSync(bytes))
    .map(([name, content]) => `${name}\n${Buffer.from(content).toString('utf8')}`)
    .join('\n');
}

describe('deterministic synth', () => {
  let a: Checkout;
  let b: Checkout;
  let stackFilesA: string[];
  let stackFilesB: string[];
  let warmOutdir: string;
  let cacheBeforeWarm: Record<string, string>;
  let appCurrentBeforeWarm: boolean;

  /** Each cache file with its bytes' hash, to see that a warm synth rebuilt nothing. */
  // Node's own compile cache (.cache/v8/, Node >= 22.1) may grow on any run; it holds no output.
  const cacheState = (c: Checkout) =>
    Object.fromEntries(
      walk(join(c.root, '.cache'))
        .filter((f) => !f.startsWith('v8/'))
        .map((f) => [f, readFileSync(join(c.root, '.cache', f)).toString('base64')]),
    );

  beforeAll(() => {
    a = checkout('a', new Date('2001-02-03T04:05:06Z'));
    b = checkout('b', new Date());
    synth(a, 'UTC');
    cacheBeforeWarm = cacheState(a);
    appCurrentBeforeWarm = isAppCurrent(a.root);
    warmOutdir = join(a.root, 'cdktf.out.warm');
    synth(a, 'UTC', warmOutdir);
    synth(b, 'Pacific/Kiritimati', b.outdir, TSX_APP);
    stackFilesA = walk(join(a.outdir, 'stacks'));
    stackFilesB = walk(join(b.outdir, 'stacks'));
  }, 300_000);

  afterAll(() => {
    for (const c of [a, b]) if (c) rmSync(c.root, { recursive: true, force: true });
  });

  it('GIVEN two checkouts WHEN synthesized THEN every stack, its cdk.tf.json and its Lambda zips are present', () => {
    const stacks = readdirSync(join(a.outdir, 'stacks')).sort();
    expect(stacks).toEqual(
      expect.arrayContaining(['orders-bootstrap', 'orders-network-dev', 'orders-app-dev', 'orders-network-prod', 'orders-app-prod']),
    );
    for (const stack of stacks) expect(stackFilesA).toContain(join(stack, 'cdk.tf.json'));
    expect(stackFilesA.filter((f) => f.startsWith('orders-app-dev') && f.endsWith('.zip')).length).toBeGreaterThanOrEqual(6);
  });

  it('GIVEN two checkouts with different mtimes, folders, time zones and temp folders, one through the tsx loader WHEN synthesized THEN the stacks trees list the same files', () => {
    expect(stackFilesB).toEqual(stackFilesA);
  });

  it('GIVEN the same two synths THEN every file under stacks/ is byte-identical (JSON and zips)', () => {
    const different = stackFilesA.filter(
      (f) => !readFileSync(join(a.outdir, 'stacks', f)).equals(readFileSync(join(b.outdir, 'stacks', f))),
    );
    expect(different).toEqual([]);
  });

  it('GIVEN the caches the first synth left WHEN synthesized again THEN nothing is recompiled or rebundled and stacks/ is byte-identical', () => {
    expect(appCurrentBeforeWarm).toBe(true);
    expect(Object.keys(cacheBeforeWarm)).toEqual(expect.arrayContaining(['main.cjs', 'handlers/api.zip', 'handlers/s3-storage.zip']));
    expect(cacheState(a)).toEqual(cacheBeforeWarm);
    const warmFiles = walk(join(warmOutdir, 'stacks'));
    expect(warmFiles).toEqual(stackFilesA);
    const different = warmFiles.filter(
      (f) => !readFileSync(join(warmOutdir, 'stacks', f)).equals(readFileSync(join(a.outdir, 'stacks', f))),
    );
    expect(different).toEqual([]);
  });

  it('GIVEN every synthesized file THEN it names no absolute path, user, host or build time', () => {
    const user = userInfo().username;
    const home = homedir();
    // The checkouts live in the temp folder, so their paths also catch a leaked temp path; "/tmp" alone
    // is a legitimate string in Lambda code. The home folder gets a trailing slash for the same reason.
    const forbidden = [a.root, b.root, PROJECT_ROOT, ...(home.length > 1 ? [`${home}/`] : [])];
    const escapedUser = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A user name such as "root" is also an ordinary word (arn:aws:iam::<account>:root, root_block_device):
    // look for it as a path segment or in user@host form, which is how builds leak it.
    const userPattern = new RegExp(`[/\\\\]${escapedUser}([/\\\\"]|$)|\\b${escapedUser}@`);
    const host = hostname();
    const hostPattern = new RegExp(`\\b${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    const problems: string[] = [];
    for (const file of walk(a.outdir)) {
      const text = readable(join(a.outdir, file));
      for (const p of forbidden) if (text.includes(p)) problems.push(`${file}: contains the path ${p}`);
      if (userPattern.test(text)) problems.push(`${file}: contains the user name ${user}`);
      // "localhost" is a host name on some CI machines and an ordinary word in SDK code.
      if (host.length >= 3 && !host.startsWith('localhost') && hostPattern.test(text))
        problems.push(`${file}: contains the host name ${host}`);
      const stamp = ISO_TIMESTAMP.exec(text);
      if (stamp) problems.push(`${file}: contains the timestamp-like ${stamp[0]}`);
    }
    expect(problems).toEqual([]);
  });
});
