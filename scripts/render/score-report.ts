/**
 * `jxmb score` output: each department's total, grade, budget line and per-indicator scores, with the
 * working behind every number — as a terminal table, Markdown, or JSON for other tools. Pure.
 */
import { formatNumber } from '../model/scoring.ts';
import type { Evaluation, IndicatorScore } from '../model/self-eval.ts';

export const SCORE_FORMATS = ['text', 'md', 'json'] as const;
export type ScoreFormat = (typeof SCORE_FORMATS)[number];

const n = formatNumber;

/** The target as printed in 年度指标值: `≥3家`, `2026年12月31日前`. */
const targetText = (i: IndicatorScore): string =>
  typeof i.target === 'number' ? `${i.type === '定性' ? '' : i.type}${n(i.target)}${i.unit ?? ''}` : i.target;

const actualText = (i: IndicatorScore): string =>
  i.actual === null ? '' : typeof i.actual === 'number' ? n(i.actual) : i.actual;

/** How the counted score came about: the rule's working, or the hand-given score beside what the rule gives. */
export function workingOf(i: IndicatorScore): string {
  if (i.manual) return `手工给分 ${n(i.score)}` + (i.computed ? `（按规则 ${i.computed.working}）` : '');
  return i.computed?.working ?? '无法计算';
}

const percent = (rate: number | undefined): string => (rate === undefined ? '' : `${n(Math.round(rate * 1e6) / 1e4)}%`);

// ---- JSON ----

/** One department as `jxmb score --format json` prints it (the documented fields come first). */
export function scoreJson(e: Evaluation, file?: string) {
  return {
    department: e.code,
    name: e.name,
    fiscal_year: e.fiscalYear,
    ...(file !== undefined ? { file } : {}),
    total: e.total,
    points_total: e.pointsTotal,
    grade: e.grade,
    budget: {
      rate: e.budget.rate ?? null,
      score: e.budget.score,
      points: e.budget.points,
      initial: e.budget.initial,
      adjusted: e.budget.adjusted,
      spent: e.budget.spent,
      formula: e.budget.formula,
      working: e.budget.working,
    },
    indicators: e.indicators.map((i) => ({
      name: i.name,
      points: i.points,
      actual: i.actual,
      score: i.score,
      manual: i.manual,
      level1: i.level1,
      level2: i.level2,
      type: i.type,
      target: i.target,
      unit: i.unit ?? null,
      formula: i.manual ? '手工给分' : (i.computed?.formula ?? null),
      working: workingOf(i),
      computed: i.computed?.score ?? null,
      reason: i.reason ?? null,
    })),
  };
}

export function formatScoreJson(items: { evaluation: Evaluation; file?: string }[]): string {
  return JSON.stringify(
    items.map((x) => scoreJson(x.evaluation, x.file)),
    null,
    2,
  );
}

// ---- Markdown ----

const mdCell = (s: string): string =>
  s
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>|#~])/g, '\\$1')
    .trim();

export function formatScoreMarkdown(items: { evaluation: Evaluation }[]): string {
  return items
    .map(({ evaluation: e }) => {
      const lines = [
        `## ${mdCell(e.name)}（${e.code}）${e.fiscalYear} 年度自评`,
        '',
        `**总分 ${n(e.total)} / ${n(e.pointsTotal)}，评价等级：${e.grade}**`,
        '',
        '| 预算执行 | 全年预算数（A） | 全年执行数（B） | 执行率（B/A） | 分值 | 得分 | 计算 |',
        '|---|--:|--:|--:|--:|--:|---|',
        `| 年度资金总额 | ${e.budget.adjusted ?? ''} | ${e.budget.spent ?? ''} | ${percent(e.budget.rate)} | ` +
          `${n(e.budget.points)} | ${n(e.budget.score)} | ${mdCell(e.budget.working)} |`,
        '',
        '| # | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 计算 |',
        '|--:|---|---|---|--:|--:|---|',
        ...e.indicators.map(
          (i) =>
            `| ${i.index + 1} | ${mdCell(i.name)} | ${mdCell(targetText(i))} | ${mdCell(actualText(i))} | ` +
            `${n(i.points)} | ${n(i.score)}${i.manual ? '（手工）' : ''} | ${mdCell(workingOf(i))} |`,
        ),
        `| | **总分** | | | **${n(e.pointsTotal)}** | **${n(e.total)}** | 评价等级：${e.grade} |`,
      ];
      return lines.join('\n');
    })
    .join('\n\n');
}

// ---- terminal ----

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const cols = (s: string): number =>
  [...s].reduce((a, ch) => a + (WIDE.test(ch) || ch.codePointAt(0)! > 0x1ffff ? 2 : 1), 0);

/** Cut to `max` columns with … at the end. */
function cut(s: string, max: number): string {
  if (cols(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (cols(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const pad = (s: string, w: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, w - cols(s)));
  return right ? fill + s : s + fill;
};

/** A table on a terminal: widths from the content, the name column cut at 28 columns. */
export function formatScoreText(
  items: { evaluation: Evaluation; file?: string }[],
  opts: { color?: boolean } = {},
): string {
  const bold = (s: string): string => (opts.color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string): string => (opts.color ? `\x1b[2m${s}\x1b[22m` : s);
  return items
    .map(({ evaluation: e, file }) => {
      const head = [
        bold(`${e.name}（${e.code}）${e.fiscalYear} 年度自评`) + (file ? dim(`  ${file}`) : ''),
        `总分 ${bold(n(e.total))} / ${n(e.pointsTotal)}  评价等级 ${bold(e.grade)}`,
        `预算执行：全年预算数 ${e.budget.adjusted ?? '—'} 万元，执行数 ${e.budget.spent ?? '—'} 万元，` +
          `执行率 ${percent(e.budget.rate) || '—'}，得分 ${n(e.budget.score)} / ${n(e.budget.points)}  ` +
          dim(e.budget.working),
      ];
      const rows = [
        ['#', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '计算'],
        ...e.indicators.map((i) => [
          String(i.index + 1),
          cut(i.name, 28),
          cut(targetText(i), 18),
          cut(actualText(i), 14),
          n(i.points),
          `${n(i.score)}${i.manual ? '*' : ''}`,
          workingOf(i),
        ]),
      ];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => cols(r[c]!))));
      const right = new Set([0, 4, 5]);
      const table = rows.map((r, ri) => {
        const line = r
          .map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]!, right.has(c))))
          .join('  ')
          .trimEnd();
        return ri === 0 ? bold(line) : line;
      });
      const foot = e.indicators.some((i) => i.manual) ? [dim('* 手工给分 scored by hand')] : [];
      return [...head, '', ...table, ...foot].join('\n');
    })
    .join('\n\n');
}
