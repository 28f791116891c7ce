/**
 * An indicator row's cells → the indicator: 一级/二级 continuing the run above, the target split into
 * type/value/unit, the note gathering what has no field, and (once the rows below may have continued its
 * sentence) the scoring rule recognised with the 分值 column's points. Pure.
 */
import type { Indicator } from '../model/types.generated.ts';
import { importDiag, type ImportDiagnostic, type SourceRef } from './grid.ts';
import type { ContinuedField, IndicatorCells } from './indicator-row.ts';
import { recognizeScoring } from './scoring-recognize.ts';
import { resolveTarget } from './target-value.ts';

export interface IndicatorDraft {
  /** The indicator; its `scoring` is set by `finishDraft`. */
  ind: Indicator;
  /** The 评（扣）分标准 sentence as read so far. */
  sentence: string;
  /** The 分值 column's points, where the table has one. */
  points?: { value: number; ref: SourceRef };
  /** The value as the table shows it, when it is a decimal (`1.50` for the number 1.5). */
  valueWritten?: string;
  /** Where the scoring sentence is (or would be): findings about the points are reported there. */
  ref: SourceRef;
  pointsKnown: boolean;
  /** The cell each field was read from. */
  refs: Partial<Record<keyof Indicator, SourceRef>>;
  noteParts: string[];
  /** The report of an empty sentence, withdrawn when a continuation row supplies one. */
  missingScoring?: ImportDiagnostic;
  /** Fields reported missing (IMPORT_MISSING): a check of their empty value would say it again. */
  missing: Array<'level1' | 'level2' | 'name' | 'scoring'>;
}

export interface Levels {
  level1: string;
  level2: string;
  /** A section row just set these: a gap below it is reported even though no row above had one. */
  fresh?: boolean;
}

const POINTS_RE = /^(\d+(?:\.\d+)?)\s*分?$/;

/** `产出指标（续）` → `产出指标`: the label of a run continued from the page before. */
const withoutContinued = (label: string): string => label.replace(/\s*[（(]续[）)]$/, '');

/** The draft of one indicator row; diagnostics about its cells are pushed in row order. */
export function draftIndicator(
  ic: IndicatorCells,
  prev: Levels,
  first: boolean,
  diagnostics: ImportDiagnostic[],
  unplace: (text: string, at: SourceRef) => void,
): IndicatorDraft {
  const c = ic.cells;
  // A run printed across a page break repeats its label marked （续） (jxmb's own workbook and PDF do).
  let level1 = withoutContinued(ic.level1);
  let level2 = withoutContinued(ic.level2);
  const levelChanged = level1 !== '' && level1 !== prev.level1;
  if (!level1) level1 = prev.level1;
  if (!level2 && !levelChanged) level2 = prev.level2;
  const missing: IndicatorDraft['missing'] = [];
  // Reported where the gap starts, not again on every row of the run that inherits it.
  if (!level1 && (first || prev.level1)) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', ic.levelRefs[0], { what: '一级指标' }));
  }
  if (!level1) missing.push('level1');
  if (level1 && !level2 && (first || prev.level2 || levelChanged || prev.fresh)) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', ic.levelRefs[1], { what: '二级指标' }));
  }
  if (level1 && !level2) missing.push('level2');
  if (!c.name) {
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', ic.levelRefs[2], { what: '三级指标' }));
    missing.push('name');
  }

  const target = resolveTarget({
    typeText: c.type?.text ?? '',
    valueText: c.value?.text.trim() ?? '',
    ...(c.value?.num !== undefined ? { valueNum: c.value.num } : {}),
    unitText: c.unit?.text.trim() ?? '',
    level1,
    level2,
  });
  for (const f of target.findings) {
    diagnostics.push(importDiag(f.code, f.severity, f.at === 'type' ? ic.refs.type : ic.refs.value, f.args));
  }

  const extras = ic.extras.map((x) => ({ text: x.text.trim(), ref: x.ref }));
  let points: IndicatorDraft['points'];
  if (c.points) {
    const m = POINTS_RE.exec(c.points.text.trim());
    const value = c.points.num ?? (m ? Number(m[1]) : undefined);
    if (value !== undefined) points = { value, ref: c.points.ref };
    else extras.push({ text: c.points.text.trim(), ref: c.points.ref });
  }
  extras.forEach((x) => unplace(x.text, x.ref));
  const noteParts = [c.note?.text.trim() ?? '', ...ic.unknown, ...extras.map((x) => x.text), target.note ?? ''].filter(
    Boolean,
  );

  const sentence = c.scoring?.text.trim() ?? '';
  let missingScoring: ImportDiagnostic | undefined;
  if (!sentence && ic.hasScoring) {
    missingScoring = importDiag('IMPORT_MISSING', 'error', ic.refs.scoring, { what: '评（扣）分标准' });
    diagnostics.push(missingScoring);
    missing.push('scoring');
  }
  const ind = {
    level1,
    level2,
    name: c.name?.text.trim() ?? '',
    type: target.type,
    value: target.value,
    ...(target.unit ? { unit: target.unit } : {}),
    explanation: c.explanation?.text.trim() ?? '',
    scoring: { kind: 'text', points: 0, text: '' },
  } as Indicator;
  // Every field's cell, empty ones included: a finding about an empty value then names the value's cell,
  // not the indicator's name.
  const refs: IndicatorDraft['refs'] = {
    type: ic.refs.type,
    name: ic.levelRefs[2],
    value: ic.refs.value,
    unit: ic.refs.unit,
    explanation: ic.refs.explanation,
    scoring: ic.refs.scoring,
    note: ic.refs.note,
  };
  return {
    ind,
    sentence,
    ...(points ? { points } : {}),
    ...(target.written !== undefined ? { valueWritten: target.written } : {}),
    ref: ic.refs.scoring,
    pointsKnown: false,
    refs,
    noteParts,
    ...(missingScoring ? { missingScoring } : {}),
    missing,
  };
}

const FIELD_TITLES: Record<ContinuedField, string> = {
  explanation: '指标解释',
  scoring: '评（扣）分标准',
  note: '备注',
};

/**
 * Text in the 指标解释/评（扣）分标准/备注 column of an otherwise empty row: the cell above went on (a
 * merged cell, or one a page break split). Appended to that field as it is (no separator: the break
 * fell inside the text), and reported so a person can check.
 */
export function continueDraft(
  d: IndicatorDraft,
  field: ContinuedField,
  text: string,
  at: SourceRef,
  diagnostics: ImportDiagnostic[],
): void {
  if (field === 'explanation') {
    if (!d.ind.explanation) d.refs.explanation = at;
    d.ind.explanation += text;
  } else if (field === 'scoring') {
    if (!d.sentence) d.refs.scoring = d.ref = at;
    d.sentence += text;
    if (d.missingScoring) {
      diagnostics.splice(diagnostics.indexOf(d.missingScoring), 1);
      delete d.missingScoring;
      d.missing = d.missing.filter((f) => f !== 'scoring');
    }
  } else d.noteParts.push(text);
  diagnostics.push(importDiag('IMPORT_CONTINUATION', 'warning', at, { field: FIELD_TITLES[field], name: d.ind.name }));
}

/** The scoring rule, the note, and the points (the 分值 column's, which win over a sentence's own). */
export function finishDraft(d: IndicatorDraft, diagnostics: ImportDiagnostic[]): void {
  const note = d.noteParts.join('；');
  if (note) d.ind.note = note;
  if (!d.sentence) {
    d.ind.scoring = { kind: 'text', points: d.points?.value ?? 0, text: '' };
    d.pointsKnown = d.points !== undefined;
    return;
  }
  const { name, value, unit } = d.ind;
  const r = recognizeScoring(d.sentence, { name, value, ...(unit ? { unit } : {}) }, d.points?.value);
  d.ind.scoring = r.scoring;
  d.pointsKnown = r.pointsKnown;
  if (r.statedPoints !== undefined && d.points) {
    diagnostics.push(
      importDiag('IMPORT_POINTS_CONFLICT', 'warning', d.points.ref, {
        column: d.points.value,
        sentence: r.statedPoints,
      }),
    );
  }
}
