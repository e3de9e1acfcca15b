/**
 * The benchmarks' shared result format: each bench reports figures (a measured value, its
 * goal and the ratio the goal is about), and `npm run bench` prints them as one table.
 */
import { writeFileSync } from 'node:fs';
import { markdownTable } from '../scripts/build-handlers';

export interface Figure {
  /** What was measured, e.g. "synth, warm cache: time vs provider root". */
  readonly figure: string;
  /** The measured value with its unit, e.g. "512 ms / 2,100 ms". */
  readonly measured: string;
  /** The goal, e.g. "≤ 0.30×" or "≤ 300 KiB". */
  readonly goal: string;
  /** The number the goal bounds (a ratio, or the value itself for absolute goals). */
  readonly ratio: number;
  readonly met: boolean;
  /** The command that measures it. */
  readonly command: string;
}

/** A figure whose goal is `value ≤ limit`. */
export function atMost(figure: string, command: string, value: number, limit: number, measured: string, unit = '×'): Figure {
  return { figure, command, measured, goal: `≤ ${limit}${unit}`, ratio: value, met: value <= limit };
}

/** A figure whose goal is `value ≥ limit`. */
export function atLeast(figure: string, command: string, value: number, limit: number, measured: string, unit = '×'): Figure {
  return { figure, command, measured, goal: `≥ ${limit}${unit}`, ratio: value, met: value >= limit };
}

export function figuresTable(figures: readonly Figure[]): string {
  return markdownTable(
    ['figure', 'measured', 'goal', 'ratio / value', 'met', 'command'],
    figures.map((f) => [
      f.figure,
      f.measured,
      f.goal,
      f.ratio < 10 ? f.ratio.toFixed(3) : f.ratio.toFixed(1),
      f.met ? 'yes' : 'NO',
      `\`${f.command}\``,
    ]),
  );
}

/** Environment variable naming a file `npm run bench` reads each bench's figures from. */
export const FIGURES_FILE_VARIABLE = 'BENCH_FIGURES_FILE';

/** Prints the figures; also writes them as JSON when run by `npm run bench`. */
export function reportFigures(figures: readonly Figure[]): void {
  process.stdout.write(`\n${figuresTable(figures)}\n`);
  const file = process.env[FIGURES_FILE_VARIABLE];
  if (file) writeFileSync(file, JSON.stringify(figures));
}

/** GET throughput at 10,000 stored orders before the local S3 server was replaced (README, 2026-11-26). */
export const GET_10K_REQ_PER_SEC_BEFORE = 22.3;

/** The part of an API benchmark row the listing goals read. */
export interface ListingRow {
  readonly reqPerSec: number;
  readonly p50: number;
}

/** The listing goals: p50 at 10,000 stored ≤ 1.2× p50 at 100, and GET throughput at 10,000 ≥ 4× before. */
export function listingFigures(at100: ListingRow, at10k: ListingRow): Figure[] {
  const command = 'npm run bench:api';
  return [
    atMost(
      'GET p50 at 10,000 stored vs at 100',
      command,
      at10k.p50 / at100.p50,
      1.2,
      `${at10k.p50.toFixed(0)} ms / ${at100.p50.toFixed(0)} ms`,
    ),
    atLeast(
      'GET throughput at 10,000 stored vs before',
      command,
      at10k.reqPerSec / GET_10K_REQ_PER_SEC_BEFORE,
      4,
      `${at10k.reqPerSec.toFixed(1)} req/s / ${GET_10K_REQ_PER_SEC_BEFORE} req/s`,
    ),
  ];
}
