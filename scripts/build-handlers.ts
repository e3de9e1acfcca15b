/**
 * `npm run build` (after `tsc --noEmit`): bundles the six Lambda handlers into
 * dist/handlers/<name>/index.js and prints each bundle's size and its zip's size.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleAllToDirectory, PROJECT_ROOT } from '../packaging/bundle';
import { deterministicZip, sha256Hex } from '../packaging/deterministic-zip';

export function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Renders rows as a Markdown table (also readable in a terminal). */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const outDir = join(PROJECT_ROOT, 'dist', 'handlers');
  const started = performance.now();
  const written = await bundleAllToDirectory(outDir);
  const elapsed = performance.now() - started;
  const rows = written.map(({ name, file, bytes }) => {
    const zip = deterministicZip({ 'index.js': readFileSync(file) });
    return [name, formatKiB(bytes), formatKiB(zip.byteLength), sha256Hex(zip).slice(0, 12)];
  });
  process.stdout.write(`Bundled ${written.length} handlers into ${relative(process.cwd(), outDir) || '.'} in ${elapsed.toFixed(0)} ms\n\n`);
  process.stdout.write(`${markdownTable(['handler', 'index.js', 'zip', 'zip sha256'], rows)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
