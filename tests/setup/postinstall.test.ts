/**
 * The install step (scripts/setup/postinstall.js, run by npm install/ci): finds a browser, or tries to get
 * one, and never fails the install. Run as npm runs it: a separate node process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../scripts/browser/find.ts';
import { ROOT } from '../helpers.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'jxmb-postinstall-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function postinstall(env: Record<string, string | undefined>): { code: number | null; err: string } {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(JXMB_|PUPPETEER_)/.test(k)) base[k] = v;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/setup/postinstall.js')], {
    cwd: ROOT,
    env: base,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // Its last step compiles scripts/ when the compiled copy is stale (tests/setup/compile.test.ts): not what these
  // tests are about.
  return {
    code: r.status,
    err: r.stderr
      .split('\n')
      .filter((l) => !l.includes('compiled') && !l.includes('compile failed'))
      .join('\n'),
  };
}

describe('postinstall', () => {
  it('reports the browser it found', async () => {
    const { found } = await findBrowser();
    const r = postinstall({ JXMB_CHROME: found!.path });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`browser for PDFs: ${found!.path} (JXMB_CHROME)`);
  });

  it('skips when JXMB_SKIP_BROWSER=1', () => {
    const r = postinstall({ JXMB_SKIP_BROWSER: '1', JXMB_CHROME: '/nonexistent' });
    expect(r.code).toBe(0);
    expect(r.err).toContain('skipping the browser check');
  });

  it('with no browser and no way to get one: tries the download, then one line of what to do, exit 0', () => {
    const r = postinstall({
      HOME: home,
      JXMB_BROWSER_SEARCH_PATHS: '',
      JXMB_NO_APT: '1',
      // A download host that refuses at once, and a fixed version (no lookup on the internet).
      JXMB_CHROME_MIRROR: 'http://127.0.0.1:9',
      JXMB_CHROME_BUILD: '131.0.6778.85',
    });
    expect(r.code).toBe(0);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toContain('downloading chrome-headless-shell 131.0.6778.85');
    expect(lines.at(-1)).toContain('apt-get install chromium');
    expect(lines.at(-1)).toContain('JXMB_CHROME');
  });

  it('a wrongly named browser is reported, not papered over', () => {
    const r = postinstall({ JXMB_CHROME: '/nonexistent/chrome' });
    expect(r.code).toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('JXMB_CHROME=/nonexistent/chrome');
  });
});
