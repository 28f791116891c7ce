/**
 * The year-end 自评表 (SELF-EVAL.md "Anatomy"): a department's scores laid out as printed, and its HTML,
 * page by page. Pure: evaluation + sources in, a model and HTML out.
 *
 * Pages are explicit as on the targets form (render/paginate.ts says why): the build measures the rows
 * once in Chromium (a measuring document, `measuring: true`), `paginateSelfEval` cuts them into pages,
 * and each page is one <section class="sheet"> with the indicator header repeated, the merged 一级/二级
 * cells of its own rows (a run carried over from the page before marked （续）) and 第 X 页 共 Y 页.
 */
import type { Evaluation } from '../model/self-eval.ts';
import type { DepartmentTargets, SelfEvaluation } from '../model/types.generated.ts';
import { pageFooter } from './html.ts';
import { pageSegments, segmentLabel } from './paginate.ts';

export const SELF_EVAL_TITLE = '部门（单位）整体支出绩效自评表';
/** The suffix of a self-evaluation's outputs and index code: `out/2025/<code>.self-eval.pdf`. */
export const SELF_EVAL_CODE_SUFFIX = '.self-eval';
export const MANUAL_MARK = '（人工评分）';

/** The classes the page code reads the documents by (browser/page-code/self-eval-code.ts). */
export const SELF_EVAL_CLASSES = {
  sheet: 'sheet',
  measure: 'measure',
  blank: 'blank',
  head: 'head',
  rows: 'rows',
  tail: 'tail',
  signature: 'signature',
  footer: 'footer',
} as const;
export type SelfEvalClasses = typeof SELF_EVAL_CLASSES;

export const BUDGET_HEADER = [
  '年初预算数',
  '全年预算数（A）',
  '全年执行数（B）',
  '分值',
  '执行率（B/A）',
  '得分',
] as const;
export const INDICATOR_COLUMNS = [
  '一级指标',
  '二级指标',
  '三级指标',
  '指标类型',
  '年度指标值',
  '实际完成值',
  '分值',
  '得分',
  '偏差原因分析及改进措施',
] as const;

export interface SelfEvalRow {
  level1: string;
  level2: string;
  name: string;
  type: string;
  target: string;
  actual: string;
  points: number;
  score: number;
  manual: boolean;
  reason: string;
}

/** What the 自评表 prints; `code` is `<department>.self-eval` (its outputs' and index entry's name). */
export interface SelfEvalModel {
  fiscalYear: number;
  code: string;
  department: string;
  name: string;
  title: string;
  yearLine: string;
  budget: {
    initial: number | null;
    adjusted: number | null;
    spent: number | null;
    points: number;
    /** B/A as printed (`98.00%`), empty when it cannot be computed. */
    rateText: string;
    rate?: number;
    score: number;
  };
  goals: { expected: string; actual: string }[];
  rows: SelfEvalRow[];
  pointsTotal: number;
  total: number;
  grade: string;
  conclusion: string;
  problems: string;
  improvements: string;
  /** The signature line's four parts (填表人：… 联系电话：… 填报日期：… 单位负责人签字：…). */
  signatureParts: string[];
  /** The parts joined as the PDF prints them. */
  signatureLine: string;
  /** 填报日期 ISO, when given (the PDF's and workbook's dates). */
  filedIso?: string;
}

/** `2026-01-15` → `2026.1.15`, as the seed prints dates. */
export const dottedDate = (iso: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : iso;
};

/** A score as printed: two decimals. */
export const scoreText = (n: number): string => n.toFixed(2);

const valueText = (v: number | string | null, unit?: string): string =>
  v === null ? '' : typeof v === 'number' ? `${v}${unit ?? ''}` : dottedDate(v);

export function selfEvalModel(targets: DepartmentTargets, se: SelfEvaluation, ev: Evaluation): SelfEvalModel {
  const s = se.signoff ?? {};
  const signatureParts = [
    `填表人：${s.preparer ?? ''}`,
    `联系电话：${s.phone ?? ''}`,
    `填报日期：${s.filed ? dottedDate(s.filed) : ''}`,
    `单位负责人签字：${s.head ?? ''}`,
  ];
  const b = ev.budget;
  return {
    fiscalYear: ev.fiscalYear,
    code: `${ev.code}${SELF_EVAL_CODE_SUFFIX}`,
    department: ev.code,
    name: ev.name,
    title: SELF_EVAL_TITLE,
    yearLine: `（${ev.fiscalYear}）年度`,
    budget: {
      initial: b.initial,
      adjusted: b.adjusted,
      spent: b.spent,
      points: b.points,
      rateText: b.rate === undefined ? '' : `${(b.rate * 100).toFixed(2)}%`,
      ...(b.rate !== undefined ? { rate: b.rate } : {}),
      score: b.score,
    },
    goals: targets.goals.map((g, i) => ({ expected: g, actual: se.goals[i] ?? '' })),
    rows: ev.indicators.map((i) => ({
      level1: i.level1,
      level2: i.level2,
      name: i.name,
      type: i.type,
      target: valueText(i.target, i.unit),
      actual: valueText(i.actual, typeof i.actual === 'number' ? i.unit : undefined),
      points: i.points,
      score: i.score,
      manual: i.manual,
      reason: i.reason ?? '',
    })),
    pointsTotal: ev.pointsTotal,
    total: ev.total,
    grade: ev.grade,
    conclusion: se.conclusion ?? '',
    problems: se.problems ?? '',
    improvements: se.improvements ?? '',
    signatureParts,
    signatureLine: signatureParts.join(' '),
    ...(s.filed ? { filedIso: s.filed } : {}),
  };
}

// ---- pages ----

/** Heights (CSS px) measured in the measuring document. */
export interface SelfEvalMeasure {
  /** Usable height of a sheet, above its footer. */
  pageHeight: number;
  /** Title, year line, name, budget and goals: page 1 above the indicator header. */
  leadHeight: number;
  headerHeight: number;
  /** Each indicator row with its 一级/二级 labels in its own cells (never less than when merged). */
  rows: number[];
  /** 总分, 评价等级, conclusion, problems, improvements and the signature line, kept together. */
  tailHeight: number;
}

export interface SelfEvalPage {
  start: number;
  end: number;
  lead: boolean;
  tail: boolean;
}

/** Page breaks: rows never split, the header on every page with rows, the closing block kept whole. */
export function paginateSelfEval(m: SelfEvalMeasure, pageHeight = m.pageHeight): SelfEvalPage[] {
  const pages: SelfEvalPage[] = [];
  let page: SelfEvalPage = { start: 0, end: 0, lead: true, tail: false };
  let used = m.leadHeight + m.headerHeight;
  m.rows.forEach((h, i) => {
    if (used + h > pageHeight && page.end > page.start) {
      pages.push(page);
      page = { start: i, end: i, lead: false, tail: false };
      used = m.headerHeight;
    }
    page.end = i + 1;
    used += h;
  });
  if (used + m.tailHeight <= pageHeight) page.tail = true;
  pages.push(page);
  if (!page.tail) pages.push({ start: m.rows.length, end: m.rows.length, lead: false, tail: true });
  return pages;
}

// ---- HTML ----

const esc = (s: string | number): string =>
  String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const num = (v: number | null): string => (v === null ? '' : String(v));

const COLS =
  '<colgroup><col class="c-label">' +
  INDICATOR_COLUMNS.map((_, i) => `<col class="c${i + 1}">`).join('') +
  '</colgroup>';

/**
 * The budget rows across the nine indicator columns: the row's label (项目 over 年度资金总额) in the first
 * BUDGET_LABEL_SPAN, then the six cells (年初预算数 … 得分) in BUDGET_SPANS.
 */
export const BUDGET_LABEL_SPAN = 2;
export const BUDGET_SPANS = [1, 2, 1, 1, 1, 1] as const;

function leadHtml(m: SelfEvalModel): string {
  const b = m.budget;
  const budgetValues = [
    num(b.initial),
    num(b.adjusted),
    num(b.spent),
    String(b.points),
    b.rateText,
    scoreText(b.score),
  ];
  const cells = (vals: readonly string[], tag: string): string =>
    vals.map((v, i) => `<${tag} colspan="${BUDGET_SPANS[i]}">${esc(v)}</${tag}>`).join('');
  const goals = m.goals.length ? m.goals : [{ expected: '', actual: '' }];
  return (
    `<tbody class="lead" data-m="lead">` +
    `<tr><th scope="row" class="label">部门（单位）名称</th><td colspan="9" class="text">${esc(m.name)}</td></tr>` +
    `<tr><th scope="rowgroup" rowspan="2" class="label">预算执行情况（万元）</th>` +
    `<th colspan="${BUDGET_LABEL_SPAN}">项目</th>${cells(BUDGET_HEADER, 'th')}</tr>` +
    `<tr class="num"><td colspan="${BUDGET_LABEL_SPAN}" class="sub">年度资金总额</td>${cells(budgetValues, 'td')}</tr>` +
    `<tr><th scope="rowgroup" rowspan="${goals.length + 1}" class="label">年度总体目标</th>` +
    `<th colspan="4">预期目标</th><th colspan="5">实际完成情况</th></tr>` +
    goals
      .map(
        (g) =>
          `<tr><td colspan="4" class="text">${esc(g.expected)}</td><td colspan="5" class="text">` +
          `${esc(g.actual)}</td></tr>`,
      )
      .join('') +
    `</tbody>`
  );
}

function scoreCell(r: SelfEvalRow): string {
  return r.manual
    ? `<td class="score manual">${scoreText(r.score)}<span class="mark">${MANUAL_MARK}</span></td>`
    : `<td class="score">${scoreText(r.score)}</td>`;
}

function rowCells(r: SelfEvalRow): string {
  return (
    `<td class="name">${esc(r.name)}</td><td class="centre">${esc(r.type)}</td>` +
    `<td class="centre">${esc(r.target)}</td><td class="centre">${esc(r.actual)}</td>` +
    `<td class="centre">${r.points}</td>${scoreCell(r)}<td class="text">${esc(r.reason)}</td>`
  );
}

const header = (continued: boolean, span: number): string =>
  `<tr class="head" data-m="head"><th scope="rowgroup" rowspan="${span}" class="label">` +
  `绩效指标${continued ? '（续）' : ''}</th>${INDICATOR_COLUMNS.map((h) => `<th scope="col">${h}</th>`).join('')}</tr>`;

function indicatorsHtml(m: SelfEvalModel, start: number, end: number): string {
  const { level1, level2 } = pageSegments(m.rows, start, end);
  const l1 = new Map(level1.map((s) => [s.start, s]));
  const l2 = new Map(level2.map((s) => [s.start, s]));
  let out = `<tbody class="indicators">${header(start > 0, end - start + 1)}`;
  for (let i = start; i < end; i++) {
    const a = l1.get(i);
    const b = l2.get(i);
    out +=
      `<tr data-row="${i}">` +
      (a ? `<th scope="rowgroup" rowspan="${a.end - a.start}" class="group">${esc(segmentLabel(a))}</th>` : '') +
      (b ? `<th scope="rowgroup" rowspan="${b.end - b.start}" class="group">${esc(segmentLabel(b))}</th>` : '') +
      `${rowCells(m.rows[i]!)}</tr>`;
  }
  return `${out}</tbody>`;
}

function tailHtml(m: SelfEvalModel): string {
  const text = (label: string, t: string): string =>
    `<tr><th scope="row" class="label">${label}</th><td colspan="9" class="text">${esc(t)}</td></tr>`;
  return (
    `<tbody class="tail">` +
    `<tr class="total"><th scope="row" class="label">总分</th><td colspan="6"></td>` +
    `<td class="centre">${m.pointsTotal}</td><td class="score">${scoreText(m.total)}</td><td></td></tr>` +
    `<tr><th scope="row" class="label">评价等级</th><td colspan="9" class="text grade">${esc(m.grade)}</td></tr>` +
    text('评价结论', m.conclusion) +
    text('存在问题', m.problems) +
    text('改进措施', m.improvements) +
    `</tbody>`
  );
}

export interface SelfEvalHtmlOptions {
  css: string;
  /** Where the fonts' stylesheet is, relative to the document (`../assets/`). */
  assetBase?: string;
}

function documentHtml(m: SelfEvalModel, body: string, opts: SelfEvalHtmlOptions, pages: number): string {
  return (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${esc(`${m.name} ${m.fiscalYear}年度 ${SELF_EVAL_TITLE}`)}</title>\n` +
    `<meta name="author" content="${esc(m.name)}">\n<meta name="generator" content="jxmb">\n` +
    `<link rel="stylesheet" href="${opts.assetBase ?? '../assets/'}fonts/fonts.css">\n` +
    `<style>\n${opts.css}</style>\n</head>\n<body>\n<main class="self-eval" data-pages="${pages}">\n${body}</main>\n` +
    '</body>\n</html>\n'
  );
}

const heading = (m: SelfEvalModel): string =>
  `<div class="heading" data-m="title"><h1 class="title">${esc(m.title)}</h1>` +
  `<p class="year">${esc(m.yearLine)}</p></div>`;

const signature = (m: SelfEvalModel): string => `<p class="signature">${esc(m.signatureLine)}</p>`;

/**
 * The measuring document: one sheet without a height holding everything once, each indicator row with its
 * labels in its own cells, and an empty sheet whose footer shows where a page's room ends.
 */
export function selfEvalMeasureHtml(m: SelfEvalModel, opts: SelfEvalHtmlOptions): string {
  const rows = m.rows
    .map(
      (r, i) =>
        // The first column is the 绩效指标 cell's (merged down the page in the form).
        `<tr data-row="${i}"><th class="label"></th><th class="group">${esc(r.level1)}</th>` +
        `<th class="group">${esc(r.level2)}</th>` +
        `${rowCells(r)}</tr>`,
    )
    .join('');
  const body =
    `<section class="sheet measure">${heading(m)}<table class="form">${COLS}${leadHtml(m)}` +
    `<tbody class="indicators">${header(false, 1)}</tbody><tbody class="rows">${rows}</tbody>` +
    `${tailHtml(m)}</table>${signature(m)}</section>\n` +
    `<section class="sheet blank"><footer class="footer">${pageFooter(1, 1)}</footer></section>\n`;
  return documentHtml(m, body, opts, 0);
}

/** The form as printed, one sheet per page. */
export function selfEvalHtml(m: SelfEvalModel, pages: readonly SelfEvalPage[], opts: SelfEvalHtmlOptions): string {
  const body = pages
    .map((p, k) => {
      const table =
        (p.lead ? leadHtml(m) : '') +
        (p.end > p.start ? indicatorsHtml(m, p.start, p.end) : '') +
        (p.tail ? tailHtml(m) : '');
      return (
        `<section class="sheet" id="page-${k + 1}">` +
        (p.lead ? heading(m) : '') +
        (table ? `<table class="form">${COLS}${table}</table>` : '') +
        (p.tail ? signature(m) : '') +
        `<footer class="footer">${pageFooter(k + 1, pages.length)}</footer></section>\n`
      );
    })
    .join('');
  return documentHtml(m, body, opts, pages.length);
}
