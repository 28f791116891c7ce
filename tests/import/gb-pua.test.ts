/** GBK/GB 18030 private-use code points → the standard characters; what is left is warned at its cell. */
import { describe, expect, it } from 'vitest';
import { GB_PUA, mapGbPua, privateUse } from '../../scripts/import/gb-pua.ts';
import { parseForm } from '../../scripts/import/parse-form.ts';
import { decodeMarkup } from '../../scripts/import/read-html.ts';
import { decodeText } from '../../scripts/import/read-tsv.ts';
import { found, gridOf } from './_grid.ts';

const cp = (s: string): string[] => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`);

describe('the table', () => {
  it.each([
    [0xe863, 'U+4DAE'], // FE9F 䶮, the probe's character
    [0xe815, 'U+2E81'], // FE50 ⺁
    [0xe81a, 'U+3473'], // FE55 㑳
    [0xe81e, 'U+9FB4'], // FE59 龴
    [0xe864, 'U+9FBB'], // FEA0 龻
    [0xe816, 'U+20087'], // FE51, Extension B
    [0xe855, 'U+241FE'], // FE91, Extension B
    [0xe78d, 'U+FE10'], // A6D9 ︐
    [0xe78e, 'U+FE12'], // A6DA ︒ (not FE11: the vertical forms are not in code order)
    [0xe7c7, 'U+1E3F'], // A8BC ḿ
    [0xe7c8, 'U+1F9'], // A8BF ǹ
    [0xe7e7, 'U+303E'], // A989 〾
    [0xe7f3, 'U+2FFB'], // A995 ⿻
  ])('U+%s → %s', (pua, std) => expect(cp(GB_PUA.get(pua)!)).toEqual([std]));
  it('105 code points, each mapped to one character outside the private use area', () => {
    expect(GB_PUA.size).toBe(105);
    for (const c of GB_PUA.values()) {
      expect([...c]).toHaveLength(1);
      expect(privateUse(c)).toBeUndefined();
    }
  });
  it('agrees with the GB 18030 decoder: the FE50–FEA0 row decodes to the table’s character or its code point', () => {
    const decoder = new TextDecoder('gb18030');
    let pua = 0xe815;
    for (let b = 0x50; b <= 0xa0; b++) {
      if (b === 0x7f) continue;
      const got = decoder.decode(new Uint8Array([0xfe, b]));
      expect([GB_PUA.get(pua), String.fromCharCode(pua)]).toContain(got);
      pua++;
    }
  });
});

describe('mapGbPua', () => {
  it('replaces the table’s code points, leaves other private-use ones and everything else', () => {
    expect(mapGbPua('\ue863\ue816\u5b57\ue000')).toBe('䶮\u{20087}字\ue000');
    expect(mapGbPua('部门整体绩效目标表')).toBe('部门整体绩效目标表');
  });
});

describe('decoding', () => {
  it('text saved as UTF-8 by a tool that used the GBK private-use mapping: 䶮, not U+E863', () => {
    const bytes = new TextEncoder().encode('名称\t王\ue863局\n');
    expect(decodeText(bytes).text).toBe('名称\t王䶮局\n');
  });
  it('GBK bytes FE 51 (private use in every edition) → U+20087', () => {
    const d = decodeText(new Uint8Array([0xc3, 0xfb, 0xfe, 0x51, 0x0a]));
    expect([d.encoding, cp(d.text!)]).toEqual(['gb18030', ['U+540D', 'U+20087', 'U+A']]);
  });
  it('a page declaring gbk, and one sniffed, are mapped too', () => {
    const page = (meta: string): Uint8Array =>
      new Uint8Array([...new TextEncoder().encode(`<html><head>${meta}</head><body>`), 0xfe, 0x51, 0x3c]);
    expect(decodeMarkup(page('<meta charset="gbk">')).text).toContain('\u{20087}');
    expect(decodeMarkup(page('')).text).toContain('\u{20087}');
    expect(decodeMarkup(new TextEncoder().encode('<p>\ue863</p>')).text).toBe('<p>䶮</p>');
  });
});

describe('a private-use character left in the table', () => {
  it('is kept, and warned at its cell', () => {
    const grid = gridOf([
      '部门（单位）整体绩效目标表',
      '部门（单位）名称\t某\ue000局',
      '部门（单位）职责\t负责。',
      '年度总体目标\t完成。',
      '一级指标\t二级指标\t三级指标\t指标类型\t指标值\t计量单位\t指标解释\t评（扣）分标准',
      '产出指标\t数量指标\t甲\t≥\t3\t个\t解释\t达到目标得90分，否则不得分。',
      '业务股室审核：\t2025.12.14',
      '绩效股室审核：\t2025.12.14',
      '填表人：张三 联系电话：13700000000 填报日期：2025.12.8 单位负责人签字：李四',
    ]);
    const p = parseForm(grid, { pointsTotal: 90 });
    expect(p.data.department.name).toBe('某\ue000局');
    expect(found(p)).toEqual([['IMPORT_PRIVATE_USE', 'B2']]);
    expect(p.diagnostics[0]!.args).toEqual({ text: '某\ue000局', codePoint: 'U+E000' });
  });
});
