/** Every scoring rule of SELF-EVAL.md at its edges, the budget line, grades, settings and rounding. */
import { describe, expect, it } from 'vitest';
import {
  type Computed,
  computeScore,
  deadlineOf,
  evaluate,
  gradeOf,
  matchResults,
  round2,
  type ScoreSettings,
  scoreBudget,
} from '../../scripts/model/self-eval.ts';
import { DEFAULT_SETTINGS, resolveSettings, settingsForYear } from '../../scripts/model/settings.ts';
import type { DepartmentTargets, Indicator, Scoring } from '../../scripts/model/types.generated.ts';

const PROP: ScoreSettings = DEFAULT_SETTINGS;
const WHOLE: ScoreSettings = { ...DEFAULT_SETTINGS, deductions: 'whole_steps' };

const ind = (type: Indicator['type'], value: number | string, scoring: Scoring): Indicator => ({
  level1: '产出指标',
  level2: '数量指标',
  name: '指标',
  type,
  value,
  explanation: '',
  scoring,
});

/** The score, failing the test when the rule reports a problem instead. */
function score(i: Indicator, actual: unknown, settings = PROP): number {
  return computed(i, actual, settings).score;
}
function computed(i: Indicator, actual: unknown, settings = PROP): Computed {
  const c = computeScore(i, actual, settings);
  if ('problem' in c) throw new Error(`problem: ${JSON.stringify(c.problem)}`);
  return c;
}
const problem = (i: Indicator, actual: unknown): unknown => {
  const c = computeScore(i, actual, PROP);
  return 'problem' in c ? c.problem : undefined;
};

describe('ratio, target ≥ or >: p × min(a / t, 1)', () => {
  const r = ind('≥', 4, { kind: 'ratio', points: 2 });
  it('on target, over, under, far under, zero', () => {
    expect(score(r, 4)).toBe(2);
    expect(score(r, 9)).toBe(2);
    expect(score(r, 3)).toBe(1.5);
    expect(score(r, 0.1)).toBe(0.05);
    expect(score(r, 0)).toBe(0);
  });
  it('keeps the formula and the numbers', () => {
    expect(computed(r, 3)).toEqual({ score: 1.5, formula: 'p × min(a / t, 1)', working: '2 × min(3 / 4, 1) = 1.5' });
  });
  it('> reads like ≥; ">=" like ≥', () => {
    expect(score(ind('>', 4, { kind: 'ratio', points: 2 }), 3)).toBe(1.5);
    expect(score(ind('>=', 4, { kind: 'ratio', points: 2 }), 3)).toBe(1.5);
  });
  it('a negative actual is clamped to 0', () => {
    expect(score(r, -2)).toBe(0);
  });
  it('a target of 0 is met by any actual ≥ 0', () => {
    expect(score(ind('≥', 0, { kind: 'ratio', points: 2 }), 0)).toBe(2);
  });
  it('a text or a date where a number belongs is reported, not scored', () => {
    expect(problem(r, '3家')).toEqual({ kind: 'not-number' });
    expect(problem(r, null)).toEqual({ kind: 'empty' });
  });
  it('a 定性 target cannot be scored as a ratio: a score by hand is needed', () => {
    expect(problem(ind('定性', '完成', { kind: 'ratio', points: 2 }), '完成')).toEqual({
      kind: 'needs-score',
      why: 'qualitative',
    });
  });
});

describe('ratio with pass_rate r: c < r → 0, else p × (c − r) / (1 − r)', () => {
  const r = ind('≥', 100, { kind: 'ratio', points: 10, pass_rate: 0.6 });
  it('below the threshold → 0; exactly on it → 0; above it proportional; on target → p', () => {
    expect(score(r, 59)).toBe(0);
    expect(score(r, 60)).toBe(0);
    expect(score(r, 80)).toBe(5); // 10 × (0.8 − 0.6) / 0.4
    expect(score(r, 90)).toBe(7.5); // 10 × 0.3 / 0.4
    expect(score(r, 100)).toBe(10);
    expect(score(r, 130)).toBe(10);
  });
  it('the working names c and the threshold', () => {
    expect(computed(r, 59).working).toBe('c = min(59 / 100, 1) = 0.59 < 0.6 → 0');
    expect(computed(r, 80).working).toBe('c = min(80 / 100, 1)：10 × (0.8 − 0.6) / (1 − 0.6) = 5');
  });
});

describe('ratio, target ≤ or <: a ≤ t → p, else p × t / a', () => {
  const r = ind('≤', 100, { kind: 'ratio', points: 4 });
  it('under, on, over', () => {
    expect(score(r, 80)).toBe(4);
    expect(score(r, 100)).toBe(4);
    expect(score(r, 125)).toBe(3.2); // 4 × 100 / 125
    expect(score(r, 0)).toBe(4);
    expect(score(ind('<', 100, { kind: 'ratio', points: 4 }), 200)).toBe(2);
  });
  it('a target of 0 exceeded scores 0', () => {
    expect(score(ind('≤', 0, { kind: 'ratio', points: 4 }), 5)).toBe(0);
  });
});

describe('ratio, target =: a = t → p, else p × max(0, 1 − |a − t| / t)', () => {
  const r = ind('=', 100, { kind: 'ratio', points: 10 });
  it('on, either side, far off', () => {
    expect(score(r, 100)).toBe(10);
    expect(score(r, 90)).toBe(9);
    expect(score(r, 110)).toBe(9);
    expect(score(r, 250)).toBe(0);
    expect(score(r, 0)).toBe(0);
  });
});

describe('deadline: on or before → p, else p − deduct × days late / every_days', () => {
  const d = ind('定性', '2025年12月31日前', { kind: 'deadline', points: 10, every_days: 10, deduct: 1 });
  it('the deadline is read from the target text', () => {
    expect(deadlineOf('2026年12月31日前')).toBe('2026-12-31');
    expect(deadlineOf('2025年6月底前')).toBe('2025-06-30');
    expect(deadlineOf('2024年2月')).toBe('2024-02-29');
    expect(deadlineOf('2025年')).toBe('2025-12-31');
    expect(deadlineOf('年底前')).toBeUndefined();
  });
  it('met on the day, a day early, a day late, 20 days late, far late', () => {
    expect(score(d, '2025-12-31')).toBe(10);
    expect(score(d, '2025-12-30')).toBe(10);
    expect(score(d, '2026-01-01')).toBe(9.9); // 10 − 1 × 1 / 10
    expect(score(d, '2026-01-20')).toBe(8);
    expect(score(d, '2029-01-01')).toBe(0);
  });
  it('whole steps: a started step counts whole', () => {
    expect(score(d, '2026-01-01', WHOLE)).toBe(9);
    expect(score(d, '2026-01-10', WHOLE)).toBe(9);
    expect(score(d, '2026-01-11', WHOLE)).toBe(8);
  });
  it('keeps the days late in the working', () => {
    expect(computed(d, '2026-01-20').working).toBe('2026-01-20 比 2025-12-31 晚 20 天：10 − 1 × 20 / 10 = 8');
    expect(computed(d, '2029-01-01').working).toMatch(/，扣完为止 → 0$/);
  });
  it('a number or an impossible day where a date belongs is reported', () => {
    expect(problem(d, 20260120)).toEqual({ kind: 'not-date' });
    expect(problem(d, '2026-02-30')).toEqual({ kind: 'not-date' });
    expect(problem(d, '2026年1月20日')).toEqual({ kind: 'not-date' });
  });
  it('a target text without a date needs a score by hand', () => {
    const vague = ind('定性', '年底前', { kind: 'deadline', points: 10, every_days: 10, deduct: 1 });
    expect(problem(vague, '2026-01-20')).toEqual({ kind: 'needs-score', why: 'no-deadline' });
  });
});

describe('grades: the points of the grade the actual names', () => {
  const g = ind('定性', '效果明显', {
    kind: 'grades',
    points: 5,
    grades: [
      { label: '效果明显', points: 5 },
      { label: '效果一般', points: 3 },
      { label: '效果较差', points: 0 },
    ],
  });
  it('every label', () => {
    expect(score(g, '效果明显')).toBe(5);
    expect(score(g, '效果一般')).toBe(3);
    expect(score(g, '效果较差')).toBe(0);
  });
  it('any other text is an error listing the labels', () => {
    expect(problem(g, '一般')).toEqual({ kind: 'unknown-grade', labels: ['效果明显', '效果一般', '效果较差'] });
    expect(problem(g, 3)).toEqual({ kind: 'unknown-grade', labels: ['效果明显', '效果一般', '效果较差'] });
  });
});

describe('shortfall: a ≥ t → p, else p − deduct × (t − a) / every_percent', () => {
  const s = ind('≥', 90, { kind: 'shortfall', points: 10, every_percent: 1, deduct: 0.5 });
  it('on target, over, 3 points short, 2.5 short, far short', () => {
    expect(score(s, 90)).toBe(10);
    expect(score(s, 99)).toBe(10);
    expect(score(s, 87)).toBe(8.5);
    expect(score(s, 87.5)).toBe(8.75);
    expect(score(s, 50)).toBe(0);
    expect(score(s, 0)).toBe(0);
  });
  it('whole steps: 2.5 short deducts three steps', () => {
    expect(score(s, 87.5, WHOLE)).toBe(8.5);
    expect(score(s, 87, WHOLE)).toBe(8.5);
  });
  it('float noise does not make an extra whole step (90 − 89.9 is 0.1, not 0.10000000000000853)', () => {
    const fine = ind('≥', 90, { kind: 'shortfall', points: 10, every_percent: 0.1, deduct: 1 });
    expect(score(fine, 89.9, WHOLE)).toBe(9);
  });
});

describe('overrun: a ≤ t → p, else p − deduct × ((a − t) / t × 100) / every_percent', () => {
  const o = ind('≤', 934.41, { kind: 'overrun', points: 20, every_percent: 1, deduct: 2 });
  it('under, on, over by 1%, over by 2.5%, far over', () => {
    expect(score(o, 931)).toBe(20);
    expect(score(o, 934.41)).toBe(20);
    const hundred = ind('≤', 100, { kind: 'overrun', points: 20, every_percent: 1, deduct: 2 });
    expect(score(hundred, 101)).toBe(18);
    expect(score(hundred, 102.5)).toBe(15);
    expect(score(hundred, 102.5, WHOLE)).toBe(14);
    expect(score(hundred, 200)).toBe(0);
  });
  it('the working shows the percentage over', () => {
    const hundred = ind('≤', 100, { kind: 'overrun', points: 20, every_percent: 1, deduct: 2 });
    expect(computed(hundred, 102.5).working).toBe('超出 (102.5 − 100) / 100 × 100 = 2.5%：20 − 2 × 2.5 / 1 = 15');
  });
});

describe('direct: the comparison holds → p, else 0', () => {
  it('≥ on, under; ≤ over; = off', () => {
    expect(score(ind('≥', 3, { kind: 'direct', points: 4 }), 3)).toBe(4);
    expect(score(ind('≥', 3, { kind: 'direct', points: 4 }), 2.99)).toBe(0);
    expect(score(ind('≤', 3, { kind: 'direct', points: 4 }), 4)).toBe(0);
    expect(score(ind('>', 3, { kind: 'direct', points: 4 }), 3)).toBe(0);
    expect(score(ind('<', 3, { kind: 'direct', points: 4 }), 2)).toBe(4);
    expect(score(ind('=', 3, { kind: 'direct', points: 4 }), 3.5)).toBe(0);
  });
  it('a 定性 target holds when the actual says the target', () => {
    const q = ind('定性', '全部完成', { kind: 'direct', points: 4 });
    expect(score(q, '全部完成')).toBe(4);
    expect(score(q, '部分完成')).toBe(0);
  });
});

describe('bands: the points of the highest band with a ≥ min', () => {
  const b = ind('≥', 90, {
    kind: 'bands',
    points: 10,
    bands: [
      { min: 90, points: 10 },
      { min: 80, points: 8 },
      { min: 60, points: 5 },
    ],
  });
  it('on each boundary, between, below all', () => {
    expect(score(b, 95)).toBe(10);
    expect(score(b, 90)).toBe(10);
    expect(score(b, 89.99)).toBe(8);
    expect(score(b, 80)).toBe(8);
    expect(score(b, 60)).toBe(5);
    expect(score(b, 59.9)).toBe(0);
  });
});

describe('text: no formula', () => {
  it('needs a score by hand', () => {
    expect(problem(ind('定性', '按要求完成', { kind: 'text', points: 5, text: '酌情给分' }), '完成')).toEqual({
      kind: 'needs-score',
      why: 'text',
    });
  });
});

describe('rounding to two decimals', () => {
  it('half up, without binary surprises', () => {
    expect(round2(8.345)).toBe(8.35);
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2 / 3)).toBe(0.67);
    expect(round2(4 / 3)).toBe(1.33);
  });
  it('a ratio of thirds is shown rounded', () => {
    expect(score(ind('≥', 3, { kind: 'ratio', points: 2 }), 1)).toBe(0.67);
    expect(score(ind('≥', 3, { kind: 'ratio', points: 2 }), 2)).toBe(1.33);
  });
});

describe('the budget line: budget_points × min(B / A, 1)', () => {
  it('under, on and over budget; the rate kept', () => {
    expect(scoreBudget({ initial: 900, adjusted: 950, spent: 931 }, PROP)).toMatchObject({
      rate: 0.98,
      score: 9.8,
      working: '10 × min(931 / 950, 1) = 9.8',
    });
    expect(scoreBudget({ initial: 900, adjusted: 950, spent: 950 }, PROP)).toMatchObject({ rate: 1, score: 10 });
    expect(scoreBudget({ initial: 900, adjusted: 950, spent: 1000 }, PROP).score).toBe(10);
    expect(scoreBudget({ initial: 900, adjusted: 3, spent: 2 }, PROP)).toMatchObject({ rate: 0.6667, score: 6.67 });
  });
  it('the points are a setting', () => {
    expect(scoreBudget({ initial: 1, adjusted: 100, spent: 50 }, { ...PROP, budget_points: 20 }).score).toBe(10);
  });
  it('missing numbers score 0', () => {
    expect(scoreBudget({ initial: null, adjusted: null, spent: null }, PROP)).toMatchObject({ score: 0 });
  });
});

describe('grades of the total', () => {
  const bands = DEFAULT_SETTINGS.grade_bands;
  it('at and around each boundary', () => {
    expect(gradeOf(100, bands)).toBe('优');
    expect(gradeOf(90, bands)).toBe('优');
    expect(gradeOf(89.99, bands)).toBe('良');
    expect(gradeOf(80, bands)).toBe('良');
    expect(gradeOf(79.99, bands)).toBe('中');
    expect(gradeOf(60, bands)).toBe('中');
    expect(gradeOf(59.99, bands)).toBe('差');
    expect(gradeOf(0, bands)).toBe('差');
  });
  it('bands and the rest come from the settings, overridden per year', () => {
    const s = resolveSettings({
      grade_bands: { 优: 95, 良: 85, 中: 70 },
      years: { '2026': { grade_bands: { 优: 90, 良: 75, 中: 60 }, deductions: 'whole_steps', budget_points: 5 } },
    });
    expect(gradeOf(92, settingsForYear(s, 2025).grade_bands)).toBe('良');
    expect(gradeOf(92, settingsForYear(s, 2026).grade_bands)).toBe('优');
    expect(settingsForYear(s, 2025)).toMatchObject({ deductions: 'proportional', budget_points: 10 });
    expect(settingsForYear(s, 2026)).toMatchObject({ deductions: 'whole_steps', budget_points: 5 });
  });
});

describe('matching results to indicators', () => {
  const inds = [{ name: 'A' }, { name: 'B', id: 'b-id' }, { name: 'A' }, { name: 'C' }];
  it('by name, a name used twice in order; by id where given', () => {
    const m = matchResults(inds, [{ name: 'A' }, { name: 'whatever', id: 'b-id' }, { name: 'A' }, { name: 'C' }]);
    expect(m.byIndicator).toEqual([0, 1, 2, 3]);
    expect(m.unknown).toEqual([]);
  });
  it('unknown, duplicate and missing', () => {
    const m = matchResults(inds, [{ name: 'A' }, { name: 'A' }, { name: 'A' }, { name: 'D' }]);
    expect(m.byIndicator).toEqual([0, undefined, 1, undefined]);
    expect(m.duplicate).toEqual([[2, 2, 1]]);
    expect(m.unknown).toEqual([3]);
  });
  it('full-width and blank differences do not make another name', () => {
    expect(matchResults([{ name: '满意度（%）' }], [{ name: '满意度 (%)' }]).byIndicator).toEqual([0]);
  });
});

describe('manual scores', () => {
  const targets: DepartmentTargets = {
    fiscal_year: 2025,
    department: { code: 'x', name: '某局' },
    duties: ['d'],
    goals: ['g'],
    indicators: [
      ind('定性', '按要求完成', { kind: 'text', points: 5, text: '酌情给分' }),
      { ...ind('≥', 4, { kind: 'ratio', points: 5 }), name: '指标2' },
    ],
    signoff: { business_review: '', performance_review: '', preparer: '', phone: '', filed: '', head: '' },
  };
  it('replace the computed score, are marked, and keep what the rule gives beside them', () => {
    const e = evaluate(
      targets,
      {
        fiscal_year: 2025,
        department: 'x',
        budget: { initial: 100, adjusted: 100, spent: 100 },
        goals: ['done'],
        results: [
          { name: '指标', actual: '完成', score: 4.5, reason: '部分完成' },
          { name: '指标2', actual: 2, score: 4, reason: '复核后调整' },
        ],
      },
      PROP,
    );
    expect(e.indicators.map((i) => [i.score, i.manual, i.computed?.score])).toEqual([
      [4.5, true, undefined],
      [4, true, 2.5],
    ]);
    expect(e.total).toBe(18.5);
    expect(e.pointsTotal).toBe(20);
    expect(e.grade).toBe('差');
  });
});
