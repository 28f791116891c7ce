/**
 * The form model: validated data arranged as the printed form shows it. Every renderer (HTML, PDF,
 * xlsx, index, diff) reads this, so the form's text is decided in exactly one place.
 */
import { formatDate } from './dates.ts';
import { type ResolvedSettings, settingsForYear } from './settings.ts';
import { formatNumber, scoringSentence } from './scoring.ts';
import type { DepartmentTargets, Indicator } from './types.generated.ts';

export const FORM_TITLE = '部门（单位）整体绩效目标表';
export const LABELS = {
  name: '部门（单位）名称',
  duties: '部门（单位）职责',
  goals: '年度总体目标',
  indicators: '绩效指标',
  businessReview: '业务股室审核：',
  performanceReview: '绩效股室审核：',
} as const;
export const INDICATOR_HEADER = [
  '一级指标',
  '二级指标',
  '三级指标',
  '指标类型',
  '指标值',
  '计量单位',
  '指标解释',
  '评（扣）分标准',
  '备注',
] as const;

/** Allowed 二级指标 under each 一级指标, in the form's order (FORM.md). */
export const LEVELS = {
  成本指标: ['经济成本指标', '社会成本指标', '生态环境成本指标'],
  产出指标: ['数量指标', '质量指标', '时效指标'],
  效益指标: ['经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标'],
  满意度指标: ['服务对象满意度指标'],
} as const;
export const TYPES = ['≥', '>', '=', '≤', '<', '定性'] as const;
export type IndicatorType = (typeof TYPES)[number];

export interface IndicatorRow {
  /** Position in the source's `indicators` list (0-based). */
  index: number;
  level1: string;
  level2: string;
  name: string;
  type: IndicatorType;
  quantitative: boolean;
  value: number | string;
  valueText: string;
  unit: string;
  explanation: string;
  scoringText: string;
  points: number;
  note: string;
  id?: string;
  /** Rows the 一级 cell spans when this row starts a run of equal 一级, else 0. */
  level1Span: number;
  /** Rows the 二级 cell spans when this row starts a run of equal 一级+二级, else 0. */
  level2Span: number;
}

export interface FormModel {
  fiscalYear: number;
  code: string;
  name: string;
  title: string;
  /** `（2025）年度` */
  yearLine: string;
  duties: string[];
  /** `1、…2、…` as one cell, as the official form prints it. */
  dutiesText: string;
  goals: string[];
  /** `目标1：…目标2：…` as one cell. */
  goalsText: string;
  rows: IndicatorRow[];
  signoff: {
    businessReview: string;
    performanceReview: string;
    preparer: string;
    phone: string;
    filed: string;
    head: string;
  };
  /** `填表人：… 联系电话：… 填报日期：… 单位负责人签字：…` */
  signatureLine: string;
  pointsSum: number;
  /** 填报日期 as ISO `YYYY-MM-DD`: the documents' creation date, so builds are reproducible. */
  filedIso: string;
  /** 审核日期 as ISO: the later of the business and the performance review (the index shows it). */
  reviewedIso: string;
}

/** `>=`/`<=` as people type them become the form's `≥`/`≤`. */
export function normalizeType(t: string): IndicatorType {
  return (t === '>=' ? '≥' : t === '<=' ? '≤' : t) as IndicatorType;
}

/** Runs of equal keys as spans: [3,0,0,1,2,0] for keys a,a,a,b,c,c. */
export function spans<T>(items: readonly T[], key: (t: T) => string): number[] {
  const out = items.map(() => 0);
  for (let i = 0; i < items.length;) {
    let j = i + 1;
    while (j < items.length && key(items[j]!) === key(items[i]!)) j++;
    out[i] = j - i;
    i = j;
  }
  return out;
}

export const numberedDuties = (duties: readonly string[]): string => duties.map((d, i) => `${i + 1}、${d}`).join('');
export const numberedGoals = (goals: readonly string[]): string => goals.map((g, i) => `目标${i + 1}：${g}`).join('');

/** Arranges validated data as the form prints it. Pure. */
export function buildFormModel(
  data: DepartmentTargets,
  allSettings: ResolvedSettings,
  numberTexts?: ReadonlyMap<string, string>,
): FormModel {
  const settings = settingsForYear(allSettings, data.fiscal_year);
  const inds: Indicator[] = data.indicators;
  const l1 = spans(inds, (i) => i.level1);
  const l2 = spans(inds, (i) => `${i.level1}\u0000${i.level2}`);
  const rows: IndicatorRow[] = inds.map((ind, index) => {
    const type = normalizeType(ind.type);
    // A decimal prints as written (`12.50`, not `12.5`): LoadedSource.numberTexts.
    const valueText =
      typeof ind.value === 'number'
        ? (numberTexts?.get(`/indicators/${index}/value`) ?? formatNumber(ind.value))
        : ind.value;
    return {
      index,
      level1: ind.level1,
      level2: ind.level2,
      name: ind.name,
      type,
      quantitative: type !== '定性',
      value: ind.value,
      valueText,
      unit: ind.unit ?? '',
      explanation: ind.explanation,
      scoringText: scoringSentence(ind, ind.scoring, valueText),
      points: ind.scoring.points,
      note: ind.note ?? '',
      ...(ind.id ? { id: ind.id } : {}),
      level1Span: l1[index]!,
      level2Span: l2[index]!,
    };
  });
  const d = (iso: string): string => formatDate(iso, settings.date_format);
  const s = data.signoff;
  const signoff = {
    businessReview: d(s.business_review),
    performanceReview: d(s.performance_review),
    preparer: s.preparer,
    phone: s.phone,
    filed: d(s.filed),
    head: s.head,
  };
  return {
    fiscalYear: data.fiscal_year,
    code: data.department.code,
    name: data.department.name,
    title: FORM_TITLE,
    yearLine: `（${data.fiscal_year}）年度`,
    duties: data.duties,
    dutiesText: numberedDuties(data.duties),
    goals: data.goals,
    goalsText: numberedGoals(data.goals),
    rows,
    signoff,
    signatureLine: `填表人：${signoff.preparer} 联系电话：${signoff.phone} 填报日期：${signoff.filed} 单位负责人签字：${signoff.head}`,
    pointsSum: Number(rows.reduce((a, r) => a + r.points, 0).toFixed(6)),
    filedIso: s.filed,
    reviewedIso: s.business_review > s.performance_review ? s.business_review : s.performance_review,
  };
}
