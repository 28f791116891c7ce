/**
 * Where narrow cells may break their text: between words, never inside one. Chinese text may break
 * between any two characters, so a label in a column a few characters wide broke as `满意度指 / 标` or
 * `可持续影 / 响指标`, and a deadline as `2026年12 / 月31日前`. Texts of a known shape get explicit break
 * opportunities instead, and the cell lays them out with `word-break: keep-all` (no other break
 * inside the words): `服务对象 / 满意度指标`, `可持续 / 影响指标`, `2026年 / 12月31日前`.
 *
 * Pure. The mark is U+200B (zero width space) in the text handed to the templates, written as `<wbr>`
 * (the fonts need no glyph for it); the line predictor (predict/) reads the same marks, so prediction
 * and browser keep agreeing. A word longer than its cell still breaks where it must (overflow-wrap).
 */
import { CONTINUED } from './paginate.ts';

/** Marks a break opportunity in a text with hints; the templates write it as `<wbr>`. */
export const BREAK_MARK = '\u200b';

/** `服务对象满意度指标` → 服务对象 + 满意度指标; `可持续影响指标` → 可持续 + 影响指标. */
const LABEL = /^(\p{Script=Han}*?)((?:满意度|\p{Script=Han}{2})指标)$/u;
/** `2026年12月31日前`, `2026年6月底`: a year, then a month and what follows it. */
const DATE = /^(\d{4}年)(\d{1,2}月[\p{Script=Han}\d]*)$/u;

/**
 * `text` with BREAK_MARKs where it may break, for a cell of `kind` (a TextKind of predict/: `level1`,
 * `level2`, `value`) laid out keep-all; undefined when the text is left to the ordinary rules (any other
 * shape, a label of one word, any other kind of cell).
 */
export function breakHints(kind: string, text: string): string | undefined {
  if (kind === 'value') {
    const d = DATE.exec(text);
    return d ? d[1]! + BREAK_MARK + d[2]! : undefined;
  }
  if (kind !== 'level1' && kind !== 'level2') return undefined;
  const continued = text.endsWith(CONTINUED);
  const label = continued ? text.slice(0, -CONTINUED.length) : text;
  const m = LABEL.exec(label);
  // A label that is one word (满意度指标, 数量指标) breaks as it always did, wherever it must.
  if (!m?.[1]) return undefined;
  const words = m[1] + BREAK_MARK + m[2]!;
  return continued ? words + BREAK_MARK + CONTINUED : words;
}

/** A text with hints as the page lays it out: the marks removed. */
export const withoutHints = (text: string): string => text.replaceAll(BREAK_MARK, '');
