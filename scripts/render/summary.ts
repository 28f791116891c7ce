/**
 * The bureau's summary of a year's self-evaluations (issue 16, "The form and the bureau's view"):
 * every department ranked by total with its grade, budget execution rate and budget score; the
 * indicators that lost the most points, across the bureau and each department's worst; and the grade
 * distribution. `out/<year>/summary.html` (templates/summary.hbs) and `summary.xlsx` (the project's own
 * OOXML writer). Pure: 自评表 models in, a summary, HTML and bytes out — the same bytes for the same models.
 *
 * The bar chart is plain SVG computed here and drawn by the template, not a charting library: four bars
 * need no dependency, the numbers are exact (each bar's height is its count × a fixed step, its count
 * printed above it), and a static SVG prints and opens from file:// like the rest of the page.
 */
import Handlebars from 'handlebars';
import { formatNumber } from '../model/scoring.ts';
import { chinaWallClock, documentInstant } from './document-date.ts';
import type { SelfEvalModel } from './self-eval-form.ts';
import { type CellStyle, type Font, type Row, type Sheet, workbookParts } from './xlsx/ooxml.ts';
import { writeZip } from './xlsx/zip.ts';
import { BODY_FONT, TITLE_FONT } from './xlsx.ts';

export const SUMMARY_FILE = 'summary';
export const SUMMARY_TITLE = '部门整体支出绩效自评汇总';
/** The grade labels in the order the chart and tables show them (the usual 财政 grading). */
export const GRADE_ORDER = ['优', '良', '中', '差'] as const;
/** How many indicators the bureau-wide list of lost points shows. */
export const LOST_TOP = 10;

/** What the summary needs of a department's 自评表 (a subset of SelfEvalModel). */
export type SummaryInput = Pick<
  SelfEvalModel,
  'fiscalYear' | 'department' | 'name' | 'total' | 'grade' | 'pointsTotal' | 'budget' | 'filedIso'
> & { rows: readonly Pick<SelfEvalModel['rows'][number], 'name' | 'points' | 'score'>[] };

/** Only what summarizeYear reads of a self-evaluation (a bureau's year holds thousands). */
export function summaryInput(m: SummaryInput): SummaryInput {
  return {
    fiscalYear: m.fiscalYear,
    department: m.department,
    name: m.name,
    total: m.total,
    grade: m.grade,
    pointsTotal: m.pointsTotal,
    budget: m.budget,
    rows: m.rows.map((r) => ({ name: r.name, points: r.points, score: r.score })),
    ...(m.filedIso !== undefined ? { filedIso: m.filedIso } : {}),
  };
}

export interface RankedDepartment {
  /** 1-based; ties share a rank (1, 2, 2, 4). */
  rank: number;
  code: string;
  name: string;
  total: number;
  pointsTotal: number;
  grade: string;
  /** B/A, absent when it cannot be computed. */
  budgetRate?: number;
  budgetScore: number;
  budgetPoints: number;
  /** The indicator that lost the most points (the first in the form's order on a tie); absent: none lost. */
  worst?: { name: string; lost: number };
}

export interface LostIndicator {
  name: string;
  /** Points lost, summed over the departments that lost any on an indicator of this name. */
  lost: number;
  /** How many departments lost points on it. */
  departments: number;
}

export interface YearSummary {
  fiscalYear: number;
  ranking: RankedDepartment[];
  /** The indicators that lost the most points across the bureau, most first (at most LOST_TOP). */
  lost: LostIndicator[];
  /** Departments per grade label: 优/良/中/差 first, then any other label in order of appearance. */
  grades: { label: string; count: number }[];
  /** Self-evaluations of the year left out because they do not pass their checks. */
  excluded: number;
  /** The latest 填报日期 (ISO), the workbook's date. */
  filedIso?: string;
}

/** Hundredths: totals are sums of rounded scores, compared without floating-point noise. */
const cents = (n: number): number => Math.round(n * 100);
const round2 = (n: number): number => cents(n) / 100;

/** Ranks the departments of one year and gathers what lost points. */
export function summarizeYear(fiscalYear: number, inputs: readonly SummaryInput[], excluded = 0): YearSummary {
  const sorted = [...inputs].sort(
    (a, b) =>
      cents(b.total) - cents(a.total) || (a.department < b.department ? -1 : a.department > b.department ? 1 : 0),
  );
  const ranking = sorted.map((m, i): RankedDepartment => {
    // A tie keeps the rank of the first of its run: 1, 2, 2, 4.
    let first = i;
    while (first > 0 && cents(sorted[first - 1]!.total) === cents(m.total)) first--;
    let worst: RankedDepartment['worst'];
    for (const r of m.rows) {
      const lost = round2(r.points - r.score);
      if (lost > 0 && (!worst || lost > worst.lost)) worst = { name: r.name, lost };
    }
    return {
      rank: first + 1,
      code: m.department,
      name: m.name,
      total: m.total,
      pointsTotal: m.pointsTotal,
      grade: m.grade,
      ...(m.budget.rate !== undefined ? { budgetRate: m.budget.rate } : {}),
      budgetScore: m.budget.score,
      budgetPoints: m.budget.points,
      ...(worst ? { worst } : {}),
    };
  });
  // By 三级指标 name (a name a department uses twice counts it once among the departments).
  const byName = new Map<string, { lost: number; departments: Set<string> }>();
  for (const m of sorted)
    for (const r of m.rows) {
      const lost = cents(r.points - r.score);
      if (lost <= 0) continue;
      const seen = byName.get(r.name) ?? { lost: 0, departments: new Set<string>() };
      seen.lost += lost;
      seen.departments.add(m.department);
      byName.set(r.name, seen);
    }
  const lost = [...byName]
    .map(([name, l]): LostIndicator => ({ name, lost: l.lost / 100, departments: l.departments.size }))
    .sort((a, b) => b.lost - a.lost || b.departments - a.departments || (a.name < b.name ? -1 : 1))
    .slice(0, LOST_TOP);
  const labels: string[] = [...GRADE_ORDER];
  for (const m of sorted) if (!labels.includes(m.grade)) labels.push(m.grade);
  const grades = labels.map((label) => ({ label, count: sorted.filter((m) => m.grade === label).length }));
  const filed = inputs.map((m) => m.filedIso).filter((d): d is string => Boolean(d));
  const filedIso = filed.length ? filed.sort().at(-1) : undefined;
  return { fiscalYear, ranking, lost, grades, excluded, ...(filedIso ? { filedIso } : {}) };
}

// ---- HTML ----

const rateText = (rate: number | undefined): string => (rate === undefined ? '' : `${(rate * 100).toFixed(2)}%`);
const score = (n: number): string => n.toFixed(2);

/** The chart's geometry (SVG user units): one bar per grade, its count above it, its label below. */
const CHART = { width: 360, height: 200, top: 24, bottom: 28, bar: 48, gap: 36, left: 30 } as const;

export interface GradeBar {
  label: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the count and the label are written. */
  cx: number;
  countY: number;
  labelY: number;
}

/** The bars of the grade distribution: heights in proportion to the counts, the largest filling the plot. */
export function gradeBars(grades: YearSummary['grades']): {
  width: number;
  height: number;
  baseline: number;
  bars: GradeBar[];
} {
  const plot = CHART.height - CHART.top - CHART.bottom;
  const max = Math.max(1, ...grades.map((g) => g.count));
  const baseline = CHART.height - CHART.bottom;
  const bars = grades.map((g, i): GradeBar => {
    const height = Math.round((plot * g.count * 100) / max) / 100;
    const x = CHART.left + i * (CHART.bar + CHART.gap);
    return {
      label: g.label,
      count: g.count,
      x,
      y: baseline - height,
      width: CHART.bar,
      height,
      cx: x + CHART.bar / 2,
      countY: baseline - height - 6,
      labelY: baseline + 18,
    };
  });
  const width = Math.max(CHART.width, CHART.left * 2 + grades.length * (CHART.bar + CHART.gap) - CHART.gap);
  return { width, height: CHART.height, baseline, bars };
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** out/<year>/summary.html from templates/summary.hbs; the fonts are the forms' (`../assets/fonts/`). */
export function summaryHtml(s: YearSummary, template: string, toolVersion?: string): string {
  let t = compiled.get(template);
  if (!t) {
    t = Handlebars.create().compile(template, { strict: true });
    compiled.set(template, t);
  }
  const chart = gradeBars(s.grades);
  return t({
    title: `${s.fiscalYear}年度 ${SUMMARY_TITLE}`,
    year: s.fiscalYear,
    count: s.ranking.length,
    excluded: s.excluded,
    toolVersion: toolVersion ?? null,
    ranking: s.ranking.map((r) => ({
      rank: r.rank,
      code: r.code,
      name: r.name,
      total: score(r.total),
      pointsTotal: formatNumber(r.pointsTotal),
      grade: r.grade,
      rate: rateText(r.budgetRate),
      budgetScore: score(r.budgetScore),
      budgetPoints: formatNumber(r.budgetPoints),
      worst: r.worst ? { name: r.worst.name, lost: score(r.worst.lost) } : null,
      href: `${encodeURIComponent(r.code)}.self-eval.html`,
    })),
    lost: s.lost.map((l, i) => ({ n: i + 1, name: l.name, lost: score(l.lost), departments: l.departments })),
    grades: s.grades,
    chart: { ...chart, axisEnd: chart.width - CHART.left / 2, axisStart: CHART.left / 2 },
  });
}

// ---- xlsx ----

const CJK = { family: 3, charset: 134 } as const;
const body: Font = { name: BODY_FONT, size: 11, ...CJK };
const centre = { horizontal: 'center', vertical: 'center', wrapText: true } as const;
const left = { horizontal: 'left', vertical: 'center', wrapText: true } as const;
const S = {
  title: { font: { name: TITLE_FONT, size: 16, ...CJK, bold: true }, alignment: centre },
  head: { font: { ...body, bold: true }, alignment: centre, border: 'thin' },
  centre: { font: body, alignment: centre, border: 'thin' },
  left: { font: body, alignment: left, border: 'thin' },
  int: { font: body, alignment: centre, border: 'thin', numFmt: '0' },
  score: { font: body, alignment: centre, border: 'thin', numFmt: '0.00' },
  rate: { font: body, alignment: centre, border: 'thin', numFmt: '0.00%' },
} satisfies Record<string, CellStyle>;

/** The header rows of the workbook's sheets (row 2; row 1 is the title). */
export const RANKING_HEADER = [
  '名次',
  '部门代码',
  '部门（单位）名称',
  '总分',
  '评价等级',
  '预算执行率',
  '预算执行得分',
  '失分最多的指标',
  '失分',
] as const;
export const LOST_HEADER = ['序号', '三级指标', '失分合计', '失分部门数'] as const;
export const GRADES_HEADER = ['评价等级', '部门数'] as const;

type Value = string | number | undefined;

function sheet(
  name: string,
  title: string,
  header: readonly string[],
  widths: number[],
  rows: [Value, CellStyle][][],
): Sheet {
  const cols = header.length;
  const out: Row[] = [
    {
      height: 28,
      cells: [{ value: title, style: S.title }, ...Array.from({ length: cols - 1 }, () => ({ style: S.title }))],
    },
    { cells: header.map((h) => ({ value: h, style: S.head })) },
    ...rows.map((r) => ({
      cells: r.map(([value, style]) => (value === undefined || value === '' ? { style } : { value, style })),
    })),
  ];
  return {
    name,
    columns: widths,
    rows: out,
    merges: [{ top: 1, left: 1, bottom: 1, right: cols }],
    validations: [],
    showGridLines: false,
    freezeRows: 2,
    page: {
      paperSize: 9,
      orientation: 'landscape',
      fitTo: { width: 1, height: 0 },
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitleRows: { first: 2, last: 2 },
      oddFooter: '&C第 &P 页 共 &N 页',
      evenFooter: '&C第 &P 页 共 &N 页',
    },
  };
}

/** out/<year>/summary.xlsx: 排名, 失分指标 and 等级分布, numbers as numeric cells. */
export function renderSummaryXlsx(s: YearSummary): Uint8Array {
  const title = `${s.fiscalYear}年度 ${SUMMARY_TITLE}`;
  const created = documentInstant(s.filedIso ?? `${s.fiscalYear + 1}-01-01`);
  const ranking = sheet(
    '排名',
    title,
    RANKING_HEADER,
    [7, 24, 40, 9, 10, 12, 13, 40, 8],
    s.ranking.map((r) => [
      [r.rank, S.int],
      [r.code, S.left],
      [r.name, S.left],
      [r.total, S.score],
      [r.grade, S.centre],
      [r.budgetRate, S.rate],
      [r.budgetScore, S.score],
      [r.worst?.name, S.left],
      [r.worst?.lost, S.score],
    ]),
  );
  const lost = sheet(
    '失分指标',
    `${title} · 失分最多的指标`,
    LOST_HEADER,
    [7, 48, 12, 12],
    s.lost.map((l, i) => [
      [i + 1, S.int],
      [l.name, S.left],
      [l.lost, S.score],
      [l.departments, S.int],
    ]),
  );
  const grades = sheet(
    '等级分布',
    `${title} · 等级分布`,
    GRADES_HEADER,
    [12, 12],
    s.grades.map((g) => [
      [g.label, S.centre],
      [g.count, S.int],
    ]),
  );
  const parts = workbookParts({
    props: {
      title,
      subject: SUMMARY_TITLE,
      keywords: [SUMMARY_TITLE, `${s.fiscalYear}年度`].join(', '),
      creator: 'jxmb',
      lastModifiedBy: 'jxmb',
      created,
      modified: created,
    },
    sheets: [ranking, lost, grades],
    names: [],
  });
  return writeZip(parts, { date: chinaWallClock(created) });
}
