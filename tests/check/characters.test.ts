/**
 * Characters that are not what they seem: controls and bidi controls are errors, invisible characters
 * warnings, each at its exact line:col (raw or as a double-quoted escape); names compare after
 * normalisation; text shown on a terminal has them escaped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { characterKind, escapeControls, normalizeName } from '../../scripts/check/characters.ts';
import { checkFile } from '../../scripts/check/check-file.ts';
import { formatGithub, formatText, locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { SEED_YAML } from '../helpers.ts';

const seed = readFileSync(SEED_YAML, 'utf8');
const SEED_WARNINGS = ['17:74 YEAR_IN_TEXT', '78:11 DUPLICATE_INDICATOR', '104:12 DEADLINE_AFTER_YEAR'];

function edit(text: string, from: string, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${from}`);
  return out;
}

function check(text: string) {
  const opts = { settings: DEFAULT_SETTINGS, dataPath: '2025/zhijiang-swkjgxj.yaml' };
  const r = checkFile('x.yaml', new TextEncoder().encode(text), opts);
  const located = r.diagnostics.map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, 'zh'));
  const fresh = located.filter((d) => !SEED_WARNINGS.includes(`${d.line}:${d.column} ${d.code}`));
  return { ...r, located, codes: fresh.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`) };
}

// Line 22 is `    name: 新增规模工业企业`: the value starts at column 11.
const NAME22 = 'name: 新增规模工业企业';
const inName22 = (ch: string): string => edit(seed, NAME22, `name: 新增${ch}规模工业企业`);

describe('control and bidi characters are errors at their line:col', () => {
  it.each([
    ['NUL', '\u0000', 'U+0000 NULL'],
    ['ESC', '\u001b', 'U+001B ESCAPE'],
    ['BEL', '\u0007', 'U+0007 BELL'],
    ['DEL', '\u007f', 'U+007F DELETE'],
    ['C1 CSI', '\u009b', 'U+009B CONTROL SEQUENCE INTRODUCER'],
    ['NEL', '\u0085', 'U+0085 NEXT LINE'],
    ['a lone CR', '\r', 'U+000D'],
    ['LINE SEPARATOR', '\u2028', 'U+2028 LINE SEPARATOR'],
  ])('%s', (_label, ch, named) => {
    const r = check(inName22(ch));
    expect(r.codes).toEqual(['22:13 error CONTROL_CHARACTER']);
    expect(r.located.find((d) => d.code === 'CONTROL_CHARACTER')!.message).toContain(named);
    expect(r.model).toBeUndefined();
  });
  it.each(['\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c'])('bidi %j', (ch) => {
    const r = check(inName22(ch));
    expect(r.codes).toEqual(['22:13 error BIDI_CONTROL']);
    expect(r.model).toBeUndefined();
  });
  it('names U+202E in the message', () => {
    const d = check(inName22('\u202e')).located.find((x) => x.code === 'BIDI_CONTROL')!;
    expect(d.message).toContain('U+202E RIGHT-TO-LEFT OVERRIDE');
  });
  it('columns count characters, astral ones once', () => {
    // 𠀋 is one character (two UTF-16 units): the control after it is at column 14, not 15.
    expect(check(inName22('𠀋\u0000')).codes).toEqual(['22:14 error CONTROL_CHARACTER']);
  });
  it('in a key, a comment and a block scalar too', () => {
    let t = edit(seed, '  code: zhijiang', '  co\u202ede: zhijiang');
    t = edit(t, 'fiscal_year: 2025', 'fiscal_year: 2025 # \u0007');
    t = edit(
      t,
      '    explanation: 考核培育高新技术企业情况。',
      '    explanation: |\n      考核培育\u001b高新技术企业情况。',
    );
    const codes = check(t).codes;
    expect(codes).toContain('2:21 error CONTROL_CHARACTER');
    expect(codes).toContain('4:5 error BIDI_CONTROL');
    expect(codes).toContain('51:11 error CONTROL_CHARACTER');
  });
  it('spelled as a double-quoted escape: at the escape', () => {
    const r = check(edit(seed, 'name: 新增规模工业企业', 'name: "新增\\e规模\\u202E工业\\x00企业\\0"'));
    expect(r.codes).toEqual([
      '22:14 error CONTROL_CHARACTER',
      '22:18 error BIDI_CONTROL',
      '22:26 error CONTROL_CHARACTER',
      '22:32 error CONTROL_CHARACTER',
    ]);
    expect(r.located.find((d) => d.code === 'BIDI_CONTROL')!.message).toContain('\\u202E');
  });
  it('an escaped backslash is not an escape; \\n and \\t are fine', () => {
    expect(check(edit(seed, NAME22, 'name: "新增\\\\x00规模\\t工业\\n企业"')).codes).toEqual([]);
  });
  it('tabs in values, CRLF line ends and a leading BOM are fine', () => {
    const crlf = `\ufeff${edit(seed, NAME22, 'name: "新增\t规模工业企业"').replace(/\n/g, '\r\n')}`;
    expect(check(crlf).codes).toEqual([]);
  });
  it('is reported even when the file does not parse', () => {
    expect(check('fiscal_year: [2025\u0000\n').codes).toContain('1:19 error CONTROL_CHARACTER');
  });
  it('does not hide a schema error on the same line', () => {
    const r = check(edit(seed, 'type: ≥\n    value: 3\n', 'type: "≥\u200b"\n    value: 3\n'));
    const line23 = r.codes.filter((c) => c.startsWith('23:'));
    expect(line23).toEqual(['23:11 error INVALID_ENUM', '23:13 warning INVISIBLE_CHARACTER']);
  });
});

describe('invisible characters are warnings', () => {
  it.each(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u3164', '\u{e0001}'])('%j', (ch) => {
    const r = check(inName22(ch));
    expect(r.codes).toEqual(['22:13 warning INVISIBLE_CHARACTER']);
    expect(r.model).toBeDefined();
  });
  it('names the code point and says what to do', () => {
    const m = check(inName22('\u200b')).located.find((d) => d.code === 'INVISIBLE_CHARACTER')!.message;
    expect(m).toContain('U+200B ZERO WIDTH SPACE');
    expect(m).toContain('删除');
  });
  it('a variation selector after a CJK character (a glyph variant) is fine; a stray one is not', () => {
    expect(check(inName22('\u{e0100}')).codes).toEqual([]);
    const stray = check(edit(seed, NAME22, 'name: \ufe0f新增规模工业企业'));
    expect(stray.codes).toEqual(['22:11 warning INVISIBLE_CHARACTER']);
  });
  it('visible spaces (NBSP, U+3000) inside a value are not flagged', () => {
    expect(check(inName22('\u00a0\u3000')).codes).toEqual([]);
  });
});

describe('duplicate names are compared after normalisation', () => {
  // Line 54 and line 78 both say 引进高中层次人才 (the seed's own duplicate, a warning at 78:11).
  const at78 = (name: string): string => {
    const lines = seed.split('\n');
    expect(lines[77]).toBe('    name: 引进高中层次人才');
    lines[77] = `    name: ${name}`;
    return lines.join('\n');
  };
  it.each([
    ['a zero-width space', '引进高中\u200b层次人才'],
    ['a trailing full-width space', '"引进高中层次人才\u3000"'],
    ['a trailing NBSP', '"引进高中层次人才\u00a0"'],
    ['a soft hyphen', '引进高中\u00ad层次人才'],
    ['a space between CJK characters', '引进高中 层次人才'],
  ])('%s', (_label, name) => {
    const r = check(at78(name));
    const dup = r.located.filter((d) => d.code === 'DUPLICATE_INDICATOR');
    expect(dup.map((d) => `${d.line}:${d.column}`)).toEqual(['78:11']);
    expect(dup[0]!.message).toContain('第 54 行');
  });
  it('says the two differ only invisibly, and shows the difference escaped', () => {
    const r = check(at78('引进高中\u200b层次人才'));
    const d = r.located.find((x) => x.code === 'DUPLICATE_INDICATOR')!;
    expect(d.message).toContain('看不见的字符');
    expect(formatText(d, { color: false })).toContain('引进高中\\u200b层次人才');
  });
  it('normalizeName folds width, invisible characters and spaces, nothing else', () => {
    expect(normalizeName('ＰＭ２.５　浓度\u200b')).toBe(normalizeName('PM2.5浓度'));
    expect(normalizeName('引进人才')).not.toBe(normalizeName('引进人员'));
  });
});

describe('text for a terminal', () => {
  it('escapeControls shows controls, bidi and invisible characters as escapes', () => {
    expect(escapeControls('a\u001b[31mb\u202ec\u200bd\u0000e\u009bf\u{e0001}')).toBe(
      'a\\x1b[31mb\\u202ec\\u200bd\\x00e\\x9bf\\u{e0001}',
    );
    expect(escapeControls('a\tb\nc')).toBe('a\tb\nc');
    expect(escapeControls('a\nb\rc', { newlines: false })).toBe('a\\nb\\rc');
    expect(escapeControls('芷江　县\u00a0局')).toBe('芷江　县\u00a0局');
  });
  it('characterKind agrees with the check', () => {
    const kinds = [0x1b, 0x202e, 0x200b, 0x41, 0x09].map(characterKind);
    expect(kinds).toEqual(['control', 'bidi', 'invisible', undefined, undefined]);
  });
  const located = (text: string) => {
    const r = check(text);
    return { r, d: r.located.find((x) => x.code === 'CONTROL_CHARACTER' || x.code === 'BIDI_CONTROL')! };
  };
  it('a diagnostic in text format never writes a raw control: message, excerpt and caret', () => {
    // In the department code (ASCII around it, so string index = terminal column).
    const { r, d } = located(edit(seed, 'code: zhijiang', 'code: zhiji\u001b[2J\u202eang'));
    const out = formatText(d, { color: false, text: r.source.text });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const [, excerpt, caret] = out.split('\n');
    expect(excerpt).toContain('zhiji\\x1b[2J\\u202eang');
    // The caret sits under the escape that stands for the character.
    expect(caret!.indexOf('^') - caret!.indexOf('|')).toBe(excerpt!.indexOf('\\x1b') - excerpt!.indexOf('|'));
    expect(caret!.match(/\^+/)![0]).toBe('^'.repeat(4));
  });
  it('github annotations escape controls and %, CR, LF in the message and properties', () => {
    const { d } = located(inName22('\u001b'));
    const g = formatGithub({ ...d, file: 'a\u001b%,:\n.yaml', message: `50% x\r\ny \u202e z` });
    expect(g).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(g).toContain('file=a\\x1b%25%2C%3A\\n.yaml');
    expect(g).toContain('::CONTROL_CHARACTER 50%25 x\\r\\ny \\u202e z');
  });
});
