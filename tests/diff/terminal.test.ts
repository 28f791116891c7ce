/**
 * What `jxmb diff` writes to a terminal (text format, and git's diff driver) never carries a raw control,
 * bidi or invisible character from the data: each is shown as an escape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { compareDepartments } from '../../scripts/diff/compare.ts';
import { formatText } from '../../scripts/diff/format-text.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { ROOT, runCli, SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
/** Any character a terminal would act on or hide, except the SGR colour codes jxmb adds itself. */
const RAW =
  /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'jxmb-term-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d, name), text);
  return d;
}

describe('jxmb diff text', () => {
  it('an invisible character in a name (a warning, so the tables compare) is shown escaped', async () => {
    const d = dir({
      'a.yaml': seed,
      'b.yaml': seed.replace('name: 新增规模工业企业', 'name: 新增\u200b规模工业企业'),
    });
    for (const color of [[], ['--color']]) {
      const r = await runCli(['diff', 'a.yaml', 'b.yaml', ...color], d);
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(RAW);
      expect(r.out).toContain('\\u200b');
    }
  });

  it('file names with controls are shown escaped in the header', async () => {
    const evil = 'b\u001b]0;pwned\u0007\u202e.yaml';
    const d = dir({ 'a.yaml': seed, [evil]: seed });
    const r = await runCli(['diff', 'a.yaml', evil], d);
    expect(`${r.out}\n${r.err}`).not.toMatch(RAW);
    expect(r.out).toContain('b\\x1b]0;pwned\\x07\\u202e.yaml');
    const v = await runCli(['validate', evil], d);
    expect(v.out).not.toMatch(RAW);
    expect(v.out).toContain('b\\x1b]0;pwned\\x07\\u202e.yaml:17:74');
  });

  it('formatText escapes every text of the report, whatever reaches it', () => {
    const side = (text: string, file: string) => {
      const c = checkFile(file, new TextEncoder().encode(text), { settings: DEFAULT_SETTINGS });
      return { file, data: c.data!, model: c.model! };
    };
    const a = side(seed, 'a\u001b[2J.yaml');
    const b = side(seed.replace('value: 934.41', 'value: 990'), 'b.yaml');
    b.model.name = `芷江\u001b[31m\u202e局`;
    b.model.rows = b.model.rows.map((r) => ({ ...r, name: `${r.name}\u009b2J` }));
    const diff = compareDepartments(a, b);
    for (const color of [false, true]) {
      const out = formatText({ fromLabel: 'x\u001b[5m', toLabel: 'y', departments: [diff] }, { lang: 'zh', color });
      expect(out).not.toMatch(RAW);
      expect(out).toContain('芷江\\x1b[31m\\u202e局');
      expect(out).toContain('x\\x1b[5m');
    }
  });
});

describe('the git diff driver', () => {
  const side = (d: string, f: string) => [path.join(d, f), '0'.repeat(40), '100644'];
  const args = (d: string) => [
    'diff',
    '--git-driver',
    'data/2025/zhijiang-swkjgxj.yaml',
    ...side(d, 'old.yaml'),
    ...side(d, 'new.yaml'),
  ];
  it('a table with a control character: diagnostics and the plain line diff, both escaped', async () => {
    const d = dir({
      'old.yaml': seed,
      'new.yaml': seed.replace('name: 新增规模工业企业', 'name: 新增\u001b[2J\u202e规模工业企业'),
    });
    for (const color of [[], ['--color']]) {
      const r = await runCli([...args(d), ...color], d);
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(RAW);
      expect(r.out).toContain('CONTROL_CHARACTER');
      expect(r.out).toContain('+    name: 新增\\x1b[2J\\u202e规模工业企业');
      expect(r.out).toContain('--- a/data/2025/zhijiang-swkjgxj.yaml');
    }
    const colored = await runCli([...args(d), '--color'], d);
    expect(colored.out).toContain('\u001b[32m+    name: 新增\\x1b[2J\\u202e规模工业企业\u001b[0m');
  });
});

describe('jxmb import', () => {
  it('a department name with a bidi control, in a message placed at no cell, is shown escaped', async () => {
    const tsv = readFileSync(path.join(ROOT, 'tests/fixtures/reference/seed-2025.tsv'), 'utf8');
    const d = dir({
      // A name without pinyin: no code, so the name is shown in IMPORT_NO_CODE.
      '导出.txt': tsv.replace('芷江侗族自治县商务科技和工业和信息化局', '𠀾\u202e\u200b𠀾'),
    });
    const r = await runCli(['import', '导出.txt'], d);
    expect(r.out).toContain('IMPORT_NO_CODE');
    expect(r.out).not.toMatch(RAW);
    // (A control such as ESC makes the import refuse the file as binary; bidi and invisible ones get this far.)
    expect(r.out).toContain('𠀾\\u202e\\u200b𠀾');
  });
});
