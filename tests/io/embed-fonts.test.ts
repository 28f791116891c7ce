/**
 * `jxmb diff --embed-fonts`: the page carries only the font pieces its text needs, as data: URLs of the
 * right type: WOFF, fontsource's subsets for common text (named for their weight: io/fonts.ts), the
 * fallback's pieces for rare characters.
 */
import { describe, expect, it } from 'vitest';
import { embeddedFontCss } from '../../scripts/io/embed-fonts.ts';

describe('embeddedFontCss', () => {
  it('common text embeds no piece of the fallback', async () => {
    const css = await embeddedFontCss('部门整体绩效目标表');
    expect(css).toContain('url(data:font/woff;base64,d09GR');
    expect(css).not.toContain('font/woff2');
    expect(css).not.toContain('JXMB Han Fallback');
  });

  it('a name from Extension B embeds the one fallback piece that has it, as WOFF', async () => {
    const css = await embeddedFontCss('王𠀀');
    const fallback = css.match(/@font-face\s*{[^}]*JXMB Han Fallback[^}]*}/g) ?? [];
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toContain('url(data:font/woff;base64,d09GR');
  });
});
