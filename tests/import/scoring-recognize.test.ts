/** Scoring sentences → rules: structured only when the rule regenerates the sentence exactly. */
import { describe, expect, it } from 'vitest';
import { pointsInText, recognizeScoring } from '../../scripts/import/scoring-recognize.ts';
import { generatedSentence } from '../../scripts/model/scoring.ts';
import type { Scoring } from '../../scripts/model/types.generated.ts';

const ind = { name: '服务对象满意度', value: 90 as number | string, unit: '%' };
const deadline = { name: '工作完成时间', value: '2025年12月31日前', unit: undefined };

describe('every structured kind is the inverse of its generated sentence', () => {
  const cases: Array<[string, Scoring, typeof ind | typeof deadline]> = [
    ['ratio', { kind: 'ratio', points: 2 }, ind],
    ['ratio (decimal points)', { kind: 'ratio', points: 2.5 }, ind],
    ['deadline', { kind: 'deadline', points: 10, every_days: 10, deduct: 1 }, deadline],
    [
      'grades',
      {
        kind: 'grades',
        points: 5,
        grades: [
          { label: '效果明显', points: 5 },
          { label: '效果一般', points: 3 },
        ],
      },
      deadline,
    ],
    [
      'grades (three tiers)',
      {
        kind: 'grades',
        points: 6,
        grades: [
          { label: '优', points: 6 },
          { label: '良', points: 4 },
          { label: '中', points: 2 },
        ],
      },
      deadline,
    ],
    ['shortfall', { kind: 'shortfall', points: 10, every_percent: 1, deduct: 0.5 }, ind],
    [
      'overrun',
      { kind: 'overrun', points: 20, every_percent: 1, deduct: 2 },
      { name: '部门预算支出金额', value: 934.41, unit: '万元' },
    ],
    ['direct', { kind: 'direct', points: 4 }, deadline],
    [
      'bands',
      {
        kind: 'bands',
        points: 10,
        bands: [
          { min: 90, points: 10 },
          { min: 80, points: 8 },
          { min: 60, points: 5 },
        ],
      },
      ind,
    ],
  ];
  for (const [label, scoring, i] of cases) {
    it(label, () => {
      const sentence = generatedSentence(i, scoring);
      expect(recognizeScoring(sentence, i)).toEqual({ scoring, pointsKnown: true });
    });
  }

  it('ratio with a pass mark: the rule, but the sentence states no points', () => {
    const sentence = generatedSentence(ind, { kind: 'ratio', points: 7, pass_rate: 0.6 });
    expect(sentence).toBe('完成率小于60%不得分；大于等于60%的，得分=（实际完成率-60%）/（1-60%）×指标分值。');
    expect(recognizeScoring(sentence, ind)).toEqual({
      scoring: { kind: 'ratio', points: 0, pass_rate: 0.6 },
      pointsKnown: false,
    });
  });
});

describe('sentences that do not regenerate exactly are kept as written', () => {
  it('the seed overrun sentence keeps its text with structured every_percent/deduct', () => {
    const s = '部门预算总额控制在总成本范围内，得20分，每超出1%，扣2分。';
    expect(recognizeScoring(s, { name: '部门预算支出金额', value: 934.41, unit: '万元' })).toEqual({
      scoring: { kind: 'overrun', points: 20, every_percent: 1, deduct: 2, text: s },
      pointsKnown: true,
    });
  });
  it('a near miss (no full stop) stays text, with its points', () => {
    const s = '按计划完成得2分，否则按实际值/计划值*指标分值计分';
    expect(recognizeScoring(s, ind)).toEqual({ scoring: { kind: 'text', points: 2, text: s }, pointsKnown: true });
  });
  it('a deadline sentence about another date than the value stays text', () => {
    const s = '2026年6月30日前完成，得10分，每推迟10天扣1分，扣完为止。';
    expect(recognizeScoring(s, deadline).scoring).toEqual({ kind: 'text', points: 10, text: s });
  });
  it('a shortfall sentence naming another indicator keeps its words, with its rule', () => {
    const s = '群众满意度达90%以上得10分，每下降1%，扣0.5分，扣完为止。';
    expect(recognizeScoring(s, ind)).toEqual({
      scoring: { kind: 'shortfall', points: 10, every_percent: 1, deduct: 0.5, text: s },
      pointsKnown: true,
    });
  });
  it('"0.50" is not how the generator writes 0.5: the words kept, the rule read', () => {
    const s = '服务对象满意度达90%以上得10分，每下降1%，扣0.50分，扣完为止。';
    expect(recognizeScoring(s, ind).scoring).toEqual({
      kind: 'shortfall',
      points: 10,
      every_percent: 1,
      deduct: 0.5,
      text: s,
    });
  });
  it('满意度≥90%得满分，每降低1个百分点扣0.5分: shortfall, its points the 分值 column’s', () => {
    const s = '满意度≥90%得满分，每降低1个百分点扣0.5分';
    const rule = { kind: 'shortfall', every_percent: 1, deduct: 0.5, text: s };
    expect(recognizeScoring(s, ind)).toEqual({ scoring: { ...rule, points: 0 }, pointsKnown: false });
    expect(recognizeScoring(s, ind, 10)).toEqual({ scoring: { ...rule, points: 10 }, pointsKnown: true });
  });
  it('本项10分，每超过1个百分点扣1分: overrun with its points', () => {
    const s = '本项10分，预算执行不超过计划，每超过1个百分点扣1分，扣完为止。';
    expect(recognizeScoring(s, ind)).toEqual({
      scoring: { kind: 'overrun', points: 10, every_percent: 1, deduct: 1, text: s },
      pointsKnown: true,
    });
  });
  it('a free sentence: the largest 得N分 are its points', () => {
    const s = '全部完成得8分，完成80%得6分，完成60%得3分。';
    expect(recognizeScoring(s, ind)).toEqual({ scoring: { kind: 'text', points: 8, text: s }, pointsKnown: true });
  });
  it('a sentence with no points at all: points unknown', () => {
    expect(recognizeScoring('视完成情况酌情评分。', ind)).toEqual({
      scoring: { kind: 'text', points: 0, text: '视完成情况酌情评分。' },
      pointsKnown: false,
    });
  });
  it('points: 得N分 first, then any N分', () => {
    expect(pointsInText('满分6分，未完成扣分')).toBe(6);
    expect(pointsInText('得3分或得4.5分')).toBe(4.5);
    expect(pointsInText('无')).toBeUndefined();
  });
  it.each([
    ['本项10分，每少1家扣2分，扣完为止。', 10],
    ['满分为8分，未完成的扣5分', 8],
    ['分值：6分。每发现一处问题扣1分', 6],
    ['5分，按时完成不扣分，每推迟1天扣0.5分', 5],
    ['按时完成，每推迟1天扣3分，扣完为止', undefined],
    ['满意度≥90%得满分，每降低1个百分点扣0.5分', undefined],
    ['未按要求完成的，扣2分；每发现1次问题减1分', undefined],
    ['效果明显10分，效果一般5分', 10],
    ['完成得6分，未完成每项扣8分', 6],
  ])('%s: points %s, never a deduction', (s, points) => expect(pointsInText(s)).toBe(points));
  it('a sentence whose only number is a deduction leaves the points to the 分值 column', () => {
    const s = '按时完成，每推迟1天扣3分，扣完为止。';
    expect(recognizeScoring(s, deadline)).toEqual({
      scoring: { kind: 'text', points: 0, text: s },
      pointsKnown: false,
    });
    expect(recognizeScoring(s, deadline, 10)).toEqual({
      scoring: { kind: 'text', points: 10, text: s },
      pointsKnown: true,
    });
  });
});
