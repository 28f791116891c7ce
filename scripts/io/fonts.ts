/**
 * The CJK fonts ship with the project through npm (@fontsource/noto-serif-sc, @fontsource/noto-sans-sc):
 * a 宋体-style serif for the body and a 黑体-style sans for the title. Each weight is split into ~100
 * files by unicode-range, so a browser (and the PDF) only loads the subsets the text uses.
 *
 * This module finds those files and turns fontsource's CSS into one `fonts.css` that names the WOFF
 * files beside it, for `out/assets/fonts/` (the HTML) and for the sealed browser page (the PDF).
 *
 * WOFF 1.0, not fontsource's WOFF2: its WOFF2 files are cut from the variable font and keep its default
 * instance's names (`NotoSerifSCExtraLight-Regular`, `NotoSansSCThin-Bold`), which a PDF then embeds
 * and a print shop's preflight reads as hairlines; its WOFF files of the same subsets are named for the
 * weight they draw (`NotoSerifSC-Regular`, `NotoSansSC-Bold`), with the same outlines and advances
 * (render/predict reads its advances from them). They are about a quarter larger.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  promises as fs,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlyphCoverage } from '../check/glyphs.ts';
import { inflateSync } from 'node:zlib';
import {
  cmapCodePoints,
  FaceMetrics,
  fontsourceSubsets,
  woffCmapEntry,
  woffToSfnt,
} from '../render/predict/font-metrics.ts';
import type { FaceTable } from '../render/predict/predict.ts';
import { ensureDir, linkFileAtomic } from './files.ts';

/** A face the form uses: family, weight, and the npm package it comes from. */
export interface FontFaceSpec {
  family: string;
  weight: number;
  pkg: string;
}

/** Few weights on purpose: every weight is another ~4 MB of subsets. */
export const FORM_FONTS: readonly FontFaceSpec[] = [
  { family: 'Noto Serif SC', weight: 400, pkg: '@fontsource/noto-serif-sc' },
  { family: 'Noto Serif SC', weight: 700, pkg: '@fontsource/noto-serif-sc' },
  { family: 'Noto Sans SC', weight: 700, pkg: '@fontsource/noto-sans-sc' },
];

/**
 * The fallback for what those faces lack (rare ideographs of CJK Extension A–H, in people's names):
 * 花園明朝 HanaMinA/B and BabelStone Han, cut into WOFF pieces with unicode-ranges by
 * setup/fallback-font.ts and kept in the repository (no npm package covers Extensions B–G). Every font
 * stack of the form names it right after its own face, and nothing else: no host font is ever used.
 */
export const FALLBACK_FAMILY = 'JXMB Han Fallback';
export const FALLBACK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fonts/fallback');
export const FALLBACK_CSS = 'fallback.css';

/** Where the HTML finds the fonts, relative to out/: `assets/fonts/fonts.css`. */
export const FONT_DIR = 'assets/fonts';
export const FONT_CSS = 'fonts.css';

export interface FontAssets {
  /** One stylesheet with an @font-face per subset, `src: url(<file>.woff)` relative to itself. */
  css: string;
  /** WOFF file name → absolute path inside node_modules (or fonts/fallback/). */
  files: Map<string, string>;
}

/** Raised when a font package is not installed (run `npm install`). */
export class FontsMissingError extends Error {
  override name = 'FontsMissingError';
}

const require = createRequire(import.meta.url);

/** The folder of an installed fontsource package, or undefined. */
export function fontPackageDir(pkg: string): string | undefined {
  try {
    // The packages' export maps turn `./x` into `./x.css`, so resolve a CSS file that always exists.
    return path.dirname(require.resolve(`${pkg}/400.css`));
  } catch {
    return undefined;
  }
}

/**
 * Rewrites one fontsource weight stylesheet: keeps only the WOFF source of each @font-face (the one
 * named for its weight: see above) and points it at a bare file name.
 */
export function rewriteFontsourceCss(css: string): { css: string; files: string[] } {
  const files: string[] = [];
  const out = css.replace(
    /src:[^;]*\burl\(\.\/files\/([\w.-]+\.woff)\)\s*format\('woff'\)[^;]*;/g,
    (_m, file: string) => {
      files.push(file);
      return `src: url(${file}) format('woff');`;
    },
  );
  return { css: out.replace(/\/\*[^*]*\*\/\n/g, '').trim(), files };
}

let cached: FontAssets | undefined;

/** Reads the font packages once per process. Throws FontsMissingError when a package is missing. */
export async function loadFontAssets(): Promise<FontAssets> {
  if (cached) return cached;
  const parts: string[] = [];
  const files = new Map<string, string>();
  for (const face of FORM_FONTS) {
    const dir = fontPackageDir(face.pkg);
    const cssFile = dir && path.join(dir, `${face.weight}.css`);
    if (!cssFile || !existsSync(cssFile))
      throw new FontsMissingError(`字体包 ${face.pkg} 未安装 font package ${face.pkg} is missing: run npm install`);
    const rewritten = rewriteFontsourceCss(await fs.readFile(cssFile, 'utf8'));
    for (const f of rewritten.files) files.set(f, path.join(dir, 'files', f));
    parts.push(`/* ${face.family} ${face.weight} (${face.pkg}, SIL Open Font License) */\n${rewritten.css}`);
  }
  const fallbackCss = path.join(FALLBACK_DIR, FALLBACK_CSS);
  if (!existsSync(fallbackCss)) {
    const what = `备用字体缺失 fallback font missing: ${fallbackCss}`;
    throw new FontsMissingError(`${what} — 请重新检出仓库 check out the repository again`);
  }
  const fallback = await fs.readFile(fallbackCss, 'utf8');
  for (const m of fallback.matchAll(/url\(([\w.-]+\.woff)\)/g)) files.set(m[1]!, path.join(FALLBACK_DIR, m[1]!));
  // Last: a browser takes, per character, the first family in the stack that has it.
  const licenses = 'HanaMin: SIL Open Font License; BabelStone Han: Arphic Public License';
  parts.push(`/* ${FALLBACK_FAMILY} (${licenses}) */\n${fallback.trim()}`);
  cached = { css: parts.join('\n\n') + '\n', files };
  return cached;
}

/**
 * Copies the fonts into `<outDir>/assets/fonts/` (skipping files already there with the same size) and
 * writes fonts.css. Returns the number of files copied.
 */
export async function writeFontAssets(
  outDir: string,
  write: (file: string, data: string | Uint8Array) => Promise<unknown>,
): Promise<number> {
  const fonts = await loadFontAssets();
  const dir = path.join(outDir, FONT_DIR);
  await ensureDir(dir);
  let copied = 0;
  const files = [...fonts.files];
  // A few at a time: hundreds of small files, one after another, took ~0.6 s.
  const worker = async (): Promise<void> => {
    for (let next = files.shift(); next; next = files.shift()) {
      const [name, src] = next;
      const dest = path.join(dir, name);
      const [a, b] = await Promise.all([fs.stat(src), fs.stat(dest).catch(() => undefined)]);
      if (b && b.size === a.size) continue;
      // Linked where the file system allows (no bytes written), else copied.
      await linkFileAtomic(src, dest).catch(async () => write(dest, await fs.readFile(src)));
      copied++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await write(path.join(dir, FONT_CSS), fonts.css);
  return copied;
}

/** What `jxmb doctor` reports: each face, whether its package is installed, and how many subsets it has. */
export async function fontReport(): Promise<{ face: FontFaceSpec; dir?: string; subsets: number }[]> {
  return Promise.all(
    FORM_FONTS.map(async (face) => {
      const dir = fontPackageDir(face.pkg);
      if (!dir) return { face, subsets: 0 };
      const css = await fs.readFile(path.join(dir, `${face.weight}.css`), 'utf8').catch(() => '');
      const { files } = rewriteFontsourceCss(css);
      const present = files.filter((f) => existsSync(path.join(dir, 'files', f))).length;
      return { face, dir, subsets: present };
    }),
  );
}

/** What `jxmb doctor` reports of the fallback: its folder, pieces present / listed, characters. */
export function fallbackReport(): { dir: string; listed: number; present: number; characters: number } {
  const css = (() => {
    try {
      return readFileSync(path.join(FALLBACK_DIR, FALLBACK_CSS), 'utf8');
    } catch {
      return '';
    }
  })();
  const files = [...css.matchAll(/url\(([\w.-]+\.woff)\)/g)].map((m) => m[1]!);
  const present = files.filter((f) => existsSync(path.join(FALLBACK_DIR, f))).length;
  let characters = 0;
  for (const m of css.matchAll(/unicode-range:\s*([^;]+);/g)) {
    for (const r of m[1]!.split(',')) {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      characters += parseInt(b ?? a!, 16) - parseInt(a!, 16) + 1;
    }
  }
  return { dir: FALLBACK_DIR, listed: files.length, present, characters };
}

/** A set of code points as one bit each (0x110000 bits, 136 KB): `has` is one array read. */
class CodePointBits implements GlyphCoverage {
  readonly bits = new Uint8Array(0x110000 >> 3);
  add(cp: number): void {
    this.bits[cp >> 3]! |= 1 << (cp & 7);
  }
  has(cp: number): boolean {
    return (this.bits[cp >> 3]! & (1 << (cp & 7))) !== 0;
  }
}

/** The cmap table of a WOFF 1.0 file, reading only its directory and that table (not the outlines). */
function readWoffCmap(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const read = (offset: number, length: number): Buffer => {
      const b = Buffer.alloc(length);
      return b.subarray(0, readSync(fd, b, 0, length, offset));
    };
    const entry = woffCmapEntry(read(0, 44 + 20 * read(12, 2).readUInt16BE(0)));
    if (!entry) throw new Error(`${file}: no cmap`);
    const raw = read(entry.offset, entry.length);
    return entry.compressed ? inflateSync(raw) : raw;
  } finally {
    closeSync(fd);
  }
}

let coverage: GlyphCoverage | undefined;

/** Bumped when the way coverage is computed changes, so that no older cache file is taken. */
const COVERAGE_VERSION = 'glyph-coverage 1';
/** node_modules/.cache/jxmb/: where tools keep what they can compute again. */
const COVERAGE_CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/jxmb');

const packageVersion = (dir: string): string => {
  try {
    return String((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version);
  } catch {
    return '?';
  }
};

/**
 * The characters the form can print with a bundled font: those every face of FORM_FONTS has (a
 * character one face lacks falls through to the fallback in that face's text), plus the fallback's.
 * Read from the fonts' cmaps once per process (~0.2 s); check/glyphs.ts reports any other character.
 * A font that cannot be read adds nothing: its characters are reported, never printed as tofu.
 */
export function glyphCoverage(): GlyphCoverage | undefined {
  if (coverage) return coverage;
  // Without the form's own fonts nothing can be judged; the build says what to install (FontsMissingError).
  const dirs = FORM_FONTS.map((face) => fontPackageDir(face.pkg));
  if (dirs.some((d) => !d)) return undefined;
  let fallbackCss = '';
  try {
    fallbackCss = readFileSync(path.join(FALLBACK_DIR, FALLBACK_CSS), 'utf8');
  } catch {
    // No fallback: its characters are reported.
  }
  // Reading ~350 cmaps takes ~0.4 s; the result (136 KB) is kept on disk, keyed by what it was read from.
  const key = createHash('sha256').update(COVERAGE_VERSION).update(fallbackCss);
  FORM_FONTS.forEach((face, i) => {
    key.update(`${face.pkg}@${packageVersion(dirs[i]!)}/${face.weight}`);
    key.update(readFileSync(path.join(dirs[i]!, `${face.weight}.css`)));
  });
  const cacheFile = path.join(COVERAGE_CACHE_DIR, `glyph-coverage-${key.digest('hex').slice(0, 16)}.bin`);
  const bits = new CodePointBits();
  try {
    const cached = readFileSync(cacheFile);
    if (cached.length === bits.bits.length) {
      bits.bits.set(cached);
      return (coverage = bits);
    }
  } catch {
    // Not computed yet.
  }
  let common: Uint8Array | undefined;
  FORM_FONTS.forEach((face, i) => {
    const dir = dirs[i]!;
    const have = new CodePointBits();
    for (const s of fontsourceSubsets(readFileSync(path.join(dir, `${face.weight}.css`), 'utf8'))) {
      const inRange = (cp: number): boolean => s.ranges.some(([a, b]) => cp >= a && cp <= b);
      try {
        cmapCodePoints(readWoffCmap(path.join(dir, 'files', s.woff)), (cp) => inRange(cp) && have.add(cp));
      } catch {
        // A subset that cannot be read adds nothing: its characters are reported, not printed as tofu.
      }
    }
    if (!common) common = have.bits;
    else for (let j = 0; j < common.length; j++) common[j]! &= have.bits[j]!;
  });
  if (common) bits.bits.set(common);
  // The pieces fallback.css names (the browser loads no others), each exactly its unicode-range.
  for (const [, f] of fallbackCss.matchAll(/url\(([\w.-]+\.woff)\)/g)) {
    try {
      cmapCodePoints(readWoffCmap(path.join(FALLBACK_DIR, f!)), (cp) => bits.add(cp));
    } catch {
      // As above: reported, not printed.
    }
  }
  try {
    mkdirSync(COVERAGE_CACHE_DIR, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, bits.bits);
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only install computes it each time: slower, same answer.
  }
  return (coverage = bits);
}

/**
 * The one font Chromium may find on the "machine" (browser/launch.ts sealedFontEnv): Chromium needs some
 * system font as its last resort (with none it renders no text at all), so it gets the Latin subset of
 * the bundled Noto Serif SC as a TrueType file. A character no bundled font has then prints as that
 * font's empty box, never with a host font. Throws FontsMissingError without the font package.
 */
export function lastResortFont(): Buffer {
  const face = FORM_FONTS[0]!;
  const file = path.join(fontPackageDir(face.pkg) ?? '', 'files', `noto-serif-sc-latin-${face.weight}-normal.woff`);
  try {
    return woffToSfnt(readFileSync(file));
  } catch {
    throw new FontsMissingError(`字体文件缺失 font file missing: ${file} — 运行 run npm install (${face.pkg})`);
  }
}

let faceTable: Map<string, FaceMetrics> | undefined;

/**
 * Glyph advances of the form's faces, for predicting line breaks (render/predict), keyed
 * `family|weight` as the browser reports a computed style. Each subset's WOFF file is read on first use.
 */
export function formFaceMetrics(): FaceTable {
  if (faceTable) return faceTable;
  faceTable = new Map();
  for (const face of FORM_FONTS) {
    const dir = fontPackageDir(face.pkg);
    if (!dir) continue;
    const css = readFileSync(path.join(dir, `${face.weight}.css`), 'utf8');
    faceTable.set(
      `${face.family}|${face.weight}`,
      new FaceMetrics(fontsourceSubsets(css), (woff) => readFileSync(path.join(dir, 'files', woff))),
    );
  }
  return faceTable;
}
