/**
 * Glyph advances of the bundled fonts, read from the fonts themselves (pure: file bytes come in from
 * io/fonts.ts). The line breaker (line-break.ts) adds them up to tell how many lines a text takes.
 *
 * fontsource splits each face into ~100 subsets by unicode-range. A browser picks, for each character,
 * the last-declared @font-face whose range covers it (CSS Fonts 4 §4.5); so does `FaceMetrics`. The
 * subsets are read as WOFF 1.0 (zlib-compressed sfnt tables, no transforms): the very files the browser
 * loads (io/fonts.ts), without a Brotli/glyf-transform decoder.
 */
import { inflateSync } from 'node:zlib';

/** One @font-face of a fontsource stylesheet: its unicode-range and its WOFF file name. */
export interface FaceSubset {
  ranges: [number, number][];
  /** `noto-serif-sc-4-400-normal.woff` */
  woff: string;
}

/** The subsets of one fontsource weight stylesheet, in declaration order. */
export function fontsourceSubsets(css: string): FaceSubset[] {
  const out: FaceSubset[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([\w.-]+)\.woff2\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file) continue;
    const ranges = range
      ? range.split(',').map((r): [number, number] => {
          const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
          return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
        })
      : [[0, 0x10ffff] as [number, number]];
    out.push({ ranges, woff: `${file}.woff` });
  }
  return out;
}

/** The named tables of one WOFF 1.0 font, inflated. */
function woffTables(buf: Uint8Array, wanted: readonly string[]): Map<string, Buffer> {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 44 || b.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const tables = new Map<string, Buffer>();
  for (let i = 0, n = b.readUInt16BE(12); i < n; i++) {
    const o = 44 + i * 20;
    const tag = b.toString('latin1', o, o + 4);
    if (!wanted.includes(tag)) continue;
    const offset = b.readUInt32BE(o + 4);
    const compLength = b.readUInt32BE(o + 8);
    const origLength = b.readUInt32BE(o + 12);
    const raw = b.subarray(offset, offset + compLength);
    tables.set(tag, compLength < origLength ? inflateSync(raw) : raw);
  }
  return tables;
}

/** Calls `each(codePoint, glyph)` for every mapped character of a cmap table's Unicode subtable. */
export function eachCmapGlyph(cmap: Buffer, each: (cp: number, glyph: number) => void): void {
  // The Unicode subtable: format 12 (full range) if there is one, else format 4 (BMP).
  let table = -1;
  let format = 0;
  for (let i = 0, n = cmap.readUInt16BE(2); i < n; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const f = cmap.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (f === 12 || (f === 4 && format !== 12))) {
      table = offset;
      format = f;
    }
  }
  if (format === 12) {
    for (let i = 0, groups = cmap.readUInt32BE(table + 12); i < groups; i++) {
      const o = table + 16 + i * 12;
      const start = cmap.readUInt32BE(o);
      const end = cmap.readUInt32BE(o + 4);
      const glyph = cmap.readUInt32BE(o + 8);
      for (let c = start; c <= end; c++) if (glyph + c - start !== 0) each(c, glyph + c - start);
    }
  } else if (format === 4) {
    const segments = cmap.readUInt16BE(table + 6) / 2;
    const ends = table + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    for (let i = 0; i < segments; i++) {
      const end = cmap.readUInt16BE(ends + 2 * i);
      const start = cmap.readUInt16BE(starts + 2 * i);
      const delta = cmap.readInt16BE(deltas + 2 * i);
      const rangeOffset = cmap.readUInt16BE(rangeOffsets + 2 * i);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const g = cmap.readUInt16BE(rangeOffsets + 2 * i + rangeOffset + 2 * (c - start));
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph !== 0) each(c, glyph);
      }
    }
  } else throw new Error('font has no Unicode cmap');
}

/** Advance widths by code point, in em, of one WOFF 1.0 font (from its cmap, hhea and hmtx tables). */
export function woffAdvances(buf: Uint8Array): Map<number, number> {
  const tables = woffTables(buf, ['head', 'hhea', 'hmtx', 'cmap']);
  const head = tables.get('head');
  const hhea = tables.get('hhea');
  const hmtx = tables.get('hmtx');
  const cmap = tables.get('cmap');
  if (!head || !hhea || !hmtx || !cmap) throw new Error('font lacks head, hhea, hmtx or cmap');
  const unitsPerEm = head.readUInt16BE(18);
  const metrics = hhea.readUInt16BE(34);
  const advance = (glyph: number): number => hmtx.readUInt16BE(4 * Math.min(glyph, metrics - 1)) / unitsPerEm;
  const out = new Map<number, number>();
  eachCmapGlyph(cmap, (c, glyph) => out.set(c, advance(glyph)));
  return out;
}

/** A WOFF 1.0 font as the plain TrueType/OpenType file it wraps (for tools that read no WOFF). */
export function woffToSfnt(buf: Uint8Array): Buffer {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 44 || b.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const n = b.readUInt16BE(12);
  const dir = Buffer.alloc(12 + 16 * n);
  dir.writeUInt32BE(b.readUInt32BE(4), 0);
  dir.writeUInt16BE(n, 4);
  const entry = 2 ** Math.floor(Math.log2(n));
  dir.writeUInt16BE(entry * 16, 6);
  dir.writeUInt16BE(Math.log2(entry), 8);
  dir.writeUInt16BE(n * 16 - entry * 16, 10);
  const parts: Buffer[] = [dir];
  let at = dir.length;
  for (let i = 0; i < n; i++) {
    const o = 44 + i * 20;
    const raw = b.subarray(b.readUInt32BE(o + 4), b.readUInt32BE(o + 4) + b.readUInt32BE(o + 8));
    const data = b.readUInt32BE(o + 8) < b.readUInt32BE(o + 12) ? inflateSync(raw) : raw;
    b.copy(dir, 12 + i * 16, o, o + 4);
    dir.writeUInt32BE(b.readUInt32BE(o + 16), 12 + i * 16 + 4);
    dir.writeUInt32BE(at, 12 + i * 16 + 8);
    dir.writeUInt32BE(data.length, 12 + i * 16 + 12);
    const pad = Buffer.alloc((4 - (data.length % 4)) % 4);
    parts.push(data, pad);
    at += data.length + pad.length;
  }
  return Buffer.concat(parts);
}

/**
 * Calls `each` with every character a font maps to a glyph, from its cmap table alone (`cmapTable`
 * reads just that table of a WOFF file: a few KB instead of the outlines).
 */
export function cmapCodePoints(cmap: Uint8Array, each: (cp: number) => void): void {
  eachCmapGlyph(Buffer.from(cmap.buffer, cmap.byteOffset, cmap.byteLength), each);
}

/** Where a WOFF 1.0 file keeps its cmap, from its first `44 + 20 × numTables` bytes. */
export function woffCmapEntry(header: Uint8Array): { offset: number; length: number; compressed: boolean } | undefined {
  const b = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (b.length < 44 || b.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  for (let i = 0, n = b.readUInt16BE(12); i < n && 44 + i * 20 + 20 <= b.length; i++) {
    const o = 44 + i * 20;
    if (b.toString('latin1', o, o + 4) !== 'cmap') continue;
    const length = b.readUInt32BE(o + 8);
    return { offset: b.readUInt32BE(o + 4), length, compressed: length < b.readUInt32BE(o + 12) };
  }
  return undefined;
}

/**
 * The advances of one face (family and weight), over all its subsets: `advance(cp)` in em, or
 * undefined when no subset has the character (the browser would fall back to another font: its width
 * is unknown here). Subsets are read on first use, through `read`.
 */
export class FaceMetrics {
  readonly #subsets: FaceSubset[];
  readonly #read: (woff: string) => Uint8Array;
  readonly #loaded = new Map<string, Map<number, number>>();
  readonly #cache = new Map<number, number | undefined>();

  constructor(subsets: FaceSubset[], read: (woff: string) => Uint8Array) {
    this.#subsets = subsets;
    this.#read = read;
  }

  advance(cp: number): number | undefined {
    if (this.#cache.has(cp)) return this.#cache.get(cp);
    let found: number | undefined;
    for (let i = this.#subsets.length - 1; i >= 0 && found === undefined; i--) {
      const s = this.#subsets[i]!;
      if (!s.ranges.some(([a, b]) => cp >= a && cp <= b)) continue;
      let table = this.#loaded.get(s.woff);
      if (!table) {
        try {
          table = woffAdvances(this.#read(s.woff));
        } catch {
          // A subset that cannot be read (missing, damaged) counts as lacking every character: text
          // that needs it is not predicted, it is measured.
          table = new Map();
        }
        this.#loaded.set(s.woff, table);
      }
      found = table.get(cp);
    }
    this.#cache.set(cp, found);
    return found;
  }
}
