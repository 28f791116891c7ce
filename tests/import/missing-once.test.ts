/** A value the import reported missing (and left empty) is not reported again by the check of the YAML. */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { withoutRepeats } from '../../scripts/import/import-report.ts';
import { formYaml } from '../../scripts/import/import-plan.ts';
import { parseForm } from '../../scripts/import/parse-form.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { gridOf } from './_grid.ts';

const rows = (signoff: string, points: number): string[] => [
  '部门（单位）整体绩效目标表',
  '部门（单位）名称\t某局',
  '部门（单位）职责\t负责。',
  '年度总体目标\t完成。',
  '一级指标\t二级指标\t三级指标\t指标类型\t指标值\t计量单位\t指标解释\t评（扣）分标准',
  `产出指标\t数量指标\t甲\t≥\t3\t个\t解释\t达到目标得${points}分，否则不得分。`,
  '业务股室审核：',
  '绩效股室审核：\t2025.12.14',
  signoff,
];

const checked = (signoff: string, points = 90) => {
  const p = parseForm(gridOf(rows(signoff, points)), { pointsTotal: 90 });
  const yaml = formYaml(p, 2025, 'mou-ju', 'x.xlsx');
  const c = checkFile('x.yaml', new TextEncoder().encode(yaml), { settings: DEFAULT_SETTINGS });
  return { p, c, codes: (cf: typeof c) => cf.diagnostics.map((d) => `${d.code}@${yaml.slice(d.pos[0], d.pos[1])}`) };
};

describe('missing signoff values are reported once', () => {
  it('IMPORT_MISSING at the source; the check’s EMPTY_VALUE / DATE_INVALID of the same fields dropped', () => {
    const { p, c, codes } = checked('填表人：张三 联系电话： 填报日期： 单位负责人签字：李四');
    expect(p.diagnostics.map((d) => [d.code, d.args.what])).toEqual([
      ['IMPORT_MISSING', '业务股室审核'],
      ['IMPORT_MISSING', '联系电话'],
      ['IMPORT_MISSING', '填报日期'],
    ]);
    // What the check alone says: the same three fields again.
    expect(codes(c).sort()).toEqual(['DATE_INVALID@""', 'DATE_INVALID@""', 'EMPTY_VALUE@""']);
    expect(codes(withoutRepeats(c, p.missing))).toEqual([]);
  });
  it('other findings of the check stay', () => {
    const { p, c, codes } = checked('填表人：张三 联系电话：13700000000 填报日期： 单位负责人签字：李四', 120);
    const other = codes(c).filter((k) => !k.endsWith('@""'));
    expect(other).toEqual(['OUT_OF_RANGE@120']);
    expect(codes(withoutRepeats(c, p.missing))).toEqual(other);
  });
  it('nothing reported missing: the check unchanged', () => {
    const { c } = checked('填表人：张三 联系电话：13700000000 填报日期：2025.12.8 单位负责人签字：李四');
    expect(withoutRepeats(c, undefined)).toBe(c);
    expect(withoutRepeats(c, [])).toBe(c);
  });
});
