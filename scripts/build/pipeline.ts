/**
 * The build, in three separable steps (so caching, sharding and a dev server can reuse them):
 *
 * - `planBuild`: read and check the sources (exactly what `validate` does) and decide which documents
 *   to render and which stale outputs to remove;
 * - `renderDocument`: render one document in the requested formats and write its files atomically,
 *   then its index sidecar;
 * - `runBuild`: remove stale outputs, render the documents concurrently on one shared browser, write
 *   out/index.html and out/manifest.json, and say what happened.
 *
 * The browser (a BrowserPool) and the compiled templates live in a RenderContext that is created once
 * per run and closed in `finally` by whoever created it.
 *
 * Speed (issue 4; `jxmb bench`): forms are measured 8 to a document (measureAhead), and once the first
 * ones have calibrated a prediction, most are not measured at all (browser/form-measurer.ts); one document
 * more is in flight than there are pages, and a cold build starts Chromium before it plans
 * (startEarly), measuring and printing the first forms, into memory, while later sources are still
 * being checked (HeadStart).
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { hasErrors } from '../check/diagnostic.ts';
import type { FormModel } from '../model/form-model.ts';
import { createFormRenderer, type FormRenderer } from '../render/html.ts';
import { OUTPUT_FORMATS, type IndexEntry, type OutputFormat } from '../render/outputs.ts';
import type { FormMeasure, PageSlice } from '../render/paginate.ts';
import {
  MEASURE_BATCH,
  planForm,
  renderFormOnPage,
  type RenderedForm,
  type RequestLogEntry,
  sealPage,
  warmFontCache,
} from '../browser/form-page.ts';
import { BrowserPool, findBrowser, requireBrowser } from '../browser/chromium.ts';
import { checkProject } from '../check/check-project.ts';
import { decodeSource, lineCounterFor } from '../load/load-yaml.ts';
import {
  type BuildRecords,
  type CheckCache,
  checkInputsKey,
  freshFormats,
  outputKey,
  type OutputRecord,
  recordOf,
  renderInputsKey,
  sourceCheckKey,
} from './cache.ts';
import {
  outputRelPath,
  readEntrySidecars,
  readSidecarCheck,
  readSidecarRecords,
  removeEntrySidecar,
  stageEntrySidecar,
  stageRecordsDropped,
  writeEntrySidecar,
  writeIndexAndManifest,
} from './entries.ts';
import { createHash } from 'node:crypto';
import {
  checkWritable,
  commitStaged,
  discardStaged,
  environmentProblem,
  expandPaths,
  findDataFiles,
  stageFile,
  type StagedFile,
  writeFileIfChanged,
} from '../io/files.ts';
import { FormMeasurer } from '../browser/form-measurer.ts';
import { loadFontAssets, writeFontAssets } from '../io/fonts.ts';
import { checkFiles, type LoadedSettings, loadSettings, readSourceFile, SETTINGS_FILE } from '../io/project.ts';
import { readFormTemplates, TEMPLATES_DIR } from '../io/templates.ts';
import { TOOL_VERSION } from '../io/version.ts';
import { settingsForYear } from '../model/settings.ts';

export interface BuildOptions {
  cwd: string;
  /** Project root (settings, relative source paths). */
  root: string;
  dataDir: string;
  outDir: string;
  formats: readonly OutputFormat[];
  /** Files or folders to build; empty: every data file under dataDir. */
  paths: readonly string[];
  /** Documents rendered at once (one browser page each). */
  jobs: number;
  /** Stop starting documents after the first failure. */
  failFast: boolean;
  /** Re-render every output even when its content key says it is up to date. */
  force?: boolean;
  /** Build only this deterministic part of the departments: shard `index` (1-based) of `count`. */
  shard?: Shard;
}

export interface Shard {
  index: number;
  count: number;
}

/**
 * Which shard a source belongs to: a stable hash of `<year>/<code>` (its path under the data folder),
 * so every machine of a CI matrix agrees without talking to the others.
 */
export function shardOf(key: string, count: number): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % count) + 1;
}

/** A document that passed validation and will be rendered. */
export interface BuildDocument {
  checked: CheckedFile;
  model: FormModel;
  /** Source path relative to the project root, `/`-separated (`data/2025/x.yaml`). */
  source: string;
  warnings: number;
  /** Absolute output path per format (all formats, requested or not). */
  outputs: Record<OutputFormat, string>;
  /** Content key per requested format (build-cache.ts); absent when the caller does no caching. */
  keys?: Partial<Record<OutputFormat, string>>;
  /** Formats to render now (the others are up to date); absent: every format of the context. */
  todo?: OutputFormat[];
  /** What the sidecar recorded of the outputs that are up to date. */
  records?: BuildRecords;
  /** The check of its source, recorded in the sidecar for the next build (absent: not cached). */
  check?: CheckCache;
  /** Its form's measurement, taken ahead with others' (measureAhead); used once, then dropped. */
  measure?: FormMeasure;
}

/** A source that failed validation: nothing is rendered, and its old outputs are removed. */
export interface FailedSource {
  checked: CheckedFile;
  /** Where its outputs would be, as `<year>/<code>`: from its data if readable, else from its path. */
  targets: { fiscalYear: number; code: string }[];
}

export interface BuildPlan {
  settings: LoadedSettings;
  checked: CheckedFile[];
  documents: BuildDocument[];
  failed: FailedSource[];
  /** Settings with errors block every document (they change what is printed). */
  settingsFailed: boolean;
  /** Every data file was considered (no paths given): outputs of deleted sources can be pruned. */
  complete: boolean;
}

const posix = (p: string): string => p.split(path.sep).join('/');

/** Year and code of a source at `<year>/<code>.yaml` under the data folder (where validation puts it). */
function dataTarget(dataDir: string, abs: string): { fiscalYear: number; code: string } | undefined {
  const m = /^(\d{4})\/([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/.exec(posix(path.relative(dataDir, abs)));
  return m ? { fiscalYear: Number(m[1]), code: m[2]! } : undefined;
}

export const outputPath = (outDir: string, fiscalYear: number, code: string, format: OutputFormat): string =>
  path.join(outDir, String(fiscalYear), `${code}.${format}`);

/** Year and code a file would be built under, guessed from `<year>/<code>.yaml` when its data is unreadable. */
function targetsOf(c: CheckedFile, abs: string, dataDir: string): FailedSource['targets'] {
  const out: FailedSource['targets'] = [];
  const data = c.data as { fiscal_year?: unknown; department?: { code?: unknown } } | undefined;
  const src = c.source.data as typeof data;
  for (const d of [data, src]) {
    if (
      d &&
      Number.isInteger(d.fiscal_year) &&
      typeof d.department?.code === 'string' &&
      /^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.department.code)
    ) {
      out.push({ fiscalYear: d.fiscal_year as number, code: d.department.code });
      break;
    }
  }
  const t = dataTarget(dataDir, abs);
  if (t && !out.some((o) => o.fiscalYear === t.fiscalYear && o.code === t.code)) out.push(t);
  return out;
}

/**
 * Step 1: check the sources and decide what to render. No browser, no writes.
 * With `formats`, each document's outputs are compared with the keys recorded beside them, and only
 * the stale ones are planned (`todo`); `force` plans everything.
 */
export async function planBuild(
  opts: Pick<BuildOptions, 'cwd' | 'root' | 'dataDir' | 'outDir' | 'paths'> &
    Partial<Pick<BuildOptions, 'formats' | 'force' | 'shard'>>,
  hooks: { onModel?: (model: FormModel) => void } = {},
): Promise<BuildPlan> {
  const settings = await loadSettings(opts.root);
  let files = opts.paths.length ? await expandPaths([...opts.paths], opts.cwd) : await findDataFiles(opts.dataDir);
  if (opts.shard) {
    const { index, count } = opts.shard;
    files = files.filter(
      (f) => shardOf(posix(path.relative(opts.dataDir, f)).replace(/\.ya?ml$/i, ''), count) === index,
    );
  }
  const { checked, checks } = await checkWithCache(files, opts, settings, hooks.onModel);
  const settingsFailed = hasErrors(settings.diagnostics);
  const documents: BuildDocument[] = [];
  const failed: FailedSource[] = [];
  checked.forEach((c, i) => {
    const abs = files[i]!;
    if (!c.model || settingsFailed) {
      failed.push({ checked: c, targets: targetsOf(c, abs, opts.dataDir) });
      return;
    }
    const m = c.model;
    const outputs = Object.fromEntries(
      OUTPUT_FORMATS.map((f) => [f, outputPath(opts.outDir, m.fiscalYear, m.code, f)]),
    ) as Record<OutputFormat, string>;
    const check = checks[i];
    documents.push({
      checked: c,
      model: m,
      source: posix(path.relative(opts.root, abs)),
      warnings: c.diagnostics.filter((d) => d.severity === 'warning').length,
      outputs,
      ...(check ? { check } : {}),
    });
  });
  // The parsed YAML trees are done with (the diagnostics are placed, the models built): a province's
  // build holds thousands of sources, so keep only what printing and rendering need.
  for (const c of checked) {
    delete c.source.doc;
    delete c.source.data;
    delete c.data;
  }
  if (opts.formats && documents.length)
    await planOutputs(documents, opts.formats, settings.settings, opts.outDir, opts.force ?? false);
  return { settings, checked, documents, failed, settingsFailed, complete: opts.paths.length === 0 && !opts.shard };
}

/**
 * Checks the sources, reusing the check recorded in a source's sidecar when its key matches (same
 * bytes, place, settings and checking code), so an unchanged tree is not parsed again. Returns, per
 * file, the check to record for the next build (valid sources only).
 */
async function checkWithCache(
  files: string[],
  opts: Pick<BuildOptions, 'cwd' | 'root' | 'dataDir' | 'outDir'>,
  settings: LoadedSettings,
  onModel?: (model: FormModel) => void,
): Promise<{ checked: CheckedFile[]; checks: (CheckCache | undefined)[] }> {
  const inputs = await checkInputsKey(`${settings.text}\0${JSON.stringify(settings.settings)}`);
  const probes = await Promise.all(
    files.map(async (abs) => {
      const target = dataTarget(opts.dataDir, abs);
      // Through the one reader: a FIFO is never opened, a link out of the project never followed.
      const bytes = target ? (await readSourceFile(abs, abs, [opts.root, opts.dataDir])).bytes : undefined;
      if (!target || !bytes) return { hit: undefined };
      const key = sourceCheckKey(inputs, posix(path.relative(opts.dataDir, abs)), bytes);
      const hit = await readSidecarCheck(opts.outDir, target.fiscalYear, target.code, key);
      return { key, hit, bytes };
    }),
  );
  const misses = files.filter((_, i) => !probes[i]!.hit);
  const fresh = await checkFiles(misses, {
    dataDir: opts.dataDir,
    root: opts.root,
    settings: settings.settings,
    cwd: opts.cwd,
    project: false,
    ...(onModel ? { onChecked: (c: CheckedFile) => c.model && onModel(c.model) } : {}),
  });
  const checked: CheckedFile[] = [];
  const checks: (CheckCache | undefined)[] = [];
  let next = 0;
  files.forEach((abs, i) => {
    const { hit, key, bytes } = probes[i]!;
    if (hit) {
      const text = decodeSource(bytes!).text!.replace(/^\uFEFF/, '');
      checked.push({
        file: path.relative(opts.cwd, abs) || abs,
        source: { text, lineCounter: lineCounterFor(text), diagnostics: [] },
        diagnostics: [...hit.diagnostics],
        model: hit.model,
      });
      checks.push(hit);
      onModel?.(hit.model);
      return;
    }
    const c = fresh[next++]!;
    checked.push(c);
    checks.push(key && c.model ? { key, diagnostics: c.diagnostics, model: c.model } : undefined);
  });
  checkProject(checked);
  // A cross-file error (a code used twice) makes a cached check stale: do not record it.
  checked.forEach((c, i) => {
    if (!c.model) checks[i] = undefined;
  });
  return { checked, checks };
}

/** Sets each document's content keys and the formats that need rendering. Reads sidecars only. */
async function planOutputs(
  documents: BuildDocument[],
  formats: readonly OutputFormat[],
  settings: LoadedSettings['settings'],
  outDir: string,
  force: boolean,
): Promise<void> {
  const needsBrowser = formats.includes('html') || formats.includes('pdf');
  const browser = needsBrowser ? (await findBrowser()).found?.path : undefined;
  const inputs = await renderInputsKey(settings, browser);
  await Promise.all(
    documents.map(async (doc) => {
      doc.keys = Object.fromEntries(formats.map((f) => [f, outputKey(inputs, f, doc.model)]));
      const records = await readSidecarRecords(outDir, doc.model.fiscalYear, doc.model.code);
      const fresh = force ? new Set<OutputFormat>() : await freshFormats(records, doc.keys, doc.outputs);
      doc.todo = formats.filter((f) => !fresh.has(f));
      doc.records = Object.fromEntries([...fresh].map((f) => [f, records![f]!]));
    }),
  );
}

/**
 * A cold build's head start: while its sources are still being checked (the main thread busy with
 * YAML, the browser otherwise idle), the forms checked first are measured — or predicted, once the
 * first batch has calibrated the prediction — and printed, into memory, on the pool started early.
 * Nothing is written before the plan is complete: renderDocument takes the printed form when the
 * build reaches it, and a form that then fails a cross-file check is just not used.
 */
export class HeadStart {
  readonly #measurer: FormMeasurer;
  readonly #limit: number;
  readonly #render: ((model: FormModel, measure: FormMeasure) => Promise<RenderedForm>) | undefined;
  #rendered = new Map<FormModel, Promise<RenderedForm | undefined>>();
  #pending: FormModel[] = [];
  #measures = new Map<FormModel, Promise<FormMeasure | undefined>>();
  /** Forms accepted so far (measured, being measured or pending). */
  #added = 0;
  #open = true;

  /**
   * `limit`: forms measured ahead at most (the rest are measured as the build reaches them); `render`:
   * how to print one ahead (none: measurements only).
   */
  constructor(
    measurer: FormMeasurer,
    limit: number,
    render?: (model: FormModel, measure: FormMeasure) => Promise<RenderedForm>,
  ) {
    this.#measurer = measurer;
    this.#limit = limit;
    this.#render = render;
  }

  /** A form has passed its checks: measure it with the next ones, once a batch is full. */
  add(model: FormModel): void {
    if (!this.#open || this.#added >= this.#limit) return;
    this.#added++;
    this.#pending.push(model);
    if (this.#pending.length >= MEASURE_BATCH) this.#flush();
  }

  /** The plan is ready: measure what is pending, accept no more. */
  close(): void {
    this.#flush();
    this.#open = false;
  }

  #flush(): void {
    const batch = this.#pending.splice(0);
    if (!batch.length) return;
    // A batch that is not full comes from close(): the whole build is smaller than a batch, too small
    // for calibrating a prediction to pay.
    const measured = this.#measurer.measure(batch, batch.length >= MEASURE_BATCH).catch(() => undefined);
    const render = this.#render;
    batch.forEach((model, i) => {
      const measure = measured.then((r) => r?.[i]);
      this.#measures.set(model, measure);
      // A print that fails (Chromium died) is done again by renderDocument, where failures are reported.
      if (render)
        this.#rendered.set(
          model,
          measure.then((m) => (m ? render(model, m) : undefined)).catch(() => undefined),
        );
    });
  }

  /** Forms printed ahead that the build then used. */
  used = 0;

  /** The form printed ahead for `model` (once), if there is one. */
  takeRendered(model: FormModel): Promise<RenderedForm | undefined> | undefined {
    const r = this.#rendered.get(model);
    this.#rendered.delete(model);
    return r;
  }

  /** The measurement taken ahead for `model` (once), if there is one. */
  take(model: FormModel): Promise<FormMeasure | undefined> | undefined {
    const m = this.#measures.get(model);
    this.#measures.delete(model);
    return m;
  }
}

/** What a cold build starts before it plans: the browser, the form renderer, a head start. */
export interface EarlyStart {
  pool: BrowserPool;
  renderer: FormRenderer;
  measurer: FormMeasurer;
  headStart: HeadStart;
}

/**
 * Starts Chromium (and `jobs` pages) and a head start for a cold build, before its sources are checked;
 * undefined when there is no browser (the build then reports that when it needs one).
 */
export async function startEarly(
  jobs: number,
  hooks: { onRelaunch?: (reason: string) => void } = {},
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
): Promise<EarlyStart | undefined> {
  const pool = await createFormPool(hooks, jobs).catch(() => undefined);
  if (!pool) return undefined;
  void pool.warm(jobs);
  const renderer = createFormRenderer(await readFormTemplates());
  const measurer = new FormMeasurer(pool, renderer, (model) => docPathOf({ model }), predicting());
  const pdf = formats.includes('pdf');
  const render = (model: FormModel, measure: FormMeasure): Promise<RenderedForm> =>
    renderOnPool(pool, renderer, measurer, model, pdf, measure);
  return {
    pool,
    renderer,
    measurer,
    headStart: new HeadStart(measurer, 4 * jobs * MEASURE_BATCH, formats.includes('html') || pdf ? render : undefined),
  };
}

/** What renderDocument needs, created once per run. */
export interface RenderContext {
  outDir: string;
  formats: readonly OutputFormat[];
  settings: LoadedSettings;
  renderer: FormRenderer;
  /** Present when html or pdf is requested. */
  pool?: BrowserPool;
  /** Measurements taken while the plan was made (a cold build). */
  headStart?: HeadStart;
  /** Pagination heights, predicted or measured on the pool (with `pool`). */
  measurer?: FormMeasurer;
  /** The Excel renderer (loaded only when xlsx is requested). */
  renderXlsx?: (model: FormModel, opts: { settings: LoadedSettings['settings'] }) => Promise<Uint8Array>;
}

export interface DocumentResult {
  doc: BuildDocument;
  /** Files written (absolute). */
  written: string[];
  /** What its sidecar now records of every output it has (those kept and those written). */
  records?: BuildRecords;
  pages?: PageSlice[];
  /** Pages whose single row (or title block) is taller than a page, so their end is cut off. */
  overfull?: number[];
  requests?: RequestLogEntry[];
  error?: Error;
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

/** Creates the shared context: compiled templates, fonts, the Excel renderer, and (lazily) the browser. */
export async function createRenderContext(
  opts: Pick<BuildOptions, 'outDir' | 'formats'> & Partial<Pick<BuildOptions, 'jobs'>> & { forms?: number },
  settings: LoadedSettings,
  hooks: { onRelaunch?: (reason: string) => void } = {},
  early?: EarlyStart,
): Promise<RenderContext> {
  const renderer = early?.renderer ?? createFormRenderer(await readFormTemplates());
  const ctx: RenderContext = { outDir: opts.outDir, formats: opts.formats, settings, renderer };
  if (opts.formats.includes('html') || opts.formats.includes('pdf')) {
    ctx.pool = early?.pool ?? (await createFormPool(hooks, opts.jobs));
    // Predicting pays for its calibration only over more than a few forms (not a one-file rebuild).
    ctx.measurer =
      early?.measurer ??
      new FormMeasurer(
        ctx.pool,
        renderer,
        (model) => docPathOf({ model }),
        predicting() && (opts.forms ?? 0) > 2 * MEASURE_BATCH,
      );
    if (early) ctx.headStart = early.headStart;
  }
  // Loaded on demand: an HTML/PDF-only build never loads the xlsx writer.
  if (opts.formats.includes('xlsx')) ctx.renderXlsx = (await import('../render/xlsx.ts')).renderXlsx;
  return ctx;
}

/** Pagination heights predicted where certain (browser/form-measurer.ts); `JXMB_PREDICT=0` measures every form. */
const predicting = (): boolean => process.env.JXMB_PREDICT !== '0';

/**
 * Renders one form (HTML, and the PDF with `pdf`) on a page of the pool: from its measure when there
 * is one, paginated before a page is taken so the page waits for nothing but the browser (a predicted
 * measure is checked where the form is shown); else measured on that page.
 */
function renderOnPool(
  pool: BrowserPool,
  renderer: FormRenderer,
  measurer: FormMeasurer | undefined,
  model: FormModel,
  pdf: boolean,
  measure?: FormMeasure,
): Promise<RenderedForm> {
  const plan = measure && planForm(model, measure, renderer);
  const check = measure && measurer?.checkFor(measure);
  return pool.withPage((page) =>
    renderFormOnPage(page, model, {
      renderer,
      pdf,
      creator: `jxmb ${TOOL_VERSION}`,
      docPath: docPathOf({ model }),
      ...(plan ? { plan } : {}),
      ...(check ? { check } : {}),
    }),
  );
}

/** Where a document's HTML lives under out/ (`2025/code.html`): its relative links resolve from there. */
const docPathOf = (doc: Pick<BuildDocument, 'model'>): string => `${doc.model.fiscalYear}/${doc.model.code}.html`;

/**
 * Step 2: render one document in the context's formats and write its files and sidecar, all or none:
 * when rendering or writing fails, its previous outputs and sidecar are left exactly as they were.
 */
export async function renderDocument(doc: BuildDocument, ctx: RenderContext): Promise<DocumentResult> {
  const staged: StagedFile[] = [];
  try {
    const files = new Map<string, string | Uint8Array>();
    const formats = doc.todo ?? ctx.formats;
    const wantHtml = formats.includes('html');
    const wantPdf = formats.includes('pdf');
    const wantXlsx = formats.includes('xlsx');
    const measure = doc.measure;
    delete doc.measure;
    const renderForm = async (): Promise<RenderedForm> => {
      // Printed ahead while the sources were still being checked (a cold build's head start)?
      const ahead = await ctx.headStart?.takeRendered(doc.model);
      if (ahead && (ahead.pdf !== undefined) === wantPdf) {
        ctx.headStart!.used++;
        return ahead;
      }
      return renderOnPool(ctx.pool!, ctx.renderer, ctx.measurer, doc.model, wantPdf, measure);
    };
    const [form, xlsx] = await Promise.all([
      wantHtml || wantPdf ? renderForm() : undefined,
      wantXlsx ? ctx.renderXlsx!(doc.model, { settings: ctx.settings.settings }) : undefined,
    ]);
    if (form?.prediction === 'missed') ctx.measurer?.missed();
    const rendered: [OutputFormat, string | Uint8Array | undefined][] = [
      ['html', wantHtml ? form?.html : undefined],
      ['pdf', form?.pdf],
      ['xlsx', xlsx],
    ];
    const records: BuildRecords = { ...doc.records };
    const replaced: OutputFormat[] = [];
    for (const [format, data] of rendered) {
      if (data === undefined) continue;
      files.set(doc.outputs[format], data);
      replaced.push(format);
      const key = doc.keys?.[format];
      if (key) records[format] = recordOf(key, data);
    }
    // Everything rendered, then everything written in full under temporary names (a full disk fails
    // here, with the previous outputs and their records untouched), then put in place in one
    // synchronous step: first the sidecar without the records of the outputs being replaced, then the
    // outputs, then the sidecar recording them. A record never describes bytes that are not there, and
    // a signal (handled between JavaScript steps) finds the department wholly old or wholly new.
    for (const [file, data] of files) staged.push(await stageFile(file, data));
    const dropped = await stageRecordsDropped(ctx.outDir, doc.model.fiscalYear, doc.model.code, replaced);
    if (dropped) staged.unshift(dropped);
    const entry = indexEntry(doc, ctx.outDir);
    const build = doc.keys ? records : undefined;
    const sidecar = await stageEntrySidecar(ctx.outDir, entry, build, doc.check, Boolean(dropped));
    if (sidecar) staged.push(sidecar);
    commitStaged(staged);
    return {
      doc,
      written: [...files.keys()],
      ...(doc.keys ? { records } : {}),
      ...(form ? { pages: form.pages, overfull: form.overfull, requests: form.requests } : {}),
    };
  } catch (e) {
    discardStaged(staged);
    return { doc, written: [], error: e as Error };
  }
}

/**
 * The output records whose bytes this run checked (planBuild's fresh formats) or wrote (the results),
 * by path under out/: the manifest takes their hashes; any other output is hashed from its bytes.
 */
export function verifiedRecords(
  documents: readonly BuildDocument[],
  results: readonly DocumentResult[],
): Map<string, OutputRecord> {
  const known = new Map<string, OutputRecord>();
  const add = (doc: BuildDocument, records: BuildRecords | undefined): void => {
    for (const [f, r] of Object.entries(records ?? {})) {
      known.set(outputRelPath(doc.model.fiscalYear, doc.model.code, f as OutputFormat), r);
    }
  };
  for (const doc of documents) add(doc, doc.records);
  for (const r of results) if (!r.error) add(r.doc, r.records);
  return known;
}

/** The document's index entry; `outputs` is filled from the files on disk when the index is written. */
export function indexEntry(doc: BuildDocument, outDir: string): IndexEntry {
  const outputs: IndexEntry['outputs'] = {};
  for (const f of OUTPUT_FORMATS) outputs[f] = posix(path.relative(outDir, doc.outputs[f]));
  return {
    fiscalYear: doc.model.fiscalYear,
    code: doc.model.code,
    name: doc.model.name,
    source: doc.source,
    indicators: doc.model.rows.length,
    pointsSum: doc.model.pointsSum,
    warnings: doc.warnings,
    outputs,
  };
}

/**
 * Removes a source's sidecar, then its outputs (it fails validation now, or it was deleted): in that
 * order, so a build ended halfway leaves outputs without a record (rendered again), never a record
 * without its output.
 */
export async function removeOutputs(outDir: string, target: { fiscalYear: number; code: string }): Promise<string[]> {
  const removed: string[] = [];
  await removeEntrySidecar(outDir, target.fiscalYear, target.code);
  for (const f of OUTPUT_FORMATS) {
    const file = outputPath(outDir, target.fiscalYear, target.code, f);
    // Only files we could have written: a folder or anything else in the way is left alone.
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

export interface BuildHooks {
  /** A document finished (rendered or failed). */
  onDocument?: (result: DocumentResult, done: number, total: number, ctx: RenderContext) => void | Promise<void>;
  /** A document is starting. */
  onStart?: (doc: BuildDocument) => void;
  /** Chromium died and is being relaunched. */
  onRelaunch?: (reason: string) => void;
}

export interface BuildResult {
  plan: BuildPlan;
  results: DocumentResult[];
  /** Documents not started because of --fail-fast. */
  skipped: BuildDocument[];
  /** Documents whose outputs were all up to date (nothing rendered). */
  upToDate: BuildDocument[];
  /** Stale outputs removed (absolute). */
  removed: string[];
  /** out/index.html and out/manifest.json. */
  index: { indexFile: string; manifestFile: string };
  /** Browser launches (1 normally; more if Chromium crashed and was relaunched). */
  launches: number;
  /** How the forms' pagination heights were had: predicted, measured in the browser, predicted but missed (then measured). */
  heights: { predicted: number; measured: number; missed: number; calibrations: number };
  /** Forms printed while the sources were still being checked (a cold build's head start). */
  printedAhead: number;
  /**
   * The disk or its permissions failed a document's write (full, read-only…): the documents after it
   * were not started (`skipped`), since they would fail the same way.
   */
  environment?: Error;
}

/**
 * Runs `fn` over `items` with at most `limit` at once, in order of start; stops starting when `stop()`.
 * `prepare` (optional) runs first for a chunk of the items a worker is about to do (the build measures
 * their forms in one go). Chunks are guided: a worker takes about 1/(2·limit) of what is left, at most
 * `chunk`, so at the end no worker is left holding a long chunk while the others idle.
 */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  stop: () => boolean,
  prepare?: { chunk: number; run: (items: T[]) => Promise<void> },
): Promise<T[]> {
  const skipped: T[] = [];
  let next = 0;
  const workers = Math.max(1, Math.min(limit, items.length));
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const size = prepare
        ? Math.max(1, Math.min(prepare.chunk, Math.floor((items.length - next) / (2 * workers))))
        : 1;
      const chunk = items.slice(next, next + size);
      next += chunk.length;
      if (prepare && !stop()) await prepare.run(chunk);
      for (const item of chunk) {
        if (stop()) skipped.push(item);
        else await fn(item);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return skipped;
}

/**
 * Measures the forms of several documents in one go (browser/form-page.ts measureForms) and hands each its
 * measurement. If that fails (Chromium died under it), the documents measure themselves as they
 * render, where the pool's retry and the error reporting are per document.
 */
async function measureAhead(docs: readonly BuildDocument[], ctx: RenderContext): Promise<void> {
  const wanted = docs.filter((d) => !d.measure && (d.todo ?? ctx.formats).some((f) => f === 'html' || f === 'pdf'));
  await Promise.all(
    wanted.map(async (d) => {
      const ahead = ctx.headStart?.take(d.model);
      if (ahead) d.measure = await ahead;
    }),
  );
  const forms = wanted.filter((d) => !d.measure);
  if (forms.length === 0 || !ctx.measurer) return;
  try {
    const measures = await ctx.measurer.measure(forms.map((d) => d.model));
    forms.forEach((d, i) => (d.measure = measures[i]));
  } catch {
    // measured one by one instead
  }
}

/**
 * Step 3: the whole build for a plan. The caller prints diagnostics; the browser is closed here in
 * `finally`. `early`: a pool the caller started while planning (a cold build); it is used if the plan
 * needs a browser and closed here either way.
 */
export async function runBuild(
  plan: BuildPlan,
  opts: BuildOptions,
  hooks: BuildHooks = {},
  early?: EarlyStart,
): Promise<BuildResult> {
  const removed: string[] = [];
  const results: DocumentResult[] = [];
  let skipped: BuildDocument[] = [];
  const toRender = plan.documents.filter((d) => d.todo === undefined || d.todo.length > 0);
  const upToDate = plan.documents.filter((d) => d.todo !== undefined && d.todo.length === 0);
  // The browser and the xlsx writer are loaded only for the formats something still needs.
  const needed = opts.formats.filter((f) => toRender.some((d) => (d.todo ?? opts.formats).includes(f)));
  const wantsPool = needed.includes('html') || needed.includes('pdf');
  early?.headStart.close();
  if (early && !(toRender.length && wantsPool)) await early.pool.close();
  const ctx = toRender.length
    ? await createRenderContext(
        { ...opts, formats: needed, forms: toRender.length },
        plan.settings,
        hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {},
        wantsPool ? early : undefined,
      )
    : undefined;
  // Chromium starts while the sidecars, stale outputs and fonts below are seen to (if not started yet).
  if (!early) void ctx?.pool?.warm(opts.jobs);
  try {
    // A read-only or forbidden out/ is found before anything is rendered for nothing.
    // A source that fails its checks loses its outputs (they no longer say what it says). Settings with
    // errors fail every source, though none of them changed: their outputs, all of out/, are kept.
    const invalid = plan.settingsFailed ? [] : plan.failed;
    if (toRender.length || invalid.length) await checkWritable(opts.outDir);
    // Up-to-date documents only refresh their sidecar (warnings or the source path may have changed).
    for (const doc of upToDate)
      await writeEntrySidecar(opts.outDir, indexEntry(doc, opts.outDir), doc.records, doc.check);
    for (const f of invalid) for (const t of f.targets) removed.push(...(await removeOutputs(opts.outDir, t)));
    if (plan.complete) removed.push(...(await pruneDeletedSources(plan, opts)));
    // The fonts the .html outputs link to: copied while the forms render (rendering serves its fonts
    // from memory), done before the index is written.
    const fontsWritten = ctx?.pool ? writeFontAssets(opts.outDir, writeFileIfChanged) : undefined;
    // Awaited in any case below, so a failure to copy is reported, not left unhandled.
    fontsWritten?.catch(() => undefined);

    let failed = false;
    let environment: Error | undefined;
    let done = 0;
    if (ctx) {
      skipped = await eachLimit(
        toRender,
        // One document more than pages: while one writes its files, every page has a form to print.
        ctx.pool ? opts.jobs + 1 : opts.jobs,
        async (doc) => {
          hooks.onStart?.(doc);
          const r = await renderDocument(doc, ctx);
          // Its previous outputs and sidecar stay as they were (the last good build of it, in the index
          // and manifest); the build reports it failed. Their records' keys no longer match, so the
          // next build renders it again.
          if (r.error) failed = true;
          if (r.error && !environment && environmentProblem(r.error)) environment = r.error;
          results.push(r);
          await hooks.onDocument?.(r, ++done, toRender.length, ctx);
        },
        () => Boolean(environment) || (opts.failFast && (failed || plan.failed.length > 0)),
        { chunk: MEASURE_BATCH, run: (docs) => measureAhead(docs, ctx) },
      );
    }
    await fontsWritten;
    const launches = ctx?.pool?.launches ?? 0;
    // Chromium is done with: it closes while the index is written.
    ctx?.pool?.close().catch(() => undefined);
    const order = new Map(plan.documents.map((d, i) => [d, i]));
    results.sort((a, b) => order.get(a.doc)! - order.get(b.doc)!);
    // The index covers everything built so far (sidecars), not only this run's documents. The manifest
    // takes the hashes checked or written by this build; any other output is hashed from its bytes.
    const { entries: all } = await readEntrySidecars(opts.outDir);
    const written = await writeIndexAndManifest(opts.outDir, all, {
      known: verifiedRecords(plan.documents, results),
      dataDir: opts.dataDir,
      extraSourcePaths: [path.join(opts.root, SETTINGS_FILE), TEMPLATES_DIR],
      pointsTotal: plan.settings.settings.points_total,
      pointsTotalFor: (year: number) => settingsForYear(plan.settings.settings, year).points_total,
    });
    const heights = { ...(ctx?.measurer?.stats ?? { predicted: 0, measured: 0, missed: 0, calibrations: 0 }) };
    return {
      plan,
      results,
      skipped,
      upToDate,
      removed,
      launches,
      heights,
      printedAhead: ctx?.headStart?.used ?? 0,
      index: { indexFile: written.indexFile, manifestFile: written.manifestFile },
      ...(environment ? { environment } : {}),
    };
  } finally {
    await ctx?.pool?.close();
    await early?.pool.close();
  }
}

/** In a full build, outputs whose source file is gone are removed (their sidecar names the source). */
async function pruneDeletedSources(plan: BuildPlan, opts: Pick<BuildOptions, 'outDir' | 'root'>): Promise<string[]> {
  const built = new Set(plan.documents.map((d) => `${d.model.fiscalYear}/${d.model.code}`));
  const removed: string[] = [];
  const { entries: existing } = await readEntrySidecars(opts.outDir);
  for (const e of existing) {
    if (built.has(`${e.fiscalYear}/${e.code}`) || existsSync(path.resolve(opts.root, e.source))) continue;
    removed.push(...(await removeOutputs(opts.outDir, e)));
  }
  return removed;
}
