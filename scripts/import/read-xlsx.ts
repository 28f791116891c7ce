/**
 * Workbook bytes → one grid per worksheet. Merged cells are resolved the way a reader sees them: the
 * text sits in the merge's top-left cell and the cells it covers are empty, exactly as in the exported
 * text. The zip is checked first (`zip-guard.ts`: sizes, CRCs, cell counts), so the reader
 * (`xlsx-reader.ts`) only ever sees a whole workbook of bounded size. Pure.
 */
import { type Cell, columnLetters, type Grid, importDiag, type ImportDiagnostic } from './grid.ts';
import { byteSize, MAX_GRID_CELLS, MAX_XLSX_BYTES } from './limits.ts';
import { coveredCells } from './xlsx-merges.ts';
import { readWorkbook, type XlsxCell, type XlsxSheet } from './xlsx-reader.ts';
import { isDateFormat, serialToDay } from './xlsx-styles.ts';
import { checkZip, type ZipKind } from './zip-guard.ts';

export { MAX_XLSX_BYTES } from './limits.ts';

export interface ReadWorkbook {
  sheets: Grid[];
  /** Document properties that may carry the department code (jxmb writes `<title> <year> <code>`). */
  keywords: string;
  /** Errors (nothing was read) or warnings about single cells (a formula saved without its result). */
  diagnostics: ImportDiagnostic[];
}

/** Reads every worksheet of an .xlsx. Never throws on bad input: a corrupt file is a diagnostic. */
export async function readXlsx(bytes: Uint8Array): Promise<ReadWorkbook & { zip?: ZipKind }> {
  const refuse = (d: ImportDiagnostic): ReadWorkbook => ({ sheets: [], keywords: '', diagnostics: [d] });
  if (bytes.length > MAX_XLSX_BYTES) {
    const args = { size: byteSize(bytes.length), limit: byteSize(MAX_XLSX_BYTES) };
    return refuse(importDiag('FILE_TOO_LARGE', 'error', undefined, args));
  }
  const zip = checkZip(bytes);
  // The zip's kind, when it is no workbook (a Word document): the import reads it another way.
  if (zip.diagnostics.length)
    return { sheets: [], keywords: '', diagnostics: zip.diagnostics, ...(zip.kind ? { zip: zip.kind } : {}) };
  let read: ReturnType<typeof readWorkbook>;
  try {
    read = readWorkbook(bytes);
  } catch (e) {
    // A reader bug must not become a stack trace for the user: the file is reported unreadable.
    const detail = (e as Error)?.message?.split('\n')[0] ?? String(e);
    return refuse(importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: `xlsx: ${detail}` }));
  }
  if ('damage' in read) {
    const { reasonZh, reason, part } = read.damage;
    const args = { detail: 'corrupt', reasonZh, reason, ...(part ? { entry: part } : {}) };
    return refuse(importDiag('IMPORT_UNREADABLE', 'error', undefined, args));
  }
  const { workbook } = read;
  const diagnostics: ImportDiagnostic[] = [];
  const sheets: Grid[] = [];
  for (const ws of workbook.sheets) {
    const grid = sheetGrid(ws, workbook.date1904, diagnostics);
    if (!grid) return refuse(diagnostics.pop()!);
    sheets.push(grid);
  }
  return { sheets, keywords: workbook.keywords, diagnostics };
}

/** Rows with nothing in them share this one (a stray cell in row 60000 must not cost 60000 arrays). */
const NO_CELLS: Cell[] = Object.freeze([]) as unknown as Cell[];

/**
 * A worksheet's grid, visiting only the cells the file holds (not every row × column of its extent, which
 * a single cell in XFD1048576 makes 17 billion). Undefined, with the reason pushed, when it is too large.
 * Also the grid of an Excel 2003 XML worksheet (`read-xml-spreadsheet.ts`).
 */
export function sheetGrid(ws: XlsxSheet, date1904: boolean, diagnostics: ImportDiagnostic[]): Grid | undefined {
  // By row, then column; a cell written twice keeps its last value.
  const cells = [...ws.cells]
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.row - b.c.row || a.c.col - b.c.col || a.i - b.i)
    .map(({ c }) => c)
    .filter((c, i, all) => all[i + 1]?.row !== c.row || all[i + 1]?.col !== c.col);
  const covered = coveredCells(cells, ws.merges);
  const rows: Cell[][] = [];
  let size = 0;
  for (let i = 0; i < cells.length;) {
    const r = cells[i]!.row;
    const filled = new Map<number, Cell>();
    let last = 0;
    for (; i < cells.length && cells[i]!.row === r; i++) {
      if (covered[i]) continue;
      const cell = cells[i]!;
      const c = cell.col;
      const ref = { kind: 'cell', sheet: ws.name, address: `${columnLetters(c)}${r}` } as const;
      const v = cellValue(cell, date1904);
      if (v.formula !== undefined)
        diagnostics.push(importDiag('IMPORT_FORMULA', 'warning', ref, { formula: v.formula }));
      if (v.text === '') continue;
      const { formula: _, ...value } = v;
      filled.set(c, { ...value, row: r, col: c, ref });
      last = c;
    }
    if (!last) continue;
    size += last;
    if (size > MAX_GRID_CELLS) {
      const args = { what: 'grid', size: `${size}+`, limit: MAX_GRID_CELLS, entry: ws.name };
      diagnostics.push(importDiag('IMPORT_TOO_LARGE', 'error', undefined, args));
      return undefined;
    }
    while (rows.length < r - 1) rows.push(NO_CELLS);
    const row: Cell[] = [];
    for (let c = 1; c <= last; c++) {
      const address = `${columnLetters(c)}${r}`;
      row.push(filled.get(c) ?? { text: '', row: r, col: c, ref: { kind: 'cell', sheet: ws.name, address } });
    }
    rows.push(row);
  }
  return { kind: 'xlsx', sheet: ws.name, rows };
}

interface CellValue {
  text: string;
  num?: number;
  date?: string;
  /** A formula whose result the file does not hold. */
  formula?: string;
}

/** A cell's text as a person reads it, plus its number or date where it holds one. */
function cellValue(cell: XlsxCell, date1904: boolean): CellValue {
  const v = cell.value;
  // A formula saved without its result (files written by programs, never opened in Excel) reads empty:
  // say so at its cell, with the formula, rather than let it pass for a blank.
  if (v === undefined) return { text: '', ...(cell.formula !== undefined ? { formula: cell.formula } : {}) };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (typeof v === 'number') {
    if (isDateFormat(cell.format)) {
      const day = serialToDay(v, date1904);
      return day === undefined ? { text: '' } : { text: day, date: day };
    }
    // A percentage format shows 0.9 as 90%: import what the reader sees.
    if (/%/.test(cell.format ?? '')) return { text: `${Number((v * 100).toPrecision(12))}%` };
    // A fixed number of decimals (0.00, #,##0.00) shows 1.5 as 1.50: that is the text read.
    const decimals = /^(?:#,##)?0\.(0+)$/.exec(cell.format ?? '')?.[1]?.length;
    return { text: decimals ? v.toFixed(decimals) : String(v), num: v };
  }
  if ('error' in v) return { text: v.error };
  // A date stored as text (`t="d"`, ISO 8601): its day when it has one.
  const day = /^\d{4}-\d{2}-\d{2}/.exec(v.date)?.[0];
  return day ? { text: day, date: day } : { text: v.date };
}
