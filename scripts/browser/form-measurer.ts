/**
 * How a build gets its forms' pagination heights: measured in Chromium (browser/form-page.ts measureForms,
 * several forms per layout) until the build has calibrated a Predictor on the forms measured first,
 * then predicted from the text (render/predict) wherever the prediction is certain. Predicted heights
 * are verified when the form is shown (renderFormOnPage's `check`); a miss is measured there.
 *
 * `predict` false: every form measured, as before prediction existed (the build passes false for
 * `JXMB_PREDICT=0`, and for a few forms, where calibrating costs more than it saves).
 */
import type { FormModel } from '../model/form-model.ts';
import type { FormRenderer } from '../render/html.ts';
import type { FormMeasure } from '../render/paginate.ts';
import { calibrateText, measureForms } from './form-page.ts';
import { Predictor } from '../render/predict/predict.ts';
import type { BrowserPool } from './pool.ts';
import { formFaceMetrics } from '../io/fonts.ts';

/** Forms measured together that a calibration is taken on, at least (they must reproduce exactly). */
const CALIBRATION_FORMS = 2;

/**
 * Calibration is tried on this many measured batches at most (a batch may lack a kind of box, e.g. forms
 * without rows).
 */
const CALIBRATION_TRIES = 3;

export class FormMeasurer {
  readonly #pool: BrowserPool;
  readonly #renderer: FormRenderer;
  readonly #docPath: (m: FormModel) => string;
  #predictor: Predictor | undefined;
  #tries: number;
  /** The measurement a calibration is being taken with, while it lasts. */
  #calibrating: Promise<void> | undefined;
  readonly #predicted = new WeakSet<FormMeasure>();
  /**
   * Forms predicted, measured in the browser, and predicted but then laid out otherwise (measured after
   * all); calibrations taken (each costs a layout in the page and reading the fonts).
   */
  readonly stats = { predicted: 0, measured: 0, missed: 0, calibrations: 0 };

  constructor(pool: BrowserPool, renderer: FormRenderer, docPath: (m: FormModel) => string, predict: boolean) {
    this.#pool = pool;
    this.#renderer = renderer;
    this.#docPath = docPath;
    this.#tries = predict ? CALIBRATION_TRIES : 0;
  }

  /**
   * Heights for each form: predicted where certain, the rest measured together on one page of the pool.
   * `calibrate` false: these forms may not be taken to calibrate on (the caller knows the build is small).
   */
  async measure(models: readonly FormModel[], calibrate = true): Promise<FormMeasure[]> {
    // While the first batch is being measured to calibrate, later ones wait for it: most of them can
    // then be predicted instead.
    if (!this.#predictor && this.#calibrating) await this.#calibrating;
    const out: (FormMeasure | undefined)[] = models.map((m) => this.#predictor?.predict(m));
    for (const m of out) if (m) this.#predicted.add(m);
    const rest = models.filter((_, i) => !out[i]);
    this.stats.predicted += models.length - rest.length;
    if (rest.length) {
      const calibrating =
        calibrate && !this.#predictor && this.#tries > 0 && !this.#calibrating && rest.length >= CALIBRATION_FORMS;
      const measuring = this.#pool.withPage(async (page) => {
        const ms = await measureForms(
          page,
          rest.map((model) => ({ model, docPath: this.#docPath(model) })),
          this.#renderer,
        );
        if (calibrating) {
          this.#tries--;
          this.stats.calibrations++;
          // The page still shows the last measuring document: the boxes of the form, laid out.
          try {
            const raw = await calibrateText(page);
            this.#predictor = Predictor.calibrate(
              raw,
              formFaceMetrics(),
              rest.map((model, i) => ({ model, measure: ms[i]! })),
            );
          } catch {
            // No prediction then (a font file unreadable, say): every form is measured, as without it.
            this.#tries = 0;
          }
          if (this.#predictor) this.#tries = 0;
        }
        return ms;
      });
      if (calibrating) {
        this.#calibrating = measuring.then(
          () => undefined,
          () => undefined,
        );
        void this.#calibrating.then(() => (this.#calibrating = undefined));
      }
      const measured = await measuring;
      this.stats.measured += rest.length;
      let k = 0;
      out.forEach((m, i) => (out[i] = m ?? measured[k++]));
    }
    return out as FormMeasure[];
  }

  /** For renderFormOnPage: the check of a predicted measure, or undefined for a measured one. */
  checkFor(measure: FormMeasure): ((html: string, lines: readonly number[]) => boolean) | undefined {
    const predictor = this.#predictor;
    if (!predictor || !this.#predicted.has(measure)) return undefined;
    return (html, lines) => predictor.verify(html, lines);
  }

  /**
   * A predicted form was laid out otherwise. Prediction stops for the rest of the build once misses are
   * more than a few and more than one in ten: then measuring everything is cheaper than showing twice.
   */
  missed(): void {
    this.stats.missed++;
    if (this.stats.missed > 3 && this.stats.missed * 10 > this.stats.predicted) this.#predictor = undefined;
  }
}
