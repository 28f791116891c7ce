/**
 * Department codes from names (scripts/import/codes.ts), the order the sources of a code are tried in
 * (import-plan.ts), and the batch report's pure parts (import-report.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  CodeBook,
  codeFromName,
  MAX_CODE_LENGTH,
  numberedCode,
  parseCodesFile,
  splitName,
  usableCode,
} from '../../scripts/import/codes.ts';
import { chooseCode, codesByName } from '../../scripts/import/import-plan.ts';
import {
  type FileResult,
  fileResult,
  formResult,
  progressLine,
  type ReportedDiagnostic,
  reportText,
  sortResults,
  totals,
} from '../../scripts/import/import-report.ts';

describe('codeFromName', () => {
  it('the reference: 芷江侗族自治县商务科技和工业和信息化局 → zhijiang-swkjgxj', () => {
    expect(splitName('芷江侗族自治县商务科技和工业和信息化局')).toEqual({ place: '芷江', rest: '商务科技工信局' });
    expect(codeFromName('芷江侗族自治县商务科技和工业和信息化局')).toBe('zhijiang-swkjgxj');
  });

  const names: Array<[string, string]> = [
    // Polyphones read by word: 长沙 chang, 重庆 chong, 银行 hang, 行政 xing.
    ['长沙市市场监督管理局', 'changsha-sjj'],
    ['重庆市发展和改革委员会', 'chongqing-fgwyh'],
    ['重庆市长寿区财政局', 'changshou-czj'],
    ['长沙县农商银行', 'changsha-nsyh'],
    ['中国人民银行长沙中心支行', 'zgrmyhcszxzh'],
    ['芷江侗族自治县行政审批服务局', 'zhijiang-xzspfwj'],
    // The nearest place wins; 省 and 市 above it go.
    ['湖南省怀化市芷江侗族自治县人力资源和社会保障局', 'zhijiang-rsj'],
    ['芷江县住房和城乡建设局', 'zhijiang-zjj'],
    ['湘西土家族苗族自治州卫生健康委员会', 'xiangxi-wjwyh'],
    ['积石山保安族东乡族撒拉族自治县教育局', 'jishishan-jyj'],
    ['广西壮族自治区财政厅', 'guangxi-czt'],
    ['单县财政局', 'dan-czj'],
    // Districts ending in 城区 are places.
    ['怀化市鹤城区财政局', 'hecheng-czj'],
    ['北京市西城区教育委员会', 'xicheng-jywyh'],
    // Not places: 工业园区, 城市.
    ['芷江侗族自治县工业园区管理委员会', 'zhijiang-gyyqglwyh'],
    ['城市管理和综合执法局', 'csglzhzfj'],
    ['中共芷江侗族自治县委员会组织部', 'zhijiang-zgwyhzzb'],
    // A bracketed alias goes; full-width letters and digits are folded and kept whole.
    ['芷江侗族自治县商务局（知识产权局）', 'zhijiang-swj'],
    ['芷江县５Ｇ办', 'zhijiang-5gb'],
    ['芷江侗族自治县退役军人事务局', 'zhijiang-tyjrj'],
    ['芷江侗族自治县', 'zhijiang'],
  ];
  for (const [name, code] of names) {
    it(`${name} → ${code}`, () => {
      expect(codeFromName(name)).toBe(code);
      expect(usableCode(code)).toBe(true);
    });
  }

  it('rare characters: one with a reading (㽏 gan) gives its initial, one without (𠀾) is dropped', () => {
    expect(codeFromName('㽏𠀾局')).toBe('gj');
    expect(codeFromName('芷江县𠀾局')).toBe('zhijiang-j');
    expect(codeFromName('𠀾')).toBeUndefined();
    expect(codeFromName('')).toBeUndefined();
    // Digits alone are a number, not a code.
    expect(codeFromName('2025')).toBeUndefined();
  });

  it('invisible characters and spaces change nothing; the code is deterministic', () => {
    const a = codeFromName('芷江侗族自治县\u3000商务科技和工业和信息化局\u200b');
    expect(a).toBe('zhijiang-swkjgxj');
    expect(codeFromName('芷江侗族自治县商务科技和工业和信息化局')).toBe(a);
  });

  it('a long name is cut to 64 characters, still a usable code', () => {
    const code = codeFromName(`芷江侗族自治县${'商务科技'.repeat(30)}局`)!;
    expect(code.length).toBe(MAX_CODE_LENGTH);
    expect(usableCode(code)).toBe(true);
    expect(code.startsWith('zhijiang-swkj')).toBe(true);
  });

  it('a bureau’s own short form is one entry in the table', () => {
    expect(codeFromName('芷江县农业农村局')).toBe('zhijiang-nyncj');
    expect(codeFromName('芷江县农业农村局', { 农业农村: '农业' })).toBe('zhijiang-nyj');
  });

  it('numbered codes stay within 64 characters', () => {
    expect(numberedCode('changsha-czj', 2)).toBe('changsha-czj-2');
    const long = 'a'.repeat(64);
    expect(numberedCode(long, 12)).toBe(`${'a'.repeat(61)}-12`);
  });
});

describe('CodeBook: collisions', () => {
  it('a derived code another department holds gets -2, -3; the same department keeps its code', () => {
    const book = new CodeBook();
    book.addExisting('changsha-czj', '长沙市财政局', 'data/2024/changsha-czj.yaml');
    expect(book.codeOf('长沙市财政局')).toEqual({ code: 'changsha-czj', inRun: false });
    expect(book.claim('长沙县财政局', 'changsha-czj', 'b.tsv', true)).toEqual({
      code: 'changsha-czj-2',
      collidedWith: { name: '长沙市财政局', where: 'data/2024/changsha-czj.yaml', code: 'changsha-czj' },
    });
    expect(book.claim('长沙高新区财政局', 'changsha-czj', 'c.tsv', true).code).toBe('changsha-czj-3');
    // The same department, spelt with a full-width space: no collision.
    expect(book.claim('长沙市\u3000财政局', 'changsha-czj', 'd.tsv', true)).toEqual({ code: 'changsha-czj' });
    expect(book.codeOf('长沙县财政局')).toEqual({ code: 'changsha-czj-2', inRun: true });
  });

  it('a code given explicitly is not renumbered', () => {
    const book = new CodeBook();
    book.addExisting('x-y', '甲局', 'data/2024/x-y.yaml');
    expect(book.claim('乙局', 'x-y', 'a.tsv', false)).toEqual({ code: 'x-y' });
  });

  it('a department with two codes in data/ has none to reuse', () => {
    const book = new CodeBook();
    book.addExisting('a-b', '甲局', 'data/2024/a-b.yaml');
    book.addExisting('a-c', '甲局', 'data/2025/a-c.yaml');
    expect(book.codeOf('甲局')).toBeUndefined();
  });
});

describe('chooseCode: the order of the sources', () => {
  const base = { name: '芷江侗族自治县财政局', where: 'a.tsv', fromName: true };
  const maps = {
    codesFile: codesByName({ '芷江侗族自治县 财政局': 'from-file' }),
    settingsCodes: codesByName({ 芷江侗族自治县财政局: 'from-settings' }),
  };
  it('--code, --out, codes file, settings, keywords, data/, pinyin', () => {
    const pick = (i: Partial<Parameters<typeof chooseCode>[0]>, book = new CodeBook()): [string, string] => {
      const c = chooseCode({ ...base, ...i }, book)!;
      return [c.from, c.code];
    };
    const all = { ...maps, option: 'opt-a', outStem: 'out-a', keywords: '绩效, 2025年度, kw-a' };
    expect(pick(all)).toEqual(['option', 'opt-a']);
    expect(pick({ ...all, option: undefined })).toEqual(['out', 'out-a']);
    expect(pick({ ...maps, keywords: 'kw-a' })).toEqual(['codes-file', 'from-file']);
    expect(pick({ settingsCodes: maps.settingsCodes, keywords: 'kw-a' })).toEqual(['settings', 'from-settings']);
    const known = (): CodeBook => {
      const book = new CodeBook();
      book.addExisting('zhijiang-cz', '芷江侗族自治县财政局', 'data/2024/zhijiang-cz.yaml');
      return book;
    };
    expect(pick({ keywords: 'kw-a' }, known())).toEqual(['keywords', 'kw-a']);
    expect(pick({}, known())).toEqual(['data', 'zhijiang-cz']);
    // The same department earlier in this run.
    const run = known();
    run.claim('芷江侗族自治县财政局', 'kw-a', 'a.xlsx', false);
    expect(pick({}, run)).toEqual(['run', 'kw-a']);
    expect(pick({})).toEqual(['name', 'zhijiang-czj']);
    // The one-file rules: a file name that is a code, before the pinyin; in a batch never the file name.
    expect(pick({ fromName: false, fileStem: 'CZJ' })).toEqual(['file-name', 'czj']);
    expect(pick({ fromName: false, fileStem: '导出' })).toEqual(['name', 'zhijiang-czj']);
    expect(pick({ fromName: true, fileStem: 'CZJ' })).toEqual(['name', 'zhijiang-czj']);
    expect(chooseCode({ ...base, name: '𠀾', fromName: false, fileStem: '导出' }, new CodeBook())).toBeUndefined();
  });
});

describe('parseCodesFile', () => {
  it('YAML: a mapping, or one under codes: / import.codes', () => {
    const want = new Map([['芷江侗族自治县财政局', 'zj-cz']]);
    expect(parseCodesFile('芷江侗族自治县财政局: zj-cz\n', 'c.yaml')).toEqual({ codes: want, problems: [] });
    expect(parseCodesFile('codes:\n  芷江侗族自治县财政局: zj-cz\n', 'c.yml').codes).toEqual(want);
    expect(parseCodesFile('import:\n  codes:\n    芷江侗族自治县财政局: zj-cz\n', 'c.yaml').codes).toEqual(want);
  });

  it('CSV and TSV, a header and blank lines skipped, full-width comma accepted', () => {
    const csv = '\uFEFF名称,代码\n芷江侗族自治县财政局,zj-cz\n\n长沙市财政局，cs-cz\n';
    expect(parseCodesFile(csv, 'c.csv')).toEqual({
      codes: new Map([
        ['芷江侗族自治县财政局', 'zj-cz'],
        ['长沙市财政局', 'cs-cz'],
      ]),
      problems: [],
    });
    expect(parseCodesFile('name\tcode\r\n甲局\tjia-ju\r\n', 'c.tsv').codes).toEqual(new Map([['甲局', 'jia-ju']]));
  });

  it('bad lines come back with their line numbers', () => {
    const r = parseCodesFile('甲局,jia\n乙局,Bad_Code\n丙局\n丁局,2025\n', 'c.csv');
    expect(r.codes).toEqual(new Map([['甲局', 'jia']]));
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(parseCodesFile('甲局: jia\na: b: c\n', 'c.yaml').problems.map((p) => p.line)).toEqual([2]);
    expect(parseCodesFile('乙局: Bad\n', 'c.yaml').problems).toEqual([{ line: 1, text: '乙局 → Bad' }]);
  });
});

describe('the report', () => {
  const d = (severity: 'error' | 'warning', where = 'x'): ReportedDiagnostic => ({
    code: severity === 'error' ? 'IMPORT_NO_YEAR' : 'IMPORT_UNPLACED',
    severity,
    where,
    message: 'm',
  });
  const form = (ds: ReportedDiagnostic[], output: string | null = 'data/2025/a.yaml'): ReturnType<typeof formResult> =>
    formResult({
      ...{ department: '甲局', code: 'a', year: 2025, output, written: output !== null },
      ...{ blocked: output === null, diagnostics: ds },
    });
  const files: FileResult[] = [
    fileResult('d-clean.tsv', [], [form([])]),
    fileResult('c-warn.tsv', [], [form([d('warning')])]),
    fileResult('b-error.tsv', [], [form([d('warning'), d('error')], null)]),
    fileResult('a-failed.xlsx', [{ ...d('error'), code: 'IMPORT_UNREADABLE', message: '坏了' }], []),
    fileResult('a-error.tsv', [], [form([d('error')], null)]),
  ];

  it('files needing a person first: failed, errors, warnings, clean; by path within each', () => {
    expect(sortResults(files).map((f) => f.source)).toEqual([
      'a-failed.xlsx',
      'a-error.tsv',
      'b-error.tsv',
      'c-warn.tsv',
      'd-clean.tsv',
    ]);
    expect(totals(files)).toEqual({ files: 5, forms: 4, written: 2, planned: 2, errors: 3, warnings: 2, failed: 1 });
    expect(files[3]!.problem).toBe('坏了');
  });

  it('text: one head line per file in that order, then the totals', () => {
    const lines = reportText(files, { lang: 'zh', color: false, dryRun: false });
    expect(lines.filter((l) => !l.startsWith(' '))).toEqual([
      '失败  a-failed.xlsx  坏了',
      '有错误  a-error.tsv  1 张表；1 个错误，0 个警告',
      '有错误  b-error.tsv  1 张表；1 个错误，1 个警告',
      '有警告  c-warn.tsv  1 张表；0 个错误，1 个警告',
      '通过  d-clean.tsv  1 张表；0 个错误，0 个警告',
      '共 5 个文件、4 张表：写入 2 个 YAML；3 个错误，2 个警告；1 个文件未能导入',
      '某个文件的全部警告：jxmb import 文件 --dry-run',
    ]);
    expect(lines).toContain('    x  error  IMPORT_NO_YEAR  m');
  });

  it('a progress line fits its width, keeping the end of a long path', () => {
    expect(progressLine(5, 10, 'a.tsv', 80)).toBe('[==========          ] 5/10 a.tsv');
    const long = progressLine(1, 3, `各单位/${'很长的文件名'.repeat(20)}.xlsx`, 60);
    expect(long.startsWith('[=======             ] 1/3 …')).toBe(true);
    expect(long.endsWith('文件名.xlsx')).toBe(true);
    const cols = [...long].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    expect(cols).toBeLessThanOrEqual(60);
  });
});
