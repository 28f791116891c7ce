/**
 * `jxmb validate` over many files (issue 17): checked in worker threads or in one, each file kept only as
 * its report. Whatever the way, the same diagnostics at the same places, in the same order — rules across
 * files (DUPLICATE_CODE), last year's copy (TABLE_UNCHANGED) and self-evaluations included.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKERS_FROM } from '../../scripts/io/validate-files.ts';
import { FIXTURES, runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const seedEval = readFileSync(path.join(FIXTURES, 'self-eval/zhijiang-swkjgxj.self-eval.yaml'), 'utf8');
const withCode = (code: string, text = seed): string => text.replace(/^(\s+code: )zhijiang-swkjgxj/m, `$1${code}`);

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-validate-workers-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A project of `n` departments with, among them, every kind of problem the run must get right. */
function troubled(n: number): string {
  const files: Record<string, string> = {
    'data/2025/zhijiang-swkjgxj.yaml': seed,
    'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    // Its code is the seed's: the seed's self-evaluation is then checked against targets with an error.
    'data/2025/aaa-copy.yaml': withCode('zhijiang-swkjgxj'),
    // A self-evaluation alone (no targets beside it).
    'data/2025/lonely.self-eval.yaml': seedEval,
    // Unchanged from last year but for the year.
    'data/2024/dept-0003.yaml': withCode('dept-0003').replace(/^fiscal_year: 2025/m, 'fiscal_year: 2024'),
    'data/2025/broken.yaml': 'fiscal_year: 2025\ndepartment: [\n',
    'data/2025/bad-unit.yaml': withCode('bad-unit', seed.replace('unit: 人次', 'uint: 人次')),
  };
  for (let i = 0; i < n; i++) {
    const code = `dept-${String(i).padStart(4, '0')}`;
    files[`data/2025/${code}.yaml`] = withCode(code);
  }
  return project(files);
}

type Item = { file: string; line: number; column: number; severity: string; code: string; message: string };

describe('jxmb validate in worker threads', () => {
  it('reports exactly what one thread reports, in the same order, text and JSON', async () => {
    const dir = troubled(WORKERS_FROM);
    const one = await runCli(['validate', '--workers', '0', '--format', 'json', '--lang', 'en'], dir);
    const two = await runCli(['validate', '--workers', '2', '--format', 'json', '--lang', 'en'], dir);
    const auto = await runCli(['validate', '--format', 'json', '--lang', 'en'], dir);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const items = JSON.parse(one.out) as Item[];
    expect(JSON.parse(two.out)).toEqual(items);
    expect(JSON.parse(auto.out)).toEqual(items);
    const codes = (file: string): string[] => items.filter((d) => d.file.endsWith(file)).map((d) => d.code);
    expect(codes('aaa-copy.yaml')).toContain('DUPLICATE_CODE');
    expect(codes('2025/zhijiang-swkjgxj.yaml')).not.toContain('DUPLICATE_CODE');
    expect(codes('2025/dept-0003.yaml')).toContain('TABLE_UNCHANGED');
    expect(codes('broken.yaml').length).toBeGreaterThan(0);
    expect(codes('bad-unit.yaml').length).toBeGreaterThan(0);
    expect(codes('lonely.self-eval.yaml').length).toBeGreaterThan(0);
    // Targets files first, in path order, then the self-evaluations.
    const files = [...new Set(items.map((d) => d.file))];
    expect(files.at(-1)).toMatch(/self-eval\.yaml$/);
    const textOne = await runCli(['validate', '--workers', '0'], dir);
    const textTwo = await runCli(['validate', '--workers', '2'], dir);
    expect(textTwo.out).toBe(textOne.out);
    // Excerpts with carets are kept from the reports' lines.
    const dupAt = /aaa-copy\.yaml:\d+:\d+ {2}error {2}DUPLICATE_CODE[^\n]*\n\s+\d+ \| .*code: zhijiang-swkjgxj\n/;
    expect(textOne.out).toMatch(new RegExp(`${dupAt.source}\\s+\\| +\\^+`));
  });

  it('a self-evaluation whose targets clash with another file is judged against targets with that error', async () => {
    const dir = troubled(0);
    const alone = project({
      'data/2025/zhijiang-swkjgxj.yaml': seed,
      'data/2025/zhijiang-swkjgxj.self-eval.yaml': seedEval,
    });
    const clean = JSON.parse((await runCli(['validate', '--format', 'json'], alone)).out) as Item[];
    expect(clean.filter((d) => d.file.endsWith('self-eval.yaml')).map((d) => d.code)).not.toContain(
      'SELF_EVAL_TARGETS_INVALID',
    );
    // The clashing file's name sorts first, yet the seed keeps its code (its name matches): only the copy
    // is at fault, and the seed's self-evaluation is still scored.
    const items = JSON.parse((await runCli(['validate', '--workers', '0', '--format', 'json'], dir)).out) as Item[];
    expect(items.filter((d) => d.file === 'data/2025/zhijiang-swkjgxj.self-eval.yaml').map((d) => d.code)).toEqual(
      clean.filter((d) => d.file === 'data/2025/zhijiang-swkjgxj.self-eval.yaml').map((d) => d.code),
    );
  });

  it('--workers takes a whole number', async () => {
    const dir = troubled(0);
    const r = await runCli(['validate', '--workers', 'many'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--workers');
  });
});
