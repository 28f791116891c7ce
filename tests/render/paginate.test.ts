/**
 * The paginator is pure: heights in, page slices out. These pin its rules on synthetic measurements,
 * then check its invariants on many random forms.
 */
import { describe, expect, it } from 'vitest';
import {
  bodyHeight,
  type FormMeasure,
  type PageSlice,
  pageSegments,
  paginate,
  segmentLabel,
  sliceHeight,
} from '../../scripts/render/paginate.ts';

const H = { plain: 20, cont: 20 };

/** A form of `n` rows of height `h` in the given groups (level1/level2 per row). */
function form(rows: { l1: string; l2: string; h?: number }[], over: Partial<FormMeasure> = {}): FormMeasure {
  const level1: FormMeasure['level1'] = {};
  const level2: FormMeasure['level2'] = {};
  for (const r of rows) {
    level1[r.l1] ??= H;
    level2[r.l2] ??= H;
  }
  return {
    pageHeight: 500,
    leadHeight: 150,
    headerHeight: 40,
    reviewHeight: 80,
    rows: rows.map((r) => ({ height: r.h ?? 30, level1: r.l1, level2: r.l2 })),
    section: { plain: 20, cont: 40 },
    level1,
    level2,
    ...over,
  };
}

const same = (n: number, l1 = '产出指标', l2 = '数量指标', h = 30): { l1: string; l2: string; h: number }[] =>
  Array.from({ length: n }, () => ({ l1, l2, h }));

/** Every row exactly once, in order; lead on page 1 only; review on the last page only. */
function expectWellFormed(m: FormMeasure, pages: PageSlice[]): void {
  let next = 0;
  for (const p of pages) {
    expect(p.start).toBe(next);
    expect(p.end).toBeGreaterThanOrEqual(p.start);
    next = p.end;
  }
  expect(next).toBe(m.rows.length);
  expect(pages.map((p) => p.lead)).toEqual(pages.map((_, i) => i === 0));
  expect(pages.map((p) => p.review)).toEqual(pages.map((_, i) => i === pages.length - 1));
}

describe('paginate', () => {
  it('a short form is one page with the lead, the rows and the review block', () => {
    const m = form(same(5));
    const pages = paginate(m);
    expect(pages).toEqual([{ start: 0, end: 5, lead: true, review: true }]);
    expect(sliceHeight(m, pages[0]!)).toBe(150 + 40 + 5 * 30 + 80);
  });

  it('breaks between rows, never inside one, and keeps every page within its height', () => {
    const m = form(same(40));
    const pages = paginate(m);
    expectWellFormed(m, pages);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(sliceHeight(m, p)).toBeLessThanOrEqual(m.pageHeight - 2);
    // Each page is full: the next row would not have fitted (the one before last may have given its
    // last row to the review block).
    for (const p of pages.slice(0, -2))
      expect(sliceHeight(m, { ...p, end: p.end + 1 })).toBeGreaterThan(m.pageHeight - 2);
  });

  it('page 1 takes the lead into account, later pages do not', () => {
    const m = form(same(40));
    const [first, second] = paginate(m);
    // (500 - 2 - 150 - 40) / 30 = 10 rows under the lead; (500 - 2 - 40) / 30 = 15 rows without it.
    expect(first!.end - first!.start).toBe(10);
    expect(second!.end - second!.start).toBe(15);
  });

  it('moves the last row with the review block when the block does not fit under it', () => {
    // Page 2 holds rows 10..24 exactly (15 rows); 25 rows leave no room for the 80px block.
    const m = form(same(25));
    const pages = paginate(m);
    expectWellFormed(m, pages);
    expect(pages.at(-1)).toEqual({ start: 24, end: 25, lead: false, review: true });
    expect(pages.at(-2)).toEqual({ start: 10, end: 24, lead: false, review: false });
  });

  it('puts the review block on the last page when it fits', () => {
    const m = form(same(20));
    const pages = paginate(m);
    expectWellFormed(m, pages);
    expect(pages).toHaveLength(2);
    expect(pages[1]).toEqual({ start: 10, end: 20, lead: false, review: true });
  });

  it('leaves the title block alone on page 1 when not even one row fits under it', () => {
    const m = form(same(3), { leadHeight: 440 });
    const pages = paginate(m);
    expectWellFormed(m, pages);
    expect(pages[0]).toEqual({ start: 0, end: 0, lead: true, review: false });
    expect(pages[1]).toEqual({ start: 0, end: 3, lead: false, review: true });
  });

  it('gives a row taller than a page a page of its own', () => {
    const m = form([...same(2), { l1: '产出指标', l2: '数量指标', h: 900 }, ...same(2)]);
    const pages = paginate(m);
    expectWellFormed(m, pages);
    expect(pages.find((p) => p.start === 2)).toEqual({ start: 2, end: 3, lead: false, review: false });
  });

  it('a form without indicators is one page', () => {
    expect(paginate(form([]))).toEqual([{ start: 0, end: 0, lead: true, review: true }]);
  });

  it('a long merged label makes its group as tall as the label needs', () => {
    const rows = [{ l1: '满意度指标', l2: '服务对象满意度指标', h: 30 }];
    const m = form(rows);
    m.level2['服务对象满意度指标'] = { plain: 70, cont: 90 };
    expect(bodyHeight(m, 0, 1)).toBe(70);
    const m2 = form([...same(1), ...rows]);
    m2.level2['服务对象满意度指标'] = { plain: 70, cont: 90 };
    expect(bodyHeight(m2, 0, 2)).toBe(30 + 70);
  });

  it('a continued group is measured with its （续） label', () => {
    const m = form(same(3));
    m.level2['数量指标'] = { plain: 10, cont: 75 };
    expect(bodyHeight(m, 0, 2)).toBe(60);
    expect(bodyHeight(m, 2, 3)).toBe(75);
    // The section cell (绩效指标) continues too from the second page on.
    m.section = { plain: 10, cont: 200 };
    expect(sliceHeight(m, { start: 2, end: 3, lead: false, review: false })).toBe(200);
    expect(sliceHeight(m, { start: 0, end: 2, lead: false, review: false })).toBe(40 + 60);
  });

  it('holds its invariants on random forms', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const l1s = ['成本指标', '产出指标', '效益指标', '满意度指标'];
    for (let t = 0; t < 300; t++) {
      const n = Math.floor(rand() * 80);
      const rows = Array.from({ length: n }, (_, i) => ({
        l1: l1s[Math.floor((i / Math.max(1, n)) * 4)]!,
        l2: `二级${Math.floor(rand() * 3)}`,
        h: 20 + Math.floor(rand() * 60),
      }));
      const m = form(rows, { leadHeight: 50 + Math.floor(rand() * 300), reviewHeight: 40 + Math.floor(rand() * 120) });
      for (const k of Object.keys(m.level2))
        m.level2[k] = { plain: 20 + Math.floor(rand() * 50), cont: 30 + Math.floor(rand() * 60) };
      const pages = paginate(m);
      expectWellFormed(m, pages);
      for (const p of pages) {
        const single = p.end - p.start + (p.lead ? 1 : 0) <= 1;
        if (!single)
          expect(sliceHeight(m, p), `form ${t}, page ${JSON.stringify(p)}`).toBeLessThanOrEqual(m.pageHeight - 2);
      }
      // The review block never stands alone when a row could go with it.
      const last = pages.at(-1)!;
      if (n > 0 && last.end === last.start)
        expect(sliceHeight(m, { start: n - 1, end: n, lead: false, review: true })).toBeGreaterThan(m.pageHeight - 2);
    }
  });
});

describe('pageSegments', () => {
  const rows = [
    { level1: '产出指标', level2: '数量指标' },
    { level1: '产出指标', level2: '数量指标' },
    { level1: '产出指标', level2: '质量指标' },
    { level1: '效益指标', level2: '社会效益指标' },
    { level1: '效益指标', level2: '社会效益指标' },
  ];

  it('cuts merged cells at the page edge and marks the continuation', () => {
    const { level1, level2 } = pageSegments(rows, 1, 4);
    expect(level1).toEqual([
      { start: 1, end: 3, label: '产出指标', continued: true },
      { start: 3, end: 4, label: '效益指标', continued: false },
    ]);
    expect(level2.map((s) => [s.start, s.end, segmentLabel(s)])).toEqual([
      [1, 2, '数量指标（续）'],
      [2, 3, '质量指标'],
      [3, 4, '社会效益指标'],
    ]);
  });

  it('a 二级 with the same name under another 一级 is a new group', () => {
    const r = [
      { level1: 'A', level2: 'x' },
      { level1: 'B', level2: 'x' },
    ];
    expect(pageSegments(r, 1, 2).level2).toEqual([{ start: 1, end: 2, label: 'x', continued: false }]);
  });
});
