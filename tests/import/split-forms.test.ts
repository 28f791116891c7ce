/** Several forms stacked on one sheet → one grid per form, each cell where it was. */
import { describe, expect, it } from 'vitest';
import { splitForms } from '../../scripts/import/import-form.ts';
import { hasTitle, parseForm } from '../../scripts/import/parse-form.ts';
import { isTitle } from '../../scripts/import/split-forms.ts';
import { found, gridOf } from './_grid.ts';

const form = (title: string, name: string, points: number): string[] => [
  title,
  `部门（单位）名称\t${name}`,
  '部门（单位）职责\t负责。',
  '年度总体目标\t完成。',
  '一级指标\t二级指标\t三级指标\t指标类型\t指标值\t计量单位\t指标解释\t评（扣）分标准',
  `产出指标\t数量指标\t${name}指标\t≥\t3\t个\t解释\t达到目标得${points}分，否则不得分。`,
  '业务股室审核：\t2025.12.14',
  '绩效股室审核：\t2025.12.14',
  '填表人：张三 联系电话：13700000000 填报日期：2025.12.8 单位负责人签字：李四',
];

describe('titles', () => {
  it.each([
    '部门（单位）整体绩效目标表',
    '部门整体支出绩效目标表',
    '整体绩效目标申报表',
    '2025年度部门整体支出绩效目标表',
    '某县商务局（2025）年度部门（单位）整体绩效目标表',
    '附件2：2025年度部门整体支出绩效目标表',
    '部门整体绩效目标表（2025年度）',
    '部门整体绩效目标表（单位：万元）',
    '部门（单位）整体绩效目标表\n（2025）年度',
  ])('%j is a title', (t) => expect(isTitle(t)).toBe(true));
  it.each([
    '项目支出绩效目标表',
    '说明：本表为部门整体绩效目标表的附表',
    `${'很长的一段话'.repeat(20)}整体绩效目标表`,
    '本表为部门整体绩效目标表，请认真填写。',
    '负责审核各单位的部门整体绩效目标表。',
    '1、负责编制部门整体绩效目标表',
    '（2）指导填报整体绩效目标申报表',
    '按要求填写部门整体绩效目标表并报送财政局',
  ])('%j is not', (t) => expect(isTitle(t)).toBe(false));
});

describe('a sentence naming the form does not split it', () => {
  it('a duty and a 说明 paragraph that mention 整体绩效目标表 stay in the one form', () => {
    const rows = form('部门整体绩效目标表', '甲局', 90);
    rows[2] = '部门（单位）职责\t负责审核各单位部门整体绩效目标表，督促整改。';
    const grid = gridOf([...rows, '', '说明：', '本表为部门整体绩效目标表，金额单位为万元。']);
    expect(splitForms(grid)).toEqual([grid]);
    const p = parseForm(grid, { pointsTotal: 90 });
    expect(p.data.duties).toEqual(['负责审核各单位部门整体绩效目标表，督促整改。']);
    expect(p.data.indicators.map((i) => i.name)).toEqual(['甲局指标']);
    expect(p.unplaced.map((u) => [u.where, u.text])).toEqual([
      ['Sheet1!A12', '本表为部门整体绩效目标表，金额单位为万元。'],
    ]);
  });
});

describe('splitForms', () => {
  const grid = gridOf([
    '附件2',
    ...form('部门整体绩效目标表', '甲局', 90),
    '',
    ...form('2025年度部门整体支出绩效目标表', '乙局', 90),
  ]);
  const parts = splitForms(grid);

  it('one grid per form, split at the second title; rows before the first title go with the first', () => {
    expect(parts).toHaveLength(2);
    const filled = (i: number): number[] =>
      parts[i]!.rows.flatMap((r, k) => (r.some((c) => c.text.trim()) ? [k + 1] : []));
    expect(filled(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(filled(1)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(parts.every((g) => g.rows.length === grid.rows.length && g.sheet === 'Sheet1')).toBe(true);
    expect(parts.every(hasTitle)).toBe(true);
  });
  it('each form reads on its own, its cells keeping their addresses', () => {
    const [a, b] = parts.map((g) => parseForm(g, { pointsTotal: 90 }));
    expect([a!.data.department.name, b!.data.department.name]).toEqual(['甲局', '乙局']);
    expect([a!.data.indicators.map((i) => i.name), b!.data.indicators.map((i) => i.name)]).toEqual([
      ['甲局指标'],
      ['乙局指标'],
    ]);
    expect(b!.titleYear).toBe(2025);
    expect(a!.unplaced.map((u) => [u.where, u.text])).toEqual([['Sheet1!A1', '附件2']]);
    expect(b!.sources.find((s) => s.path.join('/') === 'department/name')!.ref).toEqual({
      kind: 'cell',
      sheet: 'Sheet1',
      address: 'B13',
    });
    expect([found(a!), found(b!)]).toEqual([[], []]);
  });
  it('one form (or none) is the grid itself', () => {
    const one = gridOf(form('部门整体绩效目标表', '甲局', 90));
    expect(splitForms(one)).toEqual([one]);
    expect(splitForms(one)[0]).toBe(one);
    const none = gridOf(['姓名\t电话', '张三\t123']);
    expect(splitForms(none)[0]).toBe(none);
  });
  it('a title repeated right under another (a subtitle) does not start a form', () => {
    const g = gridOf(['部门整体绩效目标表', '（部门整体支出绩效目标申报表）', ...form('', '甲局', 90).slice(1)]);
    expect(splitForms(g)).toHaveLength(1);
  });
});
