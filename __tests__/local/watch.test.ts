/**
 * `npm start -- --watch` on a copy of the project: editing a handler changes the next order's
 * behaviour without a restart, while the runtime keeps its data.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRuntime, type TestRuntime, validOrder } from '../helpers/local-runtime';

const ROOT = join(__dirname, '..', '..');
let copy: string;
let t: TestRuntime;
const lines: string[] = [];

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'orders-watch-'));
  // What the handlers' bundles are built from: their sources and whatever of the project they import.
  for (const dir of ['handlers', 'spec', 'workflow']) {
    if (existsSync(join(ROOT, dir))) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
  }
  for (const file of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, file), join(copy, file));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  t = await startTestRuntime({ watch: true, watchProjectRoot: copy, onWatchLog: (line) => lines.push(line) });
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
  rmSync(copy, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms; watch printed: ${lines.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('--watch', () => {
  it('GIVEN a running runtime WHEN the order processor is edited THEN the next order is processed by the new code, and earlier orders are kept', async () => {
    const before = await t.postOrder(validOrder());
    const first = before.json.orderId as string;
    await t.runtime.waitForExecution(first);

    const file = join(copy, 'handlers', 'order-processor', 'index.ts');
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(/return order;/);
    writeFileSync(file, source.replace(/return order;/, "return { ...order, customerName: 'Edited While Running' };"));
    await waitFor(() => lines.some((l) => l.includes('rebuilt order-processor')), 20_000);
    expect(lines.find((l) => l.includes('rebuilt order-processor'))).toMatch(/\(\d+\.\d KiB\); new invocations use it/);

    const after = await t.postOrder(validOrder());
    const second = after.json.orderId as string;
    await t.runtime.waitForExecution(second);
    expect((await t.get(`/orders/${second}`)).text).toContain('"customerName":"Edited While Running"');
    expect((await t.get(`/orders/${first}`)).text).toContain(`"customerName":${JSON.stringify(validOrder().customerName)}`);
  }, 60_000);

  it('GIVEN an edit that does not compile THEN the function keeps its last good bundle and the watcher says so', async () => {
    const file = join(copy, 'handlers', 'order-processor', 'index.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nexport const broken = ;\n`);
    await waitFor(() => lines.some((l) => l.includes('order-processor did not build')), 20_000);
    const res = await t.postOrder(validOrder());
    const record = await t.runtime.waitForExecution(res.json.orderId as string);
    expect(record.status).toBe('SUCCEEDED');
    expect((await t.get(`/orders/${res.json.orderId}`)).text).toContain('"customerName":"Edited While Running"');
  }, 60_000);
});
