/**
 * The project's CJK fonts as a self-contained stylesheet for one page (`jxmb diff --format html
 * --embed-fonts`): only the unicode-range subsets the page's text needs, as data: URLs, so the page
 * looks the same on any machine with no network and no installed Chinese fonts.
 */
import { promises as fs } from 'node:fs';
import { loadFontAssets } from './fonts.ts';

/** `U+4e00-4e3f, U+20` → [[0x4e00, 0x4e3f], [0x20, 0x20]] */
export function parseUnicodeRange(range: string): Array<[number, number]> {
  return range
    .split(',')
    .map((p) => p.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((p) => {
      if (p.includes('?'))
        return [parseInt(p.replace(/\?/g, '0'), 16), parseInt(p.replace(/\?/g, 'f'), 16)] as [number, number];
      const [a, b] = p.split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
    });
}

/** @font-face rules whose unicode-range meets `text`, with their font files inlined. */
export async function embeddedFontCss(text: string): Promise<string> {
  const fonts = await loadFontAssets();
  const used = new Set<number>();
  for (const ch of text) used.add(ch.codePointAt(0)!);
  const points = [...used].sort((a, b) => a - b);
  const out: string[] = [];
  for (const block of fonts.css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    const file = /url\(([^)]+)\)/.exec(block)?.[1];
    if (!file || !fonts.files.has(file)) continue;
    const ranges = range ? parseUnicodeRange(range) : [[0, 0x10ffff] as [number, number]];
    if (!points.some((p) => ranges.some(([a, b]) => p >= a && p <= b))) continue;
    const data = (await fs.readFile(fonts.files.get(file)!)).toString('base64');
    // WOFF 1.0 all (io/fonts.ts); a stylesheet naming WOFF2 would get its type.
    const type = file.endsWith('.woff2') ? 'font/woff2' : 'font/woff';
    out.push(block.replace(`url(${file})`, `url(data:${type};base64,${data})`));
  }
  return out.join('\n');
}
