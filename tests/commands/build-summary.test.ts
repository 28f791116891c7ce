/**
 * `jxmb build` writes each year's bureau summary of the self-evaluations: out/<year>/summary.html and
 * summary.xlsx. Three departments (the seed's fixture; one with a better result; one tied with the
 * seed) are built, and what the summary says is read back — the page's text and SVG, the workbook's
 * numbers (exceljs) — against `jxmb score --format json`; the index links the summary; a rebuild
 * writes nothing.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { DepartmentTargets, SelfEvaluation } from '../../scripts/model/types.generated.ts';
import { decodeEntities } from '../../scripts/render/html.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';

const FIXTURE = path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml');
const SEED = 'zhijiang-swkjgxj';
/** Same results as the seed: a tie, ranked before the seed by its code. */
const TIED = 'dept-tied';
/** The seed with its 外贸 results met: a higher total. */
const BETTER = 'dept-better';

interface ScoreJson {
  department: string;
  total: number;
  grade: string;
  budget: { rate: number; score: number };
  indicators: { name: string; points: number; score: number }[];
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function snapshot(dir: string): Map<string, { sha: string; mtime: number }> {
  const out = new Map<string, { sha: string; mtime: number }>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), { sha: sha(p), mtime: statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

const text = (html: string): string => decodeEntities(html.replace(/<[^>]*>/g, '')).trim();

/** The ranking table's rows as printed: cells by class. */
function rankingRows(html: string): Record<string, string>[] {
  const section = /<section id="ranking">([\s\S]*?)<\/section>/.exec(html)![1]!;
  return [...section.matchAll(/<tr data-code="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => {
    const row: Record<string, string> = { code: m[1]! };
    for (const c of m[2]!.matchAll(/<td class="(?:num |c )?([a-z]+)[^"]*">([\s\S]*?)<\/td>/g)) row[c[1]!] = text(c[2]!);
    return row;
  });
}

describe('jxmb build: the bureau summary of a year', () => {
  let dir: string;
  const scores = new Map<string, ScoreJson>();
  const file = (name: string): string => path.join(dir, 'out/2025', name);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-summary-'));
    mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
    cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
    const targets = parse(readFileSync(SEED_YAML, 'utf8')) as DepartmentTargets;
    const se = parse(readFileSync(FIXTURE, 'utf8')) as SelfEvaluation;
    const add = (code: string, name: string, edit: (s: SelfEvaluation) => void): void => {
      const t = structuredClone(targets);
      t.department = { ...t.department, code, name };
      const s = structuredClone(se);
      s.department = code;
      edit(s);
      writeFileSync(path.join(dir, `data/2025/${code}.yaml`), stringify(t));
      writeFileSync(path.join(dir, `data/2025/${code}.self-eval.yaml`), stringify(s));
    };
    cpSync(SEED_YAML, path.join(dir, `data/2025/${SEED}.yaml`));
    cpSync(FIXTURE, path.join(dir, `data/2025/${SEED}.self-eval.yaml`));
    add(TIED, '测试并列局', () => undefined);
    add(BETTER, '测试领先局', (s) => {
      for (const r of s.results)
        if (r.name === '外贸进出口倍增企业') {
          r.actual = 1;
          delete r.reason;
        }
      s.budget = { ...s.budget, spent: 950 };
    });
    const built = await runCli(['build', '--formats', 'html,xlsx'], dir);
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    const scored = await runCli(['score', '--format', 'json', 'data/2025'], dir);
    expect(scored.code).toBe(0);
    for (const s of JSON.parse(scored.out) as ScoreJson[]) scores.set(s.department, s);
    expect([...scores.keys()].sort()).toEqual([BETTER, TIED, SEED]);
  });
  afterAll(() => (process.env.KEEP_SUMMARY ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

  it('ranks the departments by total, ties sharing a rank and ordered by code', () => {
    const [better, tied, seed] = [scores.get(BETTER)!, scores.get(TIED)!, scores.get(SEED)!];
    expect(better.total).toBeGreaterThan(seed.total);
    expect(tied.total).toBe(seed.total);
    const rows = rankingRows(readFileSync(file('summary.html'), 'utf8'));
    expect(rows.map((r) => [r.rank, r.code])).toEqual([
      ['1', BETTER],
      ['2', TIED],
      ['2', SEED],
    ]);
    for (const r of rows) {
      const s = scores.get(r.code!)!;
      expect(r.total).toBe(s.total.toFixed(2));
      expect(r.grade).toBe(s.grade);
      expect(r.rate).toBe(`${(s.budget.rate * 100).toFixed(2)}%`);
      expect(r.budget).toBe(s.budget.score.toFixed(2));
      // Each department's worst indicator: the most points lost, the first in order on a tie.
      const lost = s.indicators.map((i) => Math.round((i.points - i.score) * 100) / 100);
      const most = Math.max(...lost);
      expect(r.worst).toBe(s.indicators[lost.indexOf(most)]!.name);
      expect(r.lost).toBe(most.toFixed(2));
    }
    // The budget line: 931/950 for the seed, all of it spent by the better one.
    expect(rows[0]!.rate).toBe('100.00%');
    expect(rows[2]!.rate).toBe('98.00%');
  });

  it('lists the indicators that lost the most points across the bureau', () => {
    const sums = new Map<string, { lost: number; departments: Set<string> }>();
    for (const s of scores.values())
      for (const i of s.indicators) {
        const lost = Math.round((i.points - i.score) * 100);
        if (lost <= 0) continue;
        const e = sums.get(i.name) ?? { lost: 0, departments: new Set() };
        e.lost += lost;
        e.departments.add(s.department);
        sums.set(i.name, e);
      }
    const html = readFileSync(file('summary.html'), 'utf8');
    const section = /<section id="lost">([\s\S]*?)<\/section>/.exec(html)![1]!;
    const listed = [
      ...section.matchAll(
        /<td class="name">([^<]*)<\/td><td class="num lost">([^<]*)<\/td>\s*<td class="num departments">(\d+)/g,
      ),
    ].map((m) => ({ name: decodeEntities(m[1]!), lost: m[2]!, departments: Number(m[3]) }));
    expect(listed.length).toBe(Math.min(10, sums.size));
    for (const l of listed) {
      const e = sums.get(l.name)!;
      expect(l.lost).toBe((e.lost / 100).toFixed(2));
      expect(l.departments).toBe(e.departments.size);
    }
    // Most first; the 外贸 indicator the better department met is lost by two departments only.
    const values = listed.map((l) => Number(l.lost));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(Number(listed[0]!.lost)).toBe(Math.max(...[...sums.values()].map((e) => e.lost)) / 100);
    const trade = listed.find((l) => l.name === '外贸进出口倍增企业');
    expect(trade?.departments).toBe(2);
  });

  it('draws the grade distribution as SVG bars whose counts and heights match the grades', () => {
    const html = readFileSync(file('summary.html'), 'utf8');
    const bars = [
      ...html.matchAll(
        new RegExp(
          '<g class="bar" data-grade="([^"]+)" data-count="(\\d+)">\\s*' +
            '<rect [^>]*height="([\\d.]+)"[^>]*>\\s*<text[^>]*>(\\d+)</text>',
          'g',
        ),
      ),
    ].map((m) => ({ grade: m[1]!, count: Number(m[2]), height: Number(m[3]), shown: Number(m[4]) }));
    expect(bars.map((b) => b.grade)).toEqual(['优', '良', '中', '差']);
    const grades = [...scores.values()].map((s) => s.grade);
    for (const b of bars) {
      expect(b.count).toBe(grades.filter((g) => g === b.grade).length);
      expect(b.shown).toBe(b.count);
    }
    const max = Math.max(...bars.map((b) => b.count));
    const tallest = Math.max(...bars.map((b) => b.height));
    for (const b of bars) expect(b.height).toBeCloseTo((tallest * b.count) / max, 1);
    expect(bars.reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(html).toContain('href="../assets/fonts/fonts.css"');
  });

  it('holds the same in the workbook, numbers as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file('summary.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['排名', '失分指标', '等级分布']);
    const ranking = wb.getWorksheet('排名')!;
    const html = rankingRows(readFileSync(file('summary.html'), 'utf8'));
    for (let i = 0; i < 3; i++) {
      const row = ranking.getRow(3 + i);
      const s = scores.get(row.getCell(2).value as string)!;
      expect(row.getCell(2).value).toBe(html[i]!.code);
      expect(row.getCell(1).value).toBe(Number(html[i]!.rank));
      expect(row.getCell(4).value).toBe(s.total);
      expect(row.getCell(5).value).toBe(s.grade);
      expect(row.getCell(6).value).toBeCloseTo(s.budget.rate, 12);
      expect(row.getCell(6).numFmt).toBe('0.00%');
      expect(row.getCell(7).value).toBe(s.budget.score);
      expect(row.getCell(8).value).toBe(html[i]!.worst);
      expect(row.getCell(9).value).toBe(Number(html[i]!.lost));
    }
    expect(ranking.getRow(6).getCell(1).value).toBeNull();
    const lost = wb.getWorksheet('失分指标')!;
    const first = lost.getRow(3);
    expect(typeof first.getCell(3).value).toBe('number');
    expect(typeof first.getCell(4).value).toBe('number');
    const grades = wb.getWorksheet('等级分布')!;
    const counted = [3, 4, 5, 6].map((r) => [grades.getRow(r).getCell(1).value, grades.getRow(r).getCell(2).value]);
    expect(counted).toEqual(
      ['优', '良', '中', '差'].map((g) => [g, [...scores.values()].filter((s) => s.grade === g).length]),
    );
  });

  it('is linked from the index, and a rebuild writes nothing new', async () => {
    expect(readFileSync(path.join(dir, 'out/index.html'), 'utf8')).toContain('href="2025/summary.html"');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out/manifest.json'), 'utf8')) as {
      files: { path: string; source: string; format: string; sha256: string }[];
    };
    for (const format of ['html', 'xlsx']) {
      const listed = manifest.files.find((f) => f.path === `2025/summary.${format}`);
      expect(listed).toMatchObject({ source: 'data/2025', format, sha256: sha(file(`summary.${format}`)) });
    }
    const before = snapshot(path.join(dir, 'out'));
    const again = await runCli(['build', '--formats', 'html,xlsx'], dir);
    expect(again.code).toBe(0);
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    // A changed result changes the summary (and only what depends on it).
    const f = path.join(dir, `data/2025/${TIED}.self-eval.yaml`);
    const s = parse(readFileSync(f, 'utf8')) as SelfEvaluation;
    s.budget = { ...s.budget, spent: 500 };
    writeFileSync(f, stringify(s));
    const third = await runCli(['build', '--formats', 'html,xlsx'], dir);
    expect(third.code).toBe(0);
    const rows = rankingRows(readFileSync(file('summary.html'), 'utf8'));
    expect(rows.map((r) => r.code)).toEqual([BETTER, SEED, TIED]);
    expect(rows.map((r) => r.rank)).toEqual(['1', '2', '3']);
  });
});
