/**
 * The printed form read back from its PDF (issue 14): labels and deadlines break between words, never
 * inside one (`满意度指 / 标`, `可持续影 / 响指标`, `2026年12 / 月31日前`); the columns keep the reference
 * table on its 2 pages and put long generated tables on fewer pages than the old widths did; every
 * font is embedded and named for the weight it prints.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../scripts/bench/generate.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { CONTINUED } from '../../scripts/render/paginate.ts';
import { BREAK_MARK, breakHints } from '../../scripts/render/word-breaks.ts';
import { FIXTURES, runCli, SEED_YAML } from '../helpers.ts';
import { columnEdge, columnLines, modelOf, pdfFonts, pdfPages, pdfWords, type Word } from './render-helpers.ts';

let dir: string;
let build: { code: number; out: string; err: string };
const LONG = path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml');
/** Long generated tables: 60 indicators with the explanations, notes and deadlines real ones have. */
// The targets files (the generator also writes each department's self-evaluation, not printed here).
const GENERATED = generateProject({ departments: 3, seed: 14, indicators: { min: 60, max: 60 } }).filter(
  (f) => f.path.startsWith('data/') && !f.path.endsWith('.self-eval.yaml'),
);

const pdf = (code: string): string => path.join(dir, 'out', '2025', `${code}.pdf`);
const codes = (): string[] => [
  'zhijiang-swkjgxj',
  'long-form',
  ...GENERATED.map((f) => path.basename(f.path, '.yaml')),
];
const model = (code: string): FormModel =>
  modelOf(
    code === 'zhijiang-swkjgxj' ? SEED_YAML : code === 'long-form' ? LONG : path.join(dir, 'data/2025', `${code}.yaml`),
  );

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-print-lines-'));
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  writeFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), readFileSync(SEED_YAML));
  writeFileSync(path.join(dir, 'data/2025/long-form.yaml'), readFileSync(LONG));
  for (const f of GENERATED) writeFileSync(path.join(dir, f.path), f.text);
  build = await runCli(['build', '--data', path.join(dir, 'data'), '--out', path.join(dir, 'out'), '--formats', 'pdf']);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every way `text` may print in a cell of `kind`: whole, or cut only at its break marks (each line a
 * run of consecutive words). A text without marks may print only whole.
 */
function allowedLines(kind: string, text: string): Set<string> {
  // A label and its continued mark are two words however the label is cut: 成本指标 / （续）.
  const words = (breakHints(kind, text) ?? text)
    .replace(/(?<!\u200b)（续）$/, BREAK_MARK + CONTINUED)
    .split(BREAK_MARK);
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j <= words.length; j++) out.add(words.slice(i, j).join(''));
  return out;
}

/**
 * The lines of column `col` inside the indicator table: below each page's header row (一级指标 …) and
 * above the review rows, so the lead's and reviews' text, which spans the columns, is left out.
 */
function tableLines(words: readonly Word[], col: number): { page: number; text: string }[] {
  const heads = new Map(
    columnLines(words, columnEdge(1), columnEdge(2))
      .filter((l) => l.text === '一级指标')
      .map((l) => [l.page, l.y]),
  );
  const review = new Map(words.filter((w) => w.text.startsWith('业务股室审核')).map((w) => [w.page, w.y0]));
  return columnLines(words, columnEdge(col), columnEdge(col + 1)).filter(
    (l) =>
      heads.has(l.page) &&
      l.y > heads.get(l.page)! + 1 &&
      l.y < (review.get(l.page) ?? Infinity) &&
      !/^第\d+页/.test(l.text), // the page footer
  );
}

/** Columns of the grid: 一级 (1), 二级 (2), 指标值 (5). */
const COLUMN = { level1: 1, level2: 2, value: 5 } as const;

describe('the printed form', () => {
  it('builds every form', () => {
    expect(build.code, build.err).toBe(0);
  });

  it.each(codes())('%s: 一级/二级 labels and deadlines break only between words', (code) => {
    const m = model(code);
    const { words } = pdfWords(pdf(code));
    let deadlines = 0;
    for (const [kind, col] of Object.entries(COLUMN) as [keyof typeof COLUMN, number][]) {
      const texts =
        kind === 'value'
          ? m.rows.map((r) => r.valueText)
          : [...new Set(m.rows.map((r) => r[kind]))].flatMap((l) => [l, l + CONTINUED]);
      const allowed = new Set(texts.flatMap((t) => [...allowedLines(kind, t)]));
      const lines = tableLines(words, col);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines)
        expect(allowed, `${kind} line ${JSON.stringify(l.text)} on page ${l.page}`).toContain(l.text);
      if (kind === 'value') deadlines += lines.filter((l) => /^\d{4}年$/.test(l.text)).length;
    }
    // The reference's deadline (2026年12月31日前) is too long for one line: it breaks after its year.
    if (code === 'zhijiang-swkjgxj') expect(deadlines).toBe(1);
  });

  it('the labels that broke inside a word in the old layout print whole or at a word', () => {
    const lines = columnLines(pdfWords(pdf('zhijiang-swkjgxj')).words, columnEdge(1), columnEdge(3)).map((l) => l.text);
    for (const bad of ['满意度指', '可持续影', '服务对象满', '响指标', '标']) expect(lines).not.toContain(bad);
    expect(lines).toContain('满意度指标');
    expect(lines).toContain('服务对象');
  });

  it('pages: the reference on 2, long generated tables on 9 at most (9–10 with the old widths)', () => {
    expect(pdfPages(pdf('zhijiang-swkjgxj'))).toBe(2);
    for (const f of GENERATED) expect(pdfPages(pdf(path.basename(f.path, '.yaml'))), f.path).toBeLessThanOrEqual(9);
    // The fixture's one-line rows (short texts) gain nothing from a wider 指标解释: 3 pages then, 4 now.
    expect(pdfPages(pdf('long-form'))).toBeLessThanOrEqual(4);
  });

  it.each(codes())('%s: every font embedded, a subset, and named for its weight (no Latin fallback)', (code) => {
    const fonts = pdfFonts(pdf(code));
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.name, JSON.stringify(f)).toMatch(/^(NotoSerifSC-Regular|NotoSerifSC-Bold|NotoSansSC-Bold)$/);
      expect(f.emb && f.sub, JSON.stringify(f)).toBe(true);
    }
    const names = new Set(fonts.map((f) => f.name));
    expect([...names].sort()).toEqual(['NotoSansSC-Bold', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
  });
});
