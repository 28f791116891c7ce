import { describe, expect, it } from 'vitest';
import { EXCERPT_WIDTH, formatText } from '../../scripts/check/format-diagnostics.ts';
import type { LocatedDiagnostic } from '../../scripts/check/diagnostic.ts';

const at = (line: number, column: number, endColumn: number): LocatedDiagnostic => ({
  file: 'data/2025/x.yaml',
  line,
  column,
  endLine: line,
  endColumn,
  severity: 'warning',
  code: 'XLSX_ROW_TOO_TALL',
  message: 'm',
});
/** Terminal columns: CJK and Extension B–G characters take two. */
const cols = (s: string): number =>
  [...s].reduce((a, ch) => a + (/[\u3000-\u9fff\uff00-\uff60]/.test(ch) || ch.codePointAt(0)! >= 0x20000 ? 2 : 1), 0);

describe('formatText excerpt', () => {
  it('shows a short line whole, the caret under the span', () => {
    const text = 'name: 引进人才\n';
    const [, src, under] = formatText(at(1, 7, 11), { color: false, text }).split('\n');
    expect(src).toBe('   1 | name: 引进人才');
    expect(under).toBe('     |       ^^^^^^^^');
  });

  it('cuts a 3,000-character line to a window around the column, the caret under the same characters', () => {
    const value = '甲'.repeat(1000) + '乙丙' + '丁'.repeat(2000);
    const text = `goals:\n  - "${value}"\n`;
    const col = 6 + 1000; // 1-based column of 乙: `  - "` is five characters
    const out = formatText(at(2, col, col + 2), { color: false, text }).split('\n');
    const [, src, under] = out;
    expect(out).toHaveLength(3);
    const shown = src!.slice('   2 | '.length);
    expect(cols(shown)).toBeLessThanOrEqual(EXCERPT_WIDTH);
    expect(shown.startsWith('…') && shown.endsWith('…')).toBe(true);
    const caretAt = under!.indexOf('^') - '     | '.length;
    const caretLen = under!.trim().replace(/^\|\s*/, '').length;
    // The caret starts under 乙 and covers 乙丙 (two wide characters).
    let c = 0;
    let i = 0;
    const chars = [...shown];
    while (c < caretAt) c += cols(chars[i++]!);
    expect(chars.slice(i, i + 2).join('')).toBe('乙丙');
    expect(caretLen).toBe(4);
  });

  it('a span running past the window is marked to its edge only', () => {
    const text = `x: "${'字'.repeat(500)}"\n`;
    const [, src, under] = formatText(at(1, 5, 505), { color: false, text }).split('\n');
    expect(cols(src!.slice('   1 | '.length))).toBeLessThanOrEqual(EXCERPT_WIDTH);
    expect(cols(under!.slice('     | '.length))).toBeLessThanOrEqual(EXCERPT_WIDTH);
  });

  it('counts an Extension B character as two columns', () => {
    const text = 'person: 王𠀀明\n';
    const [, , under] = formatText(at(1, 11, 12), { color: false, text }).split('\n');
    expect(under).toBe('     |             ^^');
  });
});
