/**
 * Which cells a merged range covers (every cell of it but its top-left, which holds the value). Rows are
 * swept in order with the ranges open at each row kept as counts over the columns, so a sheet of many
 * ranges, or of ranges spanning a million rows, costs a few steps per cell and per range. Pure.
 */
import { MAX_COL, type XlsxRange } from './xlsx-sheet.ts';

/**
 * For cells sorted by row, whether each lies in a merged range without being its top-left cell. A cell
 * that is the top-left of one range keeps its value even where another (overlapping) range covers it.
 */
export function coveredCells(cells: ReadonlyArray<{ row: number; col: number }>, merges: XlsxRange[]): boolean[] {
  const covered = cells.map(() => false);
  if (!merges.length) return covered;
  const masters = new Set(merges.map((m) => m.top * (MAX_COL + 1) + m.left));
  const byTop = [...merges].sort((a, b) => a.top - b.top);
  const byBottom = [...merges].sort((a, b) => a.bottom - b.bottom);
  // Fenwick tree over columns: +1 at a range's left, -1 past its right; a prefix sum counts open ranges.
  const tree = new Int32Array(MAX_COL + 2);
  const add = (col: number, d: number): void => {
    for (let i = col; i <= MAX_COL + 1; i += i & -i) tree[i]! += d;
  };
  const open = (col: number): number => {
    let n = 0;
    for (let i = col; i > 0; i -= i & -i) n += tree[i]!;
    return n;
  };
  let opened = 0;
  let closed = 0;
  cells.forEach((c, i) => {
    for (; opened < byTop.length && byTop[opened]!.top <= c.row; opened++) {
      add(byTop[opened]!.left, 1);
      add(byTop[opened]!.right + 1, -1);
    }
    for (; closed < byBottom.length && byBottom[closed]!.bottom < c.row; closed++) {
      add(byBottom[closed]!.left, -1);
      add(byBottom[closed]!.right + 1, 1);
    }
    covered[i] = open(c.col) > 0 && !masters.has(c.row * (MAX_COL + 1) + c.col);
  });
  return covered;
}
