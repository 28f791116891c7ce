/**
 * One row of the indicator table → which cell holds which field, and what kind of row it is. With a
 * header, a row is read by the header's columns; a row whose 指标类型 sits left of the type column is one
 * an export shifted by dropping merged cells, and is read from its type cell (the cells after it keep
 * their order; before it only the 一级/二级 cells that start a merged run are left, read by count and by
 * name). Without a header every row is read from its type cell and the template's order. Pure.
 */
import { LEVELS } from '../model/form-model.ts';
import { type Cell, refAt, type SourceRef } from './grid.ts';
import type { Header } from './header.ts';
import type { HeaderField, Synonyms } from './synonyms.ts';
import { typeWord } from './target-value.ts';

/** Where each field of an indicator row is: its cell when filled, and where it is (or would be) always. */
export interface IndicatorCells {
  /** 一级/二级 as the row has them (`''` continues the run above). */
  level1: string;
  level2: string;
  /** Where the 一级, 二级 and 三级 cells are, or would be. */
  levelRefs: [SourceRef, SourceRef, SourceRef];
  cells: Partial<Record<DataField, Cell>>;
  refs: Record<DataField, SourceRef>;
  /** Cells in no column, kept in the note and reported one by one. */
  extras: Cell[];
  /** Cells of columns the header names but the form has no field for, as `heading：text` for the note. */
  unknown: string[];
  /** Whether the table has a 评（扣）分标准 column at all (an empty one is then reported per row). */
  hasScoring: boolean;
}

type DataField = 'name' | 'type' | 'value' | 'unit' | 'points' | 'explanation' | 'scoring' | 'note';
const DATA_FIELDS: readonly DataField[] = ['name', 'type', 'value', 'unit', 'points', 'explanation', 'scoring', 'note'];
/** The template's order after the type cell, for a table without a header. */
const AFTER_TYPE: Partial<Record<DataField, number>> = { value: 1, unit: 2, explanation: 3, scoring: 4, note: 5 };
/** Fields an otherwise empty row continues from the indicator above (a merged or wrapped cell). */
export type ContinuedField = 'explanation' | 'scoring' | 'note';

export type RowReading =
  | { kind: 'indicator'; row: IndicatorCells }
  | { kind: 'continuation'; parts: Array<{ field: ContinuedField; cell: Cell; text: string }> }
  | { kind: 'levels'; level1?: Cell; level2?: Cell }
  | { kind: 'other' };

const LEVEL1_NAMES = new Set<string>(Object.keys(LEVELS));
/** A 序号 cell's content: a number or a numbering, nothing else. */
const SEQ_RE = /^(?:[\d.、()（）\s]+|[一二三四五六七八九十]+[、.．]?)$/;

/** Reads one table row (`cells`: its non-empty cells). */
export function readRow(row: Cell[], cells: Cell[], header: Header | undefined, syn: Synonyms): RowReading {
  const typeCell = cells.find((c) => typeWord(c.text) !== undefined);
  if (!header) return typeCell ? { kind: 'indicator', row: fromTypeCell(row, cells, typeCell, undefined, syn) } : other;
  const typeCol = header.cols.type;
  if (typeCell && typeCol !== undefined && typeCell.col !== typeCol) {
    return { kind: 'indicator', row: fromTypeCell(row, cells, typeCell, header, syn) };
  }
  return byHeader(row, cells, header, syn);
}

const other: RowReading = { kind: 'other' };

/** A row read by the header's columns; what kind of row it is follows from which columns are filled. */
function byHeader(row: Cell[], cells: Cell[], header: Header, syn: Synonyms): RowReading {
  const like = cells[0]!;
  const found: Partial<Record<DataField | 'level1' | 'level2', Cell>> = {};
  const extras: Cell[] = [];
  const unknown: Array<{ cell: Cell; text: string }> = [];
  for (const c of cells) {
    const f: HeaderField | undefined = header.byCol.get(c.col);
    const heading = header.unknown.get(c.col);
    if (syn.header(c.text) === 'band') continue;
    if (f === 'seq' && SEQ_RE.test(c.text.trim())) continue;
    if (f && f !== 'band' && f !== 'seq') found[f] = c;
    else if (heading) unknown.push({ cell: c, text: `${heading.text.trim()}：${c.text.trim()}` });
    else extras.push(c);
  }
  const filled = new Set(Object.keys(found) as Array<DataField | 'level1' | 'level2'>);
  const only = (allowed: string[]): boolean => [...filled].every((f) => allowed.includes(f));
  const hasType = found.type !== undefined;
  if (!hasType && filled.size && !extras.length && only(['explanation', 'scoring', 'note'])) {
    const parts = (['explanation', 'scoring', 'note'] as const).flatMap((field) =>
      found[field] ? [{ field, cell: found[field], text: found[field].text.trim() }] : [],
    );
    for (const u of unknown) parts.push({ field: 'note', cell: u.cell, text: u.text });
    return { kind: 'continuation', parts };
  }
  if (!hasType && filled.size && !extras.length && !unknown.length && only(['level1', 'level2'])) {
    return {
      kind: 'levels',
      ...(found.level1 ? { level1: found.level1 } : {}),
      ...(found.level2 ? { level2: found.level2 } : {}),
    };
  }
  const data = DATA_FIELDS.filter((f) => f !== 'note' && found[f]).length;
  const named = found.name !== undefined && (data >= 2 || found.level1 !== undefined || found.level2 !== undefined);
  const unnamed = found.name === undefined && (found.value !== undefined || hasType) && data >= 2;
  if (!named && !unnamed) return other;

  const cols = header.cols;
  const typeCol = cols.type ?? cols.value ?? like.col;
  const nameCol = cols.name ?? unheadedNameCol(header, typeCol);
  const place = (col: number | undefined, fallback: SourceRef): SourceRef =>
    col === undefined ? fallback : refAt(row, Math.max(1, col), like);
  const typeRef = place(cols.type, found.value?.ref ?? like.ref);
  // Without a name column (its heading unknown) and no unheaded column where it would be, the row.
  const nameRef = place(nameCol, like.ref);
  const refs = {} as Record<DataField, SourceRef>;
  for (const f of DATA_FIELDS) refs[f] = found[f]?.ref ?? place(cols[f], typeRef);
  const cellsOf: Partial<Record<DataField, Cell>> = {};
  for (const f of DATA_FIELDS) if (found[f]) cellsOf[f] = found[f];
  return {
    kind: 'indicator',
    row: {
      level1: found.level1?.text.trim() ?? '',
      level2: found.level2?.text.trim() ?? '',
      levelRefs: [
        place(cols.level1, typeRef),
        place(cols.level2 ?? (nameCol !== undefined ? nameCol - 1 : undefined), typeRef),
        nameRef,
      ],
      cells: cellsOf,
      refs,
      extras,
      unknown: unknown.map((u) => u.text),
      hasScoring: cols.scoring !== undefined,
    },
  };
}

/**
 * Where the 三级指标 column is when no heading names it: the column right of 二级指标 (or the first one)
 * when no known field is headed there and it lies left of the target, else the rightmost column left of
 * the target that no known field heads (an unknown heading such as a bureau's own word for the name).
 * Never a neighbouring column that holds another field (权重 left of the type): undefined then.
 */
function unheadedNameCol(header: Header, typeCol: number): number | undefined {
  const free = (c: number): boolean => c >= 1 && c < typeCol && !header.byCol.has(c);
  const afterLevels = (header.cols.level2 ?? header.cols.level1 ?? 0) + 1;
  if (free(afterLevels)) return afterLevels;
  for (let c = typeCol - 1; c > afterLevels; c--) if (free(c)) return c;
  return undefined;
}

/**
 * A row anchored on its 指标类型 cell: fields right of it at the header's columns moved as far as this
 * row's type cell is (or in the template's order without a header); left of it the name, and before that
 * whichever 一级/二级 cells the export kept.
 */
function fromTypeCell(
  row: Cell[],
  cells: Cell[],
  typeCell: Cell,
  header: Header | undefined,
  syn: Synonyms,
): IndicatorCells {
  const at = (col: number | undefined): Cell | undefined =>
    col === undefined ? undefined : row.find((c) => c.col === col && c.text.trim() !== '');
  const used = new Set<Cell>([typeCell]);
  const shift = header?.cols.type !== undefined ? typeCell.col - header.cols.type : 0;
  /** The column of a field right of the type cell; none when the header has no such column. */
  const colOf = (f: DataField): number | undefined =>
    !header
      ? AFTER_TYPE[f] !== undefined
        ? typeCell.col + AFTER_TYPE[f]
        : undefined
      : header.cols[f] !== undefined
        ? header.cols[f] + shift
        : undefined;
  const place = (col: number | undefined): SourceRef =>
    col === undefined ? typeCell.ref : refAt(row, Math.max(1, col), typeCell);
  const found: Partial<Record<DataField, Cell>> = { type: typeCell };
  for (const f of ['value', 'unit', 'points', 'explanation', 'scoring', 'note'] as const) {
    const col = colOf(f);
    const c = col !== undefined && col > typeCell.col ? at(col) : undefined;
    if (c) {
      found[f] = c;
      used.add(c);
    }
  }
  const unknown: string[] = [];
  for (const [col, heading] of header?.unknown ?? []) {
    const c = col + shift > typeCell.col ? at(col + shift) : undefined;
    if (c) {
      unknown.push(`${heading.text.trim()}：${c.text.trim()}`);
      used.add(c);
    }
  }
  const isBand = (c: Cell): boolean => syn.header(c.text) === 'band';
  const isSeq = (c: Cell): boolean => header?.cols.seq !== undefined && SEQ_RE.test(c.text.trim());
  const left = cells.filter((c) => c.col < typeCell.col && !isBand(c) && !isSeq(c));
  const nameCell = left.pop();
  if (nameCell) {
    found.name = nameCell;
    used.add(nameCell);
  }
  const levels = left.splice(Math.max(0, left.length - 2));
  levels.forEach((c) => used.add(c));
  let level1 = '';
  let level2 = '';
  if (levels.length === 2) [level1, level2] = [levels[0]!.text.trim(), levels[1]!.text.trim()];
  else if (levels.length === 1) {
    const t = levels[0]!.text.trim();
    if (LEVEL1_NAMES.has(t)) level1 = t;
    else level2 = t;
  }
  // A drifted row: the name is left of the type cell, the levels left of the name.
  const nameCol = nameCell?.col ?? (header?.cols.name !== undefined ? header.cols.name + shift : typeCell.col - 1);
  const level1Col = levels.length === 2 ? levels[0]!.col : nameCol - 2;
  const refs = {} as Record<DataField, SourceRef>;
  for (const f of DATA_FIELDS) refs[f] = found[f]?.ref ?? place(f === 'name' ? nameCol : colOf(f));
  return {
    level1,
    level2,
    levelRefs: [place(level1Col), place(levels.at(-1)?.col ?? nameCol - 1), place(nameCol)],
    cells: found,
    refs,
    extras: cells.filter((c) => !used.has(c) && !isBand(c) && !isSeq(c)),
    unknown,
    hasScoring: !header || header.cols.scoring !== undefined,
  };
}
