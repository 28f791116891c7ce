/**
 * Web pages (budget disclosures, "HTML saved as .xls") and Excel 2003 XML: the grid a page makes (text
 * as a browser shows it, merged cells laid out like a workbook's, text outside tables as rows, nested
 * tables), its charset, positions as line:col of the page, the reference table read back field by
 * field, and pages too large to read.
 */
import { describe, expect, it } from 'vitest';
import { messageFor } from '../../scripts/check/messages.ts';
import { describeRef, type Grid } from '../../scripts/import/grid.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { MAX_HTML_BYTES } from '../../scripts/import/limits.ts';
import { decodeMarkup, pageGrid, readHtmlPage } from '../../scripts/import/read-html.ts';
import { seedText } from '../helpers.ts';
import { gbk, htmlPage, laidOut, seedMerged, seedPlain } from './_containers.ts';

const opts = { pointsTotal: 90 };
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seedData = async (): Promise<unknown> => (await importFile(utf8(seedText()), opts)).forms[0]!.parsed!.data;
const gridOf = (html: string): Grid => pageGrid(readHtmlPage(html).page!, 'html', html).grid!;
const texts = (g: Grid): string[][] => g.rows.map((r) => r.map((c) => c.text));

describe('a page → its grid', () => {
  it('paragraphs outside tables are one-cell rows; colspan/rowspan are laid out like merged cells', () => {
    const html =
      '<html><head><title>不是正文</title><style>td{color:red}</style><script>var x="<td>";</script></head>\n' +
      '<body><h1>部门（单位）整体<b>绩效</b>目标表</h1>\n<div>填报单位：某局 <span>金额单位：万元</span></div>\n' +
      '<table><caption>表一</caption>\n' +
      '<tr><th colspan="3">甲</th><th>乙</th></tr>\n' +
      '<tr><td rowspan="2">丙</td><td>丁</td><td colspan="2" rowspan="2">戊</td></tr>\n' +
      '<tr><td>己</td></tr>\n' +
      '<tr><td>庚<td>辛\n</table><p>说明：尾</p></body></html>';
    expect(texts(gridOf(html))).toEqual([
      ['部门（单位）整体绩效目标表'],
      ['填报单位：某局 金额单位：万元'],
      ['表一'],
      ['甲', '', '', '乙'],
      ['丙', '丁', '戊'],
      ['', '己'],
      ['庚', '辛'],
      ['说明：尾'],
    ]);
  });

  it('cell text as a browser shows it: white space collapsed, <br> and blocks as line breaks, entities', () => {
    const html =
      '<table><tr>' +
      '<td>  a \n\t b&nbsp;&nbsp;c </td>' +
      '<td>第一行<br>第二行<br/>  第三行<br></td>' +
      '<td><p>段一</p><p> 段二 </p><div>块<span>内</span></div></td>' +
      '<td>&lt;≥&gt; &amp; &#x4E00;&#20108; &ge;90&percnt;</td>' +
      '<td><pre>  保留\n  原样</pre></td>' +
      '<td>x<br><br>y</td>' +
      '</tr></table>';
    expect(texts(gridOf(html))).toEqual([
      ['a b c', '第一行\n第二行\n第三行', '段一\n段二\n块内', '<≥> & 一二 ≥90%', '保留\n  原样', 'x\n\ny'],
    ]);
  });

  it('rowspan="0" runs to the table’s last row; spans past the table are clamped; a short row leaves a gap', () => {
    const html =
      '<table><tr><td rowspan="0">A</td><td>B</td></tr><tr><td>C</td></tr><tr><td>D</td><td>E</td></tr>' +
      '<tr><td rowspan="99" colspan="5000">F</td></tr></table>';
    const g = gridOf(html);
    // D lands after A's column; F spans 1000 columns (the browsers' cap) and its one row.
    expect(texts(g)).toEqual([
      ['A', 'B'],
      ['', 'C'],
      ['', 'D', 'E'],
      ['', 'F'],
    ]);
  });

  it('a table of tables is layout: its own text is read as paragraphs, the inner tables as tables', () => {
    const html =
      '<table><tr><td>页眉 菜单</td></tr><tr><td>部门（单位）整体绩效目标表' +
      '<table><tr><td>名称</td><td>某局</td></tr></table>' +
      '<table><tr><td>一</td><td>二</td></tr></table></td></tr></table>';
    const page = readHtmlPage(html).page!;
    expect(page.blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'table', 'table']);
    const laid = pageGrid(page, 'html', html);
    expect(laid.tables).toBe(2);
    expect(texts(laid.grid!)).toEqual([['页眉 菜单'], ['部门（单位）整体绩效目标表'], ['名称', '某局'], ['一', '二']]);
  });

  it('positions are line:col of the page as written (CRLF, tags and entities counted as written)', () => {
    const html =
      '<html>\r\n<body>\r\n<p>标题</p>\r\n<table>\r\n' +
      '<tr><td>&amp;甲</td>  <td colspan=2>乙</td><td>丙</td></tr>\r\n</table>';
    const g = gridOf(html);
    const at = g.rows.map((r) => r.map((c) => describeRef(c.ref, g.text)));
    // A paragraph is where its text starts; a cell where its tag starts; a covered cell where its merged cell starts.
    expect(at).toEqual([['3:4'], ['5:5', '5:22', '5:22', '5:42']]);
    expect(g.kind).toBe('html');
  });
});

describe('charset', () => {
  const page = (head: string, body: string): string =>
    `<html><head>${head}</head><body><table><tr><td>${body}</td></tr></table></body></html>`;
  it('<meta charset=gbk>, http-equiv gb2312, an XML declaration: read in that charset, no warning', () => {
    for (const head of [
      '<meta charset="gbk">',
      '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
      "<meta charset='GB18030'/>",
    ]) {
      const d = decodeMarkup(gbk(page(head, '部门（单位）整体绩效目标表')));
      expect(d.diagnostics).toEqual([]);
      expect(d.text).toContain('<td>部门（单位）整体绩效目标表</td>');
    }
  });
  it('a BOM wins over the meta; a page mislabelled utf-8 or iso-8859-1 but in GBK is sniffed, with a warning', () => {
    const le = Buffer.from('\ufeff' + page('<meta charset="gbk">', '甲乙'), 'utf16le');
    expect(decodeMarkup(new Uint8Array(le)).text).toContain('<td>甲乙</td>');
    for (const head of ['<meta charset="utf-8">', '<meta charset="iso-8859-1">', '']) {
      const d = decodeMarkup(gbk(page(head, '绩效目标')));
      expect(d.text).toContain('<td>绩效目标</td>');
      expect(d.diagnostics.map((x) => [x.code, x.args.encoding])).toEqual([['IMPORT_ENCODING', 'GB18030 (GBK)']]);
    }
  });
  it('the reference table as a GBK page is read as from the UTF-8 text', async () => {
    const r = await importFile(gbk(htmlPage(seedMerged(), '<meta charset="gb2312">')), opts);
    expect(r.kind).toBe('html');
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(await seedData());
  });
});

describe('the reference table as a web page', () => {
  it('with the template’s merges: the laid-out grid is the export’s, the data the same field by field', async () => {
    const blocks = seedMerged();
    const html = htmlPage(blocks);
    const r = await importFile(utf8(html), opts);
    expect(r.kind).toBe('html');
    expect(r.forms).toHaveLength(1);
    const form = r.forms[0]!;
    expect(texts(form.grid!).map((row) => row.map((t) => t))).toEqual(laidOut(blocks));
    expect(form.diagnostics).toEqual([]);
    expect(form.parsed!.data).toEqual(await seedData());
    expect(form.parsed!.titleYear).toBe(2025);
  });
  it('without merges, as "HTML saved as .xls" (Excel’s namespaces), in UTF-16 with a BOM', async () => {
    const html = htmlPage(seedPlain()).replace('<html>', '<html xmlns:x="urn:schemas-microsoft-com:office:excel">');
    const r = await importFile(new Uint8Array(Buffer.from('\ufeff' + html, 'utf16le')), opts);
    expect(r.forms[0]!.parsed!.data).toEqual(await seedData());
    expect(r.forms[0]!.diagnostics.map((d) => [d.code, d.args.encoding])).toEqual([['IMPORT_ENCODING', 'UTF-16LE']]);
  });
  it('content the form has no place for is reported at its line:col and kept', async () => {
    const blocks = seedMerged();
    const table = blocks.find((b) => typeof b !== 'string' && b.length > 5) as Array<Array<{ text: string }>>;
    table[0]!.push({ text: '多余的格' });
    const html = htmlPage(blocks);
    const form = (await importFile(utf8(html), opts)).forms[0]!;
    const line = html.split('\n').findIndex((l) => l.includes('多余的格')) + 1;
    const col = html.split('\n')[line - 1]!.indexOf('<td>多余的格') + 1;
    expect(form.parsed!.unplaced.map((u) => [u.where, u.text])).toEqual([[`${line}:${col}`, '多余的格']]);
    expect(form.diagnostics.map((d) => [d.code, describeRef(d.at!, form.grid!.text)])).toEqual([
      ['IMPORT_UNPLACED', `${line}:${col}`],
    ]);
  });
  it('the department code in <meta name="keywords"> (as jxmb’s own exports carry it)', async () => {
    const head =
      '<meta charset="utf-8"><meta name="keywords" content="部门整体绩效目标表, 2025年度, zhijiang-swkjgxj">';
    const r = await importFile(utf8(htmlPage(seedPlain(), head)), opts);
    expect(r.keywords).toBe('部门整体绩效目标表, 2025年度, zhijiang-swkjgxj');
  });
});

describe('Excel 2003 XML (SpreadsheetML)', () => {
  const ss = 'urn:schemas-microsoft-com:office:spreadsheet';
  const cell = (t: string, attrs = ''): string => `<Cell${attrs}><Data ss:Type="String">${t}</Data></Cell>`;
  it('sheets, ss:Index, merges across and down, number formats, rich text; not a cell’s comment', async () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n` +
      `<Workbook xmlns="${ss}" xmlns:ss="${ss}" xmlns:html="http://www.w3.org/TR/REC-html40">` +
      '<DocumentProperties xmlns="urn:schemas-microsoft-com:office:office">' +
      '<Keywords>k1 x-y</Keywords></DocumentProperties>' +
      '<Styles><Style ss:ID="p"><NumberFormat ss:Format="0%"/></Style>' +
      '<Style ss:ID="f"><NumberFormat ss:Format="Fixed"/></Style></Styles>' +
      '<Worksheet ss:Name="说明"><Table><Row>' +
      cell('填报说明') +
      '</Row></Table></Worksheet>' +
      '<Worksheet ss:Name="2025年"><Table>' +
      `<Row>${cell('甲', ' ss:MergeAcross="2"')}${cell('乙')}</Row>` +
      `<Row ss:Index="3">${cell('丙', ' ss:MergeDown="1"')}` +
      '<Cell ss:StyleID="p"><Data ss:Type="Number">0.9</Data></Cell>' +
      '<Cell ss:StyleID="f"><Data ss:Type="Number">1.5</Data></Cell></Row>' +
      '<Row><Cell ss:Index="2">' +
      '<ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>粗</B>体&#10;次行</ss:Data>' +
      '<Comment><ss:Data>批注</ss:Data></Comment></Cell></Row>' +
      '</Table></Worksheet></Workbook>';
    const r = await importFile(utf8(xml), opts);
    expect(r.kind).toBe('xml');
    expect(r.sheets).toEqual(['说明', '2025年']);
    expect(r.keywords).toBe('k1 x-y');
    // Neither sheet has a title: nothing is a form, and that is said naming the sheets.
    expect(r.diagnostics.map((d) => [d.code, d.args.sheets])).toEqual([['IMPORT_NO_TITLE', '说明、2025年']]);
    const { readXmlSpreadsheet } = await import('../../scripts/import/read-xml-spreadsheet.ts');
    const g = readXmlSpreadsheet(xml).sheets[1]!;
    expect(g.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['甲', '', '', '乙'],
      [],
      ['丙', '90%', '1.50'],
      ['', '粗体\n次行'],
    ]);
    expect(g.rows[2]!.map((c) => describeRef(c.ref))).toEqual(['2025年!A3', '2025年!B3', '2025年!C3']);
    expect(g.rows[2]![2]!.num).toBe(1.5);
  });
  it('the reference table as Excel 2003 XML is read as from the text', async () => {
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '&#10;');
    const rows = seedText()
      .replace(/\n$/, '')
      .split('\n')
      .map(
        (l) =>
          `<Row>${l
            .split('\t')
            .map((t) => (t ? cell(esc(t)) : '<Cell/>'))
            .join('')}</Row>`,
      );
    const xml =
      `<?xml version="1.0"?>\n<Workbook xmlns="${ss}" xmlns:ss="${ss}"><Worksheet ss:Name="Sheet1">` +
      `<Table>${rows.join('')}</Table></Worksheet></Workbook>`;
    const r = await importFile(utf8(xml), opts);
    expect(r.forms[0]!.diagnostics).toEqual([]);
    expect(r.forms[0]!.parsed!.data).toEqual(await seedData());
  });
  it('a cell outside Excel’s sheet is damage, said once', async () => {
    const xml =
      `<Workbook xmlns="${ss}" xmlns:ss="${ss}"><Worksheet ss:Name="S"><Table>` +
      `<Row ss:Index="9999999">${cell('x')}</Row></Table></Worksheet></Workbook>`;
    const r = await importFile(utf8(xml), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.detail, d.args.reason])).toEqual([
      ['IMPORT_UNREADABLE', 'corrupt', 'S Row 9999999 is outside the sheet'],
    ]);
  });
});

describe('pages that cannot be a form, and pages too large', () => {
  it('a page without a table: IMPORT_NO_TABLE, in both languages', async () => {
    const r = await importFile(utf8('<html><body><h1>部门（单位）整体绩效目标表</h1><p>正文</p></body></html>'), opts);
    expect(r.forms).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.args.container])).toEqual([['IMPORT_NO_TABLE', 'html']]);
    expect(messageFor('IMPORT_NO_TABLE', r.diagnostics[0]!.args, 'zh')).toMatch(/^网页中没有表格/);
    expect(messageFor('IMPORT_NO_TABLE', r.diagnostics[0]!.args, 'en')).toMatch(/^the web page holds no table/);
  });
  it('a page with tables but no title: IMPORT_NO_TITLE', async () => {
    const r = await importFile(utf8('<table><tr><td>姓名</td><td>电话</td></tr></table>'), opts);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMPORT_NO_TITLE']);
  });
  it('a 50 MB page is refused by its size before it is decoded', async () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    big.set(utf8('<html><table><tr><td>x</td></tr></table>'));
    const r = await importFile(big, opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.limit])).toEqual([
      ['FILE_TOO_LARGE', `${MAX_HTML_BYTES / 1048576} MB`],
    ]);
  });
  it('a page of 10^6 cells is refused before it is parsed (memory stays bounded)', async () => {
    const html = `<html><body><table><tr>${'<td>1'.repeat(1_000_000)}</table></body></html>`;
    const before = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const r = await importFile(utf8(html), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.what])).toEqual([['IMPORT_TOO_LARGE', 'html-elements']]);
    // Parsing it would take about a gigabyte and seconds; the refusal costs the decoded text.
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(messageFor('IMPORT_TOO_LARGE', r.diagnostics[0]!.args, 'zh')).toMatch(/^网页中的元素超过 200000 个/);
  });
  it('spans laying out more than a million cells: IMPORT_TOO_LARGE (grid), naming the table', async () => {
    const html = `<table>${'<tr><td colspan="1000">x</td></tr>'.repeat(1100)}</table>`;
    const r = await importFile(utf8(html), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.what, d.args.table])).toEqual([['IMPORT_TOO_LARGE', 'grid', 1]]);
    expect(messageFor('IMPORT_TOO_LARGE', r.diagnostics[0]!.args, 'en')).toMatch(
      /^the web page \(table 1\) has 1001000 cells \(merged cells counted as laid out\)/,
    );
  });
});
