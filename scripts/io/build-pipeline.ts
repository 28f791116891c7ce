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
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { hasErrors } from '../check/diagnostic.ts';
import type { FormModel } from '../model/form-model.ts';
import { createFormRenderer, type FormRenderer } from '../render/html.ts';
import { OUTPUT_FORMATS, type IndexEntry, type OutputFormat } from '../render/outputs.ts';
import type { PageSlice } from '../render/paginate.ts';
import { renderFormOnPage, type RequestLogEntry, sealPage } from '../render/pdf.ts';
import { BrowserPool, requireBrowser } from './browser.ts';
import { readEntrySidecars, removeEntrySidecar, writeEntrySidecar, writeIndexAndManifest } from './entries.ts';
import { expandPaths, findDataFiles, writeFileAtomic } from './files.ts';
import { loadFontAssets, writeFontAssets } from './fonts.ts';
import { checkFiles, type LoadedSettings, loadSettings, SETTINGS_FILE } from './project.ts';
import { readFormTemplates } from './templates.ts';
import { TOOL_VERSION } from './version.ts';

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

export const outputPath = (outDir: string, fiscalYear: number, code: string, format: OutputFormat): string => path.join(outDir, String(fiscalYear), `${code}.${format}`);

/** Year and code a file would be built under, guessed from `<year>/<code>.yaml` when its data is unreadable. */
function targetsOf(c: CheckedFile, abs: string, dataDir: string): FailedSource['targets'] {
  const out: FailedSource['targets'] = [];
  const data = c.data as { fiscal_year?: unknown; department?: { code?: unknown } } | undefined;
  const src = c.source.data as typeof data;
  for (const d of [data, src]) {
    if (d && Number.isInteger(d.fiscal_year) && typeof d.department?.code === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.department.code)) {
      out.push({ fiscalYear: d.fiscal_year as number, code: d.department.code });
      break;
    }
  }
  const m = /^(\d{4})[\\/]([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/.exec(path.relative(dataDir, abs));
  if (m && !out.some((t) => t.fiscalYear === Number(m[1]) && t.code === m[2])) out.push({ fiscalYear: Number(m[1]), code: m[2]! });
  return out;
}

/** Step 1: check the sources and decide what to render. No browser, no writes. */
export async function planBuild(opts: Pick<BuildOptions, 'cwd' | 'root' | 'dataDir' | 'outDir' | 'paths'>): Promise<BuildPlan> {
  const settings = await loadSettings(opts.root);
  const files = opts.paths.length ? await expandPaths([...opts.paths], opts.cwd) : await findDataFiles(opts.dataDir);
  const checked = await checkFiles(files, { dataDir: opts.dataDir, settings: settings.settings, cwd: opts.cwd });
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
    const outputs = Object.fromEntries(OUTPUT_FORMATS.map((f) => [f, outputPath(opts.outDir, m.fiscalYear, m.code, f)])) as Record<OutputFormat, string>;
    documents.push({ checked: c, model: m, source: posix(path.relative(opts.root, abs)), warnings: c.diagnostics.filter((d) => d.severity === 'warning').length, outputs });
  });
  return { settings, checked, documents, failed, settingsFailed, complete: opts.paths.length === 0 };
}

/** What renderDocument needs, created once per run. */
export interface RenderContext {
  outDir: string;
  formats: readonly OutputFormat[];
  settings: LoadedSettings;
  renderer: FormRenderer;
  /** Present when html or pdf is requested. */
  pool?: BrowserPool;
  /** The Excel renderer (loaded only when xlsx is requested). */
  renderXlsx?: (model: FormModel, opts: { settings: LoadedSettings['settings'] }) => Promise<Uint8Array>;
}

export interface DocumentResult {
  doc: BuildDocument;
  /** Files written (absolute). */
  written: string[];
  pages?: PageSlice[];
  /** Pages whose single row (or title block) is taller than a page, so their end is cut off. */
  overfull?: number[];
  requests?: RequestLogEntry[];
  error?: Error;
}

/** Creates the shared context: compiled templates, fonts, the Excel renderer, and (lazily) the browser. */
export async function createRenderContext(opts: Pick<BuildOptions, 'outDir' | 'formats'>, settings: LoadedSettings, hooks: { onRelaunch?: (reason: string) => void } = {}): Promise<RenderContext> {
  const renderer = createFormRenderer(await readFormTemplates());
  const ctx: RenderContext = { outDir: opts.outDir, formats: opts.formats, settings, renderer };
  if (opts.formats.includes('html') || opts.formats.includes('pdf')) {
    const browser = await requireBrowser();
    const fonts = await loadFontAssets();
    const fontCache = new Map<string, Buffer>();
    ctx.pool = new BrowserPool({ executablePath: browser.path, setupPage: (page) => sealPage(page, fonts, fontCache), ...(hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {}) });
  }
  // Loaded on demand: an HTML/PDF-only build never pays for exceljs.
  if (opts.formats.includes('xlsx')) ctx.renderXlsx = (await import('../render/xlsx.ts')).renderXlsx;
  return ctx;
}

/** Step 2: render one document in the context's formats and write its files (each atomically). */
export async function renderDocument(doc: BuildDocument, ctx: RenderContext): Promise<DocumentResult> {
  const written: string[] = [];
  try {
    const files = new Map<string, string | Uint8Array>();
    const wantHtml = ctx.formats.includes('html');
    const wantPdf = ctx.formats.includes('pdf');
    const wantXlsx = ctx.formats.includes('xlsx');
    const docPath = `${doc.model.fiscalYear}/${doc.model.code}.html`;
    const [form, xlsx] = await Promise.all([
      wantHtml || wantPdf ? ctx.pool!.withPage((page) => renderFormOnPage(page, doc.model, { renderer: ctx.renderer, pdf: wantPdf, creator: `jxmb ${TOOL_VERSION}`, docPath })) : undefined,
      wantXlsx ? ctx.renderXlsx!(doc.model, { settings: ctx.settings.settings }) : undefined,
    ]);
    if (form && wantHtml) files.set(doc.outputs.html, form.html);
    if (form?.pdf) files.set(doc.outputs.pdf, form.pdf);
    if (xlsx) files.set(doc.outputs.xlsx, xlsx);
    // Everything rendered before anything is written: a failure never leaves a half-updated set.
    for (const [file, data] of files) {
      await writeFileAtomic(file, data);
      written.push(file);
    }
    await writeEntrySidecar(ctx.outDir, indexEntry(doc, ctx.outDir));
    return { doc, written, ...(form ? { pages: form.pages, overfull: form.overfull, requests: form.requests } : {}) };
  } catch (e) {
    return { doc, written, error: e as Error };
  }
}

/** The document's index entry; `outputs` is filled from the files on disk when the index is written. */
export function indexEntry(doc: BuildDocument, outDir: string): IndexEntry {
  const outputs: IndexEntry['outputs'] = {};
  for (const f of OUTPUT_FORMATS) outputs[f] = posix(path.relative(outDir, doc.outputs[f]));
  return { fiscalYear: doc.model.fiscalYear, code: doc.model.code, name: doc.model.name, source: doc.source, indicators: doc.model.rows.length, pointsSum: doc.model.pointsSum, warnings: doc.warnings, outputs };
}

/** Removes a source's outputs and sidecar (it fails validation now, or its render failed). */
export async function removeOutputs(outDir: string, target: { fiscalYear: number; code: string }): Promise<string[]> {
  const removed: string[] = [];
  for (const f of OUTPUT_FORMATS) {
    const file = outputPath(outDir, target.fiscalYear, target.code, f);
    // Only files we could have written: a folder or anything else in the way is left alone.
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  await removeEntrySidecar(outDir, target.fiscalYear, target.code);
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
  /** Stale outputs removed (absolute). */
  removed: string[];
  /** out/index.html and out/manifest.json. */
  index: { indexFile: string; manifestFile: string };
  /** Browser launches (1 normally; more if Chromium crashed and was relaunched). */
  launches: number;
}

/** Runs `fn` over `items` with at most `limit` at once, in order of start; stops starting when `stop()`. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, stop: () => boolean): Promise<T[]> {
  const skipped: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      if (stop()) {
        skipped.push(item);
        continue;
      }
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return skipped;
}

/** Step 3: the whole build for a plan. The caller prints diagnostics; the browser is closed here in `finally`. */
export async function runBuild(plan: BuildPlan, opts: BuildOptions, hooks: BuildHooks = {}): Promise<BuildResult> {
  const removed: string[] = [];
  const results: DocumentResult[] = [];
  let skipped: BuildDocument[] = [];
  const ctx = plan.documents.length ? await createRenderContext(opts, plan.settings, hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {}) : undefined;
  try {
    for (const f of plan.failed) for (const t of f.targets) removed.push(...(await removeOutputs(opts.outDir, t)));
    if (plan.complete) removed.push(...(await pruneDeletedSources(plan, opts)));
    if (ctx && (opts.formats.includes('html') || opts.formats.includes('pdf'))) await writeFontAssets(opts.outDir, writeFileAtomic);

    let failed = false;
    let done = 0;
    if (ctx) {
      skipped = await eachLimit(
        plan.documents,
        opts.jobs,
        async (doc) => {
          hooks.onStart?.(doc);
          const r = await renderDocument(doc, ctx);
          if (r.error) {
            failed = true;
            // Its previous outputs no longer match the source: remove them rather than leave them stale.
            try {
              removed.push(...(await removeOutputs(opts.outDir, doc.model)));
            } catch (e) {
              r.error = new Error(`${r.error.message}; 旧输出也无法删除 and its old outputs could not be removed: ${(e as Error).message}`);
            }
          }
          results.push(r);
          await hooks.onDocument?.(r, ++done, plan.documents.length, ctx);
        },
        () => opts.failFast && (failed || plan.failed.length > 0),
      );
    }
    const launches = ctx?.pool?.launches ?? 0;
    results.sort((a, b) => plan.documents.indexOf(a.doc) - plan.documents.indexOf(b.doc));
    // The index covers everything built so far (sidecars), not only this run's documents.
    const { entries: all } = await readEntrySidecars(opts.outDir);
    const written = await writeIndexAndManifest(opts.outDir, all, {
      dataDir: opts.dataDir,
      extraSourcePaths: [path.join(opts.root, SETTINGS_FILE)],
      pointsTotal: plan.settings.settings.points_total,
    });
    return { plan, results, skipped, removed, launches, index: { indexFile: written.indexFile, manifestFile: written.manifestFile } };
  } finally {
    await ctx?.pool?.close();
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
