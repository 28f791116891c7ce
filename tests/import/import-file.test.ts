/**
 * importFile over a workbook of several sheets: every titled sheet is a form carrying its own grid, and
 * a cell's warning goes to the form of its sheet (none for a sheet holding no form).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { importFile } from '../../scripts/import/import-form.ts';
import { seedText } from '../helpers.ts';

const opts = { pointsTotal: 90 };

describe('a workbook with one department per sheet', () => {
  it('every titled sheet is a form with its own grid; cell warnings go to their sheet’s form', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填报说明').getCell('A1').value = { formula: 'NOW()' };
    for (const name of ['A表', 'B表']) {
      const ws = wb.addWorksheet(name);
      seedText()
        .split('\n')
        .forEach((l, i) => l.split('\t').forEach((t, c) => t && (ws.getCell(i + 1, c + 1).value = t)));
      ws.getCell('L2').value = { formula: `"${name}"` };
    }
    const r = await importFile(new Uint8Array(await wb.xlsx.writeBuffer()), opts);
    expect(r.kind).toBe('xlsx');
    expect(r.sheets).toEqual(['填报说明', 'A表', 'B表']);
    expect(r.diagnostics).toEqual([]);
    expect(r.forms.map((f) => f.grid!.sheet)).toEqual(['A表', 'B表']);
    expect(r.forms.map((f) => f.diagnostics.map((d) => [d.code, describeRef(d.at!), d.args.formula]))).toEqual([
      [['IMPORT_FORMULA', 'A表!L2', '"A表"']],
      [['IMPORT_FORMULA', 'B表!L2', '"B表"']],
    ]);
    const seed = (await importFile(new TextEncoder().encode(seedText()), opts)).forms[0]!.parsed!.data;
    for (const f of r.forms) expect(f.parsed!.data).toEqual(seed);
  });
});
