/**
 * The browser: finding a Chrome/Chromium on this machine, and a pool that shares one browser per build.
 *
 * Search order: $JXMB_CHROME, $PUPPETEER_EXECUTABLE_PATH, puppeteer's cache (~/.cache/puppeteer, where
 * `npx @puppeteer/browsers install chrome-headless-shell@stable` puts it), then the usual system paths.
 * The pool launches lazily, reuses pages, relaunches when Chromium dies mid-build (the document that
 * was in flight is rendered again), and is closed by its owner in `finally`.
 */
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { EnvironmentError } from '../io/errors.ts';
import { lastResortFont } from '../io/fonts.ts';

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

export interface BrowserPoolOptions {
  executablePath: string;
  /** Called once for every new page (e.g. to seal it). */
  setupPage?: (page: Page) => Promise<void>;
  /** Times a document is retried after the browser died under it (default 2). */
  retries?: number;
  /** Told when the browser died and is being relaunched. */
  onRelaunch?: (reason: string) => void;
  /**
   * Pages in use at once, at most (default: no limit). A build runs one more document than it has
   * pages, so a page never waits while Node writes a finished document's files.
   */
  maxPages?: number;
}

interface Lease {
  page: Page;
  generation: number;
}

const TRANSIENT = new RegExp(
  'Target closed|Session closed|Connection closed|Protocol error.*(closed|detached)|crashed' +
    '|Navigating frame was detached|browser has disconnected',
  'i',
);

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Blocks until the process group led by `pid` (the browser and its helpers) has exited, at most `ms`.
 * Linux reads /proc; elsewhere a short pause has to do.
 */
function waitGone(pid: number, ms: number): void {
  const pause = (t: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, t);
  if (process.platform !== 'linux') return pause(200);
  for (const end = Date.now() + ms; Date.now() < end && groupAlive(pid);) pause(20);
}

/** Whether a process of the group led by `pid` still runs (Linux, from /proc; elsewhere: unknown, false). */
function groupAlive(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm)": state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** waitGone without blocking the event loop. */
async function waitGoneAsync(pid: number, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (!groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Chromium profile folders are `<tmpdir>/jxmb-chrome-<pid of the jxmb process>-XXXXXX`. */
const PROFILE_PREFIX = 'jxmb-chrome-';
const PROFILE_NAME = /^jxmb-chrome-(?:(\d+)-)?[A-Za-z0-9]{6}$/;
let staleProfilesRemoved = false;

/**
 * Removes the profile folders that builds killed outright (SIGKILL, a power cut) left in `dir`: those
 * whose owning process is gone. A folder of a live process is never touched; one named the old way,
 * without a pid, only when no process uses it (Linux: no command line names it) and it is over a
 * minute old. Once per process, at the first launch; best effort (a folder that resists is left).
 */
export function removeStaleProfiles(dir = os.tmpdir(), force = false): string[] {
  if (staleProfilesRemoved && !force) return [];
  staleProfilesRemoved = true;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => PROFILE_NAME.test(n));
  } catch {
    return removed;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    try {
      const stat = lstatSync(full);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      const pid = PROFILE_NAME.exec(name)![1];
      const stale = pid ? !processAlive(Number(pid)) : Date.now() - stat.mtimeMs > 60_000 && !profileInUse(full);
      if (!stale) continue;
      rmSync(full, { recursive: true, force: true, maxRetries: 3 });
      removed.push(full);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** Whether process `pid` exists and has not exited (a zombie has). A process of another user counts. */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Whether a running process was started with `--user-data-dir=<profile>` (Linux; elsewhere: assume so). */
function profileInUse(profile: string): boolean {
  if (process.platform !== 'linux') return true;
  const needle = `--user-data-dir=${profile}`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(needle)) return true;
    } catch {
      // ended while we looked
    }
  }
  return false;
}

/** Kills a browser and everything it started (it leads its own process group on POSIX). */
function killTree(p: ChildProcess | null | undefined): void {
  if (!p?.pid || p.exitCode !== null || p.signalCode !== null) return;
  try {
    if (process.platform === 'win32') p.kill('SIGKILL');
    else process.kill(-p.pid, 'SIGKILL');
  } catch {
    p.kill('SIGKILL');
  }
}

/**
 * One browser shared by a build: pages are handed out with `withPage`, returned to an idle list and
 * reused. If Chromium exits under a document, the pool relaunches it and runs the document again.
 * While a browser is up, SIGINT/SIGTERM/SIGHUP kill it and remove its profile folder, then end the
 * process with that signal as if nobody had been listening (unless something else in the program
 * listens for it too: then that listener decides).
 */
export class BrowserPool {
  readonly #opts: BrowserPoolOptions;
  #browser: Browser | undefined;
  /** Profile folders of launched browsers, removed at close (or on a signal). */
  #profiles: string[] = [];
  #listening = false;
  #launching: Promise<Browser> | undefined;
  #generation = 0;
  #idle: Lease[] = [];
  #closed = false;
  /** How many times a browser was launched (1 for a healthy build). */
  launches = 0;

  constructor(opts: BrowserPoolOptions) {
    this.#opts = opts;
  }

  /** The browser's process (tests kill it to prove the relaunch). */
  process(): ChildProcess | null {
    return this.#browser?.process() ?? null;
  }

  /** The shared browser itself (launching it if needed), for pages that are not the pool's. */
  async browser(): Promise<Browser> {
    return (await this.#current()).browser;
  }

  /** The running browser's version string, launching it if needed. */
  async version(): Promise<string> {
    return (await this.#current()).browser.version();
  }

  async #current(): Promise<{ browser: Browser; generation: number }> {
    if (this.#closed) throw new Error('browser pool is closed');
    if (this.#browser?.connected) return { browser: this.#browser, generation: this.#generation };
    if (!this.#launching) {
      this.#launching = (async () => {
        const stale = this.#browser;
        this.#browser = undefined;
        this.#idle = [];
        if (stale) {
          killTree(stale.process());
          await stale.close().catch(() => undefined);
        }
        this.#listen();
        removeStaleProfiles();
        // The owner's pid in the name: a later build can tell a profile left by a killed one from a live one's.
        const profile = mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
        this.#profiles.push(profile);
        let browser: Browser | undefined;
        try {
          browser = await launchBrowser(this.#opts.executablePath, profile);
        } finally {
          if (this.#pendingSignal) {
            this.#browser = browser;
            this.#terminate(this.#pendingSignal);
          }
        }
        this.launches++;
        this.#generation++;
        this.#browser = browser;
        return browser;
      })().finally(() => {
        this.#launching = undefined;
      });
    }
    const browser = await this.#launching;
    if (this.#closed) {
      await browser.close().catch(() => undefined);
      throw new Error('browser pool is closed');
    }
    return { browser, generation: this.#generation };
  }

  async #acquire(): Promise<Lease> {
    const { browser, generation } = await this.#current();
    while (this.#idle.length) {
      const lease = this.#idle.pop()!;
      if (lease.generation === generation && !lease.page.isClosed()) return lease;
    }
    // A background tab: hidden, so Chromium paints and composites nothing for it on screen while
    // documents are swapped in and printed (the tab Chromium opened at launch stays in front, idle on
    // about:blank). Measured on a 200-form build: ~1 s less than with the page in front, same PDFs.
    const page = await browser.newPage({ background: true });
    await this.#opts.setupPage?.(page);
    return { page, generation };
  }

  #release(lease: Lease, healthy: boolean): void {
    if (
      healthy &&
      !this.#closed &&
      lease.generation === this.#generation &&
      this.#browser?.connected &&
      !lease.page.isClosed()
    )
      this.#idle.push(lease);
    else if (!lease.page.isClosed() && this.#browser?.connected) void lease.page.close().catch(() => undefined);
  }

  /** Whether the browser of generation `gen` is gone (exited, disconnected, or already replaced). */
  #browserDead(gen: number): boolean {
    if (gen !== this.#generation) return true;
    const b = this.#browser;
    if (!b || !b.connected) return true;
    const p = b.process();
    return Boolean(p && (p.exitCode !== null || p.signalCode !== null));
  }

  /** Forgets a dead browser so the next page comes from a fresh one. */
  #discard(gen: number): void {
    if (gen !== this.#generation || !this.#browser) return;
    const dead = this.#browser;
    this.#browser = undefined;
    this.#idle = [];
    killTree(dead.process());
    void dead.close().catch(() => undefined);
  }

  /**
   * Starts the browser and readies `pages` pages in the background, so the first documents do not wait
   * for the launch. Failures are left for the first withPage to meet (and report).
   */
  warm(pages: number): Promise<void> {
    const one = async (): Promise<void> => {
      await this.#takeSlot();
      try {
        this.#release(await this.#acquire(), true);
      } finally {
        this.#giveSlot();
      }
    };
    return Promise.all(Array.from({ length: pages }, one)).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Pages in use now, and who waits for one (maxPages). */
  #inUse = 0;
  #waiting: (() => void)[] = [];

  async #takeSlot(): Promise<void> {
    const max = this.#opts.maxPages ?? Infinity;
    while (this.#inUse >= max && !this.#closed) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inUse++;
  }

  #giveSlot(): void {
    this.#inUse--;
    this.#waiting.shift()?.();
  }

  /** Runs `fn` with a page of the shared browser; reruns it on a fresh page/browser if Chromium died. */
  async withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    await this.#takeSlot();
    try {
      return await this.#withPage(fn);
    } finally {
      this.#giveSlot();
    }
  }

  async #withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const retries = this.#opts.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let lease: Lease | undefined;
      try {
        lease = await this.#acquire();
        const result = await fn(lease.page);
        this.#release(lease, true);
        return result;
      } catch (e) {
        if (this.#closed || !lease) throw e;
        const message = String((e as Error)?.message ?? e).split('\n')[0]!;
        const transient = TRANSIENT.test(message);
        // The error can arrive before the disconnect does: give it a moment to land.
        if (transient) await new Promise((r) => setTimeout(r, 100));
        const browserDead = this.#browserDead(lease.generation);
        const pageDead = browserDead || lease.page.isClosed() || transient;
        this.#release(lease, false);
        if (!pageDead || attempt >= retries) throw e;
        if (browserDead) {
          // Several documents in flight see the same crash; the first to notice reports it.
          if (lease.generation === this.#generation && this.#browser) this.#opts.onRelaunch?.(message);
          this.#discard(lease.generation);
        }
      }
    }
  }

  /** Closes the browser (idempotent); kills it if it does not close politely. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  #closing: Promise<void> | undefined;

  async #close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#waiting.splice(0)) wake();
    const browser = this.#browser ?? (await this.#launching?.catch(() => undefined));
    this.#browser = undefined;
    this.#idle = [];
    try {
      if (!browser) return;
      const pid = browser.process()?.pid;
      if (pid && process.platform !== 'win32') {
        // Nothing of this browser is kept (its profile is a temporary folder, removed below): it is
        // ended at once rather than asked to shut down (a polite close costs ~100 ms of its CPU, at
        // the end of every build, writing a profile that is then deleted). Its whole process group goes
        // at once; on Windows, where only the main process could be killed like that and the others
        // would still hold the profile's files, it is asked to close.
        killTree(browser.process());
        await browser.disconnect().catch(() => undefined);
      } else {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            browser.close(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 10_000))),
          ]);
        } catch {
          // gone already
        } finally {
          clearTimeout(timer);
        }
      }
      // Its helpers may still be writing to the profile for a moment (a build that ends while pages
      // are being opened): wait until the whole group is gone before removing the folder.
      if (pid) await waitGoneAsync(pid, 5000);
    } finally {
      this.#unlisten();
      for (let attempt = 0; ; attempt++) {
        try {
          this.#removeProfiles();
          break;
        } catch {
          // A temporary folder that cannot be removed is not worth failing a finished build over.
          if (attempt >= 5) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }

  #removeProfiles(): void {
    while (this.#profiles.length) {
      rmSync(this.#profiles[0]!, { recursive: true, force: true, maxRetries: 3 });
      this.#profiles.shift();
    }
  }

  /** A signal that arrived while the browser was starting: handled as soon as it has started. */
  #pendingSignal: NodeJS.Signals | undefined;

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.#closed = true;
    // Its process is not known until the launch returns: end right after it does.
    if (!this.#browser && this.#launching) this.#pendingSignal = signal;
    else this.#terminate(signal);
  };

  /** Kills the browser, removes its profile folder, and ends the process with `signal`. */
  #terminate(signal: NodeJS.Signals): void {
    const p = this.#browser?.process();
    killTree(p);
    // Give it a moment to go (synchronously: the build must not carry on meanwhile), so its profile
    // folder can be removed.
    if (p?.pid) waitGone(p.pid, 5000);
    this.#browser = undefined;
    this.#unlisten();
    try {
      this.#removeProfiles();
    } catch {
      // The browser may still be letting go of its files; the OS cleans temp folders eventually.
    }
    // If the program listens for this signal itself (jxmb dev closes its server), it decides what
    // happens next; otherwise, with our listener gone, the default action ends the process.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    for (const s of SIGNALS) process.on(s, this.#onSignal);
  }

  #unlisten(): void {
    if (!this.#listening) return;
    this.#listening = false;
    for (const s of SIGNALS) process.off(s, this.#onSignal);
  }
}
