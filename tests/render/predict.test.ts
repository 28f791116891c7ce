/**
 * Predicted pagination heights (render/predict) against real Chromium: calibrated on a few measured
 * forms, a prediction is either exactly what measuring gives (every number of the FormMeasure) or no
 * prediction at all; a predicted form shown in the page checks out, line for line; a form laid out
 * otherwise than predicted is measured and ends up exactly as if it had never been predicted.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentYaml, generateDepartment } from '../../scripts/bench/generate.ts';
import { checkFile } from '../../scripts/check/check-file.ts';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { formFaceMetrics } from '../../scripts/io/fonts.ts';
import type { FormModel } from '../../scripts/model/form-model.ts';
import { DEFAULT_SETTINGS } from '../../scripts/model/settings.ts';
import { createFormRenderer, type FormRenderer } from '../../scripts/render/html.ts';
import { readFormTemplates } from '../../scripts/io/templates.ts';
import type { FormMeasure } from '../../scripts/render/paginate.ts';
import {
  calibrateText,
  type MeasureItem,
  measureForms,
  planForm,
  renderFormOnPage,
  showDocument,
} from '../../scripts/browser/form-page.ts';
import { call } from '../../scripts/browser/page-code/evaluate.ts';
import { Predictor, type RawCalibration, readLines, textBoxes } from '../../scripts/render/predict/predict.ts';
import { SEED_YAML } from '../helpers.ts';
import { formRenderer, HOSTILE_YAML, LONG_YAML, modelOf, testPool } from './render-helpers.ts';

let pool: BrowserPool;
let renderer: FormRenderer;
let items: MeasureItem[];
let measured: FormMeasure[];
let raw: RawCalibration;
let predictor: Predictor;
const CALIBRATION = 8;

function generated(seed: number, i: number): FormModel {
  const d = generateDepartment(seed, i);
  const file = `data/${d.fiscal_year}/${d.department.code}.yaml`;
  const c = checkFile(file, Buffer.from(departmentYaml(d)), {
    settings: DEFAULT_SETTINGS,
    dataPath: path.relative('data', file),
  });
  if (!c.model) throw new Error(`generated department ${i} has errors: ${c.diagnostics.map((x) => x.code).join(', ')}`);
  return c.model;
}

const samples = (n = CALIBRATION): { model: FormModel; measure: FormMeasure }[] =>
  items.slice(0, n).map((it, i) => ({ model: it.model, measure: measured[i]! }));

beforeAll(async () => {
  renderer = await formRenderer();
  pool = await testPool();
  const models = [
    ...Array.from({ length: CALIBRATION }, (_, i) => generated(3, i)),
    modelOf(SEED_YAML),
    modelOf(LONG_YAML),
    modelOf(HOSTILE_YAML),
    ...Array.from({ length: 40 }, (_, i) => generated(11, i)),
  ];
  items = models.map((model) => ({ model, docPath: `${model.fiscalYear}/${model.code}.html` }));
  // As the build does: the first forms measured, and the text calibration read on the same page.
  await pool.withPage(async (page) => {
    await measureForms(page, items.slice(0, CALIBRATION), renderer);
    raw = await calibrateText(page);
  });
  measured = await pool.withPage((page) => measureForms(page, items, renderer));
  predictor = Predictor.calibrate(raw, formFaceMetrics(), samples())!;
}, 120_000);

afterAll(async () => {
  await pool?.close();
});

describe('Predictor', () => {
  it('calibrates on the forms measured first', () => {
    expect(predictor).toBeDefined();
    // The browser reported every kind of box, with a width and a font it knows.
    expect(Object.keys(raw.kinds).sort()).toEqual([
      'explanation',
      'label',
      'level1',
      'level2',
      'name',
      'note',
      'review',
      'scoring',
      'section',
      'signature',
      'text',
      'title',
      'type',
      'unit',
      'value',
      'year',
    ]);
    expect(raw.kinds.scoring!.box).toBeGreaterThan(raw.kinds.name!.box);
  });

  it('predicts exactly what measuring gives, or nothing', () => {
    let predicted = 0;
    items.forEach((it, i) => {
      const p = predictor.predict(it.model);
      if (!p) return;
      predicted++;
      expect(p, it.model.code).toEqual(measured[i]);
    });
    // Most forms are predicted (else the build gains nothing).
    expect(predicted).toBeGreaterThan(items.length * 0.8);
  });

  it('does not predict text it cannot be sure of', () => {
    const form = items[CALIBRATION + 3]!.model;
    expect(predictor.predict(form)).toBeDefined();
    const odd = (change: (m: FormModel) => void): FormMeasure | undefined => {
      const m = structuredClone(form);
      change(m);
      return predictor.predict(m);
    };
    // A character the fonts lack (the browser would take another font), a long Latin run (a URL),
    // a space before CJK punctuation or after an opening bracket, a curly quote beside Latin text:
    // each makes the form measured instead.
    expect(odd((m) => (m.rows[0]!.name += '\u{E000}'))).toBeUndefined();
    // A rare character only the bundled fallback has (Ext A/B/G, a name in the sign-off): its advance
    // is not read from the form's faces, so the form is measured, not predicted.
    expect(odd((m) => (m.rows[0]!.name += '㐀'))).toBeUndefined();
    expect(odd((m) => (m.signatureLine += '𠀀'))).toBeUndefined();
    expect(odd((m) => (m.dutiesText += '𰀀'))).toBeUndefined();
    expect(odd((m) => (m.rows[0]!.explanation += 'https://example.com/x'))).toBeUndefined();
    expect(odd((m) => (m.dutiesText = m.dutiesText.replace('。', ' 。')))).toBeUndefined();
    expect(odd((m) => (m.goalsText = '（ ' + m.goalsText))).toBeUndefined();
    expect(odd((m) => (m.rows[1]!.scoringText += '“A”'))).toBeUndefined();
    // A space after 。 and circled numbers are modelled (the real 2025 table has both): predicted.
    expect(odd((m) => (m.dutiesText = m.dutiesText.replace('。', '。 ')))).toBeDefined();
    expect(odd((m) => (m.goalsText = '①' + m.goalsText))).toBeDefined();
    expect(predictor.predict(modelOf(SEED_YAML))).toEqual(measured[CALIBRATION]);
  });

  it('does not predict a form with a row or lead taller than a page: it is measured, to be cut', () => {
    const form = items[CALIBRATION + 3]!.model;
    const tall = (change: (m: FormModel) => void): FormMeasure | undefined => {
      const m = structuredClone(form);
      change(m);
      return predictor.predict(m);
    };
    expect(tall((m) => (m.rows[0]!.explanation = '考核'.repeat(1500)))).toBeUndefined();
    expect(tall((m) => (m.rows[1]!.scoringText = '得分'.repeat(1500)))).toBeUndefined();
    expect(tall((m) => (m.goalsText = '目标'.repeat(3000)))).toBeUndefined();
    // Long but within a page: predicted as before.
    expect(tall((m) => (m.rows[0]!.explanation = '考核'.repeat(100)))).toBeDefined();
  });

  it('refuses to calibrate on measurements it cannot reproduce exactly', () => {
    const off = samples();
    off[3] = { ...off[3]!, measure: { ...off[3]!.measure, leadHeight: off[3]!.measure.leadHeight + 1 / 64 } };
    expect(Predictor.calibrate(raw, formFaceMetrics(), off)).toBeUndefined();
    // Nor with a face it does not know.
    expect(Predictor.calibrate(raw, new Map(), samples())).toBeUndefined();
  });

  it('a predicted form shown in the page checks out, box by box', async () => {
    let checked = 0;
    for (const it of items.slice(CALIBRATION, CALIBRATION + 8)) {
      const predicted = predictor.predict(it.model);
      if (!predicted) continue;
      checked++;
      const plan = planForm(it.model, predicted, renderer);
      const [lines] = await pool.withPage((page) => showDocument(page, it.docPath, plan.html, call(readLines)));
      expect(lines.length).toBe(textBoxes(plan.html).length);
      expect(predictor.verify(plan.html, lines), it.model.code).toBe(true);
      // One box off by a line, or a box missing, and it does not.
      const off = [...lines];
      const k = off.findIndex((n) => n > 0);
      off[k] = off[k]! + 1;
      expect(predictor.verify(plan.html, off)).toBe(false);
      expect(predictor.verify(plan.html, lines.slice(1))).toBe(false);
    }
    expect(checked).toBeGreaterThan(4);
  });
});

/** Texts that put punctuation pairs, numbers, quotes, long Latin words and spaces at a line's end. */
function trickyTexts(): string[] {
  const out: string[] = [];
  // Spaces beside punctuation, at every place in a line: after 。 as the real 2025 table has them.
  for (const x of ['。 ', ' ，', '（ ', ' （', '） ', ' ）', '、 ', '： ', '。 2、', '； ', ' 中', '①', '。①', ' ①'])
    for (let n = 4; n <= 19; n++)
      for (const m of [1, 3]) out.push('中'.repeat(n) + x + '中'.repeat(m) + '，' + '中'.repeat(n));
  const pairs = [
    '）（',
    '。）',
    '）。',
    '，（',
    '）」',
    '」）',
    '》。',
    '；（',
    '）；',
    '：“',
    '”，',
    '、（',
    '）、',
    '“（',
    '）”',
    '。”',
    '！）',
    '？」',
    '……',
    '——',
    '（（',
    '））',
  ];
  for (let n = 7; n <= 17; n++) {
    const run = '中'.repeat(n);
    for (const p of pairs) out.push(`${run}${p}中中`, `${run}中${p}`);
    out.push(
      `达${run}12.5%以上`,
      `${run}得2.5分，`,
      `${run}≥95%`,
      `他说“${run}”，然后`,
      `（${run}）`,
      `${run}ABC-123/456`,
    );
  }
  // And random mixes (seeded): ideographs, CJK punctuation, digits, symbols, a few Latin letters and spaces.
  const alphabet = Array.from(
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业' +
      '本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文' +
      '总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质',
  );
  const marks = '，。、；：？！（）《》「」“”‘’【】—…·～％①②';
  let r = 20261126;
  const rand = (n: number): number => ((r = (r * 1103515245 + 12345) % 2 ** 31), r % n);
  for (let i = 0; i < 300; i++) {
    let t = '';
    for (let k = 10 + rand(50); k > 0; k--) {
      const x = rand(100);
      t +=
        x < 62
          ? alphabet[rand(alphabet.length)]
          : x < 85
            ? marks[rand(marks.length)]
            : x < 93
              ? String(rand(1000)) + (rand(3) ? '' : '.' + rand(10))
              : x < 96
                ? '%'
                : x < 98
                  ? ' '
                  : 'ABCxyz'[rand(6)];
    }
    out.push(t);
  }
  out.push(
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
    'https://example.com/a/b/c/d/e/f/g/h/i/j/k',
    '中中 中中  中中   中中',
    'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g',
    '第一行\n第二行\n\n第四行',
  );
  return out;
}

describe('line counts against the browser', () => {
  it('every tricky text: the lines the browser lays out, or no prediction', async () => {
    const seed = modelOf(SEED_YAML);
    const texts = trickyTexts();
    const n = seed.rows.length;
    let checked = 0;
    for (let start = 0; start < texts.length; start += n) {
      const model = structuredClone(seed);
      model.rows.forEach((r, i) => {
        const t = texts[(start + i) % texts.length]!;
        r.scoringText = t;
        r.explanation = texts[(start + i + 7) % texts.length]!;
        r.name = texts[(start + i + 13) % texts.length]!;
        // Deadlines, laid out keep-all with a break opportunity after the year (render/word-breaks.ts).
        r.valueText = ['2026年12月31日前', '2025年6月底前', '2025年12月', '12月31日前'][(start + i) % 4]!;
      });
      const docPath = `2025/tricky-${start}.html`;
      const lines = await pool.withPage(async (page) => {
        const plan = planForm(model, (await measureForms(page, [{ model, docPath }], renderer))[0]!, renderer);
        return { html: plan.html, read: (await showDocument(page, docPath, plan.html, call(readLines)))[0] };
      });
      textBoxes(lines.html).forEach((b, i) => {
        if (!b.kind) return;
        const p = predictor.lines(b.kind, b.text);
        if (p === undefined) return;
        checked++;
        expect(p, `${b.kind}: ${JSON.stringify(b.text)}`).toBe(lines.read[i]);
      });
    }
    expect(checked).toBeGreaterThan(texts.length * 2);
  });
});

describe('a stylesheet edited by a bureau', () => {
  it.each([
    [
      'larger type, looser lines, wider padding',
      (css: string) =>
        css
          .replace('font-size: 10pt;\n  line-height: 1.35;', 'font-size: 10.5pt;\n  line-height: 1.5;')
          .replace('padding: 1mm 1.4mm;', 'padding: 1.5mm 2mm;'),
    ],
    [
      'other column widths',
      (css: string) =>
        css
          .replace(/col\.c-scoring \{ width: [\d.]+%; \}/, 'col.c-scoring { width: 18%; }')
          .replace(/col\.c-explanation \{ width: [\d.]+%; \}/, 'col.c-explanation { width: 21.53%; }'),
    ],
  ])('%s: calibrated anew, every prediction is what measuring gives', async (_what, edit) => {
    const sources = await readFormTemplates();
    const css = edit(sources.css);
    expect(css).not.toBe(sources.css);
    const edited = createFormRenderer({ ...sources, css });
    const forms = items.slice(0, 24);
    let calibration!: RawCalibration;
    const truth = await pool.withPage(async (page) => {
      await measureForms(page, forms.slice(0, CALIBRATION), edited);
      calibration = await calibrateText(page);
      return measureForms(page, forms, edited);
    });
    const p = Predictor.calibrate(
      calibration,
      formFaceMetrics(),
      forms.slice(0, CALIBRATION).map((it, i) => ({ model: it.model, measure: truth[i]! })),
    );
    expect(p).toBeDefined();
    let predicted = 0;
    forms.forEach((it, i) => {
      const m = p!.predict(it.model);
      if (!m) return;
      predicted++;
      expect(m, it.model.code).toEqual(truth[i]);
    });
    expect(predicted).toBeGreaterThan(forms.length / 2);
  });
});

describe('renderFormOnPage with a predicted plan', () => {
  it('verified: the same pages and HTML as measuring gives', async () => {
    for (const it of [items[CALIBRATION + 1]!, items[CALIBRATION + 3]!]) {
      const plan = planForm(it.model, predictor.predict(it.model)!, renderer);
      const viaPrediction = await pool.withPage((page) =>
        renderFormOnPage(page, it.model, {
          renderer,
          pdf: false,
          creator: 'test',
          docPath: it.docPath,
          plan,
          check: (h, l) => predictor.verify(h, l),
        }),
      );
      const viaMeasure = await pool.withPage((page) =>
        renderFormOnPage(page, it.model, { renderer, pdf: false, creator: 'test', docPath: it.docPath }),
      );
      expect(viaPrediction.prediction).toBe('verified');
      expect(viaMeasure.prediction).toBeUndefined();
      expect(viaPrediction.pages).toEqual(viaMeasure.pages);
      expect(viaPrediction.html).toBe(viaMeasure.html);
    }
  });

  it('missed (heights off though every box has its lines): the form is measured, as if never predicted', async () => {
    const it0 = items[CALIBRATION + 1]!; // the long form: several pages
    const good = predictor.predict(it0.model)!;
    // A prediction gone wrong: every row half as tall, so the pages would hold twice the rows.
    const wrong: FormMeasure = { ...good, rows: good.rows.map((r) => ({ ...r, height: r.height / 2 })) };
    const plan = planForm(it0.model, wrong, renderer);
    const viaMiss = await pool.withPage((page) =>
      renderFormOnPage(page, it0.model, {
        renderer,
        pdf: true,
        creator: 'test',
        docPath: it0.docPath,
        plan,
        check: (h, l) => predictor.verify(h, l),
      }),
    );
    const viaMeasure = await pool.withPage((page) =>
      renderFormOnPage(page, it0.model, { renderer, pdf: true, creator: 'test', docPath: it0.docPath }),
    );
    expect(viaMiss.prediction).toBe('missed');
    expect(viaMiss.pages).toEqual(viaMeasure.pages);
    expect(viaMiss.html).toBe(viaMeasure.html);
    expect(Buffer.from(viaMiss.pdf!).equals(Buffer.from(viaMeasure.pdf!))).toBe(true);
  });

  it('missed (a box with other lines than predicted): measured, as if never predicted', async () => {
    const it0 = items[CALIBRATION + 3]!;
    const plan = planForm(it0.model, predictor.predict(it0.model)!, renderer);
    let asked = 0;
    const viaMiss = await pool.withPage((page) =>
      renderFormOnPage(page, it0.model, {
        renderer,
        pdf: false,
        creator: 'test',
        docPath: it0.docPath,
        plan,
        check: (h, l) => (asked++, !predictor.verify(h, l)),
      }),
    );
    const viaMeasure = await pool.withPage((page) =>
      renderFormOnPage(page, it0.model, { renderer, pdf: false, creator: 'test', docPath: it0.docPath }),
    );
    expect(asked).toBe(1);
    expect(viaMiss.prediction).toBe('missed');
    expect(viaMiss.html).toBe(viaMeasure.html);
  });
});
