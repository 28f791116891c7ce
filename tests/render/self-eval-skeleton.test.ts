/** The skeleton `jxmb self-eval init` writes parses back to the targets' indicators, whatever their names. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { selfEvalSkeleton } from '../../scripts/render/self-eval-skeleton.ts';
import type { DepartmentTargets, SelfEvaluation } from '../../scripts/model/types.generated.ts';
import { SEED_YAML } from '../helpers.ts';

const seed = parse(readFileSync(SEED_YAML, 'utf8')) as DepartmentTargets;

describe('selfEvalSkeleton', () => {
  it('names YAML would misread are quoted; ids kept; a text rule asks for a score by hand', () => {
    const t = structuredClone(seed);
    const odd = ['率: 提升', '#1 指标', '- 开头', "'引号'", 'yes', '123', '  空格  '];
    odd.forEach((name, i) => (t.indicators[i]!.name = name));
    t.indicators[7]!.id = 'talent-2';
    t.indicators[8]!.scoring = { kind: 'text', points: 2, text: '视情况\n酌情给分。' };
    const text = selfEvalSkeleton(t);
    const data = parse(text) as SelfEvaluation;
    expect(data.results.map((r) => r.name)).toEqual(t.indicators.map((i) => i.name));
    expect(data.results[7]!.id).toBe('talent-2');
    expect(data.results.every((r) => r.actual === null)).toBe(true);
    const line = text.split('\n').find((_l, n, all) => all[n - 1]?.includes('开展科技培训人数'));
    expect(line).toBe('    actual: # 实际情况，并用 score 手工给分｜目标 ≥ 1000人次｜2分：视情况 酌情给分。');
  });

  it('a goal that numbers itself is not numbered twice', () => {
    const text = selfEvalSkeleton(seed);
    expect(text).toContain('  - # 目标1（党委政府下达的绩效考核目标任务）：');
    expect(text).toContain('  - # 目标2：全面完成上级下达的');
  });
});
