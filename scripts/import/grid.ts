/**
 * The shape every reader produces and the form parser consumes: a grid of cells, each knowing where it
 * came from (a cell address in a workbook, or an offset range in exported text), so anything the parser
 * cannot place can be reported at its source.
 */
import type { DiagnosticArgs, DiagnosticCode, Severity } from '../check/diagnostic.ts';

/** Where a cell (or a diagnostic) sits in the source. */
export type SourceRef =
  /** [start, end) offsets into the decoded text. */
  | { kind: 'text'; start: number; end: number }
  /** A worksheet cell, e.g. sheet `Sheet1`, address `H12`. */
  | { kind: 'cell'; sheet: string; address: string }
  /**
   * A cell of a Word table: the document's `table`-th table (1-based, in reading order), its `row`-th row
   * and `col`-th column counted as the table's grid (a merged cell spans several columns or rows; its
   * text is at its top-left one). Shown as `表2 第3行第4列`.
   */
  | { kind: 'table'; table: number; row: number; col: number }
  /** A Word paragraph outside any table, the `index`-th (1-based) of the document. Shown as `第5段`. */
  | { kind: 'paragraph'; index: number };

export interface Cell {
  /** The cell's text as shown (rich text joined, formulas by their result, merged non-master cells empty). */
  text: string;
  /** A numeric cell's number, exactly as stored (xlsx only); text cells leave it undefined. */
  num?: number;
  /** A date cell's day as `YYYY-MM-DD` (xlsx only). */
  date?: string;
  /** 1-based row and column in the source. */
  row: number;
  col: number;
  ref: SourceRef;
}

export interface Grid {
  /**
   * What the cells' refs point into: `xlsx` worksheet cells (also an .xls or Excel 2003 XML read as
   * one), `text` offsets into `text` (tab- or comma-separated), `html` offsets into the page's decoded
   * `text`, `docx` tables and paragraphs of a Word document (also a .doc read as one).
   */
  kind: 'text' | 'xlsx' | 'html' | 'docx';
  /** The worksheet read (xlsx). */
  sheet?: string;
  /** rows[i] holds the cells of source row i + 1, in column order, empty cells included up to the last filled one. */
  rows: Cell[][];
  /** The decoded source text (text and html grids), to turn offsets into line:col. */
  text?: string;
}

/** A problem found while importing, positioned in the source (not in the YAML that is written). */
export interface ImportDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Absent when the problem concerns the whole file. */
  at?: SourceRef;
  args: DiagnosticArgs;
}

export const importDiag = (
  code: DiagnosticCode,
  severity: Severity,
  at: SourceRef | undefined,
  args: DiagnosticArgs = {},
): ImportDiagnostic => ({
  code,
  severity,
  ...(at ? { at } : {}),
  args,
});

/**
 * Where a ref is, for messages and notes: `Sheet1!H12`; `line:col` for text (1-based, columns in
 * characters); `表2 第3行第4列` or `第5段` in a Word document (`table 2, row 3, col 4`, `paragraph 5` in
 * English).
 */
export function describeRef(ref: SourceRef, text?: string, lang: 'zh' | 'en' = 'zh'): string {
  if (ref.kind === 'cell') return `${ref.sheet}!${ref.address}`;
  if (ref.kind === 'table') {
    return lang === 'en'
      ? `table ${ref.table}, row ${ref.row}, col ${ref.col}`
      : `表${ref.table} 第${ref.row}行第${ref.col}列`;
  }
  if (ref.kind === 'paragraph') return lang === 'en' ? `paragraph ${ref.index}` : `第${ref.index}段`;
  if (text === undefined) return `@${ref.start}`;
  // Indexed once per text: a sheet of stray cells asks for thousands of positions, and scanning the text
  // from its start for each took minutes on a long line.
  const { lines, pairs } = textIndex(text);
  const line = lastAtOrBefore(lines, ref.start);
  const start = lines[line]!;
  // Columns count characters: a surrogate pair (an astral character) is one.
  const astral = lastAtOrBefore(pairs, ref.start - 2) - lastAtOrBefore(pairs, start - 1);
  return `${line + 1}:${ref.start - start - astral + 1}`;
}

let indexed: { text: string; lines: number[]; pairs: number[] } | undefined;

/** Where each line starts, and where each surrogate pair starts, in a text. */
function textIndex(text: string): { lines: number[]; pairs: number[] } {
  if (indexed?.text === text) return indexed;
  const lines = [0];
  const pairs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines.push(i + 1);
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) pairs.push(i++);
    }
  }
  indexed = { text, lines, pairs };
  return indexed;
}

/** The index of the last element ≤ x in an ascending array (-1 when none). */
function lastAtOrBefore(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Where column `col` of a row is, whether or not the row holds that cell: its own ref; else (a cell the
 * workbook never stored, or past the end of a text line) the address it would have, or the end of the
 * line. So an empty cell is reported where it is, not at a neighbour that happens to exist.
 */
export function refAt(row: Cell[], col: number, like: Cell): SourceRef {
  const cell = row.find((c) => c.col === col);
  if (cell) return cell.ref;
  if (like.ref.kind === 'cell') {
    return { kind: 'cell', sheet: like.ref.sheet, address: `${columnLetters(col)}${like.row}` };
  }
  // A Word table row: the column of the same row; a paragraph is one cell wide.
  if (like.ref.kind === 'table') return { ...like.ref, col: col - like.col + like.ref.col };
  if (like.ref.kind === 'paragraph') return like.ref;
  const before = row.filter((c) => c.col < col).pop() ?? like;
  const at = before.ref.kind === 'text' ? before.ref.end : 0;
  return { kind: 'text', start: at, end: at };
}

/** Column letters for a 1-based column number: 1 → A, 27 → AA. */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
