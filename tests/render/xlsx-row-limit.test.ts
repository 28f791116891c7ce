/**
 * Excel's 409 pt row height is a limit the workbook cannot get round: a cell whose text needs more is
 * reported by a warning at its source line (XLSX_ROW_TOO_TALL, from validate and build alike), and the
 * workbook still holds the whole text (read back with exceljs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { MAX_ROW_PT, renderXlsx } from '../../scripts/render/xlsx.ts';
import { FIXTURES, SEED_YAML } from '../helpers.ts';

const file = (code: string): string => path.join(FIXTURES, 'split-tall-rows/data/2025', `${code}.yaml`);

function check(yaml: string) {
  const dataPath = `2025/${path.basename(yaml)}`;
  const r = checkFile('x.yaml', readFileSync(yaml), { settings: DEFAULT_SETTINGS, dataPath });
  const located = r.diagnostics.map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, 'zh'));
  return { ...r, located, tall: located.filter((d) => d.code === 'XLSX_ROW_TOO_TALL') };
}

describe('XLSX_ROW_TOO_TALL', () => {
  it('warns at the source line of each text that needs a row over 409 pt', () => {
    const r = check(file('long-both'));
    // duties: and goals: keys; the 指标解释 value; the hand-written 评分 sentence (scoring.text).
    const at = r.tall.map((d) => `${d.line}:${d.column} ${d.severity}`);
    expect(at).toEqual(['7:1 warning', '9:1 warning', '26:18 warning', '27:46 warning']);
    expect(r.tall[0]!.message).toContain('部门（单位）职责');
    expect(r.tall[0]!.message).toContain('409');
    expect(r.tall[2]!.message).toContain('双长指标（指标解释）');
    expect(r.model).toBeDefined();
  });

  it('one warning for one tall text, none for the seed', () => {
    expect(check(file('long-goal-6000')).tall.map((d) => `${d.line}:${d.column}`)).toEqual(['10:1']);
    expect(check(file('long-explanation')).tall.map((d) => `${d.line}:${d.column}`)).toEqual(['44:18']);
    expect(check(SEED_YAML).tall).toEqual([]);
  });

  it('the workbook still holds every character, in rows no taller than Excel allows', async () => {
    const r = check(file('long-both'));
    const m = r.model!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(m, { settings: DEFAULT_SETTINGS })) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B4').value).toBe(m.dutiesText);
    expect(ws.getCell('B5').value).toBe(m.goalsText);
    const texts: string[] = [];
    ws.eachRow((row) =>
      row.eachCell((c) => texts.push(typeof c.value === 'string' ? c.value : JSON.stringify(c.value))),
    );
    for (const row of m.rows) {
      expect(texts).toContain(row.explanation);
      expect(texts).toContain(row.scoringText);
    }
    ws.eachRow((row) => expect(row.height ?? 0).toBeLessThanOrEqual(MAX_ROW_PT));
  });
});
