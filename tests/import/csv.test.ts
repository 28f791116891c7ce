/**
 * Comma- and semicolon-separated text beside the tab-separated export: the delimiter sniffed from the
 * content, RFC 4180 quoting (delimiters, line breaks and doubled quotes inside quoted fields), positions
 * as line:col, the reference table in UTF-8 (with and without a BOM), UTF-16 and GBK read back field by
 * field, and files that are no text.
 */
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { readTsv, sniffDelimiter } from '../../scripts/import/read-tsv.ts';
import { seedText } from '../helpers.ts';
import { gbk, seedRows } from './_containers.ts';

const opts = { pointsTotal: 90 };
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seedData = async (): Promise<unknown> => (await importFile(utf8(seedText()), opts)).forms[0]!.parsed!.data;

/** The reference table as a spreadsheet program writes CSV: quoted where needed, every row padded to 10. */
const seedCsv = (sep: string, eol = '\r\n'): string =>
  seedRows()
    .map((row) =>
      [...row, ...Array<string>(10 - row.length).fill('')]
        .map((t) => (/[",;\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t))
        .join(sep),
    )
    .join(eol) + eol;

describe('the delimiter, from the content', () => {
  it('tab, comma or semicolon: whichever separates the most records', () => {
    expect(sniffDelimiter('a\tb\nc\td\n')).toBe('\t');
    expect(sniffDelimiter('a,b\nc,d\n')).toBe(',');
    expect(sniffDelimiter('a;b\nc;d\n')).toBe(';');
    // ASCII commas inside tab-separated cells (numbers, English) do not make it CSV.
    expect(sniffDelimiter('1,286.5\tx\ny\t2,000\nz\tw\n')).toBe('\t');
    // Delimiters inside quoted fields (and quoted line breaks) do not count.
    expect(sniffDelimiter('"a\tb\tc",d\n"x\ny\tz",w\n')).toBe(',');
    expect(sniffDelimiter('"1,5";"2,5"\n"3,5";x\n')).toBe(';');
    // One column: nothing separates; read as tab-separated (one cell a line).
    expect(sniffDelimiter('标题\n正文\n')).toBe('\t');
  });
});

describe('RFC 4180 quoting', () => {
  it('quoted fields hold delimiters, line breaks and doubled quotes; an unbalanced quote is text', () => {
    const text = 'a,"b,c","d ""e"" f"\r\n"多\r\n行",,"末"\r\n他说"好",x\r\n';
    const g = readTsv(text);
    expect(g.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['a', 'b,c', 'd "e" f'],
      ['多\n行', '', '末'],
      ['他说"好"', 'x'],
    ]);
    // Positions are line:col of the file: a quoted field starts at its quote.
    expect(g.rows.flat().map((c) => describeRef(c.ref, text))).toEqual([
      '1:1',
      '1:3',
      '1:9',
      '2:1',
      '3:4',
      '3:5',
      '4:1',
      '4:7',
    ]);
  });
  it('semicolon-separated, as Excel writes CSV where the decimal mark is a comma', () => {
    const g = readTsv('名称;值\n"甲;乙";1,5\n');
    expect(g.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['名称', '值'],
      ['甲;乙', '1,5'],
    ]);
  });
});

describe('the reference table as CSV', () => {
  it('comma-separated UTF-8, with and without a BOM, CRLF or LF', async () => {
    const want = await seedData();
    for (const bytes of [utf8(seedCsv(',')), utf8(`\ufeff${seedCsv(',')}`), utf8(seedCsv(',', '\n'))]) {
      const r = await importFile(bytes, opts);
      expect(r.kind).toBe('text');
      expect(r.forms[0]!.diagnostics).toEqual([]);
      expect(r.forms[0]!.parsed!.data).toEqual(want);
    }
  });
  it('semicolon-separated', async () => {
    const r = await importFile(utf8(seedCsv(';')), opts);
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(await seedData());
  });
  it('UTF-16 (LE and BE with a BOM, LE without) and GBK: the same data, the encoding said', async () => {
    const want = await seedData();
    const le = (bom: boolean): Uint8Array =>
      new Uint8Array(Buffer.from((bom ? '\ufeff' : '') + seedCsv(','), 'utf16le'));
    const be = new Uint8Array(Buffer.from(le(true)).swap16());
    const cases: Array<[Uint8Array, string]> = [
      [le(true), 'UTF-16LE'],
      [be, 'UTF-16BE'],
      [le(false), 'UTF-16LE'],
      [gbk(seedCsv(',')), 'GB18030 (GBK)'],
    ];
    for (const [bytes, encoding] of cases) {
      const r = await importFile(bytes, opts);
      expect(r.forms[0]!.diagnostics.map((d) => [d.code, d.args.encoding])).toEqual([['IMPORT_ENCODING', encoding]]);
      expect(r.forms[0]!.parsed!.data).toEqual(want);
    }
  });
  it('a cell with no place is reported at its line:col', async () => {
    const csv = seedCsv(',')
      .replace('部门（单位）名称,', '部门（单位）名称,')
      .replace(/(\r\n年度总体目标,[^\r]*)/, '$1,多余');
    const r = await importFile(utf8(csv), opts);
    const line = csv.split('\r\n').findIndex((l) => l.endsWith(',多余')) + 1;
    const col = csv.split('\r\n')[line - 1]!.lastIndexOf('多余') + 1;
    expect(r.forms[0]!.parsed!.unplaced.map((u) => [u.where, u.text])).toEqual([[`${line}:${col}`, '多余']]);
  });
});

describe('files that are no text', () => {
  it('binary junk named .csv: IMPORT_UNREADABLE (binary), one line', async () => {
    // Pseudo-random bytes (a JPEG or zip body looks so): NULs on both sides of every pair.
    let x = 12345;
    const junk = new Uint8Array(4096).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    const r = await importFile(junk, { ...opts, fileName: 'export.csv' });
    expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'binary']]);
  });
  it('a 50 MB CSV is refused by its size before it is decoded', async () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x2c);
    const r = await importFile(big, { ...opts, fileName: 'big.csv' });
    expect(r.diagnostics.map((d) => [d.code, d.args.size, d.args.limit])).toEqual([
      ['FILE_TOO_LARGE', '50 MB', '1 MB'],
    ]);
  });
});
