/**
 * What rendering a document needs, created once per run: the compiled templates, the pool lent by its
 * owner (build-browser.ts), the pagination measurer, the head start, and the Excel writer.
 */
import type { BrowserPool } from '../browser/pool.ts';
import { FormMeasurer } from '../browser/form-measurer.ts';
import { MEASURE_BATCH } from '../browser/form-page.ts';
import type { LoadedSettings } from '../io/project.ts';
import { readFormTemplates } from '../io/templates.ts';
import type { FormModel } from '../model/form-model.ts';
import { createFormRenderer, type FormRenderer } from '../render/html.ts';
import type { OutputFormat } from '../render/outputs.ts';
import type { PageSlice } from '../render/paginate.ts';
import type { BuildBrowser } from './build-browser.ts';
import type { HeadStart } from './head-start.ts';
import type { FormKind, KindModel } from './form-kind.ts';
import { docPathOf } from './paths.ts';
import type { BuildDocument } from './plan.ts';
import { predicting } from './print-form.ts';

/** What renderDocument needs, created once per run. */
export interface RenderContext {
  /** The form kind rendered (renderDocument narrows it to its documents' model). */
  kind: FormKind<KindModel>;
  outDir: string;
  formats: readonly OutputFormat[];
  settings: LoadedSettings;
  renderer: FormRenderer;
  /** Present when html or pdf is requested; lent by its owner, never closed through the context. */
  pool?: BrowserPool;
  /** Measurements taken while the plan was made (a cold build). */
  headStart?: HeadStart;
  /** Pagination heights, predicted or measured on the pool (with `pool`). */
  measurer?: FormMeasurer;
  /**
   * Hears a document's finished HTML before its PDF is printed (a dev rebuild writes it and tells the
   * open pages at once); its outputs are then written as always, all together.
   */
  onHtml?: (doc: BuildDocument<KindModel>, html: string) => Promise<void> | void;
  /** The Excel renderer (loaded only when xlsx is requested). */
  renderXlsx?: (
    model: FormModel,
    opts: { settings: LoadedSettings['settings']; pages?: readonly PageSlice[] },
  ) => Promise<Uint8Array>;
}

/**
 * Creates the context: compiled templates, the Excel renderer, and the pool of `browser` when html or
 * pdf is asked (with what `browser` started early, if it did).
 */
export async function createRenderContext(
  opts: {
    kind: FormKind<KindModel>;
    outDir: string;
    formats: readonly OutputFormat[];
    forms?: number;
    onHtml?: RenderContext['onHtml'];
  },
  settings: LoadedSettings,
  browser: BuildBrowser,
): Promise<RenderContext> {
  const early = browser.early;
  const renderer = early?.renderer ?? createFormRenderer(await readFormTemplates());
  const ctx: RenderContext = { kind: opts.kind, outDir: opts.outDir, formats: opts.formats, settings, renderer };
  if (opts.onHtml) ctx.onHtml = opts.onHtml;
  if (opts.formats.some((f) => opts.kind.browserFormats.includes(f))) {
    ctx.pool = await browser.pool();
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
