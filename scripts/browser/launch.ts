/**
 * Launching one headless, offline, reproducible Chromium: its flags, the fontconfig it is given (only
 * bundled fonts), and puppeteer's launch with signals left to the pool.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { EnvironmentError } from '../io/errors.ts';
import { lastResortFont } from '../io/fonts.ts';

/**
 * Flags for a headless, offline, reproducible Chromium. No sandbox only as root (Chromium refuses to
 * start otherwise); no network services, since a sealed render fetches nothing anyway; unhinted font
 * metrics, so text measures the same here as in a desktop browser printing the .html.
 */
export function launchArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-default-apps',
    '--disable-extensions',
    '--no-first-run',
    '--no-default-browser-check',
    '--font-render-hinting=none',
    '--disable-dev-shm-usage',
    // Fewer processes, less memory (measured on a 200-form build: 15 → 9 processes, ~500 MB less
    // summed RSS, same bytes out): the GPU and network services run inside the browser process, no
    // spare renderer is kept warm, and the new headless mode's omnibox popups (WebUI pages with a
    // renderer each, never shown) are not created. puppeteer merges these feature lists with its own.
    '--in-process-gpu',
    '--enable-features=NetworkServiceInProcess2',
    '--disable-features=SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
  ];
  if (process.platform === 'linux' && (process.getuid?.() === 0 || process.env.JXMB_NO_SANDBOX === '1'))
    args.push('--no-sandbox');
  return args;
}

/**
 * Chromium's environment: the caller's, with FONTCONFIG_FILE naming a fontconfig whose only font is
 * a bundled one (io/fonts.ts lastResortFont). The form names only bundled fonts, but for a character
 * none of them has Chromium asks fontconfig and would draw it with whatever font this machine has (an
 * emoji in colour here, another glyph there): output that depends on the machine. Now it is an empty
 * box of a bundled font — and check/glyphs.ts reports such a character before anything is rendered.
 * (Chromium needs one system font: with none at all it draws no text.) macOS and Windows builds of
 * Chromium do not use fontconfig; there the check alone guards.
 */
export function sealedFontEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (process.platform !== 'linux') return env;
  const font = lastResortFont();
  // Named by its content: jxmb versions with another font never share (or rewrite) the folder.
  const hash = createHash('sha256').update(font).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `jxmb-fontconfig-${process.getuid?.() ?? 'user'}-${hash}`);
  const conf =
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
    `  <dir>${path.join(dir, 'fonts')}</dir>\n  <cachedir>${path.join(dir, 'cache')}</cachedir>\n` +
    // The rendering settings Chromium takes from fontconfig (they move glyphs by fractions of a point),
    // fixed here to those of a stock Debian/Ubuntu (conf.d 10-hinting-slight, 10-yes-antialias,
    // 11-lcdfilter-default) rather than taken from this machine's configuration.
    '  <match target="pattern">\n' +
    '    <edit name="antialias" mode="assign"><bool>true</bool></edit>\n' +
    '    <edit name="hinting" mode="assign"><bool>true</bool></edit>\n' +
    '    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>\n' +
    '    <edit name="autohint" mode="assign"><bool>false</bool></edit>\n' +
    '    <edit name="lcdfilter" mode="assign"><const>lcddefault</const></edit>\n' +
    '    <edit name="rgba" mode="assign"><const>none</const></edit>\n' +
    '    <edit name="embeddedbitmap" mode="assign"><bool>true</bool></edit>\n' +
    '  </match>\n</fontconfig>\n';
  const put = (file: string, data: string | Buffer): void => {
    try {
      if (readFileSync(file).equals(Buffer.from(data))) return;
    } catch {
      // Not there yet.
    }
    mkdirSync(path.dirname(file), { recursive: true });
    // Written whole under another name, then renamed: a browser starting meanwhile reads all or nothing.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  };
  put(path.join(dir, 'fonts', 'jxmb-last-resort.ttf'), font);
  put(path.join(dir, 'fonts.conf'), conf);
  return { ...env, FONTCONFIG_FILE: path.join(dir, 'fonts.conf') };
}

/**
 * Launches one browser with its own profile folder. Signals are left to the caller (BrowserPool):
 * puppeteer's own SIGTERM handling closes the browser but lets the process run on.
 */
export async function launchBrowser(executablePath: string, userDataDir?: string): Promise<Browser> {
  const puppeteer = (await import('puppeteer-core')).default;
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: /headless[-_]shell/i.test(executablePath) ? 'shell' : true,
      args: launchArgs(),
      env: sealedFontEnv(),
      pipe: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...(userDataDir ? { userDataDir } : {}),
      timeout: 60_000,
    });
    // puppeteer stops listening to the DevTools pipe when it closes the connection; a browser killed
    // right then (a build that ends while its pages are still opening) resets the pipe, and an
    // 'error' nobody listens to would end the process with a stack trace. Nothing is lost by ignoring it.
    for (const stream of browser.process()?.stdio ?? []) stream?.on('error', () => undefined);
    return browser;
  } catch (e) {
    throw new EnvironmentError(
      `无法启动浏览器 cannot start the browser ${executablePath}: ${(e as Error).message.split('\n')[0]}. ` +
        '运行 jxmb doctor 查看原因 (run jxmb doctor)',
    );
  }
}
