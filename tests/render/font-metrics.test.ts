/**
 * Glyph advances read from the bundled fonts (render/predict/font-metrics.ts): the WOFF tables, the
 * fontsource subsets and the browser's rule for overlapping unicode-ranges (the last declared wins).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontPackageDir, formFaceMetrics } from '../../scripts/io/fonts.ts';
import { FaceMetrics, fontsourceSubsets, woffAdvances } from '../../scripts/render/predict/font-metrics.ts';

describe('font metrics', () => {
  const dir = fontPackageDir('@fontsource/noto-serif-sc')!;
  const subsets = fontsourceSubsets(readFileSync(path.join(dir, '400.css'), 'utf8'));

  it('lists every subset of a weight with its ranges', () => {
    expect(subsets.length).toBeGreaterThan(90);
    const latin = subsets.at(-1)!;
    expect(latin.woff).toBe('noto-serif-sc-latin-400-normal.woff');
    expect(latin.ranges[0]).toEqual([0, 0xff]);
  });

  it('reads advances from a WOFF file: ideographs a full em, digits proportional', () => {
    const latin = woffAdvances(readFileSync(path.join(dir, 'files', subsets.at(-1)!.woff)));
    expect(latin.get(0x30)).toBeGreaterThan(0.4);
    expect(latin.get(0x30)).toBeLessThan(0.7);
    expect(latin.get(0x31)).not.toBe(latin.get(0x30));
    expect(() => woffAdvances(new Uint8Array(64))).toThrow(/WOFF/);
  });

  it('finds each character in the subset the browser would use, and nothing for what no subset has', () => {
    const serif = formFaceMetrics().get('Noto Serif SC|400')!;
    expect(serif.advance('中'.codePointAt(0)!)).toBe(1);
    expect(serif.advance('，'.codePointAt(0)!)).toBe(1);
    expect(serif.advance(0xe000)).toBeUndefined();
    expect(formFaceMetrics().get('Noto Sans SC|700')!.advance('中'.codePointAt(0)!)).toBe(1);
    // The last declared subset covering a character wins; one without the glyph is passed over.
    const read = (woff: string): Uint8Array => readFileSync(path.join(dir, 'files', woff));
    const latin = subsets.at(-1)!;
    const fake = new FaceMetrics([latin, { ranges: [[0x30, 0x39]], woff: subsets[0]!.woff }], read);
    expect(fake.advance(0x30)).toBe(woffAdvances(read(latin.woff)).get(0x30));
    // A subset that cannot be read lacks everything (so the text is measured, not predicted).
    const broken = new FaceMetrics([latin], () => {
      throw new Error('ENOENT');
    });
    expect(broken.advance(0x30)).toBeUndefined();
  });
});
