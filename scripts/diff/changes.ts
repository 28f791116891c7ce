/**
 * What `jxmb diff` reports: a closed set of change kinds and flags, the unit every formatter reads
 * (text, md, html, json). Kinds and flags are stable identifiers (`--format json` consumers and the
 * golden files rely on them); their words live in `labels.ts`.
 */
import type { FormModel } from '../model/form-model.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import type { IndicatorMatch } from './match.ts';
import type { WordOp } from './word-diff.ts';

export const CHANGE_KINDS = [
  // the department's own fields
  'department', // field: code | name
  'duty',
  'goal',
  'signoff', // field: business_review | performance_review | preparer | phone | filed | head
  // indicators
  'indicator-added',
  'indicator-removed',
  'renamed',
  'moved', // field: group | order
  'type',
  'value',
  'unit',
  'explanation',
  'scoring',
  'points',
  'note',
  // the table as a whole
  'points-total',
  'group-added', // field: level1 | level2
  'group-removed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * What a reviewer must not miss. `weakened`: a ≥/> target lowered, a ≤/< target raised, a strict
 * comparison loosened, 定量 turned 定性, points taken from the indicator, or a more lenient scoring rule.
 */
export const CHANGE_FLAGS = ['weakened', 'strengthened', 'points-total-changed', 'group-dropped'] as const;
export type ChangeFlag = (typeof CHANGE_FLAGS)[number];

/** An indicator as the reader finds it on the form: its three levels and its row (1-based) on each side. */
export interface IndicatorRef {
  level1: string;
  level2: string;
  name: string;
  id?: string;
  row: { from?: number; to?: number };
}

export interface Change {
  kind: ChangeKind;
  /** Which field of a kind that has several (`signoff` → `preparer`, `moved` → `group`). */
  field?: string;
  /** The indicator concerned: the new side's identity, or the old one's when it was removed. */
  indicator?: IndicatorRef;
  /** Duty/goal number (1-based) on each side. */
  item?: { from?: number; to?: number };
  from: string | number | null;
  to: string | number | null;
  /** Scoring: the structured keys that changed (`kind`, `pass_rate`, `grades`, `text`, …). */
  fields?: string[];
  flags: ChangeFlag[];
  /** Word-level edit script for text fields (not in the JSON output: from/to carry the texts). */
  words?: WordOp[];
}

/** One side of a comparison: a validated department table. */
export interface DiffSide {
  /** As shown to the reader: `data/2025/x.yaml`, `origin/main:data/2025/x.yaml`. */
  file: string;
  data: DepartmentTargets;
  model: FormModel;
}

export type DepartmentStatus = 'changed' | 'unchanged' | 'added' | 'removed';

/** Display order of the indicator table in a diff: every new row, with removed old rows where they stood. */
export interface AlignedRow {
  a?: number;
  b?: number;
}

export interface DepartmentDiff {
  code: string;
  name: string;
  status: DepartmentStatus;
  from?: DiffSide;
  to?: DiffSide;
  /** `added` with a `from`: a new year's table compared with the department's latest earlier table. */
  baseline?: boolean;
  changes: Change[];
  match?: IndicatorMatch;
  rows: AlignedRow[];
}

export interface DiffReport {
  /** What was compared, for headings: `2025`, `origin/main`, a file name. */
  fromLabel: string;
  toLabel: string;
  departments: DepartmentDiff[];
}

export interface ChangeCounts {
  added: number;
  removed: number;
  renamed: number;
  moved: number;
  /** Indicators (matched on both sides) with at least one changed field. */
  modified: number;
  /** Department-level changes: name, duties, goals, signoff. */
  department: number;
  weakened: number;
  strengthened: number;
  total: number;
}

const INDICATOR_FIELD_KINDS: ReadonlySet<ChangeKind> = new Set([
  'type',
  'value',
  'unit',
  'explanation',
  'scoring',
  'points',
  'note',
]);

/** Counts for summary tables. */
export function countChanges(changes: readonly Change[]): ChangeCounts {
  const modified = new Set<string>();
  for (const c of changes)
    if (INDICATOR_FIELD_KINDS.has(c.kind) && c.indicator) modified.add(`${c.indicator.row.from}/${c.indicator.row.to}`);
  const n = (k: ChangeKind): number => changes.filter((c) => c.kind === k).length;
  return {
    added: n('indicator-added'),
    removed: n('indicator-removed'),
    renamed: n('renamed'),
    moved: n('moved'),
    modified: modified.size,
    department: changes.filter(
      (c) => c.kind === 'department' || c.kind === 'duty' || c.kind === 'goal' || c.kind === 'signoff',
    ).length,
    weakened: changes.filter((c) => c.flags.includes('weakened')).length,
    strengthened: changes.filter((c) => c.flags.includes('strengthened')).length,
    total: changes.length,
  };
}

/** Whether a report shows any difference at all (the exit code of `--exit-code`). */
export const hasDifferences = (r: DiffReport): boolean => r.departments.some((d) => d.status !== 'unchanged');
