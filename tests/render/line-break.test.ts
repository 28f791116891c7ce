/**
 * The line breaker of render/predict, without a browser: break opportunities (UAX #14 as Chinese form
 * text meets it), greedy filling with pre-line whitespace, overflow-wrap: anywhere, trimmed punctuation,
 * and "not certain" answers. Widths here are made up (10 px a character) so the expected lines can be
 * worked out by hand; tests/render/predict.test.ts compares with Chromium.
 */
import { describe, expect, it } from 'vitest';
import { canBreakBefore, countLines, type TextMetrics } from '../../scripts/render/predict/line-break.ts';

const cps = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);
/** Break opportunities of a text, shown as `|`. */
const breaks = (s: string): string => {
  const c = cps(s);
  return c.map((cp, i) => (i > 0 && canBreakBefore(c, i) ? '|' : '') + String.fromCodePoint(cp)).join('');
};

const TEN: TextMetrics = {
  advance: (cp) => (cp === 0xe000 ? undefined : cp === 0x20 ? 3 : 10),
  pairTrim: () => 0,
  startTrim: () => 0,
  endTrim: () => 0,
};

describe('canBreakBefore', () => {
  it('between ideographs, not before closing or after opening punctuation', () => {
    expect(breaks('指标（续）完成。')).toBe('指|标|（续）|完|成。');
    expect(breaks('职责：负责')).toBe('职|责：|负|责');
  });

  it('keeps numbers, percentages and prefixes together', () => {
    expect(breaks('达95.5%以上')).toBe('达|95.5%|以|上');
    expect(breaks('≥90%')).toBe('≥90%');
    expect(breaks('￥100元')).toBe('￥100|元');
  });

  it('Latin words stay whole; a space is a break opportunity', () => {
    expect(breaks('PM2.5 浓度')).toBe('PM2.5 |浓|度');
  });

  it('quotation marks: breaks only with East Asian text on both sides (UAX #14 LB19a)', () => {
    expect(breaks('他说“好的”，然后')).toBe('他|说|“|好|的”，|然|后');
    expect(breaks('a“b”c')).toBe('a“b”c');
  });
});

describe('countLines', () => {
  it('fills lines greedily at break opportunities', () => {
    expect(countLines('一二三四五', 35, TEN)).toBe(2);
    expect(countLines('一二三四五六', 35, TEN)).toBe(2);
    expect(countLines('一二三四五六七', 35, TEN)).toBe(3);
    // Closing punctuation cannot start a line: 三 moves down with it (一二 / 三，四 / 五, not 一二三 / ，四五).
    expect(countLines('一二三，四五', 35, TEN)).toBe(3);
  });

  it('pre-line: newlines break, runs of spaces collapse, empty lines count', () => {
    expect(countLines('一\n二\n\n三', 100, TEN)).toBe(4);
    expect(countLines('一    二', 24, TEN)).toBe(1);
    expect(countLines('一    二', 22, TEN)).toBe(2);
    expect(countLines('', 100, TEN)).toBe(1);
  });

  it('overflow-wrap: anywhere splits a word wider than the box', () => {
    expect(countLines('abcdefghi', 45, TEN)).toBe(3);
  });

  it('a trimmed mark at the line end lets the line fit (allow-end), and trims between neighbours count', () => {
    const trimEnd: TextMetrics = { ...TEN, endTrim: (cp) => (cp === 0xff09 ? 5 : 0) };
    expect(countLines('指标（续）', 46, TEN)).toBe(2);
    expect(countLines('指标（续）', 46, trimEnd)).toBe(1);
    const trimPair: TextMetrics = { ...TEN, pairTrim: (a, b) => (a === 0xff09 && b === 0xff08 ? 5 : 0) };
    expect(countLines('（一）（二）', 56, TEN)).toBe(2);
    expect(countLines('（一）（二）', 56, trimPair)).toBe(1);
  });

  it('is not certain about an unknown character, a width that ties with the box, or a URL', () => {
    expect(countLines('一\u{E000}二', 100, TEN)).toBeUndefined();
    expect(countLines('一二三', 30.01, TEN)).toBeUndefined();
    expect(countLines('见https://example.com/a', 1000, TEN)).toBeUndefined();
    expect(countLines('2024.12.24', 1000, TEN)).toBe(1);
  });
});
