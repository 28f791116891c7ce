/**
 * The index at a province's scale (issue 17): a generated out/index.html of N rows (index-entries.ts,
 * render/index-page.ts; no build) opened from disk in Chromium, timed by the page's own performance
 * marks (templates/index.hbs): `board:open` when the first rows have been painted, `board:input` when a
 * key or the status filter changed the filter, `board:painted` when the view it asked for was painted.
 * Figures are reports, never test assertions.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { INDEX_TEMPLATE } from '../build/entries.ts';
import { renderIndexHtml } from '../render/index-page.ts';
import { generateIndexEntries } from './index-entries.ts';
import type { IndexAction, IndexFigures } from './report.ts';

/** Waits for the page's mark `name` made after `after` (ms since navigation), and returns its time. */
async function markAfter(page: Page, name: string, after: number): Promise<number> {
  const handle = await page.waitForFunction(
    (n: string, t: number) => {
      const m = performance.getEntriesByName(n, 'mark').at(-1);
      return m && m.startTime >= t ? m.startTime : false;
    },
    { timeout: 30_000, polling: 'raf' },
    name,
    after,
  );
  return (await handle.jsonValue()) as number;
}

/** Rows the board shows now: every open year's list. */
const shownRows = (page: Page): Promise<number> =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('details.year:not([hidden]) table')).reduce(
      (n, t) => n + Number(t.getAttribute('aria-rowcount') ?? 1) - 1,
      0,
    ),
  );

/** Does `act`, then times from its `board:input` mark to the frame painted after the redraw. */
async function timed(page: Page, what: string, act: () => Promise<void>): Promise<IndexAction> {
  const since = await page.evaluate(() => performance.now());
  await act();
  const input = await markAfter(page, 'board:input', since);
  const painted = await markAfter(page, 'board:painted', input);
  return { what, ms: painted - input, shown: await shownRows(page) };
}

/**
 * Generates `rows` rows, renders the index, writes it to a temporary folder and opens it in a new page of
 * `browser` (1280×900): the open, five filter changes (two keys of a county's name, a key of a year, the
 * status filter on and off) and a sort.
 */
export async function measureIndexBoard(browser: Browser, rows: number, seed: number): Promise<IndexFigures> {
  const entries = generateIndexEntries({ rows, seed });
  const template = await fs.readFile(INDEX_TEMPLATE, 'utf8');
  const started = performance.now();
  const html = renderIndexHtml(entries, { template, pointsTotal: 90 });
  const renderMs = performance.now() - started;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jxmb-bench-index-'));
  const page = await browser.newPage();
  try {
    const file = path.join(dir, 'index.html');
    await fs.writeFile(file, html);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const openMs = await markAfter(page, 'board:open', 0);
    const { JSHeapUsedSize = 0, Nodes = 0 } = await page.metrics();
    // A county's name, as a person would type it: its first two characters, one key each.
    const county = [...(entries[0]?.name ?? '芷江')].slice(0, 2);
    const actions: IndexAction[] = [];
    await page.focus('#filter');
    for (const ch of county) actions.push(await timed(page, `type ${ch}`, () => page.keyboard.type(ch)));
    await page.$eval('#filter', (e) => ((e as HTMLInputElement).value = ''));
    actions.push(await timed(page, 'type 2', () => page.keyboard.type('2')));
    await page.$eval('#filter', (e) => ((e as HTMLInputElement).value = ''));
    actions.push(await timed(page, 'status 有警告', () => page.select('#status-filter', '1').then(() => undefined)));
    actions.push(await timed(page, 'status 全部', () => page.select('#status-filter', '').then(() => undefined)));
    const sort = await timed(page, 'sort 名称', () => page.click('details.year th[data-k="name"] button'));
    return {
      rows,
      bytes: Buffer.byteLength(html),
      renderMs,
      openMs,
      filterMs: Math.max(...actions.map((a) => a.ms)),
      sortMs: sort.ms,
      actions: [...actions, sort],
      heapBytes: JSHeapUsedSize,
      nodes: Nodes,
    };
  } finally {
    await page.close().catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
}
