/**
 * The two reference points the build is measured against, both printing the SAME finished form HTML
 * (the build's own out/<year>/<code>.html, and the 自评表 out/<year>/<code>.self-eval.html where the
 * department has one: the jobs are both forms) to PDF with the build's own sealed pages (browser/form-page.ts):
 *
 * - raw limit: one warm browser, as many pages printing at once as the build uses (background tabs, as
 *   the build's are); per document only getting the finished HTML into the page (the fastest way we
 *   know: swapped into a warm shell) and printing it (printPdf, the build's own call). No measuring, no
 *   pagination, no Excel, no writes: the floor for PDF work.
 * - naive: what most scripts do, one fresh browser launch per document, one document after another:
 *   launch with puppeteer's default arguments (plus --no-sandbox where Chromium requires it, as root),
 *   open a page, load the document, print, close. The document is loaded sealed, fonts from memory,
 *   so its PDF is the correct one; jxmb's own lean launch flags are part of what the build does
 *   better, not of what a typical script does.
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchArgs, launchBrowser } from '../browser/launch.ts';
import { type FontAssets, loadFontAssets } from '../io/fonts.ts';
import { loadSealed, PDF_OPTIONS, printPdf, sealPage, showDocument } from '../browser/form-page.ts';

/** A finished form document and where it lives under out/ (`2025/code.html`). */
export interface PrintJob {
  docPath: string;
  html: string;
}

/**
 * `background`: a background tab, hidden, as the build's pages are (browser/pool.ts); a typical script opens a tab
 * in front.
 */
async function preparePage(
  browser: Browser,
  fonts: FontAssets,
  fontCache: Map<string, Buffer>,
  background: boolean,
): Promise<Page> {
  const page = await browser.newPage({ background });
  await sealPage(page, fonts, fontCache);
  return page;
}

export interface PrintTiming {
  ms: number;
  documents: number;
  /** Total bytes of PDF produced (a sanity check that real work happened). */
  pdfBytes: number;
}

/**
 * The raw limit: `concurrency` pages of one already-running browser print every job. Each page prints
 * one document first, untimed, so the browser, the pages and the font cache are warm.
 */
export async function printRaw(
  executablePath: string,
  jobs: readonly PrintJob[],
  concurrency: number,
): Promise<PrintTiming> {
  const browser = await launchBrowser(executablePath);
  try {
    const fonts = await loadFontAssets();
    const fontCache = new Map<string, Buffer>();
    const pages = await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, () =>
        preparePage(browser, fonts, fontCache, true),
      ),
    );
    const print = async (page: Page, job: PrintJob): Promise<Uint8Array> => {
      await showDocument(page, job.docPath, job.html);
      return printPdf(page);
    };
    await Promise.all(pages.map((p, i) => print(p, jobs[i % jobs.length]!)));
    let next = 0;
    let pdfBytes = 0;
    const started = performance.now();
    await Promise.all(
      pages.map(async (p) => {
        while (next < jobs.length) pdfBytes += (await print(p, jobs[next++]!)).length;
      }),
    );
    return { ms: performance.now() - started, documents: jobs.length, pdfBytes };
  } finally {
    await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  }
}

/** A launch as a typical script writes it: puppeteer's defaults, and only what Chromium needs to start. */
async function launchDefault(executablePath: string): Promise<Browser> {
  const puppeteer = (await import('puppeteer-core')).default;
  const noSandbox = launchArgs().includes('--no-sandbox');
  return puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    ...(noSandbox ? { args: ['--no-sandbox'] } : {}),
  });
}

/** Naive: for each job in turn, launch a browser, open a page, load, print, close. Timed end to end. */
export async function printNaive(executablePath: string, jobs: readonly PrintJob[]): Promise<PrintTiming> {
  const fonts = await loadFontAssets();
  let pdfBytes = 0;
  const started = performance.now();
  for (const job of jobs) {
    const browser = await launchDefault(executablePath);
    try {
      const page = await preparePage(browser, fonts, new Map(), false);
      await loadSealed(page, job.docPath, job.html);
      pdfBytes += (await page.pdf(PDF_OPTIONS)).length;
    } finally {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    }
  }
  return { ms: performance.now() - started, documents: jobs.length, pdfBytes };
}
