/** The wordings of columns and labels: data in one place, compared after normalisation, extendable by settings. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HEADER_FIELDS,
  LABEL_FIELDS,
  normKey,
  SYNONYM_KEYS,
  SYNONYMS,
  synonyms,
} from '../../scripts/import/synonyms.ts';
import { ROOT } from '../helpers.ts';

describe('normKey', () => {
  it.each([
    ['*指标值', '指标值'],
    ['＊指标值', '指标值'],
    ['★ 指标解释 ☆', '指标解释'],
    ['※三级指标', '三级指标'],
    ['评(扣)分标准', '评(扣)分标准'],
    ['评（扣）分标准', '评(扣)分标准'],
    ['部门（单位）名称：', '部门(单位)名称'],
    ['部门\u3000名称:', '部门名称'],
    ['指\u00a0标\u00a0值', '指标值'],
    ['一、部门职责', '部门职责'],
    ['【备注】', '(备注)'],
  ])('%s → %s', (raw, key) => expect(normKey(raw)).toBe(key));
});

describe('header words', () => {
  const syn = synonyms();
  it.each([
    ['三级指标', 'name'],
    ['指标名称', 'name'],
    ['指标内容', 'name'],
    ['指标性质', 'type'],
    ['指标值类型', 'type'],
    ['值类型', 'type'],
    ['*指标值', 'value'],
    ['年度指标值', 'value'],
    ['目标值', 'value'],
    ['指标目标值', 'value'],
    ['度量单位', 'unit'],
    ['单位', 'unit'],
    ['分值', 'points'],
    ['分值（分）', 'points'],
    ['权重', 'points'],
    ['分数', 'points'],
    ['指标说明', 'explanation'],
    ['指标定义', 'explanation'],
    ['*评（扣）分标准', 'scoring'],
    ['评(扣)分标准', 'scoring'],
    ['评分规则', 'scoring'],
    ['计分方法', 'scoring'],
    ['备注', 'note'],
    ['说明', 'note'],
    ['一级指标', 'level1'],
    ['二级指标', 'level2'],
    ['绩效指标', 'band'],
    ['序号', 'seq'],
    ['考核内容', 'name'],
    ['三级指标（指标名称）', 'name'],
    ['标准分', 'points'],
    ['分值(分)', 'points'],
    ['权重（%）', 'points'],
    ['*权重(%)', 'points'],
    ['绩效指标值', 'value'],
    ['指标标准', 'value'],
    ['评分细则', 'scoring'],
    ['评（扣）分细则', 'scoring'],
    ['计量（单位）', 'unit'],
    ['（计量）单位', 'unit'],
    ['计量单位（个、%）', 'unit'],
    ['指标值（目标值）', 'value'],
  ])('%s → %s', (text, field) => expect(syn.header(text)).toBe(field));
  it.each(['指标', '单位名称', '金额单位：万元', '工作任务', '（分）', '金额（万元）'])('%s is no heading', (text) =>
    expect(syn.header(text)).toBeUndefined(),
  );
});

describe('labels', () => {
  const syn = synonyms();
  it.each([
    ['部门（单位）名称', 'department_name', ''],
    ['*部门（单位）名称', 'department_name', ''],
    ['部门(单位)名称：某局', 'department_name', '某局'],
    ['单位名称:某局', 'department_name', '某局'],
    ['预算单位 某局', 'department_name', '某局'],
    ['*部门职责', 'duties', ''],
    ['主要职能：1、甲。', 'duties', '1、甲。'],
    ['职能职责', 'duties', ''],
    ['★年度绩效目标', 'goals', ''],
    ['年度总体绩效目标', 'goals', ''],
    ['整体绩效目标', 'goals', ''],
    ['填报单位（盖章）：某局', 'filer', '某局'],
  ])('%s → %s + %s', (text, field, rest) => expect(syn.label(text)).toEqual({ field, rest }));
  it.each(['单位：万元', '绩效指标', '说明：', '三级指标'])('%s is no label', (text) =>
    expect(syn.label(text)).toBeUndefined(),
  );
  it('合计, 总 计 and 小计 are totals', () => {
    expect(['合计', '总 计', '小计：'].map((t) => syn.isTotal(t))).toEqual([true, true, true]);
    expect(syn.isTotal('合计数')).toBe(false);
  });
});

describe('the tables as data', () => {
  it('no wording names two columns, or two labels', () => {
    for (const group of [HEADER_FIELDS, LABEL_FIELDS]) {
      const words = group.flatMap((f) => SYNONYMS[f].map(normKey));
      expect(words.filter((w, i) => words.indexOf(w) !== i)).toEqual([]);
    }
  });
  it('extra wordings (the settings’ import.synonyms) are added, the built-in ones kept', () => {
    const extra = { name: ['工作任务'], points: ['赋分'], department_name: ['填报部门名称'] };
    const syn = synonyms(extra);
    expect([syn.header('工作任务'), syn.header('＊赋分'), syn.header('三级指标')]).toEqual(['name', 'points', 'name']);
    expect(syn.label('填报部门名称：某局')).toEqual({ field: 'department_name', rest: '某局' });
    expect([synonyms().header('工作任务'), synonyms().header('赋分')]).toEqual([undefined, undefined]);
    expect(synonyms(extra)).toBe(syn);
  });
  it('the settings schema’s import.synonyms has exactly the synonym keys, each a list of strings', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/settings.schema.json'), 'utf8')) as {
      properties: { import: { properties: { synonyms: { properties: Record<string, { $ref: string }> } } } };
      $defs: Record<string, unknown>;
    };
    const props = schema.properties.import.properties.synonyms.properties;
    expect(Object.keys(props).sort()).toEqual([...SYNONYM_KEYS].sort());
    expect(new Set(Object.values(props).map((p) => p.$ref))).toEqual(new Set(['#/$defs/synonym_list']));
    expect(schema.$defs.synonym_list).toMatchObject({ type: 'array', items: { type: 'string' } });
  });
});
