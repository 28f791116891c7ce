/**
 * The .xlsx read back with exceljs: every cell of the reference export, merges, borders, fonts,
 * dropdowns, numeric cells, text that looks like a formula, print set-up, and byte-identical renders.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { buildFormModel, INDICATOR_HEADER, LEVELS, type FormModel } from '../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import type { Indicator } from '../../scripts/model/types.generated.ts';
import {
  FOOTER,
  HEADER_ROW,
  LISTS_SHEET,
  normalizeZipDates,
  PDF_COLUMNS_PERCENT,
  renderXlsx,
  SHEET_NAME,
  textWidth,
  xlsxLayout,
  type XlsxLayout,
} from '../../scripts/render/xlsx.ts';
import { FIXTURES, ROOT, SEED_TXT, SEED_YAML } from '../helpers.ts';

const opts = { settings: DEFAULT_SETTINGS };
const checked = (file: string) => checkFile(path.basename(file), readFileSync(file), { settings: DEFAULT_SETTINGS });
const seed = checked(SEED_YAML);
const seedModel = seed.model!;
const FORMULA_FIXTURE = path.join(FIXTURES, 'xlsx-text-not-formula/2025/formula-text.yaml');

async function readBack(bytes: Uint8Array): Promise<{ wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  return { wb, ws };
}

/** A cell's text as the export shows it; merged cells other than the top-left one are empty. */
function cellText(cell: ExcelJS.Cell): string {
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  const v = cell.value;
  if (v === null || v === undefined) return '';
  // Rich text, formulas and errors are objects: shown whole, so that a test expecting text sees what it got.
  return typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : String(v);
}

function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++)
    rows.push(Array.from({ length: 10 }, (_, c) => cellText(ws.getCell(r, c + 1))));
  return rows;
}

/** One entry of the zip, inflated (enough of the format for the writer's output: no data descriptors). */
function zipEntry(zip: Uint8Array, name: string): string {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  for (let i = 0, p = v.getUint32(eocd + 16, true); i < v.getUint16(eocd + 10, true); i++) {
    const nameLen = v.getUint16(p + 28, true);
    const entryName = Buffer.from(zip.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    if (entryName === name) {
      const local = v.getUint32(p + 42, true);
      const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
      const data = zip.subarray(start, start + v.getUint32(p + 20, true));
      return (v.getUint16(p + 10, true) === 8 ? inflateRawSync(data) : Buffer.from(data)).toString('utf8');
    }
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  throw new Error(`${name} not in zip`);
}

/** The sheet's manual page breaks (the last row of each page but the last), read from its XML. */
const breaksOf = (bytes: Uint8Array): number[] =>
  [...zipEntry(bytes, 'xl/worksheets/sheet1.xml').matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));

/**
 * The model's 一级/二级 runs as merges, cut at every page break (a one-row piece is no merge): a run's
 * rows are indicators `i…i+span-1`; a page break lies between two of them when the sheet puts
 * anything (a page's repeated header) between their rows.
 */
function expectedLevelMerges(model: FormModel, rowOf: readonly number[]): Set<string> {
  const out = new Set<string>();
  const cut = (col: string, first: number, last: number): void => {
    let from = first;
    for (let i = first; i <= last; i++) {
      if (i < last && rowOf[i + 1] === rowOf[i]! + 1) continue;
      if (i > from) out.add(`${col}${rowOf[from]}:${col}${rowOf[i]}`);
      from = i + 1;
    }
  };
  model.rows.forEach((r, i) => {
    if (r.level1Span) cut('B', i, i + r.level1Span - 1);
    if (r.level2Span) cut('C', i, i + r.level2Span - 1);
  });
  return out;
}

/** Each page's block of the table: its header row and its last indicator row. */
const blocksOf = (l: XlsxLayout): Array<[header: number, last: number]> =>
  l.headerRows.map((h, k) => [h, (l.headerRows[k + 1] ?? l.reviewRow) - 1]);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const nonEmpty = (cells: string[]): string[] => cells.filter((c) => c !== '');

describe('the seed as .xlsx', async () => {
  const bytes = await renderXlsx(seedModel, opts);
  const { wb, ws } = await readBack(bytes);
  const rows = sheetRows(ws);
  const layout = xlsxLayout(seedModel);
  const { rowOf, headerRows, reviewRow, signRow } = layout;
  const blocks = blocksOf(layout);

  // The export, down to the signature line (the 说明 block belongs to the blank template, not the data).
  const tsv = readFileSync(SEED_TXT, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').split('\t'));
  const tsvRows = tsv
    .slice(
      0,
      tsv.findIndex((r) => r[0] === '说明：'),
    )
    .filter((r) => r.some((c) => c !== ''));

  it('has one sheet named like the form', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_NAME, LISTS_SHEET]);
    expect(wb.worksheets[1]!.state).toBe('hidden');
  });

  it('every cell of the reference export, in order (modulo the export’s column drift)', () => {
    // A page's repeated header row, and a run carried over a page break repeating its label with （续）:
    // not in the export.
    expect(headerRows.length).toBeGreaterThan(1);
    const ours = rows
      .filter((_, i) => !headerRows.slice(1).includes(i + 1))
      .map((r) => r.map((c) => (c.endsWith('（续）') ? '' : c.replace(/\u3000{3}/g, ' '))))
      .filter((r) => r.some((c) => c !== ''));
    expect(ours).toHaveLength(tsvRows.length);
    tsvRows.forEach((t, i) => expect(nonEmpty(ours[i]!), `row ${i + 1}`).toEqual(nonEmpty(t)));
  });

  it('rows without drift match the export cell for cell, column for column', () => {
    const find = (label: string) => tsvRows.find((r) => r[0] === label)!;
    for (const label of [
      '部门（单位）名称',
      '部门（单位）职责',
      '年度总体目标',
      '绩效指标',
      '业务股室审核：',
      '绩效股室审核：',
    ]) {
      expect(
        rows.find((r) => r[0] === label),
        label,
      ).toEqual(find(label).slice(0, 10));
    }
    // The first indicator row and a row inside a merged run keep their columns in the export too.
    const first = tsvRows.findIndex((r) => r[0] === '绩效指标') + 1;
    expect(rows[HEADER_ROW]).toEqual(tsvRows[first]);
    expect(rows[HEADER_ROW + 1]).toEqual(tsvRows[first + 1]);
  });

  it('title, year line and signature line are single cells merged across', () => {
    const merges = new Set(ws.model.merges);
    expect(rows[0]![0]).toBe('部门（单位）整体绩效目标表');
    expect(rows[1]![0]).toBe('（2025）年度');
    expect(merges).toContain('A1:J1');
    expect(merges).toContain('A2:J2');
    const sign = rows.findIndex((r) => r[0]!.startsWith('填表人：'));
    // Spaced like the PDF's (word spacing): full-width spaces between the four parts.
    const spaced = seedModel.signatureLine.replace(/ (?=联系电话|填报日期|单位负责人签字)/g, '\u3000'.repeat(3));
    expect(rows[sign]).toEqual([spaced, ...Array<string>(9).fill('')]);
    expect(merges).toContain(`A${sign + 1}:J${sign + 1}`);
  });

  it('pages: each starts with the header row (绩效指标 merged down beside it), breaks before each header', () => {
    const merges = new Set(ws.model.merges);
    expect(headerRows[0]).toBe(HEADER_ROW);
    // Every indicator once, in order, on the rows between the headers.
    expect(rowOf).toHaveLength(seedModel.rows.length);
    seedModel.rows.forEach((r, i) => expect(rows[rowOf[i]! - 1]![3], `indicator ${i}`).toBe(r.name));
    blocks.forEach(([h, last], k) => {
      expect(rows[h - 1], `header at row ${h}`).toEqual([k ? '绩效指标（续）' : '绩效指标', ...INDICATOR_HEADER]);
      expect(merges).toContain(`A${h}:A${last}`);
      expect(rowOf.filter((r) => r > h && r <= last)).toHaveLength(last - h);
    });
    expect(breaksOf(bytes)).toEqual(blocks.slice(0, -1).map(([, last]) => last));
    expect(reviewRow).toBe(blocks[blocks.length - 1]![1] + 1);
    expect(signRow).toBe(reviewRow + 2);
  });

  it('merges: label contents B:J, 一级/二级 runs of the reference table cut at page breaks', () => {
    const merges = new Set(ws.model.merges);
    for (const r of [3, 4, 5, reviewRow, reviewRow + 1]) expect(merges, `row ${r}`).toContain(`B${r}:J${r}`);
    // The reference: 产出指标 over 11 rows (数量指标 9), 效益指标 over 5 (经济效益指标 3), cut where pages end.
    const levelMerges = expectedLevelMerges(seedModel, rowOf);
    expect(levelMerges.size).toBeGreaterThan(3);
    expect(new Set([...merges].filter((m) => /^[BC]/.test(m) && !/^B\d+:J/.test(m)))).toEqual(levelMerges);
    expect(rows[6]!.slice(1, 3)).toEqual(['产出指标', '数量指标']);
    // The first row under each later header repeats its run's labels, marked （续）.
    for (const [h] of blocks.slice(1)) {
      const i = rowOf.indexOf(h + 1);
      const [m, prev] = [seedModel.rows[i]!, seedModel.rows[i - 1]!];
      expect(rows[h]![1]).toBe(m.level1 === prev.level1 ? `${m.level1}（续）` : m.level1);
    }
  });

  it('thin borders on every cell of the table, none on title, year and signature rows', () => {
    for (let r = 3; r <= reviewRow + 1; r++) {
      for (let c = 1; c <= 10; c++) {
        const b = ws.getCell(r, c).border;
        for (const side of ['top', 'left', 'bottom', 'right'] as const)
          expect(b?.[side]?.style, `${ws.getCell(r, c).address} ${side}`).toBe('thin');
      }
    }
    for (const r of [1, 2, signRow]) expect(ws.getCell(r, 1).border?.top, `row ${r}`).toBeUndefined();
  });

  it('fonts: SimHei title, SimSun body (GB2312), bold labels, wrapped and indented text', () => {
    expect(ws.getCell('A1').font.name).toBe('SimHei');
    expect(ws.getCell('A1').font.bold).toBe(true);
    for (const a of ['A3', 'A4', 'A5', ...headerRows.map((h) => `A${h}`), `A${reviewRow}`, `A${reviewRow + 1}`])
      expect(ws.getCell(a).font.bold, a).toBe(true);
    for (const a of ['B3', 'D7', 'I7']) expect(ws.getCell(a).font.bold, a).toBeFalsy();
    for (const a of ['D7', 'H7', 'I7', 'B4']) expect(ws.getCell(a).alignment?.indent, a).toBe(1);
    expect(ws.getCell('A1').font.size).toBeGreaterThanOrEqual(16);
    for (const a of ['A2', 'A3', 'B3', 'B6', 'D7', 'F7', 'I7', `A${signRow}`])
      expect(ws.getCell(a).font.name, a).toBe('SimSun');
    expect(ws.getCell('B6').font.bold).toBe(true);
    for (const a of ['B4', 'D7', 'H7', 'I7']) expect(ws.getCell(a).alignment?.wrapText, a).toBe(true);
  });

  it('dropdowns on 一级, 二级 and 指标类型 of every indicator row', () => {
    const list = (a: string) => {
      const dv = ws.getCell(a).dataValidation;
      expect(dv?.type, a).toBe('list');
      return String(dv.formulae[0]).replace(/^"|"$/g, '').split(',');
    };
    for (const [i, r] of rowOf.entries()) {
      expect(list(`E${r}`)).toEqual(['≥', '>', '=', '≤', '<', '定性']);
      expect(list(`B${r}`)).toEqual(Object.keys(LEVELS));
      // 二级 follows the run's 一级 (its top cell, （续） dropped), through the lists named after each 一级.
      const c = ws.getCell(`C${r}`).dataValidation;
      expect(c?.type).toBe('list');
      expect(String(c.formulae[0])).toMatch(/^INDIRECT\(SUBSTITUTE\(\$B\$\d+,"（续）",""\)\)$/);
      const q = seedModel.rows[i]!.quantitative;
      expect(ws.getCell(`F${r}`).dataValidation?.type, `F${r}`).toBe(q ? 'decimal' : undefined);
    }
    const lists = wb.worksheets[1]!;
    Object.entries(LEVELS).forEach(([l1, l2s], c) => {
      expect(lists.getCell(1, c + 1).value).toBe(l1);
      l2s.forEach((l2, k) => expect(lists.getCell(k + 2, c + 1).value).toBe(l2));
    });
    const names = zipEntry(bytes, 'xl/workbook.xml');
    for (const l1 of Object.keys(LEVELS)) expect(names).toContain(`<definedName name="${l1}">'${LISTS_SHEET}'!$`);
    for (const r of [...headerRows, reviewRow])
      for (const c of 'BCEF') expect(ws.getCell(`${c}${r}`).dataValidation?.type, `${c}${r}`).toBeUndefined();
  });

  it('in the sheet XML: one non-overlapping validation range per column, a width for every column', () => {
    const xml = zipEntry(bytes, 'xl/worksheets/sheet1.xml');
    const sqrefs = [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((m) => m[1]);
    const cells = sqrefs.flatMap((q) => q!.split(' '));
    // A page's rows, not its header: one range per page.
    for (const [h, last] of blocks) {
      expect(cells).toContain(`B${h + 1}:B${last}`);
      expect(cells).toContain(`E${h + 1}:E${last}`);
    }
    // No two ranges overlap: each cell of B, C, E, F is validated once at most.
    const seen = new Set<string>();
    for (const q of cells) {
      const [a, b = a] = q.split(':');
      const col = a!.replace(/\d+/, '');
      for (let r = Number(a!.replace(/\D+/, '')); r <= Number(b!.replace(/\D+/, '')); r++) {
        expect(seen.has(`${col}${r}`), `${col}${r}`).toBe(false);
        seen.add(`${col}${r}`);
      }
    }
    const cols = [...xml.matchAll(/<col min="(\d+)" max="(\d+)"/g)].flatMap((m) =>
      Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, k) => Number(m[1]) + k),
    );
    expect(cols).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(xml).not.toContain('<f>');
  });

  it('定量 values are numeric cells, 定性 values text', () => {
    const byName = (name: string) => rowOf[seedModel.rows.findIndex((r) => r.name === name)]!;
    expect(ws.getCell(`F${byName('部门预算支出金额')}`).value).toBe(934.41);
    expect(ws.getCell(`F${byName('规模工业增加值增速')}`).value).toBe(8.5);
    expect(ws.getCell(`F${byName('开展科技培训人数')}`).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell(`F${byName('工作完成时间')}`).value).toBe('2026年12月31日前');
    expect(ws.getCell(`F${byName('工作完成时间')}`).type).toBe(ExcelJS.ValueType.String);
    // Review dates are text as printed, not numbers that Excel would reformat.
    expect(ws.getCell(`B${reviewRow}`).value).toBe('2025.12.14');
  });

  it('print set-up: A4 landscape, one page wide, no print titles, page-number footer', () => {
    const ps = ws.pageSetup;
    expect(ps.paperSize).toBe(9);
    expect(ps.orientation).toBe('landscape');
    expect(ps.fitToPage).toBe(true);
    expect(ps.fitToWidth).toBe(1);
    expect(ps.fitToHeight).toBe(0);
    // The header is repeated as rows of the sheet, where the PDF repeats it: print titles would also
    // print it on a page holding only the review block.
    expect(ps.printTitlesRow).toBeUndefined();
    expect(ws.headerFooter.oddFooter).toBe(FOOTER);
    expect(FOOTER).toContain('第 &P 页 共 &N 页');
  });

  it('columns and rows are sized for their content', () => {
    // Short entries fit on one line: every 一级/二级/类型/单位 is narrower than its column.
    for (const r of seedModel.rows) {
      expect(textWidth(r.level1)).toBeLessThan(ws.getColumn(2).width!);
      expect(textWidth(r.unit)).toBeLessThan(ws.getColumn(7).width!);
    }
    expect(textWidth('部门（单位）名称')).toBeLessThan(ws.getColumn(1).width!);
    // Each row is at least as tall as its longest wrapped cell needs at ~11 pt per line.
    const linesAt = (text: string, width: number) => Math.ceil(textWidth(text) / width);
    seedModel.rows.forEach((row, i) => {
      const r = ws.getRow(rowOf[i]!);
      const need = Math.max(
        ...(
          [
            [row.name, 4],
            [row.explanation, 8],
            [row.scoringText, 9],
          ] as const
        ).map(([t, c]) => linesAt(t, ws.getColumn(c).width!)),
      );
      expect(r.height, `row ${r.number}`).toBeGreaterThanOrEqual(need * 11);
    });
    expect(ws.getRow(4).height).toBeGreaterThanOrEqual(linesAt(seedModel.dutiesText, 150) * 11);
  });

  it('workbook properties and dates come from the source', () => {
    // 2025.12.8 at midnight in China: the instant the PDF's CreationDate names (D:20251208000000+08'00').
    expect(wb.created?.toISOString()).toBe('2025-12-07T16:00:00.000Z');
    expect(wb.modified?.toISOString()).toBe('2025-12-07T16:00:00.000Z');
    expect(wb.title).toBe('芷江侗族自治县商务科技和工业和信息化局 2025年度 部门整体绩效目标表');
    expect(wb.creator).toBe(seedModel.name);
  });
});

describe('pages holding only the title block or only the review block, as the PDF prints them', async () => {
  const n = seedModel.rows.length;
  // The PDF's pages as render/paginate.ts gives them: the lead alone, then rows, then the review alone.
  const pages = [
    { start: 0, end: 0, lead: true, review: false },
    { start: 0, end: 8, lead: false, review: false },
    { start: 8, end: n, lead: false, review: false },
    { start: n, end: n, lead: false, review: true },
  ];
  const layout = xlsxLayout(seedModel, pages);
  const bytes = await renderXlsx(seedModel, { ...opts, pages });
  const { ws } = await readBack(bytes);

  it('the workbook follows them', () => {
    expect(layout.followsPdf).toBe(true);
    expect(layout.pages).toEqual(pages);
  });

  it('a header row only where a page has indicator rows; breaks after the lead and before the review', () => {
    expect(layout.headerRows).toEqual([HEADER_ROW, layout.rowOf[8]! - 1]);
    expect(breaksOf(bytes)).toEqual([HEADER_ROW - 1, layout.rowOf[7]!, layout.rowOf[n - 1]!]);
    // The review page starts with the review rows: no header above them.
    expect(layout.reviewRow).toBe(layout.rowOf[n - 1]! + 1);
    expect(ws.getCell(layout.reviewRow, 1).value).toBe('业务股室审核：');
    expect(ws.getCell(HEADER_ROW, 1).value).toBe('绩效指标');
    expect(ws.getCell(layout.headerRows[1]!, 1).value).toBe('绩效指标（续）');
  });
});

describe('the columns are the PDF’s', () => {
  it('form.css’s col widths, in order, are the ones the workbook scales', () => {
    const css = readFileSync(path.join(ROOT, 'templates/form.css'), 'utf8');
    const widths = [...css.matchAll(/^col\.c-[a-z0-9]+\s*\{\s*width:\s*([\d.]+)%;/gm)].map((m) => Number(m[1]));
    expect(widths).toEqual([...PDF_COLUMNS_PERCENT]);
  });
});

describe('deterministic bytes', () => {
  afterEach(() => vi.useRealTimers());

  it('two renders at different clock times are byte-identical', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-02T03:04:05Z'));
    const a = await renderXlsx(seedModel, opts);
    vi.setSystemTime(new Date('2041-07-08T09:10:11Z'));
    const b = await renderXlsx(seedModel, opts);
    expect(sha256(a)).toBe(sha256(b));
  });

  it('zip entry dates are the filing date', async () => {
    const bytes = await renderXlsx(seedModel, opts);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    const dosDate = view.getUint16(12, true);
    expect([(dosDate >> 9) + 1980, (dosDate >> 5) & 15, dosDate & 31]).toEqual([2025, 12, 8]);
  });

  it('a different source gives different bytes', async () => {
    const other = checked(FORMULA_FIXTURE).model!;
    expect(sha256(await renderXlsx(other, opts))).not.toBe(sha256(await renderXlsx(seedModel, opts)));
  });

  it('normalizeZipDates rejects what is not a zip', () => {
    expect(() => normalizeZipDates(new Uint8Array(64), new Date())).toThrow(/zip/);
  });
});

describe('text that looks like a formula stays text', async () => {
  const c = checked(FORMULA_FIXTURE);
  const model = c.model!;
  const bytes = await renderXlsx(model, opts);
  const { ws } = await readBack(bytes);

  it('no formula anywhere in the sheet XML', () =>
    expect(zipEntry(bytes, 'xl/worksheets/sheet1.xml')).not.toMatch(/<f[ >]/));

  it('fixture validates', () => expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]));

  it.each([
    ['B3', '=HYPERLINK("http://example.invalid","点我")'],
    ['B4', '1、=1+1 不是公式，是职责原文。'],
    ['D7', '=SUM(A1:A9)'],
    ['F8', '=NOW()'],
    ['H7', '-考核数量。'],
    ['H8', '@考核完成时间。'],
  ])('%s is the string %s, not a formula', (addr, text) => {
    const cell = ws.getCell(addr);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(text);
    expect(cell.formula).toBeUndefined();
  });

  it('numbers stay numbers (12, 90.5, 0.25)', () => {
    expect([ws.getCell('F7').value, ws.getCell('F10').value, ws.getCell('F11').value]).toEqual([12, 90.5, 0.25]);
  });
});

describe('any number of indicators: merges follow the model’s spans', async () => {
  // 60 indicators in runs of varying length, built from the seed's data (a synthetic, not the seed).
  const base = seed.data!;
  const levels = Object.entries(LEVELS).flatMap(([l1, l2s]) => l2s.map((l2) => [l1, l2] as const));
  // Runs of 2, 1, 3, 6, 4, … rows cycling through the 11 一级/二级 pairs.
  const pairs: (readonly [string, string])[] = [];
  for (let k = 0; pairs.length < 60; k++)
    pairs.push(...Array<readonly [string, string]>([2, 1, 3, 6, 4][k % 5]!).fill(levels[k % levels.length]!));
  const indicators: Indicator[] = Array.from({ length: 60 }, (_, i) => {
    const [level1, level2] = pairs[i]!;
    return {
      ...base.indicators[0]!,
      level1,
      level2,
      name: `指标${i + 1}`.repeat(1 + (i % 4)),
      scoring: { kind: 'ratio', points: 1.5 },
    } as Indicator;
  });
  const model: FormModel = buildFormModel({ ...base, indicators }, DEFAULT_SETTINGS);
  const bytes60 = await renderXlsx(model, opts);
  const { ws } = await readBack(bytes60);
  const merges = new Set(ws.model.merges);
  const layout = xlsxLayout(model);
  const { rowOf, reviewRow, signRow } = layout;

  it('one row per indicator, 一级/二级 merged exactly where the model says', () => {
    model.rows.forEach((r, i) => expect(ws.getCell(rowOf[i]!, 4).value).toBe(r.name));
    const breaks = breaksOf(bytes60);
    expect(breaks.length).toBeGreaterThan(1);
    expect(breaks).toEqual(
      blocksOf(layout)
        .slice(0, -1)
        .map(([, last]) => last),
    );
    const expected = expectedLevelMerges(model, rowOf);
    expect(expected.size).toBeGreaterThan(10);
    expect(new Set([...merges].filter((m) => /^[BC]\d+:[BC]/.test(m)))).toEqual(expected);
  });

  it('the review rows and signature line follow the last indicator', () => {
    expect(reviewRow).toBe(rowOf[59]! + 1);
    expect(ws.getCell(reviewRow, 1).value).toBe('业务股室审核：');
    expect(ws.getCell(signRow, 1).value).toBe(
      model.signatureLine.replace(/ (?=联系电话|填报日期|单位负责人签字)/g, '\u3000'.repeat(3)),
    );
    expect(ws.getCell(rowOf[9]!, 6).value).toBe(3);
  });
});

describe('very long text', () => {
  it('rows never exceed Excel’s 409 pt (taller rows make Excel repair the file)', async () => {
    const base = seed.data!;
    const duties = Array.from(
      { length: 120 },
      (_, i) => `第${i + 1}项职责：负责全县相关领域的规划、协调、监督和管理工作，组织实施有关政策措施。`,
    );
    const long = '考核'.repeat(600);
    const model = buildFormModel(
      { ...base, duties, indicators: [{ ...base.indicators[0]!, explanation: long }, ...base.indicators.slice(1)] },
      DEFAULT_SETTINGS,
    );
    const { ws } = await readBack(await renderXlsx(model, opts));
    expect(ws.getCell('B4').value).toBe(model.dutiesText);
    expect(ws.getCell('H7').value).toBe(long);
    for (let r = 1; r <= ws.rowCount; r++) expect(ws.getRow(r).height ?? 0, `row ${r}`).toBeLessThanOrEqual(409);
    expect(ws.getRow(4).height).toBe(409);
  });
});

describe('a decimal value prints as written (12.50, not 12.5)', () => {
  const text = readFileSync(SEED_YAML, 'utf8')
    .replace('    value: 1000\n', '    value: 12.50\n')
    .replace('    value: 934.41\n', '    value: 3.0\n');
  const decimals = checkFile('decimals.yaml', Buffer.from(text), {
    settings: DEFAULT_SETTINGS,
    dataPath: '2025/zhijiang-swkjgxj.yaml',
  });

  it('in the form model, and in a generated scoring sentence that quotes the value', () => {
    expect(decimals.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const values = decimals.model!.rows.map((r) => r.valueText);
    expect(values).toContain('12.50');
    expect(values).toContain('3.0');
    expect(values).not.toContain('12.5');
    // The data itself is the number, as the schema wants.
    expect(decimals.model!.rows.find((r) => r.valueText === '12.50')!.value).toBe(12.5);
    // Integers and values already written in their shortest form are unchanged.
    expect(values).toContain('3');
    expect(seedModel.rows.map((r) => r.valueText)).toContain('934.41');
  });

  it('but not leading zeros, a sign or an exponent: those print in the number’s own form', () => {
    for (const [written, printed] of [
      ['0012.50', '12.5'],
      ['+12.50', '12.5'],
      ['1.250e1', '12.5'],
      ['0.50', '0.50'],
    ] as const) {
      const file = text.replace('    value: 12.50\n', `    value: ${written}\n`);
      const m = checkFile('decimals.yaml', Buffer.from(file), {
        settings: DEFAULT_SETTINGS,
        dataPath: '2025/zhijiang-swkjgxj.yaml',
      }).model;
      expect(
        m!.rows.map((r) => r.valueText),
        written,
      ).toContain(printed);
    }
  });

  it('in the workbook: still a number, formatted with as many decimals', async () => {
    const { ws } = await readBack(await renderXlsx(decimals.model!, opts));
    const cellOf = (shown: string): ExcelJS.Cell => {
      const r = decimals.model!.rows.findIndex((row) => row.valueText === shown);
      return ws.getCell(`F${xlsxLayout(decimals.model!).rowOf[r]}`);
    };
    expect(cellOf('12.50').value).toBe(12.5);
    expect(cellOf('12.50').numFmt).toBe('0.00');
    expect(cellOf('3.0').value).toBe(3);
    expect(cellOf('3.0').numFmt).toBe('0.0');
    expect(cellOf('3').numFmt ?? 'General').toBe('General');
  });
});
