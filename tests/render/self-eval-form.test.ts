/**
 * The 自评表's pure parts (render/self-eval-form.ts, render/self-eval-xlsx.ts): page breaks from measured
 * heights, the marks of a score given by hand, （续） on a continued group, and the workbook's cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate } from '../../scripts/model/self-eval.ts';
import type { DepartmentTargets, SelfEvaluation } from '../../scripts/model/types.generated.ts';
import {
  MANUAL_MARK,
  paginateSelfEval,
  type SelfEvalMeasure,
  selfEvalHtml,
  selfEvalModel,
} from '../../scripts/render/self-eval-form.ts';
import { renderSelfEvalXlsx, selfEvalLayout } from '../../scripts/render/self-eval-xlsx.ts';
import { FIXTURES, SEED_YAML } from '../helpers.ts';
import { readZip } from './xlsx/read-zip.ts';

/** A part of the workbook as text. */
const part = (bytes: Uint8Array, name: string): string =>
  readZip(bytes)
    .find((e) => e.name === name)!
    .data.toString();
/** The sheet's manual page breaks (the last row of each page but the last). */
const breaksOf = (bytes: Uint8Array): number[] =>
  [...part(bytes, 'xl/worksheets/sheet1.xml').matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));

const SETTINGS = {
  budget_points: 10,
  deductions: 'proportional',
  grade_bands: { 优: 90, 良: 80, 中: 60 },
} as const;

function model(edit?: (se: SelfEvaluation) => void) {
  const targets = parse(readFileSync(SEED_YAML, 'utf8')) as DepartmentTargets;
  const se = parse(
    readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8'),
  ) as SelfEvaluation;
  edit?.(se);
  return selfEvalModel(targets, se, evaluate(targets, se, SETTINGS));
}

const measure = (rows: number[], over: Partial<SelfEvalMeasure> = {}): SelfEvalMeasure => ({
  pageHeight: 100,
  leadHeight: 30,
  headerHeight: 10,
  rows,
  tailHeight: 20,
  ...over,
});

describe('paginateSelfEval', () => {
  it('fills page 1 after the lead, repeats the header, and keeps the closing block whole', () => {
    // Page 1: 30 + 10 + 3 × 20 = 100 exactly; then 10 + 4 × 20 = 90, the tail (20) does not fit.
    expect(paginateSelfEval(measure([20, 20, 20, 20, 20, 20, 20]))).toEqual([
      { start: 0, end: 3, lead: true, tail: false },
      { start: 3, end: 7, lead: false, tail: false },
      { start: 7, end: 7, lead: false, tail: true },
    ]);
    // One row fewer: the tail fits under the last row (10 + 3 × 20 + 20 = 90).
    expect(paginateSelfEval(measure([20, 20, 20, 20, 20, 20])).at(-1)).toEqual({
      start: 3,
      end: 6,
      lead: false,
      tail: true,
    });
  });

  it('never leaves a page without a row, even for a row taller than the page', () => {
    const pages = paginateSelfEval(measure([20, 150, 20]));
    expect(pages.map((p) => [p.start, p.end])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});

describe('the 自评表 model and HTML', () => {
  it('prints the scores with two decimals and marks a score given by hand', () => {
    const m = model((se) => {
      se.results[0]!.score = 1.5;
      se.results[0]!.reason = '核查后只认定一家';
    });
    expect(m.code).toBe('zhijiang-swkjgxj.self-eval');
    expect(m.rows[0]).toMatchObject({ score: 1.5, manual: true, reason: '核查后只认定一家' });
    expect(m.rows.filter((r) => r.manual)).toHaveLength(1);
    const html = selfEvalHtml(m, [{ start: 0, end: m.rows.length, lead: true, tail: true }], { css: '' });
    expect(html).toContain(`<td class="score manual">1.50<span class="mark">${MANUAL_MARK}</span></td>`);
    expect(html.split(MANUAL_MARK)).toHaveLength(2);
    expect(html).toContain('第 1 页 共 1 页');
    expect(html).toContain(`<td class="score">${m.total.toFixed(2)}</td>`);
  });

  it('repeats the header and a continued group’s label with （续） on the next page', () => {
    const m = model();
    const html = selfEvalHtml(
      m,
      [
        { start: 0, end: 3, lead: true, tail: false },
        { start: 3, end: m.rows.length, lead: false, tail: true },
      ],
      { css: '' },
    );
    const [first, second] = html.split('<section').slice(1);
    expect(first).toContain('绩效指标</th>');
    expect(second).toContain('绩效指标（续）</th>');
    expect(second).toContain(`${m.rows[3]!.level1}（续）`);
    expect(second).toContain(`${m.rows[3]!.level2}（续）`);
    expect(first).toContain('第 1 页 共 2 页');
    expect(second).toContain('第 2 页 共 2 页');
    expect(first).not.toContain('评价等级');
    expect(second).toContain('评价等级');
  });
});

describe('the 自评表 workbook', () => {
  it('holds the scores and the budget line as numbers, and marks a manual score', async () => {
    const m = model((se) => {
      se.results[1]!.score = 0.5;
      se.results[1]!.reason = '人工核定';
    });
    const bytes = renderSelfEvalXlsx(m);
    expect(renderSelfEvalXlsx(m)).toEqual(bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const { headerRow, rowOf, totalRow } = selfEvalLayout(m);
    expect(ws.getRow(headerRow).getCell(9).value).toBe('得分');
    m.rows.forEach((r, i) => {
      expect(ws.getRow(rowOf[i]!).getCell(9).value).toBe(r.score);
      expect(ws.getRow(rowOf[i]!).getCell(8).value).toBe(r.points);
    });
    expect(ws.getRow(rowOf[1]!).getCell(10).value).toBe(`${MANUAL_MARK}人工核定`);
    expect(ws.getRow(totalRow).getCell(9).value).toBe(m.total);
    expect(ws.getRow(5).getCell(10).value).toBe(m.budget.score);
    expect(ws.getRow(5).getCell(9).value).toBe(m.budget.rate);
  });

  it('gives each row the height its wrapped text needs (applications do not grow merged cells)', async () => {
    const long = '规模工业增加值增长6.8%，新增规模企业3家；外贸进出口总额增长12%，倍增企业未能实现。'.repeat(3);
    const m = model((se) => {
      se.goals[0] = long;
      se.results[2]!.reason = long;
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(renderSelfEvalXlsx(m) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const { rowOf } = selfEvalLayout(m);
    const height = (r: number): number => ws.getRow(r).height ?? 0;
    // The first goal (row 7) and the long reason: several lines each, taller than a one-line row.
    const oneLine = height(rowOf[0]!);
    expect(oneLine).toBeGreaterThan(0);
    expect(height(7)).toBeGreaterThan(2 * oneLine);
    expect(height(rowOf[2]!)).toBeGreaterThan(2 * oneLine);
    expect(height(rowOf[2]!)).toBeLessThanOrEqual(409);
    // The signature line's four parts apart, as printed.
    const last = ws.getRow(ws.rowCount).getCell(1).value as string;
    expect(last.split('\u3000\u3000\u3000').map((p) => p.split('：')[0])).toEqual([
      '填表人',
      '联系电话',
      '填报日期',
      '单位负责人签字',
    ]);
  });
});

describe('the 自评表 workbook prints like its PDF', () => {
  const m = model();
  const n = m.rows.length;
  // Three pages as the PDF printed them: the lead and 5 rows, the next 8 rows, the rest with the closing block;
  // the cuts fall inside 一级/二级 runs of the seed.
  const pages = [
    { start: 0, end: 5, lead: true, tail: false },
    { start: 5, end: 13, lead: false, tail: false },
    { start: 13, end: n, lead: false, tail: true },
  ];

  it('breaks where the PDF does, a header starting each page, 一级/二级 merged per page with （续）', async () => {
    expect(n).toBeGreaterThan(13);
    const bytes = renderSelfEvalXlsx(m, { pages });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const text = (r: number, c: number): unknown => ws.getRow(r).getCell(c).value;
    const merges = new Set(ws.model.merges);
    const goals = m.goals.length;

    // Page 1: header after the lead, rows 0–4; page 2: header, rows 5–12; page 3: header, the rest, 总分.
    const headers = [7 + goals, 7 + goals + 6, 7 + goals + 6 + 9];
    for (const h of headers)
      for (let c = 2; c <= 10; c++) expect(text(h, c), `row ${h}`).toBe(ws.getRow(headers[0]!).getCell(c).value);
    expect(text(headers[0]!, 9)).toBe('得分');
    expect(text(headers[0]!, 1)).toBe('绩效指标');
    expect(text(headers[1]!, 1)).toBe('绩效指标（续）');
    expect(text(headers[2]!, 1)).toBe('绩效指标（续）');
    const rowOf = (i: number): number => headers[i < 5 ? 0 : i < 13 ? 1 : 2]! + 1 + i - (i < 5 ? 0 : i < 13 ? 5 : 13);
    m.rows.forEach((r, i) => {
      expect(text(rowOf(i), 4), `row of ${i}`).toBe(r.name);
      expect(text(rowOf(i), 9)).toBe(r.score);
    });
    const total = rowOf(n - 1) + 1;
    expect(text(total, 1)).toBe('总分');
    expect(text(total, 9)).toBe(m.total);

    // Breaks: after the last row of pages 1 and 2.
    expect(breaksOf(bytes)).toEqual([rowOf(4), rowOf(12)]);
    // No print titles: each page has its header row.
    expect(part(bytes, 'xl/workbook.xml')).not.toContain('Print_Titles');

    // 绩效指标 merged down each page's header and rows.
    expect(merges).toContain(`A${headers[0]}:A${rowOf(4)}`);
    expect(merges).toContain(`A${headers[1]}:A${rowOf(12)}`);
    expect(merges).toContain(`A${headers[2]}:A${rowOf(n - 1)}`);
    // 一级/二级: runs of equal labels within each page, each labelled at its top, （续） when the run
    // began on an earlier page; a one-row run is no merge.
    const expected = new Set<string>();
    const labels = new Map<string, string>();
    for (const p of pages) {
      for (const [col, key] of [
        ['B', (i: number) => m.rows[i]!.level1],
        ['C', (i: number) => `${m.rows[i]!.level1}/${m.rows[i]!.level2}`],
      ] as const) {
        let start = p.start;
        for (let i = p.start + 1; i <= p.end; i++) {
          if (i < p.end && key(i) === key(start)) continue;
          if (i - 1 > start) expected.add(`${col}${rowOf(start)}:${col}${rowOf(i - 1)}`);
          const label = col === 'B' ? m.rows[start]!.level1 : m.rows[start]!.level2;
          const carried = start === p.start && start > 0 && key(start - 1) === key(start);
          labels.set(`${col}${rowOf(start)}`, carried ? `${label}（续）` : label);
          start = i;
        }
      }
    }
    // (Merges down column B or C alone: the budget line's spans run across B:C.)
    expect(new Set([...merges].filter((r) => /^([BC])\d+:\1\d+$/.test(r)))).toEqual(expected);
    for (const [ref, label] of labels) expect(ws.getCell(ref).value, ref).toBe(label);
    // The seed's runs do cross both breaks: some label is continued on each later page.
    expect(
      [...labels].filter(([ref, l]) => l.endsWith('（续）') && Number(ref.slice(1)) === headers[1]! + 1),
    ).not.toEqual([]);
    expect(
      [...labels].filter(([ref, l]) => l.endsWith('（续）') && Number(ref.slice(1)) === headers[2]! + 1),
    ).not.toEqual([]);
  });

  it('a closing block alone on the last page: the break after the last row, no header there', async () => {
    const tailAlone = [
      { start: 0, end: 10, lead: true, tail: false },
      { start: 10, end: n, lead: false, tail: false },
      { start: n, end: n, lead: false, tail: true },
    ];
    const layout = selfEvalLayout(m, tailAlone);
    expect(layout.followsPdf).toBe(true);
    expect(layout.headerRows).toHaveLength(2);
    expect(layout.totalRow).toBe(layout.rowOf[n - 1]! + 1);
    expect(breaksOf(renderSelfEvalXlsx(m, { pages: tailAlone }))).toEqual([layout.rowOf[9]!, layout.rowOf[n - 1]!]);
  });

  it('without the PDF’s pages (or with pages that skip a row): one header, repeated as print titles', () => {
    const alone = renderSelfEvalXlsx(m);
    expect(breaksOf(alone)).toEqual([]);
    expect(part(alone, 'xl/workbook.xml')).toContain('Print_Titles');
    const skipping = [
      { start: 0, end: 5, lead: true, tail: false },
      { start: 6, end: n, lead: false, tail: true },
    ];
    expect(selfEvalLayout(m, skipping).followsPdf).toBe(false);
    expect(renderSelfEvalXlsx(m, { pages: skipping })).toEqual(alone);
  });
});
