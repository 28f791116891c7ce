/**
 * Page breaks for the form, decided in one pure function from heights measured once in the browser.
 *
 * Why not leave it to the browser's print engine: it cannot repeat a merged 一级/二级 label with
 * （续） on the next page, cannot number pages inside the document (so a browser's print of the .html
 * would differ from the PDF), and splits tall rows. Here every page is explicit: its rows, whether it
 * carries the title block (lead) and the review/signature block, and its merged cells.
 *
 * All heights are CSS px as laid out at print width. A page's table height is computed the way the
 * table lays out: a merged cell is at least as tall as its label needs, so a group of short rows under
 * a long label grows to fit that label.
 */

/** Height a merged label needs in its column, as printed (`plain`) and with the （续） mark (`cont`). */
export interface LabelHeight {
  plain: number;
  cont: number;
}

export interface RowMeasure {
  /** The row's own height, its merged 一级/二级 cells left empty. */
  height: number;
  level1: string;
  level2: string;
}

export interface FormMeasure {
  /** Usable height of one page: from the top of the sheet to just above its footer. */
  pageHeight: number;
  /** Title, year line and the label rows (名称/职责/目标): what precedes the indicator header on page 1. */
  leadHeight: number;
  /**
   * The lead's parts, when measured: the title and year line, and each label row. Only a lead taller
   * than a page is paginated by them (its over-tall rows having been cut into pieces, render/split.ts).
   */
  lead?: { title: number; rows: number[] };
  /** The indicator header row (一级指标 | 二级指标 | …). */
  headerHeight: number;
  /** The review rows (业务股室审核/绩效股室审核) and the signature line, kept together. */
  reviewHeight: number;
  rows: RowMeasure[];
  /** The 绩效指标 cell in the first column, spanning the header and the page's rows. */
  section: LabelHeight;
  level1: Record<string, LabelHeight>;
  level2: Record<string, LabelHeight>;
}

/** One printed page: indicator rows [start, end), and whether it carries the lead and the review block. */
export interface PageSlice {
  start: number;
  end: number;
  lead: boolean;
  review: boolean;
  /**
   * Of a lead taller than a page: the label rows [leadStart, leadEnd) this page carries (the title and
   * year line only with row 0). Absent: the whole lead, when `lead`.
   */
  leadStart?: number;
  leadEnd?: number;
}

/** A run of rows on one page sharing a merged cell. `continued`: the run began on an earlier page. */
export interface Segment {
  start: number;
  end: number;
  label: string;
  continued: boolean;
}

export const CONTINUED = '（续）';

/** The label a merged cell prints: continued groups repeat their label with （续）. */
export const segmentLabel = (s: Pick<Segment, 'label' | 'continued'>): string =>
  s.continued ? s.label + CONTINUED : s.label;

type KeyedRow = Pick<RowMeasure, 'level1' | 'level2'>;

const level2Key = (r: KeyedRow): string => `${r.level1}\u0000${r.level2}`;

function runs(
  rows: readonly KeyedRow[],
  start: number,
  end: number,
  key: (r: KeyedRow) => string,
  label: (r: KeyedRow) => string,
): Segment[] {
  const out: Segment[] = [];
  for (let i = start; i < end;) {
    let j = i + 1;
    while (j < end && key(rows[j]!) === key(rows[i]!)) j++;
    out.push({ start: i, end: j, label: label(rows[i]!), continued: i > 0 && key(rows[i - 1]!) === key(rows[i]!) });
    i = j;
  }
  return out;
}

/**
 * The merged 一级 and 二级 cells of rows [start, end) on one page: runs of equal labels, cut at the page
 * edge (a run that began on an earlier page is `continued`). 二级 runs never cross a 一级 run.
 */
export function pageSegments(
  rows: readonly KeyedRow[],
  start: number,
  end: number,
): { level1: Segment[]; level2: Segment[] } {
  return {
    level1: runs(
      rows,
      start,
      end,
      (r) => r.level1,
      (r) => r.level1,
    ),
    level2: runs(rows, start, end, level2Key, (r) => r.level2),
  };
}

const labelHeight = (table: Record<string, LabelHeight>, s: Segment): number => {
  const h = table[s.label];
  return h ? (s.continued ? h.cont : h.plain) : 0;
};

/** Height of the indicator rows [start, end) on one page, merged cells included. */
export function bodyHeight(m: FormMeasure, start: number, end: number): number {
  const { level1, level2 } = pageSegments(m.rows, start, end);
  let total = 0;
  for (const s1 of level1) {
    let inner = 0;
    for (const s2 of level2) {
      if (s2.start < s1.start || s2.end > s1.end) continue;
      let rows = 0;
      for (let i = s2.start; i < s2.end; i++) rows += m.rows[i]!.height;
      inner += Math.max(labelHeight(m.level2, s2), rows);
    }
    total += Math.max(labelHeight(m.level1, s1), inner);
  }
  return total;
}

/** Height of everything on a page. */
export function sliceHeight(m: FormMeasure, p: PageSlice): number {
  let h = p.lead ? leadPartHeight(m, p) : 0;
  if (p.end > p.start) {
    const table = m.headerHeight + bodyHeight(m, p.start, p.end);
    h += Math.max(p.start > 0 ? m.section.cont : m.section.plain, table);
  }
  if (p.review) h += m.reviewHeight;
  return h;
}

/** Height of the lead a page carries: all of it, or the label rows of a paginated lead. */
function leadPartHeight(m: FormMeasure, p: PageSlice): number {
  if (p.leadStart === undefined || !m.lead) return m.leadHeight;
  let h = p.leadStart === 0 ? m.lead.title : 0;
  for (let i = p.leadStart; i < (p.leadEnd ?? m.lead.rows.length); i++) h += m.lead.rows[i]!;
  return h;
}

/** Whether the lead alone is taller than a page (then its label rows are paginated one by one). */
export const leadTooTall = (m: FormMeasure, slack = DEFAULT_SLACK): boolean => m.leadHeight > m.pageHeight - slack;

/**
 * Indicator rows that cannot fit even on a page of their own (header and merged labels included): the
 * rows render/split.ts cuts into pieces.
 */
export function tallRows(m: FormMeasure, slack = DEFAULT_SLACK): number[] {
  const budget = m.pageHeight - slack;
  const alone = (i: number): PageSlice => ({ start: i, end: i + 1, lead: false, review: false });
  return m.rows.flatMap((_, i) => (sliceHeight(m, alone(i)) > budget ? [i] : []));
}

/** px kept free on every page against rounding, unless told otherwise. */
export const DEFAULT_SLACK = 2;

export interface PaginateOptions {
  /** px kept free on every page against rounding (default 2). */
  slack?: number;
}

/**
 * Splits the form into pages. Rules, in order:
 * - page 1 starts with the lead (title, year, label rows); every page with indicator rows repeats the header;
 * - a row is never split: a page takes rows while they fit (a row taller than a whole page gets a page
 *   of its own and is the only thing allowed to overflow; render/split.ts has cut any such row into
 *   pieces, each a row that fits a page, before the form is paginated);
 * - a lead taller than a page (measured with its parts, `lead`) fills pages label row by label row,
 *   the title on the first only, and its last page goes on with the indicator rows;
 * - if not even one row fits under the lead, page 1 holds the lead alone;
 * - the review/signature block stays whole on the last page, with at least one indicator row before it
 *   when the form has rows: if it does not fit, the last row moves to a new page with it.
 */
export function paginate(m: FormMeasure, opts: PaginateOptions = {}): PageSlice[] {
  const budget = m.pageHeight - (opts.slack ?? DEFAULT_SLACK);
  const fits = (p: PageSlice): boolean => sliceHeight(m, p) <= budget;
  const n = m.rows.length;
  const pages: PageSlice[] = [];
  // A lead taller than a page: its label rows fill pages one after the other, and the last of them
  // carries on as the lead of the first page of indicator rows.
  let leadPart: Pick<PageSlice, 'leadStart' | 'leadEnd'> = {};
  if (m.lead && leadTooTall(m, opts.slack ?? DEFAULT_SLACK)) {
    const count = m.lead.rows.length;
    let from = 0;
    for (;;) {
      let to = from;
      const part = (end: number): PageSlice => ({
        start: 0,
        end: 0,
        lead: true,
        review: false,
        leadStart: from,
        leadEnd: end,
      });
      while (to < count && fits(part(to + 1))) to++;
      if (to === from) to = from + 1;
      if (to >= count) {
        leadPart = { leadStart: from, leadEnd: count };
        break;
      }
      pages.push(part(to));
      from = to;
    }
  }
  if (n === 0) {
    const last = { start: 0, end: 0, lead: true, review: false, ...leadPart };
    if (pages.length === 0 || fits({ ...last, review: true })) return [...pages, { ...last, review: true }];
    return [...pages, last, { start: 0, end: 0, lead: false, review: true }];
  }

  let start = 0;
  let lead = true;
  while (start < n) {
    let end = start;
    const part = lead ? leadPart : {};
    while (end < n && fits({ start, end: end + 1, lead, review: false, ...part })) end++;
    if (end === start) {
      if (lead) {
        pages.push({ start, end: start, lead: true, review: false, ...part });
        lead = false;
        continue;
      }
      end = start + 1;
    }
    pages.push({ start, end, lead, review: false, ...part });
    start = end;
    lead = false;
  }

  const last = pages[pages.length - 1]!;
  if (fits({ ...last, review: true })) last.review = true;
  // Move the last row over with the block, unless that would leave its page empty (then the row is
  // too tall to share any page, and the block goes alone).
  else if (last.end - last.start >= 2 || (last.lead && last.end - last.start === 1)) {
    last.end -= 1;
    pages.push({ start: last.end, end: n, lead: false, review: true });
  } else pages.push({ start: n, end: n, lead: false, review: true });
  return pages;
}
