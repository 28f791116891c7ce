/**
 * A change as a line of a report: its label, the old and new text as the form prints them
 * (`≥1000人次 → ≥800人次`, `5分 → 4分`), the word-level edit script for prose, and its flags.
 * Shared by the text and Markdown formats so both say the same thing. Pure.
 */
import type { Lang } from '../check/messages.ts';
import type { IndicatorRow } from '../model/form-model.ts';
import { formatNumber } from '../model/scoring.ts';
import type { Change, ChangeFlag, DepartmentDiff } from './changes.ts';
import { targetText } from './compare.ts';
import { changeLabel, words } from './labels.ts';
import { trimContext, type WordOp } from './word-diff.ts';

export interface PresentedChange {
  change: Change;
  /** `产出指标/数量指标/新增规模工业企业`, or '' for department-level changes. */
  indicator: string;
  label: string;
  from: string;
  to: string;
  /** For prose: the edit script with long unchanged stretches shortened. */
  words?: WordOp[];
  flags: ChangeFlag[];
}

const str = (v: string | number | null, none: string): string =>
  v === null ? none : typeof v === 'number' ? formatNumber(v) : v;

function rowOf(d: DepartmentDiff, side: 'from' | 'to', row: number | undefined): IndicatorRow | undefined {
  const s = side === 'from' ? d.from : d.to;
  return row === undefined || !s ? undefined : s.model.rows[row - 1];
}

export function presentChange(c: Change, d: DepartmentDiff, lang: Lang, context = 16): PresentedChange {
  const w = words(lang);
  const ind = c.indicator;
  const x = rowOf(d, 'from', ind?.row.from);
  const y = rowOf(d, 'to', ind?.row.to);
  let from = str(c.from, w.none);
  let to = str(c.to, w.none);
  switch (c.kind) {
    case 'indicator-added':
      if (y) to = `${targetText(y)}${w.comma}${w.points(formatNumber(y.points))}`;
      from = '';
      break;
    case 'indicator-removed':
      if (x) from = `${targetText(x)}${w.comma}${w.points(formatNumber(x.points))}`;
      to = '';
      break;
    case 'value':
      if (x && y) [from, to] = [targetText(x), targetText(y)];
      break;
    case 'points':
      [from, to] = [w.points(from), w.points(to)];
      break;
    case 'moved':
      if (c.field === 'order') [from, to] = [w.row(Number(c.from)), w.row(Number(c.to))];
      break;
    case 'duty':
    case 'goal':
      if (c.from === null) from = '';
      if (c.to === null) to = '';
      break;
    case 'group-removed':
      to = '';
      break;
    case 'group-added':
      from = '';
      break;
    default:
      break;
  }
  return {
    change: c,
    indicator: ind ? `${ind.level1}/${ind.level2}/${ind.name}` : '',
    label: changeLabel(c, lang),
    from,
    to,
    ...(c.words ? { words: trimContext(c.words, context) } : {}),
    flags: c.flags,
  };
}

/** Flags as short marks for a human: `⚠ 目标降低`. */
export function flagText(flags: readonly ChangeFlag[], lang: Lang): string {
  const w = words(lang);
  return flags.map((f) => `${f === 'strengthened' ? '▲' : '⚠'} ${w.flag[f]}`).join(' ');
}

/** A department's header line: what was compared with what. */
export function sidesText(d: DepartmentDiff, lang: Lang): string {
  const w = words(lang);
  if (d.status === 'added' && d.baseline && d.from && d.to)
    return lang === 'en' ? `${d.to.file} (${w.baseline(d.from.file)})` : `${d.to.file}（${w.baseline(d.from.file)}）`;
  const colon = lang === 'en' ? ': ' : '：';
  if (d.status === 'added' && d.to)
    return d.to.file + colon + w.newTable(d.to.model.rows.length, formatNumber(d.to.model.pointsSum));
  if (d.status === 'removed' && d.from)
    return d.from.file + colon + w.goneTable(d.from.model.rows.length, formatNumber(d.from.model.pointsSum));
  return `${d.from?.file ?? ''} → ${d.to?.file ?? ''}`;
}

/** `2025 → 2026`, or one year for a table only on one side. */
export function yearsText(d: DepartmentDiff): string {
  const a = d.from?.model.fiscalYear;
  const b = d.to?.model.fiscalYear;
  if (a !== undefined && b !== undefined) return a === b ? String(a) : `${a} → ${b}`;
  return String(a ?? b ?? '');
}
