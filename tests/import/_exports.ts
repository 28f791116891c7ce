/**
 * Test-side exports of a form, made independently of the importer: tab-separated text laid out and
 * drifting like the reference export, and an .xlsx in the official template's layout built cell by cell
 * with exceljs (merged cells, extra blank rows and columns, the 说明 block), plus the normalisation the
 * round trip is "modulo".
 */
import ExcelJS from 'exceljs';
import { generatedSentence } from '../../scripts/model/scoring.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { seedText } from '../helpers.ts';

/** The 说明 block of the reference export (the blank template's instructions). */
export const NOTES_BLOCK = ((): string[] => {
  const lines = seedText().split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('说明')));
})();

const quote = (s: string): string => (/[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A form model as the official spreadsheet exports it to text: blank lines between the blocks, label
 * rows padded to ten cells, merged 一级/二级 cells dropped after their first row, and the remaining cells
 * shifted left in the several ways the reference export shows (cycled through, so every shape occurs).
 */
export function exportTsv(m: FormModel): string {
  const pad = (cells: string[]): string =>
    [...cells, ...Array<string>(Math.max(0, 10 - cells.length)).fill('')].map(quote).join('\t');
  const lines = [
    '',
    '',
    m.title,
    '',
    m.yearLine,
    '',
    pad(['部门（单位）名称', m.name]),
    pad(['部门（单位）职责', m.dutiesText]),
    pad(['年度总体目标', m.goalsText]),
  ];
  lines.push(
    [
      '绩效指标',
      '一级指标',
      '二级指标',
      '三级指标',
      '指标类型',
      '指标值',
      '计量单位',
      '指标解释',
      '评（扣）分标准',
      '备注',
    ].join('\t'),
  );
  m.rows.forEach((r, i) => {
    const rest = [r.name, r.type, r.valueText, r.unit, r.explanation, r.scoringText, r.note];
    let cells: string[];
    // A new 一级 either keeps column A (效益指标 in the seed) or drops it (满意度指标, 成本指标).
    if (r.level1Span) cells = i % 2 ? [r.level1, r.level2, ...rest] : ['', r.level1, r.level2, ...rest];
    else if (r.level2Span) {
      const shapes = [
        ['', r.level2, ...rest],
        [r.level2, '', ...rest],
        [r.level2, ...rest],
      ]; // rows 20, 25 and 26 of the seed
      cells = shapes[i % 3]!;
    } else cells = ['', '', '', ...rest];
    lines.push(pad(cells));
  });
  lines.push(pad(['业务股室审核：', m.signoff.businessReview]), pad(['绩效股室审核：', m.signoff.performanceReview]));
  lines.push('', m.signatureLine, '', ...NOTES_BLOCK);
  return lines.join('\n');
}

export interface OfficialXlsxOptions {
  /** Blank columns inserted before column A, and blank rows before the title. */
  leadingCols?: number;
  leadingRows?: number;
  /** Sheet name of the form. */
  sheet?: string;
  /** Add a sheet without a form before the form's sheet. */
  otherSheetFirst?: boolean;
  /** Extra cells: [row of the TSV line (1-based), column (1-based, before the offset), text]. */
  extra?: Array<[number, number, string]>;
  /** Write the review dates as real Excel dates instead of text. */
  realDates?: boolean;
}

/**
 * Lays tab-separated lines (an export like the reference's) into a worksheet cell by cell, then merges
 * what the official template merges: title and year across the table, each label's content across B:J,
 * 绩效指标 down column A, runs of empty 一级/二级 cells into the cell above, and the footer line.
 */
export async function officialXlsx(tsv: string, o: OfficialXlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (o.otherSheetFirst) wb.addWorksheet('填报说明').getCell('A1').value = '请按说明填写后报送财政局。';
  const ws = wb.addWorksheet(o.sheet ?? 'Sheet1');
  const dc = o.leadingCols ?? 0;
  const dr = o.leadingRows ?? 0;
  const rows = splitTsv(tsv);
  const lines = rows.map((r) => r.join('\t'));
  const rowOf = (i: number): number => i + 1 + dr;
  rows.forEach((cells, i) => {
    const review = /审核/.test(cells[0] ?? '');
    cells.forEach((text, c) => {
      if (text === '') return;
      const cell = ws.getCell(rowOf(i), c + 1 + dc);
      const date = /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/.exec(text);
      cell.value =
        o.realDates && date && review
          ? new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!))
          : /^\d+(\.\d+)?$/.test(text) && c > 0 && !review
            ? Number(text)
            : text;
    });
  });
  for (const [r, c, text] of o.extra ?? []) ws.getCell(rowOf(r - 1), c + dc).value = text;
  const A = 1 + dc;
  const J = 10 + dc;
  const find = (re: RegExp): number => lines.findIndex((l) => re.test(l));
  const merge = (r1: number, c1: number, r2: number, c2: number): void => ws.mergeCells(rowOf(r1), c1, rowOf(r2), c2);
  merge(find(/^部门（单位）整体绩效目标表/), A, find(/^部门（单位）整体绩效目标表/), J);
  merge(find(/^（\d{4}）年度/), A, find(/^（\d{4}）年度/), J);
  for (const re of [/^部门（单位）名称\t/, /^部门（单位）职责\t/, /^年度总体目标\t/, /^业务股室审核/, /^绩效股室审核/])
    merge(find(re), A + 1, find(re), J);
  const header = find(/^绩效指标\t/);
  const review = find(/^业务股室审核/);
  // 绩效指标 runs down column A until a drifted row puts its first cell there.
  let endA = header + 1;
  while (endA < review && (rows[endA]![0] ?? '') === '') endA++;
  merge(header, A, endA - 1, A);
  // Runs of empty cells under a filled 一级 (column B) or 二级 (column C) become one merged cell; drifted rows
  // (their 指标类型 is not in column E) end a run, as in the reference export.
  const aligned = (i: number): boolean => ['≥', '>', '=', '≤', '<', '定性'].includes(rows[i]![4] ?? '');
  for (const col of [1, 2]) {
    for (let i = header + 1; i < review; i++) {
      if (!aligned(i) || (rows[i]![col] ?? '') === '') continue;
      let j = i + 1;
      while (j < review && aligned(j) && rows[j]!.slice(0, col + 1).every((t) => t === '')) j++;
      if (j - i > 1) merge(i, col + 1 + dc, j - 1, col + 1 + dc);
    }
  }
  const sign = find(/^填表人/);
  merge(sign, A, sign, J);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Tab-separated text → cells, honouring quoted cells (written here, independently of the importer's reader). */
function splitTsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' && cell === '') {
      const end = text.indexOf('"\t', i + 1) >= 0 || text.indexOf('"\n', i + 1) >= 0 ? closing(text, i) : -1;
      if (end > 0) {
        cell = text.slice(i + 1, end).replace(/""/g, '"');
        i = end;
        continue;
      }
    }
    if (ch === '\t') {
      rows[rows.length - 1]!.push(cell);
      cell = '';
    } else if (ch === '\n') {
      rows[rows.length - 1]!.push(cell);
      cell = '';
      rows.push([]);
    } else cell += ch;
  }
  rows[rows.length - 1]!.push(cell);
  return rows;
}

function closing(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] !== '"') continue;
    if (text[j + 1] === '"') j++;
    else return j;
  }
  return -1;
}

/**
 * What the round trip may change: `>=` → `≥`, empty unit/note, a text equal to the generated sentence,
 * ids (not printed).
 */
export function normalise(data: DepartmentTargets): DepartmentTargets {
  const d = structuredClone(data);
  for (const ind of d.indicators) {
    if (ind.type === '>=') ind.type = '≥';
    if (ind.type === '<=') ind.type = '≤';
    if (ind.unit === '') delete ind.unit;
    if (ind.note === '') delete ind.note;
    delete ind.id;
    const s = ind.scoring;
    if (s.kind !== 'text' && s.text !== undefined && s.text === generatedSentence(ind, s)) delete s.text;
  }
  return d;
}
