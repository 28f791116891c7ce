/**
 * Private-use code points that GBK and GB 18030 decoders give characters Unicode has since encoded.
 * GBK (Windows code page 936) mapped the two-byte codes its standard left open to the private use area
 * (U+E000–U+F8FF); GB 18030-2000 moved most of them to standard characters, GB 18030-2005 a few more,
 * GB 18030-2022 (and the WHATWG index since) the vertical forms and U+9FB4–U+9FBB, while six CJK
 * Extension B characters still decode to private use in every edition. So text decoded by an older
 * decoder, or converted long ago and saved as Unicode, holds `U+E863` where the table says 䶮 (U+4DAE,
 * bytes FE 9F), and prints as a blank box. This maps each such code point to its character.
 *
 * The table (105 code points): U+E815–U+E864 are the codes FE50–FEA0 in byte order (FE7F skipped);
 * U+E7E7–U+E7F3 are A989–A995 (〾 and the ideographic description characters); U+E78D–U+E796 are A6D9–A6DF,
 * A6EC, A6ED, A6F3 (the vertical forms U+FE10–U+FE19); U+E7C7 and U+E7C8 are A8BC (ḿ) and A8BF (ǹ).
 * The targets are what GB 18030-2022 decodes these bytes to, and for FE51 FE52 FE53 FE6C FE76 FE91 the
 * Extension B characters they stand for (U+20087 U+20089 U+200CC U+215D7 U+2298F U+241FE), as in the
 * usual table of GB 18030-2005's 24 private-use code points with standard equivalents. Pure.
 */

/** U+E815…U+E864 (FE50…FEA0 without FE7F), one character each, in order. */
const FE_ROW =
  '⺁𠂇𠂉𠃌⺄㑳㑇⺈⺋龴㖞㘚㘎⺌⺗㥮㤘龵㧏㧟㩳㧐龶龷㭎㱮㳠⺧𡗗龸⺪䁖䅟⺮䌷⺳⺶⺷𢦏䎱䎬⺻䏝䓖䙡䙌龹䜣䜩䝼䞍⻊䥇䥺䥽䦂䦃䦅䦆䦟䦛䦷䦶龺𤇾䲣䲟䲠䲡䱷䲢䴓䴔䴕䴖䴗䴘䴙䶮龻';
/** U+E7E7…U+E7F3 (A989…A995). */
const A9_ROW = '〾⿰⿱⿲⿳⿴⿵⿶⿷⿸⿹⿺⿻';
/** U+E78D…U+E796 (A6D9…A6DF, A6EC, A6ED, A6F3). */
const A6_ROW = '︐︒︑︓︔︕︖︗︘︙';

function build(): Map<number, string> {
  const map = new Map<number, string>();
  const run = (first: number, chars: string): void => [...chars].forEach((c, i) => map.set(first + i, c));
  run(0xe815, FE_ROW);
  run(0xe7e7, A9_ROW);
  run(0xe78d, A6_ROW);
  run(0xe7c7, 'ḿǹ');
  return map;
}

/** Private-use code point → the standard character (a string: six are outside the BMP). */
export const GB_PUA: ReadonlyMap<number, string> = build();

const MAPPED = /[\ue78d-\ue796\ue7c7\ue7c8\ue7e7-\ue7f3\ue815-\ue864]/g;

/** `text` with every GBK/GB 18030 private-use code point of the table replaced by its character. */
export function mapGbPua(text: string): string {
  return text.replace(MAPPED, (c) => GB_PUA.get(c.charCodeAt(0)) ?? c);
}

const PRIVATE_USE = /[\ue000-\uf8ff\u{f0000}-\u{ffffd}\u{100000}-\u{10fffd}]/u;

/** The first private-use character of a text (one no font shows the same everywhere), if any. */
export function privateUse(text: string): { char: string; codePoint: number } | undefined {
  const m = PRIVATE_USE.exec(text);
  return m ? { char: m[0], codePoint: m[0].codePointAt(0)! } : undefined;
}
