/**
 * The form's own fonts for LibreOffice, so a test prints the workbook with CJK glyphs on any machine,
 * offline, whatever fonts the host has (or lacks).
 *
 * fontsource ships each face as ~100 WOFF files cut by unicode-range, each with its own glyph ids.
 * LibreOffice reads neither WOFF nor a family split over files (its glyph fallback does not look for
 * another file of the same family: digits come out as boxes), so each face is merged here into one
 * TrueType font: the pieces' glyphs one after the other (composite glyphs' components renumbered),
 * their metrics, and one cmap that takes each character from the piece whose unicode-range holds it,
 * as a browser does. Layout tables (GSUB/GPOS) and vertical metrics are left out.
 *
 * A fonts.conf names only that folder, so the host's fonts play no part, and maps the names the
 * workbook uses to the merged faces: SimSun → Noto Serif SC, SimHei → Noto Sans SC, and Calibri (the
 * workbook's Normal font, whose digit width sets the column widths) and the generic families → Noto
 * Serif SC.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FORM_FONTS, fontPackageDir } from '../../scripts/io/fonts.ts';
import { fontsourceSubsets, woffToSfnt } from '../../scripts/render/predict/font-metrics.ts';
import { checksum, cmapFormat12, readSfnt, sfntCmap } from '../../scripts/setup/fallback-font.ts';

type Tables = Map<string, Buffer>;

const pad4 = (b: Buffer): Buffer => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);

/** Tables → an sfnt file (TrueType outlines), with table checksums and head's checkSumAdjustment. */
function writeSfnt(tables: Tables): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const dir = Buffer.alloc(12 + 16 * n);
  dir.writeUInt32BE(0x00010000, 0);
  dir.writeUInt16BE(n, 4);
  const entry = 2 ** Math.floor(Math.log2(n));
  dir.writeUInt16BE(entry * 16, 6);
  dir.writeUInt16BE(Math.log2(entry), 8);
  dir.writeUInt16BE(n * 16 - entry * 16, 10);
  const parts: Buffer[] = [dir];
  let at = dir.length;
  let headAt = 0;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    if (tag === 'head') headAt = at;
    dir.write(tag, 12 + i * 16, 'latin1');
    dir.writeUInt32BE(checksum(data), 12 + i * 16 + 4);
    dir.writeUInt32BE(at, 12 + i * 16 + 8);
    dir.writeUInt32BE(data.length, 12 + i * 16 + 12);
    const padded = pad4(data);
    parts.push(padded);
    at += padded.length;
  });
  const font = Buffer.concat(parts);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8);
  return font;
}

/**
 * A cmap with one format 12 subtable, for Windows Unicode full repertoire (3,10) and Unicode (0,4): the
 * merged glyph ids are scattered, so a format 4 table would outgrow its 64 KB limit.
 */
function cmap12(map: ReadonlyArray<[number, number]>): Buffer {
  const sub = cmapFormat12(map);
  const head = Buffer.alloc(4 + 2 * 8);
  head.writeUInt16BE(2, 2);
  head.writeUInt16BE(0, 4);
  head.writeUInt16BE(4, 6);
  head.writeUInt32BE(head.length, 8);
  head.writeUInt16BE(3, 12);
  head.writeUInt16BE(10, 14);
  head.writeUInt32BE(head.length, 16);
  return Buffer.concat([head, sub]);
}

/** Renumbers the components of a composite glyph by `base` (a simple glyph is returned as is). */
function shiftComponents(glyph: Buffer, base: number): Buffer {
  if (glyph.length < 10 || glyph.readInt16BE(0) >= 0 || base === 0) return glyph;
  const out = Buffer.from(glyph);
  let o = 10;
  for (let more = true; more;) {
    const flags = out.readUInt16BE(o);
    out.writeUInt16BE(out.readUInt16BE(o + 2) + base, o + 2);
    o += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
    more = (flags & 0x20) !== 0;
  }
  return out;
}

/**
 * One TrueType font from a face's unicode-range pieces (sfnt buffers with the ranges they serve, in
 * the stylesheet's order).
 */
export function mergePieces(pieces: ReadonlyArray<{ sfnt: Buffer; ranges: [number, number][] }>): Buffer {
  const first = readSfnt(pieces[0]!.sfnt).tables;
  const glyphs: Buffer[] = [];
  const metrics: Array<[number, number]> = [];
  const map = new Map<number, number>();
  const maxp = Buffer.from(first.get('maxp')!);
  const os2 = Buffer.from(first.get('OS/2')!);
  let advanceMax = 0;
  for (const piece of pieces) {
    const t = readSfnt(piece.sfnt).tables;
    const base = glyphs.length;
    const count = t.get('maxp')!.readUInt16BE(4);
    const long = t.get('head')!.readInt16BE(50) === 1;
    const loca = t.get('loca')!;
    const glyf = t.get('glyf')!;
    const at = (g: number): number => (long ? loca.readUInt32BE(4 * g) : loca.readUInt16BE(2 * g) * 2);
    const hmtx = t.get('hmtx')!;
    const hm = t.get('hhea')!.readUInt16BE(34);
    for (let g = 0; g < count; g++) {
      glyphs.push(shiftComponents(glyf.subarray(at(g), at(g + 1)), base));
      const advance = hmtx.readUInt16BE(4 * Math.min(g, hm - 1));
      const lsb = g < hm ? hmtx.readInt16BE(4 * g + 2) : hmtx.readInt16BE(4 * hm + 2 * (g - hm));
      metrics.push([advance, lsb]);
      advanceMax = Math.max(advanceMax, advance);
    }
    const served = (cp: number): boolean => piece.ranges.some(([a, b]) => cp >= a && cp <= b);
    for (const [cp, g] of sfntCmap(t.get('cmap')!)) if (served(cp) && !map.has(cp)) map.set(cp, base + g);
    // maxp's limits (maxPoints, maxContours, …): the largest of any piece.
    const m = t.get('maxp')!;
    for (let o = 6; o + 2 <= Math.min(maxp.length, m.length); o += 2)
      maxp.writeUInt16BE(Math.max(maxp.readUInt16BE(o), m.readUInt16BE(o)), o);
    // The scripts covered: every piece's Unicode ranges and code pages (GB2312 among them).
    const o2 = t.get('OS/2')!;
    for (const o of [42, 46, 50, 54, 78, 82])
      if (o + 4 <= o2.length && o + 4 <= os2.length)
        os2.writeUInt32BE((os2.readUInt32BE(o) | o2.readUInt32BE(o)) >>> 0, o);
  }
  if (glyphs.length > 0xffff) throw new Error(`too many glyphs to merge: ${glyphs.length}`);
  const loca = Buffer.alloc(4 * (glyphs.length + 1));
  const padded = glyphs.map(pad4);
  let offset = 0;
  padded.forEach((g, i) => {
    loca.writeUInt32BE(offset, 4 * i);
    offset += g.length;
  });
  loca.writeUInt32BE(offset, 4 * glyphs.length);
  const hmtx = Buffer.alloc(4 * metrics.length);
  metrics.forEach(([a, l], i) => {
    hmtx.writeUInt16BE(a, 4 * i);
    hmtx.writeInt16BE(l, 4 * i + 2);
  });
  const head = Buffer.from(first.get('head')!);
  head.writeUInt32BE(0, 8);
  head.writeInt16BE(1, 50);
  const hhea = Buffer.from(first.get('hhea')!);
  hhea.writeUInt16BE(advanceMax, 10);
  hhea.writeUInt16BE(metrics.length, 34);
  maxp.writeUInt16BE(glyphs.length, 4);
  const post = Buffer.from(first.get('post')!.subarray(0, 32));
  post.writeUInt32BE(0x00030000, 0);
  const tables: Tables = new Map([
    ['head', head],
    ['hhea', hhea],
    ['maxp', maxp],
    ['OS/2', os2],
    ['name', first.get('name')!],
    ['post', post],
    ['cmap', cmap12([...map].sort((a, b) => a[0] - b[0]))],
    ['glyf', Buffer.concat(padded)],
    ['loca', loca],
    ['hmtx', hmtx],
  ]);
  return writeSfnt(tables);
}

/** The merged file of one of the form's faces (FORM_FONTS), as TrueType bytes. */
export function mergedFace(face: (typeof FORM_FONTS)[number]): Buffer {
  const dir = fontPackageDir(face.pkg);
  if (!dir) throw new Error(`font package ${face.pkg} is missing: run npm install`);
  const subsets = fontsourceSubsets(readFileSync(path.join(dir, `${face.weight}.css`), 'utf8'));
  return mergePieces(
    subsets.map((s) => ({ sfnt: woffToSfnt(readFileSync(path.join(dir, 'files', s.woff))), ranges: s.ranges })),
  );
}

const FONTS_CONF = (fonts: string, cache: string): string => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${fonts}</dir>
  <cachedir>${cache}</cachedir>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans SC</family></prefer></alias>
  <alias binding="same"><family>Calibri</family><prefer><family>Noto Serif SC</family></prefer></alias>
  <alias binding="same"><family>serif</family><prefer><family>Noto Serif SC</family></prefer></alias>
  <alias binding="same"><family>sans-serif</family><prefer><family>Noto Sans SC</family></prefer></alias>
  <alias binding="same"><family>monospace</family><prefer><family>Noto Serif SC</family></prefer></alias>
</fontconfig>
`;

/**
 * Writes the merged faces and a fonts.conf naming only them under `dir`; returns the environment a
 * LibreOffice child process is given (FONTCONFIG_FILE, and a HOME of its own so no user font leaks in).
 */
export function libreOfficeFontEnv(dir: string): NodeJS.ProcessEnv {
  const fonts = path.join(dir, 'fonts');
  mkdirSync(fonts, { recursive: true });
  for (const face of FORM_FONTS) {
    const file = `${face.family.replace(/\s+/g, '')}-${face.weight}.ttf`;
    writeFileSync(path.join(fonts, file), mergedFace(face));
  }
  const conf = path.join(dir, 'fonts.conf');
  writeFileSync(conf, FONTS_CONF(fonts, path.join(dir, 'fc-cache')));
  mkdirSync(path.join(dir, 'home'), { recursive: true });
  return { ...process.env, FONTCONFIG_FILE: conf, HOME: path.join(dir, 'home') };
}
