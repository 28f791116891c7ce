/**
 * Grid → DepartmentTargets. Reads the form the way a person does, by what the cells say rather than
 * where they are: the title, the year line, the labelled rows, the indicator header, one row per
 * indicator anchored on its 指标类型 cell (exports drop merged 一级/二级 cells and shift the rest left),
 * the review rows and the signature line; the 说明 block below is the blank template's, not data (lines
 * that differ from the template's are kept like any other unplaced content).
 * Every cell is either placed in the data or reported where it stands and kept (in the indicator's
 * note, or as a comment in the YAML). Pure.
 */
import { LEVELS } from '../model/form-model.ts';
import { isPlainDecimal } from '../model/scoring.ts';
import type { DepartmentTargets, Indicator, Scoring, Signoff } from '../model/types.generated.ts';
import { type Cell, describeRef, type Grid, importDiag, type ImportDiagnostic, refAt, type SourceRef } from './grid.ts';
import { recognizeScoring } from './scoring-recognize.ts';
import { TEMPLATE_NOTES } from './template-notes.ts';
import { SIGNOFF_TITLES } from '../model/titles.ts';

export interface ParseOptions {
  /** The bureau's points total, to infer one indicator's points the sentence does not state. */
  pointsTotal: number;
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
  diagnostics: ImportDiagnostic[];
}

type Field =
  'label' | 'level1' | 'level2' | 'name' | 'type' | 'value' | 'unit' | 'explanation' | 'scoring' | 'note' | 'points';
type Header = Partial<Record<Field, number>>;

/** Canonical text for comparing labels: no whitespace, full-width brackets and colons. */
export const norm = (s: string): string =>
  s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）').replace(/:/g, '：');

/** 部门（单位）整体绩效目标表 and its local variants (整体支出绩效目标申报表…), not a project's 项目支出绩效目标表. */
const TITLE_RE = /整体.{0,4}绩效目标.{0,4}表/;
const YEAR_RE = /[（(]\s*(\d{4})\s*[）)]\s*年度|(\d{4})\s*年度/;
const NAME_RE = /^(?:部门（单位）|部门|单位)名称/;
const DUTIES_RE = /^(?:部门（单位）|部门|单位)?职责/;
const GOALS_RE = /^(?:年度)?总体目标|^年度目标/;
const NOTES_RE = /^(?:填表)?说明[：]?/;
const SIGNOFF_LABELS = [
  '业务股室审核',
  '绩效股室审核',
  '填表人',
  '联系电话',
  '填报日期',
  '单位负责人签字',
  '单位负责人',
] as const;
const SIGNOFF_RE = new RegExp(`(${SIGNOFF_LABELS.join('|')})\\s*[：:]?`, 'g');
const SIGNOFF_START_RE = new RegExp(`^(?:${SIGNOFF_LABELS.join('|')})`);
const SIGNOFF_FIELD: Record<(typeof SIGNOFF_LABELS)[number], keyof Signoff> = {
  业务股室审核: 'business_review',
  绩效股室审核: 'performance_review',
  填表人: 'preparer',
  联系电话: 'phone',
  填报日期: 'filed',
  单位负责人签字: 'head',
  单位负责人: 'head',
};
const DATE_FIELDS = new Set<keyof Signoff>(['business_review', 'performance_review', 'filed']);

const HEADER_FIELDS: Array<[Field, RegExp]> = [
  ['label', /^绩效指标$/],
  ['level1', /^一级指标$/],
  ['level2', /^二级指标$/],
  ['name', /^三级指标$/],
  ['type', /^指标类型$/],
  ['value', /^(?:指标值|目标值)$/],
  ['unit', /^(?:计量)?单位$/],
  ['explanation', /^指标解释$/],
  ['scoring', /^评.*分.*(?:标准|方法)$/],
  ['note', /^备注$/],
  ['points', /^(?:分值|权重|指标分值)$/],
];

/** The form's comparison symbols as people type them → the form's own. */
const TYPE_ALIASES: Record<string, Indicator['type']> = {
  '≥': '≥',
  '>=': '≥',
  '＞=': '≥',
  '>＝': '≥',
  '＞＝': '≥',
  '≧': '≥',
  '≤': '≤',
  '<=': '≤',
  '＜=': '≤',
  '<＝': '≤',
  '＜＝': '≤',
  '≦': '≤',
  '>': '>',
  '＞': '>',
  '<': '<',
  '＜': '<',
  '=': '=',
  '＝': '=',
  定性: '定性',
};
const typeOf = (s: string): Indicator['type'] | undefined => TYPE_ALIASES[s.replace(/\s+/g, '')];

const LEVEL1_NAMES = new Set<string>(Object.keys(LEVELS));

/** A 说明 line compared without spacing, bullets or numbering, which templates vary. */
const noteKey = (s: string): string => norm(s).replace(/^(?:[-•·]|\d+[.、．]|[（(]\d+[）)])+/, '');
const KNOWN_NOTES = new Set(TEMPLATE_NOTES.map(noteKey));

/** Whether a grid holds a 绩效目标表 (its title). */
export const hasTitle = (grid: Grid): boolean => grid.rows.some((r) => r.some((c) => TITLE_RE.test(c.text)));

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** `2025.12.8`, `2025-12-08`, `2025/12/8`, `2025年12月8日` → `2025-12-08`; anything else unchanged. */
export function isoDate(s: string): string {
  const m = /^(\d{4})\s*[.\-/年．]\s*(\d{1,2})\s*[.\-/月．]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  if (!m) return s.trim();
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/**
 * Splits `1、a2、b` into [a, b] following the numbering 1, 2, 3… in order (so a `1、` inside an item
 * does not restart it). A marker is preferred where a sentence ends before it; text not starting with
 * `1、` is one item. Item text that itself holds the next number (`…；3、4号线…。3、…`) is ambiguous in
 * the printed form; the preference settles the usual cases.
 */
export function splitNumbered(text: string, marker: (k: number) => string): string[] {
  const first = marker(1);
  const t = text.trim();
  if (!t.startsWith(first)) return t ? [t] : [];
  const starts: Array<[number, number]> = [[0, first.length]];
  let from = first.length;
  for (let k = 2; ; k++) {
    const mk = marker(k);
    const found: number[] = [];
    for (let at = t.indexOf(mk, from); at >= 0; at = t.indexOf(mk, at + 1)) {
      // `12、` is not `2、`; `目标2：` preceded by a letter of a longer word still counts.
      if (/\d/.test(t[at - 1] ?? '') && /^\d/.test(mk)) continue;
      found.push(at);
    }
    if (!found.length) break;
    // Where several `k、` occur, an item most likely starts after a full stop, else after a clause or a
    // space, else at the first one.
    const strength = (at: number): number =>
      /[。！!？?]/.test(t[at - 1] ?? '') ? 2 : /[；;\s）)”"]/.test(t[at - 1] ?? '') ? 1 : 0;
    const at = found.reduce((best, x) => (strength(x) > strength(best) ? x : best), found[0]!);
    starts.push([at, at + mk.length]);
    from = at + mk.length;
  }
  // Items keep every character between the markers (spaces included), so they print back as the cell did.
  return starts.map(([, body], i) => t.slice(body, i + 1 < starts.length ? starts[i + 1]![0] : undefined));
}

export const splitDuties = (text: string): string[] => splitNumbered(text, (k) => `${k}、`);
export const splitGoals = (text: string): string[] =>
  splitNumbered(text.replace(/^目标1:/, '目标1：'), (k) => `目标${k}：`);

interface IndicatorDraft {
  ind: Indicator;
  /** The value as the table shows it, when it is a decimal (`1.50` for the number 1.5). */
  valueWritten?: string;
  ref: SourceRef;
  pointsKnown: boolean;
  /** The cell each field was read from. */
  refs: Partial<Record<keyof Indicator, SourceRef>>;
}

/** Reads a 部门（单位）整体绩效目标表 from a grid. */
export function parseForm(grid: Grid, opts: ParseOptions): ParsedForm {
  const diagnostics: ImportDiagnostic[] = [];
  const unplaced: Unplaced[] = [];
  const where = (ref: SourceRef): string => describeRef(ref, grid.text);
  const unplace = (c: Cell, keptIn: string, text = c.text.trim()): void => {
    diagnostics.push(importDiag('IMPORT_UNPLACED', 'warning', c.ref, { text: clip(text), keptIn }));
  };
  const keepAside = (c: Cell, text = c.text.trim()): void => {
    unplace(c, 'comment', text);
    unplaced.push({ ref: c.ref, where: where(c.ref), text });
  };

  let titleYear: number | undefined;
  let name: { text: string; ref: SourceRef } | undefined;
  let duties: { text: string; ref: SourceRef } | undefined;
  let goals: { text: string; ref: SourceRef } | undefined;
  let header: Header | undefined;
  const drafts: IndicatorDraft[] = [];
  const signoff: Partial<Record<keyof Signoff, string>> = {};
  const signoffRefs: Partial<Record<keyof Signoff, SourceRef>> = {};
  let phase: 'before' | 'head' | 'table' | 'footer' | 'notes' = 'before';
  let pendingLabel: { field: keyof Signoff; cell: Cell } | undefined;
  let prev: { level1: string; level2: string } = { level1: '', level2: '' };

  const takeYear = (s: string): boolean => {
    const m = YEAR_RE.exec(s);
    if (!m) return false;
    titleYear ??= Number(m[1] ?? m[2]);
    return true;
  };

  const signoffRow = (cells: Cell[]): void => {
    for (const c of cells) {
      const t = c.text;
      const marks = [...t.matchAll(SIGNOFF_RE)];
      if (!marks.length) {
        if (pendingLabel) {
          assignSignoff(pendingLabel.field, t.trim(), c, c.date);
          pendingLabel = undefined;
        } else keepAside(c);
        continue;
      }
      const before = t.slice(0, marks[0]!.index).trim();
      if (before) keepAside(c, before);
      marks.forEach((m, i) => {
        const value = t.slice(m.index + m[0].length, i + 1 < marks.length ? marks[i + 1]!.index : undefined).trim();
        const field = SIGNOFF_FIELD[m[1] as (typeof SIGNOFF_LABELS)[number]];
        if (value) assignSignoff(field, value, c, undefined);
        else pendingLabel = { field, cell: c };
      });
    }
    if (pendingLabel) {
      diagnostics.push(
        importDiag('IMPORT_MISSING', 'error', pendingLabel.cell.ref, { what: SIGNOFF_TITLES[pendingLabel.field] }),
      );
      signoff[pendingLabel.field] ??= '';
      pendingLabel = undefined;
    }
  };
  const assignSignoff = (field: keyof Signoff, value: string, c: Cell, date: string | undefined): void => {
    if (signoff[field] !== undefined) return keepAside(c, value);
    signoff[field] = DATE_FIELDS.has(field) ? (date ?? isoDate(value)) : value;
    signoffRefs[field] = c.ref;
  };

  for (const row of grid.rows) {
    const cells = row.filter((c) => c.text.trim() !== '');
    if (!cells.length) continue;
    const first = norm(cells[0]!.text);

    if (phase === 'notes') {
      cells.filter((c) => !KNOWN_NOTES.has(noteKey(c.text))).forEach((c) => keepAside(c));
      continue;
    }
    if (phase === 'before') {
      const t = cells.findIndex((c) => TITLE_RE.test(c.text));
      if (t < 0) {
        cells.forEach((c) => keepAside(c));
        continue;
      }
      phase = 'head';
      takeYear(cells[t]!.text);
      cells.forEach((c, i) => i !== t && !takeYear(c.text) && keepAside(c));
      continue;
    }
    if ((phase === 'table' || phase === 'footer') && NOTES_RE.test(first)) {
      phase = 'notes';
      cells.filter((c) => !KNOWN_NOTES.has(noteKey(c.text))).forEach((c) => keepAside(c));
      continue;
    }
    if (cells.some((c) => SIGNOFF_START_RE.test(norm(c.text)))) {
      phase = 'footer';
      signoffRow(cells);
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
      const label = NAME_RE.test(first)
        ? 'name'
        : DUTIES_RE.test(first)
          ? 'duties'
          : GOALS_RE.test(first)
            ? 'goals'
            : undefined;
      if (label) {
        const labelCell = cells[0]!;
        // The content may share the label's cell (`部门（单位）名称：…`) or follow it.
        const kw = /名称|职责|总体目标|年度目标/.exec(labelCell.text)!;
        const inline = labelCell.text
          .slice(kw.index + kw[0].length)
          .replace(/^\s*[：:]/, '')
          .trim();
        const content = inline
          ? { text: inline, ref: labelCell.ref }
          : cells[1]
            ? { text: cells[1].text.trim(), ref: cells[1].ref }
            : undefined;
        cells.slice(inline ? 1 : 2).forEach((c) => keepAside(c));
        const slot = label === 'name' ? name : label === 'duties' ? duties : goals;
        if (slot) {
          keepAside(labelCell, `${labelCell.text.trim()} ${content?.text ?? ''}`.trim());
          continue;
        }
        // A label with nothing beside it is reported at the empty cell beside it, and then counts as present.
        const beside = refAt(row, labelCell.col + 1, labelCell);
        if (!content) diagnostics.push(importDiag('IMPORT_MISSING', 'error', beside, { what: labelCell.text.trim() }));
        const found = content ?? { text: '', ref: beside };
        if (label === 'name') name = found;
        else if (label === 'duties') duties = found;
        else goals = found;
        continue;
      }
      const h = headerOf(cells);
      if (h) {
        header = h;
        phase = 'table';
        continue;
      }
      if (!cells.some((c) => typeOf(c.text))) {
        cells.forEach((c) => keepAside(c));
        continue;
      }
      // An indicator row without a header row above it: read it by its type cell alone.
      phase = 'table';
      diagnostics.push(importDiag('IMPORT_NO_HEADER', 'warning', cells[0]!.ref));
    }
    // phase === 'table'
    const parsed = indicatorRow(row, cells, header, prev, drafts.length === 0, diagnostics, unplace);
    if (!parsed) {
      cells.forEach((c) => keepAside(c));
      continue;
    }
    prev = { level1: parsed.ind.level1, level2: parsed.ind.level2 };
    drafts.push(parsed);
  }

  if (phase === 'before') {
    return {
      data: emptyData(),
      unplaced,
      sources: [],
      diagnostics: [importDiag('IMPORT_NO_TITLE', 'error', undefined, {})],
    };
  }
  const required: Array<[unknown, string]> = [
    [name, '部门（单位）名称'],
    [duties, '部门（单位）职责'],
    [goals, '年度总体目标'],
  ];
  for (const [v, what] of required)
    if (!v) diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what }));
  if (!drafts.length) diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what: '绩效指标' }));
  for (const f of Object.keys(SIGNOFF_TITLES) as Array<keyof Signoff>) {
    if (signoff[f] === undefined) {
      diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what: SIGNOFF_TITLES[f] }));
      signoff[f] = '';
    }
  }
  inferPoints(drafts, opts.pointsTotal, diagnostics);

  const dutyList = duties ? splitDuties(duties.text) : [];
  const goalList = goals ? splitGoals(goals.text) : [];
  const data: DepartmentTargets = {
    fiscal_year: 0,
    department: { code: '', name: name?.text ?? '' },
    duties: dutyList,
    goals: goalList,
    indicators: drafts.map((d) => d.ind),
    signoff: signoff as Signoff,
  };
  const sources: ParsedForm['sources'] = [];
  if (name) sources.push({ path: ['department', 'name'], ref: name.ref });
  if (duties) dutyList.forEach((_, i) => sources.push({ path: ['duties', i], ref: duties.ref }));
  if (goals) goalList.forEach((_, i) => sources.push({ path: ['goals', i], ref: goals.ref }));
  drafts.forEach((d, i) => {
    sources.push({ path: ['indicators', i], ref: d.refs.name ?? d.ref });
    for (const [k, ref] of Object.entries(d.refs)) if (ref) sources.push({ path: ['indicators', i, k], ref });
  });
  for (const [k, ref] of Object.entries(signoffRefs)) sources.push({ path: ['signoff', k], ref });
  const numberTexts = new Map(
    drafts.flatMap((d, i) => (d.valueWritten ? [[`/indicators/${i}/value`, d.valueWritten] as [string, string]] : [])),
  );
  return {
    ...(titleYear !== undefined ? { titleYear } : {}),
    data,
    unplaced,
    sources,
    ...(numberTexts.size ? { numberTexts } : {}),
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

function headerOf(cells: Cell[]): Header | undefined {
  const h: Header = {};
  for (const c of cells) {
    const t = norm(c.text);
    const f = HEADER_FIELDS.find(([, re]) => re.test(t));
    if (f && h[f[0]] === undefined) h[f[0]] = c.col;
  }
  return h.level1 !== undefined && (h.name !== undefined || h.type !== undefined) ? h : undefined;
}

/**
 * One indicator row. The 指标类型 cell anchors it: the cells after it keep their order (值, 单位, 解释,
 * 评分, 备注); before it, an export leaves only the 一级/二级 cells that start a merged run, shifted
 * left, so those are read by count and by name, and missing ones continue the run above.
 */
function indicatorRow(
  row: Cell[],
  cells: Cell[],
  header: Header | undefined,
  prev: { level1: string; level2: string },
  first: boolean,
  diagnostics: ImportDiagnostic[],
  unplace: (c: Cell, keptIn: string, text?: string) => void,
): IndicatorDraft | undefined {
  const at = (col: number | undefined): Cell | undefined =>
    col === undefined ? undefined : row.find((c) => c.col === col);
  let typeCell = cells.find((c) => typeOf(c.text));
  if (!typeCell && header?.type !== undefined) typeCell = at(header.type);
  if (!typeCell || !typeCell.text.trim()) return undefined;
  const used = new Set<Cell>([typeCell]);
  const aligned = header?.type !== undefined && typeCell.col === header.type;
  const shift = header?.type !== undefined ? typeCell.col - header.type : 0;
  /**
   * The column of a field right of the type cell: the header's, moved as far as this row's type cell is;
   * none when the header has no such column (not the template's offset, which is another field's then).
   */
  const colOf = (f: Field, fallback: number): number | undefined =>
    header?.type === undefined ? typeCell.col + fallback : header[f] !== undefined ? header[f] + shift : undefined;
  const right = (f: Field, fallback: number): Cell | undefined => {
    const col = colOf(f, fallback);
    const c = col !== undefined && col > typeCell.col ? at(col) : undefined;
    if (c) used.add(c);
    return c;
  };
  // Where an empty field is (a cell the row may not even store), so that it is reported there.
  const place = (col: number | undefined): SourceRef =>
    col === undefined ? typeCell.ref : refAt(row, Math.max(1, col), typeCell);
  const valueCell = right('value', 1);
  const unitCell = right('unit', 2);
  const explanationCell = right('explanation', 3);
  const scoringCell = right('scoring', 4);
  const noteCell = right('note', 5);
  const pointsCell = header?.points !== undefined ? right('points', 99) : undefined;

  let level1 = '';
  let level2 = '';
  let nameCell: Cell | undefined;
  /** Where the 一级, 二级 and 三级 cells are, or would be. */
  let levelRefs: [SourceRef, SourceRef, SourceRef];
  const isLabel = (c: Cell): boolean => norm(c.text) === '绩效指标';
  if (aligned && header) {
    const l1 = at(header.level1);
    const l2 = at(header.level2);
    nameCell = at(header.name);
    for (const c of [l1, l2, nameCell]) if (c) used.add(c);
    level1 = l1?.text.trim() ?? '';
    level2 = l2?.text.trim() ?? '';
    if (!nameCell?.text.trim()) nameCell = undefined;
    const nameCol = header.name ?? typeCell.col - 1;
    levelRefs = [place(header.level1), place(header.level2 ?? nameCol - 1), place(nameCol)];
  } else {
    const left = cells.filter((c) => c.col < typeCell.col && !isLabel(c));
    nameCell = left.pop();
    if (nameCell) used.add(nameCell);
    const levels = left.splice(Math.max(0, left.length - 2));
    levels.forEach((c) => used.add(c));
    if (levels.length === 2) [level1, level2] = [levels[0]!.text.trim(), levels[1]!.text.trim()];
    else if (levels.length === 1) {
      const t = levels[0]!.text.trim();
      if (LEVEL1_NAMES.has(t)) level1 = t;
      else level2 = t;
    }
    // A drifted row: the name is left of the type cell, the levels left of the name.
    const nameCol = nameCell?.col ?? typeCell.col - 1;
    const level1Col = levels.length === 2 ? levels[0]!.col : nameCol - 2;
    levelRefs = [place(level1Col), place(levels.at(-1)?.col ?? nameCol - 1), place(nameCol)];
  }
  const levelChanged = level1 !== '' && level1 !== prev.level1;
  if (!level1) level1 = prev.level1;
  if (!level2 && !levelChanged) level2 = prev.level2;
  // Reported where the gap starts, not again on every row of the run that inherits it.
  if (!level1 && (first || prev.level1)) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', levelRefs[0], { what: '一级指标' }));
  }
  if (level1 && !level2 && (first || prev.level2 || levelChanged)) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', levelRefs[1], { what: '二级指标' }));
  }
  if (!nameCell) diagnostics.push(importDiag('IMPORT_MISSING', 'error', levelRefs[2], { what: '三级指标' }));

  const rawType = typeCell.text.trim();
  const type = typeOf(rawType) ?? (rawType as Indicator['type']);
  const quantitative = type !== '定性' && typeOf(rawType) !== undefined;
  const valueText = valueCell?.text.trim() ?? '';
  const value: number | string = quantitative
    ? valueCell?.num !== undefined
      ? valueCell.num
      : NUMBER_RE.test(valueText)
        ? Number(valueText)
        : valueText
    : valueText;
  const unit = unitCell?.text.trim() ?? '';
  const name = nameCell?.text.trim() ?? '';
  const sentence = scoringCell?.text.trim() ?? '';

  const extras = cells.filter((c) => !used.has(c) && !isLabel(c));
  extras.forEach((c) => unplace(c, '备注'));
  const note = [noteCell?.text.trim() ?? '', ...extras.map((c) => c.text.trim())].filter(Boolean).join('；');

  let scoring: Scoring;
  let pointsKnown = true;
  const scoringRef = scoringCell?.ref ?? place(colOf('scoring', 4));
  if (!sentence) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', scoringRef, { what: '评（扣）分标准' }));
    scoring = { kind: 'text', points: 0, text: '' };
    pointsKnown = false;
  } else {
    const r = recognizeScoring(sentence, { name, value, ...(unit ? { unit } : {}) });
    scoring = r.scoring;
    pointsKnown = r.pointsKnown;
  }
  const pointsFromColumn = pointsCell
    ? (pointsCell.num ?? (NUMBER_RE.test(pointsCell.text.trim()) ? Number(pointsCell.text.trim()) : undefined))
    : undefined;
  if (!pointsKnown && pointsFromColumn !== undefined) {
    scoring = { ...scoring, points: pointsFromColumn };
    pointsKnown = true;
  }

  const ind = {
    level1,
    level2,
    name,
    type,
    value,
    ...(unit ? { unit } : {}),
    explanation: explanationCell?.text.trim() ?? '',
    scoring,
    ...(note ? { note } : {}),
  } as Indicator;
  // Every field's cell, empty ones included: a finding about an empty value then names the value's cell,
  // not the indicator's name.
  const refs: IndicatorDraft['refs'] = {
    type: typeCell.ref,
    name: levelRefs[2],
    value: valueCell?.ref ?? place(colOf('value', 1)),
    unit: unitCell?.ref ?? place(colOf('unit', 2)),
    explanation: explanationCell?.ref ?? place(colOf('explanation', 3)),
    scoring: scoringRef,
    note: noteCell?.ref ?? place(colOf('note', 5)),
  };
  const valueWritten = typeof value === 'number' && isPlainDecimal(valueText, value) ? valueText : undefined;
  return { ind, ref: scoringRef, pointsKnown, refs, ...(valueWritten ? { valueWritten } : {}) };
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
