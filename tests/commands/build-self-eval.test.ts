/**
 * `jxmb build` renders the 自评表 of every self-evaluation beside a valid targets file:
 * out/<year>/<code>.self-eval.pdf|html|xlsx. Read back: the PDF (pdftotext, pdffonts) prints each
 * indicator's score as `jxmb score --format json` reports it; the workbook holds the same scores as
 * numbers (not formulas); a rebuild writes nothing; an edited targets file re-renders the 自评表; a
 * 40-indicator self-evaluation paginates with （续） and 第 X 页 共 Y 页.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { DepartmentTargets, SelfEvaluation } from '../../scripts/model/types.generated.ts';
import { FILE_BITS, readBoard } from '../../scripts/render/index-page.ts';
import { FIXTURES, ROOT, runCli, SEED_YAML } from '../helpers.ts';

const FIXTURE = path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml');
const CODE = 'zhijiang-swkjgxj';

interface ScoreJson {
  department: string;
  total: number;
  grade: string;
  budget: { rate: number; score: number };
  indicators: { name: string; points: number; actual: unknown; score: number; manual: boolean }[];
}

function project(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
  cpSync(path.join(ROOT, 'jxmb.settings.yaml'), path.join(dir, 'jxmb.settings.yaml'));
  return dir;
}

/** Words of the PDF with their page and box (pdftotext -bbox). */
interface Word {
  page: number;
  x: number;
  y: number;
  text: string;
}
function pdfWords(file: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  let page = 0;
  for (const m of xml.matchAll(/<page\b|<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)) {
    if (m[0] === '<page') page++;
    else words.push({ page, x: Number(m[1]), y: Number(m[2]), text: m[3]! });
  }
  return words;
}

/**
 * The 得分 column of the indicator table, page by page: the words under the header 得分 of the row that
 * holds 三级指标, top to bottom.
 */
function scoreColumn(words: Word[]): string[] {
  const out: string[] = [];
  const pages = Math.max(...words.map((w) => w.page));
  for (let p = 1; p <= pages; p++) {
    const on = words.filter((w) => w.page === p);
    const level3 = on.find((w) => w.text === '三级指标');
    if (!level3) continue;
    const head = on.find((w) => w.text === '得分' && Math.abs(w.y - level3.y) < 3)!;
    out.push(
      ...on
        .filter((w) => w.y > head.y + 3 && Math.abs(w.x - head.x) < 25 && /^\d+\.\d\d$/.test(w.text))
        .sort((a, b) => a.y - b.y)
        .map((w) => w.text),
    );
  }
  return out;
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

describe('jxmb build: the 自评表', () => {
  let dir: string;
  let score: ScoreJson;
  const out = (ext: string): string => path.join(dir, `out/2025/${CODE}.self-eval.${ext}`);

  beforeAll(async () => {
    dir = project('jxmb-self-eval-build-');
    cpSync(SEED_YAML, path.join(dir, `data/2025/${CODE}.yaml`));
    cpSync(FIXTURE, path.join(dir, `data/2025/${CODE}.self-eval.yaml`));
    const built = await runCli(['build'], dir);
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    const scored = await runCli(['score', '--format', 'json', `data/2025/${CODE}.self-eval.yaml`], dir);
    expect(scored.code).toBe(0);
    score = (JSON.parse(scored.out) as ScoreJson[])[0]!;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every indicator’s score as `jxmb score` computes it, and the total and grade', () => {
    const words = pdfWords(out('pdf'));
    const expected = [...score.indicators.map((i) => i.score.toFixed(2)), score.total.toFixed(2)];
    expect(scoreColumn(words)).toEqual(expected);
    const text = execFileSync('pdftotext', ['-layout', out('pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('部门（单位）整体支出绩效自评表');
    expect(text).toContain('（2025）年度');
    // The budget line: 10 × min(931 / 950, 1) = 9.80, at 98.00%.
    expect(score.budget.score).toBe(9.8);
    expect(text).toMatch(/934\.41\s+950\s+931\s+10\s+98\.00%\s+9\.80/);
    expect(text).toMatch(new RegExp(`评价等级\\s+${score.grade}`));
    expect(score.grade).toBe('良');
    expect(text).toContain('填表人：吴红霞');
    expect(text).toContain('填报日期：2026.1.15');
  });

  it('embeds every font, on A4 landscape pages numbered 第 X 页 共 Y 页', () => {
    const fonts = execFileSync('pdffonts', [out('pdf')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line.split(/\s+/).at(-5)).toBe('yes');
    const info = execFileSync('pdfinfo', [out('pdf')], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59\d\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', [out('pdf'), '-'], { encoding: 'utf8' });
    // pdftotext drops the spaces between the characters of the footer.
    for (let p = 1; p <= pages; p++) expect(text.replace(/\s+/g, '')).toContain(`第${p}页共${pages}页`);
    expect(readFileSync(out('html'), 'utf8')).toContain(`data-pages="${pages}"`);
  });

  it('holds the same scores in the workbook, as numbers, not formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out('xlsx')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    // The indicator rows: those after the first header, up to 总分, but the headers starting later pages.
    const headers: number[] = [];
    let totalRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(9).value === '得分' && row.getCell(4).value === '三级指标') headers.push(n);
      if (row.getCell(1).value === '总分') totalRow = n;
    });
    expect(headers.length).toBeGreaterThan(0);
    const rows: number[] = [];
    for (let r = headers[0]! + 1; r < totalRow; r++) if (!headers.includes(r)) rows.push(r);
    expect(rows).toHaveLength(score.indicators.length);
    score.indicators.forEach((ind, i) => {
      const row = ws.getRow(rows[i]!);
      expect(row.getCell(4).value).toBe(ind.name);
      expect(row.getCell(8).value).toBe(ind.points);
      const cell = row.getCell(9);
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.value).toBe(ind.score);
    });
    const total = ws.getRow(totalRow);
    expect(totalRow).toBe(rows.at(-1)! + 1);
    expect(total.getCell(9).type).toBe(ExcelJS.ValueType.Number);
    expect(total.getCell(9).value).toBe(score.total);
    expect(ws.getRow(5).getCell(4).value).toBe(934.41);
    expect(ws.getRow(5).getCell(2).value).toBe('年度资金总额');
  });

  it('writes nothing on a second build, and re-renders the 自评表 when its targets file changes', async () => {
    const before = snapshot(path.join(dir, 'out'));
    const again = await runCli(['build'], dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain('self-evaluations: built 0 of 1, 1 up to date');
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);

    // A forced rebuild gives the same bytes.
    const forced = await runCli(['build', '--force'], dir);
    expect(forced.code).toBe(0);
    for (const ext of ['pdf', 'html', 'xlsx'])
      expect(sha(out(ext))).toBe(before.get(`2025/${CODE}.self-eval.${ext}`)!.sha);

    const targetsFile = path.join(dir, `data/2025/${CODE}.yaml`);
    const targets = readFileSync(targetsFile, 'utf8');
    const goal = (parse(targets) as DepartmentTargets).goals[0]!;
    writeFileSync(targetsFile, targets.replace(goal, `${goal}（已修订）`));
    const edited = await runCli(['build'], dir);
    expect(edited.code).toBe(0);
    expect(edited.out).toContain('self-evaluations: built 1 of 1');
    expect(sha(out('pdf'))).not.toBe(before.get(`2025/${CODE}.self-eval.pdf`)!.sha);
    expect(execFileSync('pdftotext', [out('pdf'), '-'], { encoding: 'utf8' })).toContain('（已修订）');
  });

  it('shows on the board the score and grade beside the department’s documents, linked to the 自评表', () => {
    const index = readFileSync(path.join(dir, 'out/index.html'), 'utf8');
    const { rows } = readBoard(index);
    // One row for the department, not a second one for its self-evaluation.
    expect(rows.map((r) => r.code)).toEqual([CODE]);
    const row = rows[0]!;
    expect(row.score).toBe(score.total.toFixed(2));
    expect(row.grade).toBe(score.grade);
    expect(row.selfEvalFiles).toBe(FILE_BITS.pdf | FILE_BITS.html | FILE_BITS.xlsx);
    expect(Number(row.files) & FILE_BITS.pdf).toBe(FILE_BITS.pdf);
    // The page builds the links from year and code, beside the targets documents.
    expect(index).toContain("'.self-eval.'");
    expect(index).toContain('自评表</a>');
  });
});

describe('jxmb build: a 40-indicator 自评表', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('paginates with the header repeated, （续） and 第 X 页 共 Y 页', async () => {
    dir = project('jxmb-self-eval-40-');
    // The seed's indicators (rules and all) repeated to 40; their results repeated alike (a name used
    // twice is matched in order), and the points total set to what they add up to.
    const targets = parse(readFileSync(SEED_YAML, 'utf8')) as DepartmentTargets;
    const se = parse(readFileSync(FIXTURE, 'utf8')) as SelfEvaluation;
    // Each indicator repeated in place (groups stay together): the first four three times, the rest twice.
    const times = (j: number): number => (j < 4 ? 3 : 2);
    const expand = <T>(xs: T[]): T[] =>
      xs.flatMap((x, j) => Array.from({ length: times(j) }, () => structuredClone(x)));
    targets.indicators = expand(targets.indicators).map(({ id: _id, ...ind }) => ind);
    se.results = expand(se.results);
    expect(targets.indicators).toHaveLength(40);
    const points = targets.indicators.reduce((a, i) => a + i.scoring.points, 0);
    writeFileSync(path.join(dir, `data/2025/${CODE}.yaml`), stringify(targets));
    writeFileSync(path.join(dir, `data/2025/${CODE}.self-eval.yaml`), stringify(se));
    const settings = path.join(dir, 'jxmb.settings.yaml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^points_total: \d+$/m, `points_total: ${points}`));

    const built = await runCli(['build', '--formats', 'pdf,xlsx'], dir);
    expect(built.out).toContain('self-evaluations: built 1 of 1');
    const pdf = path.join(dir, `out/2025/${CODE}.self-eval.pdf`);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f');
    for (let p = 1; p <= pages; p++) {
      expect(text[p - 1]!.replace(/\s+/g, '')).toContain(`第${p}页共${pages}页`);
      if (p > 1 && /三级指标/.test(text[p - 1]!)) expect(text[p - 1]).toContain('绩效指标（续）');
    }
    expect(text.slice(1).join('')).toMatch(/指标（续）/);
    // Every row printed once: the 得分 column holds 40 scores and the total.
    const scored = await runCli(['score', '--format', 'json', `data/2025/${CODE}.self-eval.yaml`], dir);
    const s = (JSON.parse(scored.out) as ScoreJson[])[0]!;
    expect(scoreColumn(pdfWords(pdf))).toEqual([...s.indicators.map((i) => i.score.toFixed(2)), s.total.toFixed(2)]);

    // The workbook prints like the PDF: a manual break where each page ends, the same scores on each
    // page, each page with indicators starting with the header (绩效指标（续） after the first).
    const words = pdfWords(pdf);
    const perPage = Array.from({ length: pages }, (_, p) => scoreColumn(words.filter((w) => w.page === p + 1)));
    const xlsxFile = path.join(dir, `out/2025/${CODE}.self-eval.xlsx`);
    const sheetXml = execFileSync('unzip', ['-p', xlsxFile, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    const breaks = [...sheetXml.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
    expect(breaks).toHaveLength(pages - 1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsxFile) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const bounds = [0, ...breaks, ws.rowCount];
    // No merge spans a break (一级/二级 and 绩效指标 are cut at each page's edge).
    const pageOf = (r: number): number => bounds.findIndex((b) => r <= b);
    for (const m of ws.model.merges) {
      const [, top, bottom] = /^[A-Z]+(\d+):[A-Z]+(\d+)$/.exec(m)!;
      expect(pageOf(Number(top)), m).toBe(pageOf(Number(bottom)));
    }
    for (let p = 0; p < pages; p++) {
      const scores: string[] = [];
      let header = 0;
      for (let r = bounds[p]! + 1; r <= bounds[p + 1]!; r++) {
        const v = ws.getRow(r).getCell(9).value;
        if (v === '得分') header = r;
        else if (typeof v === 'number' && r > header && header > 0) scores.push(v.toFixed(2));
      }
      expect(scores, `page ${p + 1}`).toEqual(perPage[p]);
      if (!perPage[p]!.length) continue;
      if (p > 0) {
        expect(header, `page ${p + 1} starts with the header`).toBe(bounds[p]! + 1);
        expect(ws.getRow(header).getCell(1).value).toBe('绩效指标（续）');
        // Its first row is labelled (一级, （续） when carried over): no merge reaches over the break.
        expect(ws.getRow(header + 1).getCell(2).value).toMatch(/\S/);
      }
    }
  });
});

describe('jxmb build: a self-evaluation that fails its checks', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses its 自评表 and shows on the board as 有错误, its diagnostics as validate locates them', async () => {
    dir = project('jxmb-self-eval-broken-');
    cpSync(SEED_YAML, path.join(dir, `data/2025/${CODE}.yaml`));
    const seFile = path.join(dir, `data/2025/${CODE}.self-eval.yaml`);
    cpSync(FIXTURE, seFile);
    expect((await runCli(['build', '--formats', 'html'], dir)).code).toBe(0);
    const html = path.join(dir, `out/2025/${CODE}.self-eval.html`);
    expect(statSync(html).isFile()).toBe(true);

    const good = readFileSync(seFile, 'utf8');
    const broken = good.replace('  - name: 新增规模工业企业\n', '  - name: 新增规模工业企业甲\n');
    expect(broken).not.toBe(good);
    writeFileSync(seFile, broken);
    const built = await runCli(['build', '--formats', 'html'], dir);
    expect(built.code).toBe(1);
    expect(() => statSync(html)).toThrow();
    const validate = await runCli(['validate', `data/2025/${CODE}.self-eval.yaml`], dir);
    expect(validate.code).toBe(1);
    const located = validate.out
      .split('\n')
      .filter((l) => /^data\/.*:\d+:\d+ {2}(error|warning) {2}/.test(l))
      .map((l) => {
        const [where, severity, code] = l.split('  ');
        const [, line, col] = /:(\d+):(\d+)$/.exec(where!)!;
        return [severity === 'error' ? 0 : 1, code, Number(line), Number(col)];
      });
    expect(located.some((d) => d[0] === 0)).toBe(true);

    const board = readBoard(readFileSync(path.join(dir, 'out/index.html'), 'utf8'));
    expect(board.rows.map((r) => r.code)).toEqual([CODE]);
    const row = board.rows[0]!;
    // The department's targets pass; its self-evaluation is what has errors.
    expect(board.statuses[row.status as number]).toBe('有警告');
    expect(row).toMatchObject({ score: '', grade: '', selfEvalFiles: 0 });
    expect(row.selfEvalErrors).toBe(located.filter((d) => d[0] === 0).length);
    expect(row.selfEvalSource).toBe(`data/2025/${CODE}.self-eval.yaml`);
    const shown = board.diagnostics[row.selfEvalDiagnostics as number]!.map((d) => d.slice(0, 4));
    expect(shown).toEqual([...located].sort((a, b) => (a[0] as number) - (b[0] as number)));

    // Fixed: its 自评表 is back and the board shows its score again.
    writeFileSync(seFile, good);
    expect((await runCli(['build', '--formats', 'html'], dir)).code).toBe(0);
    expect(statSync(html).isFile()).toBe(true);
    const fixed = readBoard(readFileSync(path.join(dir, 'out/index.html'), 'utf8')).rows[0]!;
    expect(fixed).toMatchObject({ selfEvalErrors: 0, selfEvalDiagnostics: -1 });
    expect(fixed.score).not.toBe('');
  });
});
