/** `jxmb doctor`: reports browser and fonts, and what to do when something is missing. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../scripts/browser/find.ts';
import { expectGolden, runCli } from '../helpers.ts';

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe('jxmb doctor', () => {
  it('usage text (golden)', async () => {
    const r = await runCli(['doctor', '--help']);
    expect(r.code).toBe(0);
    await expectGolden('usage/doctor.txt', r.out + '\n');
  });

  it('reports the browser (path, version, a test print) and the fonts', async () => {
    const { found } = await findBrowser();
    const r = await runCli(['doctor']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(found!.path);
    expect(r.out).toMatch(/版本 version\s+✓ \S+\/\d+\.\d+/);
    expect(r.out).toContain('prints fine');
    for (const face of ['Noto Serif SC 400', 'Noto Serif SC 700', 'Noto Sans SC 700'])
      expect(r.out).toMatch(new RegExp(`✓ ${face}: \\d+ 个子集文件`));
    // The fallback for CJK Extension A–H characters, with how many it covers; host fonts are not used.
    expect(r.out).toMatch(/✓ JXMB Han Fallback（生僻字备用 rare characters, CJK Ext\. A–H）: \d{5} 个字符 characters/);
    expect(r.out).toContain('host fonts are not used');
    expect(r.out.trim().split('\n').at(-1)).toContain('ready to build');
  });

  it('says what to do when the named browser is not there (exit 1)', async () => {
    const r = await withEnv({ JXMB_CHROME: path.join('/nonexistent', 'chrome') }, () =>
      runCli(['doctor', '--no-launch']),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('JXMB_CHROME=/nonexistent/chrome');
    expect(r.out).toContain('apt-get install chromium');
    expect(r.out).toContain('chrome-headless-shell@stable');
  });

  it('reports LibreOffice as optional: its version, or how to install it (no problem either way)', async () => {
    const found = await runCli(['doctor']);
    expect(found.out).toMatch(/^LibreOffice ✓ LibreOffice \d+\.\d+\S* .*soffice（导入 \.xls\/\.doc 时使用/m);
    const r = await withEnv({ JXMB_SOFFICE: '/nonexistent/soffice' }, () => runCli(['doctor', '--no-launch']));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^LibreOffice · 未安装 not installed（可选 optional/m);
    expect(r.out).toContain('apt-get install libreoffice-calc-nogui libreoffice-writer-nogui');
    expect(r.out.trim().split('\n').at(-1)).toContain('ready to build');
  });

  it('says what to do when there is no browser anywhere', async () => {
    const r = await withEnv(
      {
        JXMB_CHROME: undefined,
        PUPPETEER_EXECUTABLE_PATH: undefined,
        PUPPETEER_CACHE_DIR: '/nonexistent',
        JXMB_BROWSER_SEARCH_PATHS: '',
      },
      () => runCli(['doctor']),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/浏览器 browser ✗ 找不到/);
  });
});
