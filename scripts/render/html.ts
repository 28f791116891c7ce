/**
 * FormModel → HTML: the form as printed, one <section class="sheet"> per A4 landscape page.
 *
 * Pure: takes the compiled templates, the model and a page plan (from paginate.ts) and returns the
 * document text. The same text is written to out/<year>/<code>.html and printed to the PDF, so a
 * browser's print of the .html gives the PDF's pages. The templates are compiled once per run, in
 * strict mode (a missing field throws instead of printing an empty cell), and every piece of data goes
 * through `{{…}}` (escaped): only our own stylesheet is inserted raw, as a partial.
 */
import Handlebars from 'handlebars';
import { formClass, type FormClass } from './classes.ts';
import { FORM_TITLE, type FormModel, INDICATOR_HEADER, type IndicatorRow, LABELS } from '../model/form-model.ts';
import {
  CONTINUED,
  type FormMeasure,
  type LabelHeight,
  type PageSlice,
  pageSegments,
  segmentLabel,
} from './paginate.ts';
import { leadRowsOf, type PrintModel } from './split.ts';
import { BREAK_MARK, breakHints } from './word-breaks.ts';

/** A cell of a probe row in a measuring document: its text and the class it is laid out with. */
interface ProbeCell {
  text: string;
  role: FormClass;
  /** The text has break marks (word-breaks.ts): laid out keep-all, as in the form. */
  keep: boolean;
}

/** Template sources, read from templates/ at the edge (scripts/io/templates.ts). */
export interface FormTemplateSources {
  form: string;
  css: string;
  partials: Record<string, string>;
}

export interface FormRenderer {
  /** The final document for a page plan. */
  render(model: FormModel, pages: PageSlice[], opts?: FormHtmlOptions): string;
  /** The measuring document: every row on one unbroken sheet, merged cells empty, plus label probes. */
  renderMeasure(model: FormModel, opts?: FormHtmlOptions): string;
}

export interface FormHtmlOptions {
  /** Folder holding fonts/fonts.css, relative to the document (out/<year>/x.html → `../assets/`). */
  assetBase?: string;
  /**
   * Measuring document only: probe keys already measured elsewhere in the same layout (a batch of
   * forms shown together), left out here. A label measures the same in any form: same table, same
   * column widths.
   */
  probed?: ReadonlySet<string>;
}

export const DEFAULT_ASSET_BASE = '../assets/';

/** `<department> <year>年度 部门整体绩效目标表`: the document title, the PDF's Title. */
export const documentTitle = (m: Pick<FormModel, 'name' | 'fiscalYear'>): string =>
  `${m.name} ${m.fiscalYear}年度 部门整体绩效目标表`;
export const documentSubject = (m: Pick<FormModel, 'fiscalYear'>): string => `${FORM_TITLE}（${m.fiscalYear}）年度`;
export const documentKeywords = (m: Pick<FormModel, 'name' | 'fiscalYear' | 'code'>): string =>
  ['部门整体绩效目标表', '绩效目标', `${m.fiscalYear}年度`, m.name, m.code].join(', ');

/** `第 X 页 共 Y 页` */
export const pageFooter = (n: number, total: number): string => `第 ${n} 页 共 ${total} 页`;

/** Probe keys: which column a label is measured in. */
/** Text of HTML with its character references decoded (what Handlebars escaped, back). */
export const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39|apos);/gi, (m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()] ?? m),
  );

export type ProbeColumn = 'section' | 'level1' | 'level2';
export const probeKey = (col: ProbeColumn, text: string): string => `${col}|${text}`;

const COLUMN_INDEX: Record<ProbeColumn, number> = { section: 0, level1: 1, level2: 2 };

interface MergedCell {
  label: string;
  span: number;
  keep: boolean;
}

interface RowView {
  index: number;
  level1: MergedCell | null;
  level2: MergedCell | null;
  name: string;
  type: string;
  value: string;
  valueKeep: boolean;
  unit: string;
  explanation: string;
  scoring: string;
  note: string;
}

interface SheetView {
  number: number;
  footer: string;
  measure: boolean;
  hasTable: boolean;
  /** `heading` (title and year line) is null on the later pages of a lead taller than a page. */
  lead: { heading: { title: string; yearLine: string } | null; rows: { label: string; text: string }[] } | null;
  indicators: { section: string; sectionSpan: number; header: readonly string[]; rows: RowView[] } | null;
  review: { rows: { label: string; text: string }[]; signatureLine: string } | null;
}

/** A merged 一级/二级 cell, its label with break marks where it has some. */
const mergedCell = (kind: 'level1' | 'level2', label: string, span: number): MergedCell => {
  const hinted = breakHints(kind, label);
  return { label: hinted ?? label, span, keep: hinted !== undefined };
};

const rowView = (r: IndicatorRow, level1: MergedCell | null, level2: MergedCell | null): RowView => ({
  index: r.index,
  level1,
  level2,
  name: r.name,
  type: r.type,
  value: breakHints('value', r.valueText) ?? r.valueText,
  valueKeep: breakHints('value', r.valueText) !== undefined,
  unit: r.unit,
  explanation: r.explanation,
  scoring: r.scoringText,
  note: r.note,
});

/** The lead a page carries: all of it, or (a lead taller than a page) its label rows [leadStart, leadEnd). */
type LeadView = NonNullable<SheetView['lead']>;
const leadView = (m: FormModel | PrintModel, p?: Pick<PageSlice, 'leadStart' | 'leadEnd'>): LeadView => ({
  heading: (p?.leadStart ?? 0) === 0 ? { title: m.title, yearLine: m.yearLine } : null,
  rows: leadRowsOf(m)
    .slice(p?.leadStart ?? 0, p?.leadEnd)
    .map(({ label, text }) => ({ label, text })),
});

const reviewView = (m: FormModel): NonNullable<SheetView['review']> => ({
  rows: [
    { label: LABELS.businessReview, text: m.signoff.businessReview },
    { label: LABELS.performanceReview, text: m.signoff.performanceReview },
  ],
  signatureLine: m.signatureLine,
});

/** The view of one page: merged cells cut at the page edge, continued groups labelled （续）. */
function sheetView(m: FormModel, p: PageSlice, number: number, total: number): SheetView {
  let indicators: SheetView['indicators'] = null;
  if (p.end > p.start) {
    const { level1, level2 } = pageSegments(m.rows, p.start, p.end);
    const at = <T extends { start: number; end: number }>(segs: T[], i: number): T | undefined =>
      segs.find((s) => s.start === i);
    const rows = m.rows.slice(p.start, p.end).map((r) => {
      const s1 = at(level1, r.index);
      const s2 = at(level2, r.index);
      return rowView(
        r,
        s1 ? mergedCell('level1', segmentLabel(s1), s1.end - s1.start) : null,
        s2 ? mergedCell('level2', segmentLabel(s2), s2.end - s2.start) : null,
      );
    });
    indicators = {
      section: p.start > 0 ? LABELS.indicators + CONTINUED : LABELS.indicators,
      sectionSpan: rows.length + 1,
      header: INDICATOR_HEADER,
      rows,
    };
  }
  return {
    number,
    footer: pageFooter(number, total),
    measure: false,
    hasTable: p.lead || p.review || indicators !== null,
    lead: p.lead ? leadView(m, p) : null,
    indicators,
    review: p.review ? reviewView(m) : null,
  };
}

function documentView(
  m: FormModel,
  sheets: SheetView[],
  probes: { rows: { key: string; cells: ProbeCell[] }[] } | null,
  opts: FormHtmlOptions,
) {
  return {
    docTitle: documentTitle(m),
    author: m.name,
    subject: documentSubject(m),
    keywords: documentKeywords(m),
    fontCss: `${opts.assetBase ?? DEFAULT_ASSET_BASE}fonts/fonts.css`,
    pageCount: sheets.length,
    sheets,
    probes,
  };
}

/** Every label a merged cell can print, in the column it prints in, plain and continued. */
export function probeLabels(m: FormModel): { column: ProbeColumn; text: string }[] {
  const out: { column: ProbeColumn; text: string }[] = [];
  const seen = new Set<string>();
  const add = (column: ProbeColumn, label: string): void => {
    for (const text of [label, label + CONTINUED]) {
      const k = probeKey(column, text);
      if (!seen.has(k)) {
        seen.add(k);
        out.push({ column, text });
      }
    }
  };
  add('section', LABELS.indicators);
  for (const r of m.rows) {
    add('level1', r.level1);
    add('level2', r.level2);
  }
  return out;
}

/**
 * The merged labels' heights as the paginator wants them (section, each 一级 and 二级 label, plain and
 * continued), from the height a probe of each has: `probeHeight(probeKey(column, text))`, measured in
 * the browser (browser/form-page.ts) or predicted (render/predict).
 */
export function labelHeights(
  m: FormModel,
  probeHeight: (key: string) => number,
): Pick<FormMeasure, 'section' | 'level1' | 'level2'> {
  const label = (column: ProbeColumn, text: string): LabelHeight => ({
    plain: probeHeight(probeKey(column, text)),
    cont: probeHeight(probeKey(column, text + CONTINUED)),
  });
  const level1: Record<string, LabelHeight> = {};
  const level2: Record<string, LabelHeight> = {};
  for (const { column, text } of probeLabels(m)) {
    if (text.endsWith(CONTINUED)) continue;
    if (column === 'level1') level1[text] = label('level1', text);
    if (column === 'level2') level2[text] = label('level2', text);
  }
  return { section: label('section', LABELS.indicators), level1, level2 };
}

/** Compiles the templates once; the returned renderer is reused for every document of a run. */
export function createFormRenderer(src: FormTemplateSources): FormRenderer {
  const hb = Handlebars.create();
  hb.registerPartial('form-css', src.css);
  // `{{cls 'sheet'}}`: class names come from classes.ts, where the page code reads them too.
  hb.registerHelper('cls', (role: string) => formClass(role));
  // `{{wbr text}}`: the text escaped, its break marks (word-breaks.ts) written as <wbr>.
  hb.registerHelper(
    'wbr',
    (text: string) => new hb.SafeString(hb.Utils.escapeExpression(text).replaceAll(BREAK_MARK, '<wbr>')),
  );
  for (const [name, text] of Object.entries(src.partials)) hb.registerPartial(name, hb.compile(text, { strict: true }));
  const template = hb.compile(src.form, { strict: true });
  // Strict mode catches absent keys; a key whose value is undefined (a model built wrongly) must fail
  // the same way, so such keys are dropped before the template sees them.
  const run = (view: ReturnType<typeof documentView>): string => template(withoutUndefined(view));

  return {
    render(m, pages, opts = {}) {
      const sheets = pages.map((p, i) => sheetView(m, p, i + 1, pages.length));
      return run(documentView(m, sheets, null, opts));
    },
    renderMeasure(m, opts = {}) {
      const empty: MergedCell = { label: '', span: 1, keep: false };
      const rows = m.rows.map((r) => rowView(r, empty, empty));
      const sheet: SheetView = {
        number: 1,
        footer: pageFooter(1, 1),
        measure: true,
        hasTable: true,
        lead: leadView(m),
        indicators: { section: LABELS.indicators, sectionSpan: rows.length + 1, header: INDICATOR_HEADER, rows },
        review: reviewView(m),
      };
      // A blank sheet of the real size: its footer tells how much of a page the content may use.
      const blank: SheetView = {
        number: 2,
        footer: pageFooter(1, 1),
        measure: false,
        hasTable: false,
        lead: null,
        indicators: null,
        review: null,
      };
      const probes = {
        rows: probeLabels(m)
          .filter(({ column, text }) => !opts.probed?.has(probeKey(column, text)))
          .map(({ column, text }) => {
            const cells = Array.from({ length: INDICATOR_HEADER.length + 1 }, (_, i): ProbeCell => ({
              text: '',
              role: i === 0 ? 'section' : 'group',
              keep: false,
            }));
            const hinted = breakHints(column, text);
            cells[COLUMN_INDEX[column]] = { ...cells[COLUMN_INDEX[column]]!, text: hinted ?? text, keep: !!hinted };
            return { key: probeKey(column, text), cells };
          }),
      };
      return run(documentView(m, [sheet, blank], probes, opts));
    },
  };
}

/** A deep copy without undefined-valued keys, so Handlebars' strict mode reports them as missing. */
function withoutUndefined<T>(v: T): T {
  if (Array.isArray(v)) return v.map(withoutUndefined) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = withoutUndefined(x);
    return out as T;
  }
  return v;
}
