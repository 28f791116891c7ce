/**
 * The index page: golden file, order, escaping, relative links, strict template — and, in Chromium
 * from file:// with the network blocked, the filter box.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { INDEX_TEMPLATE } from '../../scripts/build/entries.ts';
import { compareEntries, relativeHref, renderIndexHtml } from '../../scripts/render/index-page.ts';
import type { IndexEntry } from '../../scripts/render/outputs.ts';
import { expectGolden } from '../helpers.ts';
import { requireBrowser } from '../../scripts/browser/find.ts';
import { launchBrowser } from '../../scripts/browser/launch.ts';

const template = readFileSync(INDEX_TEMPLATE, 'utf8');

const entry = (fiscalYear: number, code: string, name: string, more: Partial<IndexEntry> = {}): IndexEntry => ({
  fiscalYear,
  code,
  name,
  source: `data/${fiscalYear}/${code}.yaml`,
  indicators: 18,
  pointsSum: 90,
  warnings: 0,
  outputs: { pdf: `${fiscalYear}/${code}.pdf`, html: `${fiscalYear}/${code}.html`, xlsx: `${fiscalYear}/${code}.xlsx` },
  ...more,
});

// Deliberately out of order, with a name that must be escaped and an entry missing its HTML.
const ENTRIES: IndexEntry[] = [
  entry(2024, 'zhijiang-swkjgxj', '芷江侗族自治县商务科技和工业和信息化局'),
  entry(2025, 'zhijiang-swkjgxj', '芷江侗族自治县商务科技和工业和信息化局', { warnings: 3 }),
  entry(2026, 'zhijiang-czj', '芷江侗族自治县财政局', { indicators: 25 }),
  entry(2025, 'a-test', '<script>alert("x")</script> & 测试局', {
    pointsSum: 88.5,
    warnings: 1,
    outputs: { pdf: '2025/a-test.pdf', xlsx: '2025/a-test.xlsx' },
  }),
  entry(2025, 'zhijiang-czj', '芷江侗族自治县财政局'),
];
const OPTS = {
  template,
  pointsTotal: 90,
  commit: { sha: '0123456789abcdef0123456789abcdef01234567', dirty: true },
  toolVersion: '0.0.0-test',
};

const rowsOf = (html: string): string[] => [...html.matchAll(/<tr data-search="([^"]*)"/g)].map((m) => m[1]!);

describe('renderIndexHtml', () => {
  const html = renderIndexHtml(ENTRIES, OPTS);

  it('matches the golden file (UPDATE_GOLDEN=1 rewrites it)', async () => {
    await expectGolden('index/index.html', html);
  });

  it('years newest first, departments by code; one section per year', () => {
    expect(rowsOf(html).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      '2026 zhijiang-czj',
      '2025 a-test',
      '2025 zhijiang-czj',
      '2025 zhijiang-swkjgxj',
      '2024 zhijiang-swkjgxj',
    ]);
    expect([...html.matchAll(/<section data-year="(\d+)">/g)].map((m) => m[1])).toEqual(['2026', '2025', '2024']);
    expect(renderIndexHtml([...ENTRIES].reverse(), OPTS)).toBe(html);
  });

  it('escapes data', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 测试局');
  });

  it('links are relative and only to files that exist', () => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs).toContain('2025/a-test.pdf');
    expect(hrefs).not.toContain('2025/a-test.html');
    for (const h of hrefs) expect(h, h).not.toMatch(/^(\/|[a-z]+:)/i);
    expect(hrefs.filter((h) => /^\d{4}\//.test(h))).toHaveLength(14);
  });

  it('shows counts, points, warnings and marks points that differ from the total', () => {
    expect(html).toMatch(/<td class="num off">88\.5<\/td>/);
    expect(html).toContain('共 3 个年度、5 个部门（单位），其中 2 个有警告');
    expect(html).toContain('<td class="num">25</td>');
    expect(html).toContain(
      '源数据提交 <code title="0123456789abcdef0123456789abcdef01234567">0123456789ab</code>（另有未提交的修改）',
    );
  });

  it('works without a commit or points total, and with no departments', () => {
    const bare = renderIndexHtml(ENTRIES.slice(0, 1), { template });
    expect(bare).not.toContain('源数据提交');
    expect(bare).not.toContain(' off"');
    expect(renderIndexHtml([], { template })).toContain('还没有生成任何部门的文件');
  });

  it('compiles in strict mode: a field the data lacks is an error, not an empty cell', () => {
    expect(() => renderIndexHtml(ENTRIES, { template: '{{#each years}}{{nope}}{{/each}}' })).toThrow(/nope/);
  });

  it('relativeHref encodes each segment', () => {
    expect(relativeHref('2025/a b#c.pdf')).toBe('2025/a%20b%23c.pdf');
    expect(compareEntries({ fiscalYear: 2025, code: 'b' }, { fiscalYear: 2024, code: 'a' })).toBeLessThan(0);
  });
});

describe('the filter box, in Chromium from file://', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('filters by name, code or year, and by warnings; fetches nothing from the network', async () => {
    const file = path.join(dir, 'index.html');
    writeFileSync(file, renderIndexHtml(ENTRIES, OPTS));
    const browser = await launchBrowser((await requireBrowser()).path);
    try {
      const page = await browser.newPage();
      const remote: string[] = [];
      await page.setRequestInterception(true);
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) remote.push(r.url());
        void (r.url().startsWith('file:') ? r.continue() : r.abort());
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const visible = () =>
        page.$$eval('tbody tr', (trs) =>
          trs
            .filter((tr) => !(tr as HTMLElement).hidden)
            .map((tr) => tr.getAttribute('data-search')!.split(' ').slice(0, 2).join(' ')),
        );
      const sections = () =>
        page.$$eval('section[data-year]', (ss) => ss.filter((s) => !s.hidden).map((s) => s.getAttribute('data-year')));
      expect(await visible()).toHaveLength(5);

      await page.type('#filter', '财政');
      expect(await visible()).toEqual(['2026 zhijiang-czj', '2025 zhijiang-czj']);
      expect(await page.$eval('#status', (e) => e.textContent)).toBe('显示 2 / 5 个');

      await page.$eval('#filter', (e) => ((e as HTMLInputElement).value = ''));
      await page.type('#filter', 'SWKJGXJ 2024');
      expect(await visible()).toEqual(['2024 zhijiang-swkjgxj']);
      expect(await sections()).toEqual(['2024']);

      await page.$eval('#filter', (e) => ((e as HTMLInputElement).value = ''));
      await page.click('#only-warnings');
      expect(await visible()).toEqual(['2025 a-test', '2025 zhijiang-swkjgxj']);

      await page.type('#filter', '没有这个部门');
      expect(await visible()).toEqual([]);
      expect(await page.$eval('#no-match', (e) => (e as HTMLElement).hidden)).toBe(false);

      expect(errors).toEqual([]);
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
