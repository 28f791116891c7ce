/**
 * Characters no bundled font can draw. The form prints only with the fonts that ship with jxmb (host
 * fonts are blocked, so the output does not depend on the machine): a character none of them has
 * would print as an empty box (tofu). Every such character of a printed value is an error at its own
 * line:col, naming it and its code point, before anything is rendered.
 *
 * Pure: which characters the fonts cover is data passed in (io/fonts.ts reads it from the fonts' cmaps).
 * Keys and comments are not printed and not checked; controls, format characters and spaces draw
 * nothing and are check/characters.ts's business.
 */
import { type Document, Scalar, visit } from 'yaml';
import { diag, type Diagnostic } from './diagnostic.ts';

/** The code points the bundled fonts (with the fallback) can draw. */
export interface GlyphCoverage {
  has(cp: number): boolean;
}

/** Characters that draw nothing (or only modify the one before): never missing a glyph of their own. */
const DRAWS_NOTHING = /^[\p{Cc}\p{Cf}\p{Z}\p{Cs}\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u180b-\u180d]$/u;

/** Emoji and pictographs: said so in the message, with what to write instead. */
const isPictograph = (cp: number): boolean => /^\p{Extended_Pictographic}$/u.test(String.fromCodePoint(cp));

/** YAML double-quoted escapes of one code point; `\\` is matched so that `\\u1234` is not read as one. */
const ESCAPE_RE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|[^])/g;

/** `U+1F600` */
const label = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** One diagnostic per character of a printed value that `coverage` lacks, at its offset in `text`. */
export function checkGlyphs(text: string, doc: Document.Parsed, coverage: GlyphCoverage): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (cp: number, pos: [number, number]): void => {
    const emoji = isPictograph(cp);
    const args = { char: String.fromCodePoint(cp), cp: label(cp), kind: emoji ? 'emoji' : 'other' };
    out.push(diag('GLYPH_MISSING', 'error', pos, args));
  };
  const missing = (cp: number): boolean => !coverage.has(cp) && !DRAWS_NOTHING.test(String.fromCodePoint(cp));
  visit(doc, {
    Scalar(key, node) {
      // Keys are not printed; only string values are (numbers and booleans print as ASCII).
      if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
      const [start, end] = node.range;
      const raw = text.slice(start, end);
      for (let i = 0; i < raw.length;) {
        const cp = raw.codePointAt(i)!;
        const len = cp > 0xffff ? 2 : 1;
        if (missing(cp)) push(cp, [start + i, start + i + len]);
        i += len;
      }
      if (node.type !== Scalar.QUOTE_DOUBLE) return;
      const escapes = [...raw.matchAll(ESCAPE_RE)];
      for (const [i, m] of escapes.entries()) {
        const hex = m[1] ?? m[2] ?? m[3];
        if (hex === undefined) continue;
        let cp = parseInt(hex, 16);
        let last = m;
        // `\uD83D\uDE00`: a surrogate pair spelled as two escapes is one character.
        const next = escapes[i + 1];
        const low = next?.[2] === undefined ? NaN : parseInt(next[2], 16);
        if (cp >= 0xd800 && cp <= 0xdbff && next!.index === m.index + m[0].length && low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          last = next!;
        }
        if (cp <= 0x10ffff && missing(cp)) push(cp, [start + m.index, start + last.index + last[0].length]);
      }
    },
  });
  return out;
}
