/**
 * The HTML diff of the seed 2025 → 2026, opened in Chromium from file://: it fetches nothing, the
 * marks are visible (coloured, struck through), the merged cells span the right rows, and the page
 * fits the window. Screenshots are left in the temp folder for a person to look at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';
import { requireBrowser } from '../../scripts/browser/find.ts';
import { launchBrowser } from '../../scripts/browser/launch.ts';

const PAIR = ['data/2025/zhijiang-swkjgxj.yaml', 'data/2026/zhijiang-swkjgxj.yaml'];

describe('the HTML diff in Chromium', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-diff-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const layout of ['inline', 'side'] as const) {
    it(`${layout}: renders offline, marks visible, fits 1400 px`, async () => {
      const file = path.join(dir, `diff-${layout}.html`);
      const r = await runCli(['diff', ...PAIR, '--format', 'html', '--layout', layout, '--embed-fonts', '-o', file]);
      expect(r.code).toBe(0);
      const browser = await launchBrowser((await requireBrowser()).path);
      try {
        const page = await browser.newPage();
        await page.setViewport({ width: 1400, height: 1200 });
        const remote: string[] = [];
        await page.setRequestInterception(true);
        page.on('request', (q) => {
          const local = q.url().startsWith('file:') || q.url().startsWith('data:');
          if (!local) remote.push(q.url());
          void (local ? q.continue() : q.abort());
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        expect(remote).toEqual([]);
        expect(errors).toEqual([]);

        // The embedded Noto fonts are the ones in use (no tofu from a missing system font).
        expect(await page.evaluate(() => document.fonts.check('10pt "Noto Serif SC"', '部门职责'))).toBe(true);
        // Deletions are struck through in red, insertions underlined in green.
        const style = (sel: string) =>
          page.$eval(sel, (e) => ({
            deco: getComputedStyle(e).textDecorationLine,
            bg: getComputedStyle(e).backgroundColor,
          }));
        expect(await style('del')).toMatchObject({ deco: 'line-through', bg: 'rgb(251, 217, 217)' });
        expect(await style('ins')).toMatchObject({ deco: 'underline', bg: 'rgb(211, 245, 220)' });
        // One removed and one added indicator row; weakened cells outlined.
        expect(await page.$$eval('tr.removed', (x) => x.length)).toBe(1);
        expect(await page.$$eval('tr.added', (x) => x.length)).toBe(1);
        expect(await page.$$eval('td.weak', (x) => x.length)).toBeGreaterThanOrEqual(layout === 'side' ? 8 : 4);
        // The 数量指标 merged cell spans its 10 display rows (9 kept or new + 1 removed).
        const spans = await page.$$eval('th.group.level2', (ths) =>
          ths.map((t) => `${t.textContent}:${t.getAttribute('rowspan')}`),
        );
        expect(spans).toContain('数量指标:10');
        // Nothing sticks out sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
        await page.screenshot({ path: path.join(os.tmpdir(), `jxmb-diff-${layout}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    });
  }
});
