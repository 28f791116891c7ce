/** render/summary.ts: the ranking (ties), lost points, grade bars and a stable workbook, from small models. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { gradeBars, renderSummaryXlsx, summarizeYear, type SummaryInput } from '../../scripts/render/summary.ts';

const row = (name: string, points: number, score: number): SummaryInput['rows'][number] => ({ name, points, score });

const dept = (
  department: string,
  total: number,
  grade: string,
  rows: SummaryInput['rows'],
  rate = 0.9,
): SummaryInput => ({
  fiscalYear: 2025,
  department,
  name: `${department}局`,
  total,
  grade,
  pointsTotal: 100,
  budget: { initial: 100, adjusted: 100, spent: rate * 100, points: 10, rateText: '', rate, score: rate * 10 },
  rows,
});

describe('summarizeYear', () => {
  // 0.1 + 0.2 sums differently from 0.3 in floating point: ties are compared in hundredths.
  const inputs = [
    dept('d-low', 55, '差', [row('甲', 10, 2)]),
    dept('c-tie', 0.1 + 0.2 + 80, '良', [row('甲', 10, 8), row('乙', 5, 3)]),
    dept('a-top', 95, '优', []),
    dept('b-tie', 80.3, '良', [row('乙', 5, 4), row('乙', 5, 4), row('丙', 2, 1)]),
  ];
  const s = summarizeYear(2025, inputs, 1);

  it('ranks by total, ties sharing a rank and ordered by code (1, 2, 2, 4)', () => {
    expect(s.ranking.map((r) => [r.rank, r.code])).toEqual([
      [1, 'a-top'],
      [2, 'b-tie'],
      [2, 'c-tie'],
      [4, 'd-low'],
    ]);
    expect(s.excluded).toBe(1);
  });

  it('names each department’s worst indicator, the first on a tie, none when nothing was lost', () => {
    expect(s.ranking.map((r) => r.worst)).toEqual([
      undefined,
      { name: '乙', lost: 1 },
      { name: '甲', lost: 2 },
      { name: '甲', lost: 8 },
    ]);
  });

  it('sums lost points by indicator name, counting a department once', () => {
    expect(s.lost).toEqual([
      { name: '甲', lost: 10, departments: 2 },
      { name: '乙', lost: 4, departments: 2 },
      { name: '丙', lost: 1, departments: 1 },
    ]);
  });

  it('counts grades 优/良/中/差 and draws bars in proportion', () => {
    expect(s.grades).toEqual([
      { label: '优', count: 1 },
      { label: '良', count: 2 },
      { label: '中', count: 0 },
      { label: '差', count: 1 },
    ]);
    const { bars, baseline } = gradeBars(s.grades);
    expect(bars[1]!.height).toBe(2 * bars[0]!.height);
    expect(bars[2]!.height).toBe(0);
    for (const b of bars) expect(b.y + b.height).toBe(baseline);
  });

  it('writes the same workbook bytes for the same models, numbers as numbers', async () => {
    const a = renderSummaryXlsx(s);
    expect(
      Buffer.compare(Buffer.from(a), Buffer.from(renderSummaryXlsx(summarizeYear(2025, [...inputs].reverse(), 1)))),
    ).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(a) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('排名')!;
    expect([3, 4, 5, 6].map((r) => sheet.getRow(r).getCell(1).value)).toEqual([1, 2, 2, 4]);
    expect(sheet.getRow(6).getCell(6).value).toBe(0.9);
    expect(sheet.getRow(3).getCell(8).value).toBeNull();
  });
});
