/**
 * The form's HTML on a phone (issue 14): at 390 px, in Chromium's mobile emulation, the reading view
 * (templates/form.css, narrow screens) fits the screen — nothing wider than it — with its text at a
 * readable size; at desktop width and in print the sheets are the printed A4 pages, as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { FIXTURES, runCli, ROOT } from '../helpers.ts';
import { testPool } from '../render/render-helpers.ts';

let dir: string;
let pool: BrowserPool;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-phone-'));
  const out = path.join(dir, 'out');
  for (const data of [path.join(ROOT, 'data'), path.join(FIXTURES, 'paginate-60-indicators/data')]) {
    const r = await runCli(['build', '--data', data, '--out', out, '--formats', 'html']);
    expect(r.code, r.err).toBe(0);
  }
  pool = await testPool();
}, 300_000);

afterAll(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  /** Elements with text whose box reaches past the screen's right edge (tag.class: text). */
  outside: string[];
  /** The smallest font size of any element with text of its own, in CSS px. */
  smallest: number;
  /** Indicator rows shown, and sheets. */
  rows: number;
  sheets: number;
  sheetWidth: number;
}

async function open(page: Page, code: string): Promise<Layout> {
  await page.setJavaScriptEnabled(false);
  await page.goto(pathToFileURL(path.join(dir, 'out/2025', `${code}.html`)).href, { waitUntil: 'load' });
  await page.evaluate('document.fonts.ready');
  return page.evaluate((): Layout => {
    const all = (sel: string): Element[] => Array.from(document.querySelectorAll(sel));
    const shown = (el: Element): boolean => el.getClientRects().length > 0;
    const ownText = (el: Element): boolean =>
      Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
    const texts = all('body *').filter((el) => ownText(el) && shown(el));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      outside: texts
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 20)}`),
      smallest: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
      rows: all('tr[data-row]').filter(shown).length,
      sheets: all('section.sheet').length,
      sheetWidth: all('section.sheet')[0]!.getBoundingClientRect().width,
    };
  });
}

/** A plain tab (the pool's pages are sealed to the build's own documents: no file: URLs). */
async function withTab<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const page = await (await pool.browser()).newPage();
  try {
    return await use(page);
  } finally {
    await page.close();
  }
}

const PHONE = {
  viewport: { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
};

describe('the HTML on a phone', () => {
  it.each(['zhijiang-swkjgxj', 'long-form'])('%s: fits 390 px, nothing overflows, text readable', async (code) => {
    const layout = await withTab(async (page) => {
      await page.emulate(PHONE);
      return open(page, code);
    });
    expect(layout.innerWidth).toBe(390);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.outside).toEqual([]);
    // 12 px and up (the page footer); the form's text at 15 px, as a phone's own text.
    expect(layout.smallest).toBeGreaterThanOrEqual(12);
    expect(layout.sheetWidth).toBeLessThanOrEqual(390);
    expect(layout.rows).toBeGreaterThan(10);
  });

  it('at desktop width the sheets are the printed pages, 297 mm wide with their margins', async () => {
    const layout = await withTab(async (page) => {
      await page.setViewport({ width: 1280, height: 900 });
      return open(page, 'zhijiang-swkjgxj');
    });
    // 277 mm of sheet and 20 mm of padding: 1122.5 px.
    expect(layout.sheetWidth).toBeCloseTo((297 / 25.4) * 96, 0);
    expect(layout.smallest).toBeLessThan(15);
  });
});
