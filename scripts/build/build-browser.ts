/**
 * The one owner of a run's Chromium. A BuildBrowser creates its pool on first need (or early, for a
 * cold build's head start) and is the only thing that closes it: whoever creates a BuildBrowser calls
 * `close()` in its `finally` — the build for one run, the dev session for its whole life. Code it is
 * lent to (runBuild, renderDocument, the head start) uses the pool and never closes it.
 */
import { requireBrowser } from '../browser/find.ts';
import { BrowserPool } from '../browser/pool.ts';
import { FormMeasurer } from '../browser/form-measurer.ts';
import { MEASURE_BATCH, type RenderedForm, sealPage, warmFontCache } from '../browser/form-page.ts';
import { loadFontAssets } from '../io/fonts.ts';
import { readFormTemplates } from '../io/templates.ts';
import type { FormModel } from '../model/form-model.ts';
import { createFormRenderer, type FormRenderer } from '../render/html.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/outputs.ts';
import type { FormMeasure } from '../render/paginate.ts';
import { HeadStart } from './head-start.ts';
import { docPathOf } from './paths.ts';
import { predicting, printOnPool } from './print-form.ts';

/** What a cold build starts before it plans, besides the browser: the form renderer and a head start. */
export interface EarlyStart {
  renderer: FormRenderer;
  measurer: FormMeasurer;
  headStart: HeadStart;
}

export interface BuildBrowserOptions {
  /** Chromium died and is being relaunched. */
  onRelaunch?: (reason: string) => void;
  /** Pages open at once at most (the build's jobs). */
  maxPages?: number;
}

/** The pool of sealed pages that forms are rendered on. Nothing is launched until a page is asked for. */
export async function createFormPool(
  hooks: { onRelaunch?: (reason: string) => void } = {},
  maxPages?: number,
): Promise<BrowserPool> {
  const browser = await requireBrowser();
  const fonts = await loadFontAssets();
  const fontCache = new Map<string, Buffer>();
  void warmFontCache(fonts, fontCache);
  return new BrowserPool({
    executablePath: browser.path,
    setupPage: (page) => sealPage(page, fonts, fontCache),
    ...(hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {}),
    ...(maxPages ? { maxPages } : {}),
  });
}

/** Owns one browser pool: created lazily, closed by `close()` alone. */
export class BuildBrowser {
  readonly #opts: BuildBrowserOptions;
  #creating: Promise<BrowserPool> | undefined;
  #pool: BrowserPool | undefined;
  /** Set by startEarly: the renderer, measurer and head start working on the pool while the plan is made. */
  early: EarlyStart | undefined;

  constructor(opts: BuildBrowserOptions = {}) {
    this.#opts = opts;
  }

  /** The pool, created on the first call (Chromium itself starts with the first page asked of it). */
  pool(): Promise<BrowserPool> {
    this.#creating ??= createFormPool(this.#opts, this.#opts.maxPages).then((p) => (this.#pool = p));
    return this.#creating;
  }

  /** Whether a pool was created (a build that needed no browser never creates one). */
  get started(): boolean {
    return this.#pool !== undefined;
  }

  /** Browser launches so far (1 normally; more if Chromium crashed and was relaunched). */
  get launches(): number {
    return this.#pool?.launches ?? 0;
  }

  /**
   * A cold build's head start: Chromium (and `jobs` pages) started before the sources are checked, and
   * forms measured and printed ahead as they pass their checks. Without a browser, nothing is started
   * (the build reports that when it needs one).
   */
  async startEarly(jobs: number, formats: readonly OutputFormat[] = OUTPUT_FORMATS): Promise<EarlyStart | undefined> {
    const pool = await this.pool().catch(() => undefined);
    if (!pool) {
      this.#creating = undefined;
      return undefined;
    }
    void pool.warm(jobs);
    const renderer = createFormRenderer(await readFormTemplates());
    const measurer = new FormMeasurer(pool, renderer, (model) => docPathOf({ model }), predicting());
    const pdf = formats.includes('pdf');
    const render = (model: FormModel, measure: FormMeasure): Promise<RenderedForm> =>
      printOnPool(pool, renderer, measurer, model, pdf, measure);
    const limit = 4 * jobs * MEASURE_BATCH;
    const headStart = new HeadStart(measurer, limit, formats.includes('html') || pdf ? render : undefined);
    this.early = { renderer, measurer, headStart };
    return this.early;
  }

  /** Closes the browser (idempotent). Called only by the owner, in its `finally`. */
  async close(): Promise<void> {
    const pool = await this.#creating?.catch(() => undefined);
    await pool?.close();
  }
}

/**
 * Runs `render` (which uses `browser`), then `finish` while Chromium closes: `finish` (writing the index)
 * needs no browser, so it does not wait for it. The browser is closed in the one `finally` below, when
 * `render` ends however it ends; the result waits for that close.
 */
export async function closeWhileFinishing<R, T>(
  browser: BuildBrowser,
  render: () => Promise<R>,
  finish: (rendered: R) => Promise<T>,
): Promise<T> {
  let resolve!: (r: R) => void;
  let reject!: (e: unknown) => void;
  const rendered = new Promise<R>((res, rej) => ((resolve = res), (reject = rej)));
  const closed = (async () => {
    try {
      resolve(await render());
    } catch (e) {
      reject(e);
    } finally {
      await browser.close();
    }
  })();
  try {
    return await finish(await rendered);
  } finally {
    await closed;
  }
}
