/**
 * Text that does not fit is printed anyway, never cut (issue #11): forms with 3,000-character duties,
 * goals, 指标解释 and 评（扣）分标准 and a 6,000-character goal, built by the CLI in real Chromium, and read
 * back from the PDF. Every character of the source is in the text layer, in order, once; nothing lies
 * beyond its page's room; continuation pages carry the labels marked （续）; the HTML has the PDF's pages.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_HEADER, LABELS } from '../../scripts/model/form-model.ts';
import { CONTINUED } from '../../scripts/render/paginate.ts';
import { FIXTURES, runCli } from '../helpers.ts';
import {
  columnEdge as edge,
  modelOf,
  pdfPages,
  pdfText,
  pdfWords as words,
  squash,
  testPool,
  type Word,
} from './render-helpers.ts';

const DATA = path.join(FIXTURES, 'split-tall-rows/data');
const yaml = (code: string): string => path.join(DATA, '2025', `${code}.yaml`);

const MM = 72 / 25.4;

/** Columns: from the 2nd (the lead's text cells, and the table right of 一级) and of 指标解释 and 评分. */
const COLUMNS = { text: [edge(1), edge(10)], explanation: [edge(7), edge(8)], scoring: [edge(8), edge(9)] } as const;

/**
 * The text printed in a column, page after page, line after line (words on one line by x): the cells
 * of that column in order, a piece of a cut cell followed by its continuation on the next page.
 */
function columnText(ws: readonly Word[], [from, to]: readonly [number, number]): string {
  const inCol = ws.filter((w) => w.x0 >= from - 1 && w.x0 < to - 1 && w.x1 <= to + 1);
  const lines: Word[][] = [];
  for (const w of [...inCol].sort((a, b) => a.page - b.page || a.y0 - b.y0 || a.x0 - b.x0)) {
    const line = lines.at(-1);
    const mid = (w.y0 + w.y1) / 2;
    if (line && line[0]!.page === w.page && Math.abs((line[0]!.y0 + line[0]!.y1) / 2 - mid) < 3) line.push(w);
    else lines.push([w]);
  }
  return lines
    .map((l) =>
      l
        .sort((a, b) => a.x0 - b.x0)
        .map((w) => w.text)
        .join(''),
    )
    .join('');
}

/** What the form repeats on every page or marks continued: removed before comparing with the source. */
function repeated(code: string, pages: number): string[] {
  const m = modelOf(yaml(code));
  const labels = [...Object.values(LABELS), ...m.rows.flatMap((r) => [r.level1, r.level2, r.name])];
  const continued = labels.map((l) => l + CONTINUED);
  const footers = Array.from({ length: pages }, (_, i) => `第${i + 1}页共${pages}页`);
  return [...continued, ...INDICATOR_HEADER, ...footers].sort((a, b) => b.length - a.length);
}

const strip = (s: string, tokens: readonly string[]): string => tokens.reduce((t, k) => t.split(k).join(''), squash(s));

let out: string;
let build: { code: number; out: string; err: string };

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'jxmb-split-'));
  build = await runCli(['build', '--data', DATA, '--out', out, '--formats', 'pdf,html']);
}, 600_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Long source texts of each form: [code, column, text]. */
const CASES: [string, keyof typeof COLUMNS, (code: string) => string[]][] = [
  ['long-duties', 'text', (c) => [modelOf(yaml(c)).dutiesText]],
  ['long-goals', 'text', (c) => [modelOf(yaml(c)).goalsText]],
  ['long-goal-6000', 'text', (c) => [modelOf(yaml(c)).goalsText]],
  ['long-explanation', 'explanation', (c) => modelOf(yaml(c)).rows.map((r) => r.explanation)],
  ['long-scoring', 'scoring', (c) => modelOf(yaml(c)).rows.map((r) => r.scoringText)],
  ['long-both', 'text', (c) => [modelOf(yaml(c)).dutiesText, modelOf(yaml(c)).goalsText]],
  ['long-both', 'explanation', (c) => modelOf(yaml(c)).rows.map((r) => r.explanation)],
  ['long-both', 'scoring', (c) => modelOf(yaml(c)).rows.map((r) => r.scoringText)],
];

describe('rows taller than a page are cut across pages, never clipped', () => {
  it('builds every form, with no page reported cut off', () => {
    expect(build.code).toBe(0);
    expect(build.err).not.toMatch(/超过整页高度|taller than a page/);
    // The one limit left, Excel's 409 pt row, is reported at the source line.
    expect(build.out + build.err).toMatch(/long-goal-6000\.yaml:10:1\s+warning\s+XLSX_ROW_TOO_TALL/);
  });

  it.each(CASES)('%s: every character of the %s column’s source is printed, in order, once', (code, col, texts) => {
    const pdf = path.join(out, '2025', `${code}.pdf`);
    const n = pdfPages(pdf);
    const printed = strip(columnText(words(pdf).words, COLUMNS[col]), repeated(code, n));
    const source = texts(code).map(squash).join('');
    expect(source.length).toBeGreaterThan(100);
    expect(printed.indexOf(source)).toBeGreaterThanOrEqual(0);
    expect(printed.indexOf(source)).toBe(printed.lastIndexOf(source));
  });

  const ALL = ['long-duties', 'long-goals', 'long-goal-6000', 'long-explanation', 'long-scoring', 'long-both'];
  it.each(ALL)('%s: no text beyond the page or over its footer', (code) => {
    const { pages, words: ws } = words(path.join(out, '2025', `${code}.pdf`));
    for (const [i, p] of pages.entries()) {
      const on = ws.filter((w) => w.page === i + 1);
      for (const w of on) {
        expect(w.x0).toBeGreaterThanOrEqual(0);
        expect(w.x1).toBeLessThanOrEqual(p.width);
        expect(w.y1).toBeLessThanOrEqual(p.height - 8 * MM);
      }
      // The footer (第 X 页 共 Y 页) is the lowest line; everything else ends above it.
      const footerTop = Math.max(...on.filter((w) => w.text === '第').map((w) => w.y0));
      const footer = on.filter((w) => Math.abs(w.y0 - footerTop) < 1 && /^(第|页|共|\d+)$/.test(w.text));
      expect(footer.map((w) => w.text).join('')).toBe(`第${i + 1}页共${pages.length}页`);
      for (const w of on.filter((x) => !footer.includes(x))) {
        expect(w.y1, `page ${i + 1}: ${w.text}`).toBeLessThanOrEqual(footerTop);
      }
    }
  });

  it('page counts are what the text needs, and continuation pages carry （续）', () => {
    const pages = (code: string): number => pdfPages(path.join(out, '2025', `${code}.pdf`));
    const page = (code: string, n: number): string => squash(pdfText(path.join(out, '2025', `${code}.pdf`), n, false));
    // 6,000 characters at ~70 a line are ~86 lines: two pages and a bit, then the table.
    expect(pages('long-goal-6000')).toBeGreaterThanOrEqual(3);
    expect(pages('long-goal-6000')).toBeLessThanOrEqual(4);
    expect(page('long-goal-6000', 2)).toContain(LABELS.goals + CONTINUED);
    expect(page('long-goal-6000', 3)).toContain(LABELS.goals + CONTINUED);
    expect(page('long-goal-6000', 1)).not.toContain(CONTINUED);
    // 3,000 characters at ~12 a line in the 指标解释 column: ~250 lines, six or seven pages.
    const n = pages('long-explanation');
    expect(n).toBeGreaterThanOrEqual(6);
    expect(n).toBeLessThanOrEqual(9);
    for (let p = 2; p < n; p++) expect(page('long-explanation', p)).toContain(`超长解释指标${CONTINUED}`);
    for (let p = 2; p < n; p++) expect(page('long-explanation', p)).toContain(`数量指标${CONTINUED}`);
    expect(page('long-scoring', 2)).toContain(`超长评分指标${CONTINUED}`);
    expect(page('long-duties', 2) + page('long-goals', 2)).toContain(CONTINUED);
  });

  it('the HTML holds the PDF’s pages: one sheet each, with the same footers', () => {
    for (const code of ['long-goal-6000', 'long-explanation', 'long-both']) {
      const html = readFileSync(path.join(out, '2025', `${code}.html`), 'utf8');
      const n = pdfPages(path.join(out, '2025', `${code}.pdf`));
      expect(html.match(/<section class="sheet" id=/g)?.length).toBe(n);
      expect(html).toContain(`第 ${n} 页 共 ${n} 页`);
      expect(html).toContain(`data-pages="${n}"`);
    }
  });

  it('the .html printed from Chromium gives the PDF’s pages, page by page', async () => {
    const pool = await testPool();
    try {
      const page = await (await pool.browser()).newPage();
      for (const code of ['long-goal-6000', 'long-explanation']) {
        await page.setJavaScriptEnabled(false);
        await page.goto(pathToFileURL(path.join(out, '2025', `${code}.html`)).href, { waitUntil: 'load' });
        await page.evaluate('document.fonts.ready');
        const printed = path.join(out, `${code}.printed.pdf`);
        writeFileSync(printed, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
        const file = path.join(out, '2025', `${code}.pdf`);
        expect(pdfPages(printed)).toBe(pdfPages(file));
        for (let p = 1; p <= pdfPages(file); p++) {
          expect(pdfText(printed, p), `${code} page ${p}`).toBe(pdfText(file, p));
        }
      }
      await page.close();
    } finally {
      await pool.close();
    }
  }, 120_000);
});
