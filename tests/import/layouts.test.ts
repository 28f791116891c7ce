/**
 * Issue 13's proof: tables in the layouts other counties publish (tests/fixtures/import-layouts, written
 * by its make.ts) imported through the command's code path, every indicator checked field by field against
 * the fixture's hand-written expectation, nothing lost. The .xls needs LibreOffice: layouts-libreoffice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { expectations, layoutSuite } from './_layouts.ts';

const all = expectations();
const here = all.filter((e) => !/\.xls$/i.test(e.file));

describe('the layout fixtures', () => {
  it('are at least eight, each of 6–9 indicators per form', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const e of all) for (const f of e.forms) expect(f.indicators.length, e.file).toBeGreaterThanOrEqual(6);
    for (const e of all) for (const f of e.forms) expect(f.indicators.length, e.file).toBeLessThanOrEqual(9);
  });
  it('cover every 一级 kind and the 二级 kinds the issue names', () => {
    const levels = new Set(
      all.flatMap((e) => e.forms.flatMap((f) => f.indicators.flatMap((i) => [i.level1, i.level2]))),
    );
    for (const l of ['产出指标', '效益指标', '满意度指标', '数量指标', '质量指标', '时效指标', '成本指标'])
      expect(levels).toContain(l);
    for (const l of ['社会效益指标', '可持续影响指标', '服务对象满意度指标']) expect(levels).toContain(l);
  });
});

for (const e of here) layoutSuite(e);
