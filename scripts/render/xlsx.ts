/**
 * FormModel → .xlsx: one sheet laid out like the official spreadsheet the reference export came from
 * (tests/fixtures/reference/seed-2025.tsv), so a bureau can still hand an Excel file to whoever asks
 * for one. Pure: model in, bytes out, same bytes for the same model.
 *
 * Layout (10 columns, A = labels, B–J = the nine indicator columns), page by page as the PDF prints:
 *   1 title (A:J)            2 （2025）年度 (A:J)
 *   3–5 label rows: label in A, content merged B:J
 *   6 the header 一级指标…备注 in B:J, then one row per indicator of the page; 绩效指标 in A merged down
 *     over the header and the page's rows; 一级/二级 merged per run, cut at the page's edge
 *   each later page with indicator rows starts with the header row again (a row of the sheet, not print
 *     titles: a page holding only the review block has none, as in the PDF), 绩效指标（续） in A
 *   then 业务股室审核： / 绩效股室审核： (date merged B:J) and the signature line (A:J, no border).
 *
 * This file only lays the form out; xlsx/ooxml.ts writes the SpreadsheetML and xlsx/zip.ts the zip,
 * directly, without a workbook library (exceljs took ~10 ms and much garbage per workbook; this ~1 ms).
 */
import { INDICATOR_HEADER, LABELS, LEVELS, TYPES, type FormModel } from '../model/form-model.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import { chinaWallClock, documentInstant } from './document-date.ts';
import {
  CONTINUED,
  type FormMeasure,
  type LabelHeight,
  type PageSlice,
  pageSegments,
  paginate,
  segmentLabel,
  sliceHeight,
} from './paginate.ts';
import {
  type Alignment,
  type Cell,
  type CellStyle,
  type DefinedName,
  type Font,
  type FormulaListValidation,
  type ListValidation,
  type Range,
  type Row,
  type Validation,
  workbookParts,
} from './xlsx/ooxml.ts';
import { writeZip } from './xlsx/zip.ts';

export { normalizeZipDates } from './xlsx/zip.ts';

export interface XlsxOptions {
  settings: ResolvedSettings;
  /**
   * The PDF's pages (render/paginate.ts), when the build printed it: the workbook breaks where the PDF
   * does. Without them (the workbook rendered alone) the same paginate() splits it, on the workbook's own
   * row heights. Pages the workbook cannot follow (a lead or row the PDF cut into pieces) are ignored.
   */
  pages?: readonly PageSlice[];
}

export const SHEET_NAME = '部门整体绩效目标表';
/** The hidden sheet holding the 一级 → 二级 lists the dropdowns read. */
export const LISTS_SHEET = '指标下拉列表';
/**
 * Fonts by their English names, with the GB2312 charset and family Excel writes for them. Excel and WPS
 * find SimSun/SimHei under either name; where they are absent, fontconfig (LibreOffice, WPS on Linux)
 * maps SimSun to the serif and SimHei to the sans CJK face and LibreOffice's own table substitutes both,
 * while `宋体`/`黑体` are known to neither and fall back to the default sans.
 */
export const BODY_FONT = 'SimSun';
export const TITLE_FONT = 'SimHei';
/** The footer as Excel codes: &C centre, &P page, &N pages. */
export const FOOTER = '&C第 &P 页 共 &N 页';

const COLS = 10;
/** Rows of the fixed part above the indicators (1-based row of the first page's indicator header). */
export const HEADER_ROW = 6;
const BODY_SIZE = 11;
/** The signature line's font size and the gap above it, as the PDF prints them (form.css .signature). */
const SIGN_SIZE = 10.5;
const SIGN_GAP_PT = 8.5;
/** Between the parts of the signature line: the PDF's space and word spacing (3em), in full-width spaces. */
const SIGN_SEPARATOR = '\u3000'.repeat(3);

/**
 * Column widths in Excel units (≈ one Latin digit; a CJK character is ≈ 2): the PDF's columns
 * (templates/form.css `col.c-*`, in % of the sheet's text width, in the same order) scaled to 176 units,
 * so a cell wraps where the PDF's does (the fit-to-width print is ~0.85 of the sheet in Excel, its 11 pt
 * text ~9.3 pt against the PDF's 10 pt) and a PDF page fits a workbook page. tests/render/xlsx.test.ts
 * fails when form.css's widths and these part.
 */
export const PDF_COLUMNS_PERCENT = [11.37, 7.58, 7.58, 13.0, 3.79, 7.76, 3.97, 21.48, 19.49, 3.98] as const;
const SHEET_UNITS = 176;
const WIDTHS: readonly number[] = PDF_COLUMNS_PERCENT.map((p) => Math.round((p / 100) * SHEET_UNITS * 4) / 4);

// The handful of cell formats the form uses (the writer stores each distinct one once).
const CJK = { family: 3, charset: 134 } as const; // "modern" + GB2312: how Excel marks a Chinese font
const body: Font = { name: BODY_FONT, size: BODY_SIZE, ...CJK };
const bold: Font = { ...body, bold: true };
const centre: Alignment = { horizontal: 'center', vertical: 'center', wrapText: true };
/** Left-aligned text one indent in from the border, as the PDF's cell padding keeps it. */
const left: Alignment = { horizontal: 'left', vertical: 'center', wrapText: true, indent: 1 };
const S = {
  title: { font: { name: TITLE_FONT, size: 18, ...CJK, bold: true }, alignment: centre },
  year: { font: { ...body, size: 12 }, alignment: centre },
  centre: { font: body, alignment: centre, border: 'thin' },
  left: { font: body, alignment: left, border: 'thin' },
  /** Labels of the label rows and review rows, bold as in the PDF. */
  label: { font: bold, alignment: centre, border: 'thin' },
  header: { font: bold, alignment: centre, border: 'thin' },
  sign: { font: { ...body, size: SIGN_SIZE }, alignment: { horizontal: 'left', vertical: 'bottom' } },
} satisfies Record<string, CellStyle>;

/** Indicator columns centred (short entries); 三级指标, 指标解释, 评（扣）分标准, 备注 are left-aligned. */
const CENTRED_COLS = new Set([2, 3, 5, 6, 7]);
/** The same, 0-based among the seven cells of an indicator row's own text (三级指标 … 备注). */
const CENTRED_TEXT = new Set([1, 2, 3]);

/** A4 landscape less the margins below, in points: what fit-to-width scales the sheet into. */
const MARGINS = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 };
const PRINT_WIDTH_PT = (11.69 - MARGINS.left - MARGINS.right) * 72;
const PRINT_HEIGHT_PT = (8.27 - MARGINS.top - MARGINS.bottom) * 72;
/** Points of one column-width unit: 7 px of Calibri 11's digit at 96 dpi. */
const UNIT_PT = 5.25;
/** Kept free on every page against the applications' rounding of scale and row heights. */
const PAGE_SLACK = 0.04;
/** Rows 1–6 stay in view while scrolling only if they leave most of a window for the rows. */
const FREEZE_MAX_PT = 300;

/** Renders the form as an .xlsx workbook; byte-identical for identical models (and pages). */
export async function renderXlsx(model: FormModel, opts: XlsxOptions): Promise<Uint8Array> {
  const layout = xlsxLayout(model, opts.pages);
  const { n, rowOf, headerRows, reviewRow, signRow, widths, rows: heights, pages } = layout;
  // One instant for every date of the package, the PDF's (document-date.ts).
  const created = documentInstant(model.filedIso);

  // Every cell of every row gets its format (merged cells too: Excel draws a merge's border from the
  // cells it covers); values go in the merges' top-left cells only.
  const isHeader = new Set(headerRows);
  const isIndicator = new Set(rowOf);
  const style = (r: number, c: number): CellStyle => {
    if (r === 1) return S.title;
    if (r === 2) return S.year;
    if (r === signRow) return S.sign;
    if (isHeader.has(r) || c === 1) return c === 1 ? S.label : S.header;
    return isIndicator.has(r) && CENTRED_COLS.has(c) ? S.centre : S.left;
  };
  const rows: Row[] = Array.from({ length: signRow }, (_, i) => ({
    height: heights[i]!,
    cells: Array.from({ length: COLS }, (_, c): Cell => ({ style: style(i + 1, c + 1) })),
  }));
  const put = (r: number, c: number, value: string | number): void => void (rows[r - 1]!.cells[c - 1]!.value = value);

  // Strings are always text cells (the writer has no formulas), so `=…` stays text.
  put(1, 1, model.title);
  put(2, 1, model.yearLine);
  put(3, 1, LABELS.name);
  put(3, 2, model.name);
  put(4, 1, LABELS.duties);
  put(4, 2, model.dutiesText);
  put(5, 1, LABELS.goals);
  put(5, 2, model.goalsText);
  headerRows.forEach((hr, k) => {
    put(hr, 1, k === 0 ? LABELS.indicators : LABELS.indicators + CONTINUED);
    INDICATOR_HEADER.forEach((h, i) => put(hr, i + 2, h));
  });
  model.rows.forEach((row, i) => {
    const r = rowOf[i]!;
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
  put(signRow, 1, signatureText(model));

  const range = (top: number, l: number, bottom: number, right: number): Range => ({ top, left: l, bottom, right });
  const merges: Range[] = [range(1, 1, 1, COLS), range(2, 1, 2, COLS)];
  for (const r of [3, 4, 5]) merges.push(range(r, 2, r, COLS));
  // Per printed page: the section cell beside its header and rows, and the 一级/二级 runs cut at the
  // page's edges, a run carried over from the page before labelled （续） (paginate.ts segmentLabel), as
  // the PDF does. `blocks`: each page's indicator rows, what the column-wide validations cover.
  const level2Lists: FormulaListValidation[] = [];
  const blocks: Array<[top: number, bottom: number]> = [];
  for (const p of pages) {
    if (p.end === p.start) continue;
    const [top, bottom] = [rowOf[p.start]!, rowOf[p.end - 1]!];
    blocks.push([top, bottom]);
    merges.push(range(top - 1, 1, bottom, 1));
    const { level1, level2 } = pageSegments(model.rows, p.start, p.end);
    for (const s of level1) {
      const top = rowOf[s.start]!;
      put(top, 2, segmentLabel(s));
      merges.push(range(top, 2, rowOf[s.end - 1]!, 2));
      // 二级's dropdown follows the 一级 chosen for the run: the list named after it (on LISTS_SHEET).
      level2Lists.push({
        range: range(top, 3, rowOf[s.end - 1]!, 3),
        source: `INDIRECT(SUBSTITUTE($B$${top},"${CONTINUED}",""))`,
        errorTitle: '二级指标',
        error: '请从下拉列表中选择所选一级指标下的二级指标',
      });
    }
    for (const s of level2) {
      put(rowOf[s.start]!, 3, segmentLabel(s));
      merges.push(range(rowOf[s.start]!, 3, rowOf[s.end - 1]!, 3));
    }
  }
  for (const r of [reviewRow, reviewRow + 1]) merges.push(range(r, 2, r, COLS));
  merges.push(range(signRow, 1, signRow, COLS));
  const realMerges = merges.filter((m) => m.bottom > m.top || m.right > m.left);

  // Dropdowns like the official template's: a typo in 指标类型 or a level name is caught while typing;
  // a 定量 value must be a number. One validation per cell range (overlapping ones make Excel repair it).
  const list = (items: readonly string[], title: string, col: number): ListValidation => ({
    range: blocks.map(([top, bottom]) => range(top, col, bottom, col)),
    items,
    errorTitle: title,
    error: `请从下拉列表中选择：${items.join('、')}`,
  });
  const quantitative = model.rows.flatMap((row, i) => (row.quantitative ? [range(rowOf[i]!, 6, rowOf[i]!, 6)] : []));
  const validations: Validation[] = n
    ? [
        list(Object.keys(LEVELS), '一级指标', 2),
        ...level2Lists,
        list(TYPES, '指标类型', 5),
        ...(quantitative.length
          ? [{ range: quantitative, decimal: true as const, errorTitle: '指标值', error: '定量指标的指标值须为数字' }]
          : []),
      ]
    : [];

  // The lists the 二级 dropdowns read: one column per 一级, its name on top, the 二级 below, named after it.
  const levelNames = Object.keys(LEVELS) as (keyof typeof LEVELS)[];
  const depth = Math.max(...levelNames.map((l) => LEVELS[l].length));
  const listStyle: CellStyle = { font: body };
  const listRows: Row[] = Array.from({ length: depth + 1 }, (_, r) => ({
    cells: levelNames.map((l) => {
      const v = r === 0 ? l : LEVELS[l][r - 1];
      return v === undefined ? undefined : { value: v, style: listStyle };
    }),
  }));
  const names: DefinedName[] = levelNames.map((l, c) => ({
    name: l,
    sheet: 1,
    range: range(2, c + 1, 1 + LEVELS[l].length, c + 1),
  }));

  const parts = workbookParts({
    props: {
      // The same title/subject/keywords as the PDF's metadata (render/html.ts documentTitle & co.).
      title: `${model.name} ${model.fiscalYear}年度 部门整体绩效目标表`,
      subject: `${model.title}${model.yearLine}`,
      keywords: ['部门整体绩效目标表', '绩效目标', `${model.fiscalYear}年度`, model.name, model.code].join(', '),
      creator: model.name,
      lastModifiedBy: model.name,
      created,
      modified: created,
    },
    sheets: [
      {
        name: SHEET_NAME,
        columns: widths,
        rows,
        merges: realMerges,
        validations,
        showGridLines: false,
        ...(sum(heights.slice(0, HEADER_ROW)) <= FREEZE_MAX_PT ? { freezeRows: HEADER_ROW } : {}),
        rowBreaks: rowBreaks(pages, rowOf),
        page: {
          paperSize: 9, // A4
          orientation: 'landscape',
          fitTo: { width: 1, height: 0 }, // one page wide, as many pages tall as the breaks make
          horizontalCentered: true,
          margins: MARGINS,
          printArea: range(1, 1, signRow, COLS),
          oddFooter: FOOTER,
          evenFooter: FOOTER,
        },
      },
      {
        name: LISTS_SHEET,
        hidden: true,
        columns: levelNames.map(() => 24),
        rows: listRows,
        merges: [],
        validations: [],
        showGridLines: true,
      },
    ],
    names,
  });
  // Deflated here, not on the thread pool: a workbook's dozen small parts take ~0.8 ms; handing each
  // to the pool cost 2–4× the CPU (measured, 200 workbooks: 175 vs 330–750 ms), and a build is CPU-bound.
  // Zip entries store a local time without a zone: the filing day's midnight in China.
  return writeZip(parts, { date: chinaWallClock(created) });
}

/** The signature line spaced as the PDF prints it (wide gaps between its four parts). */
function signatureText(model: FormModel): string {
  const s = model.signoff;
  const parts = [`填表人：${s.preparer}`, `联系电话：${s.phone}`, `填报日期：${s.filed}`, `单位负责人签字：${s.head}`];
  return parts.join(SIGN_SEPARATOR);
}

/** The last row of every printed page but the last: where the workbook's manual page breaks go. */
function rowBreaks(pages: readonly PageSlice[], rowOf: readonly number[]): number[] {
  const out: number[] = [];
  for (const p of pages.slice(0, -1)) {
    if (p.end > p.start) out.push(rowOf[p.end - 1]!);
    else if (p.lead) out.push(HEADER_ROW - 1); // the lead alone: the header starts the next page
  }
  return [...new Set(out)];
}

/** What the workbook prints, decided before any cell is written. */
export interface XlsxLayout {
  n: number;
  /** The sheet row (1-based) of each indicator, by its index in model.rows. */
  rowOf: number[];
  /** The sheet rows holding the indicator header: HEADER_ROW, then the first row of each later page. */
  headerRows: number[];
  /** The first and last indicator rows (firstInd > lastInd when the form has none). */
  firstInd: number;
  lastInd: number;
  reviewRow: number;
  signRow: number;
  widths: number[];
  /** Every row's height in points (row 1 first), merged labels' needs included. */
  rows: number[];
  /** The printed pages: the PDF's when given and usable, else paginate() on the workbook's heights. */
  pages: PageSlice[];
  /** Whether `pages` are the ones given (possibly cut further to fit), not the workbook's own. */
  followsPdf: boolean;
  /** The workbook's page model (points, at the fit-to-width scale): what paginate() was given. */
  measure: FormMeasure;
}

/** Rows, heights and pages of the workbook. Pure; renderXlsx writes what this decides. */
export function xlsxLayout(model: FormModel, given?: readonly PageSlice[]): XlsxLayout {
  const n = model.rows.length;
  const widths = columnWidths(model);
  const wide = sum(widths.slice(1));

  // Row heights: Excel does not grow rows for wrapped text in merged cells, so the height is estimated.
  const lead: number[] = [36, 24];
  const labelled: Array<[string, string]> = [
    [LABELS.name, model.name],
    [LABELS.duties, model.dutiesText],
    [LABELS.goals, model.goalsText],
  ];
  for (const [label, text] of labelled)
    lead.push(
      rowHeight([
        { text: label, width: widths[0]! },
        { text, width: wide },
      ]),
    );
  const header = rowHeight(INDICATOR_HEADER.map((h, i) => ({ text: h, width: widths[i + 1]!, centred: true })));
  // An indicator row's own cells (三级指标 … 备注); its 一级/二级 labels are merged cells, measured apart.
  const ind = model.rows.map((row) =>
    rowHeight(
      [row.name, row.type, row.valueText, row.unit, row.explanation, row.scoringText, row.note].map((text, k) => ({
        text,
        width: widths[k + 3]!,
        centred: CENTRED_TEXT.has(k),
      })),
    ),
  );
  const review = [
    rowHeight([{ text: LABELS.businessReview, width: widths[0]!, centred: true }]),
    rowHeight([{ text: LABELS.performanceReview, width: widths[0]!, centred: true }]),
  ];
  const signPt = rowPoints([{ text: signatureText(model), width: sum(widths) }], SIGN_SIZE) + SIGN_GAP_PT;
  const sign = Math.min(MAX_ROW_PT, signPt);

  // The page model in the workbook's points: a page holds the printable height over the fit-to-width scale.
  const scale = Math.min(1, PRINT_WIDTH_PT / (sum(widths) * UNIT_PT));
  const label = (text: string, width: number): LabelHeight => ({
    plain: rowHeight([{ text, width, centred: true }]),
    cont: rowHeight([{ text: text + CONTINUED, width, centred: true }]),
  });
  const level1: Record<string, LabelHeight> = {};
  const level2: Record<string, LabelHeight> = {};
  for (const r of model.rows) {
    level1[r.level1] ??= label(r.level1, widths[1]!);
    level2[r.level2] ??= label(r.level2, widths[2]!);
  }
  const measure: FormMeasure = {
    pageHeight: Math.floor((PRINT_HEIGHT_PT / scale) * (1 - PAGE_SLACK)),
    leadHeight: sum(lead),
    headerHeight: header,
    reviewHeight: sum(review) + sign,
    rows: model.rows.map((r, i) => ({ height: ind[i]!, level1: r.level1, level2: r.level2 })),
    // The section cell spans the header and the page's rows: 绩效指标（续） is never taller than that.
    section: { plain: 0, cont: 0 },
    level1,
    level2,
  };
  const followsPdf = given !== undefined && usablePages(given, n);
  const pages = followsPdf ? fitPages(measure, given) : paginate(measure, { slack: 0 });

  // A merged 一级/二级 label needing more lines than its rows on a page give makes the run's last row taller.
  for (const p of pages) {
    const segments = pageSegments(model.rows, p.start, p.end);
    for (const [segs, table] of [
      [segments.level2, level2],
      [segments.level1, level1],
    ] as const) {
      for (const s of segs) {
        const need = s.continued ? table[s.label]!.cont : table[s.label]!.plain;
        let have = 0;
        for (let i = s.start; i < s.end; i++) have += ind[i]!;
        if (have < need) ind[s.end - 1] = Math.min(MAX_ROW_PT, ind[s.end - 1]! + (need - have));
      }
    }
  }

  // The sheet's rows, page by page: each page's indicator rows under a header row of their own (a form
  // without indicators keeps the one header row, to be filled in).
  const rows = [...lead];
  const rowOf: number[] = [];
  const headerRows: number[] = [];
  for (const p of pages) {
    if (p.end === p.start && !(n === 0 && headerRows.length === 0)) continue;
    rows.push(header);
    headerRows.push(rows.length);
    for (let i = p.start; i < p.end; i++) {
      rows.push(ind[i]!);
      rowOf[i] = rows.length;
    }
  }
  const reviewRow = rows.length + 1;
  rows.push(...review, sign);
  const signRow = rows.length;
  const firstInd = HEADER_ROW + 1;
  const lastInd = n ? rowOf[n - 1]! : HEADER_ROW;
  return { n, rowOf, headerRows, firstInd, lastInd, reviewRow, signRow, widths, rows, pages, followsPdf, measure };
}

/**
 * Whether the PDF's pages can be the workbook's: every indicator row on exactly one page, in order,
 * the lead whole on page 1 and the review block on the last (a PDF that cut a row or the lead into
 * pieces has more rows than the model, or a paginated lead: the workbook then paginates itself).
 */
function usablePages(pages: readonly PageSlice[], n: number): boolean {
  if (pages.length === 0 || !pages[0]!.lead || !pages[pages.length - 1]!.review) return false;
  let at = 0;
  for (const [i, p] of pages.entries()) {
    if (p.leadStart !== undefined || p.start !== at || p.end < p.start) return false;
    if ((i > 0 && p.lead) || (i < pages.length - 1 && p.review)) return false;
    at = p.end;
  }
  return at === n;
}

/**
 * The PDF's pages, each kept whole when it fits a printed page of the workbook (the workbook prints
 * smaller than the PDF, so they do), else cut where paginate() would cut its rows, so that the
 * spreadsheet application never has to insert a break of its own inside a merged cell.
 */
function fitPages(m: FormMeasure, pages: readonly PageSlice[]): PageSlice[] {
  const fits = (p: PageSlice): boolean => sliceHeight(m, p) <= m.pageHeight;
  const out: PageSlice[] = [];
  for (const p of pages) {
    if (fits(p)) {
      out.push({ ...p });
      continue;
    }
    let start = p.start;
    let lead = p.lead;
    do {
      let end = start;
      while (end < p.end && fits({ start, end: end + 1, lead, review: false })) end++;
      if (end === start && !lead) end = start + 1;
      out.push({ start, end, lead, review: false });
      start = end;
      lead = false;
    } while (start < p.end);
    if (p.review) {
      const last = out[out.length - 1]!;
      if (fits({ ...last, review: true })) last.review = true;
      else out.push({ start: p.end, end: p.end, lead: false, review: true });
    }
  }
  return out;
}

/** Display width in Excel units: CJK and full-width characters count 2, the rest 1. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

/** Units one indent level takes from a left-aligned cell (≈ 10 px; applications differ a little). */
const INDENT_UNITS = 1.5;

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

/**
 * Lines a text needs in a column of `width` units (explicit newlines respected): a left-aligned cell
 * loses its indent, a centred one (`centred`) has none.
 */
export function linesNeeded(text: string, width: number, centred = false): number {
  const usable = Math.max(2, width - 1.5 - (centred ? 0 : INDENT_UNITS));
  return text.split('\n').reduce((a, seg) => a + Math.max(1, Math.ceil(textWidth(seg) / usable)), 0);
}

const LINE = 1.4;
const PAD_PT = 6;

/** A cell's text, its column's width in units, and whether it is centred (no indent). */
export interface MeasuredCell {
  text: string;
  width: number;
  centred?: boolean;
}

/** Points a row needs so every given cell's wrapped text shows in full, however tall. */
export function rowPoints(cells: ReadonlyArray<MeasuredCell>, size = BODY_SIZE): number {
  const lines = Math.max(1, ...cells.map((c) => (c.text ? linesNeeded(c.text, c.width, c.centred) : 1)));
  return Math.round((lines * size * LINE + PAD_PT) * 4) / 4;
}

/** Points a row is given: what its text needs, at most Excel's largest row height. */
export const rowHeight = (cells: ReadonlyArray<MeasuredCell>): number => Math.min(MAX_ROW_PT, rowPoints(cells));

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
      const need = rowPoints([{ text, width: widths[k + 3]!, centred: CENTRED_TEXT.has(k) }]);
      const key = keys[k]!;
      if (need > MAX_ROW_PT && key !== 'type') out.push({ field: { row: i, key }, need });
    });
  });
  return out;
}

/** Excel's largest row height; a taller one makes Excel "repair" the file. */
export const MAX_ROW_PT = 409;

/** The columns' widths (the same for every form: the PDF's proportions). */
function columnWidths(_model: FormModel): number[] {
  return [...WIDTHS];
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
