/** Helpers for the rendering tests: models from fixtures, and reading PDFs back with poppler. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkFile } from '../../scripts/check/check-file.ts';
import { requireBrowser } from '../../scripts/browser/find.ts';
import { BrowserPool } from '../../scripts/browser/pool.ts';
import { loadFontAssets } from '../../scripts/io/fonts.ts';
import { readFormTemplates } from '../../scripts/io/templates.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { createFormRenderer, type FormRenderer } from '../../scripts/render/html.ts';
import { sealPage } from '../../scripts/browser/form-page.ts';
import { FIXTURES, ROOT } from '../helpers.ts';

export const LONG_YAML = path.join(FIXTURES, 'paginate-60-indicators/data/2025/long-form.yaml');
export const HOSTILE_YAML = path.join(FIXTURES, 'sealed-hostile-text/data/2025/hostile-text.yaml');

/** The form model of a data file (which must have no errors). */
export function modelOf(file: string): FormModel {
  const rel = path.relative(path.dirname(path.dirname(file)), file);
  const c = checkFile(path.relative(ROOT, file), readFileSync(file), { settings: DEFAULT_SETTINGS, dataPath: rel });
  if (!c.model) throw new Error(`${file} has errors: ${c.diagnostics.map((d) => d.code).join(', ')}`);
  return c.model;
}

export async function formRenderer(): Promise<FormRenderer> {
  return createFormRenderer(await readFormTemplates());
}

/** One browser for a test file, with sealed pages, as the build uses it. */
export async function testPool(): Promise<BrowserPool> {
  const browser = await requireBrowser();
  const fonts = await loadFontAssets();
  return new BrowserPool({ executablePath: browser.path, setupPage: (p) => sealPage(p, fonts) });
}

const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** pdftotext of one page (1-based) or of the whole file. */
export const pdfText = (file: string, page?: number, layout = true): string =>
  run('pdftotext', [
    ...(layout ? ['-layout'] : []),
    ...(page ? ['-f', String(page), '-l', String(page)] : []),
    file,
    '-',
  ]);

/** Page count from pdfinfo. */
export const pdfPages = (file: string): number => Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]))![1]);

/** pdfinfo's key: value lines (UTF-8). */
export function pdfInfo(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-enc', 'UTF-8', file]).split('\n')) {
    const m = /^([^:]+):\s+(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** pdffonts rows: font name (subset tag stripped), embedded, subset. */
export function pdfFonts(file: string): { name: string; emb: boolean; sub: boolean; type: string }[] {
  return run('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const parts = l.trim().split(/\s+/);
      // name type... encoding emb sub uni objectID gen: the flags are the 5th-3rd from the end.
      const [emb, sub] = parts.slice(-5, -3);
      return {
        name: parts[0]!.replace(/^[A-Z]{6}\+/, ''),
        emb: emb === 'yes',
        sub: sub === 'yes',
        type: parts.slice(1, -5).join(' '),
      };
    });
}

/** Text without any whitespace: table cells wrap, so compare characters, not lines. */
export const squash = (s: string): string => s.replace(/\s+/g, '');

/** The cells of the reference export (tests/fixtures/reference/seed-2025.tsv), in order. */
export function referenceCells(tsv: string): string[] {
  const lines = tsv.split('\n').map((l) => l.replace(/\r$/, ''));
  const end = lines.findIndex((l) => l.startsWith('说明'));
  return lines
    .slice(0, end < 0 ? undefined : end)
    .flatMap((l) => l.split('\t'))
    .map((c) => c.trim())
    .filter(Boolean);
}

export interface Word {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

/** Every word of a PDF with its box (pdftotext -bbox), page by page. */
export function pdfWords(file: string): { pages: { width: number; height: number }[]; words: Word[] } {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const pages: { width: number; height: number }[] = [];
  const out: Word[] = [];
  const num = '="([\\d.]+)"';
  const word = `<word xMin${num} yMin${num} xMax${num} yMax${num}>([^<]*)</word>`;
  const re = new RegExp(`<page width${num} height${num}>|${word}`, 'g');
  const unescape = (t: string): string =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  for (const m of xml.matchAll(re)) {
    if (m[1]) pages.push({ width: Number(m[1]), height: Number(m[2]) });
    else {
      const [x0, y0, x1, y1] = [m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number];
      out.push({ page: pages.length, x0, y0, x1, y1, text: unescape(m[7]!) });
    }
  }
  return { pages, words: out };
}

/** The widths of the form's columns in % of the table, from templates/form.css (col.c-label … col.c-note). */
export function columnPercents(): number[] {
  const css = readFileSync(path.join(ROOT, 'templates/form.css'), 'utf8');
  return [...css.matchAll(/^col\.c-[\w-]+ \{ width: ([\d.]+)%; \}$/gm)].map((m) => Number(m[1]));
}

const MM = 72 / 25.4;

/** x of the left edge of column `col` (0: the label column; 10: the table's right edge) in pt, as printed. */
export function columnEdge(col: number): number {
  const pct = columnPercents();
  // A4 landscape, 10 mm left margin, the table 1 pt narrower than the sheet's 277 mm, centred.
  return 10 * MM + 0.5 + ((277 * MM - 1) * pct.slice(0, col).reduce((a, b) => a + b, 0)) / 100;
}

/**
 * The lines printed in column [from, to) (pt), page after page, top to bottom: the words whose boxes
 * start inside it, a line being the words at one height, joined left to right.
 */
export function columnLines(
  ws: readonly Word[],
  from: number,
  to: number,
): { page: number; y: number; text: string }[] {
  const inCol = ws.filter((w) => w.x0 >= from - 1 && w.x0 < to - 1 && w.x1 <= to + 1);
  const lines: Word[][] = [];
  for (const w of [...inCol].sort((a, b) => a.page - b.page || a.y0 - b.y0 || a.x0 - b.x0)) {
    const line = lines.at(-1);
    const mid = (w.y0 + w.y1) / 2;
    if (line && line[0]!.page === w.page && Math.abs((line[0]!.y0 + line[0]!.y1) / 2 - mid) < 3) line.push(w);
    else lines.push([w]);
  }
  return lines.map((l) => ({
    page: l[0]!.page,
    y: l[0]!.y0,
    text: l
      .sort((a, b) => a.x0 - b.x0)
      .map((w) => w.text)
      .join(''),
  }));
}
