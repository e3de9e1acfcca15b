/**
 * Synthesizes the real app (`node --import tsx main.ts` with CDKTF_OUTDIR, what `cdktf synth`
 * runs) for tests that read the synthesized stacks. A synth costs ~20 s, so test files share
 * one: the output is cached under the OS temp folder, keyed by a hash of every source file
 * and the ORDERS_* environment; the first worker synthesizes while holding a lock file and
 * the others wait for it. ORDER_INFRA_SYNTH_DIR names an existing output to use instead.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appNodeArgs } from '../../scripts/app-command';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['config', 'spec', 'stacks', 'packaging', 'handlers', 'workflow'];
const CACHE_PREFIX = 'order-infra-synth-cache-';

function sourceHash(env: Record<string, string>): string {
  const hash = createHash('sha256');
  const files: string[] = ['main.ts', 'cdktf.json', 'package-lock.json'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  SOURCE_DIRS.filter((d) => existsSync(join(REPO_ROOT, d))).forEach(walk);
  for (const f of files) hash.update(f).update(readFileSync(join(REPO_ROOT, f)));
  const orders = Object.entries({ ...process.env, ...env })
    .filter(([k]) => k.startsWith('ORDERS_'))
    .sort();
  hash.update(JSON.stringify(orders));
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function synthesizeInto(outdir: string, env: Record<string, string>): void {
  try {
    execFileSync(process.execPath, appNodeArgs(), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 170_000,
    });
  } catch (e) {
    rmSync(outdir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`synthesizing the app failed: ${err.stderr?.toString().slice(-2000) || err.message}`);
  }
}

/** The folder holding `stacks/<stack>/cdk.tf.json` of the real app for `env` (ORDERS_* overrides). */
export function synthesizedOutdir(env: Record<string, string> = {}): string {
  const given = process.env.ORDER_INFRA_SYNTH_DIR;
  if (given && Object.keys(env).length === 0 && existsSync(join(given, 'stacks'))) return given;
  const key = sourceHash(env);
  const cached = join(tmpdir(), `${CACHE_PREFIX}${key}`);
  const lock = `${cached}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(join(cached, 'stacks'))) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Another worker is synthesizing; a lock older than the synth timeout is abandoned.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(250);
      continue;
    }
    try {
      const work = mkdtempSync(join(tmpdir(), 'order-infra-synth-'));
      synthesizeInto(work, env);
      renameSync(work, cached);
      removeStaleCaches(cached);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
  return cached;
}

/** Drops cached outputs of older sources (more than 15 minutes old, so a concurrent run keeps its own). */
function removeStaleCaches(keep: string): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(CACHE_PREFIX) && !n.endsWith('.lock'))) {
    const dir = join(tmpdir(), name);
    if (dir !== keep && Date.now() - statSync(dir).mtimeMs > 900_000) rmSync(dir, { recursive: true, force: true });
  }
}
