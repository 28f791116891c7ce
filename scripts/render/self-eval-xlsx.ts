/**
 * The 自评表 as a workbook: one sheet laid out like the PDF (title, year, name, budget, goals, the
 * indicator table, 总分 and 评价等级, the closing texts and the signature line). Numbers are numeric
 * cells; 得分 holds the computed scores as values (no formula a clerk could break); a score given by
 * hand is marked in the cell beside it. Given the PDF's pages it breaks where the PDF does, each page
 * with indicators starting with their header; pages are numbered 第 X 页 共 Y 页. Pure: model in,
 * bytes out, same bytes for the same model.
 */
import { chinaWallClock, documentInstant } from './document-date.ts';
import { CONTINUED, pageSegments, segmentLabel } from './paginate.ts';
import {
  BUDGET_HEADER,
  BUDGET_LABEL_SPAN,
  BUDGET_SPANS,
  INDICATOR_COLUMNS,
  MANUAL_MARK,
  type SelfEvalModel,
  type SelfEvalPage,
} from './self-eval-form.ts';
import { type Cell, type CellStyle, type Font, type Range, type Row, workbookParts } from './xlsx/ooxml.ts';
import { writeZip } from './xlsx/zip.ts';
import { BODY_FONT, FOOTER, rowHeight, TITLE_FONT } from './xlsx.ts';

export const SELF_EVAL_SHEET = '部门整体支出绩效自评表';
const COLS = 10;
/** Column widths (Excel units), A = labels, B–J as the PDF's columns. */
const WIDTHS = [19, 12.5, 14, 23, 7, 15, 15, 8, 14, 48] as const;
const CJK = { family: 3, charset: 134 } as const;
const body: Font = { name: BODY_FONT, size: 11, ...CJK };
const bold: Font = { ...body, bold: true };
const centre = { horizontal: 'center', vertical: 'center', wrapText: true } as const;
const left = { horizontal: 'left', vertical: 'center', wrapText: true } as const;
const S = {
  title: { font: { name: TITLE_FONT, size: 18, ...CJK, bold: true }, alignment: centre },
  year: { font: { ...body, size: 12 }, alignment: centre },
  label: { font: bold, alignment: centre, border: 'thin' },
  centre: { font: body, alignment: centre, border: 'thin' },
  left: { font: body, alignment: left, border: 'thin' },
  score: { font: body, alignment: centre, border: 'thin', numFmt: '0.00' },
  rate: { font: body, alignment: centre, border: 'thin', numFmt: '0.00%' },
  sign: { font: { ...body, size: 10.5 }, alignment: { horizontal: 'left', vertical: 'bottom' } },
} satisfies Record<string, CellStyle>;

/** Where things are in the sheet (1-based rows), for the reader and the tests. */
export interface SelfEvalSheetLayout {
  /** The first indicator header row. */
  headerRow: number;
  /** Every indicator header row: the first, then one starting each later printed page with rows. */
  headerRows: number[];
  /** The row of each indicator. */
  rowOf: number[];
  totalRow: number;
  /** The pages printed: the PDF's when given and usable, else one (the header then repeats as print titles). */
  pages: SelfEvalPage[];
  /** Whether `pages` are the PDF's. */
  followsPdf: boolean;
  /** Manual page breaks: the last row of every printed page but the last. */
  rowBreaks: number[];
}

/**
 * Whether the PDF's pages can be the workbook's: every indicator row on exactly one page, in order, the
 * lead on the first page alone and the closing block on the last alone.
 */
function usablePages(pages: readonly SelfEvalPage[], n: number): boolean {
  if (pages.length === 0 || !pages[0]!.lead || !pages.at(-1)!.tail) return false;
  let at = 0;
  for (const [i, p] of pages.entries()) {
    if (p.start !== at || p.end < p.start || (i > 0 && p.lead) || (i < pages.length - 1 && p.tail)) return false;
    at = p.end;
  }
  return at === n;
}

/** The sheet's rows and breaks: with the PDF's `pages`, a header row starts each page with indicators. */
export function selfEvalLayout(m: SelfEvalModel, given?: readonly SelfEvalPage[]): SelfEvalSheetLayout {
  const n = m.rows.length;
  const goals = Math.max(1, m.goals.length);
  const followsPdf = given !== undefined && usablePages(given, n);
  const pages = followsPdf ? given.map((p) => ({ ...p })) : [{ start: 0, end: n, lead: true, tail: true }];
  // 1 title, 2 year, 3 name, 4–5 budget, 6 goals header, then the goals, then the indicator headers.
  let r = 7 + goals;
  const headerRows: number[] = [];
  const rowOf: number[] = [];
  const rowBreaks: number[] = [];
  pages.forEach((p, k) => {
    // A page with rows (or the only one, for a form without indicators) starts with the header.
    if (p.end > p.start || (k === 0 && n === 0)) headerRows.push(r++);
    for (let i = p.start; i < p.end; i++) rowOf[i] = r++;
    if (k < pages.length - 1) rowBreaks.push(r - 1);
  });
  return { headerRow: headerRows[0]!, headerRows, rowOf, totalRow: r, pages, followsPdf, rowBreaks };
}

/**
 * Renders the 自评表 workbook. With the PDF's `pages` it prints like the PDF: a manual break where each
 * page ends, the header row starting each page with indicators (绩效指标（续） beside it), 一级/二级
 * merged per page with （续） on a run carried over; without them, one table whose header repeats as
 * print titles.
 */
export function renderSelfEvalXlsx(m: SelfEvalModel, opts: { pages?: readonly SelfEvalPage[] } = {}): Uint8Array {
  const { headerRow, rowOf, totalRow, pages, followsPdf, rowBreaks } = selfEvalLayout(m, opts.pages);
  const signRow = totalRow + 5;
  const created = documentInstant(m.filedIso ?? `${m.fiscalYear + 1}-01-01`);
  const rows: Row[] = Array.from({ length: signRow }, (_, r) => ({
    cells: Array.from({ length: COLS }, (): Cell => ({ style: r < 2 ? S.year : S.left })),
  }));
  const put = (r: number, c: number, value: string | number | null | undefined, style: CellStyle = S.centre): void => {
    const cell = rows[r - 1]!.cells[c - 1]!;
    cell.style = style;
    if (value !== null && value !== undefined && value !== '') cell.value = value;
  };
  const merges: Range[] = [];
  const merge = (top: number, l: number, bottom: number, right: number): void => {
    if (bottom > top || right > l) merges.push({ top, left: l, bottom, right });
    for (let r = top; r <= bottom; r++)
      for (let c = l; c <= right; c++)
        if (r !== top || c !== l) rows[r - 1]!.cells[c - 1]!.style = rows[top - 1]!.cells[l - 1]!.style;
  };

  put(1, 1, m.title, S.title);
  merge(1, 1, 1, COLS);
  put(2, 1, m.yearLine, S.year);
  merge(2, 1, 2, COLS);
  put(3, 1, '部门（单位）名称', S.label);
  put(3, 2, m.name, S.left);
  merge(3, 2, 3, COLS);

  // 预算执行情况: six columns across B–J (spans as in the PDF), the numbers as numbers.
  put(4, 1, '预算执行情况（万元）', S.label);
  merge(4, 1, 5, 1);
  put(4, 2, '项目', S.label);
  merge(4, 2, 4, 1 + BUDGET_LABEL_SPAN);
  put(5, 2, '年度资金总额', S.centre);
  merge(5, 2, 5, 1 + BUDGET_LABEL_SPAN);
  let c = 2 + BUDGET_LABEL_SPAN;
  const b = m.budget;
  const values: [number | null | undefined, CellStyle][] = [
    [b.initial, S.centre],
    [b.adjusted, S.centre],
    [b.spent, S.centre],
    [b.points, S.centre],
    [b.rate, S.rate],
    [b.score, S.score],
  ];
  BUDGET_SPANS.forEach((w, i) => {
    put(4, c, BUDGET_HEADER[i], S.label);
    merge(4, c, 4, c + w - 1);
    put(5, c, values[i]![0], values[i]![1]);
    merge(5, c, 5, c + w - 1);
    c += w;
  });

  const goals = m.goals.length ? m.goals : [{ expected: '', actual: '' }];
  put(6, 1, '年度总体目标', S.label);
  merge(6, 1, 6 + goals.length, 1);
  put(6, 2, '预期目标', S.label);
  merge(6, 2, 6, 5);
  put(6, 6, '实际完成情况', S.label);
  merge(6, 6, 6, COLS);
  goals.forEach((g, i) => {
    put(7 + i, 2, g.expected, S.left);
    merge(7 + i, 2, 7 + i, 5);
    put(7 + i, 6, g.actual, S.left);
    merge(7 + i, 6, 7 + i, COLS);
  });

  // Per printed page: its header row, 绩效指标 (（续） after the first) merged down beside the header and
  // the page's rows, and the 一级/二级 runs cut at the page's edges, a carried-over run marked （续）.
  let header = headerRow;
  for (const p of pages) {
    if (p.end === p.start && m.rows.length > 0) continue;
    if (p.start > 0) header = rowOf[p.start]! - 1;
    put(header, 1, p.start > 0 ? `绩效指标${CONTINUED}` : '绩效指标', S.label);
    INDICATOR_COLUMNS.forEach((h, i) => put(header, i + 2, h, S.label));
    merge(header, 1, p.end > p.start ? rowOf[p.end - 1]! : header, 1);
    const { level1, level2 } = pageSegments(m.rows, p.start, p.end);
    for (const [col, segments] of [
      [2, level1],
      [3, level2],
    ] as const) {
      for (const seg of segments) {
        put(rowOf[seg.start]!, col, segmentLabel(seg));
        merge(rowOf[seg.start]!, col, rowOf[seg.end - 1]!, col);
      }
    }
  }
  m.rows.forEach((row, i) => {
    const r = rowOf[i]!;
    put(r, 4, row.name, S.left);
    put(r, 5, row.type);
    put(r, 6, row.target);
    put(r, 7, row.actual);
    put(r, 8, row.points);
    put(r, 9, row.score, S.score);
    put(r, 10, row.manual ? `${MANUAL_MARK}${row.reason}` : row.reason, S.left);
  });

  put(totalRow, 1, '总分', S.label);
  merge(totalRow, 2, totalRow, 7);
  put(totalRow, 8, m.pointsTotal);
  put(totalRow, 9, m.total, S.score);
  put(totalRow, 10, '', S.centre);
  const texts: [string, string][] = [
    ['评价等级', m.grade],
    ['评价结论', m.conclusion],
    ['存在问题', m.problems],
    ['改进措施', m.improvements],
  ];
  texts.forEach(([label, t], i) => {
    put(totalRow + 1 + i, 1, label, S.label);
    put(totalRow + 1 + i, 2, t, i === 0 ? S.centre : S.left);
    merge(totalRow + 1 + i, 2, totalRow + 1 + i, COLS);
  });
  // Wide gaps between the four parts, as the targets workbook and the PDF print them.
  put(signRow, 1, m.signatureParts.join('\u3000'.repeat(3)), S.sign);
  merge(signRow, 1, signRow, COLS);
  fitRowHeights(rows, merges, 3);
  for (const r of [1, 2]) rows[r - 1]!.height = r === 1 ? 30 : 20;

  const parts = workbookParts({
    props: {
      title: `${m.name} ${m.fiscalYear}年度 ${m.title}`,
      subject: `${m.title}${m.yearLine}`,
      keywords: [m.title, `${m.fiscalYear}年度`, m.name, m.department].join(', '),
      creator: m.name,
      lastModifiedBy: m.name,
      created,
      modified: created,
    },
    sheets: [
      {
        name: SELF_EVAL_SHEET,
        columns: WIDTHS,
        rows,
        merges,
        validations: [],
        showGridLines: false,
        ...(followsPdf ? { rowBreaks } : {}),
        page: {
          paperSize: 9,
          orientation: 'landscape',
          fitTo: { width: 1, height: 0 },
          horizontalCentered: true,
          margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
          printArea: { top: 1, left: 1, bottom: signRow, right: COLS },
          // Following the PDF, each page has its own header row; else the one header repeats.
          ...(followsPdf ? {} : { printTitleRows: { first: headerRow, last: headerRow } }),
          oddFooter: FOOTER,
          evenFooter: FOOTER,
        },
      },
    ],
    names: [],
  });
  return writeZip(parts, { date: chinaWallClock(created) });
}

/**
 * Row heights from the text they hold (rows from `from` on): Excel and LibreOffice do not grow a row for
 * wrapped text in merged cells, so without this goals, reasons and long names print over each other. A
 * cell's width is its merge's across the row; a cell merged down several rows is left to their heights.
 */
function fitRowHeights(rows: Row[], merges: readonly Range[], from: number): void {
  const span = new Map<string, Range>();
  for (const g of merges) span.set(`${g.top},${g.left}`, g);
  rows.forEach((row, i) => {
    const r = i + 1;
    if (r < from) return;
    const cells = row.cells.flatMap((cell, k) => {
      const text = cell?.value;
      if (typeof text !== 'string' || !text) return [];
      const g = span.get(`${r},${k + 1}`);
      if (g && g.bottom > g.top) return [];
      const width = WIDTHS.slice(k, g ? g.right : k + 1).reduce((a, b) => a + b, 0);
      return [{ text, width, centred: cell.style?.alignment?.horizontal === 'center' }];
    });
    if (cells.length) row.height = rowHeight(cells);
  });
}
