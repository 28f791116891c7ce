/**
 * `jxmb import DIR|FILES…` end to end, in scratch projects: a folder of tables in, one YAML per form
 * out, codes derived from the names (collisions numbered and said), overrides from a codes file and the
 * settings, nothing overwritten without --force, nothing written in a dry run, and the report — files
 * needing a person first, as text or one JSON document. A file that fails does not stop the others.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCli, SEED_YAML, seedText } from '../helpers.ts';
import { collectSources } from '../../scripts/io/import-sources.ts';
import { officialXlsx } from './_exports.ts';

const REF_NAME = '芷江侗族自治县商务科技和工业和信息化局';

/** The reference export with another department's name, and another year line (null: none). */
const variant = (name: string, year?: number | null): string => {
  const text = seedText().replace(REF_NAME, name);
  if (year === null) return text.replace('（2025）年度', '');
  return year === undefined ? text : text.replace('（2025）年度', `（${year}）年度`);
};

/** A scratch project holding `files` (path → content). */
/** Deterministic bytes without structure (a linear congruential generator). */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, x = 12345; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jxmb-batch-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const allFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => !e.isDirectory())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort()
    : [];

/** Every file under a folder with a hash of its bytes: the tree, to compare before and after. */
const tree = (dir: string): Record<string, string> =>
  Object.fromEntries(
    allFiles(dir).map((f) => {
      const p = path.join(dir, f);
      let h = 'link';
      try {
        h = createHash('sha256').update(readFileSync(p)).digest('hex');
      } catch {
        // a dangling link
      }
      return [f, h];
    }),
  );

/** The report's head lines (one per file, then the totals): those not indented. */
const heads = (out: string): string[] => out.split('\n').filter((l) => l && !l.startsWith(' '));

const noCrash = (r: { out: string; err: string }): void => {
  expect(r.out + r.err).not.toMatch(/internal error|内部错误|\n\s+at /);
};

interface JsonReport {
  dryRun: boolean;
  files: Array<{
    source: string;
    forms: Array<{
      department: string;
      code: string | null;
      year: number | null;
      output: string | null;
      written: boolean;
      errors: number;
      warnings: number;
      diagnostics: Array<{ code: string; severity: string; where: string; message: string; source?: string }>;
    }>;
    errors: number;
    warnings: number;
    problem?: string;
    diagnostics: Array<{ code: string; severity: string; where: string; message: string }>;
  }>;
  totals: { files: number; forms: number; written: number; errors: number; warnings: number; failed: number };
}

/** A folder as a bureau hands it over: nested, with Office's lock files, hidden files and one bad file. */
async function bureau(): Promise<string> {
  return project({
    'in/a.tsv': seedText(),
    'in/sub/b.txt': variant('芷江侗族自治县财政局'),
    'in/c.xlsx': await officialXlsx(variant('长沙市市场监督管理局')),
    'in/bad.csv': '姓名\t电话\n张三\t13700000000\n',
    'in/~$c.xlsx': 'an Office lock file',
    'in/.hidden.tsv': seedText(),
    'in/.git/x.tsv': seedText(),
    'in/readme.md': '# not a table',
  });
}

describe('jxmb import DIR: a folder of tables', () => {
  it('one YAML per form, codes from the names; the bad file first in the report, the others written', async () => {
    const dir = await bureau();
    const r = await runCli(['import', 'in'], dir);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(allFiles(path.join(dir, 'data'))).toEqual([
      '2025/changsha-sjj.yaml',
      '2025/zhijiang-czj.yaml',
      '2025/zhijiang-swkjgxj.yaml',
    ]);
    // The reference comes back byte for byte; the others carry their own name and code.
    expect(readFileSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'), 'utf8')).toBe(
      readFileSync(SEED_YAML, 'utf8'),
    );
    const czj = readFileSync(path.join(dir, 'data/2025/zhijiang-czj.yaml'), 'utf8');
    expect(czj).toContain('  code: zhijiang-czj\n  name: 芷江侗族自治县财政局\n');
    expect(readFileSync(path.join(dir, 'data/2025/changsha-sjj.yaml'), 'utf8')).toContain('  code: changsha-sjj\n');
    // Hidden files, lock files and other extensions are not looked at.
    expect(r.out).not.toMatch(/hidden|~\$|readme|\.git/);
    const h = heads(r.out);
    expect(h[0]).toBe(
      '失败  in/bad.csv  没有找到表名“部门（单位）整体绩效目标表”；这不像是一张部门整体绩效目标表，请确认文件',
    );
    expect(h.slice(1, 4).sort()).toEqual([
      '有警告  in/a.tsv  1 张表；0 个错误，3 个警告',
      '有警告  in/c.xlsx  1 张表；0 个错误，3 个警告',
      '有警告  in/sub/b.txt  1 张表；0 个错误，3 个警告',
    ]);
    expect(h[4]).toBe('共 4 个文件、3 张表：写入 3 个 YAML；1 个错误，9 个警告；1 个文件未能导入');
    expect(r.out).toContain('  芷江侗族自治县财政局 2025  → data/2025/zhijiang-czj.yaml  0 个错误，3 个警告');
    // No progress bar where stderr is not a terminal.
    expect(r.err).toBe('');
  });

  it('several paths at once; data/ and out/ below a searched folder are not searched', async () => {
    const dir = project({
      'a.tsv': seedText(),
      'more/b.tsv': variant('芷江侗族自治县财政局'),
      'out/2025/old.xlsx': await officialXlsx(variant('芷江侗族自治县教育局')),
      'data/2025/stray.txt': variant('芷江侗族自治县卫生健康局'),
    });
    const r = await runCli(['import', 'a.tsv', '.', '--lang', 'en'], dir);
    expect(r.code).toBe(0);
    // a.tsv is given twice (by name and in the folder): imported once.
    expect(heads(r.out)).toEqual([
      'WARNINGS  a.tsv  1 form; 0 errors, 3 warnings',
      'WARNINGS  more/b.tsv  1 form; 0 errors, 3 warnings',
      '2 files, 2 forms: 2 YAML written; 0 errors, 6 warnings; 0 not imported',
      'Each file’s warnings in full: jxmb import FILE --dry-run',
    ]);
  });

  it('a folder is searched for every format a bureau keeps tables in', async () => {
    const names = ['a.xlsx', 'b.xlsm', 'c.xls', 'd.et', 'e.ods', 'f.docx', 'g.doc', 'h.wps', 'i.odt', 'j.csv'].concat([
      'k.tsv',
      'l.txt',
      'm.htm',
      'n.HTML',
      'o.pdf',
      'p.png',
      'q.xml',
      '~$a.xlsx',
      '.hidden.xlsx',
    ]);
    const dir = project(Object.fromEntries(names.map((n) => [`in/${n}`, 'x'])));
    const found = await collectSources(['in'], dir, []);
    expect(found.map((f) => path.basename(f.abs))).toEqual(names.slice(0, 14));
  });

  it('a file that fails does not stop the others: empty, truncated, a link out of the folder', async () => {
    const outside = project({ 'secret.tsv': seedText() });
    const dir = project({
      'in/1-empty.tsv': '',
      'in/2-broken.xlsx': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3]),
      'in/4-good.tsv': variant('芷江侗族自治县财政局'),
      // 3 MB of noise named .xls: binary, said as such (not "text over the size limit").
      'in/5-noise.xls': noise(3 * 1024 * 1024),
    });
    symlinkSync(path.join(outside, 'secret.tsv'), path.join(dir, 'in/3-link.tsv'));
    const r = await runCli(['import', 'in', '--format', 'json'], dir);
    noCrash(r);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.files.map((f) => [f.source, f.diagnostics.map((d) => d.code), f.forms.length])).toEqual([
      ['in/1-empty.tsv', ['IMPORT_EMPTY'], 0],
      ['in/2-broken.xlsx', ['IMPORT_UNREADABLE'], 0],
      ['in/3-link.tsv', ['FILE_OUTSIDE_PROJECT'], 0],
      ['in/5-noise.xls', ['IMPORT_UNREADABLE'], 0],
      ['in/4-good.tsv', [], 1],
    ]);
    expect(report.files[3]!.problem).toContain('二进制数据');
    expect(report.files[2]!.problem).toContain('in/3-link.tsv 是指向项目之外');
    expect(report.files[4]!.forms[0]!.written).toBe(true);
    expect(allFiles(path.join(dir, 'data'))).toEqual(['2025/zhijiang-czj.yaml']);
  });

  it('a form without a year is an error of its own; --year gives every form one', async () => {
    const dir = project({ 'in/a.tsv': seedText(), 'in/b.tsv': variant('芷江侗族自治县财政局', null) });
    const r = await runCli(['import', 'in', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as JsonReport;
    const b = report.files[0]!;
    expect([b.source, b.forms[0]!.year, b.forms[0]!.code, b.forms[0]!.output, b.forms[0]!.written]).toEqual([
      'in/b.tsv',
      null,
      null,
      null,
      false,
    ]);
    expect(b.forms[0]!.diagnostics.map((d) => [d.code, d.severity, d.where])).toEqual([
      ['IMPORT_NO_YEAR', 'error', 'in/b.tsv'],
    ]);
    expect(allFiles(path.join(dir, 'data'))).toEqual(['2025/zhijiang-swkjgxj.yaml']);
    const all = await runCli(['import', 'in', '--year', '2026'], dir);
    expect(all.code).toBe(0);
    expect(allFiles(path.join(dir, 'data/2026'))).toEqual(['zhijiang-czj.yaml', 'zhijiang-swkjgxj.yaml']);
  });
});

describe('jxmb import DIR: --dry-run and --force', () => {
  it('--dry-run writes nothing, and reports what would be written', async () => {
    const dir = await bureau();
    const before = tree(dir);
    const r = await runCli(['import', 'in', '--dry-run'], dir);
    expect(r.code).toBe(1);
    expect(tree(dir)).toEqual(before);
    expect(r.out).toContain(
      '  芷江侗族自治县财政局 2025  → data/2025/zhijiang-czj.yaml（试运行，未写入）  0 个错误，3 个警告',
    );
    expect(heads(r.out)).toContain(
      '共 4 个文件、3 张表：试运行，将写入 3 个 YAML；1 个错误，9 个警告；1 个文件未能导入',
    );
    const json = JSON.parse((await runCli(['import', 'in', '--dry-run', '--format', 'json'], dir)).out) as JsonReport;
    expect(tree(dir)).toEqual(before);
    expect(json.dryRun).toBe(true);
    const outputs = json.files.flatMap((f) => f.forms.map((x) => [x.output, x.written]));
    expect(outputs.sort()).toEqual([
      ['data/2025/changsha-sjj.yaml', false],
      ['data/2025/zhijiang-czj.yaml', false],
      ['data/2025/zhijiang-swkjgxj.yaml', false],
    ]);
    expect(json.totals).toEqual({ files: 4, forms: 3, written: 0, planned: 3, errors: 1, warnings: 9, failed: 1 });
  });

  it('never overwrites without --force: that file is reported, the others written; --force overwrites', async () => {
    const dir = project({
      'in/a.tsv': seedText(),
      'in/b.tsv': variant('芷江侗族自治县财政局'),
      'data/2025/zhijiang-czj.yaml': '# edited by hand\n',
    });
    const r = await runCli(['import', 'in'], dir);
    expect(r.code).toBe(1);
    expect(readFileSync(path.join(dir, 'data/2025/zhijiang-czj.yaml'), 'utf8')).toBe('# edited by hand\n');
    expect(existsSync(path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml'))).toBe(true);
    expect(heads(r.out).slice(0, 2)).toEqual([
      '有错误  in/b.tsv  1 张表；1 个错误，0 个警告',
      '有警告  in/a.tsv  1 张表；0 个错误，3 个警告',
    ]);
    expect(r.out).toContain(
      '    in/b.tsv  error  IMPORT_FILE_EXISTS  data/2025/zhijiang-czj.yaml 已存在；加 --force 覆盖，或用 --out 写到别处',
    );
    // A dry run says the same: it would not be written.
    expect((await runCli(['import', 'in', '--dry-run'], dir)).out).toContain('IMPORT_FILE_EXISTS');
    const forced = await runCli(['import', 'in', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'data/2025/zhijiang-czj.yaml'), 'utf8')).toContain('name: 芷江侗族自治县财政局');
    expect(allFiles(path.join(dir, 'data'))).toEqual(['2025/zhijiang-czj.yaml', '2025/zhijiang-swkjgxj.yaml']);
  });

  it('--out DIR puts <year>/<code>.yaml there instead of data/', async () => {
    const dir = project({ 'in/a.tsv': seedText() });
    const r = await runCli(['import', 'in', '--out', 'imported'], dir);
    expect(r.code).toBe(0);
    expect(allFiles(path.join(dir, 'imported'))).toEqual(['2025/zhijiang-swkjgxj.yaml']);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });
});

describe('jxmb import: codes', () => {
  it('two departments with one derived code: -2, said at the second; the same department keeps its code', async () => {
    const dir = project({
      'in/a.tsv': variant('长沙市财政局'),
      'in/b.tsv': variant('长沙县财政局'),
      'in/c.tsv': variant('长沙市财政局', 2026),
    });
    const r = await runCli(['import', 'in', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as JsonReport;
    const forms = Object.fromEntries(report.files.map((f) => [f.source, f.forms[0]!]));
    expect([forms['in/a.tsv']!.code, forms['in/b.tsv']!.code, forms['in/c.tsv']!.code]).toEqual([
      'changsha-czj',
      'changsha-czj-2',
      'changsha-czj',
    ]);
    const collision = forms['in/b.tsv']!.diagnostics.find((d) => d.code === 'IMPORT_CODE_COLLISION')!;
    expect([collision.severity, collision.where]).toEqual(['warning', 'in/b.tsv']);
    expect(collision.message).toBe(
      '由名称推得的部门代码 changsha-czj 已属于“长沙市财政局”（in/a.tsv），这张表改用 changsha-czj-2；' +
        '如需另定，请在 jxmb.settings.yaml 的 import.codes 或 --codes 文件中写明 “长沙县财政局: 代码”',
    );
    expect(allFiles(path.join(dir, 'data'))).toEqual([
      '2025/changsha-czj-2.yaml',
      '2025/changsha-czj.yaml',
      '2026/changsha-czj.yaml',
    ]);
  });

  it('a code held in data/ by another department is not taken; one held by the same department is kept', async () => {
    const seed = readFileSync(SEED_YAML, 'utf8');
    const as = (name: string, code: string): string =>
      seed
        .replace(REF_NAME, name)
        .replace('code: zhijiang-swkjgxj', `code: ${code}`)
        .replace('fiscal_year: 2025', 'fiscal_year: 2024');
    const dir = project({
      'data/2024/zhijiang-czj.yaml': as('芷江侗族自治县城市综合执法局', 'zhijiang-czj'),
      'data/2024/zj-caizheng.yaml': as('芷江侗族自治县财政局', 'zj-caizheng'),
      'in/a.tsv': variant('芷江侗族自治县财政局'),
      'in/b.tsv': variant('芷江侗族自治县城建局'),
    });
    const r = await runCli(['import', 'in', '--format', 'json'], dir);
    const report = JSON.parse(r.out) as JsonReport;
    const codes = report.files.map((f) => [
      f.source,
      f.forms[0]!.code,
      f.forms[0]!.diagnostics.some((d) => d.code === 'IMPORT_CODE_COLLISION'),
    ]);
    expect(codes).toEqual([
      ['in/a.tsv', 'zj-caizheng', false],
      ['in/b.tsv', 'zhijiang-cjj', false],
    ]);
    // 芷江县财政局 is another name: its derived code is held in data/ by another department.
    writeFileSync(path.join(dir, 'in/c.tsv'), variant('芷江县财政局'));
    const again = JSON.parse(
      (await runCli(['import', 'in/c.tsv', 'in/a.tsv', '--format', 'json', '--force'], dir)).out,
    ) as JsonReport;
    const c = again.files.find((f) => f.source === 'in/c.tsv')!.forms[0]!;
    expect(c.code).toBe('zhijiang-czj-2');
    expect(c.diagnostics.find((d) => d.code === 'IMPORT_CODE_COLLISION')!.message).toContain(
      '已属于“芷江侗族自治县城市综合执法局”（data/2024/zhijiang-czj.yaml）',
    );
  });

  it('--codes FILE (CSV or YAML) and the settings’ import.codes override the derived code; the file wins', async () => {
    const dir = project({
      'in/a.tsv': variant('芷江侗族自治县财政局'),
      'in/b.tsv': variant('芷江侗族自治县教育局'),
      'codes.csv': '部门名称,代码\n芷江侗族自治县财政局,zj-czj-file\n',
      'codes.yaml': '芷江侗族自治县教育局: zj-jyj-yaml\n',
      'jxmb.settings.yaml':
        'import:\n  codes:\n    芷江侗族自治县财政局: zj-czj-settings\n    芷江侗族自治县教育局: zj-jyj-settings\n',
    });
    const codesOf = async (extra: string[]): Promise<string[]> => {
      const r = await runCli(['import', 'in', '--dry-run', '--format', 'json', ...extra], dir);
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as JsonReport).files.map((f) => f.forms[0]!.code!);
    };
    expect(await codesOf([])).toEqual(['zj-czj-settings', 'zj-jyj-settings']);
    expect(await codesOf(['--codes', 'codes.csv'])).toEqual(['zj-czj-file', 'zj-jyj-settings']);
    expect(await codesOf(['--codes', 'codes.yaml'])).toEqual(['zj-czj-settings', 'zj-jyj-yaml']);
  });

  it('a codes file with a bad line, or none at all, is a usage error naming it (exit 2)', async () => {
    const dir = project({ 'in/a.tsv': seedText(), 'codes.csv': '甲局,jia\n乙局,Bad_Code\n' });
    const bad = await runCli(['import', 'in', '--codes', 'codes.csv'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('  codes.csv:2  乙局 → Bad_Code');
    const missing = await runCli(['import', 'in', '--codes', 'nope.csv'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('找不到文件 nope.csv');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('the same department and year twice: the second is not written, and says where the first is', async () => {
    const dir = project({ 'in/a.tsv': seedText(), 'in/copy.tsv': seedText() });
    const r = await runCli(['import', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '    in/copy.tsv  error  IMPORT_DUPLICATE_FORM  与 in/a.tsv 中的表是同一部门、同一年度，' +
        '都要写入 data/2025/zhijiang-swkjgxj.yaml；这一张没有写入，请删去重复的文件，或核对两张表的部门名称和年度',
    );
  });
});

describe('jxmb import FILE: several forms in one file', () => {
  /** A workbook with one department per sheet. */
  async function twoSheets(): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await officialXlsx(variant('芷江侗族自治县财政局'), { sheet: '财政局' })) as never);
    const ws = wb.addWorksheet('教育局');
    variant('芷江侗族自治县教育局')
      .split('\n')
      .forEach((line, i) =>
        line.split('\t').forEach((text, j) => {
          if (text) ws.getCell(i + 1, j + 1).value = text;
        }),
      );
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it('one YAML per form, each code from its name', async () => {
    const dir = project({ 'two.xlsx': await twoSheets() });
    const r = await runCli(['import', 'two.xlsx', '--format', 'json'], dir);
    noCrash(r);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.files[0]!.forms.map((f) => [f.department, f.code, f.output, f.written])).toEqual([
      ['芷江侗族自治县财政局', 'zhijiang-czj', 'data/2025/zhijiang-czj.yaml', true],
      ['芷江侗族自治县教育局', 'zhijiang-jyj', 'data/2025/zhijiang-jyj.yaml', true],
    ]);
    expect(allFiles(path.join(dir, 'data'))).toEqual(['2025/zhijiang-czj.yaml', '2025/zhijiang-jyj.yaml']);
    // As text too: the report, not the one-form output.
    const text = await runCli(['import', 'two.xlsx', '--dry-run'], project({ 'two.xlsx': await twoSheets() }));
    expect(heads(text.out)[0]).toBe('有警告  two.xlsx  2 张表；0 个错误，6 个警告');
  });

  it('--code names one form only: refused for a file with two, nothing written', async () => {
    const dir = project({ 'two.xlsx': await twoSheets() });
    const r = await runCli(['import', 'two.xlsx', '--code', 'x-y'], dir);
    expect(r.code).toBe(1);
    expect(r.out.match(/IMPORT_SEVERAL_FORMS/g)).toHaveLength(2);
    expect(r.out).toContain('文件中有 2 张绩效目标表，而 --code 只能用于一张表，没有写入');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });
});

describe('jxmb import FILE: one form keeps the one-file output', () => {
  it('--dry-run writes nothing and says what it would write', async () => {
    const dir = project({ 't.tsv': seedText() });
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj', '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^将写入 data\/2025\/zhijiang-swkjgxj\.yaml（试运行，未写入）：\d+ 个指标；检查结果 0 个错误，3 个警告$/m,
    );
    expect(allFiles(dir)).toEqual(['t.tsv']);
  });

  it('--format json: the report of one file, the code by the one-file rules', async () => {
    const dir = project({ 't.tsv': seedText() });
    const r = await runCli(['import', 't.tsv', '--code', 'zhijiang-swkjgxj', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as JsonReport;
    expect(Object.keys(report)).toEqual(['dryRun', 'files', 'totals']);
    expect(Object.keys(report.files[0]!)).toEqual(['source', 'forms', 'errors', 'warnings', 'diagnostics']);
    const form = report.files[0]!.forms[0]!;
    expect(Object.keys(form)).toEqual([
      'department',
      'code',
      'year',
      'output',
      'written',
      'blocked',
      'errors',
      'warnings',
      'diagnostics',
    ]);
    expect([form.department, form.code, form.year, form.output, form.written, form.errors, form.warnings]).toEqual([
      REF_NAME,
      'zhijiang-swkjgxj',
      2025,
      'data/2025/zhijiang-swkjgxj.yaml',
      true,
      0,
      3,
    ]);
    const dup = form.diagnostics.find((d) => d.code === 'DUPLICATE_INDICATOR')!;
    expect(dup.severity).toBe('warning');
    expect(dup.where).toMatch(/^data\/2025\/zhijiang-swkjgxj\.yaml:\d+:\d+$/);
    expect(dup.source).toMatch(/^t\.tsv:\d+:\d+$/);
    expect(report.totals).toEqual({ files: 1, forms: 1, written: 1, planned: 1, errors: 0, warnings: 3, failed: 0 });
    // Without --code, as without --format json: the code from the name's pinyin; none from a name without.
    const named = await runCli(['import', '导出.tsv', '--format', 'json'], project({ '导出.tsv': seedText() }));
    expect((JSON.parse(named.out) as JsonReport).files[0]!.forms[0]!.code).toBe('zhijiang-swkjgxj');
    const odd = seedText().replace(REF_NAME, '𠀾');
    const none = await runCli(['import', '导出.tsv', '--format', 'json'], project({ '导出.tsv': odd }));
    const only = (JSON.parse(none.out) as JsonReport).files[0]!.forms[0]!;
    expect(only.diagnostics.map((d) => d.code)).toEqual(['IMPORT_NO_CODE']);
    expect(only.diagnostics[0]!.message).toContain('--code');
  });
});

describe('jxmb import: usage', () => {
  const cases: Array<[string, string[]]> = [
    ['--code with a folder', ['in', '--code', 'x-y']],
    ['--out FILE with a folder', ['in', '--out', 'x.yaml']],
    ['--out - with two files', ['in/a.tsv', 'in/b.tsv', '--out', '-']],
    ['an unknown --format', ['in', '--format', 'xml']],
    ['--format json with --out -', ['in/a.tsv', '--format', 'json', '--out', '-']],
  ];
  for (const [label, argv] of cases) {
    it(`${label}: exit 2, nothing written`, async () => {
      const dir = project({ 'in/a.tsv': seedText(), 'in/b.tsv': seedText() });
      const r = await runCli(['import', ...argv], dir);
      expect(r.code).toBe(2);
      expect(allFiles(dir)).toEqual(['in/a.tsv', 'in/b.tsv']);
    });
  }

  it('a folder without tables: said, exit 1', async () => {
    const dir = project({ 'in/readme.md': 'nothing here' });
    const r = await runCli(['import', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('没有找到可导入的表格文件');
  });
});
