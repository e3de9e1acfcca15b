/**
 * The local console in a real browser: Debian's chromium, driven by playwright-core, loads the
 * console, sees an order placed through the API appear, opens its execution and finds the path
 * it took highlighted; then injects faults from the page and sees the retry and the Catch.
 * Screenshots go to cdktf.out/screenshots/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestRuntime, type TestRuntime, validOrder } from '../helpers/local-runtime';

// The page's globals, as the functions passed to page.waitForFunction/evaluate see them (this project has no DOM typings).
declare const document: { getElementById(id: string): { textContent: string | null } | null };
declare const window: { __pwned?: number };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'cdktf.out', 'screenshots');

let t: TestRuntime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  t = await startTestRuntime();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(t.runtime.consoleUrl);
  await page.waitForSelector('svg#graph [data-state="ProcessOrder"]');
  expect(errors).toEqual([]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.cleanup();
});

async function openExecution(name: string): Promise<void> {
  const row = page.locator(`#executions tbody tr[data-name="${name}"]`);
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.waitForFunction((n) => document.getElementById('detail-title')?.textContent === `Execution ${n}`, name);
  await page.waitForFunction(() => /SUCCEEDED|FAILED/.test(document.getElementById('detail-summary')?.textContent ?? ''), undefined, {
    timeout: 15_000,
  });
}

const stateClass = (name: string) => page.getAttribute(`svg#graph [data-state="${name}"]`, 'class');

describe('local console in chromium', () => {
  it('GIVEN an order placed through the API THEN it appears, and its execution shows the path ProcessOrder → CheckInventoryAndPayment → MergeResults → StoreOrder highlighted', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">Ada';
    const res = await t.postOrder(validOrder({ customerName: hostile }));
    expect(res.status).toBe(202);
    const id = res.json.orderId as string;
    await openExecution(id);
    for (const state of [
      'ProcessOrder',
      'CheckInventoryAndPayment',
      'CheckInventory',
      'ProcessPayment',
      'MergeResults',
      'IsRefundRequired',
      'StoreOrder',
    ]) {
      expect(await stateClass(state)).toMatch(/\bvisited\b/);
    }
    for (const state of ['StoreFailedOrder', 'CompensatePayment', 'RefundPayment'])
      expect(await stateClass(state)).not.toMatch(/\bvisited\b/);
    expect(await page.locator('svg#graph .edge.taken[data-from="ProcessOrder"][data-to="CheckInventoryAndPayment"]').count()).toBe(1);
    expect(await page.locator('svg#graph .edge.taken[data-from="StoreOrder"][data-to="#end"]').count()).toBe(1);
    // The order's own values are shown as text, never run.
    await page.click('svg#graph [data-state="ProcessOrder"]');
    await page.waitForFunction(() => (document.getElementById('state-input')?.textContent ?? '').includes('onerror'));
    expect(await page.textContent('#order')).toContain(hostile.replace(/"/g, '\\"'));
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.textContent('#state-summary')).toMatch(/took \d/);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-completed.png'), fullPage: true });
  }, 60_000);

  it('GIVEN faults injected from the page THEN the next order shows the retried CheckInventory and the caught ProcessPayment', async () => {
    await page.selectOption('#fault-state', 'CheckInventory');
    await page.fill('#fault-error', 'Lambda.ServiceException');
    await page.fill('#fault-times', '1');
    await page.click('#fault-add');
    await page.waitForFunction(() => (document.getElementById('faults')?.textContent ?? '').includes('CheckInventory'));
    await page.selectOption('#fault-state', 'ProcessPayment');
    await page.fill('#fault-error', 'PaymentGatewayDown');
    await page.fill('#fault-times', 'always');
    await page.click('#fault-add');
    await page.waitForFunction(() => (document.getElementById('faults')?.textContent ?? '').includes('ProcessPayment'));
    expect(t.runtime.faults.list()).toEqual([
      { state: 'CheckInventory', error: 'Lambda.ServiceException', times: 1 },
      { state: 'ProcessPayment', error: 'PaymentGatewayDown', times: 'always' },
    ]);
    const res = await t.postOrder(validOrder());
    const id = res.json.orderId as string;
    await openExecution(id);
    expect(await stateClass('CheckInventory')).toMatch(/\bretried\b/);
    expect(await stateClass('ProcessPayment')).toMatch(/\bcaught\b/);
    expect(await stateClass('PaymentFailed')).toMatch(/\bvisited\b/);
    expect(await page.locator('svg#graph .edge.catch.taken[data-from="ProcessPayment"][data-to="PaymentFailed"]').count()).toBe(1);
    await page.click('svg#graph [data-state="ProcessPayment"]');
    expect(await page.textContent('#state-summary')).toMatch(/PaymentGatewayDown.*failure caught/);
    expect(await page.locator('#events tbody tr[data-type="TaskFailed"]').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-retry-and-catch.png'), fullPage: true });
    await page.click('#fault-clear');
    await page.waitForFunction(() => (document.getElementById('faults')?.textContent ?? '').includes('no faults'));
    expect(t.runtime.faults.list()).toEqual([]);
  }, 60_000);
});
