/**
 * FormModel → paginated HTML and PDF, in Chromium. The only stage that drives a browser.
 *
 * For each document, on one page of the shared browser:
 * 1. measure: load the measuring document (every row on one unbroken sheet, plus label probes) and read
 *    row heights with getBoundingClientRect — the page's own JavaScript is off, puppeteer's evaluate
 *    runs over the DevTools protocol. A build measures several forms per load (measureForms), and
 *    most forms not at all: their heights are predicted from the text (predict/, browser/form-measurer.ts);
 * 2. paginate (pure, paginate.ts) and render the final HTML (html.ts);
 * 3. load it, check that no sheet overflows (if one does, paginate again with less room) and, for a
 *    predicted plan, that every text box has the lines predicted (if not, measure after all), print;
 * 4. stamp the PDF's Info from the source (pdf-info.ts) so the bytes are reproducible.
 *
 * Documents are swapped into a loaded page rather than navigated to: a page keeps one "shell" document
 * (the form's head: stylesheet and fonts) and each form's body replaces the previous one. Navigating
 * costs a new document and the decoding of every font subset again (~150 ms a load, measured);
 * a swap keeps the decoded fonts and costs ~20 ms. Layout and the printed PDF depend only on the
 * document, not on what the page showed before (tested: same bytes whatever came first).
 *
 * Pages are sealed: JavaScript disabled, and every request answered by us from memory — the document
 * itself and the bundled fonts, on a made-up origin — or aborted. A page filled with setContent could
 * not load the fonts at all (Chromium silently prints a Latin fallback), and file:// URLs would let a
 * document reach the disk; a fake origin with request interception avoids both.
 */
import { promises as fs } from 'node:fs';
import type { HTTPRequest, Page } from 'puppeteer-core';
import type { FontAssets } from '../io/fonts.ts';
import type { FormModel } from '../model/form-model.ts';
import { FORM_CLASSES } from '../render/classes.ts';
import {
  decodeEntities,
  documentKeywords,
  documentSubject,
  documentTitle,
  type FormRenderer,
  labelHeights,
  probeKey,
  probeLabels,
} from '../render/html.ts';
import {
  DEFAULT_SLACK,
  type FormMeasure,
  type PageSlice,
  paginate,
  sliceHeight,
  tallRows,
} from '../render/paginate.ts';
import { setPdfInfo } from '../render/pdf-info.ts';
import { calibrate, CALIBRATE_ARGS, type RawCalibration, readLines } from '../render/predict/predict.ts';
import {
  type BoxLines,
  cutLeadRow,
  cutRow,
  leadCutSeries,
  leadRoom,
  leadRowsOf,
  needsSplit,
  type PrintModel,
  ROW_CELLS,
  rowCutSeries,
  rowRoom,
  tallLeadRows,
} from '../render/split.ts';
import { call, evaluateAll, evaluateIn, type PageCall, type Results } from './page-code/evaluate.ts';
import {
  type BoxRead,
  fontsReady,
  type RawMeasure,
  readBoxLines,
  readMeasures,
  readOverflow,
  swapBody,
} from './page-code/form-code.ts';

/** The made-up origin sealed pages are served from; `.invalid` can never resolve. */
export const ORIGIN = 'https://jxmb.invalid';

/**
 * How forms are printed: the page size comes from the stylesheet (A4 landscape); tagged for screen
 * readers. puppeteer's own wait for fonts is off: showDocument has already laid the document out and
 * seen document.fonts loaded, and printing the same text needs no other font; the wait cost a
 * DevTools round trip per document (~0.4 s of a 200-form build).
 */
export const PDF_OPTIONS = {
  preferCSSPageSize: true,
  printBackground: true,
  tagged: true,
  outline: false,
  timeout: 120_000,
  waitForFonts: false,
} as const;

/**
 * Prints the sealed page's document: page.pdf(PDF_OPTIONS), public API only. puppeteer asks Chromium
 * for the PDF as a stream (Page.printToPDF with transferMode ReturnAsStream, then IO.read until the end)
 * on the page's own DevTools session. A second session (page.createCDPSession) is no way round: attached
 * when the page is sealed, the prints no longer matched the layout measured (a 3-page form on 4 pages),
 * and detached, it resets the page's emulated media to screen (both tested). The stream costs ~10 ms a
 * print over one base64 reply (measured in turn on one page, 2-core machine: 165 → 175 ms, 2-page form;
 * reading it in fewer round trips did not help): the price of PDFs of any size.
 */
export async function printPdf(page: Page): Promise<Uint8Array> {
  return page.pdf(PDF_OPTIONS);
}

/** Room kept between the content and the page footer (px at 96/in; 2 mm). */
export const FOOTER_GAP_PX = 8;

export interface RequestLogEntry {
  url: string;
  /** `served` from memory, or `blocked` (aborted: it never left the browser). */
  action: 'served' | 'blocked';
}

interface SealState {
  /** The documents this page may load now, by URL. */
  docs: Map<string, string>;
  fonts: FontAssets;
  fontCache: Map<string, Buffer>;
  log: RequestLogEntry[];
  /** The head (title and meta left out) and folder of the shell document loaded now. */
  shell?: string;
}

const SEALS = new WeakMap<Page, SealState>();

async function respond(req: HTTPRequest, state: SealState): Promise<void> {
  const url = req.url();
  const doc = state.docs.get(url);
  const fontPrefix = `${ORIGIN}/assets/fonts/`;
  let body: string | Buffer | undefined;
  let contentType = '';
  if (req.method() === 'GET' && doc !== undefined) {
    body = doc;
    contentType = 'text/html; charset=utf-8';
  } else if (req.method() === 'GET' && url === `${fontPrefix}fonts.css`) {
    body = state.fonts.css;
    contentType = 'text/css; charset=utf-8';
  } else if (req.method() === 'GET' && url.startsWith(fontPrefix)) {
    const name = url.slice(fontPrefix.length);
    const file = state.fonts.files.get(name);
    if (file) {
      body = state.fontCache.get(name) ?? (await readFont(state.fontCache, name, file));
      contentType = name.endsWith('.woff2') ? 'font/woff2' : 'font/woff';
    }
  }
  if (body === undefined) {
    state.log.push({ url, action: 'blocked' });
    await req.abort('blockedbyclient').catch(() => undefined);
    return;
  }
  state.log.push({ url, action: 'served' });
  // Fonts and their stylesheet never change within a run: let Chromium keep them.
  const cacheable = contentType.startsWith('font/') || contentType.startsWith('text/css');
  await req
    .respond({
      status: 200,
      contentType,
      body,
      headers: { 'cache-control': cacheable ? 'public, max-age=31536000, immutable' : 'no-store' },
    })
    .catch(() => undefined);
}

/** Reads a font file into the cache (once, however many pages ask at the same time). */
function readFont(cache: Map<string, Buffer>, name: string, file: string): Promise<Buffer> {
  let reading = READING.get(cache)?.get(name);
  if (!reading) {
    reading = fs.readFile(file).then((b) => (cache.set(name, b), b));
    if (!READING.has(cache)) READING.set(cache, new Map());
    READING.get(cache)!.set(name, reading);
  }
  return reading;
}
const READING = new WeakMap<Map<string, Buffer>, Map<string, Promise<Buffer>>>();

/**
 * Reads every font file into `cache` ahead (~9 MB, in the thread pool), so a page's font requests are
 * answered at once. In a cold build they come while the main thread is busy checking sources: each
 * file read it had to wait for cost another turn of the event loop, per font, before Chromium could
 * lay out the first forms (measured: the first 8 forms took 0.7 s to measure instead of ~0.1 s).
 */
export function warmFontCache(fonts: FontAssets, cache: Map<string, Buffer>): Promise<void> {
  return Promise.all(
    [...fonts.files].flatMap(([name, file]) => (cache.has(name) ? [] : [readFont(cache, name, file)])),
  ).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * Seals a page for form rendering: JavaScript off, every request served from memory or aborted,
 * print media, a viewport wider than the sheet. Call once per page (the pool's setupPage).
 */
export async function sealPage(page: Page, fonts: FontAssets, fontCache = new Map<string, Buffer>()): Promise<void> {
  const state: SealState = { docs: new Map(), fonts, fontCache, log: [] };
  SEALS.set(page, state);
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (req) => void respond(req, state));
  await page.emulateMediaType('print');
  await page.setViewport({ width: 1400, height: 1000 });
  page.setDefaultTimeout(120_000);
}

/** The requests a sealed page made since the last call (or since its current document started). */
export function takeRequestLog(page: Page): RequestLogEntry[] {
  const state = SEALS.get(page);
  if (!state) throw new Error('page is not sealed: call sealPage first');
  const log = state.log;
  state.log = [];
  return log;
}

/**
 * Loads `html` into a sealed page as `<ORIGIN>/<path>` (relative links resolve against that) and waits
 * until its fonts have loaded.
 */
export async function loadSealed(page: Page, path: string, html: string): Promise<void> {
  const state = SEALS.get(page);
  if (!state) throw new Error('page is not sealed: call sealPage first');
  const url = `${ORIGIN}/${path}`;
  state.docs.clear();
  state.docs.set(url, html);
  await page.goto(url, { waitUntil: 'load' });
  const status = await evaluateIn(page, call(fontsReady));
  if (status !== 'loaded') throw new Error(`fonts did not load (${status})`);
}

/** What a shell must share with a document for the document to be swapped in: folder and head. */
function shellKey(path: string, html: string): string {
  const head = html.slice(0, html.indexOf('<body'));
  return `${path.slice(0, path.lastIndexOf('/') + 1)}\0${head.replace(TITLE_META, '')}`;
}

/** The parts of a head that differ between forms (and do not change their layout). */
const TITLE_META = /<title>[\s\S]*?<\/title>|<meta\b[^>]*>/g;

/**
 * Shows `html` on a sealed page as if loaded from `<ORIGIN>/<path>`: swapped into the page's shell when
 * the shell has the same head and folder, else a shell is loaded first (from this document) and the
 * body swapped in all the same, so every document is shown the same way. `after` (calls of page functions,
 * e.g. measurements) run in the same round trip, once the document is laid out with its fonts: their
 * results are returned, in order.
 */
export async function showDocument<const C extends readonly PageCall<unknown>[]>(
  page: Page,
  path: string,
  html: string,
  ...after: C
): Promise<Results<C>> {
  const state = SEALS.get(page);
  if (!state) throw new Error('page is not sealed: call sealPage first');
  const key = shellKey(path, html);
  if (state.shell !== key) {
    state.shell = undefined;
    await loadSealed(page, `${path.slice(0, path.lastIndexOf('/') + 1)}.jxmb-shell.html`, html);
    state.shell = key;
  }
  const bodyStart = html.indexOf('<body');
  const bodyEnd = html.lastIndexOf('</body>');
  if (bodyStart < 0 || bodyEnd < 0) throw new Error('document has no <body>');
  const title = decodeEntities(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
  const swap = call(swapBody, title, html.slice(bodyStart, bodyEnd + '</body>'.length));
  const [, ...results] = await evaluateAll(page, swap, ...after);
  return results;
}

export function toFormMeasure(model: FormModel, raw: RawMeasure): FormMeasure {
  return {
    pageHeight: raw.pageHeight,
    leadHeight: raw.leadHeight,
    headerHeight: raw.headerHeight,
    reviewHeight: raw.reviewHeight,
    // The lead's parts only where paginating needs them (a lead taller than a page): a normal form's
    // measure is the same whether measured or predicted (render/predict).
    ...(raw.lead && raw.leadHeight > raw.pageHeight - DEFAULT_SLACK ? { lead: raw.lead } : {}),
    rows: model.rows.map((r, i) => ({ height: raw.rows[i] ?? 0, level1: r.level1, level2: r.level2 })),
    ...labelHeights(model, (key) => raw.probes[key] ?? 0),
  };
}

/** A form to measure and where its document lives under out/ (`2025/code.html`). */
export interface MeasureItem {
  model: FormModel;
  docPath: string;
}

/** Forms measured in one swap at most: more saves little and makes a long DevTools message. */
export const MEASURE_BATCH = 8;

/**
 * Measures forms for pagination, several per swap: their measuring documents' bodies shown one under
 * the other in one document, each read in its own `<main>`. One swap and one layout for
 * several forms costs about half of one each (measured: 25 → 12 ms a form); a form's rows measure the
 * same alone or in a batch, since each is laid out in its own block at the same width (tested, to the
 * 1/64 px). Forms whose measuring documents have another head or folder are measured in a batch of
 * their own.
 */
export async function measureForms(
  page: Page,
  items: readonly MeasureItem[],
  renderer: FormRenderer,
): Promise<FormMeasure[]> {
  const out = new Array<FormMeasure>(items.length);
  const groups = new Map<string, { path: string; index: number[] }>();
  items.forEach(({ docPath }, i) => {
    const path = docPath.replace(/\.html$/, '.measure.html');
    // Documents of one folder share their head (the form's stylesheet); see showDocument.
    const key = path.slice(0, path.lastIndexOf('/') + 1);
    const group = groups.get(key) ?? { path, index: [] };
    groups.set(key, group);
    group.index.push(i);
  });
  for (const group of groups.values()) {
    for (let start = 0; start < group.index.length; start += MEASURE_BATCH) {
      const index = group.index.slice(start, start + MEASURE_BATCH);
      // Each label is probed once per batch: the first form that has it carries its probe.
      const probed = new Set<string>();
      const html = index.map((i) => {
        const model = items[i]!.model;
        const h = renderer.renderMeasure(model, { probed });
        for (const { column, text } of probeLabels(model)) probed.add(probeKey(column, text));
        return h;
      });
      const head = html[0]!.slice(0, html[0]!.indexOf('<body'));
      if (html.some((h) => h.slice(0, h.indexOf('<body')).replace(TITLE_META, '') !== head.replace(TITLE_META, ''))) {
        throw new Error('measuring documents of one folder differ in their head');
      }
      const bodies = html.map((h) => h.slice(h.indexOf('>', h.indexOf('<body')) + 1, h.lastIndexOf('</body>')));
      const [raw] = await showDocument(
        page,
        group.path,
        `${head}<body>${bodies.join('')}</body></html>`,
        call(readMeasures, FOOTER_GAP_PX, FORM_CLASSES),
      );
      if (raw.length !== index.length) throw new Error(`measured ${raw.length} forms of ${index.length}`);
      const probes = Object.assign({}, ...raw.map((r) => r.probes)) as Record<string, number>;
      index.forEach((i, k) => (out[i] = toFormMeasure(items[i]!.model, { ...raw[k]!, probes })));
    }
  }
  return out;
}

/** The text calibration (render/predict) of the measuring document `page` shows now: call right after measureForms. */
export async function calibrateText(page: Page): Promise<RawCalibration> {
  return evaluateIn(page, call(calibrate, ...CALIBRATE_ARGS));
}

export interface RenderFormOptions {
  renderer: FormRenderer;
  /** Print the PDF too (else only the paginated HTML). */
  pdf: boolean;
  /** `jxmb <version>`: the PDF's Creator. */
  creator: string;
  /** Path of the document under the out folder (`2025/code.html`): where its relative links resolve. */
  docPath: string;
  /**
   * Its plan when already made (planForm, from a measurement taken with others'); else it is measured and
   * planned here.
   */
  plan?: FormPlan;
  /**
   * The plan's heights were predicted (render/predict): whether the shown document's text boxes have
   * the line counts predicted (readLines's answer). If not, the form is measured and planned here.
   */
  check?: (html: string, lines: readonly number[]) => boolean;
  /**
   * With `pdf`: hears the finished HTML before the PDF is printed (a dev rebuild shows it at once). The
   * page waits for it.
   */
  onHtml?: (html: string) => Promise<void> | void;
}

export interface RenderedForm {
  html: string;
  pdf?: Uint8Array;
  pages: PageSlice[];
  /** Pages (1-based) whose single row or title block is taller than a page: their end is cut off. */
  overfull: number[];
  /** Every request the page made while rendering this document. */
  requests: RequestLogEntry[];
  /** With a predicted plan: whether the prediction held (`missed`: the form was measured after all). */
  prediction?: 'verified' | 'missed';
}

/** A form's pages and final HTML, from its measurement: the part of rendering that needs no page. */
export interface FormPlan {
  measure: FormMeasure;
  pages: PageSlice[];
  html: string;
}

/**
 * Paginates a measured form and renders its final HTML. Pure; the build does it before it takes a
 * page, so the page goes straight from the previous form's print to this one's.
 */
export function planForm(model: FormModel, measure: FormMeasure, renderer: FormRenderer): FormPlan {
  const pages = paginate(measure);
  return { measure, pages, html: renderer.render(model, pages) };
}

/** Cuts made in one form at most (each is a measuring layout): far more than any text needs. */
const MAX_CUTS = 400;

/**
 * A form whose lead or rows no page can hold whole, made printable (render/split.ts): measured on this
 * page, its first over-tall row (label rows first, then indicator rows) cut where its lines end to fit
 * the room it has, measured again, until nothing is too tall. Returns the pieces' form and its measure.
 * A box whose text the page does not hold as the model has it is left whole (reported as overfull).
 */
export async function splitForm(
  page: Page,
  model: FormModel,
  renderer: FormRenderer,
  docPath: string,
): Promise<{ printed: PrintModel; measure: FormMeasure }> {
  const read = async (target: 'row' | 'lead', i: number): Promise<BoxRead> =>
    (await evaluateIn(page, call(readBoxLines, [[target, i]], FORM_CLASSES)))[0]!;
  let printed: PrintModel = { ...model, leadRows: leadRowsOf(model) };
  for (let cuts = 0; ; cuts++) {
    const measure = (await measureForms(page, [{ model: printed, docPath }], renderer))[0]!;
    const lead = tallLeadRows(measure);
    const rows = lead.length ? [] : tallRows(measure);
    if ((!lead.length && !rows.length) || cuts >= MAX_CUTS) return { printed, measure };
    if (lead.length) {
      const j = lead[0]!;
      const { height, cells } = await read('lead', j);
      const box = cells[0];
      const row = printed.leadRows![j]!;
      if (!box || box.text !== row.text) return { printed, measure };
      // Every cut the lines tell at once: the pieces are measured again all the same.
      const series = leadCutSeries(box, height, leadRoom(measure, j), measure.pageHeight - DEFAULT_SLACK, row.items);
      if (series.length === 0) return { printed, measure };
      let leadRows = printed.leadRows!;
      series.forEach((at, k) => (leadRows = cutLeadRow(leadRows, j + k, at)));
      printed = { ...printed, leadRows };
    } else {
      const i = rows[0]!;
      const { height, cells } = await read('row', i);
      const row = printed.rows[i]!;
      const same = cells.length === ROW_CELLS.length && cells.every((b, c) => b && b.text === row[ROW_CELLS[c]!]);
      if (!same) return { printed, measure };
      // The page row i would start on: the one the rows before it end on, if it has room left.
      const before = paginate(measure).find((p) => p.end === i && (p.end > p.start || p.lead));
      const alone = rowRoom(measure, i, { start: i, lead: false });
      const series = rowCutSeries(
        cells as BoxLines[],
        height,
        rowRoom(measure, i, before ?? { start: i, lead: false }),
        alone,
      );
      if (series.length === 0) return { printed, measure };
      let pieces = printed.rows;
      series.forEach((at, k) => (pieces = cutRow(pieces, i + k, at)));
      printed = { ...printed, rows: pieces };
    }
  }
}

/** Renders one form on a sealed page: measure, paginate, verify, print. */
export async function renderFormOnPage(page: Page, model: FormModel, opts: RenderFormOptions): Promise<RenderedForm> {
  const state = SEALS.get(page);
  if (!state) throw new Error('page is not sealed: call sealPage first');
  state.log = [];
  // The form as printed: the model, or its pieces when something in it is taller than a page.
  let printed: FormModel = model;
  const split = async (): Promise<FormPlan> => {
    const s = await splitForm(page, model, opts.renderer, opts.docPath);
    printed = s.printed;
    return planForm(printed, s.measure, opts.renderer);
  };
  const measureHere = async (): Promise<FormPlan> => {
    const measure = (await measureForms(page, [{ model, docPath: opts.docPath }], opts.renderer))[0]!;
    return needsSplit(measure) ? split() : planForm(model, measure, opts.renderer);
  };
  let planned = opts.plan ?? (await measureHere());
  // A predicted plan is checked against the browser's layout when it is first shown.
  let check = opts.plan ? opts.check : undefined;
  // A plan made elsewhere (measured with other forms) of a form with something too tall: cut here.
  if (opts.plan && needsSplit(opts.plan.measure)) {
    planned = await split();
    check = undefined;
  }
  let prediction: RenderedForm['prediction'];
  // Its own copy: the overflow check may lower the page height, and a retried render starts afresh.
  let measure = structuredClone(planned.measure);
  let { pages, html } = planned;

  let room = measure.pageHeight;
  let overfull: number[] = [];
  for (let attempt = 0; ; attempt++) {
    let overflows: number[];
    if (check) {
      const [o, lines] = await showDocument(
        page,
        opts.docPath,
        html,
        call(readOverflow, FOOTER_GAP_PX, FORM_CLASSES),
        call(readLines),
      );
      // Every text box has the lines predicted, and every page is as tall as its predicted heights add
      // up to (give or take the half rules of the table's collapsed borders, which the sum leaves out:
      // 0.5 to 1 px, measured; a row off by one line would be 18 px).
      const ok =
        check(html, lines) && pages.every((p, i) => Math.abs(o[i]! + room - sliceHeight(measure, p) - 0.5) < 1);
      check = undefined;
      prediction = ok ? 'verified' : 'missed';
      if (!ok) {
        // Laid out otherwise than predicted: measure it, as if it had never been predicted.
        planned = await measureHere();
        measure = structuredClone(planned.measure);
        ({ pages, html } = planned);
        room = measure.pageHeight;
        attempt = -1;
        continue;
      }
      overflows = o;
    } else [overflows] = await showDocument(page, opts.docPath, html, call(readOverflow, FOOTER_GAP_PX, FORM_CLASSES));
    // A page holding one thing only (one row, or the title block) that is taller than a page cannot be
    // helped by paginating again: it is reported, not retried.
    overfull = pages.flatMap((p, i) => (overflows[i]! > 0.5 && p.end - p.start + (p.lead ? 1 : 0) <= 1 ? [i + 1] : []));
    const overflow = Math.max(...overflows.filter((_, i) => !overfull.includes(i + 1)));
    if (overflow <= 0.5) break;
    if (attempt >= 3)
      throw new Error(`page content overflows by ${overflow.toFixed(1)}px after ${attempt + 1} attempts`);
    // The height model was off for some page (it should not be): paginate again with less room, by as
    // much as the model underestimated the worst page, so the next plan cannot repeat the mistake.
    const underestimate = Math.max(
      ...pages.map((p, i) => (overflows[i]! > 0.5 ? room + overflows[i]! - sliceHeight(measure, p) : 0)),
    );
    measure.pageHeight = Math.min(
      measure.pageHeight,
      room - Math.ceil(Math.max(underestimate, overflow)) - 1 - attempt * 4,
    );
    pages = paginate(measure);
    html = opts.renderer.render(printed, pages);
  }

  let pdf: Uint8Array | undefined;
  if (opts.pdf) {
    await opts.onHtml?.(html);
    const raw = await printPdf(page);
    pdf = setPdfInfo(raw, {
      title: documentTitle(model),
      author: model.name,
      subject: documentSubject(model),
      keywords: documentKeywords(model),
      creator: opts.creator,
      date: model.filedIso,
    });
  }
  return { html, ...(pdf ? { pdf } : {}), pages, overfull, requests: state.log, ...(prediction ? { prediction } : {}) };
}
