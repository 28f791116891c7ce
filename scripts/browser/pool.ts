/**
 * A pool that shares one browser per build. It launches lazily, reuses pages, relaunches when Chromium
 * dies mid-build (the document that was in flight is rendered again), and is closed by its owner in
 * `finally`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from './launch.ts';
import { killTree, PROFILE_PREFIX, removeStaleProfiles, waitGone, waitGoneAsync } from './processes.ts';

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
  /**
   * Uses of a page before it is closed and a fresh one opened (default PAGE_USES). A renderer grows
   * with every document swapped into its page and gives little back: measured here, each of two pages
   * reached 1 GB over a 4,000-department build. A fresh tab costs ~0.1 s, once per that many documents.
   */
  pageUses?: number;
}

/** See BrowserPoolOptions.pageUses. */
export const PAGE_USES = 200;

interface Lease {
  page: Page;
  generation: number;
  /** How many times the page was lent. */
  uses: number;
}

const TRANSIENT = new RegExp(
  'Target closed|Session closed|Connection closed|Protocol error.*(closed|detached)|crashed' +
    '|Navigating frame was detached|browser has disconnected',
  'i',
);

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `work`, or a rejection as soon as `browser` disconnects. puppeteer's newPage waits for the new tab's
 * target without watching the connection: a Chromium killed right after creating the tab left it
 * waiting 30 s for nothing (measured here, a build killed every 20 ms under load).
 */
function unlessDisconnected<T>(browser: Browser, work: Promise<T>): Promise<T> {
  if (!browser.connected) {
    work.catch(() => undefined);
    return Promise.reject(new Error('browser has disconnected'));
  }
  let reject: (e: Error) => void = () => undefined;
  const gone = new Promise<never>((_, rej) => (reject = rej));
  const onGone = (): void => reject(new Error('browser has disconnected'));
  browser.once('disconnected', onGone);
  // The loser of the race settles later, unheard.
  work.catch(() => undefined);
  gone.catch(() => undefined);
  return Promise.race([work, gone]).finally(() => browser.off('disconnected', onGone));
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
      if (lease.generation === generation && !lease.page.isClosed()) {
        lease.uses++;
        return lease;
      }
    }
    // A background tab: hidden, so Chromium paints and composites nothing for it on screen while
    // documents are swapped in and printed (the tab Chromium opened at launch stays in front, idle on
    // about:blank). Measured on a 200-form build: ~1 s less than with the page in front, same PDFs.
    const page = await unlessDisconnected(browser, browser.newPage({ background: true }));
    if (this.#opts.setupPage) await unlessDisconnected(browser, this.#opts.setupPage(page));
    return { page, generation, uses: 1 };
  }

  #release(lease: Lease, healthy: boolean): void {
    if (
      healthy &&
      !this.#closed &&
      lease.generation === this.#generation &&
      this.#browser?.connected &&
      !lease.page.isClosed() &&
      lease.uses < (this.#opts.pageUses ?? PAGE_USES)
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
        if (this.#closed) throw e;
        const message = String((e as Error)?.message ?? e).split('\n')[0]!;
        const transient = TRANSIENT.test(message);
        if (!lease) {
          // No page to be had: a browser that died while the tab was being opened is launched again;
          // anything else (Chromium cannot start at all) is the caller's to report.
          if (!transient || attempt >= retries) throw e;
          this.#discard(this.#generation);
          continue;
        }
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
