/**
 * A 职责 or 年度目标 cell → its list items. Departments number them in several ways (`1、` `1.` `1．`
 * `（1）` `(1)` `①` `一、` `（一）`, goals also `目标1：`/`目标1:`), in one line or one item per line; the
 * way the text starts decides which numbering splits it, so numbering of another kind inside an item (a
 * goal's own `1、2、`, a `①、` inside a duty) stays in the item, and a decimal (`1.5万元`) is never a
 * marker. Markers are dropped (the form prints its own), and whitespace around each item. Pure.
 */

/** A way of numbering items: the marker of item k as a regular-expression source. */
type Numbering = (k: number) => string;

const CN_DIGITS = '零一二三四五六七八九';
/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99). */
function cn(k: number): string {
  const tens = Math.floor(k / 10);
  const ones = k % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${CN_DIGITS[tens]}十`}${ones ? CN_DIGITS[ones] : ''}`;
}

/** `①` … `⑳`; none beyond 20. */
const circled = (k: number): string => (k <= 20 ? String.fromCharCode(0x2460 + k - 1) : '(?!)');

const ITEM_NUMBERINGS: readonly Numbering[] = [
  (k) => `${k}\\s*、`,
  // `1.` and `1．`, but not the `1.5` of a decimal.
  (k) => `${k}[.．](?!\\d)`,
  (k) => `[（(]\\s*${k}\\s*[）)]`,
  circled,
  (k) => `${cn(k)}、`,
  (k) => `[（(]${cn(k)}[）)]`,
];
const GOAL_NUMBERINGS: readonly Numbering[] = [(k) => `目标\\s*(?:${k}|${cn(k)})\\s*[：:]`, ...ITEM_NUMBERINGS];

/** The longest list looked for (a marker beyond it stays in the last item). */
const MAX_ITEMS = 99;

/** The numbering `text` starts with, and the number it starts at (`（3）…` starts at 3). */
function leading(text: string, numberings: readonly Numbering[]): { n: Numbering; k: number; len: number } | undefined {
  for (const n of numberings) {
    for (let k = 1; k <= MAX_ITEMS; k++) {
      // Anchored, and the marker's number whole: `12、` is item 12, never item 1.
      const m = new RegExp(`^(?:${n(k)})`).exec(text);
      if (m) return { n, k, len: m[0].length };
    }
  }
  return undefined;
}

/**
 * Splits `1、a2、b` into [a, b] following the numbering k, k+1, k+2… in order from the one the text
 * starts with (so a `1、` inside an item does not restart it). A marker is preferred where a sentence or
 * clause ends, or a line, before it; text starting with no marker is one item. Item text that itself
 * holds the next number (`…；3、4号线…。3、…`) is ambiguous in the printed form; the preference settles the
 * usual cases.
 */
export function splitItems(text: string, numberings: readonly Numbering[] = ITEM_NUMBERINGS): string[] {
  const t = text.trim();
  if (!t) return [];
  const lead = leading(t, numberings);
  if (!lead) return [t];
  const starts: Array<[number, number]> = [[0, lead.len]];
  let from = lead.len;
  for (let k = lead.k + 1; k <= MAX_ITEMS; k++) {
    const src = lead.n(k);
    const re = new RegExp(src, 'g');
    const found: Array<{ at: number; len: number }> = [];
    re.lastIndex = from;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      // `12、` is not `2、`.
      if (!(/\d/.test(t[m.index - 1] ?? '') && /^\d/.test(m[0]))) found.push({ at: m.index, len: m[0].length });
      re.lastIndex = m.index + 1;
    }
    if (!found.length) break;
    // Where several `k、` occur, an item most likely starts after a full stop or a line break, else after
    // a clause or a space, else at the first one.
    const strength = (at: number): number =>
      /[。！!？?\n]/.test(t[at - 1] ?? '') ? 2 : /[；;\s）)”"]/.test(t[at - 1] ?? '') ? 1 : 0;
    const best = found.reduce((b, x) => (strength(x.at) > strength(b.at) ? x : b), found[0]!);
    starts.push([best.at, best.at + best.len]);
    from = best.at + best.len;
  }
  return starts
    .map(([, body], i) => t.slice(body, i + 1 < starts.length ? starts[i + 1]![0] : undefined).trim())
    .filter(Boolean);
}

/** 部门（单位）职责 → duties. */
export const splitDuties = (text: string): string[] => splitItems(text, ITEM_NUMBERINGS);
/** 年度总体目标 → goals (`目标1：` first, then any item numbering). */
export const splitGoals = (text: string): string[] => splitItems(text, GOAL_NUMBERINGS);
