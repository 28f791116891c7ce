/**
 * Makes the bundled fallback font (`fonts/fallback/`): the ideographs and symbols that the form's own
 * fonts (fontsource's Noto Serif SC / Noto Sans SC, which Google Fonts cut down to ~13,700 common
 * characters) lack — the rest of the URO, CJK Extension A, and Extensions B–H, real in people's names.
 *
 * No npm package the project can install covers Extensions B–G, so the files are made once, by a
 * maintainer, from Debian's font packages, and committed (run with the fonts' paths):
 *
 *   apt-get download fonts-hanazono fonts-babelstone-han && dpkg-deb -x <each>.deb x
 *   npx tsx scripts/setup/fallback-font.ts x/usr/share/fonts/truetype/hanazono/HanaMinA.ttf \
 *     x/usr/share/fonts/truetype/hanazono/HanaMinB.ttf x/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf
 *
 * Sources in order of preference: 花園明朝 HanaMinA (BMP) and HanaMinB (Ext B–F), SIL OFL 1.1; BabelStone
 * Han 15.0.5 (Ext G, H and what HanaMin lacks), Arphic Public License. Each font is cut into pieces of
 * at most CHUNK characters, each a WOFF 1.0 file with its own unicode-range: a page (and the PDF, which
 * Skia subsets once per embedded font file) loads only the pieces its text needs, and a form that needs
 * none of them — nearly every form — loads none.
 *
 * The cut keeps glyph ids (so composite glyphs, hmtx and the layout tables stay valid): glyphs of other
 * pieces are emptied, not removed, and zlib squeezes the empty entries to almost nothing.
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { eachCmapGlyph, woffAdvances } from '../render/predict/font-metrics.ts';
import { FALLBACK_FAMILY } from '../io/fonts.ts';

/** Characters per piece: ~0.5–1 MB of outlines, a few hundred ms for Skia to subset. */
export const CHUNK = 2000;

interface Sfnt {
  tables: Map<string, Buffer>;
}

/** An sfnt file's tables by tag (views into `buf`). */
export function readSfnt(buf: Buffer): Sfnt {
  const tables = new Map<string, Buffer>();
  for (let i = 0, n = buf.readUInt16BE(4); i < n; i++) {
    const o = 12 + i * 16;
    const offset = buf.readUInt32BE(o + 8);
    tables.set(buf.toString('latin1', o, o + 4), buf.subarray(offset, offset + buf.readUInt32BE(o + 12)));
  }
  return { tables };
}

/** Code point → glyph id, from the font's format 12 (else format 4) Unicode cmap. */
export function sfntCmap(cmap: Buffer): Map<number, number> {
  const out = new Map<number, number>();
  eachCmapGlyph(cmap, (cp, glyph) => out.set(cp, glyph));
  return out;
}

/**
 * A cmap format 12 subtable (all of Unicode): one group per run of consecutive code points with
 * consecutive glyphs. `map` is sorted by code point.
 */
export function cmapFormat12(map: ReadonlyArray<[number, number]>): Buffer {
  const groups: [number, number, number][] = [];
  for (const [c, g] of map) {
    const last = groups[groups.length - 1];
    if (last && c === last[1] + 1 && g === last[2] + (c - last[0])) last[1] = c;
    else groups.push([c, c, g]);
  }
  const f12 = Buffer.alloc(16 + groups.length * 12);
  f12.writeUInt16BE(12, 0);
  f12.writeUInt32BE(f12.length, 4);
  f12.writeUInt32BE(groups.length, 12);
  groups.forEach(([s, e, g], i) => {
    f12.writeUInt32BE(s, 16 + i * 12);
    f12.writeUInt32BE(e, 20 + i * 12);
    f12.writeUInt32BE(g, 24 + i * 12);
  });
  return f12;
}

/** A cmap with a format 4 (BMP, for old readers) and a format 12 subtable. */
function buildCmap(map: [number, number][]): Buffer {
  const bmp = map.filter(([c]) => c < 0xffff);
  // Format 4: one segment per run of consecutive code points with consecutive glyphs, then 0xFFFF.
  const segs: [number, number, number][] = [];
  for (const [c, g] of bmp) {
    const last = segs[segs.length - 1];
    if (last && c === last[1] + 1 && g - c === last[2]) last[1] = c;
    else segs.push([c, c, g - c]);
  }
  segs.push([0xffff, 0xffff, 1]);
  const n = segs.length;
  const f4 = Buffer.alloc(16 + n * 8);
  f4.writeUInt16BE(4, 0);
  f4.writeUInt16BE(f4.length, 2);
  f4.writeUInt16BE(n * 2, 6);
  const log = Math.floor(Math.log2(n));
  f4.writeUInt16BE(2 * 2 ** log, 8);
  f4.writeUInt16BE(log, 10);
  f4.writeUInt16BE(2 * n - 2 * 2 ** log, 12);
  segs.forEach(([s, e, d], i) => {
    f4.writeUInt16BE(e, 14 + 2 * i);
    f4.writeUInt16BE(s, 16 + n * 2 + 2 * i);
    f4.writeInt16BE(((d + 0x8000) & 0xffff) - 0x8000, 16 + n * 4 + 2 * i);
  });
  const f12 = cmapFormat12(map);
  const head = Buffer.alloc(4 + 2 * 8);
  head.writeUInt16BE(2, 2);
  head.writeUInt16BE(3, 4);
  head.writeUInt16BE(1, 6);
  head.writeUInt32BE(head.length, 8);
  head.writeUInt16BE(3, 12);
  head.writeUInt16BE(10, 14);
  head.writeUInt32BE(head.length + f4.length, 16);
  return Buffer.concat([head, f4, f12]);
}

/** The glyphs a glyph needs: itself and, for a composite, its components (recursively). */
function withComponents(glyf: Buffer, loca: (g: number) => [number, number], glyphs: Set<number>): void {
  const todo = [...glyphs];
  for (let g = todo.pop(); g !== undefined; g = todo.pop()) {
    const [a, b] = loca(g);
    if (b - a < 10 || glyf.readInt16BE(a) >= 0) continue;
    let o = a + 10;
    for (let more = true; more;) {
      const flags = glyf.readUInt16BE(o);
      const component = glyf.readUInt16BE(o + 2);
      if (!glyphs.has(component)) {
        glyphs.add(component);
        todo.push(component);
      }
      o += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
      more = (flags & 0x20) !== 0;
    }
  }
}

/** Tables a browser needs to draw horizontal text; layout, vertical and bitmap tables are left out. */
const KEEP = ['OS/2', 'cvt ', 'fpgm', 'gasp', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'post', 'prep'];

/** An sfnt table's checksum: its big-endian 32-bit words (zero-padded) summed modulo 2³². */
export const checksum = (b: Buffer): number => {
  let sum = 0;
  const padded = b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
};

/** An sfnt's tables as a WOFF 1.0 file (each table zlib-compressed when that makes it smaller). */
export function toWoff(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const dir = Buffer.alloc(44 + tags.length * 20);
  const parts: Buffer[] = [dir];
  let offset = dir.length;
  let sfntSize = 12 + 16 * tags.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const z = deflateSync(data, { level: 9 });
    const stored = z.length < data.length ? z : data;
    const o = 44 + i * 20;
    dir.write(tag, o, 'latin1');
    dir.writeUInt32BE(offset, o + 4);
    dir.writeUInt32BE(stored.length, o + 8);
    dir.writeUInt32BE(data.length, o + 12);
    dir.writeUInt32BE(checksum(data), o + 16);
    const pad = Buffer.alloc((4 - (stored.length % 4)) % 4);
    parts.push(stored, pad);
    offset += stored.length + pad.length;
    sfntSize += data.length + ((4 - (data.length % 4)) % 4);
  });
  dir.writeUInt32BE(0x774f4646, 0);
  dir.writeUInt32BE(0x00010000, 4);
  dir.writeUInt32BE(offset, 8);
  dir.writeUInt16BE(tags.length, 12);
  dir.writeUInt32BE(sfntSize, 16);
  dir.writeUInt16BE(1, 20);
  return Buffer.concat(parts);
}

/**
 * One piece of a TrueType font as WOFF 1.0: a cmap of only `cps`, and outlines only for their glyphs
 * (plus .notdef and components); every other glyph kept as an empty slot.
 */
export function subsetTtf(ttf: Buffer, cps: readonly number[]): Buffer {
  const { tables } = readSfnt(ttf);
  const head = Buffer.from(tables.get('head')!);
  const maxp = tables.get('maxp')!;
  const glyf = tables.get('glyf')!;
  const locaIn = tables.get('loca')!;
  const numGlyphs = maxp.readUInt16BE(4);
  const long = head.readInt16BE(50) === 1;
  const loca = (g: number): [number, number] =>
    long
      ? [locaIn.readUInt32BE(4 * g), locaIn.readUInt32BE(4 * g + 4)]
      : [locaIn.readUInt16BE(2 * g) * 2, locaIn.readUInt16BE(2 * g + 2) * 2];
  const all = sfntCmap(tables.get('cmap')!);
  const map = cps.map((c): [number, number] => [c, all.get(c)!]).filter(([, g]) => g !== undefined);
  const keep = new Set([0, ...map.map(([, g]) => g)]);
  withComponents(glyf, loca, keep);
  const locaOut = Buffer.alloc(4 * (numGlyphs + 1));
  const pieces: Buffer[] = [];
  let at = 0;
  for (let g = 0; g < numGlyphs; g++) {
    locaOut.writeUInt32BE(at, 4 * g);
    if (!keep.has(g)) continue;
    const [a, b] = loca(g);
    const data = glyf.subarray(a, b);
    const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
    pieces.push(padded);
    at += padded.length;
  }
  locaOut.writeUInt32BE(at, 4 * numGlyphs);
  // Left side bearings of emptied glyphs to 0: identical entries compress to nothing.
  const hhea = tables.get('hhea')!;
  const hmtx = Buffer.from(tables.get('hmtx')!);
  const metrics = hhea.readUInt16BE(34);
  for (let g = 0; g < numGlyphs; g++) {
    if (keep.has(g)) continue;
    if (g < metrics) hmtx.writeInt16BE(0, 4 * g + 2);
    else hmtx.writeInt16BE(0, 4 * metrics + 2 * (g - metrics));
  }
  head.writeInt16BE(1, 50);
  head.writeUInt32BE(0, 8);
  // post format 3: no glyph names (tens of thousands of them, of no use to a PDF).
  const post = Buffer.from(tables.get('post')!.subarray(0, 32));
  post.writeUInt32BE(0x00030000, 0);
  const out = new Map<string, Buffer>();
  for (const tag of KEEP) if (tables.has(tag)) out.set(tag, tables.get(tag)!);
  out.set('head', head);
  out.set('hmtx', hmtx);
  out.set('post', post);
  out.set('cmap', buildCmap(map));
  out.set('glyf', Buffer.concat(pieces));
  out.set('loca', locaOut);
  return toWoff(out);
}

/** `[0x4e00, 0x4e01, 0x4e05]` → `U+4E00-4E01, U+4E05` */
export function unicodeRange(cps: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cps.length;) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j]! + 1) j++;
    const hex = (c: number): string => c.toString(16).toUpperCase();
    out.push(i === j ? `U+${hex(cps[i]!)}` : `U+${hex(cps[i]!)}-${hex(cps[j]!)}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * Characters the fallback must not take: controls, spaces and format characters (nothing to draw),
 * private use (no agreed glyph), and emoji and pictographs (a mincho font draws them as small black
 * line art, not what the writer meant: they are reported instead, see check/glyphs.ts).
 */
export const notForFallback = (c: number): boolean =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0xa0) ||
  (c >= 0xe000 && c <= 0xf8ff) ||
  c >= 0xf0000 ||
  (c >= 0x1f000 && c <= 0x1faff) ||
  /[\p{Cf}\p{Z}\p{M}]/u.test(String.fromCodePoint(c));

async function main(sources: string[]): Promise<void> {
  const { fontPackageDir, FORM_FONTS } = await import('../io/fonts.ts');
  const { fontsourceSubsets } = await import('../render/predict/font-metrics.ts');
  // What every face of the form already has: the fallback only takes the rest.
  let common: Set<number> | undefined;
  for (const face of FORM_FONTS) {
    const dir = fontPackageDir(face.pkg)!;
    const have = new Set<number>();
    for (const s of fontsourceSubsets(readFileSync(path.join(dir, `${face.weight}.css`), 'utf8'))) {
      for (const c of woffAdvances(readFileSync(path.join(dir, 'files', s.woff))).keys()) have.add(c);
    }
    common = common ? new Set([...common].filter((c) => have.has(c))) : have;
  }
  const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fonts/fallback');
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.woff')) rmSync(path.join(outDir, f));
  const taken = new Set<number>();
  const css: string[] = [];
  let n = 0;
  for (const file of sources) {
    const ttf = readFileSync(file);
    const cmap = sfntCmap(readSfnt(ttf).tables.get('cmap')!);
    const name = path.basename(file).replace(/\.ttf$/i, '');
    const cps = [...cmap.keys()]
      .filter((c) => !common!.has(c) && !taken.has(c) && !notForFallback(c))
      .sort((a, b) => a - b);
    for (const c of cps) taken.add(c);
    for (let i = 0; i < cps.length; i += CHUNK) {
      const part = cps.slice(i, i + CHUNK);
      const woff = `fallback-${String(n++).padStart(2, '0')}-${name.toLowerCase()}.woff`;
      writeFileSync(path.join(outDir, woff), subsetTtf(ttf, part));
      css.push(
        `@font-face {\n  font-family: '${FALLBACK_FAMILY}';\n  font-style: normal;\n  font-weight: 400;\n` +
          `  src: url(${woff}) format('woff');\n  unicode-range: ${unicodeRange(part)};\n}`,
      );
    }
    process.stderr.write(`${name}: ${cps.length} characters\n`);
  }
  const from = sources.map((s) => path.basename(s)).join(', ');
  const header = `/* ${FALLBACK_FAMILY}: made by scripts/setup/fallback-font.ts from ${from} */`;
  writeFileSync(path.join(outDir, 'fallback.css'), `${header}\n${css.join('\n')}\n`);
}

const direct = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (direct) await main(process.argv.slice(2));
