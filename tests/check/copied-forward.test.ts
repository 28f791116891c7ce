/**
 * A table copied forward: a deadline before the fiscal year, sign-off dates outside the filing season,
 * and (in jxmb validate) a table identical to last year's apart from the year.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { identicalApartFromYear } from '../../scripts/check/copied.ts';
import { locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import type { Lang } from '../../scripts/check/messages.ts';
import { DEFAULT_SETTINGS, type ResolvedSettings, windowDate } from '../../scripts/model/settings.ts';
import type { DepartmentTargets } from '../../scripts/model/types.generated.ts';
import { ROOT, runCli, SEED_YAML } from '../helpers.ts';

const seed2025 = readFileSync(SEED_YAML, 'utf8');
const seed2026 = readFileSync(path.join(ROOT, 'data/2026/zhijiang-swkjgxj.yaml'), 'utf8');
/** The 2026 table copied to 2027 with only fiscal_year changed: the case. */
const copied2027 = seed2026.replace('fiscal_year: 2026', 'fiscal_year: 2027');

function check(text: string, settings: ResolvedSettings = DEFAULT_SETTINGS, lang: Lang = 'zh') {
  const r = checkFile('x.yaml', new TextEncoder().encode(text), { settings });
  const located = r.diagnostics.map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, lang));
  return { located, codes: located.map((d) => `${d.line}:${d.column} ${d.code}`) };
}
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the reference tables are not flagged', () => {
  it('2025 and 2026 raise none of the copied-table warnings', () => {
    for (const t of [seed2025, seed2026]) {
      const codes = check(t).located.map((d) => d.code);
      expect(codes).not.toContain('DEADLINE_BEFORE_YEAR');
      expect(codes).not.toContain('SIGNOFF_DATE_OUTSIDE');
    }
  });
});

describe('a deadline before the fiscal year', () => {
  it('in the 时效 value of a table copied from 2026 to 2027', () => {
    const r = check(copied2027);
    const line = lineOf(copied2027, 'value: 2026年12月31日前');
    expect(r.codes).toContain(`${line}:12 DEADLINE_BEFORE_YEAR`);
    expect(r.located.find((d) => d.code === 'DEADLINE_BEFORE_YEAR')!.message).toContain('在 2027 年度之前');
  });
  it('in a hand-written deadline sentence', () => {
    const t = copied2027.replace(
      '{ kind: deadline, points: 10, every_days: 10, deduct: 1 }',
      '{ kind: deadline, points: 10, every_days: 10, deduct: 1, text: 2027年6月30日前完成，否则2026年12月31日起扣分 }',
    );
    const line = lineOf(t, 'text: 2027年6月30日前');
    const src = t.split('\n')[line - 1]!;
    const col = [...src.slice(0, src.indexOf('2026年12月31日起'))].length + 1;
    const cols = check(t)
      .codes.filter((c) => c.endsWith('DEADLINE_BEFORE_YEAR'))
      .map((c) => c.split(' ')[0]);
    // The value's 2026 and the sentence's 2026, not the sentence's 2027.
    expect(cols).toEqual([`${lineOf(t, 'value: 2026年')}:12`, `${line}:${col}`]);
  });
  it('a deadline within the fiscal year is fine', () => {
    const t = copied2027.replace('value: 2026年12月31日前', 'value: 2027年12月31日前');
    expect(check(t).codes.filter((c) => c.includes('DEADLINE'))).toEqual([]);
  });
});

describe('sign-off dates outside the filing season (settings: filing_window)', () => {
  it('last year’s dates in a copied table: each one', () => {
    const r = check(copied2027);
    expect(r.codes.filter((c) => c.endsWith('SIGNOFF_DATE_OUTSIDE'))).toEqual([
      `${lineOf(copied2027, 'business_review:')}:20 SIGNOFF_DATE_OUTSIDE`,
      `${lineOf(copied2027, 'performance_review:')}:23 SIGNOFF_DATE_OUTSIDE`,
      `${lineOf(copied2027, 'filed:')}:10 SIGNOFF_DATE_OUTSIDE`,
    ]);
    const m = r.located.find((d) => d.code === 'SIGNOFF_DATE_OUTSIDE')!.message;
    expect(m).toBe(
      '业务股室审核日期 2026-01-16 不在 2027 年度的填报时段（2026-10-01 至 2027-12-31）内；' +
        '是否沿用了旧表的日期？（时段见 jxmb.settings.yaml 的 filing_window）',
    );
  });
  it('the window is a setting, per year too', () => {
    const narrow = { ...DEFAULT_SETTINGS, filing_window: { from: 'Y-1-10-01', to: 'Y-06-30' } };
    expect(check(seed2025, narrow).codes.filter((c) => c.endsWith('SIGNOFF_DATE_OUTSIDE'))).toHaveLength(3);
    const perYear = { ...DEFAULT_SETTINGS, years: { '2025': { filing_window: { from: 'Y-01-01', to: 'Y+1-01-31' } } } };
    expect(check(seed2025, perYear).codes.filter((c) => c.endsWith('SIGNOFF_DATE_OUTSIDE'))).toEqual([]);
    expect(check(copied2027, perYear).codes.filter((c) => c.endsWith('SIGNOFF_DATE_OUTSIDE'))).toHaveLength(3);
  });
  it('bounds are relative to the fiscal year', () => {
    expect(windowDate('Y-1-10-01', 2027)).toBe('2026-10-01');
    expect(windowDate('Y+1-01-31', 2027)).toBe('2028-01-31');
    expect(windowDate('Y-12-31', 2027)).toBe('2027-12-31');
  });
  it('English', () => {
    const m = check(copied2027, DEFAULT_SETTINGS, 'en').located.find((d) => d.code === 'SIGNOFF_DATE_OUTSIDE')!;
    expect(m.message).toContain('is outside the filing season of fiscal year 2027 (2026-10-01 to 2027-12-31)');
  });
});

describe('a table identical to last year’s apart from the year', () => {
  const t2026 = parse(seed2026) as DepartmentTargets;
  it('only fiscal_year changed', () => {
    expect(identicalApartFromYear(t2026, parse(copied2027) as DepartmentTargets)).toBe(true);
  });
  it('years shifted along, dates updated: still a copy', () => {
    const t = copied2027
      .replace('value: 2026年12月31日前', 'value: 2027年12月31日前')
      .replace('2026年预计', '2027年预计')
      .replace('filed: 2026-01-12', 'filed: 2027-01-12');
    expect(identicalApartFromYear(t2026, parse(t) as DepartmentTargets)).toBe(true);
  });
  it('one target changed: not a copy', () => {
    const t = copied2027.replace('value: 800\n', 'value: 900\n');
    expect(identicalApartFromYear(t2026, parse(t) as DepartmentTargets)).toBe(false);
  });
  it('two years apart: not last year’s', () => {
    const t = seed2026.replace('fiscal_year: 2026', 'fiscal_year: 2028');
    expect(identicalApartFromYear(t2026, parse(t) as DepartmentTargets)).toBe(false);
  });

  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-copied-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }
  it('jxmb validate warns, at fiscal_year, naming last year’s file (validated or not)', async () => {
    const dir = project({
      'data/2026/zhijiang-swkjgxj.yaml': seed2026,
      'data/2027/zhijiang-swkjgxj.yaml': copied2027,
    });
    for (const args of [['validate'], ['validate', 'data/2027']]) {
      const r = await runCli([...args, '--format', 'json'], dir);
      expect(r.code).toBe(0);
      const items = JSON.parse(r.out) as Array<{
        file: string;
        line: number;
        column: number;
        code: string;
        message: string;
      }>;
      const copied = items.filter((d) => d.code === 'TABLE_UNCHANGED');
      expect(copied.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual(['data/2027/zhijiang-swkjgxj.yaml:2:14']);
      expect(copied[0]!.message).toContain('与上一年度的 data/2026/zhijiang-swkjgxj.yaml 除年份外完全相同');
    }
  });
  it('a real successor (2025 → 2026) is not flagged', async () => {
    const dir = project({ 'data/2025/zhijiang-swkjgxj.yaml': seed2025, 'data/2026/zhijiang-swkjgxj.yaml': seed2026 });
    const r = await runCli(['validate', '--format', 'json'], dir);
    expect((JSON.parse(r.out) as Array<{ code: string }>).map((d) => d.code)).not.toContain('TABLE_UNCHANGED');
  });
});
