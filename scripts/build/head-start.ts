/**
 * A cold build's head start (issue 4): forms measured — and printed, into memory — on a pool started
 * before the plan, while later sources are still being checked.
 */
import type { FormMeasurer } from '../browser/form-measurer.ts';
import { MEASURE_BATCH, type RenderedForm } from '../browser/form-page.ts';
import type { FormModel } from '../model/form-model.ts';
import type { FormMeasure } from '../render/paginate.ts';

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

  /** Whether `model` was taken ahead (measured or printed): the build must hand this very object back. */
  has(model: FormModel): boolean {
    return this.#measures.has(model) || this.#pending.includes(model);
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
