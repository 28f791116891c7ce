/**
 * Self-evaluations among the data files: `jxmb validate` checks them against their targets, and the
 * commands about targets (build, diff, import) do not mistake `<code>.self-eval.yaml` for a targets file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBuild } from '../../scripts/build/plan.ts';
import { targetsForm } from '../../scripts/forms/targets.ts';
import { expandPaths, findDataFiles, findSelfEvalFiles } from '../../scripts/io/files.ts';
import { readDepartments } from '../../scripts/io/import-sources.ts';
import { FIXTURES, runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const seedEval = readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-self-eval-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

interface Item {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

describe('jxmb validate with self-evaluations', () => {
  it('checks a self-evaluation beside its targets file: the seed’s has nothing to report', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    });
    const r = await runCli(['validate'], dir);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('self-eval.yaml:');
    expect(r.out.trim().split('\n').at(-1)).toBe('检查了 2 个文件：0 个错误，3 个警告');
  });

  it('a self-evaluation with no targets file is an error at its department', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/zhijiang-czj.self-eval.yaml': seedEval.replace(
        'department: zhijiang-swkjgxj',
        'department: zhijiang-czj',
      ),
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const items = (JSON.parse(r.out) as Item[]).filter((d) => d.file.endsWith('.self-eval.yaml'));
    const line = seedEval.split('\n').findIndex((l) => l.startsWith('department:')) + 1;
    expect(items.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      `data/2025/zhijiang-czj.self-eval.yaml:${line}:13 SELF_EVAL_NO_TARGETS`,
    ]);
    expect(items[0]!.message).toContain('data/2025/zhijiang-czj.yaml');
  });

  it('a self-evaluation named on the command line is checked against the targets file on disk', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval.replace('actual: 效果一般', 'actual: 较好'),
    });
    const r = await runCli(['validate', 'data/2025/zhijiang-swkjgxj.self-eval.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Item[]).map((d) => d.code)).toEqual(['SELF_EVAL_UNKNOWN_GRADE']);
  });

  it('a targets file with errors: its self-evaluation says so instead of guessing', async () => {
    const dir = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed.replace('points: 20', 'points: 21'),
      'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    });
    const r = await runCli(['validate', '--format', 'json'], dir);
    const codes = (JSON.parse(r.out) as Item[]).map((d) => d.code);
    expect(codes).toContain('POINTS_TOTAL');
    expect(codes).toContain('SELF_EVAL_TARGETS_INVALID');
  });
});

describe('commands about targets leave self-evaluations alone', () => {
  const files = {
    'data/2025/zhijiang-swkjgxj.yaml': seed,
    'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    'data/2026/zhijiang-swkjgxj.yaml': seed.replace('fiscal_year: 2025', 'fiscal_year: 2026'),
  };

  it('findDataFiles lists targets files; findSelfEvalFiles the others; a folder given expands to both', async () => {
    const dir = project(files);
    const data = path.join(dir, 'data');
    const rel = (fs: string[]): string[] => fs.map((f) => path.relative(data, f));
    expect(rel(await findDataFiles(data))).toEqual(['2025/zhijiang-swkjgxj.yaml', '2026/zhijiang-swkjgxj.yaml']);
    expect(rel(await findSelfEvalFiles(data))).toEqual(['2025/zhijiang-swkjgxj.self-eval.yaml']);
    expect(rel(await expandPaths(['data/2025'], dir))).toEqual([
      '2025/zhijiang-swkjgxj.self-eval.yaml',
      '2025/zhijiang-swkjgxj.yaml',
    ]);
  });

  it('build plans the targets only, whether from data/ or from a folder given', async () => {
    const dir = project(files);
    const opts = {
      kind: targetsForm,
      cwd: dir,
      root: dir,
      dataDir: path.join(dir, 'data'),
      outDir: path.join(dir, 'out'),
    };
    for (const paths of [[], ['data/2025']]) {
      const plan = await planBuild({ ...opts, paths });
      expect(plan.failed).toEqual([]);
      expect(plan.documents.map((d) => `${d.model.fiscalYear}/${d.model.code}`)).toEqual(
        paths.length ? ['2025/zhijiang-swkjgxj'] : ['2025/zhijiang-swkjgxj', '2026/zhijiang-swkjgxj'],
      );
    }
  });

  it('import knows the department once, from its targets files', async () => {
    const dir = project(files);
    const known = await readDepartments(path.join(dir, 'data'));
    expect(known.map((k) => path.basename(k.file))).toEqual(['zhijiang-swkjgxj.yaml', 'zhijiang-swkjgxj.yaml']);
  });

  it('diff --from/--to compares targets; a self-evaluation named to diff is refused', async () => {
    const dir = project(files);
    const r = await runCli(['diff', '--from', '2025', '--to', '2026', '--format', 'json'], dir);
    expect(r.err).toBe('');
    expect(r.out).not.toContain('self-eval');
    const refused = await runCli(
      ['diff', 'data/2025/zhijiang-swkjgxj.self-eval.yaml', 'data/2026/zhijiang-swkjgxj.yaml'],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('diff 只比较目标表');
  });
});
