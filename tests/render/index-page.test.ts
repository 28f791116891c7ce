/**
 * The index page, the bureau's status board: its rows and statuses (通过 / 有警告 / 有错误 / 生成失败 /
 * 未提交), headline counts, escaping, strict template — and, in Chromium from file:// with the network
 * blocked, the statuses and diagnostics as shown, and 20,000 generated rows (only those near the screen
 * drawn): filter, counts, sort, scrolling to the end, links, printing, Ctrl+F; and a phone's width.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_TEMPLATE } from '../../scripts/build/entries.ts';
import {
  boardRows,
  compareEntries,
  decodeColumn,
  encodeColumn,
  headline,
  readBoard,
  relativeHref,
  renderIndexHtml,
  scriptJson,
} from '../../scripts/render/index-page.ts';
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
  filed: `${fiscalYear - 1}-12-08`,
  reviewed: `${fiscalYear - 1}-12-14`,
  pages: 2,
  ...more,
});

const CZJ = '芷江侗族自治县财政局';
const SWJ = '芷江侗族自治县商务科技和工业和信息化局';
// Deliberately out of order; one of each status in 2025, a name that must be escaped.
const ENTRIES: IndexEntry[] = [
  entry(2024, 'zhijiang-swkjgxj', SWJ),
  entry(2024, 'zhijiang-jyj', '芷江侗族自治县教育局'),
  entry(2024, 'zhijiang-czj', CZJ),
  entry(2024, 'zhijiang-gone', '芷江侗族自治县已撤并局'),
  entry(2025, 'zhijiang-swkjgxj', SWJ, {
    warnings: 1,
    diagnostics: [
      { severity: 'warning', code: 'DEADLINE_BEFORE_YEAR', line: 104, col: 12, message: '完成时限早于 2025 年度' },
    ],
    diff: '2025/zhijiang-swkjgxj.diff.html',
  }),
  // An error: no outputs, and a name it could not say (its other years give it).
  entry(2025, 'zhijiang-jyj', 'zhijiang-jyj', {
    indicators: 0,
    pointsSum: 0,
    errors: 1,
    outputs: {},
    diagnostics: [
      { severity: 'error', code: 'YAML_SYNTAX', line: 30, col: 5, message: '第 30 行缩进比同一层的键少 1 个空格' },
    ],
  }),
  // Rendering failed: its last good outputs are kept.
  entry(2025, 'zhijiang-czj', CZJ, { failed: 'Chromium 超时 timed out', outputs: { xlsx: '2025/zhijiang-czj.xlsx' } }),
  entry(2025, 'a-test', '<script>alert("x")</script> & 测试局', { pointsSum: 88.5 }),
  // Its self-evaluation fails its checks: no 自评表, 有错误 beside its documents.
  entry(2025, 'a-test.self-eval', 'a-test.self-eval', {
    indicators: 0,
    pointsSum: 0,
    errors: 1,
    warnings: 1,
    outputs: {},
    diagnostics: [
      {
        severity: 'error',
        code: 'SELF_EVAL_UNKNOWN_INDICATOR',
        line: 14,
        col: 11,
        message: '没有叫“新增企业甲”的指标',
      },
      { severity: 'warning', code: 'SELF_EVAL_OVERSPENT', line: 8, col: 10, message: '全年执行数超过全年预算数' },
    ],
  }),
  // zhijiang-gone: 2024 only → 未提交 in 2025.
];
const OPTS = {
  template,
  pointsTotal: 90,
  commit: { sha: '0123456789abcdef0123456789abcdef01234567', dirty: true },
  toolVersion: '0.0.0-test',
};

describe('the board’s rows', () => {
  const html = renderIndexHtml(ENTRIES, OPTS);
  const board = readBoard(html);
  const of = (year: number, code: string) => board.rows.find((r) => r.year === year && r.code === code)!;

  it('matches the golden file (UPDATE_GOLDEN=1 rewrites it)', async () => {
    await expectGolden('index/index.html', html);
  });

  it('one row per department per year, newest year first, by code; the same page whatever the order', () => {
    expect(board.rows.map((r) => `${r.year} ${r.code}`)).toEqual([
      '2025 a-test',
      '2025 zhijiang-czj',
      '2025 zhijiang-gone',
      '2025 zhijiang-jyj',
      '2025 zhijiang-swkjgxj',
      '2024 zhijiang-czj',
      '2024 zhijiang-gone',
      '2024 zhijiang-jyj',
      '2024 zhijiang-swkjgxj',
    ]);
    expect(renderIndexHtml([...ENTRIES].reverse(), OPTS)).toBe(html);
  });

  it('a status for each case: passed, warnings, an error, a failed render, a missing table', () => {
    const status = (year: number, code: string): string => board.statuses[of(year, code).status as number]!;
    expect(status(2025, 'a-test')).toBe('通过');
    expect(status(2025, 'zhijiang-swkjgxj')).toBe('有警告');
    expect(status(2025, 'zhijiang-jyj')).toBe('有错误');
    expect(status(2025, 'zhijiang-czj')).toBe('生成失败');
    expect(status(2025, 'zhijiang-gone')).toBe('未提交');
    expect(status(2024, 'zhijiang-gone')).toBe('通过');
    // The error row is named as its other year names it, and has no form columns.
    expect(of(2025, 'zhijiang-jyj')).toMatchObject({
      name: '芷江侗族自治县教育局',
      indicators: -1,
      points: '',
      files: 0,
    });
    expect(of(2025, 'zhijiang-gone')).toMatchObject({ name: '芷江侗族自治县已撤并局', files: 0, source: '' });
    expect(of(2025, 'zhijiang-czj')).toMatchObject({ failed: 'Chromium 超时 timed out', files: 4 });
    expect(boardRows(ENTRIES).filter((r) => r.status === 'missing')).toHaveLength(1);
  });

  it('carries the diagnostics, dates, pages and the diff link of each row', () => {
    const jyj = of(2025, 'zhijiang-jyj');
    expect(board.diagnostics[jyj.diagnostics as number]).toEqual([
      [0, 'YAML_SYNTAX', 30, 5, '第 30 行缩进比同一层的键少 1 个空格'],
    ]);
    expect(of(2025, 'zhijiang-swkjgxj')).toMatchObject({
      filed: '2024-12-08',
      reviewed: '2024-12-14',
      pages: 2,
      files: 1 | 2 | 4 | 8,
      source: 'data/2025/zhijiang-swkjgxj.yaml',
    });
    expect(of(2025, 'a-test')).toMatchObject({ points: '88.5', pointsOff: 1 });
  });

  it('a self-evaluation with errors goes on its department’s row: counts, diagnostics, source, no score', () => {
    const row = of(2025, 'a-test');
    expect(row).toMatchObject({
      selfEvalErrors: 1,
      selfEvalWarnings: 1,
      selfEvalSource: 'data/2025/a-test.self-eval.yaml',
      score: '',
      grade: '',
      selfEvalFiles: 0,
    });
    expect(board.diagnostics[row.selfEvalDiagnostics as number]).toEqual([
      [0, 'SELF_EVAL_UNKNOWN_INDICATOR', 14, 11, '没有叫“新增企业甲”的指标'],
      [1, 'SELF_EVAL_OVERSPENT', 8, 10, '全年执行数超过全年预算数'],
    ]);
    // Its department's status is its targets' own; no row of its own.
    expect(board.statuses[row.status as number]).toBe('通过');
    expect(board.rows.filter((r) => String(r.code).includes('self-eval'))).toEqual([]);
    expect(of(2025, 'zhijiang-czj')).toMatchObject({ selfEvalErrors: 0, selfEvalDiagnostics: -1 });
  });

  it('headline counts per year, tables and departments counted apart', () => {
    expect(html).toContain('2025：1/5 通过，1 有警告，1 有错误，1 生成失败，1 未提交');
    expect(html).toContain('2024：4/4 通过');
    expect(html).toContain('共 2 个年度、8 张表、5 个部门（单位）；分值合计应为 90 分');
    expect(headline(2025, { pass: 199, warnings: 0, errors: 1, failed: 0, missing: 0 })).toBe(
      '2025：199/200 通过，1 有错误',
    );
    expect(html).toContain(
      '源数据提交 <code title="0123456789abcdef0123456789abcdef01234567">0123456789ab</code>（另有未提交的修改）',
    );
  });

  it('escapes data: none of it can end the script it travels in', () => {
    expect(html).not.toContain('<script>alert');
    expect(of(2025, 'a-test').name).toBe('<script>alert("x")</script> & 测试局');
    expect(scriptJson(['</script>\u2028&'])).toBe('["\\u003c/script\\u003e\\u2028\\u0026"]');
  });

  it('works without a commit or points total, and with no departments', () => {
    const bare = renderIndexHtml(ENTRIES.slice(0, 1), { template });
    expect(bare).not.toContain('源数据提交');
    expect(readBoard(bare).rows[0]!.pointsOff).toBe(0);
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

describe('the board’s data by column', () => {
  const cases: [string, number[], string][] = [
    ['years, sorted', [2026, 2026, 2026, 2025, 2025, 2024], 'r'],
    ['indices counting up, year after year', [...Array(50).keys(), ...Array(50).keys()], 'g'],
    ['mostly one value', Array.from({ length: 200 }, (_, i) => (i % 61 === 7 ? i : -1)), 'd'],
    ['no pattern', [5, 3, 9, 1, 12, 4, 8, 2, 11, 6, 7, 10], 'array'],
    ['empty', [], 'array'],
  ];
  for (const [what, values, kind] of cases)
    it(`${what}: the shortest encoding (${kind}), decoded to the same values`, () => {
      const c = encodeColumn(values);
      expect(Array.isArray(c) ? 'array' : Object.keys(c)[0]).toBe(kind);
      expect(JSON.stringify(c).length).toBeLessThanOrEqual(JSON.stringify(values).length);
      expect(decodeColumn(c, values.length)).toEqual(values);
    });

  it('20,000 rows: the data read back as rendered, in under a megabyte', () => {
    const entries = province(20000);
    const html = renderIndexHtml(entries, OPTS);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    const { rows } = readBoard(html);
    expect(rows.map((r) => `${r.year} ${r.code} ${r.name} ${r.source}`)).toEqual(
      boardRows(entries).map(({ entry: e }) => `${e.fiscalYear} ${e.code} ${e.name} ${e.source || ''}`),
    );
  });
});

/** A province: `n` tables over four years, every status among them, names that sort in Chinese. */
function province(n: number): IndexEntry[] {
  const years = [2023, 2024, 2025, 2026];
  const per = Math.ceil(n / years.length);
  const out: IndexEntry[] = [];
  const counties = ['芷江', '洪江', '沅陵', '辰溪', '溆浦', '会同', '麻阳', '新晃', '靖州', '通道'];
  for (const y of years)
    for (let k = 0; k < per && out.length < n; k++) {
      // Every 50th department has not submitted this year (2026).
      if (y === 2026 && k % 50 === 7) continue;
      const code = `c${Math.floor(k / 40)}-d${k % 40}`;
      const errors = k % 97 === 3 ? 1 : 0;
      const warnings = k % 7 === 0 ? 2 : 0;
      const name = `${counties[Math.floor(k / 40) % counties.length]}县第${Math.floor(k / 40)}片区${k % 40}号局`;
      out.push(
        entry(y, code, name, {
          warnings,
          pages: 2 + (k % 4),
          filed: `${y - 1}-${String(1 + (k % 12)).padStart(2, '0')}-10`,
          ...(errors ? { errors, indicators: 0, pointsSum: 0, outputs: {}, pages: undefined as never } : {}),
          ...(k % 211 === 5 ? { failed: '浏览器超时 timed out' } : {}),
          diagnostics: [
            ...(errors
              ? [{ severity: 'error' as const, code: 'YAML_SYNTAX', line: 30, col: 5, message: '缩进不一致' }]
              : []),
            ...Array.from({ length: warnings }, (_, j) => ({
              severity: 'warning' as const,
              code: 'DEADLINE_BEFORE_YEAR',
              line: 100 + j,
              col: 12,
              message: `完成时限早于 ${y} 年度`,
            })),
          ],
        }),
      );
    }
  return out;
}

describe('the board in Chromium, from file://', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-index-'));
  let browser: Browser;
  let page: Page;
  const remote: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser((await requireBrowser()).path);
    page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) remote.push(r.url());
      void (r.url().startsWith('file:') ? r.continue() : r.abort());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (entries: IndexEntry[], name: string): Promise<void> => {
    const file = path.join(dir, name);
    writeFileSync(file, renderIndexHtml(entries, OPTS));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  };
  /** Rows drawn (year, code, status text) in page order, without the diagnostics rows. */
  const drawn = (): Promise<string[]> =>
    page.$$eval('details.year:not([hidden]) tbody tr[data-i]', (trs) =>
      trs.map((tr) => {
        const year = tr.closest('details')!.getAttribute('data-year');
        const cells = tr.querySelectorAll('td');
        return `${year} ${cells[1]!.textContent} ${cells[2]!.textContent.replace(/[\s+−\d]+$/, '')}`;
      }),
    );
  const type = async (text: string): Promise<void> => {
    await page.$eval('#filter', (e) => {
      (e as HTMLInputElement).value = '';
      e.dispatchEvent(new Event('input'));
    });
    await page.type('#filter', text);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  };

  it('shows each status, and a row’s diagnostics one click away (code, line:col, message)', async () => {
    await page.setViewport({ width: 1280, height: 900 });
    await open(ENTRIES, 'small.html');
    expect(await drawn()).toEqual([
      '2025 a-test 通过',
      '2025 zhijiang-czj 生成失败',
      '2025 zhijiang-gone 未提交',
      '2025 zhijiang-jyj 有错误',
      '2025 zhijiang-swkjgxj 有警告',
      '2024 zhijiang-czj 通过',
      '2024 zhijiang-gone 通过',
      '2024 zhijiang-jyj 通过',
      '2024 zhijiang-swkjgxj 通过',
    ]);
    await page.click('#y2025 tr[data-i="3"] button.st');
    expect(await page.$eval('#y2025 tr.diag', (e) => e.textContent.replace(/\s+/g, ' ').trim())).toBe(
      '错误 data/2025/zhijiang-jyj.yaml:30:5 YAML_SYNTAX 第 30 行缩进比同一层的键少 1 个空格',
    );
    await page.click('#y2025 tr[data-i="3"] button.st');
    expect(await page.$$('#y2025 tr.diag')).toHaveLength(0);
    await page.click('#y2025 tr[data-i="1"] button.st');
    expect(await page.$eval('#y2025 tr.diag', (e) => e.textContent)).toContain('生成失败 Chromium 超时 timed out');
    const links = await page.$$eval('#y2025 tr[data-i="4"] td.files a', (as) =>
      as.map((a) => `${a.textContent} ${a.getAttribute('href')}`),
    );
    expect(links).toEqual([
      'PDF 2025/zhijiang-swkjgxj.pdf',
      'HTML 2025/zhijiang-swkjgxj.html',
      'Excel 2025/zhijiang-swkjgxj.xlsx',
      '对比上年 2025/zhijiang-swkjgxj.diff.html',
    ]);
    expect(await page.$eval('#y2025 tr[data-i="0"] td.off', (e) => e.textContent)).toBe('88.5');
    // A self-evaluation with errors: 有错误 beside the documents, its diagnostics one click away.
    const seButton = '#y2025 tr[data-i="0"] td.files button.se-err';
    expect(await page.$eval(seButton, (e) => e.textContent)).toBe('自评 有错误 2 +');
    await page.click(seButton);
    const seDiag = await page.$eval('#y2025 tr[data-i="0"] + tr.diag', (e) =>
      e.textContent.replace(/\s+/g, ' ').trim(),
    );
    expect(seDiag).toContain(
      '错误 data/2025/a-test.self-eval.yaml:14:11 SELF_EVAL_UNKNOWN_INDICATOR 没有叫“新增企业甲”的指标',
    );
    expect(seDiag).toContain('警告 data/2025/a-test.self-eval.yaml:8:10 SELF_EVAL_OVERSPENT');
    expect(await page.$eval(seButton, (e) => e.getAttribute('aria-expanded'))).toBe('true');
    await page.click(seButton);
    expect(await page.$$('#y2025 tr[data-i="0"] + tr.diag')).toHaveLength(0);
    await page.select('#status-filter', '2');
    expect(await drawn()).toEqual(['2025 a-test 通过', '2025 zhijiang-jyj 有错误']);
    await page.select('#status-filter', 'todo');
    expect(await drawn()).toEqual([
      '2025 a-test 通过',
      '2025 zhijiang-czj 生成失败',
      '2025 zhijiang-gone 未提交',
      '2025 zhijiang-jyj 有错误',
      '2025 zhijiang-swkjgxj 有警告',
    ]);
    expect(await page.$eval('#y2024', (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(errors).toEqual([]);
    expect(remote).toEqual([]);
  });

  const frames = (): Promise<unknown> =>
    page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  /** The drawn row (year, code, status) at a height of the screen, or null when none is there. */
  const rowAtY = (y: number): Promise<string | null> =>
    page.evaluate((y) => {
      const tr = document.elementFromPoint(200, y)?.closest('tr[data-i]');
      if (!tr) return null;
      const cells = tr.querySelectorAll('td');
      const status = cells[2]!.textContent.replace(/[\s+−\d]+$/, '');
      return `${tr.closest('details')!.getAttribute('data-year')} ${cells[1]!.textContent} ${status}`;
    }, y);
  const label = (r: ReturnType<typeof boardRows>[number]): string =>
    `${r.entry.fiscalYear} ${r.entry.code} ${
      ['通过', '有警告', '有错误', '生成失败', '未提交'][
        ['pass', 'warnings', 'errors', 'failed', 'missing'].indexOf(r.status)
      ]
    }`;

  it('20,000 rows: a window of them drawn; filter, count, sort, scroll to the end, links, printing', async () => {
    await page.setViewport({ width: 1280, height: 900 });
    const entries = province(20000);
    const expected = boardRows(entries);
    await open(entries, 'province.html');
    expect(readBoard(readFileSync(path.join(dir, 'province.html'), 'utf8')).rows).toHaveLength(20000);
    expect(expected).toHaveLength(20000);
    // Only what is near the screen is in the page; each table says how many rows it has (+ its header).
    const first = await drawn();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(300);
    expect(first.slice(0, 3)).toEqual(expected.slice(0, 3).map(label));
    const counts = await page.$$eval('details.year table', (ts) => ts.map((t) => t.getAttribute('aria-rowcount')));
    expect(counts).toEqual(['5001', '5001', '5001', '5001']);
    expect(await page.$eval('#y2026 tr[data-p="2"]', (e) => e.getAttribute('aria-rowindex'))).toBe('4');

    // The filter searches every row, drawn or not: 显示全部行 puts all it found in the page.
    await type('洪江');
    const wanted = expected.filter((r) => r.entry.name.includes('洪江'));
    expect(wanted.length).toBeGreaterThan(1500);
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe(`显示 ${wanted.length} / 20000 行`);
    expect((await drawn()).length).toBeLessThan(wanted.length);
    await page.click('#all-rows');
    await frames();
    expect(await drawn()).toEqual(wanted.map(label));
    await page.click('#all-rows');
    await frames();
    expect((await drawn()).length).toBeLessThan(300);

    await type('c0-d7 2026');
    expect(await drawn()).toEqual(['2026 c0-d7 未提交']);
    await type('');
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe('');
    await page.select('#status-filter', '2');
    const errorRows = expected.filter((r) => r.status === 'errors');
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe(`显示 ${errorRows.length} / 20000 行`);
    expect((await drawn()).every((r) => r.endsWith('有错误'))).toBe(true);
    await page.select('#status-filter', '');

    // Scrolled to the very end: the last row of the oldest year is on the screen, with its links.
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await frames();
    await frames();
    const last = expected.at(-1)!;
    const lastRow = `#y${last.entry.fiscalYear} tr[data-i] + tr.pad`;
    const bottom = await page.$eval(lastRow, (pad) => {
      const tr = pad.previousElementSibling!;
      return { text: tr.querySelectorAll('td')[1]!.textContent, bottom: tr.getBoundingClientRect().bottom };
    });
    expect(bottom.text).toBe(last.entry.code);
    expect(bottom.bottom).toBeLessThanOrEqual(900);
    expect(bottom.bottom).toBeGreaterThan(0);
    const links = await page.$$eval(`#y${last.entry.fiscalYear} tr[data-i]`, (trs) =>
      Array.from(trs.at(-1)!.querySelectorAll('td.files a')).map((a) => a.getAttribute('href')),
    );
    const c = last.entry.code;
    expect(links).toEqual([`2023/${c}.pdf`, `2023/${c}.html`, `2023/${c}.xlsx`]);

    // Anywhere in between, the screen is full of rows, in the list's order: the middle of 2025.
    await page.evaluate(() => {
      const t = document.querySelector('#y2025 tbody')!.getBoundingClientRect();
      scrollBy(0, t.top + t.height / 2);
    });
    await frames();
    await frames();
    const middle = [100, 300, 500, 700, 880];
    const seen = await Promise.all(middle.map(rowAtY));
    expect(seen.every((r) => r?.startsWith('2025 '))).toBe(true);
    const at = seen.map((r) => expected.findIndex((e) => label(e) === r));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[0]! - expected.findIndex((e) => e.entry.fiscalYear === 2025)).toBeGreaterThan(2000);

    // Sort by pages, descending: 2026 from 5 pages down; its end (scrolled to) has the fewest.
    await page.evaluate(() => scrollTo(0, 0));
    await page.click('#y2026 th[data-k="pages"] button');
    await page.click('#y2026 th[data-k="pages"] button');
    expect(await page.$eval('#y2025 th[data-k="pages"]', (e) => e.getAttribute('aria-sort'))).toBe('descending');
    const pages = (): Promise<number[]> =>
      page.$$eval('#y2026 tbody tr[data-i] td:nth-child(9)', (tds) => tds.map((td) => Number(td.textContent)));
    const down = await pages();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(down[0]).toBe(5);
    await page.evaluate(() => {
      const t = document.querySelector('#y2026 tbody')!.getBoundingClientRect();
      scrollBy(0, t.bottom - innerHeight);
    });
    await frames();
    await frames();
    const end = await page.$$eval('#y2026 tbody tr[data-i]', (trs) =>
      trs.slice(-3).map((tr) => `${tr.getAttribute('aria-rowindex')} ${tr.querySelectorAll('td')[8]!.textContent}`),
    );
    // The rows without pages (有错误, 未提交) sort last, whichever the direction.
    expect(end).toEqual(['4999 —', '5000 —', '5001 —']);
    // By name, in Chinese order.
    await page.evaluate(() => scrollTo(0, 0));
    await page.click('#y2026 th[data-k="name"] button');
    const names = await page.$$eval('#y2026 tbody tr[data-i] td.name', (tds) => tds.map((td) => td.textContent));
    expect(names).toEqual([...names].sort(new Intl.Collator('zh-CN').compare));

    // Printing lists every row the filter shows (up to 3,000, then the window and a note saying how).
    await page.select('#status-filter', '2');
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    expect(await page.$$eval('tbody tr[data-i]', (trs) => trs.length)).toBe(errorRows.length);
    expect(await page.$eval('#print-note', (e) => (e as HTMLElement).hidden)).toBe(true);
    await page.evaluate(() => dispatchEvent(new Event('afterprint')));
    // Chromium's own printing fires the same events: more pages than the window's rows would fill.
    const pdf = Buffer.from(await page.pdf({ format: 'A4' })).toString('latin1');
    const printed = pdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
    expect(printed).toBeGreaterThanOrEqual(Math.ceil(errorRows.length / 40));
    expect(await page.$$eval('tbody tr[data-i]', (trs) => trs.length)).toBeLessThan(errorRows.length);
    await page.select('#status-filter', '');
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    expect(await page.$$eval('tbody tr[data-i]', (trs) => trs.length)).toBeLessThan(300);
    await page.emulateMediaType('print');
    expect(await page.$eval('#print-note', (e) => getComputedStyle(e).display)).toBe('block');
    expect(await page.$eval('#print-note', (e) => e.textContent)).toContain('未含全部 20000 行');
    await page.emulateMediaType();
    await page.evaluate(() => dispatchEvent(new Event('afterprint')));
    expect(await page.$eval('#print-note', (e) => getComputedStyle(e).display)).toBe('none');

    // Ctrl+F goes to the filter box first (it searches every row); pressed there, it is the browser's.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.down('Control');
    await page.keyboard.press('f');
    await page.keyboard.up('Control');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter');
    expect(errors).toEqual([]);
  });

  it('20,000 rows on a phone: cards, scrolled to the end, nothing wider than the screen', async () => {
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const entries = province(20000);
    await open(entries, 'province-phone.html');
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await frames();
    await frames();
    const last = boardRows(entries).at(-1)!;
    const card = await page.$$eval('#y2023 tbody tr[data-i]', (trs) => {
      const r = trs.at(-1)!.getBoundingClientRect();
      return { code: trs.at(-1)!.querySelector('td.code')!.textContent, top: r.top, bottom: r.bottom };
    });
    expect(card.code).toBe(last.entry.code);
    expect(card.top).toBeGreaterThanOrEqual(0);
    expect(card.bottom).toBeLessThanOrEqual(844);
    // A card: its label before each value.
    expect(await rowAtY(card.top + 4)).toBe(label(last));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(errors).toEqual([]);
  });

  it('a phone (390 px): nothing wider than the screen, diagnostics open', async () => {
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await open(ENTRIES, 'phone.html');
    await page.click('#y2025 tr[data-i="3"] button.st');
    await page.click('#y2025 tr[data-i="4"] button.st');
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      outside: Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName}.${el.className}`),
    }));
    expect(layout.innerWidth).toBe(390);
    expect(layout.scrollWidth).toBe(390);
    expect(layout.outside).toEqual([]);
    // Each row a card: its label before each value.
    expect(await page.$eval('#y2025 tr[data-i="4"] td.date', (e) => getComputedStyle(e, '::before').content)).toBe(
      '"填报日期："',
    );
    expect(errors).toEqual([]);
  });
});
