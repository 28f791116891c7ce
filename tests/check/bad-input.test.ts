/**
 * Bad input: every case is a clear diagnostic at the right line:col, never an exception.
 * Each case mutates the real seed file, so the surrounding document is realistic.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const SEED_WARNINGS = ['17:74 YEAR_IN_TEXT', '78:11 DUPLICATE_INDICATOR', '104:12 DEADLINE_AFTER_YEAR'];

/** Replaces exactly one occurrence (the first) and fails loudly if the fixture text drifted. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return out;
}

function check(text: string | Uint8Array, dataPath = '2025/zhijiang-swkjgxj.yaml') {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const r = checkFile('x.yaml', bytes, { settings: DEFAULT_SETTINGS, dataPath });
  const located = r.diagnostics.map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, 'zh'));
  return {
    ...r,
    located,
    codes: located.map((d) => `${d.line}:${d.column} ${d.code}`),
    errors: located.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}`),
  };
}

describe('the seed', () => {
  it('passes with exactly the warnings FORM.md lists', () => {
    const r = check(seed);
    expect(r.codes).toEqual(SEED_WARNINGS);
    expect(r.located.every((d) => d.severity === 'warning')).toBe(true);
    expect(r.model).toBeDefined();
  });
});

describe('YAML syntax and encoding', () => {
  it('unquoted >= explains YAML folded blocks', () => {
    const r = check(edit(seed, 'type: ≥', 'type: >='));
    expect(r.errors).toEqual(['23:11 UNQUOTED_COMPARATOR']);
    expect(r.located.find((d) => d.code === 'UNQUOTED_COMPARATOR')!.message).toContain('type: ">="');
  });
  it('after an unquoted >= the rest of the file is still checked', () => {
    const t = edit(edit(seed, 'type: ≥', 'type: >='), 'unit: 人次', 'uint: 人次');
    expect(check(t).errors).toEqual(['23:11 UNQUOTED_COMPARATOR', '89:5 UNKNOWN_KEY']);
  });
  it('unquoted > alone (an empty folded block) is explained too', () => {
    expect(check(edit(seed, 'type: ≥', 'type: >')).errors).toEqual(['23:11 UNQUOTED_COMPARATOR']);
  });
  it('quoted ">=" and "<=" are accepted and normalised', () => {
    const r = check(edit(edit(seed, 'type: ≥', 'type: ">="'), 'type: ≤', "type: '<='"));
    expect(r.codes).toEqual(SEED_WARNINGS);
    expect(r.model!.rows[0]!.type).toBe('≥');
    expect(r.model!.rows[17]!.type).toBe('≤');
  });
  it('a duplicate key points at the second one and names the first line', () => {
    const r = check(edit(seed, '    unit: 家\n', '    unit: 家\n    unit: 个\n'));
    expect(r.errors).toEqual(['26:5 YAML_DUPLICATE_KEY']);
    expect(r.located.find((d) => d.code === 'YAML_DUPLICATE_KEY')!.message).toContain('第 25 行');
  });
  it('anchors and aliases are refused, each at its place', () => {
    let t = edit(seed, 'scoring: { kind: ratio, points: 2 }', 'scoring: &r { kind: ratio, points: 2 }');
    t = edit(t, /scoring: \{ kind: ratio, points: 2 \}/, 'scoring: *r');
    expect(check(t).errors).toEqual(['27:14 YAML_ALIAS', '35:14 YAML_ALIAS']);
  });
  it('an alias bomb is refused without expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      // b: &b [*a,*a,…nine times], c: &c [*b,…], …: each level nine times the one before.
      ...Array.from({ length: 12 }, (_, i) => {
        const name = String.fromCharCode(98 + i);
        const prev = String.fromCharCode(97 + i);
        return `${name}: &${name} [${Array<string>(9).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');
    const r = check(bomb);
    expect(r.data).toBeUndefined();
    expect(r.codes.every((c) => c.endsWith('YAML_ALIAS'))).toBe(true);
    expect(r.codes.length).toBeGreaterThan(12);
  });
  it('unknown tags are refused', () => {
    expect(check(edit(seed, 'name: 新增规模工业企业', 'name: !custom 新增规模工业企业')).errors).toEqual([
      '22:11 YAML_TAG',
    ]);
    expect(check(edit(seed, 'head: 补红岩', 'head: !!binary aGk=')).errors).toEqual(['182:9 YAML_TAG']);
  });
  it('a %YAML 1.1 directive is refused', () => {
    expect(check('%YAML 1.1\n---\n' + seed).errors).toEqual(['1:1 YAML_DIRECTIVE']);
  });
  it('several documents in one file are refused', () => {
    expect(check(seed + '---\nfoo: 1\n').errors).toEqual(['183:1 YAML_MULTI_DOC']);
  });
  it('empty and comments-only files', () => {
    expect(check('').errors).toEqual(['1:1 FILE_EMPTY']);
    expect(check('# only\n# comments\n').errors).toEqual(['1:1 FILE_EMPTY']);
    expect(check('\n\n   \n').errors).toEqual(['1:1 FILE_EMPTY']);
  });
  it('a file that is not UTF-8 (GBK) says where and what to do', () => {
    const gbk = Uint8Array.from([0x61, 0x3a, 0x20, 0xd6, 0xd0, 0xce, 0xc4, 0x0a]);
    const r = check(gbk);
    expect(r.errors).toEqual(['1:1 FILE_NOT_UTF8']);
    expect(r.located[0]!.message).toContain('第 4 字节');
    expect(r.located[0]!.message).toContain('UTF-8');
  });
  it('a UTF-8 BOM and CRLF line ends are accepted, positions unchanged', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seed.replace(/\n/g, '\r\n'))]);
    const r = check(bytes);
    expect(r.codes).toEqual(SEED_WARNINGS);
    expect(r.model!.name).toBe('芷江侗族自治县商务科技和工业和信息化局');
    expect(r.model!.rows[10]!.valueText).toBe('2026年12月31日前');
  });
  it('full-width indentation (U+3000) is explained', () => {
    expect(check(edit(seed, '  code: zhijiang', '\u3000\u3000code: zhijiang')).errors).toEqual([
      '4:1 FULLWIDTH_INDENT',
    ]);
  });
  it('a full-width colon after a key is explained', () => {
    const r = check(edit(seed, '  name: 芷江侗族', '  name：芷江侗族'));
    expect(r.errors).toEqual(['5:7 FULLWIDTH_COLON']);
    expect(r.located[0]!.message).toContain('name: ');
  });
  it('full-width colons inside values are fine', () => {
    expect(check(seed).codes).toEqual(SEED_WARNINGS); // goals contain “：” and pass
  });
  it('tab indentation', () => {
    expect(check(edit(seed, '  code: zhijiang', '\tcode: zhijiang')).errors).toEqual(['4:1 YAML_TAB_INDENT']);
  });
  it('an unclosed bracket is a syntax error, not a crash', () => {
    const r = check(edit(seed, 'name: 芷江侗族自治县商务科技和工业和信息化局', 'name: [芷江'));
    expect(r.errors).toEqual(['5:9 YAML_UNCLOSED']);
  });
  it('a file of several MB is refused before parsing', () => {
    const r = check(new Uint8Array(3 * 1024 * 1024).fill(0x61));
    expect(r.errors).toEqual(['1:1 FILE_TOO_LARGE']);
  });
});

describe('schema errors point at the offending key or value', () => {
  it('numbers where text belongs suggest quoting', () => {
    const r = check(
      edit(edit(seed, 'preparer: 吴红霞', 'preparer: 12345'), 'phone: "13789290210"', 'phone: 13789290210'),
    );
    expect(r.errors).toEqual(['179:13 WRONG_TYPE', '180:10 WRONG_TYPE']);
    expect(r.located[1]!.message).toContain('"13789290210"');
  });
  it('text where a number belongs splits number and unit', () => {
    const r = check(edit(seed, 'value: 8.5', 'value: 8.5%'));
    expect(r.errors).toEqual(['96:12 QUANTITATIVE_VALUE']);
    expect(r.located[0]!.message).toContain('value: 8.5');
  });
  it('a number as a 定性 value', () => {
    expect(check(edit(seed, 'value: 效果明显', 'value: 5')).errors).toEqual(['135:12 QUALITATIVE_VALUE']);
  });
  it('an unknown key suggests the right one (uint → unit)', () => {
    const r = check(edit(seed, 'unit: 人次', 'uint: 人次'));
    expect(r.errors).toEqual(['89:5 UNKNOWN_KEY']);
    expect(r.located[0]!.message).toContain('“unit”');
  });
  it('a 二级 that does not belong to its 一级', () => {
    expect(check(edit(seed, 'level2: 质量指标', 'level2: 经济效益指标')).errors).toEqual(['93:13 LEVEL2_MISMATCH']);
  });
  it('an unknown 一级 suggests the nearest', () => {
    const r = check(edit(seed, 'level1: 满意度指标', 'level1: 满意度'));
    expect(r.errors).toEqual(['155:13 INVALID_ENUM']);
    expect(r.located[0]!.message).toContain('满意度指标');
  });
  it('a unit on a 定性 indicator', () => {
    expect(check(edit(seed, 'value: 效果明显\n', 'value: 效果明显\n    unit: 项\n')).errors).toEqual([
      '136:11 QUALITATIVE_UNIT',
    ]);
  });
  it('an impossible date', () => {
    expect(check(edit(seed, 'filed: 2025-12-08', 'filed: 2025-02-30')).errors).toEqual(['181:10 DATE_INVALID']);
    expect(check(edit(seed, 'filed: 2025-12-08', 'filed: 2025.12.8')).errors).toEqual(['181:10 DATE_INVALID']);
  });
  it('a field a scoring kind does not use', () => {
    expect(check(edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 2, every_days: 3 }')).errors).toEqual(
      ['27:40 SCORING_FIELD'],
    );
  });
  it('a scoring kind missing its fields', () => {
    expect(
      check(edit(seed, '{ kind: deadline, points: 10, every_days: 10, deduct: 1 }', '{ kind: deadline, points: 10 }'))
        .errors,
    ).toEqual(['106:5 MISSING_KEY', '106:5 MISSING_KEY']);
  });
  it('a type typed in words suggests the symbol', () => {
    const r = check(edit(seed, 'type: ≥', 'type: 大于等于'));
    expect(r.errors).toEqual(['23:11 INVALID_ENUM']);
    expect(r.located[0]!.message).toContain('“≥”');
  });
  it('a malformed department code suggests one', () => {
    const r = check(edit(seed, 'code: zhijiang-swkjgxj', 'code: Zhijiang_SWKJ'));
    expect(r.errors).toEqual(['4:9 INVALID_CODE']);
    expect(r.located[0]!.message).toContain('zhijiang-swkj');
  });
  it('a missing required key points at its mapping', () => {
    const r = check(edit(seed, '    explanation: 考核新增规模工业企业情况。\n', ''));
    expect(r.errors).toEqual(['20:5 MISSING_KEY']);
    expect(r.located[0]!.message).toContain('explanation');
  });
  it('all problems of a file at once', () => {
    let t = edit(seed, 'unit: 人次', 'uint: 人次');
    t = edit(t, 'level2: 质量指标', 'level2: 经济效益指标');
    t = edit(t, 'filed: 2025-12-08', 'filed: 2025-02-30');
    expect(check(t).errors).toEqual(['89:5 UNKNOWN_KEY', '93:13 LEVEL2_MISMATCH', '181:10 DATE_INVALID']);
  });
});

describe('the form’s and the bureau’s rules', () => {
  it('points must add up to the total', () => {
    const r = check(edit(seed, '{ kind: ratio, points: 2 }', '{ kind: ratio, points: 3 }'));
    expect(r.errors).toEqual(['19:1 POINTS_TOTAL']);
    expect(r.located.find((d) => d.code === 'POINTS_TOTAL')!.message).toContain('91');
  });
  it('a % value over 100 is a warning', () => {
    expect(check(edit(seed, 'value: 90\n', 'value: 900\n')).codes).toContain('159:12 PERCENT_OVER_100');
  });
  it('a scoring text whose points disagree', () => {
    expect(check(edit(seed, '得20分，每超出1%', '得25分，每超出1%')).errors).toEqual(['175:29 SCORING_TEXT_MISMATCH']);
    expect(check(edit(seed, '每超出1%，扣2分', '每超出1%，扣3分')).errors).toEqual(['175:40 SCORING_TEXT_MISMATCH']);
  });
  it('a top grade that disagrees with points', () => {
    expect(check(edit(seed, '- { label: 效果明显, points: 5 }', '- { label: 效果明显, points: 4 }')).errors).toEqual([
      '139:15 SCORING_TOP_POINTS',
    ]);
  });
  it('a malformed phone number; landlines with area code are fine', () => {
    expect(check(edit(seed, '"13789290210"', '"1378929021"')).errors).toEqual(['180:10 PHONE_FORMAT']);
    expect(check(edit(seed, '"13789290210"', '"0745-6822345"')).errors).toEqual([]);
  });
  it('folder year and file name must match the data', () => {
    expect(check(seed, '2026/zhijiang-swkjgxj.yaml').errors).toEqual(['2:14 YEAR_FOLDER_MISMATCH']);
    expect(check(seed, '2025/other.yaml').errors).toEqual(['4:9 CODE_FILENAME_MISMATCH']);
  });
  /** The seed as head + indicator blocks + tail, to reorder or drop indicators. */
  const parts = (() => {
    const start = seed.indexOf('  - level1:');
    const end = seed.indexOf('signoff:');
    const blocks = seed.slice(start, end).split(/(?=^ {2}- level1:)/m);
    return { head: seed.slice(0, start), blocks, tail: seed.slice(end) };
  })();
  const assemble = (order: number[]): string => parts.head + order.map((i) => parts.blocks[i]).join('') + parts.tail;
  const lineOf = (t: string, needle: string, from = 0): number =>
    t.slice(0, t.indexOf(needle, from)).split('\n').length;

  it('a group split into rows that are not neighbours', () => {
    const all = parts.blocks.map((_, i) => i);
    expect(parts.blocks).toHaveLength(18);
    // reordering whole groups is fine
    expect(check(assemble([17, ...all.slice(0, 17)])).errors).toEqual([]);
    // 产出 rows on both sides of a 效益 row: 产出指标 is split where it comes back
    const t = assemble([...all.slice(0, 9), 11, 9, 10, ...all.slice(12)]);
    // …and so is 效益指标, whose first row now stands before the 产出 rows
    expect(check(t).errors).toEqual([
      `${lineOf(t, 'level1: 产出指标', t.indexOf('新增规模工业企业营业收入'))}:13 GROUP_SPLIT`,
      `${lineOf(t, 'level1: 效益指标', t.indexOf('工作完成时间'))}:13 GROUP_SPLIT`,
    ]);
    // 数量指标 on both sides of 质量指标 within 产出: the 二级 group is split
    const u = assemble([...all.slice(0, 8), 9, 8, ...all.slice(10)]);
    expect(check(u).errors).toEqual([
      `${lineOf(u, 'level2: 数量指标', u.indexOf('name: 规模工业增加值增速'))}:13 GROUP_SPLIT`,
    ]);
  });
  it('a required 一级指标 missing', () => {
    const t = assemble(parts.blocks.map((_, i) => i).filter((i) => i !== 16))
      .replace('points: 20', 'points: 30')
      .replace('得20分', '得30分');
    expect(check(t).errors).toEqual(['19:1 REQUIRED_LEVEL1']);
  });
  it('a year in text that is not the fiscal year', () => {
    const t = edit(seed, '考核开展科技培训情况。', '考核2024年开展科技培训情况。');
    expect(check(t).codes).toContain(`${lineOf(t, '2024年')}:20 YEAR_IN_TEXT`);
  });
  it('an impossible deadline date', () => {
    expect(check(edit(seed, 'value: 2026年12月31日前', 'value: 2025年2月30日前')).errors).toEqual([
      '104:12 DATE_INVALID',
    ]);
  });
  it('a data file without the editor’s schema line', () => {
    expect(check(seed.split('\n').slice(1).join('\n')).codes[0]).toBe('1:1 SCHEMA_COMMENT');
  });
  it('hand-numbered duties would print twice numbered', () => {
    expect(check(edit(seed, '  - 负责安全生产监督管理工作。', '  - 9、负责安全生产监督管理工作。')).codes).toContain(
      '15:5 NUMBERED_ITEM',
    );
  });
  it.each(['9.', '9．', '（9）', '(9)', '⑨'])('a duty numbered %s by hand too, but not a decimal', (mark) => {
    const codes = (t: string): string[] => check(t).codes.filter((c) => c.endsWith('NUMBERED_ITEM'));
    expect(codes(edit(seed, '  - 负责安全生产监督管理工作。', `  - ${mark}负责安全生产监督管理工作。`))).toEqual([
      '15:5 NUMBERED_ITEM',
    ]);
    expect(codes(edit(seed, '  - 负责安全生产监督管理工作。', '  - 9.5万元用于安全生产监督管理工作。'))).toEqual([]);
  });
});
