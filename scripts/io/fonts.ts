/**
 * The CJK fonts ship with the project through npm (@fontsource/noto-serif-sc, @fontsource/noto-sans-sc):
 * a 宋体-style serif for the body and a 黑体-style sans for the title. Each weight is split into ~100
 * woff2 files by unicode-range, so a browser (and the PDF) only loads the subsets the text uses.
 *
 * This module finds those files and turns fontsource's CSS into one `fonts.css` that names the woff2
 * files beside it, for `out/assets/fonts/` (the HTML) and for the sealed browser page (the PDF).
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FaceMetrics, fontsourceSubsets } from '../render/predict/font-metrics.ts';
import type { FaceTable } from '../render/predict/predict.ts';
import { linkFileAtomic } from './files.ts';

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

/** Where the HTML finds the fonts, relative to out/: `assets/fonts/fonts.css`. */
export const FONT_DIR = 'assets/fonts';
export const FONT_CSS = 'fonts.css';

export interface FontAssets {
  /** One stylesheet with an @font-face per subset, `src: url(<file>.woff2)` relative to itself. */
  css: string;
  /** woff2 file name → absolute path inside node_modules. */
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
 * Rewrites one fontsource weight stylesheet: keeps only the woff2 source of each @font-face (every
 * browser that prints this form reads woff2) and points it at a bare file name.
 */
export function rewriteFontsourceCss(css: string): { css: string; files: string[] } {
  const files: string[] = [];
  const out = css.replace(/src:\s*url\(\.\/files\/([\w.-]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_m, file: string) => {
    files.push(file);
    return `src: url(${file}) format('woff2');`;
  });
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
    if (!cssFile || !existsSync(cssFile)) throw new FontsMissingError(`字体包 ${face.pkg} 未安装 font package ${face.pkg} is missing: run npm install`);
    const rewritten = rewriteFontsourceCss(await fs.readFile(cssFile, 'utf8'));
    for (const f of rewritten.files) files.set(f, path.join(dir, 'files', f));
    parts.push(`/* ${face.family} ${face.weight} (${face.pkg}, SIL Open Font License) */\n${rewritten.css}`);
  }
  cached = { css: parts.join('\n\n') + '\n', files };
  return cached;
}

/**
 * Copies the fonts into `<outDir>/assets/fonts/` (skipping files already there with the same size) and
 * writes fonts.css. Returns the number of files copied.
 */
export async function writeFontAssets(outDir: string, write: (file: string, data: string | Uint8Array) => Promise<unknown>): Promise<number> {
  const fonts = await loadFontAssets();
  const dir = path.join(outDir, FONT_DIR);
  await fs.mkdir(dir, { recursive: true });
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
    faceTable.set(`${face.family}|${face.weight}`, new FaceMetrics(fontsourceSubsets(css), (woff) => readFileSync(path.join(dir, 'files', woff))));
  }
  return faceTable;
}
