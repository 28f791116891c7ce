/**
 * Diagnostics about empty or formula cells name the cell itself, across layouts: the official one with
 * its merged ranges, leading empty columns, a cell the workbook never stored (a row ending early), a
 * formula saved without its result, a template missing a column, and exported text.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRef } from '../../scripts/import/grid.ts';
import { importForm } from '../../scripts/import/import-form.ts';
import { runCli, seedText } from '../helpers.ts';
import { officialXlsx } from './_exports.ts';

const opts = { pointsTotal: 90 };
const missing = (where: string, what: string): unknown[] => [['IMPORT_MISSING', where, what]];

/** The seed export with cell (line, column), both 1-based, set to `text`. */
function seedWith(edits: Array<[number, number, string]>): string {
  const lines = seedText()
    .split('\n')
    .map((l) => l.split('\t'));
  for (const [line, col, text] of edits) lines[line - 1]![col - 1] = text;
  return lines.map((l) => l.join('\t')).join('\n');
}

/** Reopens a workbook with exceljs to change it as a user (or a program) would. */
async function edited(bytes: Uint8Array, edit: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  edit(wb.worksheets[0]!);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** [code, where, what-or-formula] of every diagnostic but the unplaced-content ones. */
async function found(bytes: Uint8Array | string): Promise<Array<[string, string, unknown]>> {
  const input = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const r = await importForm(input, opts);
  return r.diagnostics
    .filter((d) => d.code !== 'IMPORT_UNPLACED')
    .map((d) => [d.code, d.at ? describeRef(d.at, r.grid?.text) : '', d.args.what ?? d.args.formula]);
}

describe('an empty cell is reported at its own address, not a neighbour’s', () => {
  it('an empty 三级指标 (D12 in the official layout, not E12 where the type is)', async () => {
    expect(await found(await officialXlsx(seedWith([[12, 4, '']])))).toEqual(missing('Sheet1!D12', '三级指标'));
  });
  it('…with two leading empty columns it is F12', async () => {
    const bytes = await officialXlsx(seedWith([[12, 4, '']]), { leadingCols: 2 });
    expect(await found(bytes)).toEqual(missing('Sheet1!F12', '三级指标'));
  });
  it(
    'an empty 评（扣）分标准 at the end of a row stored short ' + '(J13 after a leading column, not F13)',
    async () => {
      expect(
        await found(
          await officialXlsx(
            seedWith([
              [13, 9, ''],
              [13, 10, ''],
            ]),
            { leadingCols: 1 },
          ),
        ),
      ).toEqual([['IMPORT_MISSING', 'Sheet1!J13', '评（扣）分标准']]);
    },
  );
  it('an empty 一级指标 where a run starts (B11, not D11)', async () => {
    expect(await found(await officialXlsx(seedWith([[11, 2, '']])))).toEqual(missing('Sheet1!B11', '一级指标'));
  });
  it('an empty 二级指标 where a run starts (C11, not D11)', async () => {
    expect(await found(await officialXlsx(seedWith([[11, 3, '']])))).toEqual(missing('Sheet1!C11', '二级指标'));
  });
  it('a label with nothing beside it: the empty cell beside it (B7), not the label', async () => {
    expect(await found(await officialXlsx(seedWith([[7, 2, '']])))).toEqual(missing('Sheet1!B7', '部门（单位）名称'));
  });
  it('a 三级指标 cell covered by the merge of the one above reads empty, and is named (D13)', async () => {
    const bytes = await edited(await officialXlsx(seedText()), (ws) => ws.mergeCells('D12:D13'));
    expect(await found(bytes)).toEqual([['IMPORT_MISSING', 'Sheet1!D13', '三级指标']]);
  });
});

describe('a finding in the imported YAML names the cell it came from', () => {
  it('an empty 指标值: the check of the YAML points at F12, not at the indicator’s name in D12', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-pos-'));
    writeFileSync(path.join(dir, 'form.xlsx'), await officialXlsx(seedWith([[12, 6, '']])));
    const r = await runCli(['import', 'form.xlsx', '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.out).toMatch(/error {2}QUANTITATIVE_VALUE {2}[^]*?\n\s+源文件位置: form\.xlsx:Sheet1!F12\n/);
  });
});

describe('a formula saved without its result', () => {
  it('is reported at its cell with the formula, and the empty field there too', async () => {
    const bytes = await edited(await officialXlsx(seedText(), { leadingCols: 1 }), (ws) => {
      ws.getCell('E14').value = { formula: 'CONCATENATE("培育","企业")' };
    });
    expect(await found(bytes)).toEqual([
      ['IMPORT_FORMULA', 'Sheet1!E14', 'CONCATENATE("培育","企业")'],
      ['IMPORT_MISSING', 'Sheet1!E14', '三级指标'],
    ]);
  });
  it('a formula with its result is read as the result, silently', async () => {
    const bytes = await edited(await officialXlsx(seedText()), (ws) => {
      ws.getCell('D14').value = { formula: 'D13', result: '培育高新技术企业' };
    });
    const r = await importForm(bytes, opts);
    expect(r.diagnostics.filter((d) => d.code !== 'IMPORT_UNPLACED')).toEqual([]);
    expect(r.parsed!.data.indicators[3]!.name).toBe('培育高新技术企业');
  });
});

describe('a template without the 计量单位 column', () => {
  const form = (scoring2: string): string =>
    [
      '部门（单位）整体绩效目标表',
      '（2025）年度',
      '部门（单位）名称\t某局',
      '部门（单位）职责\t1、甲。',
      '年度总体目标\t目标1：乙。',
      '绩效指标\t一级指标\t二级指标\t三级指标\t指标类型\t' + '指标值\t指标解释\t评（扣）分标准\t备注',
      '\t产出指标\t数量指标\t指标甲\t≥\t3\t解释甲\t完成得45分，否则不得分。',
      `\t\t\t指标乙\t≥\t2\t解释乙\t${scoring2}`,
      '业务股室审核：\t2025.12.14',
      '绩效股室审核：\t2025.12.14',
      '填表人：张三 联系电话：13700000000 填报日期：2025.12.8 单位负责人签字：李四',
    ].join('\n');
  it('reads each field from its own column: the explanation is not taken for the unit', async () => {
    const r = await importForm(await officialXlsxPlain(form('完成得45分，否则不得分。')), opts);
    expect(r.diagnostics).toEqual([]);
    const read = r.parsed!.data.indicators.map((i) => [i.unit, i.explanation]);
    expect(read).toEqual([
      [undefined, '解释甲'],
      [undefined, '解释乙'],
    ]);
  });
  it('an empty 评（扣）分标准 is H8, the template’s column, not the seed layout’s', async () => {
    expect(await found(await officialXlsxPlain(form('')))).toEqual([['IMPORT_MISSING', 'Sheet1!H8', '评（扣）分标准']]);
  });
});

describe('exported text: line:column of the empty cell', () => {
  it('an empty 三级指标 in line 12 is at column 4 (after three tabs), not at the type in column 5', async () => {
    expect(await found(seedWith([[12, 4, '']]))).toEqual([['IMPORT_MISSING', '12:4', '三级指标']]);
  });
  it('a row ending before its 评（扣）分标准: the end of the line', async () => {
    const text = seedWith([
      [13, 8, ''],
      [13, 9, ''],
      [13, 10, ''],
    ]).replace(/^(\t\t\t外贸[^\n]*?)\t+\n/m, '$1\n');
    const line13 = text.split('\n')[12]!;
    expect(await found(text)).toEqual([['IMPORT_MISSING', `13:${[...line13].length + 1}`, '评（扣）分标准']]);
  });
});

/** Tab-separated lines laid into a worksheet cell by cell, nothing merged. */
async function officialXlsxPlain(tsv: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  tsv
    .split('\n')
    .forEach((l, r) =>
      l.split('\t').forEach((t, c) => t && (ws.getCell(r + 1, c + 1).value = /^\d+$/.test(t) && c > 0 ? Number(t) : t)),
    );
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
