/**
 * The form model of data/2025 reproduces the reference export character for character:
 * every label, every cell, the review rows and the signature line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { SEED_TXT, SEED_YAML } from '../helpers.ts';

const seedLines = readFileSync(SEED_TXT, 'utf8')
  .split('\n')
  .map((l) => l.replace(/\r$/, ''));
const cells = (line: string): string[] => line.split('\t').filter((c) => c !== '');
const model = checkFile('seed.yaml', readFileSync(SEED_YAML), {
  settings: DEFAULT_SETTINGS,
  dataPath: '2025/zhijiang-swkjgxj.yaml',
}).model!;

describe('data/2025 reproduces the reference table', () => {
  it('has a model (no errors)', () => expect(model).toBeDefined());

  it('title and year line', () => {
    expect(seedLines).toContain(model.title);
    expect(seedLines).toContain(model.yearLine);
  });

  it('label rows', () => {
    const row = (label: string): string[] => cells(seedLines.find((l) => l.startsWith(label + '\t'))!);
    expect(row('部门（单位）名称')).toEqual(['部门（单位）名称', model.name]);
    expect(row('部门（单位）职责')).toEqual(['部门（单位）职责', model.dutiesText]);
    expect(row('年度总体目标')).toEqual(['年度总体目标', model.goalsText]);
  });

  it('every indicator row, cell by cell, in order', () => {
    const start = seedLines.findIndex((l) => l.startsWith('绩效指标\t'));
    const body = seedLines.slice(start + 1, start + 1 + model.rows.length).map(cells);
    expect(body).toHaveLength(18);
    model.rows.forEach((r, i) => {
      // The export drops merged 一级/二级 cells after their first row (and its columns drift); what is
      // left, in order, must be exactly our cells.
      const expected = [
        ...(r.level1Span ? [r.level1] : []),
        ...(r.level2Span ? [r.level2] : []),
        r.name,
        r.type,
        r.valueText,
        ...(r.unit ? [r.unit] : []),
        r.explanation,
        r.scoringText,
        ...(r.note ? [r.note] : []),
      ];
      expect(body[i], `row ${i + 1}`).toEqual(expected);
    });
    expect(model.pointsSum).toBe(90);
  });

  it('review rows and signature line', () => {
    expect(seedLines).toContain(`业务股室审核：\t${model.signoff.businessReview}\t\t\t\t\t\t\t\t`);
    expect(seedLines).toContain(`绩效股室审核：\t${model.signoff.performanceReview}\t\t\t\t\t\t\t\t`);
    expect(seedLines).toContain(model.signatureLine);
  });
});
