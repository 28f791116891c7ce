/**
 * Workbook bytes → one grid per worksheet. Merged cells are resolved the way a reader sees them: the
 * text sits in the merge's top-left cell and the cells it covers are empty, exactly as in the exported
 * text. The zip is checked first (`zip-guard.ts`: sizes, CRCs, cell counts), so exceljs's in-memory
 * unzip only ever sees a whole workbook of bounded size. Pure apart from that unzip.
 */
import ExcelJS from 'exceljs';
import { type Cell, columnLetters, type Grid, importDiag, type ImportDiagnostic } from './grid.ts';
import { byteSize, MAX_GRID_CELLS, MAX_XLSX_BYTES } from './limits.ts';
import { checkZip } from './zip-guard.ts';

export { MAX_XLSX_BYTES } from './limits.ts';

export interface ReadWorkbook {
  sheets: Grid[];
  /** Document properties that may carry the department code (jxmb writes `<title> <year> <code>`). */
  keywords: string;
  /** Errors (nothing was read) or warnings about single cells (a formula saved without its result). */
  diagnostics: ImportDiagnostic[];
}

/** Reads every worksheet of an .xlsx. Never throws on bad input: a corrupt file is a diagnostic. */
export async function readXlsx(bytes: Uint8Array): Promise<ReadWorkbook> {
  const refuse = (d: ImportDiagnostic): ReadWorkbook => ({ sheets: [], keywords: '', diagnostics: [d] });
  if (bytes.length > MAX_XLSX_BYTES) {
    const args = { size: byteSize(bytes.length), limit: byteSize(MAX_XLSX_BYTES) };
    return refuse(importDiag('FILE_TOO_LARGE', 'error', undefined, args));
  }
  const zip = checkZip(bytes);
  if (zip.diagnostics.length) return { sheets: [], keywords: '', diagnostics: zip.diagnostics };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    const detail = (e as Error)?.message?.split('\n')[0] ?? String(e);
    return refuse(importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: `xlsx: ${detail}` }));
  }
  const diagnostics: ImportDiagnostic[] = [];
  const sheets: Grid[] = [];
  for (const ws of wb.worksheets) {
    const grid = sheetGrid(ws, diagnostics);
    if (!grid) return refuse(diagnostics.pop()!);
    sheets.push(grid);
  }
  return { sheets, keywords: typeof wb.keywords === 'string' ? wb.keywords : '', diagnostics };
}

/** Rows with nothing in them share this one (a stray cell in row 60000 must not cost 60000 arrays). */
const NO_CELLS: Cell[] = Object.freeze([]) as unknown as Cell[];

/**
 * A worksheet's grid, visiting only the cells the file holds (not every row × column of its extent, which
 * a single cell in XFD1048576 makes 17 billion). Undefined, with the reason pushed, when it is too large.
 */
function sheetGrid(ws: ExcelJS.Worksheet, diagnostics: ImportDiagnostic[]): Grid | undefined {
  const rows: Cell[][] = [];
  let size = 0;
  let tooLarge = false;
  ws.eachRow({ includeEmpty: false }, (wsRow, r) => {
    if (tooLarge) return;
    const filled = new Map<number, Cell>();
    let last = 0;
    wsRow.eachCell({ includeEmpty: false }, (cell, c) => {
      const address = `${columnLetters(c)}${r}`;
      const ref = { kind: 'cell', sheet: ws.name, address } as const;
      const covered = cell.isMerged && cell.master.address !== cell.address;
      const v = covered ? { text: '' } : cellValue(cell);
      if (v.formula !== undefined)
        diagnostics.push(importDiag('IMPORT_FORMULA', 'warning', ref, { formula: v.formula }));
      if (v.text === '') return;
      const { formula: _, ...value } = v;
      filled.set(c, { ...value, row: r, col: c, ref });
      last = c;
    });
    if (!last) return;
    size += last;
    if (size > MAX_GRID_CELLS) {
      tooLarge = true;
      return;
    }
    while (rows.length < r - 1) rows.push(NO_CELLS);
    const row: Cell[] = [];
    for (let c = 1; c <= last; c++) {
      const address = `${columnLetters(c)}${r}`;
      row.push(filled.get(c) ?? { text: '', row: r, col: c, ref: { kind: 'cell', sheet: ws.name, address } });
    }
    rows.push(row);
  });
  if (tooLarge) {
    const args = { what: 'grid', size: `${size}+`, limit: MAX_GRID_CELLS, entry: ws.name };
    diagnostics.push(importDiag('IMPORT_TOO_LARGE', 'error', undefined, args));
    return undefined;
  }
  return { kind: 'xlsx', sheet: ws.name, rows };
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);

interface CellValue {
  text: string;
  num?: number;
  date?: string;
  /** A formula whose result the file does not hold. */
  formula?: string;
}

/** A cell's text as a person reads it, plus its number or date where it holds one. */
function cellValue(cell: ExcelJS.Cell): CellValue {
  const plain = (v: unknown): CellValue => {
    if (v === null || v === undefined) return { text: '' };
    if (typeof v === 'string') return { text: v };
    if (typeof v === 'number') {
      // A percentage format shows 0.9 as 90%: import what the reader sees.
      if (/%/.test(cell.numFmt ?? '')) return { text: `${Number((v * 100).toPrecision(12))}%` };
      // A fixed number of decimals (0.00, #,##0.00) shows 1.5 as 1.50: that is the text read.
      const decimals = /^(?:#,##)?0\.(0+)$/.exec(cell.numFmt ?? '')?.[1]?.length;
      return { text: decimals ? v.toFixed(decimals) : String(v), num: v };
    }
    if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? { text: '' } : { text: iso(v), date: iso(v) };
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.richText))
        return { text: (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('') };
      if ('formula' in o || 'sharedFormula' in o) {
        // A formula saved without its result (files written by programs, never opened in Excel) reads
        // empty: say so at its cell, with the formula, rather than let it pass for a blank.
        const formula = String(o.formula ?? o.sharedFormula ?? '');
        if (o.result === undefined || o.result === null) return { text: '', formula };
        return plain(o.result);
      }
      if ('hyperlink' in o) return plain(o.text);
      if ('error' in o) return { text: String(o.error) };
      if ('text' in o) return plain(o.text);
    }
    return { text: String(v) };
  };
  return plain(cell.value);
}
