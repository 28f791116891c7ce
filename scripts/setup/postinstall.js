// `npm install` / `npm ci` run this (package.json "postinstall"): make sure there is a Chrome/Chromium
// to print PDFs with. It never fails the install: at worst it prints one line saying what to do.
//
// 1. JXMB_SKIP_BROWSER=1 → skip.
// 2. A browser is already there ($JXMB_CHROME, $PUPPETEER_EXECUTABLE_PATH, puppeteer's cache, system) → done.
// 3. Debian/Ubuntu as root with apt-get → `apt-get install chromium` (quietly, one progress line).
// 4. Otherwise download chrome-headless-shell into puppeteer's cache with @puppeteer/browsers
//    ($JXMB_CHROME_MIRROR: another download host, e.g. https://cdn.npmmirror.com/binaries/chrome-for-testing;
//    $JXMB_CHROME_BUILD: a fixed version instead of the current stable one).
// 5. Still nothing → one line: what to do.
// Then compile scripts/ into scripts/dist/ (scripts/setup/compile.js).
//
// Plain JS so it runs before anything is built; the browser search itself is shared with the CLI
// (scripts/browser/find.ts, loaded through tsx, which npm has installed by the time this runs).
import { existsSync } from 'node:fs';
import { aptInstall, canApt } from './apt.js';

const say = (s) => process.stderr.write(`jxmb: ${s}\n`);

/** Gives up on a promise after `ms` (a download host that never answers must not hang the install). */
const within = (ms, p, what) =>
  Promise.race([
    p,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${Math.round(ms / 1000)}s`)), ms).unref(),
    ),
  ]);

async function download(browserModule) {
  const { install, resolveBuildId, detectBrowserPlatform, Browser } = await import('@puppeteer/browsers');
  const platform = detectBrowserPlatform();
  if (!platform) return false;
  const cacheDir = browserModule.puppeteerCacheDir();
  const baseUrl = process.env.JXMB_CHROME_MIRROR;
  try {
    const buildId =
      process.env.JXMB_CHROME_BUILD ||
      (await within(
        30_000,
        resolveBuildId(Browser.CHROMEHEADLESSSHELL, platform, 'stable'),
        'resolving the stable version',
      ));
    say(`正在下载 downloading chrome-headless-shell ${buildId} → ${cacheDir}${baseUrl ? ` (from ${baseUrl})` : ''} …`);
    await within(
      15 * 60_000,
      install({ browser: Browser.CHROMEHEADLESSSHELL, buildId, cacheDir, platform, ...(baseUrl ? { baseUrl } : {}) }),
      'download',
    );
    return true;
  } catch (e) {
    say(`下载失败 download failed: ${String(e?.message ?? e).split('\n')[0]}`);
    return false;
  }
}

async function main() {
  if (process.env.JXMB_SKIP_BROWSER === '1') {
    say('JXMB_SKIP_BROWSER=1：跳过浏览器检查 skipping the browser check (PDF output needs one: jxmb doctor)');
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  const browser = await import('../browser/find.ts');
  const report = (r) => say(`PDF 使用浏览器 browser for PDFs: ${r.found.path} (${r.found.source})`);

  let r = await browser.findBrowser();
  if (r.found) return report(r);
  if (r.problem) {
    // The user named a browser explicitly; installing another one behind their back would hide the mistake.
    say(`${r.problem}. ${browser.NO_BROWSER_HELP}`);
    return;
  }
  if (canApt() && existsSync('/etc/debian_version') && aptInstall(['chromium'], 'the browser jxmb prints PDFs with')) {
    r = await browser.findBrowser();
    if (r.found) return report(r);
  }
  if (await download(browser)) {
    r = await browser.findBrowser();
    if (r.found) return report(r);
  }
  say(browser.NO_BROWSER_HELP);
}

try {
  await main();
} catch (e) {
  say(
    `浏览器检查未完成 browser check did not finish: ${String(e?.message ?? e).split('\n')[0]} — 运行 run \`npx jxmb doctor\``,
  );
}
// The compiled copy of scripts/ that jxmb starts from (scripts/setup/compile.js). Without it jxmb still
// runs, through tsx, only slower to start.
try {
  const { compile, staleReason } = await import('./compile.js');
  if (staleReason()) say(`已编译 compiled ${await compile()} source files → scripts/dist/`);
} catch (e) {
  say(
    `编译失败 compile failed (jxmb runs the TypeScript through tsx instead): ${String(e?.message ?? e).split('\n')[0]}`,
  );
}
process.exitCode = 0;
