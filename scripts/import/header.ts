/**
 * The indicator table's header, found by its words rather than its place: the row where at least three of
 * the table's columns are named (through the synonyms), optionally with a second row under a merged
 * 绩效指标 band naming 一级/二级/三级. Every column is mapped; a heading that names nothing known is kept
 * as an unknown column (its cells go to the indicator's note, the heading reported once). Pure.
 */
import type { Cell } from './grid.ts';
import type { HeaderField, Synonyms } from './synonyms.ts';

export interface Header {
  /** Each field's column (the first one headed so). */
  cols: Partial<Record<HeaderField, number>>;
  /** Every headed column's field. */
  byCol: Map<number, HeaderField>;
  /** Columns whose heading names no field (or a field already headed): column → the heading's cell. */
  unknown: Map<number, Cell>;
}

/** Fields that say a row is a header (a band or a 序号 column alone do not). */
const telling = (f: HeaderField | undefined): boolean => f !== undefined && f !== 'band' && f !== 'seq';

/**
 * The header that `row` (its non-empty cells) starts, with `next` (the following row's non-empty cells)
 * when that is the second row of a two-row header; undefined when `row` is no header.
 */
export function headerAt(
  row: Cell[],
  next: Cell[] | undefined,
  syn: Synonyms,
): { header: Header; rows: 1 | 2 } | undefined {
  const a = row.map((c) => ({ cell: c, field: syn.header(c.text) }));
  const b = next?.map((c) => ({ cell: c, field: syn.header(c.text) }));
  const fieldsA = new Set(a.filter((x) => telling(x.field)).map((x) => x.field));
  // A second row: every cell of it a heading, naming something the first row does not.
  const second =
    a.some((x) => x.field) &&
    b !== undefined &&
    b.length > 0 &&
    b.every((x) => x.field) &&
    b.some((x) => telling(x.field) && !fieldsA.has(x.field));
  const fields = new Set([...fieldsA, ...(second ? b.filter((x) => telling(x.field)).map((x) => x.field) : [])]);
  if (fields.size < 3) return undefined;

  const byCell = new Map<number, { cell: Cell; field: HeaderField | undefined }>();
  for (const x of a) byCell.set(x.cell.col, x);
  // The second row names the columns under the band (and any the first row left unnamed).
  if (second)
    for (const x of b)
      if (!byCell.get(x.cell.col)?.field || byCell.get(x.cell.col)?.field === 'band') byCell.set(x.cell.col, x);
  const header: Header = { cols: {}, byCol: new Map(), unknown: new Map() };
  for (const [col, { cell, field }] of [...byCell].sort(([x], [y]) => x - y)) {
    if (field && header.cols[field] === undefined) {
      header.cols[field] = col;
      header.byCol.set(col, field);
    } else if (field !== 'band') header.unknown.set(col, cell);
  }
  return { header, rows: second ? 2 : 1 };
}
