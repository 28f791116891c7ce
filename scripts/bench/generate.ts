/**
 * Synthetic departments for the benchmark: realistic 整体绩效目标表 data, deterministic from a seed, and
 * each department's year-end self-evaluation (SELF-EVAL.md) of those targets.
 *
 * Pure: options in, DepartmentTargets and YAML text out (the bench writes them to disk). Every
 * generated file passes validation with the bureau settings it is generated for: the points sum to
 * `points_total`, every required 一级指标 is present, 一级/二级 pairs are the form's, groups are
 * contiguous, names are unique within their group, years in text are the fiscal year, numbers under %
 * stay ≤ 100, scoring sentences agree with their fields. Department i depends only on (seed, i), so a
 * run with fewer departments is a prefix of a run with more. Every self-evaluation passes too: one result
 * per indicator with an actual of its rule's kind (mostly met, some exceeded, some missed), a reason
 * wherever the rule's score falls short of the points, spending within the adjusted budget.
 */
import { Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { SCHEMA_COMMENT } from '../check/rules.ts';
import { computeScore, deadlineOf, evaluate, SELF_EVAL_SCHEMA_COMMENT, SELF_EVAL_SUFFIX } from '../model/self-eval.ts';
import { DEFAULT_SETTINGS } from '../model/settings.ts';
import type {
  DepartmentTargets,
  Indicator,
  IndicatorResult,
  Level1,
  Level2,
  Scoring,
  SelfEvaluation,
} from '../model/types.generated.ts';
import {
  areaWord,
  type Bureau,
  BUREAUS,
  COUNTIES,
  type County,
  DUTY_PATTERNS,
  ECOLOGY_PATTERNS,
  ECONOMIC_PATTERNS,
  ECONOMIC_QUALITATIVE,
  GIVEN,
  GOAL_PATTERNS,
  LAST_DUTY,
  type QualitativePattern,
  QUALITY_PATTERNS,
  QUANTITY_PATTERNS,
  type QuantityPattern,
  SATISFACTION_NAMES,
  SOCIAL_PATTERNS,
  SOCIAL_QUANTITY,
  SURNAMES,
  SUSTAIN_PATTERNS,
} from './vocabulary.ts';

export interface GenerateOptions {
  /** How many departments. */
  departments: number;
  /** Any integer; the same seed gives the same bytes. */
  seed: number;
  /** Default 2025. */
  fiscalYear?: number;
  /** What the points of every department sum to (the settings' points_total; default 90). */
  pointsTotal?: number;
  /** Indicators per department, inclusive (default 15–60). */
  indicators?: { min: number; max: number };
  /**
   * Also each department's year-end self-evaluation, `data/<year>/<code>.self-eval.yaml` (default true):
   * every department files one, as the bureau requires, so the bench builds both forms for each.
   */
  selfEvaluations?: boolean;
}

/** A file of the generated project, relative to its root (`data/2025/x.yaml`, `/`-separated). */
export interface GeneratedFile {
  path: string;
  text: string;
}

/** A small, fast, seedable PRNG (mulberry32): enough for test data, and the same on every platform. */
export interface Rng {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

/** A seed for department i that does not depend on how many departments there are. */
const departmentSeed = (seed: number, i: number): number =>
  (Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;

/** Every county and bureau, in the seed's order. */
const countyBureaus = (seed: number): { county: County; bureau: Bureau }[] =>
  createRng(seed).shuffle(COUNTIES.flatMap((county) => BUREAUS.map((bureau) => ({ county, bureau }))));

/** The codes and names of departments 0…count−1 of the set generated from `seed` (no tables). */
export function departmentNames(seed: number, count: number): { code: string; name: string }[] {
  const pairs = countyBureaus(seed);
  return Array.from({ length: count }, (_, i) => {
    const { code, name } = departmentIdentity(seed, i, pairs);
    return { code, name };
  });
}

/** Which county and bureau department i is: a fixed shuffle of all pairs, then sub-units past the end. */
function departmentIdentity(
  seed: number,
  i: number,
  pairs = countyBureaus(seed),
): { name: string; code: string; county: County; bureau: Bureau } {
  const { county, bureau } = pairs[i % pairs.length]!;
  const round = Math.floor(i / pairs.length);
  const code = `${county.code}-${bureau.code}`;
  if (round === 0) return { name: `${county.name}${bureau.name}`, code, county, bureau };
  // More departments than pairs: the bureaus' subordinate units (事务中心, 执法大队, …).
  const units = ['事务中心', '服务中心', '综合执法大队', '发展中心', '信息中心'];
  const unit = units[(round - 1) % units.length]!;
  return {
    name: `${county.name}${bureau.name.replace(/局$/, '')}${unit}`,
    code: `${code}-${round + 1}`,
    county,
    bureau,
  };
}

const fill = (pattern: string, slots: Record<string, string | number>): string =>
  pattern.replace(/\{(\w+)\}/g, (m, k: string) => (k in slots ? String(slots[k]) : m));

/** A round number in a range, the way targets are set: 3, 40, 1200, 934.41 for money. */
function niceValue(rng: Rng, p: { min: number; max: number; money?: boolean }): number {
  const v = p.min + rng.next() * (p.max - p.min);
  if (p.money) return Math.round(v * 100) / 100;
  const step = v >= 5000 ? 500 : v >= 1000 ? 100 : v >= 100 ? 10 : v >= 30 ? 5 : 1;
  return Math.max(p.min, Math.round(v / step) * step);
}

const half = (n: number): number => Math.max(0.5, Math.round(n * 2) / 2);

/** An indicator before points are shared out: its weight, and its scoring once points are known. */
interface Draft {
  indicator: Omit<Indicator, 'scoring'>;
  weight: number;
  scoring: (points: number) => Scoring;
}

interface Ctx {
  rng: Rng;
  fy: number;
  dept: string;
  bureau: Bureau;
}

const grades =
  (labels: readonly string[]) =>
  (points: number): Scoring => ({
    kind: 'grades',
    points,
    grades: labels
      .slice(0, 2)
      .map((label, i) => ({ label, points: i === 0 ? points : Math.min(half(points * 0.6), points) })),
  });

function quantityDraft(c: Ctx, level1: Level1, level2: Level2, p: QuantityPattern, a: string): Draft {
  const name = fill(p.name, { a });
  const value = niceValue(c.rng, p);
  const explanation = c.rng.pick([
    `考核${name}情况。`,
    `反映${c.fy}年度${name}的完成情况，以${c.dept}年度工作台账及相关佐证资料为准。`,
    `指年度内${name}的实际完成数量，用于衡量${a}工作任务的推进程度，数据来源于业务股室统计报表。`,
  ]);
  const passRate = c.rng.chance(0.15);
  return {
    indicator: { level1, level2, name, type: c.rng.chance(0.1) ? '=' : '≥', value, unit: p.unit, explanation },
    weight: c.rng.int(1, 3),
    scoring: (points) =>
      passRate
        ? { kind: 'ratio', points, pass_rate: 0.6 }
        : c.rng.chance(0.1)
          ? { kind: 'direct', points }
          : { kind: 'ratio', points },
  };
}

function rateDraft(c: Ctx, level1: Level1, level2: Level2, pattern: string, a: string): Draft {
  const name = fill(pattern, { a });
  const value = c.rng.pick([90, 95, 96, 98, 100]);
  const subject = name.replace(/率$/, '');
  return {
    indicator: {
      level1,
      level2,
      name,
      type: value === 100 && c.rng.chance(0.5) ? '=' : '≥',
      value,
      unit: '%',
      explanation: c.rng.pick([
        `考核${name}情况。`,
        `反映${subject}情况。计算公式：${name}=实际完成数/计划完成数×100%，数据来源于${c.dept}年度工作台账。`,
      ]),
    },
    weight: c.rng.int(2, 4),
    scoring: (points) =>
      c.rng.chance(0.7)
        ? { kind: 'ratio', points }
        : { kind: 'shortfall', points, every_percent: 1, deduct: half(Math.min(1, points / 2)) },
  };
}

function qualitativeDraft(
  c: Ctx,
  level1: Level1,
  level2: Level2,
  p: QualitativePattern,
  a: string,
  effect: string,
): Draft {
  const name = fill(p.name, { a });
  return {
    indicator: {
      level1,
      level2,
      name,
      type: '定性',
      value: p.labels[0]!,
      explanation: c.rng.pick([
        `考核工作实施对${effect}所带来的直接或间接影响情况。`,
        `反映${name}的实际效果，通过实地查看、问卷调查和资料核查综合评定。`,
      ]),
    },
    weight: c.rng.int(3, 8),
    scoring: grades(p.labels),
  };
}

function deadlineDraft(c: Ctx): Draft {
  const value = `${c.fy}年12月31日前`;
  const everyDays = c.rng.pick([10, 15, 30]);
  return {
    indicator: {
      level1: '产出指标',
      level2: '时效指标',
      name: '工作完成时间',
      type: '定性',
      value,
      explanation: '考核工作完成时间情况。',
    },
    weight: c.rng.int(5, 10),
    scoring: (points) => ({ kind: 'deadline', points, every_days: everyDays, deduct: Math.min(1, points) }),
  };
}

function satisfactionDraft(c: Ctx, name: string): Draft {
  const value = c.rng.pick([85, 90, 95]);
  const bands = c.rng.chance(0.3);
  return {
    indicator: {
      level1: '满意度指标',
      level2: '服务对象满意度指标',
      name,
      type: '≥',
      value,
      unit: '%',
      explanation: `反映服务对象对${c.dept}履职情况的满意程度，通过问卷调查、电话回访等方式获取。`,
    },
    weight: c.rng.int(5, 10),
    scoring: (points) =>
      bands
        ? {
            kind: 'bands',
            points,
            bands: [
              { min: 90, points },
              { min: 80, points: half(points * 0.8) },
              { min: 60, points: half(points * 0.5) },
            ],
          }
        : { kind: 'shortfall', points, every_percent: 1, deduct: half(Math.min(1, points / 4)) },
  };
}

function budgetDraft(c: Ctx): Draft {
  return {
    indicator: {
      level1: '成本指标',
      level2: '经济成本指标',
      name: '部门预算支出金额',
      type: '≤',
      value: niceValue(c.rng, { min: 200, max: 6000, money: true }),
      unit: '万元',
      explanation: `考核部门预算支出的控制情况，以${c.fy}年度批复的部门预算为准。`,
    },
    weight: c.rng.int(10, 20),
    scoring: (points) => {
      const deduct = points >= 4 ? 2 : 1;
      return {
        kind: 'overrun',
        points,
        every_percent: 1,
        deduct,
        text: `部门预算总额控制在总成本范围内，得${points}分，每超出1%，扣${deduct}分。`,
      };
    },
  };
}

function threeCostsDraft(c: Ctx): Draft {
  return {
    indicator: {
      level1: '成本指标',
      level2: '经济成本指标',
      name: '“三公”经费支出',
      type: '≤',
      value: niceValue(c.rng, { min: 5, max: 80, money: true }),
      unit: '万元',
      explanation: '考核因公出国（境）费、公务用车购置及运行费、公务接待费的控制情况。',
    },
    weight: c.rng.int(2, 5),
    scoring: (points) => ({ kind: 'overrun', points, every_percent: 1, deduct: Math.min(1, points) }),
  };
}

function negativeDraft(c: Ctx, level2: '社会成本指标' | '生态环境成本指标', a: string): Draft {
  const what = level2 === '社会成本指标' ? '社会' : '生态环境';
  return {
    indicator: {
      level1: '成本指标',
      level2,
      name: `${a}对${what}造成的负面影响`,
      type: '定性',
      value: '无',
      explanation: `考核${a}工作实施过程中对${what}造成的负面影响情况。`,
    },
    weight: c.rng.int(1, 3),
    scoring: grades(['无', '较小']),
  };
}

/** Up to `n` drafts with names unique in their group, from (pattern × area) combinations. */
function uniqueDrafts<P>(c: Ctx, n: number, patterns: readonly P[], make: (p: P, a: string) => Draft): Draft[] {
  const combos = c.rng.shuffle(patterns.flatMap((p) => c.bureau.areas.map((a) => ({ p, a }))));
  const seen = new Set<string>();
  const out: Draft[] = [];
  for (const { p, a } of combos) {
    if (out.length >= n) break;
    const d = make(p, a);
    if (seen.has(d.indicator.name)) continue;
    seen.add(d.indicator.name);
    out.push(d);
  }
  return out;
}

/** Integer points ≥ 1 in proportion to the weights, summing exactly to `total` (largest remainder). */
export function sharePoints(weights: readonly number[], total: number): number[] {
  if (weights.length > total)
    throw new Error(`cannot give ${weights.length} indicators at least 1 point each out of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const quota = weights.map((w) => (w / sum) * total);
  const points = quota.map((q) => Math.max(1, Math.floor(q)));
  const order = (cmp: (i: number, j: number) => number): number[] =>
    points.map((_, i) => i).sort((i, j) => cmp(i, j) || i - j);
  let diff = total - points.reduce((a, b) => a + b, 0);
  for (const i of order((i, j) => quota[j]! - points[j]! - (quota[i]! - points[i]!))) {
    if (diff <= 0) break;
    points[i]!++;
    diff--;
  }
  while (diff < 0) {
    const i = order((i, j) => points[j]! - points[i]!)[0]!;
    points[i]!--;
    diff++;
  }
  return points;
}

/** How many indicators each group gets: the small groups first, the rest to 数量/质量. */
function groupSizes(rng: Rng, n: number): Record<string, number> {
  const size: Record<string, [number, number]> = {
    budget: [1, 1],
    threeCosts: [0, 1],
    socialCost: [0, 1],
    ecoCost: [0, 1],
    time: [1, 2],
    economic: [0, 3],
    social: [1, 4],
    ecology: [0, 2],
    sustain: [1, 2],
    satisfaction: [1, 3],
  };
  const out: Record<string, number> = {};
  for (const [k, [lo, hi]] of Object.entries(size)) out[k] = rng.int(lo, hi);
  const fixed = (): number => Object.values(out).reduce((a, b) => a + b, 0);
  // Leave at least four rows for 数量 and 质量.
  while (fixed() > n - 4) {
    const k = rng.pick(Object.keys(size).filter((k) => out[k]! > size[k]![0]));
    out[k]!--;
  }
  const rest = n - fixed();
  out.quality = Math.max(1, Math.round(rest * (0.2 + rng.next() * 0.15)));
  out.quantity = rest - out.quality;
  return out;
}

function isoDate(y: number, m: number, d: number): string {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.toISOString().slice(0, 10);
}

const personName = (rng: Rng): string =>
  rng.pick(SURNAMES) + Array.from({ length: rng.int(1, 2) }, () => rng.pick(GIVEN)).join('');

function phone(rng: Rng): string {
  if (rng.chance(0.3)) return `0745-${rng.int(2, 8)}${String(rng.int(0, 999999)).padStart(6, '0')}`;
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999999999)).padStart(9, '0')}`;
}

/** Department number `index` of the set generated from `seed`. */
export function generateDepartment(
  seed: number,
  index: number,
  opts: Omit<GenerateOptions, 'departments' | 'seed'> = {},
): DepartmentTargets {
  const fy = opts.fiscalYear ?? 2025;
  const total = opts.pointsTotal ?? DEFAULT_SETTINGS.points_total;
  const { min, max } = opts.indicators ?? { min: 15, max: 60 };
  const id = departmentIdentity(seed, index);
  const rng = createRng(departmentSeed(seed, index));
  const c: Ctx = { rng, fy, dept: id.name, bureau: id.bureau };
  const areas = id.bureau.areas;
  const w = areaWord(id.county);
  const slots = (): Record<string, string | number> => {
    const [a, b, cc] = rng.shuffle(areas);
    return { a: a!, b: b!, c: cc!, area: `全${w}`, w, fy, n: rng.int(3, 30), r: rng.pick([90, 95, 98]) };
  };

  const dutyCount = rng.int(5, 12);
  const patterns = rng.shuffle(DUTY_PATTERNS);
  const duties = Array.from({ length: dutyCount - 1 }, (_, i) => fill(patterns[i % patterns.length]!, slots()));
  duties.push(fill(LAST_DUTY, { w }));
  const goals = rng
    .shuffle(GOAL_PATTERNS)
    .slice(0, rng.int(2, 4))
    .map((g) => fill(g, slots()));

  const n = Math.min(rng.int(min, max), total);
  const g = groupSizes(rng, n);
  const drafts: Draft[] = [
    ...uniqueDrafts(c, g.quantity!, QUANTITY_PATTERNS, (p, a) => quantityDraft(c, '产出指标', '数量指标', p, a)),
    ...uniqueDrafts(c, g.quality!, QUALITY_PATTERNS, (p, a) => rateDraft(c, '产出指标', '质量指标', p, a)),
    ...(g.time! >= 1 ? [deadlineDraft(c)] : []),
    ...uniqueDrafts(c, g.time! - 1, ['{a}资金拨付及时率', '{a}任务按期完成率'], (p, a) =>
      rateDraft(c, '产出指标', '时效指标', p, a),
    ),
    ...uniqueDrafts(c, g.economic!, [...ECONOMIC_PATTERNS, ...ECONOMIC_QUALITATIVE], (p, a) =>
      'unit' in p
        ? quantityDraft(c, '效益指标', '经济效益指标', p, a)
        : qualitativeDraft(c, '效益指标', '经济效益指标', p, a, '经济效益'),
    ),
    ...uniqueDrafts(c, g.social!, [...SOCIAL_PATTERNS, ...SOCIAL_QUANTITY], (p, a) =>
      'unit' in p
        ? quantityDraft(c, '效益指标', '社会效益指标', p, a)
        : qualitativeDraft(c, '效益指标', '社会效益指标', p, a, '社会效益'),
    ),
    ...uniqueDrafts(c, g.ecology!, ECOLOGY_PATTERNS, (p, a) =>
      qualitativeDraft(c, '效益指标', '生态效益指标', p, a, '生态效益'),
    ),
    ...uniqueDrafts(c, g.sustain!, SUSTAIN_PATTERNS, (p, a) =>
      qualitativeDraft(c, '效益指标', '可持续影响指标', p, a, '可持续发展'),
    ),
    ...uniqueDrafts(c, g.satisfaction!, SATISFACTION_NAMES, (p, a) => satisfactionDraft(c, fill(p, { a }))),
    budgetDraft(c),
    ...(g.threeCosts ? [threeCostsDraft(c)] : []),
    ...(g.socialCost ? [negativeDraft(c, '社会成本指标', rng.pick(areas))] : []),
    ...(g.ecoCost ? [negativeDraft(c, '生态环境成本指标', rng.pick(areas))] : []),
  ];
  const points = sharePoints(
    drafts.map((d) => d.weight),
    total,
  );
  const indicators: Indicator[] = drafts.map((d, i) => {
    const ind: Indicator = { ...d.indicator, scoring: d.scoring(points[i]!) };
    if (rng.chance(0.08))
      ind.note = rng.pick(['以年度工作台账为准', `数据来源于${id.name}统计报表`, '上级另有规定的从其规定']);
    return ind;
  });

  const filedDay = rng.int(1, 20);
  const business = filedDay + rng.int(1, 5);
  return {
    fiscal_year: fy,
    department: { code: id.code, name: id.name },
    duties,
    goals,
    indicators,
    signoff: {
      business_review: isoDate(fy - 1, 12, business),
      performance_review: isoDate(fy - 1, 12, business + rng.int(0, 3)),
      preparer: personName(rng),
      phone: phone(rng),
      filed: isoDate(fy - 1, 12, filedDay),
      head: personName(rng),
    },
  };
}

/** `opts.departments` departments, in order. */
export function generateDepartments(opts: GenerateOptions): DepartmentTargets[] {
  return Array.from({ length: opts.departments }, (_, i) => generateDepartment(opts.seed, i, opts));
}

/** The YAML a person would write: the schema line first, scoring rules on one line where short. */
export function departmentYaml(d: DepartmentTargets): string {
  const doc = new Document(d);
  const inds = doc.get('indicators', true) as YAMLSeq<YAMLMap>;
  for (const item of inds.items) {
    const scoring = item.get('scoring', true) as unknown as YAMLMap;
    const list = (scoring.get('grades', true) ?? scoring.get('bands', true)) as YAMLSeq<YAMLMap> | undefined;
    if (list) for (const x of list.items) x.flow = true;
    else if (!scoring.has('text')) scoring.flow = true;
  }
  return `${SCHEMA_COMMENT}\n${doc.toString({ lineWidth: 0 })}`;
}

/** The bureau settings the departments are generated for. */
export function settingsYaml(pointsTotal = DEFAULT_SETTINGS.points_total): string {
  return [
    '# yaml-language-server: $schema=./schema/settings.schema.json',
    '# 基准测试用的合成数据 synthetic data for `jxmb bench`',
    `points_total: ${pointsTotal}`,
    `required_level1: [${DEFAULT_SETTINGS.required_level1.join(', ')}]`,
    `date_format: ${DEFAULT_SETTINGS.date_format}`,
    'lang: zh',
    '',
  ].join('\n');
}

/**
 * The whole project: jxmb.settings.yaml, then per department data/<year>/<code>.yaml and (unless
 * `selfEvaluations` is false) its data/<year>/<code>.self-eval.yaml.
 */
export function generateProject(opts: GenerateOptions): GeneratedFile[] {
  const withSelfEval = opts.selfEvaluations ?? true;
  return [
    { path: 'jxmb.settings.yaml', text: settingsYaml(opts.pointsTotal) },
    ...generateDepartments(opts).flatMap((d, i) => {
      const dir = `data/${d.fiscal_year}/${d.department.code}`;
      const targets = { path: `${dir}.yaml`, text: departmentYaml(d) };
      if (!withSelfEval) return [targets];
      return [
        targets,
        { path: `${dir}${SELF_EVAL_SUFFIX}`, text: selfEvaluationYaml(generateSelfEvaluation(opts.seed, i, d)) },
      ];
    }),
  ];
}

// ---- the year-end self-evaluation ----

/** The scoring settings the generated project has (bench settings: the defaults). */
const SCORE_SETTINGS = DEFAULT_SETTINGS;

/** Round like the unit: whole numbers for counts, two decimals for money, one for rates. */
function roundLike(x: number, ind: Indicator): number {
  const t = ind.value as number;
  if (ind.unit === '%') return Math.min(100, Math.round(x * 10) / 10);
  if (ind.unit === '万元' || !Number.isInteger(t)) return Math.round(x * 100) / 100;
  return Math.max(0, Math.round(x));
}

/** How the year went for one indicator: met (the usual), exceeded, or missed (with a reason). */
type Outcome = 'met' | 'exceeded' | 'missed';

/** The actual value a department reports for an indicator under `outcome`. */
function actualFor(rng: Rng, ind: Indicator, outcome: Outcome, fy: number): number | string {
  const s = ind.scoring;
  if (s.kind === 'grades') {
    const labels = (s.grades ?? []).map((g) => g.label);
    return outcome === 'missed' && labels.length > 1 ? labels[1]! : labels[0]!;
  }
  if (s.kind === 'deadline') {
    const deadline = deadlineOf(String(ind.value)) ?? `${fy}-12-31`;
    const [y, m, d] = deadline.split('-').map(Number) as [number, number, number];
    return outcome === 'missed' ? isoDate(y, m, d + rng.int(3, 40)) : isoDate(y, m, d - rng.int(0, 45));
  }
  const t = ind.value as number;
  const below = ind.type === '≤' || ind.type === '<' || ind.type === '<=';
  if (ind.type === '=') return outcome === 'missed' ? roundLike(t * (0.85 + rng.next() * 0.1), ind) : t;
  if (below) {
    // Spending: mostly under the ceiling; a miss overruns it by a few percent.
    if (outcome === 'missed') return roundLike(t * (1.01 + rng.next() * 0.05), ind);
    return roundLike(t * (outcome === 'exceeded' ? 0.7 + rng.next() * 0.15 : 0.88 + rng.next() * 0.12), ind);
  }
  if (ind.unit === '%') {
    if (outcome === 'missed') return roundLike(t - 1 - rng.next() * Math.min(15, t / 5), ind);
    if (outcome === 'exceeded' && t < 100) return roundLike(t + rng.next() * (100 - t), ind);
    return t;
  }
  if (outcome === 'missed') return roundLike(t * (0.6 + rng.next() * 0.35), ind);
  if (outcome === 'exceeded') return roundLike(t * (1.05 + rng.next() * 0.4), ind);
  return t;
}

/** 偏差原因分析及改进措施 by what fell short: spending over its ceiling, a late finish, satisfaction, the rest. */
const REASONS = {
  overrun: [
    '实际支出超出目标，主要因年中新增临时性任务；今后严格预算执行，从严控制支出。',
    '年中追加了应急支出，超出年初控制数；今后加强预算执行监控，从严审批。',
  ],
  late: [
    '项目验收推迟，完成时间晚于计划；今后建立进度台账，定期督办。',
    '上级资金下达较晚，项目启动推迟；今后加强与上级部门的沟通衔接，提前谋划。',
  ],
  satisfaction: [
    '部分服务对象反映办理时间较长，满意度未达目标；将推行并联办理，压缩办理时限。',
    '宣传解释不够到位，群众知晓率不高；下一步加大政策宣传力度，主动回访。',
  ],
  other: [
    '受年中项目调整影响，部分任务延后实施；明年提前谋划，按月调度进度。',
    '基层人员力量不足，工作推进较慢；下一步充实业务骨干，加强培训。',
    '受天气等客观因素影响，部分活动未能如期开展；明年提前做好预案。',
    '上级资金下达较晚，项目启动推迟，未能全部完成；今后加强与上级部门的沟通衔接。',
  ],
} as const;
const EXCEEDED_NOTES: readonly string[] = [
  '超额完成，主要因上级追加任务并安排了配套资金。',
  '超额完成，得益于各乡镇（街道）积极配合、提前部署。',
];

function reasonFor(rng: Rng, ind: Indicator): string {
  const k = ind.scoring.kind;
  if (k === 'overrun' || ind.type === '≤') return rng.pick(REASONS.overrun);
  if (k === 'deadline') return rng.pick(REASONS.late);
  if (ind.level1 === '满意度指标') return rng.pick(REASONS.satisfaction);
  return rng.pick(REASONS.other);
}

/**
 * The self-evaluation department `index` files for its targets `d` after the year: about 78% of the
 * indicators met, 12% exceeded, 10% missed (each miss explained, a few exceedances noted), spending
 * 85–100% of an adjusted budget. Its own random stream, so the targets files stay byte for byte as before.
 */
export function generateSelfEvaluation(seed: number, index: number, d: DepartmentTargets): SelfEvaluation {
  const rng = createRng(departmentSeed(seed, index) ^ 0x5e1f3a1e);
  const fy = d.fiscal_year;
  // The budget the 部门预算支出金额 indicator caps: adjusted during the year, mostly spent.
  const budgetIndicator = d.indicators.find((i) => i.name === '部门预算支出金额');
  const planned = budgetIndicator?.value;
  const initial = typeof planned === 'number' ? planned : niceValue(rng, { min: 200, max: 6000, money: true });
  const adjusted = Math.round(initial * (0.97 + rng.next() * 0.15) * 100) / 100;
  const spent = Math.round(adjusted * (0.85 + rng.next() * 0.15) * 100) / 100;
  const results: IndicatorResult[] = d.indicators.map((ind) => {
    const roll = rng.next();
    const outcome: Outcome = roll < 0.1 ? 'missed' : roll < 0.22 ? 'exceeded' : 'met';
    const actual = ind === budgetIndicator ? spent : actualFor(rng, ind, outcome, fy);
    const r: IndicatorResult = { name: ind.name, actual };
    const c = computeScore(ind, actual, SCORE_SETTINGS);
    if (!('score' in c) || c.score < ind.scoring.points) r.reason = reasonFor(rng, ind);
    else if (outcome === 'exceeded' && rng.chance(0.15)) r.reason = rng.pick(EXCEEDED_NOTES);
    return r;
  });
  const goals = d.goals.map((g) =>
    rng.pick([
      `${g.replace(/。$/, '')}，全年已按计划完成。`,
      `已完成：${g.replace(/。$/, '')}。`,
      `基本完成。${g.replace(/。$/, '')}，个别任务因客观原因延后，已纳入下年度计划。`,
    ]),
  );
  const se: SelfEvaluation = {
    fiscal_year: fy,
    department: d.department.code,
    budget: { initial, adjusted, spent },
    goals,
    results,
  };
  const missed = results.filter((r) => r.reason && !EXCEEDED_NOTES.includes(r.reason)).length;
  const grade = evaluate(d, se, SCORE_SETTINGS).grade;
  se.conclusion =
    grade === '优'
      ? `${fy}年度整体绩效目标全面完成，预算执行规范，各项指标总体达到或超过年初目标。`
      : `${fy}年度整体绩效目标基本完成，${missed}项指标未达年初目标，预算执行总体规范。`;
  se.problems = missed
    ? `${missed}项指标未完成；部分项目进度滞后，预算执行进度不够均衡。`
    : '部分项目前期准备不够充分，预算执行进度不够均衡。';
  se.improvements = '加强项目谋划和过程监控，按月调度重点工作进度，提高预算执行的均衡性和资金使用效益。';
  const filed = isoDate(fy + 1, 1, rng.int(5, 25));
  se.signoff = { preparer: d.signoff.preparer, phone: d.signoff.phone, filed, head: d.signoff.head };
  return se;
}

/** The self-evaluation as a clerk writes it: the schema line first, the sign-off on one line. */
export function selfEvaluationYaml(se: SelfEvaluation): string {
  const doc = new Document(se);
  const signoff = doc.get('signoff', true) as YAMLMap | undefined;
  if (signoff) signoff.flow = true;
  return `${SELF_EVAL_SCHEMA_COMMENT}\n${doc.toString({ lineWidth: 0 })}`;
}
