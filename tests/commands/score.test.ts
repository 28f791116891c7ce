/**
 * `jxmb score` and `jxmb self-eval init`. The seed department's 2025 self-evaluation is scored here by
 * hand, line by line with the arithmetic written out, and must equal what `jxmb score` reports.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SelfEvaluation } from '../../scripts/model/types.generated.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const seedEval = readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');
const EVAL = 'data/2025/zhijiang-swkjgxj.self-eval.yaml';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-score-'));
  writeFileSync(path.join(dir, 'jxmb.settings.yaml'), readFileSync(path.join(ROOT, 'jxmb.settings.yaml')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

interface ScoreJson {
  department: string;
  name: string;
  fiscal_year: number;
  total: number;
  points_total: number;
  grade: string;
  budget: { rate: number; score: number; points: number; working: string };
  indicators: { name: string; points: number; actual: unknown; score: number; manual: boolean; working: string }[];
}

/**
 * The seed by hand. Each line: indicator, its rule, the actual in the fixture, the arithmetic.
 * p = points, t = target, a = actual.
 */
const BY_HAND: [string, number, number][] = [
  // ratio ≥: p × min(a / t, 1)
  ['新增规模工业企业', 2, 2 * Math.min(3 / 3, 1)], // 2 × 1 = 2
  ['新增省级专精特新小巨人企业', 2, 2 * Math.min(1 / 1, 1)], // 2 × 1 = 2
  ['外贸进出口倍增企业', 2, 2 * Math.min(0 / 1, 1)], // 2 × 0 = 0
  ['培育高新技术企业', 2, 1.5], // 2 × 3/4 = 1.5
  ['引进高中层次人才', 2, 2], // 2 × min(6/5, 1) = 2 × 1 = 2 (over target counts as on target)
  ['开展科技培训', 2, 2], // 2 × 4/4 = 2
  ['高新技术企业每家企业完成专利', 2, 2], // 2 × 1/1 = 2
  ['引进高中层次人才', 2, 2], // the second of that name: 2 × 1/1 = 2
  ['开展科技培训人数', 2, 2], // 2 × min(1200/1000, 1) = 2
  ['规模工业增加值增速', 2, 1.6], // 2 × 6.8/8.5 = 2 × 0.8 = 1.6
  // deadline 2026年12月31日前, done 2027-01-20: 20 days late; 10 − 1 × 20/10 = 8
  ['工作完成时间', 10, 8],
  ['新增规模工业企业营业收入达到标准', 5, 5], // 5 × min(2300/2000, 1) = 5
  ['小巨人企业营业收入达到标准', 5, 4.25], // 5 × 850/1000 = 4.25
  ['外贸进出口倍增企业进出口总额', 5, 3], // 5 × 0.6/1 = 3
  ['提供良好履职基础，提升服务社会发展能力，提高企业满意度', 5, 3], // grades: 效果一般 → 3
  ['推动科技和企业发展相结合，用科技手段形成经济利益共同体', 10, 10], // grades: 效果明显 → 10
  ['服务企业满意度', 10, 8.5], // shortfall: 87 < 90, 10 − 0.5 × (90 − 87)/1 = 10 − 1.5 = 8.5
  ['部门预算支出金额', 20, 20], // overrun: 931 ≤ 934.41 → 20
];
// Budget line: 10 × min(931 / 950, 1) = 10 × 0.98 = 9.8.
const BUDGET = 9.8;
// Total: 2+2+0+1.5+2+2+2+2+2+1.6 = 17.1; +8 = 25.1; +5+4.25+3 = 37.35; +3+10 = 50.35; +8.5+20 = 78.85;
// + 9.8 (budget) = 88.65 of 90 + 10 = 100 points → 80 ≤ 88.65 < 90: 良.
const TOTAL = 88.65;

describe('jxmb score: the seed scored by hand', () => {
  const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed, [EVAL]: seedEval });

  it('--format json: every line, the budget line, the total and the grade agree with the hand', async () => {
    const r = await runCli(['score', '--format', 'json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [d, ...rest] = JSON.parse(r.out) as ScoreJson[];
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ department: 'zhijiang-swkjgxj', fiscal_year: 2025, points_total: 100, grade: '良' });
    expect(d!.indicators.map((i) => [i.name, i.points, i.score])).toEqual(BY_HAND);
    expect(d!.indicators.every((i) => !i.manual)).toBe(true);
    expect(d!.budget).toMatchObject({ rate: 0.98, score: BUDGET, points: 10 });
    const sum = BY_HAND.reduce((a, [, , s]) => a + s, 0) + BUDGET;
    expect(Math.round(sum * 100) / 100).toBe(TOTAL);
    expect(d!.total).toBe(TOTAL);
    // The actual as written in the fixture, beside the score.
    const written = (parse(seedEval) as SelfEvaluation).results.map((x) => x.actual);
    expect(d!.indicators.map((i) => i.actual)).toEqual(written);
    expect(d!.indicators[10]!.working).toBe('2027-01-20 比 2026-12-31 晚 20 天：10 − 1 × 20 / 10 = 8');
  });

  it('--format text: a table with the total, grade, budget line and the working', async () => {
    const r = await runCli(['score'], dir);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`芷江侗族自治县商务科技和工业和信息化局（zhijiang-swkjgxj）2025 年度自评  ${EVAL}`);
    expect(lines[1]).toBe('总分 88.65 / 100  评价等级 良');
    expect(lines[2]).toContain('执行率 98%，得分 9.8 / 10');
    expect(lines.find((l) => l.includes('服务企业满意度'))).toMatch(/ 10 {3}8\.5 {2}10 − 0\.5 × 3 \/ 1 = 8\.5$/);
  });

  it('--format md: tables a pull request can show', async () => {
    const r = await runCli(['score', EVAL, '--format', 'md'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('**总分 88.65 / 100，评价等级：良**');
    expect(r.out).toContain('| 17 | 服务企业满意度 | ≥90% | 87 | 10 | 8.5 | 10 − 0.5 × 3 / 1 = 8.5 |');
  });
});

describe('jxmb score: manual scores, errors, settings', () => {
  it('a manual score is counted and marked', async () => {
    const text = seedEval.replace('    actual: 0.6\n', '    actual: 0.6\n    score: 4\n');
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed, [EVAL]: text });
    const [d] = JSON.parse((await runCli(['score', '--format', 'json'], dir)).out) as ScoreJson[];
    expect(d!.indicators[13]).toMatchObject({
      score: 4,
      manual: true,
      working: '手工给分 4（按规则 5 × min(0.6 / 1, 1) = 3）',
    });
    expect(d!.total).toBe(TOTAL + 1);
    const text2 = (await runCli(['score'], dir)).out;
    expect(text2).toContain('* 手工给分 scored by hand');
  });

  it('a self-evaluation with errors is not scored: its diagnostics on stderr, exit 1', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      [EVAL]: seedEval.replace('actual: 效果一般', 'actual: 一般'),
    });
    const r = await runCli(['score', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.err).toMatch(new RegExp(`^${EVAL.replace(/\./g, '\\.')}:\\d+:13  error  SELF_EVAL_UNKNOWN_GRADE`, 'm'));
  });

  it('settings for the year: whole steps and other grade bands', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed, [EVAL]: seedEval });
    writeFileSync(
      path.join(dir, 'jxmb.settings.yaml'),
      'points_total: 90\nyears:\n  2025:\n    deductions: whole_steps\n    grade_bands: { 优: 85, 良: 75, 中: 60 }\n',
    );
    const [d] = JSON.parse((await runCli(['score', '--format', 'json'], dir)).out) as ScoreJson[];
    // 满意度 87 vs 90: three whole steps, the same 8.5; the deadline 20 days late: two steps, the same 8.
    expect(d!.indicators[16]!.score).toBe(8.5);
    expect(d!.total).toBe(TOTAL);
    expect(d!.grade).toBe('优');
  });

  it('no self-evaluations: a usage error naming init; a targets file named: refused', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    const none = await runCli(['score'], dir);
    expect(none.code).toBe(2);
    expect(none.err).toContain('jxmb self-eval init');
    const named = await runCli(['score', 'data/2025/zhijiang-swkjgxj.yaml'], dir);
    expect(named.code).toBe(2);
    expect(named.err).toContain('不是自评文件');
  });
});

describe('jxmb self-eval init', () => {
  it('writes a skeleton: every indicator in order, actual empty, target, unit and rule beside it', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    const r = await runCli(['self-eval', 'init', '2025'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`已生成 written ${EVAL}`);
    const text = readFileSync(path.join(dir, EVAL), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/self-evaluation.schema.json');
    const data = parse(text) as SelfEvaluation;
    const targets = parse(seed) as { indicators: { name: string }[]; goals: string[] };
    expect(data.results.map((x) => x.name)).toEqual(targets.indicators.map((i) => i.name));
    expect(data.results.every((x) => x.actual === null)).toBe(true);
    expect(data.goals).toEqual(targets.goals.map(() => null));
    expect(text).toContain(
      '  - name: 服务企业满意度\n    actual: # 数字（单位 %，不写单位）｜目标 ≥ 90%｜10分：服务企业满意度达90%以上得10分，',
    );
    expect(text).toContain('    actual: # 完成日期 YYYY-MM-DD｜目标 2026年12月31日前｜10分：');
    expect(text).toContain('    actual: # 写 效果明显 / 效果一般 之一｜目标 效果明显｜5分：');
  });

  it('the skeleton validates to one SELF_EVAL_EMPTY per value to fill in', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    await runCli(['self-eval', 'init', '2025', 'zhijiang-swkjgxj'], dir);
    const r = await runCli(['validate', EVAL, '--format', 'json'], dir);
    const codes = (JSON.parse(r.out) as { code: string }[]).map((d) => d.code);
    expect(codes).toEqual(Array(3 + 2 + 18).fill('SELF_EVAL_EMPTY'));
  });

  it('never overwrites', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed, [EVAL]: seedEval });
    const r = await runCli(['self-eval', 'init', '2025'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`已存在，未覆盖 exists, kept ${EVAL}`);
    expect(readFileSync(path.join(dir, EVAL), 'utf8')).toBe(seedEval);
  });

  it('an unknown code or action is a usage error; nothing written', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    expect((await runCli(['self-eval', 'init', '2025', 'no-such'], dir)).code).toBe(2);
    expect((await runCli(['self-eval', 'make', '2025'], dir)).code).toBe(2);
    expect(existsSync(path.join(dir, EVAL))).toBe(false);
  });
});
