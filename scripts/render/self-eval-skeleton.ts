/**
 * The skeleton `jxmb self-eval init` writes for a targets file: every indicator in order with `actual:`
 * empty and the target, unit and rule as a comment beside it, so a clerk only fills in numbers. Pure.
 */
import { stringify } from 'yaml';
import { scoringSentence, formatNumber } from '../model/scoring.ts';
import { deadlineOf, SELF_EVAL_SCHEMA_COMMENT } from '../model/self-eval.ts';
import type { DepartmentTargets, Indicator } from '../model/types.generated.ts';

/** A scalar as YAML writes it (quoted where it must be), on one line. */
const scalar = (v: string | number): string => stringify(v, { lineWidth: 0 }).trimEnd();

/** Comment text on one line, cut to `max` characters. */
const oneLine = (s: string, max = 60): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
};

const cmp = (t: string): string => (t === '>=' ? '≥' : t === '<=' ? '≤' : t);

/** What to write in `actual`, the target and the rule: the comment beside an indicator's `actual:`. */
export function actualHint(ind: Indicator): string {
  const s = ind.scoring;
  const target =
    typeof ind.value === 'number' ? `${cmp(ind.type)} ${formatNumber(ind.value)}${ind.unit ?? ''}` : ind.value;
  const what =
    s.kind === 'deadline'
      ? `完成日期 YYYY-MM-DD${deadlineOf(String(ind.value)) ? '' : '，并用 score 手工给分'}`
      : s.kind === 'grades'
        ? `写 ${(s.grades ?? []).map((g) => g.label).join(' / ')} 之一`
        : s.kind === 'text'
          ? '实际情况，并用 score 手工给分'
          : typeof ind.value === 'number'
            ? `数字${ind.unit ? `（单位 ${ind.unit}，不写单位）` : ''}`
            : '实际情况';
  return oneLine(`${what}｜目标 ${target}｜${formatNumber(s.points)}分：${scoringSentence(ind, s)}`, 90);
}

export function selfEvalSkeleton(t: DepartmentTargets): string {
  const lines = [
    SELF_EVAL_SCHEMA_COMMENT,
    `# ${oneLine(t.department.name)} ${t.fiscal_year} 年度整体支出绩效自评`,
    '# 填写预算执行、每个目标的完成情况和每个指标的 actual（实际完成值）；得分由 jxmb score 按目标表的评分规则计算。',
    '# 得分低于分值的指标须写 reason（偏差原因分析及改进措施）；手工给分写 score，并写 reason。',
    `fiscal_year: ${t.fiscal_year}`,
    `department: ${scalar(t.department.code)}`,
    'budget: # 预算执行情况（万元）',
    '  initial: # 年初预算数',
    '  adjusted: # 全年预算数（A）',
    '  spent: # 全年执行数（B）',
    'goals: # 实际完成情况，与年度总体目标一一对应、顺序相同',
    // A goal that names itself (`目标1（…）：`) is not prefixed twice.
    ...t.goals.map((g, i) => `  - # ${/^\s*目标\s*\d/.test(g) ? '' : `目标${i + 1}：`}${oneLine(g)}`),
    'results: # 每个指标一条，顺序同目标表',
  ];
  for (const ind of t.indicators) {
    lines.push(`  - name: ${scalar(ind.name)}`);
    if (ind.id !== undefined) lines.push(`    id: ${scalar(ind.id)}`);
    lines.push(`    actual: # ${actualHint(ind)}`);
  }
  lines.push(
    'conclusion: "" # 评价结论',
    'problems: "" # 存在问题',
    'improvements: "" # 改进措施',
    'signoff:',
    `  preparer: ${scalar(t.signoff.preparer)}`,
    `  phone: ${JSON.stringify(t.signoff.phone)}`,
    '  # filed: YYYY-MM-DD # 填报日期',
    `  head: ${scalar(t.signoff.head)}`,
  );
  return lines.join('\n') + '\n';
}
