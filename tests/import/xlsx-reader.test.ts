/**
 * The xlsx reader on its own: workbooks written by exceljs (an independent writer) with every kind of
 * value, and hostile or unusual ones built part by part — no shared strings, absolute targets, the 1904
 * date system, a dimension claiming the whole sheet, references outside it, entities a file defines,
 * namespace prefixes, cells without addresses, ranges merged across a million rows.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../scripts/import/read-xlsx.ts';
import { readWorkbook, type XlsxWorkbook } from '../../scripts/import/xlsx-reader.ts';
import { part, writeZip } from './_zip.ts';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface BookParts {
  /** Worksheet XML bodies (inside `<worksheet>`, or whole parts when they start `<?xml`), named. */
  sheets: Array<[string, string]>;
  shared?: string[];
  styles?: string;
  workbookPr?: string;
  /** Prefix for relation targets: '' (relative) or '/xl/' (absolute). */
  target?: string;
  /** Leave the shared strings' relation out (the part itself stays when `shared` is given). */
  noSharedRel?: boolean;
}

/** A minimal workbook, part by part, as a program other than Excel might write it. */
function book(o: BookParts): Uint8Array {
  const t = o.target ?? '';
  const rels = o.sheets.map((_, i) => rel(`rId${i + 1}`, 'worksheet', `${t}worksheets/sheet${i + 1}.xml`));
  if (o.shared && !o.noSharedRel) rels.push(rel('rIdS', 'sharedStrings', `${t}sharedStrings.xml`));
  if (o.styles) rels.push(rel('rIdT', 'styles', `${t}styles.xml`));
  const sheets = o.sheets.map(([name], i) => `<sheet name="${name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  const parts = [
    part('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part(
      'xl/workbook.xml',
      `<workbook xmlns="${NS}" xmlns:r="${REL}">${o.workbookPr ?? ''}<sheets>${sheets.join('')}</sheets></workbook>`,
    ),
    part('xl/_rels/workbook.xml.rels', `<Relationships>${rels.join('')}</Relationships>`),
    ...o.sheets.map(([, body], i) =>
      part(
        `xl/worksheets/sheet${i + 1}.xml`,
        body.startsWith('<?xml') ? body : `<worksheet xmlns="${NS}">${body}</worksheet>`,
      ),
    ),
  ];
  if (o.shared) {
    const si = o.shared.map((s) => `<si>${s.startsWith('<') ? s : `<t>${s}</t>`}</si>`).join('');
    parts.push(part('xl/sharedStrings.xml', `<sst xmlns="${NS}">${si}</sst>`));
  }
  if (o.styles) parts.push(part('xl/styles.xml', `<styleSheet xmlns="${NS}">${o.styles}</styleSheet>`));
  return writeZip(parts);
}
const rel = (id: string, type: string, target: string): string =>
  `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`;
const data = (rows: string): string => `<sheetData>${rows}</sheetData>`;

/** The workbook, or the test fails with the damage. */
function workbook(bytes: Uint8Array): XlsxWorkbook {
  const r = readWorkbook(bytes);
  if ('damage' in r) throw new Error(`damaged: ${r.damage.message}`);
  return r.workbook;
}
/** Each cell as [address-ish, value, formula?] for compact assertions. */
const cellsOf = (wb: XlsxWorkbook, sheet = 0): unknown[] =>
  wb.sheets[sheet]!.cells.map((c) => [c.row, c.col, c.value, ...(c.formula !== undefined ? [c.formula] : [])]);
const texts = async (bytes: Uint8Array): Promise<string[][]> =>
  (await readXlsx(bytes)).sheets.map((g) =>
    g.rows.flat().flatMap((c) => (c.text ? [`${c.ref.kind === 'cell' ? c.ref.address : ''}=${c.text}`] : [])),
  );

/** A workbook with every kind of value import meets, written by exceljs. */
async function valueKinds(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.keywords = '部门整体绩效目标表 2025 x-y';
  wb.addWorksheet('说明').getCell('A1').value = '先看这里';
  const ws = wb.addWorksheet('表 & <1>');
  ws.getCell('A1').value = '文字';
  ws.getCell('B1').value = 8.5;
  ws.getCell('C1').value = true;
  ws.getCell('D1').value = { error: '#N/A' };
  ws.getCell('E1').value = { richText: [{ text: '粗', font: { bold: true } }, { text: '体' }] };
  ws.getCell('F1').value = { formula: 'B1*2', result: 17 };
  ws.getCell('G1').value = { formula: 'CONCATENATE("a","b")', result: 'ab' };
  ws.getCell('H1').value = { formula: 'B1+1' };
  ws.getCell('I1').value = new Date(Date.UTC(2025, 2, 14));
  ws.getCell('J1').value = { text: '链接', hyperlink: 'https://example.com' };
  ws.getCell('A2').value = 0.9;
  ws.getCell('A2').numFmt = '0%';
  ws.getCell('B2').value = 1.5;
  ws.getCell('B2').numFmt = '#,##0.00';
  ws.getCell('C2').value = '  留白\n两行  ';
  ws.mergeCells('A3:C4');
  ws.getCell('A3').value = '合并';
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('workbooks written by exceljs', () => {
  it('every kind of value, sheet order and names, merges and keywords', async () => {
    const bytes = await valueKinds();

    const r = workbook(bytes);
    expect(r.sheets.map((s) => s.name)).toEqual(['说明', '表 & <1>']);
    expect(r.keywords).toBe('部门整体绩效目标表 2025 x-y');
    expect(r.date1904).toBe(false);
    expect(cellsOf(r, 1)).toEqual([
      [1, 1, '文字'],
      [1, 2, 8.5],
      [1, 3, true],
      [1, 4, { error: '#N/A' }],
      [1, 5, '粗体'],
      [1, 6, 17, 'B1*2'],
      [1, 7, 'ab', 'CONCATENATE("a","b")'],
      [1, 8, undefined, 'B1+1'],
      [1, 9, 45730],
      [1, 10, '链接'],
      [2, 1, 0.9],
      [2, 2, 1.5],
      [2, 3, '  留白\n两行  '],
      [3, 1, '合并'],
    ]);
    expect(r.sheets[1]!.merges).toEqual([{ top: 3, left: 1, bottom: 4, right: 3 }]);

    // What import makes of it: formats applied, the date as a day, the formula without result reported.
    const read = await readXlsx(bytes);
    expect(await texts(bytes)).toEqual([
      ['A1=先看这里'],
      [
        'A1=文字',
        'B1=8.5',
        'C1=TRUE',
        'D1=#N/A',
        'E1=粗体',
        'F1=17',
        'G1=ab',
        'I1=2025-03-14',
        'J1=链接',
        'A2=90%',
        'B2=1.50',
        'C2=  留白\n两行  ',
        'A3=合并',
      ],
    ]);
    expect(read.sheets[1]!.rows[0]![8]!.date).toBe('2025-03-14');
    expect(read.diagnostics.map((d) => [d.code, d.args.formula])).toEqual([['IMPORT_FORMULA', 'B1+1']]);
  });

  it('a shared formula without results: each cell reported, the copies naming the cell they share', async () => {
    const xml = data(
      '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">ROW()</f></c></row>' +
        '<row r="2"><c r="A2"><f t="shared" si="0"/></c></row>' +
        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>3</v></c></row>',
    );
    const r = await readXlsx(book({ sheets: [['S', xml]] }));
    expect(r.diagnostics.map((d) => [d.at?.kind === 'cell' && d.at.address, d.args.formula])).toEqual([
      ['A1', 'ROW()'],
      ['A2', 'A1'],
    ]);
    expect(r.sheets[0]!.rows[2]![0]!.num).toBe(3);
  });
});

const hasSoffice = spawnSync('sh', ['-c', 'command -v soffice']).status === 0;

describe.skipIf(!hasSoffice)('workbooks written by LibreOffice', () => {
  it('the same workbook re-saved by LibreOffice reads the same (its formula now calculated)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-xlsx-lo-'));
    try {
      const original = await valueKinds();
      writeFileSync(path.join(dir, 'kinds.xlsx'), original);
      // A private profile: parallel soffice runs do not collide.
      const profile = `-env:UserInstallation=file://${path.join(dir, 'profile')}`;
      const args = [profile, '--headless', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo')];
      const lo = spawnSync('soffice', [...args, path.join(dir, 'kinds.xlsx')], { encoding: 'utf8', timeout: 120_000 });
      expect(lo.status, lo.stderr).toBe(0);
      const resaved = new Uint8Array(readFileSync(path.join(dir, 'lo', 'kinds.xlsx')));
      const before = await texts(original);
      before[1]!.splice(7, 0, 'H1=9.5');
      expect(await texts(resaved)).toEqual(before);
      expect(workbook(resaved).sheets[1]!.merges).toEqual([{ top: 3, left: 1, bottom: 4, right: 3 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('unusual and hostile workbooks', () => {
  it('inline strings, rich runs, phonetic guides left out, _xHHHH_ escapes and entities decoded', () => {
    const xml = data(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b&#x4e2d;&#25991;_x000D_</t></is></c>' +
        '<c r="B1" t="inlineStr"><is><r><t>汉</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 字</t></r>' +
        '<rPh sb="0" eb="1"><t>かん</t></rPh><rPh sb="1" eb="1"/><r><t>！</t></r></is></c>' +
        '<c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="str"><v>&lt;x&gt;</v></c></row>',
    );
    const shared = ['<r><t>共</t></r><r><t>享</t></r><rPh><t>きょう</t></rPh>', '_x005F_x0041_'];
    expect(cellsOf(workbook(book({ sheets: [['S', xml]], shared })))).toEqual([
      [1, 1, 'a&b中文\r'],
      [1, 2, '汉 字！'],
      [1, 3, '共享'],
      [1, 4, '_x0041_'],
      [1, 5, '<x>'],
    ]);
  });

  it('on its own (without the zip guard), a damaged zip is damage, never an exception', () => {
    const good = book({ sheets: [['S', data('<row r="1"><c r="A1"><v>1</v></c></row>')]] });
    for (const bytes of [new Uint8Array(), good.slice(0, 100), good.slice(0, good.length - 30)]) {
      const r = readWorkbook(bytes);
      expect('damage' in r ? r.damage.reason : r).toBe('the zip directory is damaged');
    }
  });

  it('a formula whose saved result is "" reads empty without a warning; one without <v> is reported', async () => {
    const xml = data(
      '<row r="1"><c r="A1" t="str"><f>IF(B1="","",B1)</f><v></v></c><c r="B1" t="s"><v></v></c>' +
        '<c r="C1"><f>B1</f></c></row>',
    );
    const r = await readXlsx(book({ sheets: [['S', xml]], shared: [] }));
    expect(r.diagnostics.map((d) => [d.code, d.at?.kind === 'cell' && d.at.address, d.args.formula])).toEqual([
      ['IMPORT_FORMULA', 'C1', 'B1'],
    ]);
  });

  it('cells that use shared strings the workbook lacks: damage named, not a blank or a crash', async () => {
    const xml = data('<row r="1"><c r="B1" t="s"><v>0</v></c></row>');
    for (const bytes of [book({ sheets: [['S', xml]] }), book({ sheets: [['S', xml]], shared: [] })]) {
      const r = await readXlsx(bytes);
      expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.entry, d.args.reason])).toEqual([
        [
          'IMPORT_UNREADABLE',
          'corrupt',
          'xl/worksheets/sheet1.xml',
          'cell B1 refers to shared string #0, which the workbook lacks',
        ],
      ]);
    }
  });

  it('shared strings found without their relation, and relations with absolute /xl/… targets', () => {
    const xml = data('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
    const noRel = workbook(book({ sheets: [['S', xml]], shared: ['有'], noSharedRel: true }));
    expect(cellsOf(noRel)).toEqual([[1, 1, '有']]);
    const absolute = workbook(book({ sheets: [['S', xml]], shared: ['有'], target: '/xl/' }));
    expect(cellsOf(absolute)).toEqual([[1, 1, '有']]);
  });

  it('the 1904 date system, built-in and zh-CN date formats, dates stored as text', async () => {
    const styles =
      '<numFmts count="1">' +
      '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>' +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>';
    const xml = data(
      '<row r="1"><c r="A1" s="1"><v>45730</v></c><c r="B1" s="2"><v>45730</v></c><c r="C1" s="3"><v>45730</v></c>' +
        '<c r="D1" t="d"><v>2025-03-14T00:00:00Z</v></c><c r="E1"><v>45730</v></c></row>',
    );
    const days = (extra: Partial<BookParts>) => texts(book({ sheets: [['S', xml]], styles, ...extra }));
    expect(await days({})).toEqual([['A1=2025-03-14', 'B1=2025-03-14', 'C1=2025-03-14', 'D1=2025-03-14', 'E1=45730']]);
    expect(await days({ workbookPr: '<workbookPr date1904="1"/>' })).toEqual([
      ['A1=2029-03-15', 'B1=2029-03-15', 'C1=2029-03-15', 'D1=2025-03-14', 'E1=45730'],
    ]);
  });

  it('a dimension claiming the whole sheet costs nothing; a reference outside the sheet is damage', async () => {
    const huge = '<dimension ref="A1:XFD1048576"/>' + data('<row r="2"><c r="C2"><v>1</v></c></row>');
    const t0 = performance.now();
    expect(cellsOf(workbook(book({ sheets: [['S', huge]] })))).toEqual([[2, 3, 1]]);
    expect(performance.now() - t0).toBeLessThan(1000);
    for (const [at, rowAttr] of [
      ['XFE1', '1'],
      ['A1048577', '1048577'],
      ['A99999999999', '1'],
    ]) {
      const xml = data(`<row r="${rowAttr}"><c r="${at}"><v>1</v></c></row>`);
      const r = await readXlsx(book({ sheets: [['S', xml]] }));
      expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'corrupt']]);
    }
  });

  it('entities a file defines are not expanded (no billion laughs)', () => {
    const defs = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>&l10;</t></is></c></row>';
    const xml =
      `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">${defs}]>` +
      `<worksheet xmlns="${NS}">${data(cell)}</worksheet>`;
    expect(cellsOf(workbook(book({ sheets: [['S', xml]] })))).toEqual([[1, 1, '&l10;']]);
  });

  it('namespace prefixes, cells and rows without addresses, a cell written twice', () => {
    const xml =
      '<x:sheetData xmlns:x="' +
      NS +
      '"><x:row><x:c t="inlineStr"><x:is><x:t>A1</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>' +
      '<x:row><x:c r="C2"><x:v>1</x:v></x:c><x:c><x:v>4</x:v></x:c><x:c r="C2"><x:v>3</x:v></x:c></x:row>' +
      '</x:sheetData>';
    const r = workbook(book({ sheets: [['S', xml]] }));
    expect(cellsOf(r)).toEqual([
      [1, 1, 'A1'],
      [1, 2, 2],
      [2, 3, 1],
      [2, 4, 4],
      [2, 3, 3],
    ]);
  });

  it('a range merged over a million rows and overlapping ranges: covered cells empty, quickly', async () => {
    const rows = [1, 2, 500_000, 1_048_576].map(
      (r) => `<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}"><v>${r}</v></c></row>`,
    );
    const merges =
      '<mergeCells><mergeCell ref="A1:A1048576"/><mergeCell ref="B2:B3"/><mergeCell ref="A2:B2"/></mergeCells>';
    const t0 = performance.now();
    expect(await texts(book({ sheets: [['S', data(rows.join('')) + merges]] }))).toEqual([
      // A2 and B2 are each the top-left of a range, which wins over the range covering them.
      ['A1=1', 'B1=1', 'A2=2', 'B2=2', 'B500000=500000', 'B1048576=1048576'],
    ]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
