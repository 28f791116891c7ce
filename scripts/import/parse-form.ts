/**
 * Grid → DepartmentTargets. Reads the form the way a person does, by what the cells say rather than
 * where they are: the title, the year line, the labelled rows (labels.ts), the indicator header found by
 * its words (header.ts), one row per indicator read by the header's columns or anchored on its 指标类型
 * cell where an export shifted it (indicator-row.ts), the target however it is written (target-value.ts),
 * rows that continue the one above, section rows naming a 一级/二级 run, 合计 rows, the review rows and the
 * signature line (signoff.ts); the 说明 block below is the blank template's, not data (lines that differ
 * from the template's are kept like any other unplaced content). The words are data (synonyms.ts).
 * Every cell is either placed in the data or reported where it stands and kept (in the indicator's
 * note, or as a comment in the YAML). Pure.
 */
import type { DepartmentTargets } from '../model/types.generated.ts';
import { privateUse } from './gb-pua.ts';
import { type Cell, describeRef, type Grid, importDiag, type ImportDiagnostic, refAt, type SourceRef } from './grid.ts';
import { type Header, headerAt } from './header.ts';
import { continueDraft, draftIndicator, finishDraft, type IndicatorDraft, type Levels } from './indicator-draft.ts';
import { readRow } from './indicator-row.ts';
import { labelRow } from './labels.ts';
import { splitDuties, splitGoals } from './list-items.ts';
import { hasSignoffLabel, SIGNOFF_START_RE, signoffReader } from './signoff.ts';
import { isTitle } from './split-forms.ts';
import { type ExtraSynonyms, normKey, synonyms } from './synonyms.ts';
import { typeWord } from './target-value.ts';
import { TEMPLATE_NOTES } from './template-notes.ts';

export { isoDate } from './signoff.ts';
export { hasTitle } from './split-forms.ts';
export { splitDuties, splitGoals } from './list-items.ts';

export interface ParseOptions {
  /** The bureau's points total, to infer one indicator's points the sentence does not state. */
  pointsTotal: number;
  /**
   * A bureau's own wordings of columns and labels, added to the built-in ones (scripts/import/synonyms.ts):
   * the settings' `import.synonyms`, e.g. `{ name: ['考核内容'], points: ['标准分'] }`.
   */
  synonyms?: ExtraSynonyms;
}

/** Content that has no place in the format, kept with where it was. */
export interface Unplaced {
  ref: SourceRef;
  /** `Sheet1!K12` or `12:3`. */
  where: string;
  text: string;
}

export interface ParsedForm {
  /** The year of the `（2025）年度` line, when there is one. */
  titleYear?: number;
  /** The data; `fiscal_year` and `department.code` are filled in by the caller (0 and '' here). */
  data: DepartmentTargets;
  /** Unplaced content outside the indicator rows (inside them it goes to the indicator's note). */
  unplaced: Unplaced[];
  /** Where each placed value came from: data path (as in `positions.ts`) → source cell. */
  sources: Array<{ path: Array<string | number>; ref: SourceRef }>;
  /** Decimal values as the table shows them (`/indicators/3/value` → `1.50`), for the YAML to keep. */
  numberTexts?: Map<string, string>;
  /**
   * Data paths of values reported missing (IMPORT_MISSING) and left empty: a check of the written YAML
   * finding them empty says the same again, and is left out of the report.
   */
  missing?: Array<Array<string | number>>;
  diagnostics: ImportDiagnostic[];
}

/** Canonical text for comparing labels: no whitespace, full-width brackets and colons. */
export const norm = (s: string): string =>
  s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）').replace(/:/g, '：');

const YEAR_RE = /[（(]\s*(\d{4})\s*[）)]\s*年度|(\d{4})\s*年度/;
/** In a title only: `2025年部门整体支出绩效目标表` (a year without 度, not a date). */
const TITLE_YEAR_RE = /(\d{4})\s*年(?!\s*\d{1,2}\s*月)/;
const NOTES_RE = /^(?:填表)?说明[：]?/;

/** A 说明 line compared without spacing, bullets or numbering, which templates vary. */
const noteKey = (s: string): string => norm(s).replace(/^(?:[-•·]|\d+[.、．]|[（(]\d+[）)])+/, '');
const KNOWN_NOTES = new Set(TEMPLATE_NOTES.map(noteKey));

type Found = { text: string; ref: SourceRef };

/** Reads a 部门（单位）整体绩效目标表 from a grid. */
export function parseForm(grid: Grid, opts: ParseOptions): ParsedForm {
  const syn = synonyms(opts.synonyms);
  const diagnostics: ImportDiagnostic[] = [];
  const unplaced: Unplaced[] = [];
  const where = (ref: SourceRef): string => describeRef(ref, grid.text);
  const unplace = (text: string, at: SourceRef, keptIn: string): void => {
    diagnostics.push(importDiag('IMPORT_UNPLACED', 'warning', at, { text: clip(text), keptIn }));
  };
  const keepAside = (c: Cell, text = c.text.trim()): void => {
    unplace(text, c.ref, 'comment');
    unplaced.push({ ref: c.ref, where: where(c.ref), text });
  };

  let titleYear: number | undefined;
  const labels: Partial<Record<'department_name' | 'duties' | 'goals', Found>> = {};
  /** The rows a 职责/目标 label holds: its own, then those under it where the label's cell is merged or empty. */
  const listParts: Partial<Record<'duties' | 'goals', Found[]>> = {};
  /** The last label row, while rows below may continue it: its label's and its content's columns. */
  let openList:
    { field: 'duties' | 'goals'; labelCol: number; contentCol: number; missing?: ImportDiagnostic } | undefined;
  /**
   * A row under a 职责/目标 label whose label cell is empty (merged down, or left blank) and whose text
   * stands in the label's content column: one more part of that label (one duty or goal per row).
   */
  const continueList = (cells: Cell[]): boolean => {
    const l = openList;
    const first = cells[0]!;
    if (!l || first.col !== l.contentCol || cells.some((c) => typeWord(c.text))) return false;
    const part = { text: first.text.trim(), ref: first.ref };
    const parts = (listParts[l.field] ??= []);
    if (!parts.length) {
      // The label's first row was empty: its content is here, and not missing after all.
      if (l.missing) diagnostics.splice(diagnostics.indexOf(l.missing), 1);
      delete l.missing;
      labels[l.field] = part;
    }
    parts.push(part);
    cells.slice(1).forEach((c) => keepAside(c));
    return true;
  };
  /** The 填报单位 line's name, and the text kept if it does not become the department's name. */
  let filer: (Found & { cell: Cell; kept: string }) | undefined;
  let header: Header | undefined;
  let headerRows = 0;
  const warnedColumns = new Set<string>();
  const drafts: IndicatorDraft[] = [];
  const totals: Array<{ cells: Cell[]; number?: Cell; word: string }> = [];
  const signoff = signoffReader(diagnostics, keepAside);
  let phase: 'before' | 'head' | 'table' | 'footer' | 'notes' = 'before';
  let prev: Levels = { level1: '', level2: '' };
  /** A section row, until an indicator continues its 一级/二级 (else its cells are kept aside). */
  let section: { cells: Cell[]; level1?: string; level2?: string } | undefined;
  const closeSection = (): void => {
    section?.cells.forEach((c) => keepAside(c));
    section = undefined;
  };

  const takeYear = (s: string, title = false): boolean => {
    const m = YEAR_RE.exec(s) ?? (title ? TITLE_YEAR_RE.exec(s) : null);
    if (!m) return false;
    titleYear ??= Number(m[1] ?? m[2]);
    return true;
  };
  const useHeader = (h: Header): void => {
    header = h;
    for (const [col, cell] of h.unknown) {
      const key = `${col}:${normKey(cell.text)}`;
      if (warnedColumns.has(key)) continue;
      warnedColumns.add(key);
      diagnostics.push(importDiag('IMPORT_UNKNOWN_COLUMN', 'warning', cell.ref, { header: clip(cell.text.trim()) }));
    }
  };
  /** A label row above the table; false when the row is none. */
  const takeLabel = (cells: Cell[], row: Cell[]): boolean => {
    const lr = labelRow(cells, syn);
    if (!lr) return false;
    const { labelCell, content } = lr;
    if (lr.field === 'filer') {
      const inline = content?.ref === labelCell.ref;
      const own = inline && lr.tail ? labelCell.text.trim().slice(0, -lr.tail.length).trim() : labelCell.text.trim();
      if (!filer && content?.text)
        filer = {
          ...content,
          cell: inline ? labelCell : cells[1]!,
          kept: inline ? own : `${own}${/[：:]$/.test(own) ? '' : ' '}${content.text}`,
        };
      else {
        keepAside(labelCell, own);
        if (content && !inline) keepAside(cells[1]!);
      }
      const tail = lr.tail ? { ...labelCell, text: lr.tail } : undefined;
      const more = tail ? [tail, ...lr.rest] : lr.rest;
      if (more.some((c) => hasSignoffLabel(c.text))) signoff.row(more);
      else more.forEach((c) => keepAside(c));
      return true;
    }
    lr.rest.forEach((c) => keepAside(c));
    if (labels[lr.field]) {
      keepAside(
        labelCell,
        `${labelCell.text.trim()} ${content && content.ref !== labelCell.ref ? content.text : ''}`.trim(),
      );
      return true;
    }
    // A label with nothing beside it is reported at the empty cell beside it, and then counts as present.
    const beside = refAt(row, labelCell.col + 1, labelCell);
    const missing = content
      ? undefined
      : importDiag('IMPORT_MISSING', 'error', beside, { what: labelCell.text.trim() });
    if (missing) diagnostics.push(missing);
    labels[lr.field] = content ?? { text: '', ref: beside };
    openList = undefined;
    if (lr.field === 'duties' || lr.field === 'goals') {
      listParts[lr.field] = content ? [content] : [];
      const contentCol = content && content.ref !== labelCell.ref ? cells[1]!.col : labelCell.col + 1;
      openList = { field: lr.field, labelCol: labelCell.col, contentCol, ...(missing ? { missing } : {}) };
    }
    return true;
  };

  const nonEmpty = grid.rows.map((row) => row.filter((c) => c.text.trim() !== ''));
  // A private-use character the decoding could not map (gb-pua.ts) shows differently on each computer.
  for (const c of nonEmpty.flat()) {
    const pua = privateUse(c.text);
    if (pua) {
      const codePoint = `U+${pua.codePoint.toString(16).toUpperCase()}`;
      diagnostics.push(importDiag('IMPORT_PRIVATE_USE', 'warning', c.ref, { text: clip(c.text.trim()), codePoint }));
    }
  }
  for (let r = 0; r < grid.rows.length; r++) {
    const row = grid.rows[r]!;
    const cells = nonEmpty[r]!;
    if (!cells.length) continue;
    if (headerRows > 0) {
      // The second row of a two-row header: headings, placed by the header.
      headerRows--;
      continue;
    }
    const first = norm(cells[0]!.text);

    if (phase === 'notes') {
      cells.filter((c) => !KNOWN_NOTES.has(noteKey(c.text))).forEach((c) => keepAside(c));
      continue;
    }
    if (phase === 'before') {
      const t = cells.findIndex((c) => isTitle(c.text));
      if (t < 0) {
        // A 填报单位 line may stand above the title too; anything else there is kept aside.
        if (labelRow(cells, syn)?.field !== 'filer' || !takeLabel(cells, row)) cells.forEach((c) => keepAside(c));
        continue;
      }
      phase = 'head';
      takeYear(cells[t]!.text, true);
      cells.forEach((c, i) => i !== t && !takeYear(c.text) && keepAside(c));
      continue;
    }
    if ((phase === 'table' || phase === 'footer') && NOTES_RE.test(first)) {
      closeSection();
      phase = 'notes';
      cells.filter((c) => !KNOWN_NOTES.has(noteKey(c.text))).forEach((c) => keepAside(c));
      continue;
    }
    const h =
      phase === 'footer'
        ? undefined
        : headerAt(
            cells,
            nonEmpty.slice(r + 1, r + 3).find((c) => c.length),
            syn,
          );
    if (h) {
      // The header (found before any label: its words decide), or the same header repeated (a table
      // continued on another page): headings, not data.
      useHeader(h.header);
      headerRows = h.rows - 1;
      phase = 'table';
      continue;
    }
    if (phase === 'head' && continueList(cells)) continue;
    if (phase === 'head' && takeLabel(cells, row)) continue;
    openList = undefined;
    if (cells.some((c) => SIGNOFF_START_RE.test(norm(c.text)))) {
      closeSection();
      phase = 'footer';
      signoff.row(cells);
      continue;
    }
    if (phase === 'footer') {
      cells.forEach((c) => keepAside(c));
      continue;
    }
    if (phase === 'head') {
      const yearCell =
        titleYear === undefined ? cells.find((c) => /^[（(]?\s*\d{4}\s*[）)]?\s*年度$/.test(c.text.trim())) : undefined;
      if (yearCell) {
        takeYear(yearCell.text);
        cells.forEach((c) => c !== yearCell && keepAside(c));
        continue;
      }
      if (!cells.some((c) => typeWord(c.text))) {
        cells.forEach((c) => keepAside(c));
        continue;
      }
      // An indicator row without a header row above it: read it by its type cell alone.
      phase = 'table';
      diagnostics.push(importDiag('IMPORT_NO_HEADER', 'warning', cells[0]!.ref));
    }
    // phase === 'table'
    if (!cells.some((c) => typeWord(c.text)) && cells.some((c) => syn.isTotal(c.text))) {
      // A 合计 row: its word and number are the total (compared below, IMPORT_TOTAL_MISMATCH when they
      // differ), kept as a comment without a warning of their own; anything else in the row is reported.
      const t = totalRow(cells, header, syn);
      totals.push(t);
      for (const c of cells) {
        if (c === t.number || syn.isTotal(c.text))
          unplaced.push({ ref: c.ref, where: where(c.ref), text: c.text.trim() });
        else keepAside(c);
      }
      continue;
    }
    const read = readRow(row, cells, header, syn);
    if (read.kind === 'continuation' && drafts.length) {
      const d = drafts.at(-1)!;
      for (const p of read.parts) continueDraft(d, p.field, p.text, p.cell.ref, diagnostics);
      continue;
    }
    if (read.kind === 'levels') {
      // A section row (`产出指标` above its indicators): the run its rows continue.
      closeSection();
      const l1 = read.level1?.text.trim();
      const l2 = read.level2?.text.trim();
      prev = { level1: l1 ?? prev.level1, level2: l2 ?? (l1 ? '' : prev.level2), fresh: true };
      section = { cells, ...(l1 ? { level1: l1 } : {}), ...(l2 ? { level2: l2 } : {}) };
      continue;
    }
    if (read.kind !== 'indicator') {
      cells.forEach((c) => keepAside(c));
      continue;
    }
    const draft = draftIndicator(read.row, prev, drafts.length === 0, diagnostics, (text, at) =>
      unplace(text, at, '备注'),
    );
    const s = section;
    if (
      s &&
      ((s.level1 ?? draft.ind.level1) !== draft.ind.level1 || (s.level2 ?? draft.ind.level2) !== draft.ind.level2)
    )
      closeSection();
    section = undefined;
    prev = { level1: draft.ind.level1, level2: draft.ind.level2 };
    drafts.push(draft);
  }
  closeSection();

  if (phase === 'before') {
    return {
      data: emptyData(),
      unplaced,
      sources: [],
      diagnostics: [importDiag('IMPORT_NO_TITLE', 'error', undefined, {})],
    };
  }
  if (header && header.cols.scoring === undefined && drafts.length) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what: '评（扣）分标准' }));
  }
  let name = labels.department_name;
  if (filer) {
    if (!name) {
      name = { text: filer.text, ref: filer.ref };
      diagnostics.push(importDiag('IMPORT_NAME_FROM_FILER', 'warning', filer.ref, { name: filer.text }));
    } else if (normKey(filer.text) !== normKey(name.text)) keepAside(filer.cell, filer.kept);
  }
  const { duties, goals } = labels;
  const required: Array<[unknown, string]> = [
    [name, '部门（单位）名称'],
    [duties, '部门（单位）职责'],
    [goals, '年度总体目标'],
  ];
  for (const [v, what] of required)
    if (!v) diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what }));
  if (!drafts.length) diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what: '绩效指标' }));
  const { signoff: signoffData, refs: signoffRefs, missing: signoffMissing } = signoff.finish();
  for (const d of drafts) finishDraft(d, diagnostics);
  inferPoints(drafts, opts.pointsTotal, diagnostics);
  checkTotals(totals, drafts, diagnostics);

  // Each row's text split on its own numbering, its items kept with the row they came from.
  const items = (parts: Found[] | undefined, split: (t: string) => string[]): Found[] =>
    (parts ?? []).flatMap((p) => split(p.text).map((text) => ({ text, ref: p.ref })));
  const dutyItems = items(listParts.duties, splitDuties);
  const goalItems = items(listParts.goals, splitGoals);
  const dutyList = dutyItems.map((d) => d.text);
  const goalList = goalItems.map((g) => g.text);
  const data: DepartmentTargets = {
    fiscal_year: 0,
    department: { code: '', name: name?.text ?? '' },
    duties: dutyList,
    goals: goalList,
    indicators: drafts.map((d) => d.ind),
    signoff: signoffData,
  };
  const sources: ParsedForm['sources'] = [];
  if (name) sources.push({ path: ['department', 'name'], ref: name.ref });
  dutyItems.forEach((d, i) => sources.push({ path: ['duties', i], ref: d.ref }));
  goalItems.forEach((g, i) => sources.push({ path: ['goals', i], ref: g.ref }));
  drafts.forEach((d, i) => {
    sources.push({ path: ['indicators', i], ref: d.refs.name ?? d.ref });
    for (const [k, ref] of Object.entries(d.refs)) if (ref) sources.push({ path: ['indicators', i, k], ref });
  });
  for (const [k, ref] of Object.entries(signoffRefs)) sources.push({ path: ['signoff', k], ref });
  const missing: Array<Array<string | number>> = [
    ...(!name?.text ? [['department', 'name']] : []),
    ...(!dutyList.length ? [['duties']] : []),
    ...(!goalList.length ? [['goals']] : []),
    ...(!drafts.length ? [['indicators']] : []),
    ...drafts.flatMap((d, i) => d.missing.map((f) => ['indicators', i, f])),
    ...signoffMissing.map((f) => ['signoff', f]),
  ];
  const numberTexts = new Map(
    drafts.flatMap((d, i) => (d.valueWritten ? [[`/indicators/${i}/value`, d.valueWritten] as [string, string]] : [])),
  );
  return {
    ...(titleYear !== undefined ? { titleYear } : {}),
    data,
    unplaced,
    sources,
    ...(numberTexts.size ? { numberTexts } : {}),
    ...(missing.length ? { missing } : {}),
    diagnostics,
  };
}

function emptyData(): DepartmentTargets {
  return {
    fiscal_year: 0,
    department: { code: '', name: '' },
    duties: [],
    goals: [],
    indicators: [],
    signoff: { business_review: '', performance_review: '', preparer: '', phone: '', filed: '', head: '' },
  };
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const NUMBER_RE = /^(\d+(?:\.\d+)?)\s*分?$/;

/** A 合计 row: its word, and the cell of the points it states (the 分值 column's, else its last number). */
function totalRow(
  cells: Cell[],
  header: Header | undefined,
  syn: ReturnType<typeof synonyms>,
): { cells: Cell[]; number?: Cell; word: string } {
  const word = normKey(cells.find((c) => syn.isTotal(c.text))!.text);
  const pointsCol = header?.cols.points;
  const isNumber = (c: Cell): boolean => c.num !== undefined || NUMBER_RE.test(c.text.trim());
  const number =
    pointsCol !== undefined
      ? cells.find((c) => c.col === pointsCol && isNumber(c))
      : cells.filter((c) => !syn.isTotal(c.text) && isNumber(c)).at(-1);
  return { cells, ...(number ? { number } : {}), word };
}

/**
 * A 合计/总计 row states the points' sum: said when the indicators' points add up to something else (a
 * 小计 sums a part only and is not compared). The row itself is kept as a comment.
 */
function checkTotals(
  totals: Array<{ number?: Cell; word: string }>,
  drafts: IndicatorDraft[],
  diagnostics: ImportDiagnostic[],
): void {
  const sum = Number(drafts.reduce((a, d) => a + d.ind.scoring.points, 0).toFixed(6));
  for (const t of totals) {
    if (!t.number || t.word === '小计') continue;
    const stated = t.number.num ?? Number(NUMBER_RE.exec(t.number.text.trim())![1]);
    if (Number(stated.toFixed(6)) !== sum) {
      diagnostics.push(importDiag('IMPORT_TOTAL_MISMATCH', 'warning', t.number.ref, { stated, sum }));
    }
  }
}

/**
 * A sentence without its points (the pass-mark ratio) leaves them open: when exactly one indicator's
 * are open they are what the bureau's total leaves over; otherwise each is reported.
 */
function inferPoints(drafts: IndicatorDraft[], total: number, diagnostics: ImportDiagnostic[]): void {
  const open = drafts.filter((d) => !d.pointsKnown);
  if (!open.length) return;
  const known = Number(
    drafts
      .filter((d) => d.pointsKnown)
      .reduce((a, d) => a + d.ind.scoring.points, 0)
      .toFixed(6),
  );
  const rest = Number((total - known).toFixed(6));
  if (open.length === 1 && rest > 0 && open[0]!.ind.scoring.text !== '') {
    open[0]!.ind.scoring.points = rest;
    diagnostics.push(importDiag('IMPORT_POINTS_INFERRED', 'warning', open[0]!.ref, { points: rest, total }));
    return;
  }
  for (const d of open)
    if (d.ind.scoring.text !== '') diagnostics.push(importDiag('IMPORT_NO_POINTS', 'error', d.ref, {}));
}
