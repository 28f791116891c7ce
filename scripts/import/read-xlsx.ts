/**
 * Workbook bytes → one grid per worksheet. Merged cells are resolved the way a reader sees them: the
 * text sits in the merge's top-left cell and the cells it covers are empty, exactly as in the exported
 * text. Pure apart from exceljs's in-memory unzip.
 */
import ExcelJS from 'exceljs';
import { type Cell, columnLetters, type Grid, importDiag, type ImportDiagnostic } from './grid.ts';

/** A form with its fonts and styles is well under this; a larger upload is refused before unzipping. */
export const MAX_XLSX_BYTES = 20 * 1024 * 1024;

export interface ReadWorkbook {
  sheets: Grid[];
  /** Document properties that may carry the department code (jxmb writes `<title> <year> <code>`). */
  keywords: string;
  diagnostics: ImportDiagnostic[];
}

/** Reads every worksheet of an .xlsx. Never throws on bad input: a corrupt file is a diagnostic. */
export async function readXlsx(bytes: Uint8Array): Promise<ReadWorkbook> {
  if (bytes.length > MAX_XLSX_BYTES) {
    return { sheets: [], keywords: '', diagnostics: [importDiag('FILE_TOO_LARGE', 'error', undefined, { size: `${(bytes.length / 1024 / 1024).toFixed(1)} MB`, limit: '20 MB' })] };
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    const detail = (e as Error)?.message?.split('\n')[0] ?? String(e);
    return { sheets: [], keywords: '', diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: `xlsx: ${detail}` })] };
  }
  const sheets = wb.worksheets.map(sheetGrid);
  return { sheets, keywords: typeof wb.keywords === 'string' ? wb.keywords : '', diagnostics: [] };
}

function sheetGrid(ws: ExcelJS.Worksheet): Grid {
  const rows: Cell[][] = [];
  const lastRow = ws.rowCount;
  const lastCol = ws.columnCount;
  for (let r = 1; r <= lastRow; r++) {
    const row: Cell[] = [];
    for (let c = 1; c <= lastCol; c++) {
      const cell = ws.getCell(r, c);
      const address = `${columnLetters(c)}${r}`;
      const covered = cell.isMerged && cell.master.address !== cell.address;
      const v = covered ? { text: '' } : cellValue(cell);
      row.push({ ...v, row: r, col: c, ref: { kind: 'cell', sheet: ws.name, address } });
    }
    while (row.length && row[row.length - 1]!.text === '') row.pop();
    rows.push(row);
  }
  return { kind: 'xlsx', sheet: ws.name, rows };
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);

/** A cell's text as a person reads it, plus its number or date where it holds one. */
function cellValue(cell: ExcelJS.Cell): { text: string; num?: number; date?: string } {
  const plain = (v: unknown): { text: string; num?: number; date?: string } => {
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
      if (Array.isArray(o.richText)) return { text: (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('') };
      if ('formula' in o || 'sharedFormula' in o) return plain(o.result);
      if ('hyperlink' in o) return plain(o.text);
      if ('error' in o) return { text: String(o.error) };
      if ('text' in o) return plain(o.text);
    }
    return { text: String(v) };
  };
  return plain(cell.value);
}
