/**
 * The rules of SELF-EVAL.md "Rules a good validator enforces": each bad self-evaluation a test with its
 * code and line:col (computed from where the slip is in the text), in Chinese with a fix hint, and in English.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkSelfEvalFile, type TargetsBeside } from '../../scripts/check/self-eval.ts';
import { DIAGNOSTIC_CODES } from '../../scripts/check/diagnostic.ts';
import { messageFor } from '../../scripts/check/messages.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { FIXTURES, SEED_YAML } from '../helpers.ts';

const SEED_EVAL = readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');
const seedTargets = parse(readFileSync(SEED_YAML, 'utf8')) as DepartmentTargets;
const TARGETS: TargetsBeside = { file: 'data/2025/zhijiang-swkjgxj.yaml', exists: true, data: seedTargets };
const FILE = 'data/2025/zhijiang-swkjgxj.self-eval.yaml';

function check(text: string, targets: TargetsBeside = TARGETS) {
  const c = checkSelfEvalFile(FILE, new TextEncoder().encode(text), {
    settings: DEFAULT_SETTINGS,
    dataPath: '2025/zhijiang-swkjgxj.self-eval.yaml',
    targets,
  });
  const at = (offset: number): string => {
    const { line, col } = c.source.lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  return {
    checked: c,
    /** `CODE line:col` for every diagnostic. */
    found: c.diagnostics.map((d) => `${d.code} ${at(d.pos[0])}`),
    message: (code: string, lang: 'zh' | 'en' = 'zh'): string => {
      const d = c.diagnostics.find((x) => x.code === code);
      if (!d) throw new Error(`no ${code} among ${c.diagnostics.map((x) => x.code).join(', ')}`);
      return messageFor(d.code, d.args, lang);
    },
  };
}

/** line:col of the `occurrence`-th `needle` in `text` (plus `shift` characters). */
function where(text: string, needle: string, occurrence = 0, shift = 0): string {
  let at = -1;
  for (let k = 0; k <= occurrence; k++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  at += shift;
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** Replaces exactly one occurrence (the test fails if the text is not there). */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1).toBe(1);
  return text.replace(from, to);
}

describe('a self-evaluation that is right', () => {
  it('the seed fixture: no diagnostic, and an evaluation', () => {
    const r = check(SEED_EVAL);
    expect(r.found).toEqual([]);
    expect(r.checked.evaluation?.total).toBeGreaterThan(0);
  });
});

describe('results and indicators', () => {
  it('a result for no indicator: its name, the closest names; the indicator then has no result', () => {
    const text = edit(SEED_EVAL, 'name: 开展科技培训人数', 'name: 开展科技培训认数');
    const r = check(text);
    expect(r.found).toEqual([
      `SELF_EVAL_MISSING_RESULT ${where(text, 'results:')}`,
      `SELF_EVAL_UNKNOWN_INDICATOR ${where(text, '开展科技培训认数')}`,
    ]);
    expect(r.message('SELF_EVAL_UNKNOWN_INDICATOR')).toBe(
      '目标表 data/2025/zhijiang-swkjgxj.yaml 中没有名为 “开展科技培训认数” 的指标；' +
        '最接近的指标：开展科技培训人数、开展科技培训。请改为目标表中的名称',
    );
    expect(r.message('SELF_EVAL_UNKNOWN_INDICATOR', 'en')).toContain('the closest: "开展科技培训人数", "开展科技培训"');
    expect(r.message('SELF_EVAL_MISSING_RESULT')).toContain('第 9 个指标 “开展科技培训人数” 没有结果');
    expect(r.checked.evaluation).toBeUndefined();
  });

  it('an indicator with no result', () => {
    const text = edit(
      SEED_EVAL,
      '  - name: 服务企业满意度\n    actual: 87\n    reason: 部分企业反映审批办理时间较长，将推行并联审批。\n',
      '',
    );
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_MISSING_RESULT ${where(text, 'results:')}`]);
    expect(r.message('SELF_EVAL_MISSING_RESULT')).toContain('第 17 个指标 “服务企业满意度” 没有结果');
    expect(r.message('SELF_EVAL_MISSING_RESULT')).toContain('jxmb self-eval init');
  });

  it('a name used twice matches two indicators in order; a third is one too many', () => {
    const text = edit(
      SEED_EVAL,
      '  - name: 开展科技培训人数\n',
      '  - name: 引进高中层次人才\n    actual: 1\n  - name: 开展科技培训人数\n',
    );
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_DUPLICATE_RESULT ${where(text, '引进高中层次人才', 2)}`]);
    expect(r.message('SELF_EVAL_DUPLICATE_RESULT')).toContain(
      `第 ${where(text, '引进高中层次人才', 1).split(':')[0]} 行`,
    );
  });

  it('a result matched by id', () => {
    const targets = structuredClone(seedTargets);
    targets.indicators[0]!.id = 'new-scale-firms';
    const text = edit(
      SEED_EVAL,
      '  - name: 新增规模工业企业\n',
      '  - name: 新增规模以上工业企业\n    id: new-scale-firms\n',
    );
    expect(check(text, { ...TARGETS, data: targets }).found).toEqual([]);
    const wrong = edit(text, 'id: new-scale-firms', 'id: new-firms');
    expect(check(wrong, { ...TARGETS, data: targets }).found).toEqual([
      `SELF_EVAL_MISSING_RESULT ${where(wrong, 'results:')}`,
      `SELF_EVAL_UNKNOWN_INDICATOR ${where(wrong, 'new-firms')}`,
    ]);
  });
});

describe('an actual of the kind its rule reads', () => {
  it('a grade label that is not one of the rule’s lists the labels', () => {
    const text = edit(SEED_EVAL, 'actual: 效果一般', 'actual: 一般');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_UNKNOWN_GRADE ${where(text, 'actual: 一般', 0, 8)}`]);
    expect(r.message('SELF_EVAL_UNKNOWN_GRADE')).toMatch(
      /“一般” 不是指标 “提供良好履职基础.*只能写 效果明显、效果一般 之一$/,
    );
    expect(r.message('SELF_EVAL_UNKNOWN_GRADE', 'en')).toContain('write one of "效果明显", "效果一般"');
  });

  it('a number where a date belongs', () => {
    const text = edit(SEED_EVAL, 'actual: 2027-01-20', 'actual: 20270120');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_ACTUAL_NOT_DATE ${where(text, '20270120')}`]);
    expect(r.message('SELF_EVAL_ACTUAL_NOT_DATE')).toContain('actual 应写完成日期 YYYY-MM-DD');
  });

  it('a unit written after the number: the number alone is suggested', () => {
    const text = edit(SEED_EVAL, 'actual: 1200', 'actual: 1200人次');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_ACTUAL_NOT_NUMBER ${where(text, '1200人次')}`]);
    expect(r.message('SELF_EVAL_ACTUAL_NOT_NUMBER')).toContain('请只写数字 1200（单位 人次 不写）');
  });

  it('an empty actual is pointed at its key', () => {
    const text = edit(SEED_EVAL, 'actual: 2300', 'actual:');
    expect(check(text).found).toEqual([`SELF_EVAL_EMPTY ${where(text, 'actual:\n')}`]);
  });

  it('a text rule has no formula: a score by hand is required', () => {
    const targets = structuredClone(seedTargets);
    targets.indicators[0]!.scoring = { kind: 'text', points: 2, text: '视完成情况酌情给分。' };
    const r = check(SEED_EVAL, { ...TARGETS, data: targets });
    expect(r.found).toEqual([`SELF_EVAL_SCORE_REQUIRED ${where(SEED_EVAL, '新增规模工业企业')}`]);
    expect(r.message('SELF_EVAL_SCORE_REQUIRED')).toContain('请用 score 手工给分（0 到 2 分）');
    const given = edit(
      SEED_EVAL,
      '    actual: 3\n  - name: 新增省级',
      '    actual: 3\n    score: 2\n    reason: 全部完成。\n  - name: 新增省级',
    );
    expect(check(given, { ...TARGETS, data: targets }).found).toEqual([]);
  });
});

describe('reasons and manual scores', () => {
  it('a missing reason under full points', () => {
    const text = edit(SEED_EVAL, '    reason: 两家企业申报材料未通过省级评审，明年提前辅导。\n', '');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_REASON_MISSING ${where(text, 'actual: 3', 1, 8)}`]);
    expect(r.message('SELF_EVAL_REASON_MISSING')).toBe(
      '指标 “培育高新技术企业” 得 1.5 分，低于分值 2 分；请在 reason 中写明偏差原因和改进措施',
    );
  });

  it('a manual score above the points', () => {
    const text = edit(SEED_EVAL, '    actual: 1200\n', '    actual: 1200\n    score: 2.5\n    reason: 超额完成。\n');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_SCORE_OVER_POINTS ${where(text, '2.5', 0)}`]);
    expect(r.message('SELF_EVAL_SCORE_OVER_POINTS')).toContain('手工得分 2.5 超过该指标的分值 2');
  });

  it('a manual score needs a reason even at full points', () => {
    const text = edit(SEED_EVAL, '    actual: 1200\n', '    actual: 1200\n    score: 2\n');
    expect(check(text).found).toEqual([`SELF_EVAL_MANUAL_REASON ${where(text, 'score: 2\n', 0, 7)}`]);
  });
});

describe('the file against its targets file', () => {
  it('a self-evaluation with no targets file', () => {
    const r = check(SEED_EVAL, { file: 'data/2025/zhijiang-swkjgxj.yaml', exists: false });
    expect(r.found).toEqual([`SELF_EVAL_NO_TARGETS ${where(SEED_EVAL, 'zhijiang-swkjgxj', 0)}`]);
    expect(r.message('SELF_EVAL_NO_TARGETS')).toContain('没有这份自评所评价的目标表 data/2025/zhijiang-swkjgxj.yaml');
  });

  it('a targets file with errors', () => {
    const r = check(SEED_EVAL, { file: 'data/2025/zhijiang-swkjgxj.yaml', exists: true });
    expect(r.found).toEqual([`SELF_EVAL_TARGETS_INVALID ${where(SEED_EVAL, 'zhijiang-swkjgxj', 0)}`]);
  });

  it('fiscal_year differs from the targets file and the folder', () => {
    const text = edit(SEED_EVAL, 'fiscal_year: 2025', 'fiscal_year: 2024');
    expect(check(text).found).toEqual([
      `SELF_EVAL_YEAR_MISMATCH ${where(text, '2024')}`,
      `YEAR_FOLDER_MISMATCH ${where(text, '2024')}`,
    ]);
  });

  it('department differs from the file name', () => {
    const text = edit(SEED_EVAL, 'department: zhijiang-swkjgxj', 'department: zhijiang-czj');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_DEPARTMENT_MISMATCH ${where(text, 'zhijiang-czj')}`]);
    expect(r.message('SELF_EVAL_DEPARTMENT_MISMATCH')).toContain('请把 department 改为 zhijiang-swkjgxj');
  });

  it('one result per goal of the targets file', () => {
    const text = edit(SEED_EVAL, '  - 完成了市县重点项目和县委政府交办的其他工作。\n', '');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_GOALS_COUNT ${where(text, 'goals:')}`]);
    expect(r.message('SELF_EVAL_GOALS_COUNT')).toContain('goals（实际完成情况）有 1 条');
  });

  it('spent over adjusted is a warning; the file is still scored', () => {
    const text = edit(SEED_EVAL, 'spent: 931', 'spent: 960');
    const r = check(text);
    expect(r.found).toEqual([`SELF_EVAL_OVERSPENT ${where(text, '960')}`]);
    expect(r.checked.diagnostics[0]!.severity).toBe('warning');
    expect(r.checked.evaluation?.budget.score).toBe(10);
  });

  it('the schema line on top', () => {
    const text = SEED_EVAL.split('\n').slice(1).join('\n');
    const r = check(text);
    expect(r.found).toEqual(['SCHEMA_COMMENT 1:1']);
    expect(r.message('SCHEMA_COMMENT')).toContain(
      '# yaml-language-server: $schema=../../schema/self-evaluation.schema.json',
    );
  });

  it('the schema: an unknown key with the closest one', () => {
    const text = edit(SEED_EVAL, '    reason: 受国际', '    reasn: 受国际');
    const r = check(text);
    expect(r.found).toEqual([`UNKNOWN_KEY ${where(text, 'reasn')}`]);
  });
});

describe('messages', () => {
  it('every SELF_EVAL_ code has a Chinese and an English message', () => {
    const codes = DIAGNOSTIC_CODES.filter((c) => c.startsWith('SELF_EVAL_'));
    expect(codes.length).toBe(17);
    for (const c of codes) {
      const zh = messageFor(c, { name: 'X', targets: 't.yaml' }, 'zh');
      const en = messageFor(c, { name: 'X', targets: 't.yaml' }, 'en');
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).not.toBe(zh);
    }
  });
});
