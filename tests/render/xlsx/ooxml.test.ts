/**
 * The SpreadsheetML the writer produces, read as XML: parts and relationships that point at each
 * other, children in schema order, styles and strings stored once, text escaped so any string
 * survives (read back with exceljs, which parses strictly), and the escaping helpers themselves.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../../scripts/check/check-file.ts';
import type { FormModel } from '../../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../../scripts/model/settings.ts';
import { cellRef, xstring } from '../../../scripts/render/xlsx/ooxml.ts';
import { HEADER_ROW, renderXlsx, SHEET_NAME, xlsxLayout } from '../../../scripts/render/xlsx.ts';
import { SEED_YAML } from '../../helpers.ts';
import { readZip } from './read-zip.ts';

const opts = { settings: DEFAULT_SETTINGS };
const seedModel = checkFile('seed.yaml', readFileSync(SEED_YAML), { settings: DEFAULT_SETTINGS }).model!;

/** Names of the root element's direct children, in document order. */
function children(xml: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const m of xml.replace(/^<\?xml[^>]*\?>\s*/, '').matchAll(/<(\/?)([\w:]+)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (close) depth--;
    else {
      if (depth === 1) out.push(name!);
      if (!selfClose) depth++;
    }
  }
  expect(depth).toBe(0);
  return out;
}

const all = (xml: string, re: RegExp): string[] => [...xml.matchAll(re)].map((m) => m[1]!);

describe('the package', async () => {
  const bytes = await renderXlsx(seedModel, opts);
  const parts = new Map(readZip(bytes).map((e) => [e.name, e.data.toString('utf8')]));
  const part = (name: string): string => parts.get(name) ?? '';
  const { signRow } = xlsxLayout(seedModel);

  it('has exactly the parts it declares, content types first', () => {
    expect([...parts.keys()][0]).toBe('[Content_Types].xml');
    const declared = all(part('[Content_Types].xml'), /PartName="\/([^"]+)"/g);
    const rest = [...parts.keys()].filter((p) => p !== '[Content_Types].xml' && !p.endsWith('.rels'));
    expect(declared.sort()).toEqual(rest.sort());
    expect(part('[Content_Types].xml')).toContain('Extension="rels"');
  });

  it('every relationship points at a part that exists; the sheet’s r:id resolves to the sheet', () => {
    const root = all(part('_rels/.rels'), /Target="([^"]+)"/g);
    expect(root.sort()).toEqual(['docProps/app.xml', 'docProps/core.xml', 'xl/workbook.xml']);
    const wbRels = new Map(
      [...part('xl/_rels/workbook.xml.rels').matchAll(/Id="(\w+)"[^>]*Target="([^"]+)"/g)].map((m) => [
        m[1]!,
        `xl/${m[2]}`,
      ]),
    );
    for (const target of wbRels.values()) expect(parts.has(target), target).toBe(true);
    const sheetRid = /<sheet [^>]*r:id="(\w+)"/.exec(part('xl/workbook.xml'))![1]!;
    expect(wbRels.get(sheetRid)).toBe('xl/worksheets/sheet1.xml');
  });

  it('worksheet children in the order the schema requires', () => {
    expect(children(part('xl/worksheets/sheet1.xml'))).toEqual([
      'sheetPr',
      'dimension',
      'sheetViews',
      'sheetFormatPr',
      'cols',
      'sheetData',
      'mergeCells',
      'dataValidations',
      'printOptions',
      'pageMargins',
      'pageSetup',
      'headerFooter',
      'rowBreaks',
    ]);
  });

  it('styles, workbook and border children in schema order; the two reserved fills', () => {
    const styles = part('xl/styles.xml');
    expect(children(styles)).toEqual(['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles']);
    expect(all(styles, /patternType="(\w+)"/g)).toEqual(['none', 'gray125']);
    const borders = all(styles, /<border>(.*?)<\/border>/g).map((b) => all(b, /<(\w+)[ />]/g));
    expect(borders[0]).toEqual(['left', 'right', 'top', 'bottom', 'diagonal']);
    expect(borders).toContainEqual(['left', 'color', 'right', 'color', 'top', 'color', 'bottom', 'color', 'diagonal']);
    for (const b of borders)
      expect(b.filter((e) => e !== 'color')).toEqual(['left', 'right', 'top', 'bottom', 'diagonal']);
    expect(children(part('xl/workbook.xml'))).toEqual(['workbookPr', 'bookViews', 'sheets', 'definedNames']);
  });

  it('each font and cell format once; counts match', () => {
    const styles = part('xl/styles.xml');
    const fonts = all(styles, /(<font>.*?<\/font>)/g);
    const xfs = all(/<cellXfs[^>]*>(.*)<\/cellXfs>/.exec(styles)![1]!, /(<xf .*?(?:\/>|<\/xf>))/g);
    expect(new Set(fonts).size).toBe(fonts.length);
    expect(new Set(xfs).size).toBe(xfs.length);
    expect(styles).toContain(`<fonts count="${fonts.length}">`);
    expect(styles).toContain(`<cellXfs count="${xfs.length}">`);
    // Default + title, year line, table cell centred / left, label, header, signature line; and the
    // centred cell with the seed's two decimal formats (934.41 → 0.00, 8.5 → 0.0), custom ids from 164.
    expect(xfs).toHaveLength(10);
    expect(all(styles, /<numFmt numFmtId="\d+" formatCode="([^"]+)"\/>/g).sort()).toEqual(['0.0', '0.00']);
    expect(all(styles, /<numFmt numFmtId="(\d+)"/g).sort()).toEqual(['164', '165']);
    expect(styles).toContain('<numFmts count="2">');
    // Title, year line, body, bold labels, signature line.
    expect(fonts.filter((f) => f.includes('<charset val="134"/>'))).toHaveLength(5);
    // Every s="…" in the sheet refers to an existing format.
    const used = all(part('xl/worksheets/sheet1.xml'), / s="(\d+)"/g).map(Number);
    expect(Math.max(...used)).toBeLessThan(xfs.length);
  });

  it('shared strings: each text once, counts match the cells that use them', () => {
    const sst = part('xl/sharedStrings.xml');
    const sheet = part('xl/worksheets/sheet1.xml');
    const texts = all(sst, /<si><t[^>]*>(.*?)<\/t><\/si>/g);
    expect(new Set(texts).size).toBe(texts.length);
    // The hidden sheet of dropdown lists shares the table.
    const refs = all(sheet + part('xl/worksheets/sheet2.xml'), /t="s"><v>(\d+)<\/v>/g).map(Number);
    expect(sst).toContain(`count="${refs.length}" uniqueCount="${texts.length}"`);
    expect(new Set(refs).size).toBe(texts.length);
    expect(texts).not.toContain('');
  });

  it('the print area is a workbook name local to the sheet; no print titles (the sheet repeats its header)', () => {
    const wb = part('xl/workbook.xml');
    expect(wb).toContain(
      `<definedName name="_xlnm.Print_Area" localSheetId="0">'${SHEET_NAME}'!$A$1:$J$${signRow}</definedName>`,
    );
    expect(wb).not.toContain('_xlnm.Print_Titles');
    expect(part('xl/worksheets/sheet1.xml')).toContain(`<dimension ref="A1:J${signRow}"/>`);
  });

  it('print set-up as exceljs reads it: centred, margins, footers, no grid lines; document properties', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup.horizontalCentered).toBe(true);
    expect(ws.pageSetup.margins).toEqual({ left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 });
    expect(ws.pageSetup.printArea).toBe(`A1:J${signRow}`);
    expect(ws.headerFooter.evenFooter).toBe(ws.headerFooter.oddFooter);
    expect(ws.views[0]?.showGridLines).toBe(false);
    expect(wb.subject).toBe(`${seedModel.title}${seedModel.yearLine}`);
    expect(wb.keywords).toContain(seedModel.code);
    expect(wb.lastModifiedBy).toBe(seedModel.name);
    // Blank cells are blank, not empty strings (备注 of the seed is empty everywhere).
    expect(ws.getCell(`J${HEADER_ROW + 1}`).value).toBeNull();
  });
});

describe('any text survives', async () => {
  // XML specials, Excel's own escape syntax, characters XML 1.0 cannot hold, CR, astral and lone surrogates.
  const nasty = 'A&B <c> "q" \'s\' _x0041_ _x00e9_ \u000b\u0001 \r\n😀 \ud800 end';
  const spaced = '  前后有空格  ';
  const model: FormModel = {
    ...seedModel,
    name: spaced,
    goalsText: nasty,
    rows: seedModel.rows.map((r, i) => (i === 0 ? { ...r, explanation: `\t${nasty}\t`, note: '_x005F_' } : r)),
  };
  const bytes = await renderXlsx(model, opts);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const expected = nasty.replace('\ud800', '\ufffd');

  it('reads back as written (an unpaired surrogate, which UTF-8 cannot carry, as U+FFFD)', () => {
    expect(ws.getCell('B5').value).toBe(expected);
    expect(ws.getCell(`H${HEADER_ROW + 1}`).value).toBe(`\t${expected}\t`);
    expect(ws.getCell(`J${HEADER_ROW + 1}`).value).toBe('_x005F_');
  });

  it('leading and trailing spaces are kept (xml:space="preserve")', () => {
    expect(ws.getCell('B3').value).toBe(spaced);
    const sst = readZip(bytes)
      .find((e) => e.name === 'xl/sharedStrings.xml')!
      .data.toString('utf8');
    expect(sst).toContain(`<t xml:space="preserve">${spaced}</t>`);
    expect(sst).not.toMatch(/[\0-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it('the document title (an element, not a cell) drops what XML cannot hold', async () => {
    const odd = await renderXlsx({ ...seedModel, name: 'a\u0001b&c' }, opts);
    const core = readZip(odd)
      .find((e) => e.name === 'docProps/core.xml')!
      .data.toString('utf8');
    expect(core).toContain('<dc:creator>ab&amp;c</dc:creator>');
  });
});

describe('helpers', () => {
  it('cellRef: column letters past Z', () => {
    expect([cellRef(1, 1), cellRef(1, 26), cellRef(1, 27), cellRef(3, 702), cellRef(9, 703)]).toEqual([
      'A1',
      'Z1',
      'AA1',
      'ZZ3',
      'AAA9',
    ]);
  });

  it('xstring: XML escapes, Excel escapes, protection of literal escapes', () => {
    expect(xstring('a<b>&c"d')).toBe('a&lt;b&gt;&amp;c"d');
    expect(xstring('\u000b\r')).toBe('_x000B__x000D_');
    expect(xstring('_x0041_ _X0041_ _x41_')).toBe('_x005F_x0041_ _X0041_ _x41_');
    expect(xstring('\udc00😀')).toBe('\ufffd😀');
    expect(xstring('\ufffe')).toBe('_xFFFE_');
  });
});
