/** The bench's synthetic departments: deterministic, realistic in shape, and valid against schema and rules. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  departmentYaml,
  generateDepartment,
  generateDepartments,
  generateProject,
  sharePoints,
} from '../../scripts/bench/generate.ts';
import { checkFile, type CheckedFile } from '../../scripts/check/check-file.ts';
import { checkProject } from '../../scripts/check/check-project.ts';
import { loadSource } from '../../scripts/load/load-yaml.ts';
import { DEFAULT_SETTINGS, resolveSettings } from '../../scripts/model/settings.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function checkAll(files: { path: string; text: string }[], settings = DEFAULT_SETTINGS): CheckedFile[] {
  const checked = files.map((f) =>
    checkFile(f.path, bytes(f.text), { settings, dataPath: f.path.replace(/^data\//, '') }),
  );
  checkProject(checked);
  return checked;
}

describe('generateProject', () => {
  it('is deterministic: same seed, same bytes; another seed, other data', () => {
    const a = generateProject({ departments: 12, seed: 7 });
    expect(generateProject({ departments: 12, seed: 7 })).toEqual(a);
    const b = generateProject({ departments: 12, seed: 8 });
    expect(b.map((f) => f.text)).not.toEqual(a.map((f) => f.text));
  });

  it('department i depends only on (seed, i): fewer departments are a prefix of more', () => {
    const few = generateProject({ departments: 3, seed: 42 });
    const many = generateProject({ departments: 30, seed: 42 });
    expect(many.slice(0, few.length)).toEqual(few);
  });

  it('writes the settings file and data/<year>/<code>.yaml with the schema line first', () => {
    const files = generateProject({ departments: 4, seed: 1, fiscalYear: 2026 });
    expect(files[0]!.path).toBe('jxmb.settings.yaml');
    expect(loadSource(bytes(files[0]!.text)).data).toMatchObject({ points_total: 90 });
    for (const f of files.slice(1)) {
      const data = parse(f.text) as { fiscal_year: number; department: { code: string } };
      expect(f.path).toBe(`data/2026/${data.department.code}.yaml`);
      expect(data.fiscal_year).toBe(2026);
      expect(f.text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/department-targets.schema.json');
    }
  });

  it.each([1, 2, 99])('every file validates with no errors and no warnings (seed %i, 80 departments)', (seed) => {
    const files = generateProject({ departments: 80, seed });
    const checked = checkAll(files.slice(1));
    const problems = checked.flatMap((c) =>
      c.diagnostics.map((d) => `${c.file} ${d.severity} ${d.code} ${JSON.stringify(d.args)}`),
    );
    expect(problems).toEqual([]);
    expect(checked.every((c) => c.model)).toBe(true);
  });

  it('validates under other points totals too', () => {
    const settings = resolveSettings({ points_total: 100 });
    const files = generateProject({ departments: 20, seed: 5, pointsTotal: 100 });
    expect(checkAll(files.slice(1), settings).flatMap((c) => c.diagnostics)).toEqual([]);
  });
});

describe('generated departments look like real ones', () => {
  const depts = generateDepartments({ departments: 120, seed: 3 });

  it('15–60 indicators, points summing to 90, all four 一级指标, groups contiguous', () => {
    const counts = depts.map((d) => d.indicators.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...counts)).toBeLessThanOrEqual(60);
    // The spread is used, not one size for all.
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThan(25);
    for (const d of depts) {
      expect(d.indicators.reduce((a, i) => a + i.scoring.points, 0)).toBe(90);
      expect(new Set(d.indicators.map((i) => i.level1))).toEqual(
        new Set(['成本指标', '产出指标', '效益指标', '满意度指标']),
      );
      const runs = d.indicators
        .map((i) => `${i.level1}/${i.level2}`)
        .filter((g, k, all) => k === 0 || all[k - 1] !== g);
      expect(new Set(runs).size).toBe(runs.length);
    }
  });

  it('names real bureaus of real counties, with unique codes', () => {
    for (const d of depts) expect(d.department.name).toMatch(/^.+(县|市|区).+(局|中心|大队)$/);
    const codes = depts.map((d) => d.department.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has real-length Chinese text', () => {
    const duties = depts.flatMap((d) => d.duties);
    const goals = depts.flatMap((d) => d.goals);
    const mean = (xs: string[]): number => xs.reduce((a, s) => a + [...s].length, 0) / xs.length;
    expect(mean(duties)).toBeGreaterThan(30);
    expect(mean(goals)).toBeGreaterThan(50);
    for (const d of depts) {
      expect(d.duties.length).toBeGreaterThanOrEqual(5);
      expect(d.goals.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('uses every scoring kind the form uses, and both 定量 and 定性', () => {
    const kinds = new Set(depts.flatMap((d) => d.indicators.map((i) => i.scoring.kind)));
    for (const k of ['ratio', 'deadline', 'grades', 'shortfall', 'overrun', 'direct', 'bands'])
      expect(kinds).toContain(k);
    const types = new Set(depts.flatMap((d) => d.indicators.map((i) => i.type)));
    for (const t of ['≥', '≤', '=', '定性']) expect(types).toContain(t);
  });

  it('more departments than county × bureau pairs still get unique codes', () => {
    const codes = Array.from({ length: 1200 }, (_, i) => generateDepartment(9, i).department.code);
    expect(new Set(codes).size).toBe(1200);
  });

  it('the YAML reads back to the same data', () => {
    for (const d of depts.slice(0, 10)) expect(parse(departmentYaml(d))).toEqual(d);
  });
});

describe('sharePoints', () => {
  it('gives at least one point each, in proportion, summing exactly', () => {
    expect(sharePoints([1, 1, 1], 90)).toEqual([30, 30, 30]);
    expect(sharePoints([2, 1], 90)).toEqual([60, 30]);
    const p = sharePoints([20, ...Array<number>(59).fill(1)], 90);
    expect(p.reduce((a, b) => a + b, 0)).toBe(90);
    expect(Math.min(...p)).toBe(1);
    expect(p[0]).toBeGreaterThan(p[1]!);
  });
  it('refuses more indicators than points', () => {
    expect(() => sharePoints(Array(91).fill(1), 90)).toThrow(/at least 1 point/);
  });
});
