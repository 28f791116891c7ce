/**
 * Word documents (.docx), built here part by part: the grid (paragraphs as rows, tables with gridSpan and
 * vMerge laid out like a workbook's merges), positions as `表1 第3行第4列` / `第2段`, the reference table
 * read back field by field, and the bad ones: no table, damaged, truncated, password-protected, a zip
 * bomb, a body too large to convert.
 */
import { describe, expect, it } from 'vitest';
import { messageFor } from '../../scripts/check/messages.ts';
import { describeRef, refAt } from '../../scripts/import/grid.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { MAX_DOCX_XML_BYTES } from '../../scripts/import/limits.ts';
import { readDocx } from '../../scripts/import/read-docx.ts';
import { seedText } from '../helpers.ts';
import { type Block, docx, documentXml, laidOut, seedMerged } from './_containers.ts';
import { part, readZip, writeZip, zerosPart } from './_zip.ts';

const opts = { pointsTotal: 90 };
const seedData = async (): Promise<unknown> =>
  (await importFile(new TextEncoder().encode(seedText()), opts)).forms[0]!.parsed!.data;
const codes = async (bytes: Uint8Array, fileName?: string) =>
  (await importFile(bytes, { ...opts, ...(fileName ? { fileName } : {}) })).diagnostics.map((d) => [
    d.code,
    d.args.detail ?? d.args.what,
    d.args.container,
  ]);

const small: Block[] = [
  '部门（单位）整体绩效目标表',
  '',
  '填报单位：某局\n金额单位：万元',
  [
    [{ text: '甲', colspan: 2 }, { text: '乙' }],
    [{ text: '丙', rowspan: 2 }, { text: '丁' }, { text: '戊' }],
    [{ text: '己' }, { text: '' }],
  ],
  '说明：尾',
  [[{ text: '第二张表' }]],
];

describe('a .docx → its grid', () => {
  it('paragraphs are one-cell rows; gridSpan and vMerge are laid out like merged cells', async () => {
    const r = await readDocx(docx(documentXml(small)));
    expect(r.diagnostics).toEqual([]);
    expect(r.tables).toBe(2);
    expect(r.grid!.kind).toBe('docx');
    expect(r.grid!.rows.map((row) => row.map((c) => c.text))).toEqual(laidOut(small));
    expect(laidOut(small)).toEqual([
      ['部门（单位）整体绩效目标表'],
      ['填报单位：某局\n金额单位：万元'],
      ['甲', '', '乙'],
      ['丙', '丁', '戊'],
      ['', '己'],
      ['说明：尾'],
      ['第二张表'],
    ]);
  });

  it('positions name the table, row and column (covered cells too), or the paragraph', async () => {
    const g = (await readDocx(docx(documentXml(small)))).grid!;
    const at = g.rows.map((row) => row.map((c) => describeRef(c.ref)));
    expect(at).toEqual([
      ['第1段'],
      ['第2段'],
      ['表1 第1行第1列', '表1 第1行第2列', '表1 第1行第3列'],
      ['表1 第2行第1列', '表1 第2行第2列', '表1 第2行第3列'],
      ['表1 第3行第1列', '表1 第3行第2列'],
      ['第3段'],
      ['表2 第1行第1列'],
    ]);
    expect(describeRef(g.rows[4]![1]!.ref, undefined, 'en')).toBe('table 1, row 3, col 2');
    expect(describeRef(g.rows[5]![0]!.ref, undefined, 'en')).toBe('paragraph 3');
    // A cell the row does not hold is placed in the same table row.
    expect(refAt(g.rows[4]!, 5, g.rows[4]![0]!)).toEqual({ kind: 'table', table: 1, row: 3, col: 5 });
  });
});

describe('the reference table as a Word document', () => {
  it('with the template’s merges: the data equal field by field, no diagnostics', async () => {
    const blocks = seedMerged();
    const r = await importFile(docx(documentXml(blocks)), opts);
    expect(r.kind).toBe('docx');
    expect(r.forms).toHaveLength(1);
    expect(r.forms[0]!.grid!.rows.map((row) => row.map((c) => c.text))).toEqual(laidOut(blocks));
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(await seedData());
  });

  it('content with no place is reported and kept at its table cell', async () => {
    const blocks = seedMerged();
    const tables = blocks.filter((b): b is Exclude<Block, string> => typeof b !== 'string');
    const big = tables.find((t) => t.length > 5)!;
    big[1]!.push({ text: '多余的格' });
    const form = (await importFile(docx(documentXml(blocks)), opts)).forms[0]!;
    const n = tables.indexOf(big) + 1;
    expect(form.parsed!.unplaced.map((u) => [u.where, u.text])).toEqual([[`表${n} 第2行第11列`, '多余的格']]);
    expect(form.diagnostics.map((d) => [d.code, describeRef(d.at!)])).toEqual([
      ['IMPORT_UNPLACED', `表${n} 第2行第11列`],
    ]);
  });
});

describe('Word documents that cannot be read, each said in one line', () => {
  it('no table at all: IMPORT_NO_TABLE, even with the title in a paragraph', async () => {
    const r = await importFile(docx(documentXml(['部门（单位）整体绩效目标表', '（2025）年度', '正文'])), opts);
    expect(r.forms).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.args.container])).toEqual([['IMPORT_NO_TABLE', 'docx']]);
    expect(messageFor('IMPORT_NO_TABLE', r.diagnostics[0]!.args, 'zh')).toMatch(/^Word 文档中没有表格；/);
    expect(messageFor('IMPORT_NO_TABLE', r.diagnostics[0]!.args, 'en')).toMatch(/^the Word document holds no table;/);
  });

  it('a table without the title: IMPORT_NO_TITLE', async () => {
    expect(await codes(docx(documentXml([[[{ text: '姓名' }, { text: '电话' }]]])))).toEqual([
      ['IMPORT_NO_TITLE', undefined, undefined],
    ]);
  });

  it('truncated, or a part damaged: IMPORT_UNREADABLE (corrupt) worded for Word', async () => {
    const good = docx(documentXml(seedMerged()));
    const cut = await importFile(good.subarray(0, Math.floor(good.length / 2)), opts);
    expect(cut.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'corrupt']]);
    // Without its directory a cut zip cannot even be told from a workbook.
    expect(messageFor('IMPORT_UNREADABLE', cut.diagnostics[0]!.args, 'zh')).toMatch(/找不到 zip 的文件目录/);
    const parts = readZip(good).map((p) => (p.name === 'word/document.xml' ? { ...p, crc: (p.crc ^ 1) >>> 0 } : p));
    const r = await importFile(writeZip(parts), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.entry, d.args.container])).toEqual([
      ['IMPORT_UNREADABLE', 'corrupt', 'word/document.xml', 'docx'],
    ]);
    expect(messageFor('IMPORT_UNREADABLE', r.diagnostics[0]!.args, 'zh')).toMatch(
      /^Word 文档已损坏，无法读取：其中的 “word\/document.xml” 部件的校验和（CRC）不符.*请在 Word\/WPS 中打开并重新保存为 \.docx/,
    );
  });

  it('Word’s XML broken inside a whole zip: corrupt, with what the converter said', async () => {
    const r = await importFile(docx('<w:document xmlns:w="x"><w:body><w:p>'), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.container])).toEqual([
      ['IMPORT_UNREADABLE', 'corrupt', 'docx'],
    ]);
    expect(String(r.diagnostics[0]!.args.reasonZh)).toMatch(/^Word 文档的内容无法解析（.+）$/);
  });

  it('password-protected (an OLE2 EncryptedPackage): said so, for Word when the name says .docx', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 1024);
    const r = await importFile(ole, { ...opts, fileName: '商务局.docx' });
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.app])).toEqual([
      ['IMPORT_UNREADABLE', 'encrypted', 'word'],
    ]);
    expect(messageFor('IMPORT_UNREADABLE', r.diagnostics[0]!.args, 'zh')).toMatch(/^Word 文档设有打开密码/);
    const unnamed = await importFile(ole, opts);
    expect(messageFor('IMPORT_UNREADABLE', unnamed.diagnostics[0]!.args, 'en')).toMatch(
      /^the file is password-protected .* \(or Word\)/,
    );
  });

  it('a zip bomb named .docx: refused from its directory, or while inflating, never unfolded', async () => {
    const base = readZip(docx(documentXml(small)));
    const bomb = await zerosPart('word/media/image1.png', 800 * 1024 * 1024);
    expect(await codes(writeZip([...base, bomb]))).toEqual([['IMPORT_TOO_LARGE', 'entry', 'docx']]);
    // The directory lies (says 1 KB): inflating stops at the cap.
    const liar = writeZip([...base, { ...bomb, size: 1024 }]);
    const r = await importFile(liar, opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.what, d.args.declared, d.args.container])).toEqual([
      ['IMPORT_TOO_LARGE', 'entry', undefined, 'docx'],
    ]);
    expect(messageFor('IMPORT_TOO_LARGE', r.diagnostics[0]!.args, 'zh')).toMatch(
      /^Word 文档其中的 “word\/media\/image1.png” 解压后超过/,
    );
  }, 60_000);

  it('a body too large to convert is refused before mammoth sees it (declared, and as counted)', async () => {
    const row: Block = [Array.from({ length: 10 }, () => ({ text: '单元格文字单元格文字' }))];
    const rowBytes = Buffer.byteLength(documentXml([[...row, ...row]])) - Buffer.byteLength(documentXml([row]));
    const rows = Array.from({ length: Math.ceil((1.2 * MAX_DOCX_XML_BYTES) / rowBytes) }, () => row[0]!);
    const xml = documentXml(['部门（单位）整体绩效目标表', rows]);
    expect(Buffer.byteLength(xml)).toBeGreaterThan(MAX_DOCX_XML_BYTES);
    const t0 = Date.now();
    const r = await importFile(docx(xml), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.what, d.args.declared, d.args.entry])).toEqual([
      ['IMPORT_TOO_LARGE', 'document', 1, 'word/document.xml'],
    ]);
    // mammoth would take many seconds and gigabytes on it.
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(messageFor('IMPORT_TOO_LARGE', r.diagnostics[0]!.args, 'en')).toMatch(
      /^the Word document's text \(up to part "word\/document.xml"\) is over the limit of 4 MB/,
    );
    // A directory understating the body: still refused while inflating.
    const parts = readZip(docx(xml)).map((p) => (p.name === 'word/document.xml' ? { ...p, size: 1000 } : p));
    const lied = await importFile(writeZip(parts), opts);
    expect(lied.diagnostics.map((d) => d.code)).toEqual(['IMPORT_UNREADABLE']);
    expect(lied.diagnostics[0]!.args.reason).toBe('its unzipped size differs from the zip directory');
  });

  it('too many parts: refused as a document', async () => {
    const base = readZip(docx(documentXml(small)));
    const many = Array.from({ length: 1001 }, (_, i) => part(`word/media/p${i}.bin`, 'x'));
    expect(await codes(writeZip([...base, ...many]))).toEqual([['IMPORT_TOO_LARGE', 'entries', 'docx']]);
  });
});
