/** The bench's synthetic departments: deterministic, realistic in shape, and valid against schema and rules. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  departmentYaml,
  generateDepartment,
  generateDepartments,
  generateProject,
  generateSelfEvaluation,
  selfEvaluationYaml,
  sharePoints,
} from '../../scripts/bench/generate.ts';
import { writeProject } from '../../scripts/bench/measure.ts';
import { checkFile, type CheckedFile } from '../../scripts/check/check-file.ts';
import { checkProject } from '../../scripts/check/check-project.ts';
import { type CheckedSelfEval, checkSelfEvalFile } from '../../scripts/check/self-eval.ts';
import { loadSource } from '../../scripts/load/load-yaml.ts';
import { isSelfEvalPath } from '../../scripts/model/self-eval.ts';
import { DEFAULT_SETTINGS, resolveSettings } from '../../scripts/model/settings.ts';
import { runCli } from '../helpers.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function checkAll(files: { path: string; text: string }[], settings = DEFAULT_SETTINGS): CheckedFile[] {
  const checked = files
    .filter((f) => !isSelfEvalPath(f.path))
    .map((f) => checkFile(f.path, bytes(f.text), { settings, dataPath: f.path.replace(/^data\//, '') }));
  checkProject(checked);
  return checked;
}

/** Every self-evaluation among `files`, checked against the targets file beside it (as validate does). */
function checkSelfEvals(files: { path: string; text: string }[], settings = DEFAULT_SETTINGS): CheckedSelfEval[] {
  const targets = new Map(checkAll(files, settings).map((c) => [c.file, c]));
  return files
    .filter((f) => isSelfEvalPath(f.path))
    .map((f) => {
      const file = f.path.replace(/\.self-eval\.yaml$/, '.yaml');
      const t = targets.get(file);
      return checkSelfEvalFile(f.path, bytes(f.text), {
        settings,
        dataPath: f.path.replace(/^data\//, ''),
        targets: { file, exists: Boolean(t), ...(t?.data ? { data: t.data } : {}) },
      });
    });
}

const problemsOf = (checked: { file: string; diagnostics: CheckedFile['diagnostics'] }[]): string[] =>
  checked.flatMap((c) => c.diagnostics.map((d) => `${c.file} ${d.severity} ${d.code} ${JSON.stringify(d.args)}`));

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

  it('writes the settings file, then per department its targets and its self-evaluation, schema line first', () => {
    const files = generateProject({ departments: 4, seed: 1, fiscalYear: 2026 });
    expect(files[0]!.path).toBe('jxmb.settings.yaml');
    expect(loadSource(bytes(files[0]!.text)).data).toMatchObject({ points_total: 90 });
    expect(files).toHaveLength(1 + 2 * 4);
    for (let i = 1; i < files.length; i += 2) {
      const [t, se] = [files[i]!, files[i + 1]!];
      const data = parse(t.text) as { fiscal_year: number; department: { code: string } };
      expect(t.path).toBe(`data/2026/${data.department.code}.yaml`);
      expect(data.fiscal_year).toBe(2026);
      expect(t.text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/department-targets.schema.json');
      expect(se.path).toBe(`data/2026/${data.department.code}.self-eval.yaml`);
      expect(parse(se.text)).toMatchObject({ fiscal_year: 2026, department: data.department.code });
      expect(se.text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/self-evaluation.schema.json');
    }
  });

  it('selfEvaluations: false leaves the targets files only, the same bytes', () => {
    const both = generateProject({ departments: 5, seed: 4 });
    const targets = generateProject({ departments: 5, seed: 4, selfEvaluations: false });
    expect(targets).toEqual(both.filter((f) => !isSelfEvalPath(f.path)));
  });

  it.each([1, 2, 99])('every file validates with no errors and no warnings (seed %i, 80 departments)', (seed) => {
    const files = generateProject({ departments: 80, seed });
    const checked = checkAll(files.slice(1));
    expect(problemsOf(checked)).toEqual([]);
    expect(checked).toHaveLength(80);
    expect(checked.every((c) => c.model)).toBe(true);
    const selfEvals = checkSelfEvals(files.slice(1));
    expect(problemsOf(selfEvals)).toEqual([]);
    expect(selfEvals).toHaveLength(80);
    expect(selfEvals.every((c) => c.evaluation)).toBe(true);
  });

  it('validates under other points totals too', () => {
    const settings = resolveSettings({ points_total: 100 });
    const files = generateProject({ departments: 20, seed: 5, pointsTotal: 100 });
    expect(checkAll(files.slice(1), settings).flatMap((c) => c.diagnostics)).toEqual([]);
    expect(checkSelfEvals(files.slice(1), settings).flatMap((c) => c.diagnostics)).toEqual([]);
  });

  it('`jxmb validate` on the written project: both kinds checked, 0 errors, 0 warnings', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jxmb-gen-'));
    try {
      await writeProject(root, generateProject({ departments: 30, seed: 11 }));
      const r = await runCli(['validate'], root);
      expect(r.out).toContain('检查了 60 个文件：0 个错误，0 个警告');
      expect(r.code).toBe(0);
      // The self-evaluations are among them: one with a bad actual is caught.
      const se = path.join(root, 'data/2025', readdirSync(path.join(root, 'data/2025')).find(isSelfEvalPath)!);
      writeFileSync(se, readFileSync(se, 'utf8').replace(/actual: .*/, 'actual: 不是数字也不是档次'));
      const bad = await runCli(['validate', '--format', 'json'], root);
      expect(bad.code).toBe(1);
      expect((JSON.parse(bad.out) as { file: string }[]).map((d) => path.basename(d.file))).toEqual([
        path.basename(se),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('generated self-evaluations look like real ones', () => {
  const depts = generateDepartments({ departments: 60, seed: 3 });
  const evals = depts.map((d, i) => generateSelfEvaluation(3, i, d));
  const checked = evals.map((se, i) =>
    checkSelfEvalFile(`data/2025/${se.department}.self-eval.yaml`, bytes(selfEvaluationYaml(se)), {
      settings: DEFAULT_SETTINGS,
      dataPath: `2025/${se.department}.self-eval.yaml`,
      targets: { file: `data/2025/${se.department}.yaml`, exists: true, data: depts[i]! },
    }),
  );
  const scores = checked.flatMap((c) => c.evaluation!.indicators);

  it('one result per indicator, in order, by name', () => {
    evals.forEach((se, i) => expect(se.results.map((r) => r.name)).toEqual(depts[i]!.indicators.map((x) => x.name)));
  });

  it('most targets met, some missed and some exceeded; every shortfall explained, a few successes too', () => {
    const full = scores.filter((s) => s.score === s.points).length / scores.length;
    expect(full).toBeGreaterThan(0.6);
    expect(full).toBeLessThan(0.97);
    const exceeded = scores.filter(
      (s) => typeof s.actual === 'number' && typeof s.target === 'number' && s.type === '≥' && s.actual > s.target,
    );
    expect(exceeded.length).toBeGreaterThan(scores.length * 0.03);
    for (const s of scores) if (s.score < s.points) expect(s.reason).toBeTruthy();
    expect(scores.some((s) => s.score === s.points && s.reason)).toBe(true);
  });

  it('totals spread over more than one grade; spending within the adjusted budget', () => {
    const totals = checked.map((c) => c.evaluation!.total);
    expect(Math.max(...totals) - Math.min(...totals)).toBeGreaterThan(3);
    expect(new Set(checked.map((c) => c.evaluation!.grade)).size).toBeGreaterThan(1);
    for (const se of evals) expect(se.budget.spent!).toBeLessThanOrEqual(se.budget.adjusted!);
  });

  it('the YAML reads back to the same data', () => {
    for (const se of evals.slice(0, 10)) expect(parse(selfEvaluationYaml(se))).toEqual(se);
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
