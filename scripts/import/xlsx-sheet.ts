/**
 * One worksheet part → the cells that hold something (a value or a formula) and the merged ranges. Cells
 * without a value (`<c r="B2" s="3"/>`, formatting only) are left out; the `<dimension>` a file claims is
 * never believed (cells are placed by their own addresses). Pure.
 */
import { XlsxDamage } from './xlsx-damage.ts';
import { decodeOoxmlEscapes, scanXml } from './xlsx-xml.ts';

/** A cell's stored value: text (shared, inline or a formula's), a number, a boolean, an error or a date. */
export type XlsxValue = string | number | boolean | { error: string } | { date: string };

export interface XlsxCell {
  /** 1-based. */
  row: number;
  col: number;
  /** Undefined for a formula saved without its result. */
  value?: XlsxValue;
  /** The formula (without `=`) of a formula cell; a cell sharing another's formula gives that cell's address. */
  formula?: string;
  /** The cell's number format, when its style has one other than General. */
  format?: string;
}

/** A merged range, 1-based and inclusive; its top-left cell holds the value. */
export interface XlsxRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The largest sheet Excel can make: a reference outside it is damage, not a far-away cell. */
export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

/** `AB12` → { row: 12, col: 28 }; undefined when it is no cell reference within a sheet. */
export function parseAddress(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$/.exec(ref.trim());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  const row = Number(m[2]);
  return col <= MAX_COL && row <= MAX_ROW ? { row, col } : undefined;
}

interface Context {
  part: string;
  sharedStrings: readonly string[] | undefined;
  formats: ReadonlyArray<string | undefined>;
}

/** Reads a worksheet's cells (in file order) and merged ranges. Throws `XlsxDamage` on a bad reference. */
export function readSheet(xml: string, ctx: Context): { cells: XlsxCell[]; merges: XlsxRange[] } {
  const cells: XlsxCell[] = [];
  const merges: XlsxRange[] = [];
  const sharedMasters = new Map<string, string>();
  let inData = false;
  let row = 0;
  let col = 0;
  // The cell being read, and where its text goes.
  let cell: { row: number; col: number; t: string; s: number } | undefined;
  let v: string | undefined;
  let f: { text: string; shared?: string; master: boolean } | undefined;
  let inline: string | undefined;
  let into: 'v' | 'f' | 't' | undefined;
  let phonetic = 0;

  const bad = (zh: string, en: string): XlsxDamage => new XlsxDamage(zh, en, ctx.part);
  const finish = (): void => {
    const c = cell!;
    cell = undefined;
    const address = `${columnName(c.col)}${c.row}`;
    let formula: string | undefined;
    if (f) {
      if (f.shared !== undefined) {
        if (f.master) sharedMasters.set(f.shared, address);
        else if (!f.text) f.text = sharedMasters.get(f.shared) ?? '';
      }
      formula = f.text;
    }
    // Text in `<is>` is an inline string whatever the type says.
    const raw = inline ?? v;
    if (raw === undefined && formula === undefined) return;
    // An empty `<v></v>` is a result too: Excel writes it for a formula giving "" (=IF(A1="","",A1)).
    const value = raw === undefined ? undefined : typed(raw, inline !== undefined ? 'inlineStr' : c.t, address);
    const out: XlsxCell = { row: c.row, col: c.col };
    if (value !== undefined) out.value = value;
    if (formula !== undefined) out.formula = formula;
    const format = ctx.formats[c.s];
    if (format !== undefined && format !== 'General') out.format = format;
    cells.push(out);
  };
  const typed = (raw: string, t: string, address: string): XlsxValue => {
    switch (t) {
      case 's': {
        if (raw.trim() === '') return '';
        const i = Number(raw.trim());
        const s = Number.isInteger(i) ? ctx.sharedStrings?.[i] : undefined;
        if (s === undefined) {
          throw bad(
            `单元格 ${address} 引用的共享字符串（#${raw.trim()}）不存在`,
            `cell ${address} refers to shared string #${raw.trim()}, which the workbook lacks`,
          );
        }
        return s;
      }
      case 'str':
      case 'inlineStr':
        return raw;
      case 'b':
        return !/^\s*(?:0|false)\s*$/i.test(raw);
      case 'e':
        return { error: raw };
      case 'd':
        return { date: raw.trim() };
      default: {
        const n = parseFloat(raw);
        return Number.isNaN(n) ? raw : n;
      }
    }
  };

  scanXml(xml, {
    open(name, a, empty) {
      if (name === 'sheetData') inData = !empty;
      else if (!inData) {
        if (name === 'mergeCell' && a.ref) {
          const [from, to] = a.ref.split(':');
          const p = from ? parseAddress(from) : undefined;
          const q = to ? parseAddress(to) : undefined;
          if (p && q) {
            const [top, bottom] = p.row <= q.row ? [p.row, q.row] : [q.row, p.row];
            const [left, right] = p.col <= q.col ? [p.col, q.col] : [q.col, p.col];
            merges.push({ top, left, bottom, right });
          }
        }
      } else if (name === 'row') {
        const r = a.r === undefined ? row + 1 : Number(a.r);
        if (!Number.isInteger(r) || r < 1 || r > MAX_ROW) {
          throw bad(`行号 ${a.r} 超出工作表范围`, `row number ${a.r} is outside the sheet`);
        }
        row = r;
        col = 0;
      } else if (name === 'c') {
        const at = a.r === undefined ? { row: Math.max(row, 1), col: col + 1 } : parseAddress(a.r);
        if (!at || at.col > MAX_COL) {
          const ref = a.r ?? `${columnName(col + 1)}${row}`;
          throw bad(`单元格地址 ${ref} 超出工作表范围`, `cell reference ${ref} is outside the sheet`);
        }
        col = at.col;
        cell = { row: at.row, col: at.col, t: a.t ?? 'n', s: Number(a.s ?? 0) };
        v = f = inline = into = undefined;
        phonetic = 0;
        if (empty) finish();
      } else if (cell) {
        if (name === 'v') {
          v ??= '';
          into = 'v';
        } else if (name === 'f') {
          f = { text: '', master: a.ref !== undefined };
          if (a.t === 'shared' && a.si !== undefined) f.shared = a.si;
          into = 'f';
        } else if (name === 'is') inline ??= '';
        else if (name === 'rPh') phonetic += empty ? 0 : 1;
        else if (name === 't' && !phonetic) into = 't';
        if (empty) into = undefined;
      }
    },
    close(name) {
      if (name === 'sheetData') inData = false;
      else if (!cell) return;
      else if (name === 'c') finish();
      else if (name === 'rPh') phonetic--;
      else if (name === 'v' || name === 'f' || name === 't') into = undefined;
    },
    text(text) {
      if (into === 'v') v = (v ?? '') + text;
      else if (into === 'f') f!.text += text;
      else if (into === 't') inline = (inline ?? '') + decodeOoxmlEscapes(text);
    },
  });
  return { cells, merges };
}

/** 1 → A, 28 → AB. */
function columnName(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
