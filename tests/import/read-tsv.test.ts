/** Exported text → grid: cells with their offsets, quoting, line breaks, and the encodings exports come in. */
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { decodeText, readTsv } from '../../scripts/import/read-tsv.ts';

const texts = (t: string): string[][] => readTsv(t).rows.map((r) => r.map((c) => c.text));

describe('readTsv', () => {
  it('splits rows and cells; trailing empty cells are dropped, inner ones kept', () => {
    expect(texts('a\tb\t\tc\t\t\nx\n\ny')).toEqual([['a', 'b', '', 'c'], ['x'], [], ['y']]);
  });
  it('CRLF and lone CR end rows too', () => {
    expect(texts('a\tb\r\nc\rd\r\n')).toEqual([['a', 'b'], ['c'], ['d']]);
  });
  it('quoted cells hold tabs, newlines and doubled quotes', () => {
    expect(texts('"1、甲\n2、乙"\t"说""好"""\tz')).toEqual([['1、甲\n2、乙', '说"好"', 'z']]);
  });
  it('a cell that merely starts with a quote mark is read literally', () => {
    expect(texts('"引号"开头\tb')).toEqual([['"引号"开头', 'b']]);
  });
  it('text with commas and no tab at all is CSV', () => {
    expect(texts('a,"b,c",\n"x""y",z')).toEqual([
      ['a', 'b,c'],
      ['x"y', 'z'],
    ]);
    expect(texts('一，二\t三')).toEqual([['一，二', '三']]);
  });
  it('every cell knows its row, column and place in the text', () => {
    const text = '标题\n\t产出指标\t数量指标';
    const g = readTsv(text);
    const c = g.rows[1]![2]!;
    expect([c.row, c.col, c.text]).toEqual([2, 3, '数量指标']);
    expect(describeRef(c.ref, text)).toBe('2:7');
  });
});

describe('decodeText', () => {
  const utf8 = new TextEncoder().encode('部门（单位）整体绩效目标表\t≥');
  it('UTF-8, with or without BOM', () => {
    expect(decodeText(utf8)).toEqual({ text: '部门（单位）整体绩效目标表\t≥', encoding: 'utf-8', diagnostics: [] });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('部门（单位）整体绩效目标表\t≥');
  });
  it('UTF-16 LE with BOM (Excel’s “Unicode text”), reported', () => {
    const s = '部门\t≥';
    const b = new Uint8Array(2 + s.length * 2);
    b.set([0xff, 0xfe]);
    for (let i = 0; i < s.length; i++) b.set([s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8], 2 + i * 2);
    const d = decodeText(b);
    expect(d.text).toBe(s);
    expect(d.diagnostics.map((x) => x.code)).toEqual(['IMPORT_ENCODING']);
  });
  it('GBK bytes are decoded as GB18030, and that is said', () => {
    // 部门 ≥ in GBK
    const d = decodeText(new Uint8Array([0xb2, 0xbf, 0xc3, 0xc5, 0x09, 0xa1, 0xdd]));
    expect(d.text).toBe('部门\t≥');
    expect(d.encoding).toBe('gb18030');
    expect(d.diagnostics).toEqual([
      { code: 'IMPORT_ENCODING', severity: 'warning', args: { encoding: 'GB18030 (GBK)' } },
    ]);
  });
  it('binary content is refused, not guessed at', () => {
    expect(
      decodeText(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])).diagnostics.map((d) => [
        d.code,
        d.args.detail,
      ]),
    ).toEqual([['IMPORT_UNREADABLE', 'binary']]);
    expect(decodeText(new Uint8Array([0x01, 0x02, 0x03])).diagnostics.map((d) => d.code)).toEqual([
      'IMPORT_UNREADABLE',
    ]);
  });
  it('oversized text is refused before decoding', () => {
    expect(decodeText(new Uint8Array(2 * 1024 * 1024).fill(0x41)).diagnostics.map((d) => d.code)).toEqual([
      'FILE_TOO_LARGE',
    ]);
  });
});
