/**
 * Rows taller than a page, cut into pieces that each fit one: the text of every cell is cut at a line
 * boundary (as the browser laid it out), so nothing is clipped, lost or printed twice.
 *
 * Pure. The browser (browser/form-page.ts splitForm) measures the form, reads where the lines of an over-tall
 * row's cells start and end (BoxLines), and asks `cutRow`/`cutLeadRow` for the pieces; the form with
 * the pieces (a PrintModel) is measured again, until every row fits a page. A piece after the first
 * repeats the row's labels marked （续）: the row label of a label row (部门（单位）职责（续）), the
 * 三级 name of an indicator row; its 一级/二级 merged cells are continued across the page as always.
 *
 * Only a row that cannot fit on a page of its own is cut (FORM.md: a row is never split otherwise):
 * the seed and every normal form print exactly as before.
 */
import { type FormModel, type IndicatorRow, LABELS } from '../model/form-model.ts';
import {
  CONTINUED,
  DEFAULT_SLACK,
  type FormMeasure,
  leadTooTall,
  type PageSlice,
  sliceHeight,
  tallRows,
} from './paginate.ts';

/** A label row of the lead (名称, 职责, 目标), or a piece of one. */
export interface LeadRow {
  label: string;
  text: string;
  /** Offsets in `text` where a list item starts (1、…, 目标1：…): the nicer places to cut. */
  items?: number[];
}

/** An indicator row, or a piece of one; `nameIsLabel`: its name is the repeated 三级 label (with （续）). */
export type PrintRow = IndicatorRow & { nameIsLabel?: boolean };

/** A form as printed: the model, with its over-tall rows cut into pieces (each a row of its own). */
export interface PrintModel extends FormModel {
  rows: PrintRow[];
  leadRows?: LeadRow[];
}

/** The lines of one text box as laid out: where each starts in its text, and its top and bottom (px). */
export interface BoxLines {
  /** The box's text as the page holds it (must equal the model's, or the box is not cut). */
  text: string;
  starts: number[];
  tops: number[];
  bottoms: number[];
}

/** An offset to cut a text at, or undefined: the text is kept whole. */
type Cut = number | undefined;

/** The cells of an indicator row that hold text, in the order the row prints them. */
export const ROW_CELLS = ['name', 'type', 'valueText', 'unit', 'explanation', 'scoringText', 'note'] as const;
type CellKey = (typeof ROW_CELLS)[number];

/** The lead's label rows, with the list items of the duties and goals as preferred cut points. */
export function leadRowsOf(m: FormModel | PrintModel): LeadRow[] {
  if ('leadRows' in m && m.leadRows) return m.leadRows;
  const items = (parts: string[]): number[] => {
    const out: number[] = [];
    let at = 0;
    for (const p of parts) {
      if (at > 0) out.push(at);
      at += p.length;
    }
    return out;
  };
  return [
    { label: LABELS.name, text: m.name },
    { label: LABELS.duties, text: m.dutiesText, items: items(m.duties.map((d, i) => `${i + 1}、${d}`)) },
    { label: LABELS.goals, text: m.goalsText, items: items(m.goals.map((g, i) => `目标${i + 1}：${g}`)) },
  ];
}

/** Lead rows that cannot fit on a page of their own (row 0 shares page 1 with the title and year line). */
export function tallLeadRows(m: FormMeasure, slack = DEFAULT_SLACK): number[] {
  if (!m.lead) return [];
  const budget = m.pageHeight - slack;
  return m.lead.rows.flatMap((h, i) => ((i === 0 ? m.lead!.title : 0) + h > budget ? [i] : []));
}

/** Whether a measured form has something no page can hold whole: a lead or rows to paginate or cut. */
export function needsSplit(m: FormMeasure, slack = DEFAULT_SLACK): boolean {
  return leadTooTall(m, slack) || tallRows(m, slack).length > 0;
}

/** A page's room left below this much is not worth starting a piece in: the piece starts a new page. */
const MIN_ROOM_SHARE = 0.25;

/** Extra px a piece is kept short of its room by: row heights are rounded to 1/64 px, borders are halved. */
const CUT_MARGIN = 1;

/**
 * Room (px) the first piece of lead row `j` has: what the page it starts on leaves, when the rows before
 * it are paginated as paginate does (or a whole page, when that is too little).
 */
export function leadRoom(m: FormMeasure, j: number, slack = DEFAULT_SLACK): number {
  const lead = m.lead!;
  const budget = m.pageHeight - slack;
  let used = lead.title;
  for (let i = 0; i < j; i++) used = used + lead.rows[i]! <= budget ? used + lead.rows[i]! : lead.rows[i]!;
  const room = budget - used;
  return room >= budget * MIN_ROOM_SHARE ? room : budget;
}

/**
 * Room (px) the first piece of indicator row `i` has: what the page it would start on leaves (header,
 * merged labels and the rows before it on that page counted), or a page of its own when that is too little.
 * `pageOf` gives the first row of the page row `i` would start on, and whether that page carries the lead.
 */
export function rowRoom(
  m: FormMeasure,
  i: number,
  pageStart: Pick<PageSlice, 'start' | 'lead' | 'leadStart' | 'leadEnd'>,
  slack = DEFAULT_SLACK,
): number {
  const budget = m.pageHeight - slack;
  const own = m.rows[i]!.height;
  const alone = budget - (sliceHeight(m, { start: i, end: i + 1, lead: false, review: false }) - own);
  if (pageStart.start === i && !pageStart.lead) return alone;
  const shared = budget - (sliceHeight(m, { ...pageStart, end: i + 1, review: false }) - own);
  return shared >= budget * MIN_ROOM_SHARE ? Math.min(shared, alone) : alone;
}

/** Lines of a box counted when it is cut at `offset` (a line partly filled counts whole). */
function linesBefore(b: BoxLines, offset: number): number {
  let k = 0;
  while (k < b.starts.length && b.starts[k]! < offset) k++;
  return k;
}

/**
 * Where to cut a box's text so that its first piece keeps within `room` px of content height: at a line
 * start, preferably one that begins a list item or paragraph (an item start may be mid-line: the rest is
 * laid out afresh and measured again). undefined: the whole text fits. Always keeps at least one line.
 */
export function cutOffset(b: BoxLines, room: number, items: readonly number[] = []): number | undefined {
  const n = b.starts.length;
  if (n === 0) return undefined;
  const top = b.tops[0]!;
  let k = 0;
  while (k < n && b.bottoms[k]! - top <= room) k++;
  if (k >= n) return undefined;
  k = Math.max(k, 1);
  // Nicer: the latest paragraph (after a line feed) or list item that still keeps two thirds of the room.
  const want = Math.ceil((k * 2) / 3);
  let best: number | undefined;
  for (let j = want; j < k; j++) if (b.text[b.starts[j]! - 1] === '\n') best = b.starts[j]!;
  for (const at of items) {
    if (at <= 0 || at >= b.text.length) continue;
    const used = linesBefore(b, at);
    if (used >= want && used <= k && (best === undefined || at > best)) best = at;
  }
  return best ?? b.starts[k]!;
}

/** `text` cut at `at`; a line feed the cut falls on is dropped (it only broke the line the cut now ends). */
function cutText(text: string, at: number): [string, string] {
  const head = text.slice(0, at);
  return [head.endsWith('\n') ? head.slice(0, -1) : head, text.slice(at)];
}

/**
 * Cuts lead row `j` of `m` at `at` (an offset into its text): the rest becomes a row of its own,
 * labelled with （续）. Returns the new lead rows.
 */
export function cutLeadRow(rows: readonly LeadRow[], j: number, at: number): LeadRow[] {
  const r = rows[j]!;
  const [head, rest] = cutText(r.text, at);
  const label = r.label.endsWith(CONTINUED) ? r.label : r.label + CONTINUED;
  const items = r.items ?? [];
  return [
    ...rows.slice(0, j),
    { label: r.label, text: head, items: items.filter((x) => x < at) },
    { label, text: rest, items: items.filter((x) => x > at).map((x) => x - at) },
    ...rows.slice(j + 1),
  ];
}

/** Text height of a box's lines (0 for none). */
const contentOf = (b: BoxLines | undefined): number => (b?.starts.length ? b.bottoms.at(-1)! - b.tops[0]! : 0);

/**
 * A box's lines from `at` on, when `at` starts a line: the rest of its text, which lays out the same in
 * a box of the same width (each line is broken afresh from its start). undefined when `at` is mid-line.
 */
export function restOf(b: BoxLines, at: number): BoxLines | undefined {
  const k = b.starts.indexOf(at);
  if (k < 0) return undefined;
  const starts = b.starts.slice(k).map((s) => s - at);
  return { text: b.text.slice(at), starts, tops: b.tops.slice(k), bottoms: b.bottoms.slice(k) };
}

/** Cuts taken from one layout at most: a row of a hundred pages is measured again now and then. */
const MAX_SERIES = 100;

/**
 * Every cut of an over-tall indicator row that one layout tells, from its cells' lines (as ROW_CELLS)
 * and its measured height: the first piece within `room`, each later one within `alone` (a page to
 * itself); each entry cuts the last piece the one before left (undefined: that cell kept whole). A cut
 * mid-line ends the series: the rest lays out afresh, and is measured (and cut) again.
 */
export function rowCutSeries(
  cells: readonly (BoxLines | undefined)[],
  rowHeight: number,
  room: number,
  alone: number,
): Cut[][] {
  // What the row adds to its tallest cell's text: padding and rules.
  const pad = rowHeight - Math.max(...cells.map(contentOf));
  const out: Cut[][] = [];
  let boxes = cells;
  for (let r = room; out.length < MAX_SERIES; r = alone) {
    const cuts = boxes.map((b) => (b ? cutOffset(b, r - pad - CUT_MARGIN) : undefined));
    if (cuts.every((x) => x === undefined)) break;
    out.push(cuts);
    const rest = boxes.map((b, c) => (b && cuts[c] !== undefined ? restOf(b, cuts[c]) : undefined));
    if (rest.some((b, c) => !b && cuts[c] !== undefined) || pad + Math.max(...rest.map(contentOf)) <= alone) break;
    boxes = rest;
  }
  return out;
}

/**
 * Every cut of an over-tall lead row that one layout tells (as rowCutSeries), from its text box's lines
 * and the row's measured height (label cell included); `page`: the room of a page without the title.
 */
export function leadCutSeries(
  b: BoxLines,
  rowHeight: number,
  room: number,
  page: number,
  items: readonly number[] = [],
): number[] {
  const pad = rowHeight - contentOf(b);
  const out: number[] = [];
  let box = b;
  let marks = items;
  for (let r = room; out.length < MAX_SERIES; r = page) {
    const at = cutOffset(box, r - pad - CUT_MARGIN, marks);
    if (at === undefined) break;
    out.push(at);
    const rest = restOf(box, at);
    if (!rest || pad + contentOf(rest) <= page) break;
    box = rest;
    marks = marks.filter((x) => x > at).map((x) => x - at);
  }
  return out;
}

/**
 * Cuts indicator row `i` into two: each cell's text before its cut in the first piece, the rest in the
 * second. The second repeats the 三级 name with （续） when its name was wholly in the first. Rows are
 * renumbered (index: position), so the pieces paginate like any rows.
 */
export function cutRow(rows: readonly PrintRow[], i: number, cuts: readonly (number | undefined)[]): PrintRow[] {
  const r = rows[i]!;
  const first: PrintRow = { ...r };
  const second: PrintRow = { ...r };
  ROW_CELLS.forEach((key: CellKey, c) => {
    const at = cuts[c];
    const text = r[key];
    const [head, rest] = at === undefined || (key === 'name' && r.nameIsLabel) ? [text, ''] : cutText(text, at);
    (first as Record<CellKey, string>)[key] = head;
    (second as Record<CellKey, string>)[key] = rest;
  });
  if (second.name === '') {
    second.name = r.nameIsLabel ? r.name : r.name + CONTINUED;
    second.nameIsLabel = true;
  }
  const out = [...rows.slice(0, i), first, second, ...rows.slice(i + 1)];
  return out.map((row, index) => (row.index === index ? row : { ...row, index }));
}
