/**
 * `npm run bench`: runs every benchmark (synth, bundles, API on the local runtime), each in its
 * own process, and prints one table of every figure with its goal and ratio. Each benchmark's
 * own detail is printed as it runs; `npm run bench:synth`, `bench:bundles` and `bench:api` run
 * one alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIGURES_FILE_VARIABLE, figuresTable, type Figure } from './figures';

const BENCHES = ['synth', 'bundles', 'api'] as const;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'order-infra-bench-figures-'));
  const started = Date.now();
  const figures: Figure[] = [];
  const failed: string[] = [];
  try {
    for (const bench of BENCHES) {
      process.stdout.write(`\n## bench/${bench}.ts\n\n`);
      const file = join(dir, `${bench}.json`);
      const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, `${bench}.ts`), ...process.argv.slice(2)], {
        stdio: 'inherit',
        env: { ...process.env, [FIGURES_FILE_VARIABLE]: file },
      });
      if (run.status !== 0 || !existsSync(file)) failed.push(bench);
      else figures.push(...(JSON.parse(readFileSync(file, 'utf8')) as Figure[]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(1)} at the end`;
  process.stdout.write(`\n## All figures (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${machine})\n\n`);
  process.stdout.write(`${figuresTable(figures)}\n`);
  const missed = figures.filter((f) => !f.met).length;
  process.stdout.write(
    `\n${figures.length - missed} of ${figures.length} goals met${failed.length ? `; benchmarks that failed: ${failed.join(', ')}` : ''}; ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (failed.length) process.exitCode = 1;
}

main();
