/**
 * `jxmb import` end to end, in a scratch project: where the file goes, what it refuses, where the code
 * and the year come from, and a clear diagnostic (never a stack trace, never a half-written file) for
 * each kind of bad input.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { renderXlsx } from '../../scripts/render/xlsx.ts';
import { expectGolden, FIXTURES, runCli, SEED_TXT, SEED_YAML, seedText } from '../helpers.ts';
import { officialXlsx } from './_exports.ts';

const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'jxmb-import-'));
const seedYaml = (): string => readFileSync(SEED_YAML, 'utf8');
const allFiles = (dir: string): string[] =>
  existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : [];
/** Nothing an import prints may look like a crash. */
const noCrash = (r: { out: string; err: string }): void => {
  expect(r.out + r.err).not.toMatch(/internal error|内部错误|\n\s+at /);
};

describe('jxmb import: where the YAML goes', () => {
  it('default data/<year>/<code>.yaml; refuses to overwrite without --force; --force overwrites', async () => {
    const dir = scratch();
    const first = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj'], dir);
    expect(first.code).toBe(0);
    const file = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
    writeFileSync(file, '# edited by hand\n');
    const again = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj'], dir);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/error {2}IMPORT_FILE_EXISTS {2}data\/2025\/zhijiang-swkjgxj\.yaml 已存在；加 --force/);
    expect(readFileSync(file, 'utf8')).toBe('# edited by hand\n');
    const forced = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(seedYaml());
    expect(allFiles(path.join(dir, 'data/2025'))).toEqual(['zhijiang-swkjgxj.yaml']); // no temp file left behind
  });

  it('--out PATH overrides, and names the code when --code is absent', async () => {
    const dir = scratch();
    const r = await runCli(['import', SEED_TXT, '--out', 'elsewhere/zhijiang-swkjgxj.yaml'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'elsewhere/zhijiang-swkjgxj.yaml'), 'utf8')).toBe(seedYaml());
  });

  it('--out naming a folder (existing, or ending in /) writes <folder>/<year>/<code>.yaml', async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'out'));
    const existing = await runCli(['import', SEED_TXT, '--out', 'out', '--force'], dir);
    expect(existing.code).toBe(0);
    noCrash(existing);
    const slash = await runCli(['import', SEED_TXT, '--out', 'new/'], dir);
    expect(slash.code).toBe(0);
    // (The code: the file name seed-2025 is one.) A folder named like a YAML file is still a folder.
    mkdirSync(path.join(dir, 'odd.yaml'));
    const odd = await runCli(['import', SEED_TXT, '--out', 'odd.yaml'], dir);
    expect(odd.code).toBe(0);
    expect(allFiles(dir).filter((f) => f.endsWith('.yaml'))).toEqual([
      'new/2025/seed-2025.yaml',
      'odd.yaml',
      'odd.yaml/2025/seed-2025.yaml',
      'out/2025/seed-2025.yaml',
    ]);
    const written = readFileSync(path.join(dir, 'new/2025/seed-2025.yaml'), 'utf8');
    expect(written).toBe(seedYaml().replace('code: zhijiang-swkjgxj', 'code: seed-2025'));
    const again = await runCli(['import', SEED_TXT, '--out', 'out/'], dir);
    expect(again.code).toBe(1);
    expect(again.out).toContain('IMPORT_FILE_EXISTS');
  });

  it('--out - prints the YAML on stdout and everything else on stderr', async () => {
    const r = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj', '--out', '-'], scratch());
    expect(r.code).toBe(0);
    expect(r.out + '\n').toBe(seedYaml());
    expect(r.err).toContain('DUPLICATE_INDICATOR');
  });
});

describe('jxmb import: the code and the year', () => {
  it('a workbook jxmb rendered carries its code', async () => {
    const dir = scratch();
    const checked = checkFile('seed', readFileSync(SEED_YAML), { settings: DEFAULT_SETTINGS });
    writeFileSync(path.join(dir, '表.xlsx'), await renderXlsx(checked.model!, { settings: DEFAULT_SETTINGS }));
    const r = await runCli(['import', '表.xlsx'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('部门代码 zhijiang-swkjgxj 取自工作簿属性');
    expect(readFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), 'utf8')).toBe(seedYaml());
  });

  it('the same department in data/ (another year) gives the code', async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'data/2024'), { recursive: true });
    writeFileSync(
      path.join(dir, 'data/2024/zhijiang-swkjgxj.yaml'),
      seedYaml().replace('fiscal_year: 2025', 'fiscal_year: 2024'),
    );
    copyFileSync(SEED_TXT, path.join(dir, '导出.txt'));
    const r = await runCli(['import', '导出.txt'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('取自 data/ 中同名部门已有的表');
    expect(existsSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'))).toBe(true);
  });

  it('no code given or known: the pinyin of the name, said in a note', async () => {
    const dir = scratch();
    copyFileSync(SEED_TXT, path.join(dir, '导出.txt'));
    const r = await runCli(['import', '导出.txt'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('部门代码 zhijiang-swkjgxj 取自部门名称的拼音（可用 --code 另行指定）');
    expect(allFiles(dir)).toEqual(['data', 'data/2025', 'data/2025/zhijiang-swkjgxj.yaml', '导出.txt']);
    noCrash(r);
  });

  it('a name without pinyin and no code given: exit 2, IMPORT_NO_CODE suggesting --code, nothing written', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, '导出.txt'), seedText().replace('芷江侗族自治县商务科技和工业和信息化局', '𠀾𠀾'));
    const r = await runCli(['import', '导出.txt'], dir);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/导出\.txt {2}error {2}IMPORT_NO_CODE {2}.*--code/);
    expect(allFiles(dir)).toEqual(['导出.txt']);
    noCrash(r);
  });

  it('no year line and no --year: exit 2 suggesting --year; --year fills it; a different --year is said', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 't.tsv'), seedText().replace('（2025）年度', ''));
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/IMPORT_NO_YEAR .*--year/);
    expect((await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj', '--year', '2025'], dir)).code).toBe(0);
    const other = await runCli(['import', SEED_TXT, '--code', 'zhijiang-swkjgxj', '--year', '2026'], dir);
    expect(other.out).toContain('IMPORT_YEAR_MISMATCH');
    expect(readFileSync(path.join(dir, 'data/2026/zhijiang-swkjgxj.yaml'), 'utf8')).toContain('fiscal_year: 2026\n');
  });

  it('bad --code and a missing FILE are usage errors (exit 2)', async () => {
    expect((await runCli(['import', SEED_TXT, '--code', 'Zhijiang_SWKJ'], scratch())).code).toBe(2);
    expect((await runCli(['import'], scratch())).code).toBe(2);
    expect((await runCli(['import', SEED_TXT, '--year', '25'], scratch())).code).toBe(2);
  });
});

describe('jxmb import: flaws and leftovers are shown where they are in the source', () => {
  it('text: file:line:col, and the leftover kept as a comment in the YAML', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 't.tsv'), seedText().replace(/^\n/, '附件2\n'));
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^t\.tsv:1:1 {2}warning {2}IMPORT_UNPLACED {2}“附件2”/m);
    const yaml = readFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), 'utf8');
    expect(yaml.split('\n').slice(0, 3)).toEqual([
      '# yaml-language-server: $schema=../../schema/department-targets.schema.json',
      '# jxmb import: 以下内容在表中没有对应的位置，原样保留在此，请核对 (content with no place in the form, from t.tsv):',
      '#   1:1  附件2',
    ]);
  });

  it('xlsx: file:Sheet!Cell', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'form.xlsx'), await officialXlsx(seedText(), { extra: [[12, 11, '见附件']] }));
    const r = await runCli(['import', 'form.xlsx', '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^form\.xlsx:Sheet1!K12 {2}warning {2}IMPORT_UNPLACED {2}“见附件”.*备注/m);
    // The YAML's findings name their cells too.
    expect(r.out).toMatch(/DUPLICATE_INDICATOR[^]*?源文件位置: form\.xlsx:Sheet1!D18\n/);
  });

  it('an imported table with errors is written, its errors shown, exit 1', async () => {
    const dir = scratch();
    writeFileSync(
      path.join(dir, 't.tsv'),
      seedText().replace(
        '按计划完成得2分，否则按实际值/计划值*指标分值计分。',
        '按计划完成得3分，否则按实际值/计划值*指标分值计分。',
      ),
    );
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /data\/2025\/zhijiang-swkjgxj\.yaml:\d+:\d+ {2}error {2}POINTS_TOTAL {2}各指标分值合计 91 分/,
    );
    expect(existsSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'))).toBe(true);
  });
});

describe('jxmb import: bad inputs are diagnostics, not crashes, and write nothing', () => {
  const bad: Array<[string, string | Uint8Array, string]> = [
    ['not a form', '姓名\t电话\n张三\t13700000000\n', 'IMPORT_NO_TITLE'],
    ['an empty file', '', 'IMPORT_EMPTY'],
    ['a binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), 'IMPORT_UNREADABLE'],
    ['a truncated xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3]), 'IMPORT_UNREADABLE'],
    ['a legacy .xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'IMPORT_UNREADABLE'],
  ];
  for (const [label, content, code] of bad) {
    it(`${label}: ${code}, exit 1`, async () => {
      const dir = scratch();
      writeFileSync(path.join(dir, 'input.xlsx'), content);
      const r = await runCli(['import', 'input.xlsx', '--code', 'x-y'], dir);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(new RegExp(`^input\\.xlsx {2}error {2}${code} {2}\\S`, 'm'));
      expect(allFiles(dir)).toEqual(['input.xlsx']);
      noCrash(r);
    });
  }

  it('a missing file: FILE_NOT_FOUND', async () => {
    const r = await runCli(['import', 'nope.xlsx', '--code', 'x-y'], scratch());
    expect(r.code).toBe(1);
    expect(r.out).toContain('FILE_NOT_FOUND');
  });

  it('GBK text is decoded as GB18030, said so, and gives the seed', async () => {
    const dir = scratch();
    const r = await runCli(
      ['import', path.join(FIXTURES, 'import-gbk/seed-2025-gbk.tsv'), '--code', 'zhijiang-swkjgxj'],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /seed-2025-gbk\.tsv {2}warning {2}IMPORT_ENCODING {2}文件不是 UTF-8 编码，已按 GB18030 \(GBK\) 解码/,
    );
    expect(readFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), 'utf8')).toBe(seedYaml());
  });

  it('English messages with --lang en', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'x.txt'), 'hello\n');
    const r = await runCli(['import', 'x.txt', '--lang', 'en'], dir);
    expect(r.out).toContain('no title "部门（单位）整体绩效目标表" found');
  });
});

describe('jxmb import --help', () => {
  it('usage text', async () => {
    const r = await runCli(['import', '--help']);
    expect(r.code).toBe(0);
    await expectGolden('usage/import.txt', r.out + '\n');
  });
});

describe('jxmb import: the check of the new YAML', () => {
  it('reports a character no bundled font has (GLYPH_MISSING) at its line, like validate does', async () => {
    const dir = scratch();
    const tsv = seedText().replace(
      '芷江侗族自治县商务科技和工业和信息化局',
      '芷江侗族自治县商务科技和工业和信息化局😀',
    );
    writeFileSync(path.join(dir, 'seed.txt'), tsv);
    const r = await runCli(['import', 'seed.txt', '--code', 'zhijiang-swkjgxj'], dir);
    noCrash(r);
    const yaml = readFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), 'utf8');
    const line = yaml.split('\n').findIndex((l) => l.includes('😀')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(r.out + r.err).toMatch(
      new RegExp(`zhijiang-swkjgxj\\.yaml:${line}:\\d+ {2}error {2}GLYPH_MISSING .*U\\+1F600`),
    );
  });
});
