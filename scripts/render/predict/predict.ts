/**
 * Pagination heights predicted instead of measured: a form's FormMeasure computed from its text, so
 * most forms of a build skip the measuring layout in Chromium (about a tenth of a build's work).
 *
 * Pure. Every number comes from the browser once per build, then from arithmetic:
 * 1. the first forms of a build are measured as always (browser/form-page.ts measureForms), and on that page
 *    the browser also reports, for every kind of text box on the form, its width, font and the
 *    effective font scale, and how it trims CJK punctuation (calibrate, TextCalibration);
 * 2. `calibrate` fits the heights of those forms to line counts (row = A + lines × L; lead and review
 *    blocks = constant + their rows) and keeps the fit only if it gives back every measured number
 *    of every one of those forms exactly; otherwise nothing is predicted in this build;
 * 3. `predict` gives a form's FormMeasure, or undefined when any text's line count is not certain
 *    (a character the fonts lack, a line within a hair of its box, a title or signature that would
 *    wrap): that form is measured in the browser as before;
 * 4. a predicted form is verified where it is shown anyway: the page reports the line count of every
 *    text box of the paginated document (readLines), and `verify` compares them with the prediction.
 *    A form that differs is measured, paginated and shown again (browser/form-page.ts renderFormOnPage), so
 *    its pages are always the ones measuring gives.
 */
import { type FormModel, LABELS } from '../../model/form-model.ts';
import { FORM_CLASSES as C, type FormClass } from '../classes.ts';
import { decodeEntities, labelHeights, probeKey, probeLabels } from '../html.ts';
import type { FormMeasure, LabelHeight } from '../paginate.ts';
import { needsSplit } from '../split.ts';
import { BREAK_MARK, breakHints } from '../word-breaks.ts';
import type { FaceMetrics } from './font-metrics.ts';
import { canBreakBefore, countLines, type TextMetrics } from './line-break.ts';

/** The kinds of text box on the form, named by their role in FORM_CLASSES (classes.ts). */
export const TEXT_KINDS = [
  'name',
  'type',
  'value',
  'unit',
  'explanation',
  'scoring',
  'note',
  'level1',
  'level2',
  'section',
  'label',
  'text',
  'review',
  'title',
  'year',
  'signature',
] as const satisfies readonly FormClass[];
export type TextKind = (typeof TEXT_KINDS)[number];

/**
 * Each kind's element, which carries the kind's class (`td.name`, `th.level1`, `p.year`), and where
 * the first of it is found in a measuring document.
 */
const ROW = 'tr[data-row]';
const SHEET = `section.${C.sheet}`;
const KIND_BOX: Record<TextKind, { tag: 'td' | 'th' | 'h1' | 'p'; within: string }> = {
  name: { tag: 'td', within: ROW },
  type: { tag: 'td', within: ROW },
  value: { tag: 'td', within: ROW },
  unit: { tag: 'td', within: ROW },
  explanation: { tag: 'td', within: ROW },
  scoring: { tag: 'td', within: ROW },
  note: { tag: 'td', within: ROW },
  level1: { tag: 'th', within: ROW },
  level2: { tag: 'th', within: ROW },
  section: { tag: 'th', within: SHEET },
  label: { tag: 'th', within: `tbody.${C.labels}` },
  text: { tag: 'td', within: `tbody.${C.labels}` },
  review: { tag: 'td', within: `tbody.${C.reviews}` },
  title: { tag: 'h1', within: SHEET },
  year: { tag: 'p', within: SHEET },
  signature: { tag: 'p', within: SHEET },
};

const KIND_SELECTOR = Object.fromEntries(
  TEXT_KINDS.map((k) => [k, `${KIND_BOX[k].within} ${KIND_BOX[k].tag}.${C[k]}`]),
);

/** The kind of a box of the paginated document, from its element and class (undefined: not checked). */
export function kindOf(tag: string, cls: string): TextKind | undefined {
  const classes = cls.split(/\s+/);
  return TEXT_KINDS.find((k) => KIND_BOX[k].tag === tag && classes.includes(C[k]));
}

/**
 * Characters whose advance the browser is asked for (per face), rather than trusting the font's cmap:
 * with lang zh-CN the shaper substitutes some of them (U+2014 — is 0.89 em by cmap, a full em as
 * laid out). ASCII, Latin-1, general punctuation, CJK symbols and fullwidth forms.
 */
export const ADVANCE_CHARS = String.fromCodePoint(
  ...[
    [0x21, 0x7e],
    [0xa1, 0xff],
    [0x2010, 0x2027],
    [0x2030, 0x205e],
    [0x2100, 0x2122],
    [0x2190, 0x2199],
    [0x2200, 0x22ff],
    [0x2460, 0x2473],
    [0x3001, 0x303f],
    [0xff01, 0xff5e],
  ].flatMap(([a, b]) => Array.from({ length: b! - a! + 1 }, (_, i) => a! + i)),
);

/** CJK punctuation whose spacing the browser may trim (text-spacing-trim): measured per face. */
export const TRIM_CHARS = '（）［］｛｝〈〉《》「」『』【】〔〕“”‘’，。、：；！？';

/**
 * Page function (page-code/evaluate.ts; run on a page showing a measuring document): for every kind of box, its content
 * width and font, the width of 40 “中” in its font (the effective px per em), and for each face the
 * widths that tell how punctuation is trimmed. Elements are added, read in one layout, and removed.
 */
export function calibrate(selectors: Record<string, string>, trim: string, advance: string): RawCalibration {
  interface Kind {
    el: Element;
    face: string;
    size: number;
    letterSpacing: number;
    wordSpacing: number;
    whiteSpace: string;
    box: HTMLElement;
    em: HTMLElement;
  }
  interface Face {
    el: Element;
    size: number;
    pairs: HTMLElement[];
    single: HTMLElement[];
    ends: HTMLElement[];
    starts: HTMLElement[];
    advances: HTMLElement[];
    endFits: HTMLElement[];
    startLine: HTMLElement[];
  }
  const plain = 'white-space:nowrap;letter-spacing:0;word-spacing:0;';
  const added: HTMLElement[] = [];
  const add = (parent: Element, html: string, style: string): HTMLElement => {
    const el = document.createElement(style.startsWith('display:block') ? 'div' : 'span');
    el.setAttribute('style', style);
    el.textContent = html;
    parent.appendChild(el);
    added.push(el);
    return el;
  };
  const kinds: Record<string, Kind> = {};
  const faces: Record<string, Face> = {};
  for (const [kind, sel] of Object.entries(selectors)) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const cs = getComputedStyle(el);
    const face =
      cs.fontFamily
        .split(',')[0]!
        .trim()
        .replace(/^["']|["']$/g, '') +
      '|' +
      cs.fontWeight;
    kinds[kind] = {
      el,
      face,
      size: parseFloat(cs.fontSize),
      letterSpacing: parseFloat(cs.letterSpacing) || 0,
      wordSpacing: parseFloat(cs.wordSpacing) || 0,
      whiteSpace: cs.whiteSpace,
      box: add(el, '', 'display:block;height:0;margin:0;padding:0;border:0'),
      em: add(el, '中'.repeat(40), plain),
    };
    if (!faces[face]) {
      const none: HTMLElement[] = [];
      faces[face] = {
        el,
        size: parseFloat(cs.fontSize),
        ...{ pairs: none, single: none, ends: none, starts: none, advances: none, endFits: none, startLine: none },
      };
    }
  }
  const chars = Array.from(trim);
  for (const f of Object.values(faces)) {
    f.pairs = chars.flatMap((a) => chars.map((b) => add(f.el, '中' + a + b + '中', plain)));
    f.single = chars.map((c) => add(f.el, '中' + c + '中', plain));
    f.ends = chars.map((c) => add(f.el, '中中' + c, plain));
    f.starts = chars.map((c) => add(f.el, c + '中', plain));
    f.advances = Array.from(advance, (c) => add(f.el, c.repeat(20), plain));
  }
  const w = (el: Element): number => el.getBoundingClientRect().width;
  // Second round: boxes that show whether a line may end with the mark trimmed, or starts with it trimmed.
  const block = 'display:block;white-space:normal;letter-spacing:0;word-spacing:0;width:';
  for (const f of Object.values(faces)) {
    f.endFits = f.ends.map((e) => add(f.el, e.textContent, block + (w(e) - f.size * 0.3) + 'px'));
    f.startLine = f.starts.map((s) => add(f.el, '中' + s.textContent, block + f.size * 1.5 + 'px'));
  }
  const rects = (el: Element): DOMRect[] => {
    const r = document.createRange();
    r.selectNodeContents(el);
    return Array.from(r.getClientRects());
  };
  const lines = (el: Element): number => new Set(rects(el).map((x) => x.top)).size;
  const secondLine = (el: Element): number => {
    const r = rects(el);
    return r.length === 2 ? r[1]!.width : -1;
  };
  const out: RawCalibration = { kinds: {}, faces: {} };
  for (const [kind, k] of Object.entries(kinds)) {
    out.kinds[kind as TextKind] = {
      face: k.face,
      size: k.size,
      letterSpacing: k.letterSpacing,
      wordSpacing: k.wordSpacing,
      whiteSpace: k.whiteSpace,
      box: w(k.box),
      em: w(k.em) / 40,
    };
  }
  for (const [face, f] of Object.entries(faces)) {
    out.faces[face] = {
      chars: trim,
      pairs: f.pairs.map(w),
      single: f.single.map(w),
      ends: f.ends.map(w),
      endFits: f.endFits.map((e) => lines(e) === 1),
      starts: f.starts.map(w),
      startLine: f.startLine.map(secondLine),
      advanceChars: advance,
      advances: f.advances.map((e) => w(e) / 20),
    };
  }
  for (const el of added) el.remove();
  return out;
}

/** The arguments of calibrate: this module's selectors and characters. */
export const CALIBRATE_ARGS = [KIND_SELECTOR as Record<string, string>, TRIM_CHARS, ADVANCE_CHARS] as const;

export interface RawCalibration {
  kinds: Partial<
    Record<
      TextKind,
      {
        face: string;
        size: number;
        letterSpacing: number;
        wordSpacing: number;
        whiteSpace: string;
        box: number;
        em: number;
      }
    >
  >;
  faces: Record<
    string,
    {
      chars: string;
      pairs: number[];
      single: number[];
      ends: number[];
      endFits: boolean[];
      starts: number[];
      startLine: number[];
      advanceChars: string;
      advances: number[];
    }
  >;
}

/** The faces the line breaker knows, by `family|weight` as the browser reports them. */
export type FaceTable = ReadonlyMap<string, FaceMetrics>;

/** How one kind of box lays out text: its width and the metrics of its font. */
interface KindLayout {
  box: number;
  metrics: TextMetrics;
  whiteSpace: string;
}

/** Builds each kind's layout from the browser's report; kinds whose face is unknown are left out. */
export function textLayouts(raw: RawCalibration, faces: FaceTable): Partial<Record<TextKind, KindLayout>> {
  const trims = new Map<
    string,
    { pair: Map<string, number>; start: Map<number, number>; end: Map<number, number>; advance: Map<number, number> }
  >();
  for (const [face, f] of Object.entries(raw.faces)) {
    const chars = Array.from(f.chars, (c) => c.codePointAt(0)!);
    // Trims in em of the face, from widths in px at the size the face was measured at.
    const em = Object.values(raw.kinds).find((k) => k?.face === face)!.em;
    const pair = new Map<string, number>();
    const start = new Map<number, number>();
    const end = new Map<number, number>();
    chars.forEach((a, i) =>
      chars.forEach((b, j) => {
        // Trim of the pair: the two alone (each between ideographs) less the two together.
        const t = f.single[i]! - em * 2 + (f.single[j]! - em * 2) - (f.pairs[i * chars.length + j]! - em * 2);
        if (t > 0.01) pair.set(`${a},${b}`, t / em);
      }),
    );
    chars.forEach((c, i) => {
      const alone = f.single[i]! - 2 * em;
      const line = f.startLine[i]!;
      // The second line holds the mark and one ideograph; what it lacks of their width was trimmed.
      // (Only marks a line may start with: before others the box breaks elsewhere.)
      if (line > 0 && canBreakBefore([0x4e2d, c, 0x4e2d], 1)) {
        const t = alone + em - line;
        if (t > 0.01) start.set(c, t / em);
      }
      if (f.endFits[i]) end.set(c, 0.5);
    });
    // Advances as laid out, in em to the font's unit (1/1000 em), where they differ from the cmap's.
    const advance = new Map<number, number>();
    const metrics = faces.get(face);
    Array.from(f.advanceChars, (c) => c.codePointAt(0)!).forEach((cp, i) => {
      // Marks that trim their spacing when repeated are measured above, one at a time.
      if (chars.includes(cp)) return;
      const laid = Math.round((f.advances[i]! / em) * 1000) / 1000;
      const font = metrics?.advance(cp);
      if (font !== undefined && Math.abs(laid - font) > 0.0015) advance.set(cp, laid);
    });
    trims.set(face, { pair, start, end, advance });
  }
  const out: Partial<Record<TextKind, KindLayout>> = {};
  for (const kind of TEXT_KINDS) {
    const k = raw.kinds[kind];
    const face = k && faces.get(k.face);
    const trim = k && trims.get(k.face);
    if (!k || !face || !trim) continue;
    const scale = k.em;
    out[kind] = {
      box: k.box,
      whiteSpace: k.whiteSpace,
      metrics: {
        advance: (cp) => {
          const a = trim.advance.get(cp) ?? face.advance(cp);
          return a === undefined ? undefined : a * scale + k.letterSpacing + (cp === 0x20 ? k.wordSpacing : 0);
        },
        pairTrim: (a, b) => (trim.pair.get(`${a},${b}`) ?? 0) * scale,
        startTrim: (cp) => (trim.start.get(cp) ?? 0) * scale,
        endTrim: (cp) => (trim.end.get(cp) ?? 0) * scale,
      },
    };
  }
  return out;
}

/** Heights as a function of line counts, fitted to measured forms. */
interface HeightModel {
  /** A table row (or probe row): base + lines × line. */
  base: number;
  line: number;
  /** Probe rows (the merged labels' heights) have their own base. */
  probeBase: number;
  /** Lead block: constant + its label rows. Review block: constant + its review rows. */
  lead: number;
  review: number;
  header: number;
  page: number;
}

/** One form's line counts, as predicted: everything the heights depend on. */
interface FormLines {
  rows: number[];
  lead: number[];
  review: number[];
  labels: Map<string, number>;
}

const EPS = 1e-6;

/** Line counts remembered at most (Predictor.lines). */
const CACHE_LIMIT = 100_000;

/** Predicts forms' pagination heights once calibrated; `lines` and `verify` serve the check at show time. */
export class Predictor {
  readonly #layouts: Partial<Record<TextKind, KindLayout>>;
  readonly #model: HeightModel;
  readonly #cache = new Map<string, number | undefined>();

  private constructor(layouts: Partial<Record<TextKind, KindLayout>>, model: HeightModel) {
    this.#layouts = layouts;
    this.#model = model;
  }

  /**
   * Fits the height model to forms measured in the browser (with the text calibration taken on the
   * same page). Returns a predictor only if it gives back every measured number of every sample.
   */
  static calibrate(
    raw: RawCalibration,
    faces: FaceTable,
    samples: readonly { model: FormModel; measure: FormMeasure }[],
  ): Predictor | undefined {
    const layouts = textLayouts(raw, faces);
    if (TEXT_KINDS.some((k) => !layouts[k]) || samples.length === 0) return undefined;
    const probe = new Predictor(layouts, { base: 0, line: 0, probeBase: 0, lead: 0, review: 0, header: 0, page: 0 });
    // Forms with a text not certain to lay out as predicted say nothing about the heights: left out;
    // so are forms with something taller than a page, which are never predicted (see predict).
    const known = samples
      .filter((s) => !needsSplit(s.measure))
      .flatMap((s) => {
        const l = probe.#formLines(s.model);
        return l ? [{ ...s, lines: l }] : [];
      });
    if (known.length === 0) return undefined;
    // Rows: the fewest and the most lines give the line height and the base.
    const points = known.flatMap((s) => s.lines.rows.map((n, r): [number, number] => [n, s.measure.rows[r]!.height]));
    if (points.length === 0) return undefined;
    const lo = points.reduce((a, b) => (b[0] < a[0] ? b : a));
    const hi = points.reduce((a, b) => (b[0] > a[0] ? b : a));
    if (hi[0] === lo[0]) return undefined;
    const line = (hi[1] - lo[1]) / (hi[0] - lo[0]);
    const base = lo[1] - lo[0] * line;
    // The blocks' constants from the first form: what its heights leave after its rows.
    const { measure: first, lines: firstLines } = known[0]!;
    const sum = (ns: number[]): number => ns.reduce((t, n) => t + base + n * line, 0);
    const section = firstLines.labels.get(probeKey('section', LABELS.indicators));
    const model: HeightModel = {
      base,
      line,
      probeBase: section === undefined ? 0 : first.section.plain - section * line,
      lead: first.leadHeight - sum(firstLines.lead),
      review: first.reviewHeight - sum(firstLines.review),
      header: first.headerHeight,
      page: first.pageHeight,
    };
    const predictor = new Predictor(layouts, model);
    // The fit must reproduce every sample exactly, or it is not used at all.
    for (const s of known) if (!sameMeasure(predictor.predict(s.model), s.measure)) return undefined;
    return predictor;
  }

  /**
   * Lines of `text` in a box of `kind`, or undefined when not certain. The text as the model has it, or
   * as the page shows it (with the break marks of render/word-breaks.ts, which the model's text gets here).
   */
  lines(kind: TextKind, plain: string): number | undefined {
    const text = breakHints(kind, plain) ?? plain;
    const key = `${kind}\u0000${text}`;
    if (this.#cache.has(key)) return this.#cache.get(key);
    const layout = this.#layouts[kind]!;
    let n: number | undefined;
    if (text.trim() === '') n = 0;
    else if (kind === 'title' || kind === 'year' || kind === 'signature') {
      // One line or not predicted: these are laid out whole, never wrapped in a form that fits.
      let width = 0;
      for (const ch of layout.whiteSpace.startsWith('pre') ? text : text.replace(/\s+/g, ' ').trim()) {
        const a = layout.metrics.advance(ch.codePointAt(0)!);
        if (a === undefined || ch === '\n') {
          width = Infinity;
          break;
        }
        width += a;
      }
      n = width < layout.box - 1 ? 1 : undefined;
    } else n = countLines(text, layout.box, layout.metrics);
    // Repeated texts (labels, standard indicators) are common; a province's shard has millions of
    // unique ones too, so the cache is emptied now and then rather than kept whole.
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, n);
    return n;
  }

  #formLines(m: FormModel): FormLines | undefined {
    const rows: number[] = [];
    for (const r of m.rows) {
      let max = 0;
      for (const [kind, text] of [
        ['name', r.name],
        ['type', r.type],
        ['value', r.valueText],
        ['unit', r.unit],
        ['explanation', r.explanation],
        ['scoring', r.scoringText],
        ['note', r.note],
      ] as const) {
        const n = this.lines(kind, text);
        if (n === undefined) return undefined;
        max = Math.max(max, n);
      }
      rows.push(max);
    }
    const pair = (label: string, text: string, kind: 'text' | 'review'): number | undefined => {
      const a = this.lines('label', label);
      const b = this.lines(kind, text);
      return a === undefined || b === undefined ? undefined : Math.max(a, b);
    };
    const lead = [
      pair(LABELS.name, m.name, 'text'),
      pair(LABELS.duties, m.dutiesText, 'text'),
      pair(LABELS.goals, m.goalsText, 'text'),
    ];
    const review = [
      pair(LABELS.businessReview, m.signoff.businessReview, 'review'),
      pair(LABELS.performanceReview, m.signoff.performanceReview, 'review'),
    ];
    if (lead.some((n) => n === undefined) || review.some((n) => n === undefined)) return undefined;
    if (
      this.lines('title', m.title) !== 1 ||
      this.lines('year', m.yearLine) !== 1 ||
      this.lines('signature', m.signatureLine) !== 1
    )
      return undefined;
    const labels = new Map<string, number>();
    for (const { column, text } of probeLabels(m)) {
      const n = this.lines(column, text);
      if (n === undefined) return undefined;
      labels.set(probeKey(column, text), n);
    }
    return { rows, lead: lead as number[], review: review as number[], labels };
  }

  /**
   * The form's pagination heights, or undefined when some line count is not certain, or when a row or
   * the lead is taller than a page: such a form is cut into pieces where the browser lays out its lines
   * (render/split.ts), so it is measured.
   */
  predict(m: FormModel): FormMeasure | undefined {
    const l = this.#formLines(m);
    if (!l) return undefined;
    const h = this.#model;
    const row = (n: number): number => h.base + n * h.line;
    const measure: FormMeasure = {
      pageHeight: h.page,
      leadHeight: h.lead + l.lead.reduce((t, n) => t + row(n), 0),
      headerHeight: h.header,
      reviewHeight: h.review + l.review.reduce((t, n) => t + row(n), 0),
      rows: m.rows.map((r, i) => ({ height: row(l.rows[i]!), level1: r.level1, level2: r.level2 })),
      ...labelHeights(m, (key) => h.probeBase + (l.labels.get(key) ?? 0) * h.line),
    };
    return needsSplit(measure) ? undefined : measure;
  }

  /**
   * Whether the paginated document laid out as predicted: `read` is readLines's answer for `html`
   * (line counts of its text boxes, in document order).
   */
  verify(html: string, read: readonly number[]): boolean {
    const boxes = textBoxes(html);
    if (boxes.length !== read.length) return false;
    return boxes.every((b, i) => b.kind === undefined || this.lines(b.kind, b.text) === read[i]);
  }
}

/**
 * Text boxes of a rendered form, in document order: every td, th, h1 and p with a class attribute
 * (readLines reads the same elements in the page). A box with markup inside (other than `<wbr>`) counts
 * with kind undefined and text '' (and then readLines's count does not match anything: the form is measured).
 */
export function textBoxes(html: string): { kind: TextKind | undefined; text: string }[] {
  const out: { kind: TextKind | undefined; text: string }[] = [];
  const body = html.slice(html.indexOf('<body'));
  for (const m of body.matchAll(/<(td|th|h1|p)\b([^>]*)>/g)) {
    const cls = /\bclass="([^"]*)"/.exec(m[2]!)?.[1];
    if (cls === undefined) continue;
    const start = m.index + m[0].length;
    const close = body.indexOf(`</${m[1]}>`, start);
    // <wbr>: a break opportunity of render/word-breaks.ts, kept as its mark.
    const inner = body.slice(start, close).replaceAll('<wbr>', BREAK_MARK);
    if (inner.includes('<')) out.push({ kind: undefined, text: '' });
    else out.push({ kind: kindOf(m[1]!, cls), text: decodeEntities(inner) });
  }
  return out;
}

/**
 * In-page: the number of lines of each text box (as textBoxes lists them): the rectangles of its text,
 * a new line wherever one starts lower than the last (one Range for all: ~1.4 ms a form, not 2).
 */
export function readLines(): number[] {
  const range = document.createRange();
  return Array.from(document.body.querySelectorAll('td[class], th[class], h1[class], p[class]'), (el) => {
    range.selectNodeContents(el);
    const rects = range.getClientRects();
    let lines = 0;
    let top = -Infinity;
    for (let i = 0; i < rects.length; i++) {
      if (rects[i]!.top > top + 1) {
        lines++;
        top = rects[i]!.top;
      }
    }
    return lines;
  });
}

/** Whether two measures are the same to float precision (heights are multiples of 1/64 px). */
export function sameMeasure(a: FormMeasure | undefined, b: FormMeasure): boolean {
  if (!a) return false;
  const near = (x: number, y: number): boolean => Math.abs(x - y) < EPS;
  const sameLabels = (x: Record<string, LabelHeight>, y: Record<string, LabelHeight>): boolean =>
    Object.keys(x).length === Object.keys(y).length &&
    Object.entries(y).every(([k, v]) => x[k] !== undefined && near(x[k].plain, v.plain) && near(x[k].cont, v.cont));
  return (
    near(a.pageHeight, b.pageHeight) &&
    near(a.leadHeight, b.leadHeight) &&
    near(a.headerHeight, b.headerHeight) &&
    near(a.reviewHeight, b.reviewHeight) &&
    a.rows.length === b.rows.length &&
    a.rows.every((r, i) => near(r.height, b.rows[i]!.height)) &&
    near(a.section.plain, b.section.plain) &&
    near(a.section.cont, b.section.cont) &&
    sameLabels(a.level1, b.level1) &&
    sameLabels(a.level2, b.level2)
  );
}
