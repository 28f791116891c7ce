/**
 * The year-end self-evaluation (SELF-EVAL.md): which result belongs to which indicator, and the score each
 * scoring rule gives an actual value. Pure: targets + results + settings → scores, each kept with the
 * formula and the numbers it used, so the form, the JSON and the terminal can all say why 8.5.
 */
import { formatNumber } from './scoring.ts';
import type { ResolvedSettings } from './settings.ts';
import type { DepartmentTargets, Indicator, IndicatorResult, SelfEvaluation } from './types.generated.ts';

/** A self-evaluation lives beside its targets file: `data/<year>/<code>.self-eval.yaml`. */
export const SELF_EVAL_SUFFIX = '.self-eval.yaml';

/** Whether a path names a self-evaluation (`…/<code>.self-eval.yaml` or `.yml`), not a targets file. */
export const isSelfEvalPath = (p: string): boolean => /\.self-eval\.ya?ml$/i.test(p);

/** The department code in a self-evaluation's file name (`zhijiang-swkjgxj.self-eval.yaml` → the code). */
export const selfEvalCodeOf = (p: string): string =>
  p
    .split(/[\\/]/)
    .pop()!
    .replace(/\.self-eval\.ya?ml$/i, '');

export const SELF_EVAL_SCHEMA_COMMENT = '# yaml-language-server: $schema=../../schema/self-evaluation.schema.json';

/** The settings scoring reads (settingsForYear has applied the year's overrides). */
export type ScoreSettings = Pick<ResolvedSettings, 'budget_points' | 'deductions' | 'grade_bands'>;

export type Grade = '优' | '良' | '中' | '差';

// ---- matching results to indicators ----

/** Names compared as a reader sees them: full-width/half-width forms and blanks do not make a new name. */
const sameName = (s: string): string => s.normalize('NFKC').replace(/[\s\u200b-\u200f\u2060\ufeff]/gu, '');

export interface ResultMatch {
  /** For each indicator of the targets file, in order: the index of its result, if any. */
  byIndicator: (number | undefined)[];
  /** For each result: the indicator it is for, if any. */
  byResult: (number | undefined)[];
  /** Results naming no indicator (by id, or by name). */
  unknown: number[];
  /** Results for an indicator that already has one: [result, indicator, the earlier result]. */
  duplicate: [number, number, number][];
}

/**
 * Matches by `id` where a result gives one, else by 三级指标 name; a name used twice is matched in order
 * (the first result named X is the first indicator named X still without a result).
 */
export function matchResults(
  indicators: readonly Pick<Indicator, 'name' | 'id'>[],
  results: readonly Pick<IndicatorResult, 'name' | 'id'>[],
): ResultMatch {
  const byIndicator: (number | undefined)[] = indicators.map(() => undefined);
  const byResult: (number | undefined)[] = [];
  const unknown: number[] = [];
  const duplicate: [number, number, number][] = [];
  results.forEach((r, ri) => {
    const candidates = indicators
      .map((ind, i) => [ind, i] as const)
      .filter(([ind]) => (r.id !== undefined ? ind.id === r.id : sameName(ind.name) === sameName(r.name)))
      .map(([, i]) => i);
    if (candidates.length === 0) {
      byResult.push(undefined);
      unknown.push(ri);
      return;
    }
    const free = candidates.find((i) => byIndicator[i] === undefined);
    if (free === undefined) {
      const last = candidates[candidates.length - 1]!;
      byResult.push(undefined);
      duplicate.push([ri, last, byIndicator[last]!]);
      return;
    }
    byIndicator[free] = ri;
    byResult.push(free);
  });
  return { byIndicator, byResult, unknown, duplicate };
}

// ---- one indicator ----

/** Why the rule could not turn the actual into points. */
export type ScoreProblem =
  | { kind: 'empty' }
  | { kind: 'not-number' }
  | { kind: 'not-date' }
  | { kind: 'unknown-grade'; labels: string[] }
  /** No formula applies (a text rule, a ratio on a 定性 value, a deadline text without a date): score by hand. */
  | { kind: 'needs-score'; why: 'text' | 'qualitative' | 'no-deadline' };

export interface Computed {
  /** The score, clamped to [0, points] and rounded to two decimals. */
  score: number;
  /** The rule as a formula in letters: `p × min(a / t, 1)`. */
  formula: string;
  /** The same with the numbers put in and the result: `2 × min(3 / 4, 1) = 1.5`. */
  working: string;
}

/** Rounded to two decimals, half up, as a person would (8.345 → 8.35, not 8.34 from 834.4999…). */
export const round2 = (x: number): number => Math.round(Number((x * 100).toPrecision(12))) / 100;

const clamp = (x: number, p: number): number => Math.min(Math.max(x, 0), p);
const n = formatNumber;

/** Steps of a deduction: proportional (2.5 steps) or whole (a started step counts: 3). */
const stepsOf = (x: number, settings: ScoreSettings): number =>
  settings.deductions === 'whole_steps' ? Math.ceil(Number(x.toPrecision(12))) : x;

/** A computed score: `working` is the arithmetic, `note` (before it) what it was computed from. */
const done = (raw: number, p: number, formula: string, working: string, note = ''): Computed => {
  const score = round2(clamp(raw, p));
  const clamped = raw < 0 ? '，扣完为止 → 0' : raw > p ? ` → ${n(p)}` : '';
  return { score, formula, working: `${note ? `${note}：` : ''}${working} = ${n(round2(raw))}${clamped}` };
};

/** Full points, the comparison saying why (`931 ≤ 934.41 → 20`). */
const full = (p: number, formula: string, working: string): Computed => ({ score: p, formula, working });

/** The deadline a target text names: `2026年12月31日前` → 2026-12-31; a month or a year alone → its last day. */
export function deadlineOf(text: string): string | undefined {
  const m =
    /(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?/.exec(text) ??
    /(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 12;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const d = m[3] ? Number(m[3]) : last;
  if (mo < 1 || mo > 12 || d < 1 || d > last) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Days from ISO date `a` to ISO date `b` (negative when b is earlier). */
const daysBetween = (a: string, b: string): number =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 864e5;

/** Whether a value is an ISO date naming a real day (`2027-01-20`). */
export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const dt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dt.getUTCMonth() === Number(m[2]) - 1 && dt.getUTCDate() === Number(m[3]);
}

const isEmpty = (a: unknown): boolean => a === null || a === undefined || (typeof a === 'string' && !a.trim());

/** The type as printed: `>=` → `≥`. */
const cmp = (t: string): string => (t === '>=' ? '≥' : t === '<=' ? '≤' : t);

/** The score the indicator's rule gives an actual value, or why it cannot give one. */
export function computeScore(
  ind: Pick<Indicator, 'type' | 'value' | 'scoring'>,
  actual: unknown,
  settings: ScoreSettings,
): Computed | { problem: ScoreProblem } {
  const s = ind.scoring;
  const p = s.points;
  const type = cmp(ind.type);
  if (s.kind === 'text') return { problem: { kind: 'needs-score', why: 'text' } };
  if (s.kind === 'deadline' && deadlineOf(String(ind.value)) === undefined)
    return { problem: { kind: 'needs-score', why: 'no-deadline' } };
  if ((s.kind === 'ratio' || s.kind === 'shortfall' || s.kind === 'overrun') && typeof ind.value !== 'number')
    return { problem: { kind: 'needs-score', why: 'qualitative' } };
  if (isEmpty(actual)) return { problem: { kind: 'empty' } };
  const t = typeof ind.value === 'number' ? ind.value : NaN;

  switch (s.kind) {
    case 'deadline': {
      if (!isIsoDate(actual)) return { problem: { kind: 'not-date' } };
      const deadline = deadlineOf(String(ind.value))!;
      const late = daysBetween(deadline, actual);
      if (late <= 0) return full(p, '按期完成 → p', `${actual} 不晚于 ${deadline} → ${n(p)}`);
      const every = s.every_days ?? 1;
      const deduct = s.deduct ?? 0;
      const steps = stepsOf(late / every, settings);
      const stepText =
        settings.deductions === 'whole_steps' ? `⌈${n(late)} / ${n(every)}⌉` : `${n(late)} / ${n(every)}`;
      return done(
        p - deduct * steps,
        p,
        settings.deductions === 'whole_steps'
          ? 'p − 扣分 × ⌈推迟天数 / 每推迟天数⌉'
          : 'p − 扣分 × 推迟天数 / 每推迟天数',
        `${n(p)} − ${n(deduct)} × ${stepText}`,
        `${actual} 比 ${deadline} 晚 ${n(late)} 天`,
      );
    }
    case 'grades': {
      const labels = (s.grades ?? []).map((g) => g.label);
      const g =
        typeof actual === 'string' ? (s.grades ?? []).find((x) => sameName(x.label) === sameName(actual)) : undefined;
      if (!g) return { problem: { kind: 'unknown-grade', labels } };
      return { score: round2(clamp(g.points, p)), formula: '所写档次的分值', working: `${g.label} → ${n(g.points)}` };
    }
    case 'direct': {
      if (typeof ind.value !== 'number') {
        const holds = typeof actual === 'string' && sameName(actual) === sameName(ind.value);
        return {
          score: holds ? p : 0,
          formula: '达到目标 → p，否则 0',
          working: `“${String(actual)}”${holds ? '即' : '不是'}“${ind.value}” → ${holds ? n(p) : 0}`,
        };
      }
      if (typeof actual !== 'number') return { problem: { kind: 'not-number' } };
      const holds =
        type === '≥'
          ? actual >= t
          : type === '>'
            ? actual > t
            : type === '≤'
              ? actual <= t
              : type === '<'
                ? actual < t
                : actual === t;
      return {
        score: holds ? p : 0,
        formula: '达到目标 → p，否则 0',
        working: `${n(actual)} ${type} ${n(t)} ${holds ? '成立' : '不成立'} → ${holds ? n(p) : 0}`,
      };
    }
    case 'bands': {
      if (typeof actual !== 'number') return { problem: { kind: 'not-number' } };
      const band = [...(s.bands ?? [])].sort((x, y) => y.min - x.min).find((b) => actual >= b.min);
      return {
        score: band ? round2(clamp(band.points, p)) : 0,
        formula: '满足 a ≥ 下限的最高一档的分值，否则 0',
        working: band ? `${n(actual)} ≥ ${n(band.min)} → ${n(band.points)}` : `${n(actual)} 低于各档下限 → 0`,
      };
    }
    default:
      break;
  }
  if (typeof actual !== 'number') return { problem: { kind: 'not-number' } };
  const a = actual;
  switch (s.kind) {
    case 'ratio': {
      if (type === '≤' || type === '<') {
        if (a <= t) return full(p, 'a ≤ t → p；否则 p × t / a', `${n(a)} ≤ ${n(t)} → ${n(p)}`);
        return done((p * t) / a, p, 'a ≤ t → p；否则 p × t / a', `${n(p)} × ${n(t)} / ${n(a)}`);
      }
      if (type === '=') {
        const f = 'a = t → p；否则 p × max(0, 1 − |a − t| / t)';
        if (a === t) return full(p, f, `${n(a)} = ${n(t)} → ${n(p)}`);
        if (t === 0) return { score: 0, formula: f, working: `${n(a)} ≠ 0 → 0` };
        return done(
          p * Math.max(0, 1 - Math.abs(a - t) / t),
          p,
          f,
          `${n(p)} × max(0, 1 − |${n(a)} − ${n(t)}| / ${n(t)})`,
        );
      }
      // ≥ and >: completion c = min(a / t, 1); a target of 0 is met by any a ≥ 0.
      const c = t > 0 ? Math.min(a / t, 1) : a >= t ? 1 : 0;
      const cText = t > 0 ? `min(${n(a)} / ${n(t)}, 1)` : `${n(a)} ≥ ${n(t)} → 1`;
      const r = s.pass_rate;
      if (r === undefined) return done(p * c, p, 'p × min(a / t, 1)', t > 0 ? `${n(p)} × ${cText}` : `${n(p)} × 1`);
      const f = 'c = min(a / t, 1)；c < r → 0；否则 p × (c − r) / (1 − r)';
      const cr = round2(c * 100) / 100;
      if (c < r) return { score: 0, formula: f, working: `c = ${cText} = ${n(cr)} < ${n(r)} → 0` };
      return done((p * (c - r)) / (1 - r), p, f, `${n(p)} × (${n(cr)} − ${n(r)}) / (1 − ${n(r)})`, `c = ${cText}`);
    }
    case 'shortfall': {
      const f =
        settings.deductions === 'whole_steps'
          ? 'a ≥ t → p；否则 p − 扣分 × ⌈(t − a) / 每下降⌉'
          : 'a ≥ t → p；否则 p − 扣分 × (t − a) / 每下降';
      if (a >= t) return full(p, f, `${n(a)} ≥ ${n(t)} → ${n(p)}`);
      const every = s.every_percent ?? 1;
      const deduct = s.deduct ?? 0;
      const gap = Number((t - a).toPrecision(12));
      const steps = stepsOf(gap / every, settings);
      const stepText = settings.deductions === 'whole_steps' ? `⌈${n(gap)} / ${n(every)}⌉` : `${n(gap)} / ${n(every)}`;
      return done(p - deduct * steps, p, f, `${n(p)} − ${n(deduct)} × ${stepText}`);
    }
    case 'overrun': {
      const f =
        settings.deductions === 'whole_steps'
          ? 'a ≤ t → p；否则 p − 扣分 × ⌈超出百分比 / 每超出⌉'
          : 'a ≤ t → p；否则 p − 扣分 × 超出百分比 / 每超出';
      if (a <= t) return full(p, f, `${n(a)} ≤ ${n(t)} → ${n(p)}`);
      const every = s.every_percent ?? 1;
      const deduct = s.deduct ?? 0;
      const over = t > 0 ? Number((((a - t) / t) * 100).toPrecision(12)) : Infinity;
      const steps = stepsOf(over / every, settings);
      const overText = `超出 (${n(a)} − ${n(t)}) / ${n(t)} × 100 = ${n(round2(over))}%`;
      const stepText =
        settings.deductions === 'whole_steps'
          ? `⌈${n(round2(over))} / ${n(every)}⌉`
          : `${n(round2(over))} / ${n(every)}`;
      return done(p - deduct * steps, p, f, `${n(p)} − ${n(deduct)} × ${stepText}`, overText);
    }
  }
  return { problem: { kind: 'needs-score', why: 'text' } };
}

// ---- a whole department ----

export interface IndicatorScore {
  /** Position in the targets file's indicators. */
  index: number;
  level1: string;
  level2: string;
  name: string;
  type: string;
  /** The target (年度指标值) and its unit. */
  target: number | string;
  unit?: string;
  points: number;
  actual: number | string | null;
  /** The score counted: the manual one where given, else the computed one; 0 when there is neither. */
  score: number;
  manual: boolean;
  /** What the rule computes, when it can (also beside a manual score, for comparison). */
  computed?: Computed;
  problem?: ScoreProblem;
  reason?: string;
  /** The result's index in the self-evaluation, when there is one. */
  result?: number;
}

export interface BudgetScore {
  initial: number | null;
  adjusted: number | null;
  spent: number | null;
  points: number;
  /** B / A, rounded to four decimals (a percentage with two); undefined when A or B is missing. */
  rate?: number;
  score: number;
  formula: string;
  working: string;
}

export interface Evaluation {
  fiscalYear: number;
  code: string;
  name: string;
  budget: BudgetScore;
  indicators: IndicatorScore[];
  /** Sum of every 分值: the indicators' points and the budget line's. */
  pointsTotal: number;
  /** Sum of the rounded scores (indicators and budget line). */
  total: number;
  grade: Grade;
}

/** The grade of a total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (the bands are a setting). */
export function gradeOf(total: number, bands: ScoreSettings['grade_bands']): Grade {
  if (total >= bands.优) return '优';
  if (total >= bands.良) return '良';
  if (total >= bands.中) return '中';
  return '差';
}

export function scoreBudget(budget: SelfEvaluation['budget'], settings: ScoreSettings): BudgetScore {
  const points = settings.budget_points;
  const { initial, adjusted: A, spent: B } = budget;
  const base = { initial, adjusted: A, spent: B, points, formula: '分值 × min(B / A, 1)' };
  if (typeof A !== 'number' || typeof B !== 'number' || A <= 0)
    return { ...base, score: 0, working: '全年预算数或执行数未填 → 0' };
  const raw = points * Math.min(B / A, 1);
  return {
    ...base,
    rate: Math.round(Number(((B / A) * 10000).toPrecision(12))) / 10000,
    score: round2(clamp(raw, points)),
    working: `${n(points)} × min(${n(B)} / ${n(A)}, 1) = ${n(round2(raw))}`,
  };
}

/** Every score of a self-evaluation, in the targets file's order. */
export function evaluate(targets: DepartmentTargets, se: SelfEvaluation, settings: ScoreSettings): Evaluation {
  const match = matchResults(targets.indicators, se.results);
  const indicators = targets.indicators.map((ind, index): IndicatorScore => {
    const ri = match.byIndicator[index];
    const r = ri === undefined ? undefined : se.results[ri];
    const actual = r?.actual ?? null;
    const c = computeScore(ind, actual, settings);
    const computed = 'problem' in c ? undefined : c;
    const manual = r?.score !== undefined;
    const score = manual ? round2(clamp(r.score!, ind.scoring.points)) : (computed?.score ?? 0);
    return {
      index,
      level1: ind.level1,
      level2: ind.level2,
      name: ind.name,
      type: cmp(ind.type),
      target: ind.value,
      ...(ind.unit !== undefined ? { unit: ind.unit } : {}),
      points: ind.scoring.points,
      actual,
      score,
      manual,
      ...(computed ? { computed } : {}),
      ...('problem' in c ? { problem: c.problem } : {}),
      ...(r?.reason !== undefined ? { reason: r.reason } : {}),
      ...(ri !== undefined ? { result: ri } : {}),
    };
  });
  const budget = scoreBudget(se.budget, settings);
  const pointsTotal = round2(indicators.reduce((a, i) => a + i.points, 0) + budget.points);
  const total = round2(indicators.reduce((a, i) => a + i.score, 0) + budget.score);
  return {
    fiscalYear: targets.fiscal_year,
    code: targets.department.code,
    name: targets.department.name,
    budget,
    indicators,
    pointsTotal,
    total,
    grade: gradeOf(total, settings.grade_bands),
  };
}
