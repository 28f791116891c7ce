/**
 * Finding a Chrome/Chromium on this machine. Search order: $JXMB_CHROME, $PUPPETEER_EXECUTABLE_PATH,
 * puppeteer's cache (~/.cache/puppeteer, where `npx @puppeteer/browsers install chrome-headless-shell@stable`
 * puts it), then the usual system paths. A browser the user names but that is not there is reported.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EnvironmentError } from '../io/errors.ts';

export type BrowserSource = 'JXMB_CHROME' | 'PUPPETEER_EXECUTABLE_PATH' | 'puppeteer-cache' | 'system';

export interface FoundBrowser {
  path: string;
  source: BrowserSource;
}

export interface BrowserSearch {
  found?: FoundBrowser;
  /** Set when the user named a browser that is not there: that is reported, not silently skipped. */
  problem?: string;
}

/** What to do when there is no browser: one line, Chinese first. */
export const NO_BROWSER_HELP =
  '找不到 Chrome/Chromium 浏览器（生成 PDF 需要）。Debian/Ubuntu：sudo apt-get install chromium；' +
  '其他系统：npx @puppeteer/browsers install chrome-headless-shell@stable，或设置 JXMB_CHROME=浏览器路径。' +
  ' No Chrome/Chromium found: on Debian/Ubuntu `apt-get install chromium`,' +
  ' elsewhere `npx @puppeteer/browsers install chrome-headless-shell@stable` or set JXMB_CHROME.';

/** Standard install locations, most specific first. */
export function systemBrowserPaths(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (env.JXMB_BROWSER_SEARCH_PATHS !== undefined)
    return env.JXMB_BROWSER_SEARCH_PATHS.split(path.delimiter).filter(Boolean);
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    return [...apps.map((a) => `/Applications/${a}`), ...apps.map((a) => path.join(os.homedir(), 'Applications', a))];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    return roots.flatMap((r) => [
      path.win32.join(r, 'Google/Chrome/Application/chrome.exe'),
      path.win32.join(r, 'Chromium/Application/chrome.exe'),
      path.win32.join(r, 'Microsoft/Edge/Application/msedge.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/usr/lib/chromium/chromium',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** puppeteer's cache folder: $PUPPETEER_CACHE_DIR or ~/.cache/puppeteer. */
export const puppeteerCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');

/** The newest chrome-headless-shell (else chrome) in puppeteer's cache. */
async function fromPuppeteerCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = puppeteerCacheDir(env);
  if (!existsSync(cacheDir)) return undefined;
  try {
    const { getInstalledBrowsers, Browser: Kind } = await import('@puppeteer/browsers');
    const installed = await getInstalledBrowsers({ cacheDir });
    const rank = (b: (typeof installed)[number]): number =>
      b.browser === Kind.CHROMEHEADLESSSHELL ? 0 : b.browser === Kind.CHROME ? 1 : 9;
    const byVersion = (a: string, b: string): number => b.localeCompare(a, 'en', { numeric: true });
    const usable = installed
      .filter((b) => rank(b) < 9 && executable(b.executablePath))
      .sort((a, b) => rank(a) - rank(b) || byVersion(a.buildId, b.buildId));
    return usable[0]?.executablePath;
  } catch {
    return undefined;
  }
}

/** Finds a browser; never throws. */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserSearch> {
  for (const key of ['JXMB_CHROME', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const p = env[key];
    if (!p) continue;
    if (executable(p)) return { found: { path: p, source: key } };
    return { problem: `${key}=${p} 不存在或不可执行 does not exist or is not executable` };
  }
  const cached = await fromPuppeteerCache(env);
  if (cached) return { found: { path: cached, source: 'puppeteer-cache' } };
  const sys = systemBrowserPaths(process.platform, env).find(executable);
  return sys ? { found: { path: sys, source: 'system' } } : {};
}

/** The browser to use, or an EnvironmentError saying in one line what to do. */
export async function requireBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  const { found, problem } = await findBrowser(env);
  if (found) return found;
  throw new EnvironmentError(problem ? `${problem}. ${NO_BROWSER_HELP}` : NO_BROWSER_HELP);
}

/** `Chromium 156.0.8078.108` from `<browser> --version`, or undefined (Windows builds print nothing). */
export function browserVersion(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: 15_000 }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim().split('\n').pop()?.trim() || undefined),
    );
  });
}
