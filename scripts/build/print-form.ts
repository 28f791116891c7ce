/**
 * The one path from a planned form to a printed one (HTML, and the PDF when asked). The speed tricks
 * of issue 4 are strategies behind it, tried in this order:
 *
 * - head start: the form was already printed, into memory, while the sources were still being checked;
 * - measure ahead: its pagination heights were measured with other forms' in one go (measureAhead), or
 *   predicted from its text once the first forms calibrated the prediction (browser/form-measurer.ts);
 * - otherwise it is measured on the page it is printed on.
 */
import type { BrowserPool } from '../browser/pool.ts';
import type { FormMeasurer } from '../browser/form-measurer.ts';
import { planForm, type RenderedForm, renderFormOnPage } from '../browser/form-page.ts';
import { TOOL_VERSION } from '../io/version.ts';
import type { FormModel } from '../model/form-model.ts';
import type { FormRenderer } from '../render/html.ts';
import type { FormMeasure } from '../render/paginate.ts';
import { docPathOf } from './paths.ts';
import type { BuildDocument } from './plan.ts';
import type { RenderContext } from './render-context.ts';

/** Pagination heights predicted where certain (browser/form-measurer.ts); `JXMB_PREDICT=0` measures every form. */
export const predicting = (): boolean => process.env.JXMB_PREDICT !== '0';

/**
 * Prints a planned document's form: the head start's print if it has the asked formats, else on a page
 * of the pool from the measure taken ahead (used once, then dropped), else measured on that page.
 */
export async function printForm(doc: BuildDocument, ctx: RenderContext, pdf: boolean): Promise<RenderedForm> {
  const measure = doc.measure;
  delete doc.measure;
  const ahead = await ctx.headStart?.takeRendered(doc.model);
  let form: RenderedForm;
  if (ahead && (ahead.pdf !== undefined) === pdf) {
    ctx.headStart!.used++;
    form = ahead;
  } else {
    // Only a document whose HTML is being written: one printing its PDF alone keeps the HTML it has.
    const onHtml = (doc.todo ?? ctx.formats).includes('html') ? ctx.onHtml : undefined;
    form = await printOnPool(
      ctx.pool!,
      ctx.renderer,
      ctx.measurer,
      doc.model,
      pdf,
      measure,
      onHtml ? (html) => onHtml(doc, html) : undefined,
    );
  }
  if (form.prediction === 'missed') ctx.measurer?.missed();
  return form;
}

/**
 * Renders one form on a page of the pool: from its measure when there is one, paginated before a page
 * is taken so the page waits for nothing but the browser (a predicted measure is checked where the form
 * is shown); else measured on that page.
 */
export function printOnPool(
  pool: BrowserPool,
  renderer: FormRenderer,
  measurer: FormMeasurer | undefined,
  model: FormModel,
  pdf: boolean,
  measure?: FormMeasure,
  onHtml?: (html: string) => Promise<void> | void,
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
      ...(onHtml ? { onHtml } : {}),
    }),
  );
}

/**
 * Measures the forms of several documents in one go (browser/form-page.ts measureForms) and hands each its
 * measurement. If that fails (Chromium died under it), the documents measure themselves as they
 * render, where the pool's retry and the error reporting are per document.
 */
export async function measureAhead(docs: readonly BuildDocument[], ctx: RenderContext): Promise<void> {
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
