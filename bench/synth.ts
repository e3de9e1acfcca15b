/**
 * `npm run bench:synth`: wall time and peak memory of the app command of cdktf.json
 * synthesizing every stack, (a) with its caches warm (compiled app and handler artifacts
 * unchanged since the last synth) and (c) cold (`.cache/` removed first: compile, bundle and
 * zip everything), against (b) merely loading the AWS provider package root, each in fresh
 * child processes, alternating so all see the same machine load. Prints medians and the
 * ratios against b. Goals: warm ≤ 0.30× b's time and ≤ 0.25× its memory, cold ≤ 0.60× both.
 * Note: the cold runs delete the project's `.cache/` (a cache: the next synth refills it).
 *
 * Memory = the peak RSS of the whole process tree: the highest sum, sampled every 5 ms from /proc,
 * of the current RSS of the Node process and of its live children (the esbuild service that both
 * tsx and our bundler use); never less than the Node process's own exact peak
 * (`process.resourceUsage().maxRSS`, written at exit by a preload).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { markdownTable } from '../scripts/build-handlers';
import { appNodeArgs } from '../scripts/app-command';
import { atMost, reportFigures } from './figures';

const ROOT = resolve(__dirname, '..');

export interface Measurement {
  readonly wallMs: number;
  /** Peak RSS of the process tree (Node and its children), KiB. */
  readonly treeKiB: number;
  /** Peak RSS of the Node process alone, KiB. */
  readonly nodeKiB: number;
  /** Highest peak RSS of any one child process (the esbuild service), KiB. */
  readonly childKiB: number;
}

interface Subject {
  readonly label: string;
  /** Node arguments; the RSS preload is put in front. */
  readonly nodeArgs: (outdir: string) => string[];
  /** Runs before each measurement (not timed). */
  readonly before?: () => void;
}

/** Writes the process's peak RSS (KiB on Linux) to $BENCH_MAXRSS_FILE when it exits. */
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>{writeFileSync(process.env.BENCH_MAXRSS_FILE,String(process.resourceUsage().maxRSS))});",
)}`;

/** Child pids of every thread of `pid` (Node spawns from worker threads too), recursively. */
function descendants(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return children.flatMap((c) => [c, ...descendants(c)]);
}

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs `node <preload> <args>` once in a fresh process. */
export function measure(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
  const scratch = mkdtempSync(join(tmpdir(), 'order-infra-bench-'));
  const rssFile = join(scratch, 'maxrss');
  let treeKiB = 0;
  let childKiB = 0;
  return new Promise<Measurement>((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', PRELOAD, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_MAXRSS_FILE: rssFile, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sampler = setInterval(() => {
      // Processes alive together add up; ones that ran one after another do not.
      const children = descendants(child.pid!);
      childKiB = Math.max(childKiB, ...children.map((pid) => statusKiB(pid, 'VmHWM')));
      treeKiB = Math.max(
        treeKiB,
        [child.pid!, ...children].reduce((sum, pid) => sum + statusKiB(pid, 'VmRSS'), 0),
      );
    }, 5);
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(sampler);
      try {
        if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
        const nodeKiB = Number(readFileSync(rssFile, 'utf8'));
        resolvePromise({ wallMs, treeKiB: Math.max(treeKiB, nodeKiB), nodeKiB, childKiB });
      } catch (e) {
        reject(e);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${process.argv[runsArg + 1]}`);
  if (!existsSync('/proc/self/status')) process.stderr.write('note: no /proc here, so child processes (esbuild) are not counted\n');

  const app = appNodeArgs();
  const subjects: Subject[] = [
    { label: `(a) cdktf.json app, warm cache: node ${app.join(' ')}`, nodeArgs: () => app },
    // The one deliberate load of the provider package root: it is the baseline the goals compare against.
    { label: `(b) node -e "require('@cdktf/provider-aws')"`, nodeArgs: () => ['-e', "require('@cdktf/provider-aws')"] },
    {
      label: '(c) cdktf.json app, cold cache (compile main.ts, bundle and zip 6 handlers)',
      nodeArgs: () => app,
      before: () => rmSync(join(ROOT, '.cache'), { recursive: true, force: true }),
    },
    {
      label: 'reference: node --import tsx main.ts, warm artifact cache (TypeScript loader, source maps)',
      nodeArgs: () => ['--disable-warning=DEP0044', '--import', 'tsx', 'main.ts'],
    },
    { label: `reference: node -e "require('cdktf')"`, nodeArgs: () => ['-e', "require('cdktf')"] },
  ];
  // Warm the caches (and the file system) once, untimed.
  await measure(app, { CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), 'order-infra-bench-out-')) });
  const results = subjects.map(() => [] as Measurement[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, subject] of subjects.entries()) {
      const outdir = mkdtempSync(join(tmpdir(), 'order-infra-bench-out-'));
      try {
        subject.before?.();
        results[i].push(await measure(subject.nodeArgs(outdir), { CDKTF_OUTDIR: outdir }));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
  }
  const mib = (kib: number) => kib / 1024;
  const summary = results.map((r) => ({
    wallMs: median(r.map((m) => m.wallMs)),
    treeMiB: median(r.map((m) => mib(m.treeKiB))),
    nodeMiB: median(r.map((m) => mib(m.nodeKiB))),
    childMiB: median(r.map((m) => mib(m.childKiB))),
  }));
  const rows = subjects.map((s, i) => [
    s.label,
    summary[i].wallMs.toFixed(0),
    summary[i].treeMiB.toFixed(0),
    summary[i].nodeMiB.toFixed(0),
    summary[i].childMiB.toFixed(0),
  ]);
  process.stdout.write(`node ${process.version}, ${runs} run(s) each, medians\n\n`);
  process.stdout.write(`${markdownTable(['command', 'wall ms', 'peak RSS MiB', 'node alone MiB', 'child processes MiB'], rows)}\n`);
  const [warm, root, cold] = summary;
  const ms = (x: { wallMs: number }) => `${x.wallMs.toFixed(0)} ms`;
  const mem = (x: { treeMiB: number }) => `${x.treeMiB.toFixed(0)} MiB`;
  const command = 'npm run bench:synth';
  reportFigures([
    atMost('synth, warm cache: time vs provider root', command, warm.wallMs / root.wallMs, 0.3, `${ms(warm)} / ${ms(root)}`),
    atMost('synth, warm cache: memory vs provider root', command, warm.treeMiB / root.treeMiB, 0.25, `${mem(warm)} / ${mem(root)}`),
    atMost('synth, cold cache: time vs provider root', command, cold.wallMs / root.wallMs, 0.6, `${ms(cold)} / ${ms(root)}`),
    atMost('synth, cold cache: memory vs provider root', command, cold.treeMiB / root.treeMiB, 0.6, `${mem(cold)} / ${mem(root)}`),
  ]);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
