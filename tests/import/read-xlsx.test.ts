/**
 * Workbooks in the official template's layout, built cell by cell in the test (not by jxmb's renderer):
 * merged cells, extra blank rows and columns, drifting columns as in the reference export, the 说明 block,
 * a second sheet, real Excel dates; and workbooks that are not forms at all.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { readXlsx } from '../../scripts/import/read-xlsx.ts';
import { loadSource } from '../../scripts/load/load-yaml.ts';
import { SEED_YAML, seedText } from '../helpers.ts';
import { officialXlsx } from './_exports.ts';

const seedData = (): Record<string, unknown> => {
  const d = loadSource(readFileSync(SEED_YAML)).data as Record<string, unknown> & { department: { code: string } };
  return { ...d, fiscal_year: 0, department: { ...d.department, code: '' } };
};
const opts = { pointsTotal: 90 };

describe('the official layout', () => {
  it('merged cells resolve to their top-left cell; covered cells read empty', async () => {
    const wb = await readXlsx(await officialXlsx(seedText()));
    const g = wb.sheets[0]!;
    const cell = (addr: string) => g.rows.flat().find((c) => describeRef(c.ref) === `Sheet1!${addr}`);
    expect(cell('A3')!.text).toBe('部门（单位）整体绩效目标表');
    expect(cell('B7')!.text).toBe('芷江侗族自治县商务科技和工业和信息化局');
    expect(cell('C7')?.text ?? '').toBe('');
    expect(cell('B11')!.text).toBe('产出指标');
    expect(cell('B12')?.text ?? '').toBe('');
    expect(cell('F20')!.num).toBeUndefined();
    expect(cell('E20')!.num).toBe(8.5);
  });

  it('the seed laid out as the official sheet imports as the seed’s data, nothing left over', async () => {
    const r = await importForm(await officialXlsx(seedText()), opts);
    expect(r.diagnostics).toEqual([]);
    expect(r.parsed!.titleYear).toBe(2025);
    expect(r.parsed!.unplaced).toEqual([]);
    expect(r.parsed!.data).toEqual(seedData());
  });

  it('extra blank rows and columns, a sheet without a form first, real Excel dates', async () => {
    const bytes = await officialXlsx(seedText(), {
      leadingCols: 2,
      leadingRows: 3,
      sheet: '2025年',
      otherSheetFirst: true,
      realDates: true,
    });
    const r = await importForm(bytes, opts);
    expect(r.diagnostics).toEqual([]);
    expect(r.grid!.sheet).toBe('2025年');
    expect(r.sheets).toEqual(['填报说明', '2025年']);
    expect(r.parsed!.data).toEqual(seedData());
  });

  it('a cell with no place is reported at its address and kept in the note', async () => {
    const bytes = await officialXlsx(seedText(), {
      leadingCols: 1,
      extra: [
        [12, 12, '见附件'],
        [2, 1, '附件2'],
      ],
    });
    const r = await importForm(bytes, opts);
    const unplaced = r.diagnostics
      .filter((d) => d.code === 'IMPORT_UNPLACED')
      .map((d) => [describeRef(d.at!), d.args.text, d.args.keptIn]);
    expect(unplaced).toEqual([
      ['Sheet1!B2', '附件2', 'comment'],
      ['Sheet1!M12', '见附件', '备注'],
    ]);
    expect(r.parsed!.data.indicators[1]!.note).toBe('见附件');
    expect(r.parsed!.unplaced.map((u) => [u.where, u.text])).toEqual([['Sheet1!B2', '附件2']]);
  });

  it('two sheets with a form: the first is read, and that is said', async () => {
    const wb = new ExcelJS.Workbook();
    for (const name of ['A表', 'B表']) {
      const ws = wb.addWorksheet(name);
      seedText()
        .split('\n')
        .forEach((l, i) => l.split('\t').forEach((t, c) => t && (ws.getCell(i + 1, c + 1).value = t)));
    }
    const r = await importForm(new Uint8Array(await wb.xlsx.writeBuffer()), opts);
    expect(r.grid!.sheet).toBe('A表');
    expect(r.diagnostics.map((d) => [d.code, d.args.chosen])).toEqual([['IMPORT_MULTIPLE_FORMS', 'A表']]);
  });
});

describe('workbooks that are not forms', () => {
  it('no title on any sheet: IMPORT_NO_TITLE naming the sheets', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('工资表').getCell('A1').value = '姓名';
    wb.addWorksheet('Sheet2');
    const r = await importForm(new Uint8Array(await wb.xlsx.writeBuffer()), opts);
    expect(r.parsed).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.args.sheets])).toEqual([['IMPORT_NO_TITLE', '工资表、Sheet2']]);
  });
  it('a damaged zip: IMPORT_UNREADABLE, no exception', async () => {
    const good = await officialXlsx(seedText());
    const r = await importForm(good.slice(0, 600), opts);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMPORT_UNREADABLE']);
  });
  it('a legacy .xls (OLE2) is named as such', async () => {
    const r = await importForm(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), opts);
    expect(r.diagnostics.map((d) => [d.code, d.args.detail])).toEqual([['IMPORT_UNREADABLE', 'xls']]);
  });
  it('an empty file: IMPORT_EMPTY', async () => {
    expect((await importForm(new Uint8Array(), opts)).diagnostics.map((d) => d.code)).toEqual(['IMPORT_EMPTY']);
    expect((await importForm(new TextEncoder().encode('\n\t\n  \n'), opts)).diagnostics.map((d) => d.code)).toEqual([
      'IMPORT_EMPTY',
    ]);
  });
});
