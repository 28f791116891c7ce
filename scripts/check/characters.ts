/**
 * Characters that are not what they seem. A control character (NUL, ESC …) is invisible, prints as
 * nothing or garbage and can drive a terminal; a bidirectional control (U+202E …) makes a name display
 * in another order than the file holds it; a zero-width character (U+200B …) is invisible but makes two
 * equal-looking names differ. This module finds them in the source (at their exact offset, escapes in
 * double-quoted scalars included), gives the one name normaliser used to compare names (duplicates,
 * matching across years), and the one escaping used wherever source text reaches a terminal.
 *
 * Decided: U+2028/U+2029 (line/paragraph separator) count as controls — the form would break the line
 * where the editor shows none. Spaces that print as spaces (U+00A0, U+3000, U+2000–U+200A, U+202F) are
 * not flagged, but names are compared without any whitespace. A variation selector is flagged only
 * where it has no letter to modify (start of a value, after a space or ASCII): after a CJK character it
 * picks a glyph variant (人名用字) and is legitimate. Pure.
 */
import type { Document } from 'yaml';
import { diag, type Diagnostic } from './diagnostic.ts';

export type CharacterKind = 'control' | 'bidi' | 'invisible';

/** Unicode names of the characters worth naming in a message (the rest are `<control>` or by number). */
const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x07: 'BELL',
  0x08: 'BACKSPACE',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0x9b: 'CONTROL SEQUENCE INTRODUCER',
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x17b4: 'KHMER VOWEL INHERENT AQ',
  0x17b5: 'KHMER VOWEL INHERENT AA',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

const isVariationSelector = (cp: number): boolean => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** What kind of deceptive character a code point is, or undefined for an ordinary one (tab and LF are ordinary). */
export function characterKind(cp: number): CharacterKind | undefined {
  if (cp === 0x09 || cp === 0x0a) return undefined;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) return 'control';
  const bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
  if (bidi || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'bidi';
  if (
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x180e ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0x1d173 && cp <= 0x1d17a)
  )
    return 'invisible';
  return undefined;
}

/** `U+200B`, the form Unicode charts and editors' “go to character” use. */
export const codePointLabel = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const nameOf = (cp: number): string => {
  if (NAMES[cp]) return NAMES[cp];
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return '<control>';
  return isVariationSelector(cp) ? 'VARIATION SELECTOR' : 'FORMAT CHARACTER';
};

const SEVERITY = { control: 'error', bidi: 'error', invisible: 'warning' } as const;
const CODE = { control: 'CONTROL_CHARACTER', bidi: 'BIDI_CONTROL', invisible: 'INVISIBLE_CHARACTER' } as const;

/** A variation selector with nothing it could modify before it: a stray one, invisible. */
const strayVariationSelector = (prev: number | undefined): boolean =>
  prev === undefined ||
  prev < 0x80 ||
  /\s/u.test(String.fromCodePoint(prev)) ||
  characterKind(prev) !== undefined ||
  isVariationSelector(prev);

/**
 * The deceptive characters of a file, each at its offset: raw in the text (keys and comments too) or
 * spelled as an escape in a double-quoted scalar.
 */
export function checkCharacters(text: string, doc?: Document.Parsed): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (cp: number, kind: CharacterKind, pos: [number, number], escape?: string): void => {
    const args = { cp: codePointLabel(cp), name: nameOf(cp), ...(escape ? { escape } : {}) };
    out.push(diag(CODE[kind], SEVERITY[kind], pos, args));
  };
  let prev: number | undefined;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    // CR is a line end only before LF (CRLF files); alone it returns the cursor and overprints the line.
    let kind = cp === 0x0d && text.charCodeAt(i + 1) === 0x0a ? undefined : characterKind(cp);
    if (!kind && isVariationSelector(cp) && strayVariationSelector(prev)) kind = 'invisible';
    if (kind) push(cp, kind, [i, i + len]);
    prev = cp === 0x0a ? undefined : cp;
    i += len;
  }
  for (const [start, end] of doc ? doubleQuoted(doc.contents) : []) {
    for (const m of text.slice(start, end).matchAll(ESCAPE_RE)) {
      const cp = escapedCodePoint(m);
      const kind = cp === undefined ? undefined : cp === 0x0a ? undefined : characterKind(cp);
      if (kind) push(cp!, kind, [start + m.index, start + m.index + m[0].length], m[0]);
    }
  }
  return out;
}

/**
 * The source ranges of the double-quoted scalars (keys too) below a node. A walk by shape rather than
 * yaml's `visit`: this module is also the CLI's terminal escaping, which should not load the parser.
 */
function doubleQuoted(node: unknown, out: [number, number][] = []): [number, number][] {
  if (!node || typeof node !== 'object') return out;
  const n = node as { type?: unknown; range?: number[]; items?: unknown[]; key?: unknown; value?: unknown };
  if (n.type === 'QUOTE_DOUBLE' && n.range) out.push([n.range[0]!, n.range[1]!]);
  if (Array.isArray(n.items)) for (const item of n.items) doubleQuoted(item, out);
  if ('key' in n) doubleQuoted(n.key, out);
  if (n.value && typeof n.value === 'object') doubleQuoted(n.value, out);
  return out;
}

/** YAML double-quoted escapes; `\\` is matched too so that `\\x00` is not read as an escape. */
const ESCAPE_RE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([^]))/g;
const SHORT: Record<string, number> = {
  0: 0,
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  e: 0x1b,
  N: 0x85,
  L: 0x2028,
  P: 0x2029,
};

function escapedCodePoint(m: RegExpMatchArray): number | undefined {
  const hex = m[1] ?? m[2] ?? m[3];
  if (hex) return parseInt(hex, 16);
  return SHORT[m[4]!];
}

const INVISIBLE_OR_CONTROL =
  // eslint-disable-next-line no-misleading-character-class -- each mark and filler here is matched alone, on purpose
  /[\p{Cc}\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180e\u2028\u2029\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;

/**
 * A name as compared for sameness: `引进人才`, `引进\u200b人才`, `引进人才\u3000` (full-width space) and
 * `ＰＭ２.５` vs `PM2.5` are the same name. NFKC folds full-width letters, digits and spaces (what a
 * clerk's copy from a PDF or Word produces); invisible and control characters go; whitespace of every
 * kind goes (Chinese names have no word spaces, and a copy from a PDF inserts stray ones).
 */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').replace(INVISIBLE_OR_CONTROL, '').replace(/\s+/gu, '');
}

/**
 * Source text made safe and visible for a terminal: controls, bidirectional controls and invisible
 * characters become escapes (`\x1b`, `\u202e`, `\u{e0001}`), so data can neither drive the terminal
 * nor reorder or hide what is shown. Tab stays; LF stays unless `newlines` is false (one-line output).
 */
export function escapeControls(s: string, opts: { newlines?: boolean } = {}): string {
  const keepLf = opts.newlines !== false;
  let out = '';
  let prev: number | undefined;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const stray = isVariationSelector(cp) && strayVariationSelector(prev);
    const bad = cp === 0x0a ? !keepLf : characterKind(cp) !== undefined || stray;
    out += bad ? escapeOf(cp) : ch;
    prev = cp;
  }
  return out;
}

function escapeOf(cp: number): string {
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}
