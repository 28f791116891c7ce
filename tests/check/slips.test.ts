/**
 * One slip, one message: a line indented off by a space or two, a Tab or a full-width space in an
 * indent, an unclosed quote or bracket — each reported once, at its line, without the errors the YAML
 * parser would add for the valid lines after it. Each case edits the seed, a realistic document.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { formatGithub, locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import type { Lang } from '../../scripts/check/messages.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const LINES = seed.split('\n');

/** The seed with line `n` (1-based) rewritten; fails loudly if the rewrite changes nothing. */
function line(n: number, f: (l: string) => string, text = seed): string {
  const ls = text.split('\n');
  const next = f(ls[n - 1]!);
  if (next === ls[n - 1]) throw new Error(`edit of line ${n} did not apply`);
  ls[n - 1] = next;
  return ls.join('\n');
}
const fewer = (k: number) => (l: string) => l.slice(k);
const more = (k: number) => (l: string) => ' '.repeat(k) + l;

function check(text: string, lang: Lang = 'zh') {
  const r = checkFile('x.yaml', new TextEncoder().encode(text), { settings: DEFAULT_SETTINGS });
  const located = r.diagnostics.map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, lang));
  return {
    located,
    errors: located.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}`),
  };
}

describe('the seed lines these cases edit', () => {
  it('are the ones the cases name', () => {
    expect(LINES[29]).toBe('    name: 新增省级专精特新小巨人企业');
    expect(LINES[27]).toBe('  - level1: 产出指标');
    expect(LINES[7]).toBe('  - 承担组织实施重要消费品市场调控和重要生产资料（成品油）流通管理的责任。');
    expect(LINES[140]).toBe('        - { label: 效果明显, points: 5 }');
    expect(LINES[171]).toBe('      points: 20');
    expect(LINES[179]).toBe('  phone: "13789290210"');
  });
});

describe('a line indented differently from its siblings', () => {
  const cases: [string, string, string[]][] = [
    ['an indicator key one space short', line(30, fewer(1)), ['30:4 YAML_INDENT']],
    ['an indicator key one space over', line(30, more(1)), ['30:6 YAML_INDENT']],
    ['an indicator key two spaces short', line(30, fewer(2)), ['30:3 YAML_INDENT']],
    ['a list item’s dash one space short', line(28, fewer(1)), ['28:2 YAML_INDENT']],
    ['a list item’s dash one space over', line(28, more(1)), ['28:4 YAML_INDENT']],
    ['a department key one space short', line(4, fewer(1)), ['4:2 YAML_INDENT']],
    ['a department key one space over', line(4, more(1)), ['4:4 YAML_INDENT']],
    ['a top-level key indented', line(2, more(1)), ['2:2 YAML_INDENT']],
    ['a top-level key that opens a list, indented', line(6, more(1)), ['6:2 YAML_INDENT']],
    ['a duty one space short', line(8, fewer(1)), ['8:2 YAML_INDENT']],
    ['a grade in a nested scoring mapping, short', line(141, fewer(1)), ['141:8 YAML_INDENT']],
    ['a grade in a nested scoring mapping, over', line(141, more(1)), ['141:10 YAML_INDENT']],
    ['a key of a block scoring mapping', line(172, fewer(1)), ['172:6 YAML_INDENT']],
    ['a signoff key', line(180, fewer(1)), ['180:2 YAML_INDENT']],
    ['the last line', line(182, more(1)), ['182:4 YAML_INDENT']],
    ['two lines of one mapping', line(179, fewer(1), line(178, fewer(1))), ['178:2 YAML_INDENT', '179:2 YAML_INDENT']],
    ['two slips far apart', line(100, more(1), line(30, fewer(1))), ['30:4 YAML_INDENT', '100:4 YAML_INDENT']],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: one message`, () => expect(check(text).errors).toEqual(expected));
  }

  it('says which way, by how much, and which line it should align with', () => {
    const [d] = check(line(30, fewer(1))).located;
    expect(d!.message).toBe('第 30 行缩进比同一层的键（第 29 行，从第 5 列开始）少 1 个空格；请在行首补上 1 个空格');
    const [item] = check(line(8, fewer(1))).located;
    expect(item!.message).toContain('列表项 “-”（第 7 行，从第 3 列开始）少 1 个空格');
    const [over] = check(line(141, more(1))).located;
    expect(over!.message).toContain('（第 142 行，从第 9 列开始）多 1 个空格；请删去行首多出的 1 个空格');
  });

  it('in English, with plurals', () => {
    const one = check(line(30, fewer(1)), 'en').located[0]!.message;
    expect(one).toContain('line 30 is indented 1 space less than the other keys of its level (line 29');
    const two = check(line(30, fewer(2)), 'en').located[0]!.message;
    expect(two).toContain('indented 2 spaces less');
    expect(two).toContain('add 2 spaces at the start of the line');
  });

  it('a list item indented past its siblings parses as part of the item above: still reported', () => {
    const r = check(line(8, more(1)));
    expect(r.errors).toEqual(['8:4 YAML_INDENT']);
    expect(r.located[0]!.message).toContain('被读成了上一项的续行');
  });

  it('the file’s own error elsewhere is still reported beside the slip', () => {
    const t = line(175, (l) => l.replace('text: ', 'text: "'), line(30, fewer(1)));
    expect(check(t).errors).toEqual(['30:4 YAML_INDENT', '175:13 YAML_UNCLOSED']);
  });

  it('a legal multi-line flow mapping is no slip', () => {
    const t = seed.replace('{ kind: ratio, points: 2 }', '{ kind: ratio,\n      points: 2 }');
    expect(check(t).errors).toEqual([]);
  });
});

describe('a Tab or a full-width space in an indent', () => {
  const tab = (l: string): string => '\t' + l.trimStart();
  it('a Tab: one message, with the spaces it stands for', () => {
    const r = check(line(30, tab));
    expect(r.errors).toEqual(['30:1 YAML_TAB_INDENT']);
    expect(r.located[0]!.message).toBe('第 30 行用 Tab 缩进，YAML 不允许；请把行首的空白换成 4 个空格，与第 29 行对齐');
  });
  it('a Tab between spaces', () => {
    expect(check(line(30, (l) => '  \t  ' + l.trimStart())).errors).toEqual(['30:3 YAML_TAB_INDENT']);
  });
  it('Tabs on two lines: each once', () => {
    expect(check(line(31, tab, line(30, tab))).errors).toEqual(['30:1 YAML_TAB_INDENT', '31:1 YAML_TAB_INDENT']);
  });
  it('a Tab before a top-level key', () => {
    const r = check(line(2, (l) => '\t' + l));
    expect(r.errors).toEqual(['2:1 YAML_TAB_INDENT']);
    expect(r.located[0]!.message).toContain('请删去行首的空白');
  });
  it('a Tab after a colon is a legal separator', () => {
    expect(check(line(30, (l) => l.replace(': ', ':\t'))).errors).toEqual([]);
  });
  it('full-width spaces: one message', () => {
    const r = check(line(30, (l) => '\u3000\u3000' + l.trimStart()));
    expect(r.errors).toEqual(['30:1 FULLWIDTH_INDENT']);
    expect(r.located[0]!.message).toContain('请把行首的空白换成 4 个半角空格，与第 29 行对齐');
  });
  it('a full-width space among spaces', () => {
    expect(check(line(30, (l) => '  \u3000 ' + l.trimStart())).errors).toEqual(['30:3 FULLWIDTH_INDENT']);
  });
});

describe('an unclosed quote or bracket: one message at the opening', () => {
  const cases: [string, string, string[]][] = [
    ['a double quote', line(30, (l) => l.replace('name: ', 'name: "')), ['30:11 YAML_UNCLOSED']],
    [
      'a single quote (the parser only notices at the end of the file)',
      line(30, (l) => l.replace('name: ', "name: '")),
      ['30:11 YAML_UNCLOSED'],
    ],
    ['a flow mapping’s brace', line(35, (l) => l.replace(' }', '')), ['35:14 YAML_UNCLOSED']],
    ['a bracket', line(30, (l) => l.replace('name: ', 'name: [')), ['30:11 YAML_UNCLOSED']],
  ];
  for (const [name, text, expected] of cases) it(name, () => expect(check(text).errors).toEqual(expected));
  it('names what is missing', () => {
    expect(check(line(35, (l) => l.replace(' }', ''))).located[0]!.message).toContain('没有配对的 “}”');
  });
});

describe('--format github annotates one line', () => {
  it('for a slip that the parser would report a dozen times', () => {
    const lines = check(line(30, fewer(1))).located.map(formatGithub);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error file=x\.yaml,line=30,col=4,.*title=YAML_INDENT::/);
  });
});
