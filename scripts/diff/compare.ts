/**
 * Two validated tables of one department → the list of changes a reviewer reads. Compares the form
 * model (what is printed: `>=` and `≥` are the same, numbers are numbers) plus the structured scoring
 * rule from the data. Pure.
 */
import type { IndicatorRow } from '../model/form-model.ts';
import type { Scoring } from '../model/types.generated.ts';
import type { AlignedRow, Change, ChangeFlag, DepartmentDiff, DiffSide, IndicatorRef } from './changes.ts';
import { type IndicatorMatch, matchIndicators, sameValue } from './match.ts';
import { diffWords, lcsPairs, similarity } from './word-diff.ts';

const SIGNOFF_FIELDS = [
  ['businessReview', 'business_review'],
  ['performanceReview', 'performance_review'],
  ['preparer', 'preparer'],
  ['phone', 'phone'],
  ['filed', 'filed'],
  ['head', 'head'],
] as const;

/** How an indicator's target reads in one cell: `≥3家`, `效果明显（定性）`. */
export const targetText = (r: IndicatorRow): string =>
  r.quantitative ? `${r.type}${r.valueText}${r.unit}` : `${r.valueText}（定性）`;

const ref = (from: IndicatorRow | undefined, to: IndicatorRow | undefined): IndicatorRef => {
  const r = (to ?? from)!;
  return {
    level1: r.level1,
    level2: r.level2,
    name: r.name,
    ...(r.id ? { id: r.id } : {}),
    row: { ...(from ? { from: from.index + 1 } : {}), ...(to ? { to: to.index + 1 } : {}) },
  };
};

const orNull = (s: string): string | null => (s === '' ? null : s);

const UP = new Set(['≥', '>']);
const DOWN = new Set(['≤', '<']);

/**
 * Whether the new target is easier or harder to meet than the old one, when the two can be compared
 * (same direction of comparison, numbers, same unit).
 */
export function targetDirection(from: IndicatorRow, to: IndicatorRow): 'weaker' | 'stronger' | undefined {
  if (typeof from.value !== 'number' || typeof to.value !== 'number' || from.unit !== to.unit) return undefined;
  const up = UP.has(from.type) && UP.has(to.type);
  const down = DOWN.has(from.type) && DOWN.has(to.type);
  if (!up && !down) return undefined;
  const d = to.value - from.value;
  if (d !== 0) return (up ? d < 0 : d > 0) ? 'weaker' : 'stronger';
  const strict = (t: string): boolean => t === '>' || t === '<';
  if (strict(from.type) === strict(to.type)) return undefined;
  return strict(from.type) ? 'weaker' : 'stronger';
}

const dirFlag = (d: 'weaker' | 'stronger' | undefined): ChangeFlag[] =>
  d === 'weaker' ? ['weakened'] : d === 'stronger' ? ['strengthened'] : [];

/** The structured keys of a scoring rule that differ (points are compared on their own). */
export function scoringFieldChanges(a: Scoring, b: Scoring): string[] {
  const keys = ['kind', 'pass_rate', 'every_days', 'every_percent', 'deduct', 'grades', 'bands', 'text'] as const;
  return keys.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}

/**
 * Whether a rule of the same kind became more lenient: longer grace (`every_days`, `every_percent`),
 * smaller deductions, a lower or dropped pass mark. Mixed signals say nothing.
 */
export function scoringDirection(a: Scoring, b: Scoring): 'weaker' | 'stronger' | undefined {
  if (a.kind !== b.kind) return undefined;
  const votes: number[] = [];
  const cmp = (x: number | undefined, y: number | undefined, higherIsLenient: boolean): void => {
    if (x === undefined || y === undefined || x === y) return;
    votes.push(y > x === higherIsLenient ? -1 : 1);
  };
  cmp(a.every_days, b.every_days, true);
  cmp(a.every_percent, b.every_percent, true);
  cmp(a.deduct, b.deduct, false);
  if (a.kind === 'ratio') {
    if (a.pass_rate !== undefined && b.pass_rate === undefined) votes.push(-1);
    else if (a.pass_rate === undefined && b.pass_rate !== undefined) votes.push(1);
    else cmp(a.pass_rate, b.pass_rate, false);
  }
  if (!votes.length) return undefined;
  if (votes.every((v) => v < 0)) return 'weaker';
  if (votes.every((v) => v > 0)) return 'stronger';
  return undefined;
}

/** Changes of one matched indicator, in the order the form reads. */
function indicatorChanges(x: IndicatorRow, y: IndicatorRow, sx: Scoring, sy: Scoring, movedInOrder: boolean): Change[] {
  const out: Change[] = [];
  const indicator = ref(x, y);
  const add = (c: Omit<Change, 'indicator' | 'flags'> & { flags?: ChangeFlag[] }): void =>
    void out.push({ ...c, indicator, flags: c.flags ?? [] });
  if (x.name !== y.name) add({ kind: 'renamed', from: x.name, to: y.name, words: diffWords(x.name, y.name) });
  if (x.level1 !== y.level1 || x.level2 !== y.level2)
    add({ kind: 'moved', field: 'group', from: `${x.level1}/${x.level2}`, to: `${y.level1}/${y.level2}` });
  else if (movedInOrder) add({ kind: 'moved', field: 'order', from: x.index + 1, to: y.index + 1 });
  const direction = targetDirection(x, y);
  if (x.type !== y.type) {
    const flags: ChangeFlag[] =
      x.quantitative && !y.quantitative
        ? ['weakened']
        : !x.quantitative && y.quantitative
          ? ['strengthened']
          : sameValue(x, y)
            ? dirFlag(direction)
            : [];
    add({ kind: 'type', from: x.type, to: y.type, flags });
  }
  if (!sameValue(x, y)) {
    add({
      kind: 'value',
      from: x.value,
      to: y.value,
      flags: dirFlag(direction),
      ...(typeof x.value === 'string' && typeof y.value === 'string' ? { words: diffWords(x.value, y.value) } : {}),
    });
  }
  if (x.unit !== y.unit) add({ kind: 'unit', from: orNull(x.unit), to: orNull(y.unit) });
  if (x.explanation !== y.explanation)
    add({
      kind: 'explanation',
      from: x.explanation,
      to: y.explanation,
      words: diffWords(x.explanation, y.explanation),
    });
  const fields = scoringFieldChanges(sx, sy);
  if (fields.length) {
    add({
      kind: 'scoring',
      from: x.scoringText,
      to: y.scoringText,
      fields,
      flags: dirFlag(scoringDirection(sx, sy)),
      words: diffWords(x.scoringText, y.scoringText),
    });
  }
  if (x.points !== y.points)
    add({ kind: 'points', from: x.points, to: y.points, flags: y.points < x.points ? ['weakened'] : [] });
  if (x.note !== y.note)
    add({ kind: 'note', from: orNull(x.note), to: orNull(y.note), words: diffWords(x.note, y.note) });
  return out;
}

/**
 * The indicator table as a diff shows it: the new order, with each removed row placed next to the
 * matched row it followed (or preceded) in the old table, preferably within its own group.
 */
export function alignRows(a: readonly IndicatorRow[], b: readonly IndicatorRow[], m: IndicatorMatch): AlignedRow[] {
  const bOf = new Map(m.pairs.map((p) => [p.a, p.b]));
  const group = (r: IndicatorRow): string => `${r.level1}\u0000${r.level2}`;
  const placed = m.removed.map((i, k) => {
    const r = a[i]!;
    const near = (sameGroup: boolean): number | undefined => {
      for (let j = i - 1; j >= 0; j--)
        if (bOf.has(j) && (!sameGroup || group(a[j]!) === group(r))) return bOf.get(j)! + 0.5;
      for (let j = i + 1; j < a.length; j++)
        if (bOf.has(j) && (!sameGroup || group(a[j]!) === group(r))) return bOf.get(j)! - 0.5;
      return undefined;
    };
    return { row: { a: i }, pos: near(true) ?? near(false) ?? b.length, k };
  });
  const rows = [
    ...b.map((_, j) => {
      const p = m.pairs.find((q) => q.b === j);
      return { row: p ? { a: p.a, b: j } : { b: j }, pos: j, k: 0 };
    }),
    ...placed,
  ];
  rows.sort((x, y) => x.pos - y.pos || x.k - y.k);
  return rows.map((r) => r.row);
}

/** Duties or goals: unchanged items anchor the alignment; between anchors, items pair up in order. */
function itemChanges(kind: 'duty' | 'goal', a: readonly string[], b: readonly string[]): Change[] {
  const out: Change[] = [];
  const anchors = [...lcsPairs(a, b), [a.length, b.length] as [number, number]];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of anchors) {
    const olds = a.slice(i, ai).map((t, k) => ({ t, n: i + k + 1 }));
    const news = b.slice(j, bj).map((t, k) => ({ t, n: j + k + 1 }));
    while (olds.length || news.length) {
      const o = olds[0];
      const n = news[0];
      if (o && n && similarity(o.t, n.t) >= 0.3) {
        out.push({ kind, item: { from: o.n, to: n.n }, from: o.t, to: n.t, flags: [], words: diffWords(o.t, n.t) });
        olds.shift();
        news.shift();
      } else if (o && (!n || olds.length >= news.length)) {
        out.push({ kind, item: { from: o.n }, from: o.t, to: null, flags: [] });
        olds.shift();
      } else {
        out.push({ kind, item: { to: n!.n }, from: null, to: n!.t, flags: [] });
        news.shift();
      }
    }
    i = ai + 1;
    j = bj + 1;
  }
  return out;
}

/** 一级 and 一级/二级 groups present on one side only. */
function groupChanges(a: readonly IndicatorRow[], b: readonly IndicatorRow[]): Change[] {
  const out: Change[] = [];
  const l1 = (rows: readonly IndicatorRow[]): string[] => [...new Set(rows.map((r) => r.level1))];
  const l2 = (rows: readonly IndicatorRow[]): string[] => [...new Set(rows.map((r) => `${r.level1}/${r.level2}`))];
  const [a1, b1, a2, b2] = [l1(a), l1(b), l2(a), l2(b)];
  for (const g of a1)
    if (!b1.includes(g))
      out.push({ kind: 'group-removed', field: 'level1', from: g, to: null, flags: ['group-dropped'] });
  // A 二级 inside a dropped 一级 is already said by the 一级.
  for (const g of a2)
    if (!b2.includes(g) && b1.includes(g.split('/')[0]!))
      out.push({ kind: 'group-removed', field: 'level2', from: g, to: null, flags: ['group-dropped'] });
  for (const g of b1)
    if (!a1.includes(g)) out.push({ kind: 'group-added', field: 'level1', from: null, to: g, flags: [] });
  for (const g of b2)
    if (!a2.includes(g) && a1.includes(g.split('/')[0]!))
      out.push({ kind: 'group-added', field: 'level2', from: null, to: g, flags: [] });
  return out;
}

/** Matched pairs whose relative order changed: those outside the longest run kept in order. */
function movedInOrder(m: IndicatorMatch, a: readonly IndicatorRow[], b: readonly IndicatorRow[]): Set<number> {
  const sameGroup = m.pairs.filter((p) => a[p.a]!.level1 === b[p.b]!.level1 && a[p.a]!.level2 === b[p.b]!.level2);
  const seq = sameGroup.map((p) => p.a);
  const sorted = [...seq].sort((x, y) => x - y);
  const kept = new Set(lcsPairs(seq, sorted).map(([k]) => seq[k]!));
  return new Set(seq.filter((i) => !kept.has(i)));
}

export interface CompareOptions {
  /** The old side is an earlier year's table of a department whose new table is added. */
  baseline?: boolean;
}

/** Compares two tables of one department; either side may be missing (a department new or gone). */
export function compareDepartments(
  from: DiffSide | undefined,
  to: DiffSide | undefined,
  opts: CompareOptions = {},
): DepartmentDiff {
  const code = (to ?? from)!.model.code;
  const name = (to ?? from)!.model.name;
  if (!from || !to) {
    const only = (to ?? from)!;
    return {
      code,
      name,
      status: to ? 'added' : 'removed',
      ...(from ? { from } : { to: only }),
      changes: [],
      rows: only.model.rows.map((_, i) => (to ? { b: i } : { a: i })),
    };
  }
  const [ma, mb] = [from.model, to.model];
  const changes: Change[] = [];
  if (ma.code !== mb.code) changes.push({ kind: 'department', field: 'code', from: ma.code, to: mb.code, flags: [] });
  if (ma.name !== mb.name)
    changes.push({
      kind: 'department',
      field: 'name',
      from: ma.name,
      to: mb.name,
      flags: [],
      words: diffWords(ma.name, mb.name),
    });
  changes.push(...itemChanges('duty', ma.duties, mb.duties), ...itemChanges('goal', ma.goals, mb.goals));

  const match = matchIndicators(ma.rows, mb.rows);
  const rows = alignRows(ma.rows, mb.rows, match);
  const moved = movedInOrder(match, ma.rows, mb.rows);
  for (const r of rows) {
    const x = r.a !== undefined ? ma.rows[r.a]! : undefined;
    const y = r.b !== undefined ? mb.rows[r.b]! : undefined;
    if (x && y)
      changes.push(
        ...indicatorChanges(
          x,
          y,
          from.data.indicators[x.index]!.scoring,
          to.data.indicators[y.index]!.scoring,
          moved.has(x.index),
        ),
      );
    else if (y)
      changes.push({ kind: 'indicator-added', indicator: ref(undefined, y), from: null, to: targetText(y), flags: [] });
    else if (x)
      changes.push({
        kind: 'indicator-removed',
        indicator: ref(x, undefined),
        from: targetText(x),
        to: null,
        flags: [],
      });
  }

  for (const [key, field] of SIGNOFF_FIELDS) {
    if (ma.signoff[key] !== mb.signoff[key])
      changes.push({ kind: 'signoff', field, from: ma.signoff[key], to: mb.signoff[key], flags: [] });
  }
  if (ma.pointsSum !== mb.pointsSum)
    changes.push({ kind: 'points-total', from: ma.pointsSum, to: mb.pointsSum, flags: ['points-total-changed'] });
  changes.push(...groupChanges(ma.rows, mb.rows));

  const status = opts.baseline ? 'added' : changes.length ? 'changed' : 'unchanged';
  return { code, name, status, from, to, ...(opts.baseline ? { baseline: true } : {}), changes, match, rows };
}
