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
    expect(ws.getRow(6).getCell(10).value).toBe(m.budget.score);
    expect(ws.getRow(6).getCell(8).value).toBe(m.budget.rate);
  });
});
