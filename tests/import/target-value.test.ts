/** Targets as tables write them → type, value and unit. */
import { describe, expect, it } from 'vitest';
import { parseTarget, resolveTarget, typeWord } from '../../scripts/import/target-value.ts';

describe('parseTarget: comparator, number and unit of a value cell', () => {
  const cases: Array<[string, string | undefined, number, string, string]> = [
    // written, comparator, value, number as written, unit
    ['≥120', '≥', 120, '120', ''],
    ['>=120', '≥', 120, '120', ''],
    ['＞＝120', '≥', 120, '120', ''],
    ['=100%', '=', 100, '100', '%'],
    ['≤1286.5', '≤', 1286.5, '1286.5', ''],
    ['≥90%', '≥', 90, '90', '%'],
    ['28.8万元', undefined, 28.8, '28.8', '万元'],
    ['不低于95%', '≥', 95, '95', '%'],
    ['不少于3个', '≥', 3, '3', '个'],
    ['不高于5天', '≤', 5, '5', '天'],
    ['不超过100万元', '≤', 100, '100', '万元'],
    ['达到98%', '≥', 98, '98', '%'],
    ['低于2%', '<', 2, '2', '%'],
    ['≥ 98 %', '≥', 98, '98', '%'],
    ['100%', undefined, 100, '100', '%'],
    ['≥1.50', '≥', 1.5, '1.50', ''],
    ['１２０人次', undefined, 120, '120', '人次'],
    ['95%以上', '≥', 95, '95', '%'],
    ['控制在50万元以内', '≤', 50, '50', '万元'],
    ['1,286.5万元', undefined, 1286.5, '1286.5', '万元'],
    ['<5家', '<', 5, '5', '家'],
    ['＞10', '>', 10, '10', ''],
  ];
  it.each(cases)('%s', (text, comparator, value, numberText, unit) => {
    expect(parseTarget(text)).toEqual({ ...(comparator ? { comparator } : {}), value, numberText, unit });
  });
  it.each(['2026年12月31日前', '效果明显', '5-10个', '约95%', '≥', '', '95%，逐年提高', '≥95%以下'])(
    '%s is not a target',
    (text) => {
      expect(parseTarget(text)).toBeUndefined();
    },
  );
});

describe('typeWord: what the type column says', () => {
  it.each([
    ['≥', '≥'],
    ['>=', '≥'],
    ['＞＝', '≥'],
    ['≦', '≤'],
    [' < ', '<'],
    ['定性', '定性'],
    ['定量', '定量'],
    ['定量指标', '定量'],
    ['定量（≥）', '≥'],
    ['≤(定量)', '≤'],
  ])('%s → %s', (text, word) => expect(typeWord(text)).toBe(word));
  it.each(['正向', '', '定', '指标类型'])('%s says nothing', (text) => expect(typeWord(text)).toBeUndefined());
});

describe('resolveTarget', () => {
  const base = { unitText: '', level1: '产出指标', level2: '数量指标' };
  it('定量 without comparator: ≥, or ≤ for a cost (by either level), with a finding at the value', () => {
    const r = resolveTarget({ ...base, typeText: '定量', valueText: '120' });
    expect([r.type, r.value, r.findings.map((f) => [f.code, f.at, f.args.guessed, f.args.why])]).toEqual([
      '≥',
      120,
      [['IMPORT_COMPARATOR_GUESSED', 'value', '≥', 'default']],
    ]);
    const cost = resolveTarget({
      ...base,
      level1: '',
      level2: '经济成本指标',
      typeText: '定量',
      valueText: '28.8万元',
    });
    expect([cost.type, cost.value, cost.unit, cost.findings[0]!.args.why]).toEqual(['≤', 28.8, '万元', 'cost']);
  });
  it('the comparator column and a bare number: as the reference writes it, no finding', () => {
    const r = resolveTarget({ ...base, typeText: '≥', valueText: '3', unitText: '家' });
    expect([r.type, r.value, r.unit, r.findings]).toEqual(['≥', 3, '家', []]);
  });
  it('a number cell: its number, the written decimals kept', () => {
    const r = resolveTarget({ ...base, typeText: '≤', valueText: '1.50', valueNum: 1.5 });
    expect([r.value, r.written]).toEqual([1.5, '1.50']);
  });
  it('a 定性 value stays as written, even when it looks like a number', () => {
    const r = resolveTarget({ ...base, typeText: '定性', valueText: '100%' });
    expect([r.type, r.value, r.unit, r.findings]).toEqual(['定性', '100%', '', []]);
  });
  it('the same unit in value and column (either width) is no conflict; another one is', () => {
    expect(resolveTarget({ ...base, typeText: '', valueText: '≥95％', unitText: '%' }).findings).toEqual([]);
    const r = resolveTarget({ ...base, typeText: '', valueText: '≥95%', unitText: '个' });
    expect([r.unit, r.note, r.findings.map((f) => f.code)]).toEqual([
      '个',
      '指标值原文：≥95%',
      ['IMPORT_UNIT_CONFLICT'],
    ]);
  });
  it('no type and no value: an error at the type cell', () => {
    const r = resolveTarget({ ...base, typeText: '', valueText: '' });
    expect(r.findings.map((f) => [f.code, f.at, f.args.what])).toEqual([['IMPORT_MISSING', 'type', '指标类型']]);
  });
  it('an unknown type word is kept as written (validation explains it)', () => {
    const r = resolveTarget({ ...base, typeText: '正向', valueText: '≥3' });
    expect([r.type, r.value]).toEqual(['正向', '≥3']);
  });
});
