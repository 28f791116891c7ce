/**
 * Text as Word, WPS and old Excel save it: UTF-16 either way round with or without a BOM, UTF-8 with or
 * without one, GBK; CRLF, lone CR and padded lines; files that are not a table export at all (PDF, RTF;
 * web pages and Excel 2003 XML are read: containers-html.test.ts); and sizes: too many cells is refused,
 * thousands of one warning are summarised.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { decodeText, readTsv } from '../../scripts/import/read-tsv.ts';
import { runCli, seedText } from '../helpers.ts';

const opts = { pointsTotal: 90 };

const utf16 = (s: string, order: 'le' | 'be', bom: boolean): Uint8Array => {
  const le = Buffer.from((bom ? '\ufeff' : '') + s, 'utf16le');
  if (order === 'be') le.swap16();
  return new Uint8Array(le);
};
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seedData = async (): Promise<unknown> => (await importForm(utf8(seedText()), opts)).parsed!.data;
const details = (bytes: Uint8Array): unknown[] => decodeText(bytes).diagnostics.map((d) => d.args.detail);

describe('encodings', () => {
  for (const order of ['le', 'be'] as const) {
    for (const bom of [true, false]) {
      const name = `UTF-16${order.toUpperCase()}`;
      it(`${name} ${bom ? 'with' : 'without'} a BOM: the seed, and the encoding said`, async () => {
        const r = await importForm(utf16(seedText(), order, bom), opts);
        expect(r.diagnostics.map((d) => [d.code, d.args.encoding])).toEqual([['IMPORT_ENCODING', name]]);
        expect(r.parsed!.data).toEqual(await seedData());
      });
    }
  }
  it('UTF-8 with and without a BOM; GBK as GB18030', () => {
    const s = '部门（单位）整体绩效目标表\t≥\n';
    const want = { text: s, encoding: 'utf-8', diagnostics: [] };
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]))).toEqual(want);
    expect(decodeText(utf8(s))).toEqual(want);
    expect(decodeText(new Uint8Array([0xb2, 0xbf, 0xc3, 0xc5, 0x09, 0xa1, 0xdd])).encoding).toBe('gb18030');
  });
  it('binary with NULs on both sides, or one-sided NULs and no line break, is still refused', () => {
    expect(details(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]))).toEqual(['binary']);
    expect(details(new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x43, 0x00]))).toEqual(['binary']);
  });
});

describe('line ends and padding', () => {
  it('CRLF rows with a CRLF inside a quoted cell: the cell holds \\n, as in the workbook', () => {
    const rows = readTsv('a\t"1、甲\r\n2、乙"\r\nb\t"x\ry"\r\n').rows.map((r) => r.map((c) => c.text));
    expect(rows).toEqual([
      ['a', '1、甲\n2、乙'],
      ['b', 'x\ny'],
    ]);
  });
  it('the seed with CRLF, with lone CR, and with every line padded by tabs gives the same data', async () => {
    const want = await seedData();
    // Quoted cells keep their own line breaks; the file's are changed around them.
    const crlf = seedText().replace(/\n/g, '\r\n');
    const cr = seedText().replace(/\n/g, '\r');
    const padded = seedText()
      .split('\n')
      .map((l) => `${l}\t\t\t`)
      .join('\n');
    for (const t of [crlf, cr, padded]) expect((await importForm(utf8(t), opts)).parsed!.data).toEqual(want);
  });
});

describe('positions in text', () => {
  it('line:col counts characters (an astral one is one column), also mid-file and on the last line', () => {
    const text = '𠀀甲\t乙\n\n😀😀\tx\r\ny';
    const at = (i: number): string => describeRef({ kind: 'text', start: i, end: i }, text);
    const offsets = [0, 3, 4, 6, 7, 11, 12, 15];
    expect(offsets.map(at)).toEqual(['1:1', '1:3', '1:4', '2:1', '3:1', '3:3', '3:4', '4:1']);
  });
});

describe('files that are not a table export are named', () => {
  const cases: Array<[string, Uint8Array | string, string]> = [
    ['a PDF', '%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'pdf'],
    ['an RTF document', '{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}部门（单位）整体绩效目标表\\par}', 'rtf'],
  ];
  for (const [label, content, detail] of cases) {
    it(label, async () => {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const r = await importForm(bytes, opts);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', detail]]);
      expect(r.parsed).toBeUndefined();
    });
  }
});

describe('size', () => {
  it('text with more than 50,000 non-empty cells is refused, saying so', async () => {
    const r = await importForm(new TextEncoder().encode(`${seedText()}\n${'甲\t'.repeat(60_000)}`), opts);
    const found = r.diagnostics.map((d) => [d.code, d.args.what, d.args.limit]);
    expect(found).toEqual([['IMPORT_TOO_LARGE', 'text-cells', 50_000]]);
  });
  it('thousands of one warning: the first 20 printed, the rest counted in one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-text-'));
    const junk = Array.from({ length: 3000 }, (_, i) => `备忘${i}`).join('\n');
    writeFileSync(path.join(dir, 't.tsv'), seedText().replace('说明：', `${junk}\n说明：`));
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj', '--out', '-'], dir);
    const lines = r.err.split('\n');
    expect(lines.filter((l) => /^t\.tsv:\d+:\d+ {2}warning {2}IMPORT_UNPLACED/.test(l))).toHaveLength(20);
    expect(lines).toContain('t.tsv  …以及另外 2980 条同类警告（IMPORT_UNPLACED），未逐条列出');
    expect(lines.length).toBeLessThan(200);
  });
});
