/**
 * The pure parts of cutting over-tall rows (render/split.ts) and paginating a lead taller than a page
 * (render/paginate.ts), on synthetic lines and heights. The browser side is tests/render/split.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type FormModel, LABELS } from '../../scripts/model/form-model.ts';
import { CONTINUED, type FormMeasure, paginate, sliceHeight } from '../../scripts/render/paginate.ts';
import {
  type BoxLines,
  cutLeadRow,
  cutOffset,
  cutRow,
  leadCutSeries,
  leadRowsOf,
  needsSplit,
} from '../../scripts/render/split.ts';
import { type PrintRow, restOf, rowCutSeries } from '../../scripts/render/split.ts';

/** A box of `n` lines of `per` characters, 18 px each, from `text` (its line starts every `per`). */
function box(text: string, per: number, line = 18): BoxLines {
  const starts = Array.from({ length: Math.ceil(text.length / per) }, (_, i) => i * per);
  return { text, starts, tops: starts.map((_, i) => i * line), bottoms: starts.map((_, i) => (i + 1) * line + 1) };
}

const letters = (n: number): string =>
  Array.from({ length: n }, (_, i) => String.fromCharCode(0x4e00 + (i % 500))).join('');

describe('cutOffset', () => {
  it('keeps the lines that fit and cuts at the next line start; undefined when all fit', () => {
    const b = box(letters(100), 10);
    expect(cutOffset(b, 18 * 4 + 1)).toBe(40);
    expect(cutOffset(b, 18 * 10 + 1)).toBeUndefined();
    // Never less than one line, so every cut makes progress.
    expect(cutOffset(b, 5)).toBe(10);
  });

  it('prefers a paragraph or a list item that keeps two thirds of the room', () => {
    const t = letters(59) + '\n' + letters(40);
    const b: BoxLines = { ...box(t, 10), starts: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90] };
    expect(cutOffset(b, 18 * 8 + 1)).toBe(60);
    // An item start mid-line: the piece ends there (its line counted whole).
    expect(cutOffset(box(letters(100), 10), 18 * 8 + 1, [35, 72, 95])).toBe(72);
    // Too early an item (less than two thirds of the room): the line boundary instead.
    expect(cutOffset(box(letters(100), 10), 18 * 9 + 1, [25])).toBe(90);
  });
});

describe('cutting rows', () => {
  it('a lead row: the rest labelled （续）, no character lost or doubled, items carried over', () => {
    const rows = [
      { label: LABELS.name, text: '某局' },
      { label: LABELS.duties, text: 'abcdefghij', items: [3, 7] },
    ];
    const cut = cutLeadRow(rows, 1, 5);
    expect(cut.map((r) => r.label)).toEqual([LABELS.name, LABELS.duties, LABELS.duties + CONTINUED]);
    expect(cut[1]!.text + cut[2]!.text).toBe('abcdefghij');
    expect(cut[2]!.items).toEqual([2]);
    // Cut again: still one （续）.
    expect(cutLeadRow(cut, 2, 2)[3]!.label).toBe(LABELS.duties + CONTINUED);
  });

  it(
    'an indicator row: each cell split at its own cut, the 三级 name repeated with （续）, ' + 'rows renumbered',
    () => {
      const r = {
        index: 0,
        level1: '产出指标',
        level2: '数量指标',
        name: '指标',
        type: '≥',
        valueText: '5',
        unit: '个',
        explanation: 'e'.repeat(50),
        scoringText: 's'.repeat(30),
        note: '',
      } as unknown as PrintRow;
      const none = undefined;
      const next = { ...r, index: 1, name: '下一个', explanation: 'x' } as PrintRow;
      const rows = cutRow([r, next], 0, [none, none, none, none, 20, 10, none]);
      expect(rows.map((x) => x.index)).toEqual([0, 1, 2]);
      expect(rows.map((x) => x.name)).toEqual(['指标', '指标' + CONTINUED, '下一个']);
      expect(rows[0]!.explanation + rows[1]!.explanation).toBe(r.explanation);
      expect(rows[0]!.scoringText + rows[1]!.scoringText).toBe(r.scoringText);
      expect([rows[1]!.type, rows[1]!.valueText, rows[1]!.unit]).toEqual(['', '', '']);
      expect(rows[1]!.level1).toBe('产出指标');
      // The continuation cut again keeps its label as it is.
      expect(cutRow(rows, 1, [none, none, none, none, 10, none, none])[2]!.name).toBe('指标' + CONTINUED);
    },
  );

  it('rowCutSeries cuts the cells taller than the room, then the rest page by page, from one layout', () => {
    const tall = box(letters(300), 10);
    const short = box(letters(20), 10);
    const none = undefined;
    const cells = [short, none, none, none, tall, short, none];
    // 30 lines of 18 px and 8 px of padding; 10 lines fit the first room.
    expect(rowCutSeries(cells, 30 * 18 + 1 + 8, 10 * 18 + 12, 400)).toEqual([
      [none, none, none, none, 100, none, none],
    ]);
    // A page of its own holds 10 lines too: the rest is cut again, relative to its own text.
    const series = rowCutSeries(cells, 30 * 18 + 1 + 8, 10 * 18 + 12, 10 * 18 + 12);
    expect(series.map((c) => c[4])).toEqual([100, 100]);
    expect(series.map((c) => c[0])).toEqual([none, none]);
  });

  it('leadCutSeries stops at a cut mid-line (a list item): the rest is laid out afresh and measured', () => {
    const b = box(letters(300), 10);
    expect(leadCutSeries(b, 30 * 18 + 1 + 8, 10 * 18 + 12, 10 * 18 + 12)).toEqual([100, 100]);
    expect(leadCutSeries(b, 30 * 18 + 1 + 8, 10 * 18 + 12, 10 * 18 + 12, [95])).toEqual([95]);
    expect(restOf(b, 95)).toBeUndefined();
    expect(restOf(b, 100)!.starts.slice(0, 2)).toEqual([0, 10]);
  });

  it('the lead rows carry the duties’ and goals’ item starts', () => {
    const m = {
      name: 'n',
      duties: ['甲乙', '丙'],
      dutiesText: '1、甲乙2、丙',
      goals: ['丁'],
      goalsText: '目标1：丁',
    };
    expect(leadRowsOf(m as unknown as FormModel).map((r) => r.items ?? [])).toEqual([[], [4], []]);
  });
});

const measure = (over: Partial<FormMeasure>): FormMeasure => ({
  pageHeight: 500,
  leadHeight: 150,
  headerHeight: 40,
  reviewHeight: 80,
  rows: Array.from({ length: 5 }, () => ({ height: 30, level1: '产出指标', level2: '数量指标' })),
  section: { plain: 20, cont: 20 },
  level1: { 产出指标: { plain: 20, cont: 20 } },
  level2: { 数量指标: { plain: 20, cont: 20 } },
  ...over,
});

describe('a lead taller than a page', () => {
  it('is paginated by its label rows, the title on page 1 only, then the table as usual', () => {
    const m = measure({ leadHeight: 60 + 30 + 480 + 400, lead: { title: 60, rows: [30, 480, 400] } });
    expect(needsSplit(m)).toBe(true);
    const pages = paginate(m);
    expect(pages[0]).toMatchObject({ lead: true, leadStart: 0, leadEnd: 1, start: 0, end: 0 });
    expect(pages[1]).toMatchObject({ lead: true, leadStart: 1, leadEnd: 2, start: 0, end: 0 });
    expect(pages[2]).toMatchObject({ lead: true, leadStart: 2, leadEnd: 3, start: 0 });
    expect(pages.at(-1)!.end).toBe(5);
    for (const p of pages) expect(sliceHeight(m, p)).toBeLessThanOrEqual(498);
  });

  it('a normal form needs no cut and paginates as before', () => {
    const m = measure({});
    expect(needsSplit(m)).toBe(false);
    expect(paginate(m)).toEqual([{ start: 0, end: 5, lead: true, review: true }]);
  });

  it('a row taller than a page of its own needs cutting', () => {
    expect(needsSplit(measure({ rows: [{ height: 470, level1: '产出指标', level2: '数量指标' }] }))).toBe(true);
  });
});
