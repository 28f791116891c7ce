/**
 * `jxmb diff --git REF` and the git diff driver, in real temporary git repositories: modified, added
 * (compared with the previous year), deleted, renamed and untracked data files; `REF...`; errors; and
 * `git diff` / `git log -p --ext-diff` showing the semantic change through .gitattributes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, SEED_YAML } from '../helpers.ts';

const Y2026 = path.join(ROOT, 'data/2026/zhijiang-swkjgxj.yaml');
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
  NO_COLOR: '1',
};
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
const seedText = readFileSync(SEED_YAML, 'utf8');

let dir: string;
const tmpRoots: string[] = [];
function repo(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'jxmb-diff-git-'));
  tmpRoots.push(d);
  git(d, 'init', '-q', '-b', 'main');
  return d;
}
const write = (d: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
  writeFileSync(path.join(d, rel), text);
};
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

interface Json {
  from: string;
  to: string;
  departments: {
    code: string;
    status: string;
    baseline?: boolean;
    from: { file: string } | null;
    to: { file: string } | null;
    changes: { kind: string; flags: string[] }[];
  }[];
}

describe('jxmb diff --git REF', () => {
  beforeAll(() => {
    dir = repo();
    // main: the 2025 seed, and two more departments
    write(dir, 'data/2025/zhijiang-swkjgxj.yaml', seedText);
    write(dir, 'data/2025/old-dept.yaml', seedText.replace('code: zhijiang-swkjgxj', 'code: old-dept'));
    write(dir, 'data/2025/moved-dept.yaml', seedText.replace('code: zhijiang-swkjgxj', 'code: moved-dept'));
    write(dir, 'README.md', 'x\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'checkout', '-q', '-b', 'pr');
    // the pull request: one value lowered (committed), the 2026 table added (untracked), one file
    // deleted, one renamed (to a new code: a department renamed), a non-data file changed
    write(
      dir,
      'data/2025/zhijiang-swkjgxj.yaml',
      seedText.replace('value: 1000\n    unit: 人次', 'value: 900\n    unit: 人次'),
    );
    git(dir, 'commit', '-q', '-am', 'lower a target');
    write(dir, 'data/2026/zhijiang-swkjgxj.yaml', readFileSync(Y2026, 'utf8'));
    rmSync(path.join(dir, 'data/2025/old-dept.yaml'));
    renameSync(path.join(dir, 'data/2025/moved-dept.yaml'), path.join(dir, 'data/2025/renamed-dept.yaml'));
    write(dir, 'data/2025/renamed-dept.yaml', seedText.replace('code: zhijiang-swkjgxj', 'code: renamed-dept'));
    git(dir, 'add', 'data/2025/renamed-dept.yaml');
    git(dir, 'rm', '-q', '--cached', 'data/2025/moved-dept.yaml');
    write(dir, 'README.md', 'y\n');
  });

  it('diffs every data file changed since REF, old contents from git', async () => {
    const r = await runCli(['diff', '--git', 'main', '--format', 'json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Json;
    expect([j.from, j.to]).toEqual(['main', '工作区']);
    const by = Object.fromEntries(
      j.departments.map((d) => [`${d.from?.file ?? '-'} → ${d.to?.file ?? '-'}`, d.status]),
    );
    expect(by).toEqual({
      'main:data/2025/old-dept.yaml → -': 'removed',
      'main:data/2025/moved-dept.yaml → data/2025/renamed-dept.yaml': 'changed',
      'main:data/2025/zhijiang-swkjgxj.yaml → data/2025/zhijiang-swkjgxj.yaml': 'changed',
      // a new year's table is compared with the department's previous year
      'data/2025/zhijiang-swkjgxj.yaml → data/2026/zhijiang-swkjgxj.yaml': 'added',
    });
    const lowered = j.departments.find((d) => d.from?.file === 'main:data/2025/zhijiang-swkjgxj.yaml')!;
    expect(lowered.changes.map((c) => `${c.kind} ${c.flags.join(',')}`)).toEqual(['value weakened']);
    const added = j.departments.find((d) => d.status === 'added')!;
    expect(added.baseline).toBe(true);
    expect(added.changes.filter((c) => c.flags.includes('weakened')).length).toBeGreaterThan(0);
    const renamed = j.departments.find((d) => d.to?.file === 'data/2025/renamed-dept.yaml')!;
    expect(renamed.changes.map((c) => c.kind)).toEqual(['department']);
  });

  it('md for a pull-request comment', async () => {
    const r = await runCli(['diff', '--git', 'main', '--format', 'md'], dir);
    expect(r.out).toContain('比较 `main` → `工作区`');
    expect(r.out).toContain('新增的年度表，与 data/2025/zhijiang-swkjgxj.yaml 比较');
  });

  it('REF... compares with the merge base, whichever commit is checked out', async () => {
    // main moves on after the branch was made: REF... must not show main's new change reversed.
    git(dir, 'stash', '-q', '-u');
    git(dir, 'checkout', '-q', 'main');
    write(
      dir,
      'data/2025/old-dept.yaml',
      seedText.replace('code: zhijiang-swkjgxj', 'code: old-dept').replace('preparer: 吴红霞', 'preparer: 张三'),
    );
    git(dir, 'commit', '-q', '-am', 'main moves on');
    git(dir, 'checkout', '-q', 'pr');
    try {
      const plain = JSON.parse((await runCli(['diff', '--git', 'main', '--format', 'json'], dir)).out) as Json;
      const base = JSON.parse((await runCli(['diff', '--git', 'main...', '--format', 'json'], dir)).out) as Json;
      expect(plain.departments.map((d) => d.from?.file)).toContain('main:data/2025/old-dept.yaml');
      expect(base.departments.map((d) => d.from?.file ?? d.to?.file)).toEqual(['main:data/2025/zhijiang-swkjgxj.yaml']);
    } finally {
      git(dir, 'stash', 'pop', '-q');
    }
  });

  it('a stray path is a usage error; nothing changed is exit 0 even with --exit-code', async () => {
    const r = await runCli(['diff', '--git', 'HEAD~1', '--exit-code', 'pr'], dir);
    expect(r.code).toBe(2); // a stray positional is a usage error
    const clean = repo();
    write(clean, 'data/2025/zhijiang-swkjgxj.yaml', seedText);
    git(clean, 'add', '-A');
    git(clean, 'commit', '-q', '-m', 'one');
    const n = await runCli(['diff', '--git', 'HEAD', '--exit-code'], clean);
    expect(n.code).toBe(0);
    expect(n.out).toContain('没有差异');
  });

  it('errors: not a repository, unknown ref, a changed file with errors (exit 2)', async () => {
    const notRepo = mkdtempSync(path.join(os.tmpdir(), 'jxmb-diff-norepo-'));
    tmpRoots.push(notRepo);
    const a = await runCli(['diff', '--git', 'main'], notRepo);
    expect(a.code).toBe(2);
    expect(a.err).toContain('不在 git 仓库中');
    const b = await runCli(['diff', '--git', 'no-such-branch'], dir);
    expect(b.code).toBe(2);
    expect(b.err).toContain('找不到 git 引用 “no-such-branch”');
    const broken = repo();
    write(broken, 'data/2025/zhijiang-swkjgxj.yaml', seedText);
    git(broken, 'add', '-A');
    git(broken, 'commit', '-q', '-m', 'one');
    write(
      broken,
      'data/2025/zhijiang-swkjgxj.yaml',
      seedText.replace('value: 1000\n    unit: 人次', 'value: 一千\n    unit: 人次'),
    );
    const c = await runCli(['diff', '--git', 'HEAD'], broken);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/data\/2025\/zhijiang-swkjgxj\.yaml:\d+:\d+ {2}error {2}QUANTITATIVE_VALUE/);
  });
});

describe('the git diff driver (.gitattributes + git config diff.jxmb.command)', () => {
  let d: string;
  beforeAll(() => {
    d = repo();
    cpSync(path.join(ROOT, '.gitattributes'), path.join(d, '.gitattributes'));
    git(d, 'config', 'diff.jxmb.command', `node ${path.join(ROOT, 'scripts/jxmb.js')} diff --git-driver`);
    write(d, 'data/2025/zhijiang-swkjgxj.yaml', seedText);
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'seed');
  });

  it('git diff shows the semantic change of a modified table', () => {
    write(d, 'data/2025/zhijiang-swkjgxj.yaml', seedText.replace('value: 934.41', 'value: 990'));
    const out = git(d, 'diff');
    expect(out).toContain('diff --jxmb a/data/2025/zhijiang-swkjgxj.yaml b/data/2025/zhijiang-swkjgxj.yaml');
    expect(out).toContain('~ 成本指标/经济成本指标/部门预算支出金额');
    expect(out).toMatch(/指标值 {2}≤934\.41万元 → ≤990万元 {2}⚠ 目标降低/);
    expect(out).not.toContain('@@');
    git(d, 'commit', '-q', '-am', 'budget up');
  });

  it('git log -p --ext-diff shows it for every commit; without --ext-diff git shows lines as usual', () => {
    const log = git(d, 'log', '-p', '--ext-diff', '-1');
    expect(log).toContain('部门预算支出金额');
    expect(log).toContain('⚠ 目标降低');
    expect(git(d, 'log', '-p', '-1')).toContain('-    value: 934.41');
  });

  it('added (old side /dev/null) and deleted (new side /dev/null) tables', () => {
    write(d, 'data/2026/zhijiang-swkjgxj.yaml', readFileSync(Y2026, 'utf8'));
    git(d, 'add', '-A');
    const added = git(d, 'diff', '--cached');
    expect(added).toContain('diff --jxmb a/data/2026/zhijiang-swkjgxj.yaml b/data/2026/zhijiang-swkjgxj.yaml');
    expect(added).toContain('新增的表：18 个指标，分值合计 90');
    git(d, 'commit', '-q', '-m', '2026');
    git(d, 'rm', '-q', 'data/2026/zhijiang-swkjgxj.yaml');
    expect(git(d, 'diff', '--cached')).toContain('删除的表：原有 18 个指标，分值合计 90');
    git(d, 'reset', '-q', '--hard');
  });

  it('a table with errors: its diagnostics, then the plain line diff (git does not stop)', () => {
    write(d, 'data/2025/zhijiang-swkjgxj.yaml', seedText.replace('fiscal_year: 2025', 'fiscal_year: [2025'));
    const out = git(d, 'diff');
    expect(out).toContain('error  YAML_UNCLOSED');
    expect(out).toContain('--- a/data/2025/zhijiang-swkjgxj.yaml');
    expect(out).toContain('+fiscal_year: [2025');
    git(d, 'checkout', '-q', '--', 'data');
  });

  it('the driver needs git’s 7 arguments', async () => {
    const r = await runCli(['diff', '--git-driver', 'a', 'b']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('7 个参数');
  });
});
