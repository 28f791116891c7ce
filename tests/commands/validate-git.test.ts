/**
 * `jxmb validate --git REF` in real temporary git repositories: only the changed data files are checked
 * and reported, deleted ones skipped, and the rules across files still see the unchanged ones
 * (DUPLICATE_CODE, TABLE_UNCHANGED, a self-evaluation against its targets).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, SEED_YAML } from '../helpers.ts';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
const seed = readFileSync(SEED_YAML, 'utf8');
const seedEval = readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');
const withCode = (code: string): string => seed.replace('code: zhijiang-swkjgxj', `code: ${code}`);

const roots: string[] = [];
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});
const write = (d: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
  writeFileSync(path.join(d, rel), text);
};

/** A repository whose `main` holds `files`, checked out on a branch `pr`. */
function repo(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'jxmb-validate-git-'));
  roots.push(d);
  git(d, 'init', '-q', '-b', 'main');
  for (const [rel, text] of Object.entries(files)) write(d, rel, text);
  git(d, 'add', '-A');
  git(d, 'commit', '-q', '-m', 'base');
  git(d, 'checkout', '-q', '-b', 'pr');
  return d;
}

interface Item {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}
const json = (out: string): Item[] => JSON.parse(out) as Item[];
const lastLine = (out: string): string => out.trim().split('\n').at(-1)!;

describe('jxmb validate --git REF', () => {
  it('checks only the changed files; a duplicate code with an unchanged file is still caught', async () => {
    const dir = repo({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/keep-dept.yaml': withCode('keep-dept'),
      'data/2025/old-dept.yaml': withCode('old-dept'),
    });
    // Committed: one file deleted, one added; uncommitted (untracked): a file reusing an unchanged code.
    git(dir, 'rm', '-q', 'data/2025/old-dept.yaml');
    write(dir, 'data/2025/new-dept.yaml', withCode('new-dept'));
    git(dir, 'add', 'data/2025/new-dept.yaml');
    git(dir, 'commit', '-q', '-m', 'pr');
    write(dir, 'data/2025/copy-dept.yaml', withCode('zhijiang-swkjgxj'));

    const r = await runCli(['validate', '--git', 'main', '--format', 'json', '--lang', 'en'], dir);
    expect(r.code).toBe(1);
    const items = json(r.out);
    expect([...new Set(items.map((d) => d.file))].sort()).toEqual([
      'data/2025/copy-dept.yaml',
      'data/2025/new-dept.yaml',
    ]);
    const dup = items.filter((d) => d.code === 'DUPLICATE_CODE');
    expect(dup.map((d) => d.file)).toEqual(['data/2025/copy-dept.yaml']);
    expect(dup[0]!.message).toContain('data/2025/zhijiang-swkjgxj.yaml');
    // At the changed file's department.code, exactly as a whole-project run puts it.
    const line = seed.split('\n').findIndex((l) => /^\s+code: zhijiang-swkjgxj/.test(l)) + 1;
    expect([dup[0]!.line, dup[0]!.column]).toEqual([line, seed.split('\n')[line - 1]!.indexOf('zhijiang') + 1]);
    const whole = json((await runCli(['validate', '--format', 'json', '--lang', 'en'], dir)).out);
    expect(whole.filter((d) => d.file === 'data/2025/copy-dept.yaml')).toEqual(
      items.filter((d) => d.file === 'data/2025/copy-dept.yaml'),
    );
    expect(whole.filter((d) => d.file === 'data/2025/new-dept.yaml')).toEqual(
      items.filter((d) => d.file === 'data/2025/new-dept.yaml'),
    );

    const text = await runCli(['validate', '--git', 'main', '--lang', 'en'], dir);
    const errors = items.filter((d) => d.severity === 'error').length;
    expect(lastLine(text.out)).toBe(
      `2 of 4 files checked (changed): ${errors} errors, ${items.length - errors} warnings`,
    );
    const zh = await runCli(['validate', '--git', 'main'], dir);
    expect(lastLine(zh.out)).toMatch(/^检查了 4 个文件中改动的 2 个：/);
    const gh = await runCli(['validate', '--git', 'main', '--format', 'github'], dir);
    expect(gh.out).toContain('::error file=data/2025/copy-dept.yaml,');
    expect(gh.out).not.toContain('file=data/2025/zhijiang-swkjgxj.yaml');
    expect(gh.out).not.toContain('keep-dept');
  });

  it('a changed file named after the code clashes with an unchanged misnamed one: the change is flagged', async () => {
    const dir = repo({ 'data/2025/other.yaml': withCode('new-dept') });
    write(dir, 'data/2025/new-dept.yaml', withCode('new-dept'));
    const r = await runCli(['validate', '--git', 'main', '--format', 'json', '--lang', 'en'], dir);
    expect(r.code).toBe(1);
    const dup = json(r.out).filter((d) => d.code === 'DUPLICATE_CODE');
    expect(dup.map((d) => [d.file, d.message.includes('data/2025/other.yaml')])).toEqual([
      ['data/2025/new-dept.yaml', true],
    ]);
  });

  it('no change: nothing reported, exit 0, the summary says none of the files', async () => {
    const dir = repo({ 'data/2025/zhijiang-swkjgxj.yaml': seed.replace('unit: 人次', 'uint: 人次') });
    const r = await runCli(['validate', '--git', 'main', '--lang', 'en'], dir);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('0 of 1 file checked (changed): 0 errors, 0 warnings');
    // The same unchanged file is broken: a whole run fails.
    expect((await runCli(['validate'], dir)).code).toBe(1);
  });

  it('a changed jxmb.settings.yaml checks every file: the settings can break any of them', async () => {
    const dir = repo({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/keep-dept.yaml': withCode('keep-dept'),
    });
    const before = await runCli(['validate', '--git', 'main', '--format', 'json'], dir);
    expect(json(before.out)).toEqual([]);
    write(dir, 'jxmb.settings.yaml', 'points_total: 100\n');
    const r = await runCli(['validate', '--git', 'main', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const totals = json(r.out).filter((d) => d.code === 'POINTS_TOTAL');
    expect(totals.map((d) => d.file).sort()).toEqual(['data/2025/keep-dept.yaml', 'data/2025/zhijiang-swkjgxj.yaml']);
    expect(lastLine((await runCli(['validate', '--git', 'main', '--lang', 'en'], dir)).out)).toMatch(
      /^2 of 2 files checked/,
    );
  });

  it('TABLE_UNCHANGED against last year’s unchanged file', async () => {
    const dir = repo({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    write(dir, 'data/2026/zhijiang-swkjgxj.yaml', seed.replace('fiscal_year: 2025', 'fiscal_year: 2026'));
    const r = await runCli(['validate', '--git', 'main', '--format', 'json', '--lang', 'en'], dir);
    const items = json(r.out);
    expect([...new Set(items.map((d) => d.file))]).toEqual(['data/2026/zhijiang-swkjgxj.yaml']);
    expect(items.find((d) => d.code === 'TABLE_UNCHANGED')?.message).toContain('data/2025/zhijiang-swkjgxj.yaml');
  });

  it('a changed targets file re-checks its unchanged self-evaluation, and the other way round', async () => {
    const files = {
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    };
    const dir = repo(files);
    write(dir, 'data/2025/zhijiang-swkjgxj.yaml', seed.replace('points: 20', 'points: 21'));
    git(dir, 'commit', '-q', '-am', 'targets broken');
    const r = await runCli(['validate', '--git', 'main...', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const codes = json(r.out).map((d) => `${path.basename(d.file)} ${d.code}`);
    expect(codes).toContain('zhijiang-swkjgxj.yaml POINTS_TOTAL');
    expect(codes).toContain('zhijiang-swkjgxj.self-eval.yaml SELF_EVAL_TARGETS_INVALID');

    const other = repo(files);
    write(other, 'data/2025/zhijiang-swkjgxj.self-eval.yaml', seedEval.replace('actual: 效果一般', 'actual: 较好'));
    const s = await runCli(['validate', '--git', 'main', '--format', 'json'], other);
    expect(s.code).toBe(1);
    expect(json(s.out).map((d) => `${d.file} ${d.code}`)).toEqual([
      'data/2025/zhijiang-swkjgxj.self-eval.yaml SELF_EVAL_UNKNOWN_GRADE',
    ]);
  });

  it('a self-evaluation whose changed targets clash with an unchanged file is judged against that error', async () => {
    // Unchanged: another file already uses the seed's code. The PR adds the seed and its self-evaluation:
    // the change brought the clash, so the seed is at fault, found only after every file was checked.
    const dir = repo({ 'data/2025/other.yaml': withCode('zhijiang-swkjgxj') });
    write(dir, 'data/2025/zhijiang-swkjgxj.yaml', seed);
    write(dir, 'data/2025/zhijiang-swkjgxj.self-eval.yaml', seedEval);
    for (const workers of ['0', '2']) {
      const r = await runCli(['validate', '--git', 'main', '--format', 'json', '--workers', workers], dir);
      expect(r.code).toBe(1);
      const codes = json(r.out).map((d) => `${path.basename(d.file)} ${d.code}`);
      expect(codes).toContain('zhijiang-swkjgxj.yaml DUPLICATE_CODE');
      expect(codes).toContain('zhijiang-swkjgxj.self-eval.yaml SELF_EVAL_TARGETS_INVALID');
    }
  });

  it('usage: an unknown REF exits 2 naming it; outside git a clear message; --git takes no paths', async () => {
    const dir = repo({ 'data/2025/zhijiang-swkjgxj.yaml': seed });
    const bad = await runCli(['validate', '--git', 'no-such-branch'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no-such-branch');
    expect(bad.out).toBe('');
    const paths = await runCli(['validate', '--git', 'main', 'data/2025'], dir);
    expect(paths.code).toBe(2);
    expect(paths.err).toContain('--git');

    const plain = mkdtempSync(path.join(os.tmpdir(), 'jxmb-validate-nogit-'));
    roots.push(plain);
    write(plain, 'data/2025/zhijiang-swkjgxj.yaml', seed);
    const none = await runCli(['validate', '--git', 'main'], plain);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/not inside a git repository/);
  });
});
