/**
 * `jxmb index`: the out/ folders of shards that built disjoint sets of departments, merged, give one
 * index and manifest listing everything; the git commit of the data is recorded; problems are named.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEntrySidecars, writeEntrySidecar } from '../../scripts/build/entries.ts';
import { gitSourceCommit, type Manifest } from '../../scripts/build/manifest.ts';
import { readBoard } from '../../scripts/render/index-page.ts';
import type { IndexEntry } from '../../scripts/render/outputs.ts';
import { expectGolden, runCli } from '../helpers.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'jxmb-index-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a build of `departments` leaves in `outDir`: its three files and its sidecar. */
async function fakeBuild(outDir: string, departments: Array<[number, string, string, number]>): Promise<void> {
  for (const [year, code, name, warnings] of departments) {
    mkdirSync(path.join(outDir, String(year)), { recursive: true });
    for (const f of ['pdf', 'html', 'xlsx'])
      writeFileSync(path.join(outDir, String(year), `${code}.${f}`), `${f} of ${year}/${code}\n`);
    const entry: IndexEntry = {
      fiscalYear: year,
      code,
      name,
      source: `data/${year}/${code}.yaml`,
      indicators: 10 + warnings,
      pointsSum: 90,
      warnings,
      outputs: { pdf: `${year}/${code}.pdf`, html: `${year}/${code}.html`, xlsx: `${year}/${code}.xlsx` },
    };
    await writeEntrySidecar(outDir, entry);
  }
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const readManifest = (outDir: string): Manifest =>
  JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();
const hasGit = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('jxmb index over merged shards', async () => {
  const shard1 = path.join(tmp, 'shard-1/out');
  const shard2 = path.join(tmp, 'shard-2/out');
  const merged = path.join(tmp, 'merged');
  await fakeBuild(shard1, [
    [2025, 'dept-a', '甲局', 0],
    [2024, 'dept-a', '甲局', 2],
  ]);
  await fakeBuild(shard2, [
    [2025, 'dept-b', '乙局', 1],
    [2025, 'dept-c', '丙局', 0],
  ]);
  // Shard 2 also indexed itself; merging copies over that partial index (as a CI artifact merge would).
  expect((await runCli(['index', '--out', shard2], tmp)).code).toBe(0);
  cpSync(shard1, merged, { recursive: true });
  cpSync(shard2, merged, { recursive: true });

  it('lists every department of every shard', async () => {
    const r = await runCli(['index', '--out', merged], tmp);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2 个年度、4 张表、3 个部门、12 个文件');
    const html = readFileSync(path.join(merged, 'index.html'), 'utf8');
    const rows = readBoard(html).rows.map((r) => `${r.year} ${r.code} ${r.files}`);
    // Every output present: PDF + HTML + Excel bits.
    expect(rows).toEqual(['2025 dept-a 7', '2025 dept-b 7', '2025 dept-c 7', '2024 dept-a 7']);
  });

  it('manifest: every file with source, year, code, format, size and sha256, sorted by path', () => {
    const m = readManifest(merged);
    expect(m.files.map((f) => f.path)).toEqual([
      '2024/dept-a.html',
      '2024/dept-a.pdf',
      '2024/dept-a.xlsx',
      '2025/dept-a.html',
      '2025/dept-a.pdf',
      '2025/dept-a.xlsx',
      '2025/dept-b.html',
      '2025/dept-b.pdf',
      '2025/dept-b.xlsx',
      '2025/dept-c.html',
      '2025/dept-c.pdf',
      '2025/dept-c.xlsx',
    ]);
    for (const f of m.files) {
      const abs = path.join(merged, f.path);
      expect(f.sha256, f.path).toBe(sha256(abs));
      expect(f.size, f.path).toBe(readFileSync(abs).length);
      expect(f.source).toBe(`data/${f.fiscalYear}/${f.code}.yaml`);
      expect(f.path).toBe(`${f.fiscalYear}/${f.code}.${f.format}`);
    }
    expect(m.commit).toBeUndefined(); // tmp is not a git checkout
    expect(m.generator).toMatch(/^jxmb \d+\.\d+\.\d+/);
  });

  it('running it again writes the same bytes', async () => {
    const before = [sha256(path.join(merged, 'index.html')), sha256(path.join(merged, 'manifest.json'))];
    await runCli(['index', '--out', merged], tmp);
    expect([sha256(path.join(merged, 'index.html')), sha256(path.join(merged, 'manifest.json'))]).toEqual(before);
  });

  it('links only files that are there; an output without a sidecar is named and fails the run', async () => {
    const out = path.join(tmp, 'partial');
    cpSync(merged, out, { recursive: true });
    rmSync(path.join(out, '2025/dept-b.pdf'));
    writeFileSync(path.join(out, '2025/stray.pdf'), 'no sidecar');
    const r = await runCli(['index', '--out', out], tmp);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${path.relative(tmp, path.join(out, '2025/stray.pdf'))}: 警告 warning: 没有对应的 .entry.json`,
    );
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const b = readBoard(html).rows.find((row) => row.year === 2025 && row.code === 'dept-b')!;
    // HTML and Excel, no PDF.
    expect(b.files).toBe(2 | 4);
    expect(html).not.toContain('stray');
    expect(readManifest(out).files.map((f) => f.path)).not.toContain('2025/dept-b.pdf');
  });

  it('a broken or misplaced sidecar is reported, the rest indexed', async () => {
    const out = path.join(tmp, 'broken');
    cpSync(merged, out, { recursive: true });
    writeFileSync(path.join(out, '2025/dept-c.entry.json'), '{ not json');
    cpSync(path.join(out, '2025/dept-a.entry.json'), path.join(out, '2024/dept-z.entry.json'));
    const { entries, problems } = await readEntrySidecars(out);
    expect(entries.map((e) => `${e.fiscalYear}/${e.code}`)).toEqual(['2025/dept-a', '2025/dept-b', '2024/dept-a']);
    expect(problems.map((p) => p.file)).toEqual([
      '2024/dept-z.entry.json',
      '2025/dept-c.entry.json',
      '2025/dept-c.html',
      '2025/dept-c.pdf',
      '2025/dept-c.xlsx',
    ]);
    expect(problems[0]!.message).toContain('与文件位置不符');
    expect(problems[1]!.message).toContain('JSON');
  });

  it('an empty or missing out folder', async () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    const r = await runCli(['index', '--out', empty], tmp);
    expect(r.code).toBe(0);
    expect(r.err).toContain('没有 *.entry.json');
    expect(readManifest(empty).files).toEqual([]);
    const missing = await runCli(['index', '--out', path.join(tmp, 'nope')], tmp);
    expect(missing.code).toBe(69);
    expect(missing.err).toContain('不存在，请先运行 jxmb build');
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!hasGit)('the git commit of the data', async () => {
  const repo = path.join(tmp, 'repo');
  mkdirSync(path.join(repo, 'data/2025'), { recursive: true });
  writeFileSync(path.join(repo, 'data/2025/dept-a.yaml'), 'fiscal_year: 2025\n');
  git(repo, 'init', '-q');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '.');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'data');
  const out = path.join(repo, 'out');
  await fakeBuild(out, [[2025, 'dept-a', '甲局', 0]]);

  it('clean checkout: the commit, not dirty (out/ does not count)', async () => {
    const r = await runCli(['index', '--out', 'out', '--data', 'data'], repo);
    expect(r.code, r.err).toBe(0);
    expect(readManifest(out).commit).toEqual({ sha: git(repo, 'rev-parse', 'HEAD'), dirty: false });
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(git(repo, 'rev-parse', 'HEAD').slice(0, 12));
  });

  it('uncommitted data: dirty', async () => {
    writeFileSync(path.join(repo, 'data/2025/dept-a.yaml'), 'fiscal_year: 2025\n# edited\n');
    await runCli(['index', '--out', 'out', '--data', 'data'], repo);
    expect(readManifest(out).commit?.dirty).toBe(true);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('另有未提交的修改');
  });

  it('uncommitted templates (the form as printed): dirty, as the build passes its templates folder', async () => {
    git(repo, 'checkout', '-q', '--', '.');
    mkdirSync(path.join(repo, 'templates'), { recursive: true });
    writeFileSync(path.join(repo, 'templates/form.css'), 'body {}\n');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '.');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'templates');
    expect(await gitSourceCommit(path.join(repo, 'data'), [path.join(repo, 'templates')])).toEqual({
      sha: git(repo, 'rev-parse', 'HEAD'),
      dirty: false,
    });
    writeFileSync(path.join(repo, 'templates/form.css'), 'body { margin: 0 }\n');
    expect((await gitSourceCommit(path.join(repo, 'data'), [path.join(repo, 'templates')]))?.dirty).toBe(true);
    // A templates folder outside the data's repository (jxmb installed elsewhere) does not count.
    expect((await gitSourceCommit(path.join(repo, 'data'), [path.join(tmp, 'elsewhere')]))?.dirty).toBe(false);
  });

  it('a data folder outside git: no commit, no crash', async () => {
    const outside = path.join(tmp, 'no-git');
    await fakeBuild(path.join(outside, 'out'), [[2025, 'dept-a', '甲局', 0]]);
    mkdirSync(path.join(outside, 'data'));
    const r = await runCli(['index', '--out', 'out', '--data', 'data'], outside);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(path.join(outside, 'out/manifest.json'))).toBe(true);
    expect(readManifest(path.join(outside, 'out')).commit).toBeUndefined();
  });
});

describe('jxmb index --help', () => {
  it('usage text', async () => {
    const r = await runCli(['index', '--help']);
    expect(r.code).toBe(0);
    await expectGolden('usage/index.txt', r.out + '\n');
  });
});
