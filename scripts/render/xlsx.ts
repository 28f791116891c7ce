/**
 * FormModel → .xlsx: one sheet laid out like the official spreadsheet the reference export came from
 * (tests/fixtures/reference/seed-2025.tsv), so a bureau can still hand an Excel file to whoever asks
 * for one. Pure: model in, bytes out, same bytes for the same model.
 *
 * Layout (10 columns, A = labels, B–J = the nine indicator columns):
 *   1 title (A:J)            2 （2025）年度 (A:J)
 *   3–5 label rows: label in A, content merged B:J
 *   6 绩效指标 in A (merged down over the indicator rows) + the header 一级指标…备注 in B:J
 *   7… one row per indicator, 一级/二级 merged per FormModel level1Span/level2Span
 *   then 业务股室审核： / 绩效股室审核： (date merged B:J) and the signature line (A:J, no border).
 *
 * This file only lays the form out; xlsx/ooxml.ts writes the SpreadsheetML and xlsx/zip.ts the zip,
 * directly, without a workbook library (exceljs took ~10 ms and much garbage per workbook; this ~1 ms).
 */
import { INDICATOR_HEADER, LABELS, LEVELS, TYPES, type FormModel } from '../model/form-model.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import {
  workbookParts,
  type Alignment,
  type Cell,
  type CellStyle,
  type Font,
  type ListValidation,
  type Range,
  type Row,
} from './xlsx/ooxml.ts';
import { writeZip } from './xlsx/zip.ts';

export { normalizeZipDates } from './xlsx/zip.ts';

export interface XlsxOptions {
  settings: ResolvedSettings;
}

export const SHEET_NAME = '部门整体绩效目标表';
export const BODY_FONT = '宋体';
export const TITLE_FONT = '黑体';
/** The footer as Excel codes: &C centre, &P page, &N pages. */
export const FOOTER = '&C第 &P 页 共 &N 页';

const COLS = 10;
/** Rows of the fixed part above the indicators (1-based row of the indicator header). */
export const HEADER_ROW = 6;
const BODY_SIZE = 11;

/**
 * Column widths in Excel units (≈ one Latin digit; a CJK character is ≈ 2). Each column grows to fit
 * its longest entry within [min, max] (a total near 175 units keeps the fit-to-width print near 10 pt);
 * beyond max the text wraps.
 */
const WIDTHS: ReadonlyArray<{ min: number; max: number }> = [
  { min: 18, max: 18 }, // A labels: 部门（单位）名称 and 业务股室审核： on one line
  { min: 10, max: 12 }, // B 一级指标
  { min: 10, max: 20 }, // C 二级指标 (服务对象满意度指标 on one line)
  { min: 14, max: 20 }, // D 三级指标
  { min: 10, max: 10 }, // E 指标类型
  { min: 10, max: 16 }, // F 指标值
  { min: 10, max: 10 }, // G 计量单位
  { min: 16, max: 24 }, // H 指标解释
  { min: 24, max: 38 }, // I 评（扣）分标准
  { min: 8, max: 14 }, //  J 备注
];

// The handful of cell formats the form uses (the writer stores each distinct one once).
const CJK = { family: 3, charset: 134 } as const; // "modern" + GB2312: how Excel marks a Chinese font
const body: Font = { name: BODY_FONT, size: BODY_SIZE, ...CJK };
const centre: Alignment = { horizontal: 'center', vertical: 'center', wrapText: true };
const left: Alignment = { horizontal: 'left', vertical: 'center', wrapText: true };
const S = {
  title: { font: { name: TITLE_FONT, size: 18, ...CJK }, alignment: centre },
  year: { font: { ...body, size: 12 }, alignment: centre },
  centre: { font: body, alignment: centre, border: 'thin' },
  left: { font: body, alignment: left, border: 'thin' },
  header: { font: { ...body, bold: true }, alignment: centre, border: 'thin' },
  sign: { font: body, alignment: left },
} satisfies Record<string, CellStyle>;

/** Indicator columns centred (short entries); 三级指标, 指标解释, 评（扣）分标准 are left-aligned. */
const CENTRED_COLS = new Set([2, 3, 5, 6, 7, 10]);

/** Renders the form as an .xlsx workbook; byte-identical for identical models. */
export async function renderXlsx(model: FormModel, _opts: XlsxOptions): Promise<Uint8Array> {
  // Fixed dates from the source: the filing date is the document's date, so rebuilds give the same bytes.
  const date = sourceDate(model.filedIso);
  const n = model.rows.length;
  const firstInd = HEADER_ROW + 1;
  const lastInd = HEADER_ROW + n;
  const reviewRow = lastInd + 1;
  const signRow = lastInd + 3;
  const widths = columnWidths(model);

  // Every cell of every row gets its format (merged cells too: Excel draws a merge's border from the
  // cells it covers); values go in the merges' top-left cells only.
  const rows: Row[] = Array.from({ length: signRow }, (_, i) => {
    const r = i + 1;
    const style = (c: number): CellStyle =>
      r === 1
        ? S.title
        : r === 2
          ? S.year
          : r === signRow
            ? S.sign
            : r === HEADER_ROW
              ? S.header
              : c === 1 || (r >= firstInd && r <= lastInd && CENTRED_COLS.has(c))
                ? S.centre
                : S.left;
    return { cells: Array.from({ length: COLS }, (_, c): Cell => ({ style: style(c + 1) })) };
  });
  const put = (r: number, c: number, value: string | number): void => void (rows[r - 1]!.cells[c - 1]!.value = value);
  const height = (r: number, pt: number): void => void (rows[r - 1]!.height = pt);

  // Strings are always text cells (the writer has no formulas), so `=…` stays text.
  put(1, 1, model.title);
  put(2, 1, model.yearLine);
  put(3, 1, LABELS.name);
  put(3, 2, model.name);
  put(4, 1, LABELS.duties);
  put(4, 2, model.dutiesText);
  put(5, 1, LABELS.goals);
  put(5, 2, model.goalsText);
  put(HEADER_ROW, 1, LABELS.indicators);
  INDICATOR_HEADER.forEach((h, i) => put(HEADER_ROW, i + 2, h));
  model.rows.forEach((row, i) => {
    const r = firstInd + i;
    if (row.level1Span) put(r, 2, row.level1);
    if (row.level2Span) put(r, 3, row.level2);
    put(r, 4, row.name);
    put(r, 5, row.type);
    // 定量 values are numbers in the sheet (they can be summed and checked); everything else is text.
    // A decimal shows as written (12.50): its number gets a format with that many decimals.
    if (row.quantitative && typeof row.value === 'number' && Number.isFinite(row.value)) {
      put(r, 6, row.value);
      const decimals = /^-?\d+\.(\d+)$/.exec(row.valueText)?.[1]?.length;
      const cell = rows[r - 1]!.cells[5]!;
      if (decimals) cell.style = { ...cell.style, numFmt: `0.${'0'.repeat(decimals)}` };
    } else put(r, 6, row.valueText);
    put(r, 7, row.unit);
    put(r, 8, row.explanation);
    put(r, 9, row.scoringText);
    put(r, 10, row.note);
  });
  put(reviewRow, 1, LABELS.businessReview);
  put(reviewRow, 2, model.signoff.businessReview);
  put(reviewRow + 1, 1, LABELS.performanceReview);
  put(reviewRow + 1, 2, model.signoff.performanceReview);
  put(signRow, 1, model.signatureLine);

  const range = (top: number, l: number, bottom: number, right: number): Range => ({ top, left: l, bottom, right });
  const merges: Range[] = [range(1, 1, 1, COLS), range(2, 1, 2, COLS)];
  for (const r of [3, 4, 5]) merges.push(range(r, 2, r, COLS));
  merges.push(range(HEADER_ROW, 1, lastInd, 1));
  model.rows.forEach((row, i) => {
    if (row.level1Span > 1) merges.push(range(firstInd + i, 2, firstInd + i + row.level1Span - 1, 2));
    if (row.level2Span > 1) merges.push(range(firstInd + i, 3, firstInd + i + row.level2Span - 1, 3));
  });
  for (const r of [reviewRow, reviewRow + 1]) merges.push(range(r, 2, r, COLS));
  merges.push(range(signRow, 1, signRow, COLS));
  const realMerges = merges.filter((m) => m.bottom > m.top || m.right > m.left); // no indicators: A6 alone

  // Dropdowns like the official template's: a typo in 指标类型 or a level name is caught while typing.
  // One range per column (overlapping ranges make Excel repair the file).
  const list = (items: readonly string[], title: string, col: number): ListValidation => ({
    range: range(firstInd, col, lastInd, col),
    items,
    errorTitle: title,
    error: `请从下拉列表中选择：${items.join('、')}`,
  });
  const validations = n
    ? [
        list(Object.keys(LEVELS), '一级指标', 2),
        list(Object.values(LEVELS).flat(), '二级指标', 3),
        list(TYPES, '指标类型', 5),
      ]
    : [];

  // Row heights: Excel does not grow rows for wrapped text in merged cells, so the height is estimated.
  height(1, 36);
  height(2, 24);
  height(
    3,
    rowHeight([
      { text: LABELS.name, width: widths[0]! },
      { text: model.name, width: sum(widths.slice(1)) },
    ]),
  );
  height(
    4,
    rowHeight([
      { text: LABELS.duties, width: widths[0]! },
      { text: model.dutiesText, width: sum(widths.slice(1)) },
    ]),
  );
  height(
    5,
    rowHeight([
      { text: LABELS.goals, width: widths[0]! },
      { text: model.goalsText, width: sum(widths.slice(1)) },
    ]),
  );
  height(HEADER_ROW, rowHeight(INDICATOR_HEADER.map((h, i) => ({ text: h, width: widths[i + 1]! }))));
  model.rows.forEach((row, i) => {
    const cells = [row.name, row.type, row.valueText, row.unit, row.explanation, row.scoringText, row.note].map(
      (text, k) => ({ text, width: widths[k + 3]! }),
    );
    // A merged 一级/二级 spreads over its rows; only a single-row one has to fit in its row.
    if (row.level1Span === 1) cells.push({ text: row.level1, width: widths[1]! });
    if (row.level2Span === 1) cells.push({ text: row.level2, width: widths[2]! });
    height(firstInd + i, rowHeight(cells));
  });
  height(reviewRow, rowHeight([{ text: LABELS.businessReview, width: widths[0]! }]));
  height(reviewRow + 1, rowHeight([{ text: LABELS.performanceReview, width: widths[0]! }]));
  height(signRow, rowHeight([{ text: model.signatureLine, width: sum(widths) }]) + 8);
  fitMergedLevels(rows, model, widths, firstInd);

  const parts = workbookParts({
    props: {
      // The same title/subject/keywords as the PDF's metadata (render/html.ts documentTitle & co.).
      title: `${model.name} ${model.fiscalYear}年度 部门整体绩效目标表`,
      subject: `${model.title}${model.yearLine}`,
      keywords: ['部门整体绩效目标表', '绩效目标', `${model.fiscalYear}年度`, model.name, model.code].join(', '),
      creator: model.name,
      lastModifiedBy: model.name,
      created: date,
      modified: date,
    },
    sheet: {
      name: SHEET_NAME,
      columns: widths,
      rows,
      merges: realMerges,
      validations,
      showGridLines: false,
      page: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitTo: { width: 1, height: 0 }, // one page wide, as many pages tall as needed
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
        printArea: range(1, 1, signRow, COLS),
        printTitleRows: { first: HEADER_ROW, last: HEADER_ROW },
        oddFooter: FOOTER,
        evenFooter: FOOTER,
      },
    },
  });
  // Deflated here, not on the thread pool: a workbook's dozen small parts take ~0.8 ms; handing each
  // to the pool cost 2–4× the CPU (measured, 200 workbooks: 175 vs 330–750 ms), and a build is CPU-bound.
  return writeZip(parts, { date });
}

/** `YYYY-MM-DD` → midnight UTC of that day (an invalid date falls back to the epoch of DOS zip dates). */
export function sourceDate(iso: string): Date {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? new Date(Date.UTC(1980, 0, 1)) : d;
}

/** Display width in Excel units: CJK and full-width characters count 2, the rest 1. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

const isWide = (cp: number): boolean =>
  (cp >= 0x1100 && cp <= 0x115f) ||
  (cp >= 0x2e80 && cp <= 0xa4cf) ||
  (cp >= 0xac00 && cp <= 0xd7a3) ||
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0xfe30 && cp <= 0xfe4f) ||
  (cp >= 0xff00 && cp <= 0xff60) ||
  (cp >= 0xffe0 && cp <= 0xffe6) ||
  (cp >= 0x20000 && cp <= 0x3fffd) ||
  cp === 0x2265 ||
  cp === 0x2264 ||
  (cp >= 0x2460 && cp <= 0x24ff);

/** Lines a text needs in a column of `width` units (explicit newlines respected). */
export function linesNeeded(text: string, width: number): number {
  const usable = Math.max(2, width - 1.5);
  return text.split('\n').reduce((a, seg) => a + Math.max(1, Math.ceil(textWidth(seg) / usable)), 0);
}

const LINE_PT = BODY_SIZE * 1.4;
const PAD_PT = 6;

/** Points a row needs so every given cell's wrapped text shows in full, however tall. */
export function rowPoints(cells: ReadonlyArray<{ text: string; width: number }>): number {
  const lines = Math.max(1, ...cells.map((c) => (c.text ? linesNeeded(c.text, c.width) : 1)));
  return Math.round((lines * LINE_PT + PAD_PT) * 4) / 4;
}

/** Points a row is given: what its text needs, at most Excel's largest row height. */
export const rowHeight = (cells: ReadonlyArray<{ text: string; width: number }>): number =>
  Math.min(MAX_ROW_PT, rowPoints(cells));

/** The indicator cells a warning can point at, by their source keys. */
export type ExcelOverflowKey = 'name' | 'value' | 'unit' | 'explanation' | 'scoring' | 'note';

/** A cell the workbook cannot show whole: its row would need `need` pt, more than MAX_ROW_PT. */
export interface ExcelOverflow {
  /** What the cell holds, as the source names it: `department.name`, `duties`, `indicators[3].explanation`… */
  field: 'name' | 'duties' | 'goals' | { row: number; key: ExcelOverflowKey };
  need: number;
}

/**
 * The cells whose text needs a taller row than Excel allows (409 pt): renderXlsx gives such a row the
 * 409 pt and the cell still holds the whole text, but Excel shows only its start. The check stage
 * warns of each at its source line (check/rules.ts). Same widths and estimates as renderXlsx.
 */
export function excelOverflows(model: FormModel): ExcelOverflow[] {
  const widths = columnWidths(model);
  const out: ExcelOverflow[] = [];
  const wide = sum(widths.slice(1));
  const lead = [
    ['name', model.name],
    ['duties', model.dutiesText],
    ['goals', model.goalsText],
  ] as const;
  for (const [field, text] of lead) {
    const need = rowPoints([{ text, width: wide }]);
    if (need > MAX_ROW_PT) out.push({ field, need });
  }
  model.rows.forEach((row, i) => {
    const cells = [row.name, row.type, row.valueText, row.unit, row.explanation, row.scoringText, row.note];
    const keys = ['name', 'type', 'value', 'unit', 'explanation', 'scoring', 'note'] as const;
    cells.forEach((text, k) => {
      const need = rowPoints([{ text, width: widths[k + 3]! }]);
      const key = keys[k]!;
      if (need > MAX_ROW_PT && key !== 'type') out.push({ field: { row: i, key }, need });
    });
  });
  return out;
}

/** Excel's largest row height; a taller one makes Excel "repair" the file. */
export const MAX_ROW_PT = 409;

function columnWidths(model: FormModel): number[] {
  const longest = (col: number): number => {
    const texts: string[] = [INDICATOR_HEADER[col - 2] ?? ''];
    for (const r of model.rows) {
      texts.push(
        [r.level1, r.level2, r.name, r.type, r.valueText, r.unit, r.explanation, r.scoringText, r.note][col - 2] ?? '',
      );
    }
    return Math.max(...texts.map(textWidth));
  };
  return WIDTHS.map(({ min, max }, i) => (i === 0 ? min : Math.min(max, Math.max(min, longest(i + 1) + 2))));
}

/** A merged 一级/二级 cell whose label needs more lines than its rows give gets its last row taller. */
function fitMergedLevels(rows: Row[], model: FormModel, widths: number[], firstInd: number): void {
  model.rows.forEach((row, i) => {
    for (const [span, text, width] of [
      [row.level1Span, row.level1, widths[1]!],
      [row.level2Span, row.level2, widths[2]!],
    ] as const) {
      if (span < 2) continue;
      const need = rowHeight([{ text, width }]);
      let have = 0;
      for (let k = 0; k < span; k++) have += rows[firstInd + i + k - 1]!.height ?? 0;
      const last = rows[firstInd + i + span - 2]!;
      if (have < need) last.height = Math.min(MAX_ROW_PT, (last.height ?? 0) + (need - have));
    }
  });
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
