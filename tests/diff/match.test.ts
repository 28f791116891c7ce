/** Matching indicators across two tables: id, then 一级/二级/三级, then name, then similar names in one 二级. */
import { describe, expect, it } from 'vitest';
import { matchIndicators } from '../../scripts/diff/match.ts';
import type { IndicatorRow } from '../../scripts/model/form-model.ts';

let n = 0;
const row = (name: string, over: Partial<IndicatorRow> = {}): IndicatorRow => ({
  index: n++,
  level1: '产出指标',
  level2: '数量指标',
  name,
  type: '≥',
  quantitative: true,
  value: 1,
  valueText: '1',
  unit: '个',
  explanation: `考核${name}情况。`,
  scoringText: '',
  points: 10,
  note: '',
  level1Span: 0,
  level2Span: 0,
  ...over,
});
const rows = (...rs: IndicatorRow[]): IndicatorRow[] => rs.map((r, index) => ({ ...r, index }));

describe('matchIndicators', () => {
  it('pairs by id first, whatever the names', () => {
    const m = matchIndicators(rows(row('甲', { id: 'x' }), row('乙')), rows(row('乙'), row('完全不同', { id: 'x' })));
    expect(m.pairs).toEqual([
      { a: 1, b: 0, by: 'key' },
      { a: 0, b: 1, by: 'id' },
    ]);
    expect(m.added).toEqual([]);
    expect(m.removed).toEqual([]);
  });

  it('an id on one side only falls back to the name', () => {
    const m = matchIndicators(rows(row('甲')), rows(row('甲', { id: 'new-id' })));
    expect(m.pairs).toEqual([{ a: 0, b: 0, by: 'key' }]);
  });

  it('pairs duplicate names in order', () => {
    const m = matchIndicators(
      rows(row('人才', { value: 5 }), row('人才', { value: 1 })),
      rows(row('人才', { value: 5 }), row('人才', { value: 2 })),
    );
    expect(m.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('the same name in another group is the same indicator, moved', () => {
    const m = matchIndicators(
      rows(row('培训人次')),
      rows(row('培训人次', { level1: '效益指标', level2: '社会效益指标' })),
    );
    expect(m.pairs).toEqual([{ a: 0, b: 0, by: 'name' }]);
  });

  it('a similar name in the same 二级 is a rename; in another 二级 it is not', () => {
    expect(matchIndicators(rows(row('带动就业人数')), rows(row('带动新增就业人数'))).pairs).toEqual([
      { a: 0, b: 0, by: 'similar' },
    ]);
    const other = matchIndicators(rows(row('带动就业人数')), rows(row('带动新增就业人数', { level2: '质量指标' })));
    expect(other.pairs).toEqual([]);
    expect(other.removed).toEqual([0]);
    expect(other.added).toEqual([0]);
  });

  it('dissimilar names with different targets are a removal and an addition', () => {
    const m = matchIndicators(
      rows(row('新建厂房面积', { valueText: '1000', unit: '平方米' })),
      rows(row('设备数量', { valueText: '5', unit: '台' })),
    );
    expect(m.pairs).toEqual([]);
  });

  it('a rewritten name keeps its match when target and explanation are unchanged', () => {
    const ex = {
      explanation: '考核工作实施对社会效益所带来的直接或间接影响情况。',
      type: '定性' as const,
      valueText: '效果明显',
      unit: '',
    };
    const m = matchIndicators(rows(row('提供良好履职基础，提高企业满意度', ex)), rows(row('营商环境持续优化', ex)));
    expect(m.pairs).toEqual([{ a: 0, b: 0, by: 'similar' }]);
  });

  it('prefers the most similar of several candidates', () => {
    const m = matchIndicators(
      rows(row('开展科技培训'), row('开展科技培训人数')),
      rows(row('开展科技培训人次'), row('组织科技培训')),
    );
    expect(m.pairs.map((p) => [p.a, p.b])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });
});

describe('matchIndicators compares names as the duplicate check does', () => {
  it('a zero-width space or a full-width blank does not make another indicator', () => {
    const m = matchIndicators(rows(row('培训人次')), rows(row('培训\u200b人次\u3000')));
    expect(m.pairs).toEqual([{ a: 0, b: 0, by: 'key' }]);
  });
  it('nor does it stop a moved indicator being found', () => {
    const m = matchIndicators(
      rows(row('培训人次')),
      rows(row('培训\u00ad人次', { level1: '效益指标', level2: '社会效益指标' })),
    );
    expect(m.pairs).toEqual([{ a: 0, b: 0, by: 'name' }]);
  });
});
