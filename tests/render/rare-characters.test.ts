/**
 * Characters the form fonts lack. Names with characters of CJK Extensions B–G print with glyphs of the
 * bundled fallback (pdffonts shows it embedded, pdftotext gives the characters back); a form that needs
 * none (the seed) loads none of it; a character no bundled font has (emoji, private use) is not drawn
 * with a font of this machine: the PDF embeds bundled fonts only. One real Chromium for the file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealedFontEnv } from '../../scripts/browser/launch.ts';
import { type BrowserPool } from '../../scripts/browser/pool.ts';
import { FALLBACK_DIR, lastResortFont, loadFontAssets } from '../../scripts/io/fonts.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import type { FormRenderer } from '../../scripts/render/html.ts';
import { renderFormOnPage, takeRequestLog } from '../../scripts/browser/form-page.ts';
import { SEED_YAML, FIXTURES } from '../helpers.ts';
import { formRenderer, modelOf, pdfFonts, pdfText, squash, testPool } from './render-helpers.ts';

const RARE_YAML = path.join(FIXTURES, 'rare-characters/data/2025/zhijiang-swkjgxj.yaml');
/** The fixture's sign-off: preparer 王𠀀𪜀 (Ext B, C), head 李𫝀𫠠𬺰𰀀 (Ext D, E, F, G). */
const NAMES = ['王𠀀𪜀', '李𫝀𫠠𬺰𰀀'];

/** Font names a PDF may embed: the bundled faces (fontsource's Noto, the fallback's sources). */
const BUNDLED = /^(NotoSerifSC|NotoSansSC|HanaMinA|HanaMinB|BabelStoneHan)/;

let pool: BrowserPool;
let renderer: FormRenderer;
let tmp: string;

async function render(name: string, model: FormModel): Promise<{ file: string; requests: string[] }> {
  let requests: string[] = [];
  const form = await pool.withPage(async (page) => {
    takeRequestLog(page);
    const opts = { renderer, pdf: true, creator: 'jxmb test', docPath: `2025/${name}.html` };
    const f = await renderFormOnPage(page, model, opts);
    requests = takeRequestLog(page).map((r) => r.url);
    return f;
  });
  const file = path.join(tmp, `${name}.pdf`);
  writeFileSync(file, form.pdf!);
  return { file, requests };
}

const embedded = (file: string): string[] => [...new Set(pdfFonts(file).map((f) => f.name))];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jxmb-rare-'));
  renderer = await formRenderer();
  pool = await testPool();
});

afterAll(async () => {
  await pool?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('names from CJK Extensions B–G', () => {
  it('print with the fallback embedded, and pdftotext gives the characters back', async () => {
    const { file, requests } = await render('rare', modelOf(RARE_YAML));
    const fonts = embedded(file);
    expect(fonts).toEqual(expect.arrayContaining(['HanaMinB', 'BabelStoneHan']));
    for (const f of pdfFonts(file)) {
      expect(f.name).toMatch(BUNDLED);
      expect(f.emb).toBe(true);
    }
    const text = squash(pdfText(file));
    for (const name of NAMES) expect(text).toContain(name);
    // Only the pieces holding these characters were loaded, not the whole fallback.
    const pieces = requests.filter((u) => /\/fallback-\d+-[\w]+\.woff$/.test(u));
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces.length).toBeLessThanOrEqual(6);
  });

  it('the seed loads no piece of the fallback and embeds only Noto', async () => {
    const { file, requests } = await render('seed', modelOf(SEED_YAML));
    expect(requests.filter((u) => u.includes('fallback-'))).toEqual([]);
    for (const f of embedded(file)) expect(f).toMatch(/^Noto(Serif|Sans)SC/);
  });
});

describe('no font of this machine is used', () => {
  it('an emoji and private-use characters get no host font: the PDF embeds bundled fonts only', async () => {
    // A model as the checks would never let through (check/glyphs.ts reports these characters): the
    // renderer's last line of defence. Hosts with DejaVu or Noto Color Emoji would otherwise supply them.
    const model = modelOf(SEED_YAML);
    const line = '填表人：王😀\uE000\u{F0000}✈︎Ω';
    const withOdd = { ...model, signatureLine: line };
    const { file } = await render('odd', withOdd);
    const fonts = embedded(file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(BUNDLED);
  });

  const fcList = spawnSync('fc-list', ['--version']).status === 0;
  it.skipIf(!fcList)("Chromium's fontconfig knows one font, a bundled one (with fixed rendering settings)", () => {
    const env = sealedFontEnv({});
    const fcEnv = { ...process.env, ...env };
    const list = execFileSync('fc-list', [':', 'file', 'family'], { env: fcEnv, encoding: 'utf8' });
    const lines = list.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Noto Serif SC');
    expect(readFileSync(lines[0]!.split(':')[0]!).equals(lastResortFont())).toBe(true);
    expect(readFileSync(env.FONTCONFIG_FILE!, 'utf8')).toContain('hintslight');
  });
});

describe('the bundled fallback', () => {
  it('every piece named in fonts.css is there, with a unicode-range', async () => {
    const fonts = await loadFontAssets();
    const pieces = [...fonts.files].filter(([name]) => name.startsWith('fallback-'));
    expect(pieces.length).toBeGreaterThan(10);
    for (const [, file] of pieces) expect(path.dirname(file)).toBe(FALLBACK_DIR);
    const face =
      /font-family: 'JXMB Han Fallback';[^}]*src: url\(fallback-00-\w+\.woff\) format\('woff'\);\s*unicode-range: U\+/;
    expect(fonts.css).toMatch(face);
  });
});
