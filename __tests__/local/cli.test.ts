/**
 * `npm start` as a user runs it (the options themselves are tested in cli-options.test.ts): a child process (tsx local/cli.ts) on a free port,
 * an order placed with the printed URL, the execution line printed, SIGINT stopping
 * everything (the S3 server child included) with exit code 0; SIGTERM and SIGHUP sent to npm itself
 * stop the runtime too, and a second start on the same data dir is refused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBundles } from '../../local/bundles';
import { validOrder } from '../helpers/local-runtime';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

describe('npm start', () => {
  it('GIVEN --help WHEN run THEN the options are printed and it exits 0', () => {
    const result = spawnSync(TSX, ['local/cli.ts', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--fault <spec>');
  });

  it('GIVEN a start on port 0 WHEN an order is posted to the printed URL THEN a completed line is printed, and SIGINT stops everything with exit 0', async () => {
    await ensureBundles(); // built once; the CLI then finds them in the cache
    const dataDir = mkdtempSync(join(tmpdir(), 'order-infra-cli-'));
    const child = spawn(TSX, ['local/cli.ts', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const waitFor = async (pattern: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not see ${pattern} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return pattern.exec(out)!;
    };
    try {
      const [, url] = await waitFor(/Order API running at (http:\/\/127\.0\.0\.1:\d+)/, 90000);
      const [, s3Url] = await waitFor(/S3 at (http:\/\/127\.0\.0\.1:\d+)/, 1000);
      expect(out).toContain('API key not required locally');
      expect(out).toMatch(/curl -s -X POST .*\/orders/);
      expect(out).toMatch(/curl -s .*\/orders\/<orderId>/);
      expect(out).toMatch(/curl -s '.*\/orders\?limit=10'/);
      const res = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validOrder()),
      });
      expect(res.status).toBe(202);
      const { orderId } = (await res.json()) as { orderId: string };
      await waitFor(new RegExp(`order ${orderId}  completed  \\d+ ms`), 30000);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // The API port is closed: nothing is left listening.
      await expect(fetch(`${url}/orders`)).rejects.toThrow();
      // ...and the S3 server child process is gone with it.
      await expect(fetch(s3Url)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180000);

  /** Starts `npm start` (npm → sh → tsx → node, the chain a user runs) and waits for its URLs. */
  async function startViaNpm(dataDir: string) {
    const child = spawn('npm', ['start', '--', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 90000;
    while (!/S3 at (http:\/\/127\.0\.0\.1:\d+)/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const api = /Order API running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    const s3 = /S3 at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    return { child, api, s3, output: () => out };
  }

  /** Ends a runtime a failed test left behind: the data-dir lock names its process. */
  function killLockHolder(dataDir: string): void {
    try {
      process.kill((JSON.parse(readFileSync(join(dataDir, 'runtime.lock'), 'utf8')) as { pid: number }).pid, 'SIGTERM');
    } catch {
      // No lock (stopped cleanly) or the process is gone.
    }
  }

  /** True once nothing answers on the URL (within `ms`). */
  async function closedWithin(url: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        await fetch(url, { signal: AbortSignal.timeout(500) });
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  it.each(['SIGTERM', 'SIGHUP'] as const)(
    'GIVEN npm start running WHEN npm itself gets %s THEN the runtime and its S3 child stop and the data-dir lock is released; a second start on the dir is refused naming the first',
    async (signal) => {
      await ensureBundles();
      const dataDir = mkdtempSync(join(tmpdir(), 'order-infra-cli-signal-'));
      const npm = await startViaNpm(dataDir);
      try {
        if (signal === 'SIGTERM') {
          const second = spawnSync(TSX, ['local/cli.ts', '--port', '0', '--data-dir', dataDir], {
            cwd: ROOT,
            encoding: 'utf8',
            timeout: 60000,
          });
          expect(second.status).toBe(1);
          expect(second.stderr).toMatch(
            /Data dir .* is in use by another local runtime: process \d+ on .*local\/cli\.ts --port 0 --data-dir/,
          );
          expect(second.stdout).not.toContain('Resumed');
        }
        npm.child.kill(signal);
        expect(await closedWithin(`${npm.api}/orders`, 15000)).toBe(true);
        expect(await closedWithin(npm.s3, 15000)).toBe(true);
        const deadline = Date.now() + 5000;
        while (existsSync(join(dataDir, 'runtime.lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(existsSync(join(dataDir, 'runtime.lock'))).toBe(false);
      } finally {
        if (npm.child.exitCode === null) npm.child.kill('SIGKILL');
        killLockHolder(dataDir);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180000,
  );

  it.each([
    ['the tsx process that launched it (no signal reaches the runtime)', 'launcher'],
    ['the runtime process itself (its S3 child sees the IPC channel close)', 'runtime'],
  ] as const)(
    'GIVEN npm start WHEN %s is killed with SIGKILL THEN the API and the S3 child stop',
    async (_who, victim) => {
      await ensureBundles();
      const dataDir = mkdtempSync(join(tmpdir(), 'order-infra-cli-kill-'));
      const child = spawn(TSX, ['local/cli.ts', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      try {
        const deadline = Date.now() + 90000;
        while (!/S3 at (http:\/\/127\.0\.0\.1:\d+)/.test(out)) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${out}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const api = /Order API running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
        const s3 = /S3 at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
        if (victim === 'launcher') child.kill('SIGKILL');
        else process.kill((JSON.parse(readFileSync(join(dataDir, 'runtime.lock'), 'utf8')) as { pid: number }).pid, 'SIGKILL');
        expect(await closedWithin(`${api}/orders`, 15000)).toBe(true);
        expect(await closedWithin(s3, 15000)).toBe(true);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        killLockHolder(dataDir);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180000,
  );
});
