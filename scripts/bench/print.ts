/**
 * The two reference points the build is measured against, both printing the SAME finished form HTML
 * (the build's own out/<year>/<code>.html) to PDF:
 *
 * - raw limit: one warm browser, as many pages printing at once as the build uses; per document only
 *   load + fonts + page.pdf(). No measuring, no pagination, no Excel, no writes: the floor for PDF work.
 * - naive: what most scripts do, one fresh browser launch per document, one document after another.
 *
 * Pages are set up like the build's sealed pages (pdf.ts): JavaScript off, the document and the bundled
 * fonts answered from memory on the same made-up origin, everything else aborted, print media.
 */
import { promises as fs } from 'node:fs';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { launchBrowser } from '../io/browser.ts';
import { type FontAssets, loadFontAssets } from '../io/fonts.ts';
import { ORIGIN } from '../render/pdf.ts';

/** A finished form document and where it lives under out/ (`2025/code.html`). */
export interface PrintJob {
  docPath: string;
  html: string;
}

/** The same print options as the build (render/pdf.ts). */
const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 120_000 } as const;

const FONTS_READY = `(async () => { void document.body.offsetHeight; await document.fonts.ready; return document.fonts.status; })()`;

interface PrintPage {
  page: Page;
  /** The document this page may load now. */
  doc: { url: string; html: string } | undefined;
}

async function preparePage(browser: Browser, fonts: FontAssets, fontCache: Map<string, Buffer>): Promise<PrintPage> {
  const page = await browser.newPage();
  const p: PrintPage = { page, doc: undefined };
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  const fontPrefix = `${ORIGIN}/assets/fonts/`;
  page.on('request', (req: HTTPRequest) => {
    void (async () => {
      const url = req.url();
      if (p.doc && url === p.doc.url) return req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: p.doc.html });
      if (url === `${fontPrefix}fonts.css`) return req.respond({ status: 200, contentType: 'text/css; charset=utf-8', body: fonts.css });
      const file = url.startsWith(fontPrefix) ? fonts.files.get(url.slice(fontPrefix.length)) : undefined;
      if (!file) return req.abort('blockedbyclient');
      const name = url.slice(fontPrefix.length);
      let body = fontCache.get(name);
      if (!body) fontCache.set(name, (body = await fs.readFile(file)));
      return req.respond({ status: 200, contentType: 'font/woff2', body });
    })().catch(() => undefined);
  });
  await page.emulateMediaType('print');
  await page.setViewport({ width: 1400, height: 1000 });
  return p;
}

async function printOn(p: PrintPage, job: PrintJob): Promise<Uint8Array> {
  p.doc = { url: `${ORIGIN}/${job.docPath}`, html: job.html };
  await p.page.goto(p.doc.url, { waitUntil: 'load' });
  const status = await p.page.evaluate(FONTS_READY);
  if (status !== 'loaded') throw new Error(`fonts did not load for ${job.docPath} (${String(status)})`);
  return p.page.pdf(PDF_OPTIONS);
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
export async function printRaw(executablePath: string, jobs: readonly PrintJob[], concurrency: number): Promise<PrintTiming> {
  const browser = await launchBrowser(executablePath);
  try {
    const fonts = await loadFontAssets();
    const fontCache = new Map<string, Buffer>();
    const pages = await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, () => preparePage(browser, fonts, fontCache)));
    await Promise.all(pages.map((p, i) => printOn(p, jobs[i % jobs.length]!)));
    let next = 0;
    let pdfBytes = 0;
    const started = performance.now();
    await Promise.all(
      pages.map(async (p) => {
        while (next < jobs.length) pdfBytes += (await printOn(p, jobs[next++]!)).length;
      }),
    );
    return { ms: performance.now() - started, documents: jobs.length, pdfBytes };
  } finally {
    await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  }
}

/** Naive: for each job in turn, launch a browser, open a page, print, close. Timed end to end. */
export async function printNaive(executablePath: string, jobs: readonly PrintJob[]): Promise<PrintTiming> {
  const fonts = await loadFontAssets();
  let pdfBytes = 0;
  const started = performance.now();
  for (const job of jobs) {
    const browser = await launchBrowser(executablePath);
    try {
      pdfBytes += (await printOn(await preparePage(browser, fonts, new Map()), job)).length;
    } finally {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    }
  }
  return { ms: performance.now() - started, documents: jobs.length, pdfBytes };
}
