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
 */
import ExcelJS from 'exceljs';
import { INDICATOR_HEADER, LABELS, LEVELS, TYPES, type FormModel } from '../model/form-model.ts';
import type { ResolvedSettings } from '../model/settings.ts';

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
 * beyond max the text wraps. (Never exactly 9: exceljs takes 9 for "default" and drops the column.)
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

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

/** Renders the form as an .xlsx workbook; byte-identical for identical models. */
export async function renderXlsx(model: FormModel, _opts: XlsxOptions): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  // Fixed dates from the source: the filing date is the document's date, so rebuilds give the same bytes.
  const date = sourceDate(model.filedIso);
  wb.creator = model.name;
  wb.lastModifiedBy = model.name;
  wb.created = date;
  wb.modified = date;
  // The same title/subject/keywords as the PDF's metadata (render/html.ts documentTitle & co.).
  wb.title = `${model.name} ${model.fiscalYear}年度 部门整体绩效目标表`;
  wb.subject = `${model.title}${model.yearLine}`;
  wb.keywords = ['部门整体绩效目标表', '绩效目标', `${model.fiscalYear}年度`, model.name, model.code].join(', ');

  const n = model.rows.length;
  const firstInd = HEADER_ROW + 1;
  const lastInd = HEADER_ROW + n;
  const reviewRow = lastInd + 1;
  const signRow = lastInd + 3;
  const lastTableRow = reviewRow + 1;

  const ws = wb.addWorksheet(SHEET_NAME, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printArea: `A1:J${signRow}`,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: FOOTER, evenFooter: FOOTER },
    views: [{ showGridLines: false }],
  });

  const widths = columnWidths(model);
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));

  // Merges first: exceljs makes a merged cell share its master's style object, so styles are assigned
  // afterwards, one fresh object per cell.
  ws.mergeCells(1, 1, 1, COLS);
  ws.mergeCells(2, 1, 2, COLS);
  for (const r of [3, 4, 5, reviewRow, reviewRow + 1]) ws.mergeCells(r, 2, r, COLS);
  ws.mergeCells(HEADER_ROW, 1, lastInd, 1);
  model.rows.forEach((row, i) => {
    if (row.level1Span > 1) ws.mergeCells(firstInd + i, 2, firstInd + i + row.level1Span - 1, 2);
    if (row.level2Span > 1) ws.mergeCells(firstInd + i, 3, firstInd + i + row.level2Span - 1, 3);
  });
  ws.mergeCells(signRow, 1, signRow, COLS);

  // Values (masters only).
  put(ws, 1, 1, model.title);
  put(ws, 2, 1, model.yearLine);
  put(ws, 3, 1, LABELS.name);
  put(ws, 3, 2, model.name);
  put(ws, 4, 1, LABELS.duties);
  put(ws, 4, 2, model.dutiesText);
  put(ws, 5, 1, LABELS.goals);
  put(ws, 5, 2, model.goalsText);
  put(ws, HEADER_ROW, 1, LABELS.indicators);
  INDICATOR_HEADER.forEach((h, i) => put(ws, HEADER_ROW, i + 2, h));
  model.rows.forEach((row, i) => {
    const r = firstInd + i;
    if (row.level1Span) put(ws, r, 2, row.level1);
    if (row.level2Span) put(ws, r, 3, row.level2);
    put(ws, r, 4, row.name);
    put(ws, r, 5, row.type);
    // 定量 values are numbers in the sheet (they can be summed and checked); everything else is text.
    put(ws, r, 6, row.quantitative && typeof row.value === 'number' ? row.value : row.valueText);
    put(ws, r, 7, row.unit);
    put(ws, r, 8, row.explanation);
    put(ws, r, 9, row.scoringText);
    put(ws, r, 10, row.note);
  });
  put(ws, reviewRow, 1, LABELS.businessReview);
  put(ws, reviewRow, 2, model.signoff.businessReview);
  put(ws, reviewRow + 1, 1, LABELS.performanceReview);
  put(ws, reviewRow + 1, 2, model.signoff.performanceReview);
  put(ws, signRow, 1, model.signatureLine);

  // Styles.
  const body = (bold = false): Partial<ExcelJS.Font> => ({ name: BODY_FONT, family: 3, charset: 134, size: BODY_SIZE, ...(bold ? { bold: true } : {}) });
  const centre = { horizontal: 'center', vertical: 'middle', wrapText: true } as const;
  const left = { horizontal: 'left', vertical: 'middle', wrapText: true } as const;
  for (let c = 1; c <= COLS; c++) {
    style(ws, 1, c, { font: { name: TITLE_FONT, family: 3, charset: 134, size: 18 }, alignment: centre });
    style(ws, 2, c, { font: { ...body(), size: 12 }, alignment: centre });
    for (let r = 3; r <= lastTableRow; r++) {
      const alignment = c === 1 || r === HEADER_ROW || (r >= firstInd && r <= lastInd && CENTRED_COLS.has(c)) ? centre : left;
      style(ws, r, c, { font: body(r === HEADER_ROW), alignment, border: BORDER });
    }
    style(ws, signRow, c, { font: body(), alignment: { horizontal: 'left', vertical: 'middle', wrapText: true } });
  }
  for (let r = firstInd; r <= lastInd; r++) ws.getCell(r, 6).numFmt = 'General';

  // Dropdowns like the official template's: a typo in 指标类型 or a level name is caught while typing.
  const list = (items: readonly string[], title: string): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: false,
    formulae: [`"${items.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: title,
    error: `请从下拉列表中选择：${items.join('、')}`,
  });
  const level1 = list(Object.keys(LEVELS), '一级指标');
  const level2 = list(Object.values(LEVELS).flat(), '二级指标');
  const types = list(TYPES, '指标类型');
  // One range per column: exceljs's per-cell optimiser can emit overlapping ranges, which Excel repairs.
  const validations = (ws as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  validations.add(`B${firstInd}:B${lastInd}`, level1);
  validations.add(`C${firstInd}:C${lastInd}`, level2);
  validations.add(`E${firstInd}:E${lastInd}`, types);

  // Row heights: Excel does not grow rows for wrapped text in merged cells, so the height is estimated.
  ws.getRow(1).height = 36;
  ws.getRow(2).height = 24;
  for (const r of [3, 4, 5]) ws.getRow(r).height = rowHeight([{ text: String(ws.getCell(r, 1).value), width: widths[0]! }, { text: String(ws.getCell(r, 2).value), width: sum(widths.slice(1)) }]);
  ws.getRow(HEADER_ROW).height = rowHeight(INDICATOR_HEADER.map((h, i) => ({ text: h, width: widths[i + 1]! })));
  model.rows.forEach((row, i) => {
    const cells = [row.name, row.type, row.valueText, row.unit, row.explanation, row.scoringText, row.note].map((text, k) => ({ text, width: widths[k + 3]! }));
    // A merged 一级/二级 spreads over its rows; only a single-row one has to fit in its row.
    if (row.level1Span === 1) cells.push({ text: row.level1, width: widths[1]! });
    if (row.level2Span === 1) cells.push({ text: row.level2, width: widths[2]! });
    ws.getRow(firstInd + i).height = rowHeight(cells);
  });
  for (const r of [reviewRow, reviewRow + 1]) ws.getRow(r).height = rowHeight([{ text: String(ws.getCell(r, 1).value), width: widths[0]! }]);
  ws.getRow(signRow).height = rowHeight([{ text: model.signatureLine, width: sum(widths) }]) + 8;
  fitMergedLevels(ws, model, widths, firstInd);

  // Fastest deflate: a few KB larger, several times cheaper (the zip was most of an xlsx's cost).
  const buf = await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions);
  return normalizeZipDates(new Uint8Array(buf as ArrayBuffer), date);
}

const CENTRED_COLS = new Set([2, 3, 5, 6, 7, 10]);

function put(ws: ExcelJS.Worksheet, r: number, c: number, v: string | number): void {
  // Strings go in as plain strings: exceljs only writes a formula for { formula }, so `=…` stays text.
  ws.getCell(r, c).value = v;
}

function style(ws: ExcelJS.Worksheet, r: number, c: number, s: Partial<ExcelJS.Style>): void {
  ws.getCell(r, c).style = structuredClone(s) as ExcelJS.Style;
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
  (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
  (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
  (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) || cp === 0x2265 || cp === 0x2264 ||
  (cp >= 0x2460 && cp <= 0x24ff);

/** Lines a text needs in a column of `width` units (explicit newlines respected). */
export function linesNeeded(text: string, width: number): number {
  const usable = Math.max(2, width - 1.5);
  return text.split('\n').reduce((a, seg) => a + Math.max(1, Math.ceil(textWidth(seg) / usable)), 0);
}

const LINE_PT = BODY_SIZE * 1.4;
const PAD_PT = 6;

/** Points a row needs so every given cell's wrapped text shows in full. */
export function rowHeight(cells: ReadonlyArray<{ text: string; width: number }>): number {
  const lines = Math.max(1, ...cells.map((c) => (c.text ? linesNeeded(c.text, c.width) : 1)));
  return Math.min(MAX_ROW_PT, Math.round((lines * LINE_PT + PAD_PT) * 4) / 4);
}

/** Excel's largest row height; a taller one makes Excel "repair" the file. */
export const MAX_ROW_PT = 409;

function columnWidths(model: FormModel): number[] {
  const longest = (col: number): number => {
    const texts: string[] = [INDICATOR_HEADER[col - 2] ?? ''];
    for (const r of model.rows) {
      texts.push([r.level1, r.level2, r.name, r.type, r.valueText, r.unit, r.explanation, r.scoringText, r.note][col - 2] ?? '');
    }
    return Math.max(...texts.map(textWidth));
  };
  const fit = WIDTHS.map(({ min, max }, i) => (i === 0 ? min : Math.min(max, Math.max(min, longest(i + 1) + 2))));
  return fit.map((w) => (w === 9 ? 9.25 : w));
}

/** A merged 一级/二级 cell whose label needs more lines than its rows give gets its last row taller. */
function fitMergedLevels(ws: ExcelJS.Worksheet, model: FormModel, widths: number[], firstInd: number): void {
  model.rows.forEach((row, i) => {
    for (const [span, text, width] of [[row.level1Span, row.level1, widths[1]!], [row.level2Span, row.level2, widths[2]!]] as const) {
      if (span < 2) continue;
      const need = rowHeight([{ text, width }]);
      let have = 0;
      for (let k = 0; k < span; k++) have += ws.getRow(firstInd + i + k).height ?? 0;
      const last = ws.getRow(firstInd + i + span - 1);
      if (have < need) last.height = Math.min(MAX_ROW_PT, (last.height ?? 0) + (need - have));
    }
  });
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * jszip stamps every entry with the current local time; rewrite the DOS time/date of every local
 * header and central-directory record to `date` so identical workbooks are identical bytes.
 */
export function normalizeZipDates(zip: Uint8Array, date: Date): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const year = Math.max(1980, date.getUTCFullYear());
  const dosDate = ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  let eocd = -1;
  for (let p = out.length - 22; p >= Math.max(0, out.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new Error('xlsx: zip end-of-central-directory record not found');
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error('xlsx: malformed zip central directory');
    view.setUint16(p + 12, dosTime, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error('xlsx: malformed zip local header');
    view.setUint16(local + 10, dosTime, true);
    view.setUint16(local + 12, dosDate, true);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return out;
}
