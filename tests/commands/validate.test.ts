/** `jxmb validate` as users and CI call it: formats, languages, exit codes, several files at once. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');

/** A throwaway project: files relative to its root. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-validate-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('jxmb validate', () => {
  it('the seed: exit 0 with three warnings, caret excerpts and a summary', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    const r = await runCli(['validate'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^data\/2025\/zhijiang-swkjgxj\.yaml:17:74 {2}warning {2}YEAR_IN_TEXT {2}/m);
    // Line 17 is wider than an excerpt: shown around the column, cut with …
    expect(r.out).toContain('  17 | …企业3家。 2、外贸指标。2023年预计完成');
    expect(r.out).toMatch(/\n\s+\| .*\^{6}\n/); // caret under 2023年 (3 wide chars + 4 digits... as display width)
    expect(r.out.trim().split('\n').at(-1)).toBe('检查了 1 个文件：0 个错误，3 个警告');
  });

  it('--strict makes warnings fail', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    expect((await runCli(['validate', '--strict'], dir)).code).toBe(1);
  });

  it('--format json: an array of {file, line, column, severity, code, message}', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    const r = await runCli(['validate', '--format', 'json', '--lang', 'en'], dir);
    const items = JSON.parse(r.out) as Array<{
      line: number;
      column: number;
      severity: string;
      code: string;
      message: string;
    }>;
    expect(items.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '17:74 warning YEAR_IN_TEXT',
      '78:11 warning DUPLICATE_INDICATOR',
      '104:12 warning DEADLINE_AFTER_YEAR',
    ]);
    expect(Object.keys(items[0]!).sort()).toEqual(['code', 'column', 'file', 'line', 'message', 'severity']);
    expect(items[0]!.message).toContain('2023年');
    expect(items[0]!.message).toMatch(/^the text says/);
  });

  it('--format github: workflow annotations on the right lines', async () => {
    const bad = seed.replace('unit: 人次', 'uint: 人次');
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': bad });
    const r = await runCli(['validate', '--format', 'github'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '::error file=data/2025/zhijiang-swkjgxj.yaml,line=89,col=5,endLine=89,endColumn=9,' +
        'title=UNKNOWN_KEY::UNKNOWN_KEY ',
    );
  });

  it('every file is checked even when one is broken; exit 1', async () => {
    const dir = project({
      'data/2025/a-dept.yaml': 'fiscal_year: [\n',
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/copy.yaml': seed,
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const items = JSON.parse(r.out) as Array<{ file: string; code: string }>;
    expect(new Set(items.map((d) => d.file))).toEqual(
      new Set(['data/2025/a-dept.yaml', 'data/2025/copy.yaml', 'data/2025/zhijiang-swkjgxj.yaml']),
    );
    expect(items.filter((d) => d.file === 'data/2025/copy.yaml').map((d) => d.code)).toEqual(
      expect.arrayContaining(['CODE_FILENAME_MISMATCH', 'DUPLICATE_CODE']),
    );
    expect(items.find((d) => d.file === 'data/2025/a-dept.yaml')!.code).toBe('YAML_UNCLOSED');
  });

  it('explicit paths, folders, and missing files', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    expect((await runCli(['validate', 'data/2025'], dir)).code).toBe(0);
    const r = await runCli(['validate', 'data/2025/nope.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('data/2025/nope.yaml:1:1  error  FILE_NOT_FOUND');
  });

  it('usage errors exit 2 with the usage text', async () => {
    const r = await runCli(['validate', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--format');
    expect(r.err).toContain('用法 Usage: jxmb validate');
    expect((await runCli(['validate', '--bogus'])).code).toBe(2);
    expect((await runCli(['nosuchcommand'])).code).toBe(2);
    const empty = project({ 'README.txt': '' });
    expect((await runCli(['validate'], empty)).code).toBe(2);
  });

  it('settings: the points total and required 一级指标 come from jxmb.settings.yaml', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'jxmb.settings.yaml': 'points_total: 100\nrequired_level1: [产出指标]\nlang: en\n',
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    const items = JSON.parse(r.out) as Array<{ code: string; message: string }>;
    expect(r.code).toBe(1);
    expect(items.find((d) => d.code === 'POINTS_TOTAL')!.message).toBe(
      'indicator points add up to 90, expected 100 (points_total in jxmb.settings.yaml); off by 10. ' +
        'Subtotals per 一级指标: 产出指标 30, 效益指标 30, 满意度指标 10, 成本指标 20',
    );
  });

  it('a broken settings file is reported at its line', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'jxmb.settings.yaml': 'points_total: 90\npoints_totl: 100\n',
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const items = JSON.parse(r.out) as Array<{ file: string; line: number; code: string }>;
    expect(items[0]).toMatchObject({ line: 2, code: 'SETTINGS_INVALID' });
    expect(items[0]!.file.endsWith('jxmb.settings.yaml')).toBe(true);
  });

  it('the date format setting changes the printed dates', async () => {
    const { buildFormModel } = await import('../../scripts/model/form-model.ts');
    const { parse } = await import('yaml');
    const { DEFAULT_SETTINGS } = await import('../../scripts/model/settings.ts');
    const m = buildFormModel(parse(seed) as DepartmentTargets, {
      ...DEFAULT_SETTINGS,
      points_total: 90,
      required_level1: [],
      date_format: 'YYYY年M月D日',
      filing_window: { from: 'Y-1-10-01', to: 'Y-12-31' },
      lang: 'zh',
      years: {},
    });
    expect(m.signoff.filed).toBe('2025年12月8日');
    expect(m.signatureLine).toContain('填报日期：2025年12月8日');
  });
});

describe('settings per fiscal year (`years:`)', () => {
  it('a total raised from 2026 on leaves the 2025 tables valid and checks 2026 against the new total', async () => {
    const seed2026 = seed
      .replace('fiscal_year: 2025', 'fiscal_year: 2026')
      .replace(/2025-12/g, '2026-12')
      .replace('2023年', '2026年')
      .replace('2026年12月31日前', '2026年12月31日前');
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2026/zhijiang-swkjgxj.yaml': seed2026,
      'jxmb.settings.yaml': 'points_total: 90\nyears:\n  2026:\n    points_total: 100\n    date_format: YYYY年M月D日\n',
    });
    const r = await runCli(['validate', '--format', 'json', '--lang', 'en'], dir);
    const items = JSON.parse(r.out) as Array<{ file: string; code: string; message: string }>;
    expect(items.filter((d) => d.file.startsWith('data/2025')).map((d) => d.code)).toEqual([
      'YEAR_IN_TEXT',
      'DUPLICATE_INDICATOR',
      'DEADLINE_AFTER_YEAR',
    ]);
    const total = items.find((d) => d.file.startsWith('data/2026') && d.code === 'POINTS_TOTAL');
    expect(total?.message).toContain('expected 100');
  });

  it('the year’s date format is the one printed', async () => {
    const { buildFormModel } = await import('../../scripts/model/form-model.ts');
    const { resolveSettings } = await import('../../scripts/model/settings.ts');
    const { parse } = await import('yaml');
    const settings = resolveSettings({ years: { '2025': { date_format: 'YYYY年M月D日' } } });
    expect(buildFormModel(parse(seed) as DepartmentTargets, settings).signoff.filed).toBe('2025年12月8日');
    expect(
      buildFormModel(parse(seed.replace('fiscal_year: 2025', 'fiscal_year: 2024')) as DepartmentTargets, settings)
        .signoff.filed,
    ).toBe('2025.12.8');
  });

  it('a year key that is not a year is a settings error', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'jxmb.settings.yaml': 'years:\n  next:\n    points_total: 100\n',
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Array<{ code: string }>)[0]!.code).toBe('SETTINGS_INVALID');
  });
});
