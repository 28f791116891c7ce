/**
 * Characters no bundled font has: an error at the character's own line:col (raw, or spelled as a
 * double-quoted escape), naming it and its code point, with what to do — against the real coverage of
 * the bundled fonts (Noto + the CJK Extension fallback), so names from Extensions A–G pass and an
 * emoji or a private-use character does not. `jxmb validate` reports it like any other error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import { locateDiagnostic } from '../../scripts/check/format-diagnostics.ts';
import { checkGlyphs } from '../../scripts/check/glyphs.ts';
import { glyphCoverage } from '../../scripts/io/fonts.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { FIXTURES, runCli, SEED_YAML } from '../helpers.ts';
import { parseDocument } from 'yaml';

const seed = readFileSync(SEED_YAML, 'utf8');
const coverage = glyphCoverage()!;

function edit(text: string, from: string, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${from}`);
  return out;
}

function check(text: string, lang: 'zh' | 'en' = 'zh') {
  const opts = { settings: DEFAULT_SETTINGS, dataPath: '2025/zhijiang-swkjgxj.yaml', coverage };
  const r = checkFile('x.yaml', new TextEncoder().encode(text), opts);
  const located = r.diagnostics
    .filter((d) => d.code === 'GLYPH_MISSING')
    .map((d) => locateDiagnostic('x.yaml', d, r.source.text, r.source.lineCounter, lang));
  return { ...r, located, at: located.map((d) => `${d.line}:${d.column}-${d.endColumn}`) };
}

// Line 179 is `  preparer: 吴红霞` (value from column 13), line 182 `  head: 补红岩` (from column 9).
const preparer = (name: string): string => edit(seed, 'preparer: 吴红霞', `preparer: ${name}`);

describe('characters of CJK Extensions A–G are covered (the bundled fallback)', () => {
  it.each([
    ['Ext A', '㐀', 0x3400],
    ['Ext B', '𠀀', 0x20000],
    ['Ext B (end)', '𪛖', 0x2a6d6],
    ['Ext C', '𪜀', 0x2a700],
    ['Ext D', '𫝀', 0x2b740],
    ['Ext E', '𫠠', 0x2b820],
    ['Ext F', '𬺰', 0x2ceb0],
    ['Ext G', '𰀀', 0x30000],
    ['a rare URO character', '䶮', 0x4dae],
  ])('%s %s', (_name, ch, cp) => {
    expect(ch.codePointAt(0)).toBe(cp);
    expect(coverage.has(cp)).toBe(true);
    const r = check(preparer(`王${ch}`));
    expect(r.at).toEqual([]);
    expect(r.model).toBeDefined();
  });

  it('the sign-off fixture with names from Extensions B–G validates clean', () => {
    const file = path.join(FIXTURES, 'rare-characters/data/2025/zhijiang-swkjgxj.yaml');
    expect(check(readFileSync(file, 'utf8')).at).toEqual([]);
  });
});

describe('a character no bundled font has is an error at its line:col', () => {
  it('an emoji in a name: 179:14, named with its code point and what to do', () => {
    const r = check(preparer('吴😀霞'));
    expect(r.at).toEqual(['179:14-15']);
    expect(r.located[0]!.severity).toBe('error');
    expect(r.located[0]!.message).toContain('“😀”（U+1F600）');
    expect(r.located[0]!.message).toContain('表情符号');
    expect(r.model).toBeUndefined();
    const en = check(preparer('吴😀霞'), 'en').located[0]!.message;
    expect(en).toContain('"😀" (U+1F600)');
  });

  it('each occurrence, in any printed value (indicator names, sign-off, quoted or block text)', () => {
    let text = edit(seed, 'name: 新增规模工业企业', 'name: "新增🚀规模"');
    text = edit(text, 'head: 补红岩', 'head: 补\uE000红\u{F0000}岩');
    const r = check(text);
    const lines = r.located.map((d) => `${d.line}:${d.column} ${/U\+[0-9A-F]+/.exec(d.message)![0]}`);
    expect(lines).toEqual(['22:14 U+1F680', '182:10 U+E000', '182:12 U+F0000']);
    expect(r.located[1]!.message).toContain('请换成常用字');
  });

  it('spelled as an escape in a double-quoted string: at the escape', () => {
    const r = check(edit(seed, 'preparer: 吴红霞', 'preparer: "吴\\U0001F600霞 \\uD83D\\uDE03"'));
    expect(r.located.map((d) => `${d.line}:${d.column}-${d.endColumn} ${/U\+[0-9A-F]+/.exec(d.message)![0]}`)).toEqual([
      '179:15-25 U+1F600',
      '179:27-39 U+1F603',
    ]);
  });

  it('keys and comments are not printed and not checked; spaces and controls are not glyphs', () => {
    const pure = (yaml: string) => checkGlyphs(yaml, parseDocument(yaml) as never, coverage).map((d) => d.args.cp);
    expect(pure('# 😀 comment\na: b # 😀\n')).toEqual([]);
    expect(pure('😀: b\n')).toEqual([]);
    expect(pure('a: "x\\u200by\\u3000z\\tq"\n')).toEqual([]);
    expect(pure('a: [x😀, {b: 🙂}]\n')).toEqual(['U+1F600', 'U+1F642']);
    expect(pure('a: |\n  line 😀\n')).toEqual(['U+1F600']);
  });

  it('the coverage is data passed in: a character the given fonts lack is reported', () => {
    const none = { has: (cp: number) => cp < 0x80 };
    const yaml = 'a: x王\n';
    const found = checkGlyphs(yaml, parseDocument(yaml) as never, none).map((d) => [d.pos, d.args.cp]);
    expect(found).toEqual([[[4, 5], 'U+738B']]);
  });
});

describe('jxmb validate', () => {
  it('reports the emoji at file:line:col and exits 1; the Ext B–G names pass', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jxmb-glyphs-'));
    try {
      mkdirSync(path.join(dir, 'data/2025'), { recursive: true });
      const settings = path.join(path.dirname(SEED_YAML), '../../jxmb.settings.yaml');
      copyFileSync(settings, path.join(dir, 'jxmb.settings.yaml'));
      const file = path.join(dir, 'data/2025/zhijiang-swkjgxj.yaml');
      writeFileSync(file, readFileSync(path.join(FIXTURES, 'rare-characters/data/2025/zhijiang-swkjgxj.yaml')));
      const ok = await runCli(['validate'], dir);
      expect(ok.out + ok.err).not.toContain('GLYPH_MISSING');
      expect(ok.code).toBe(0);
      writeFileSync(file, preparer('吴红霞😀'));
      const bad = await runCli(['validate'], dir);
      expect(bad.code).toBe(1);
      expect(bad.out + bad.err).toMatch(/zhijiang-swkjgxj\.yaml:179:16.*U\+1F600/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
