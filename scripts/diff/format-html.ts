/**
 * A diff as a standalone HTML page: the form itself, with what was inserted and deleted marked in
 * place. `inline` shows the new form with deletions struck through and insertions underlined (removed
 * indicators stay as struck rows where they stood); `side` shows old and new forms next to each other,
 * row against row. Reuses the form's stylesheet (templates/form.css) for the look of the paper form.
 *
 * Pure: takes the template sources and returns the document. Every piece of data is escaped by
 * Handlebars (`{{…}}`); only our own stylesheets are inserted raw.
 */
import Handlebars from 'handlebars';
import type { Lang } from '../check/messages.ts';
import { type FormModel, INDICATOR_HEADER, type IndicatorRow, LABELS, spans } from '../model/form-model.ts';
import { formatNumber } from '../model/scoring.ts';
import { type Change, countChanges, type DiffReport } from './changes.ts';
import { changeLabel, words } from './labels.ts';
import { flagText, presentChange, sidesText, yearsText } from './present.ts';
import { diffWords, type WordOp } from './word-diff.ts';

export type HtmlLayout = 'inline' | 'side';
export const HTML_LAYOUTS: readonly HtmlLayout[] = ['inline', 'side'];

export interface DiffHtmlSources {
  /** templates/diff.hbs */
  page: string;
  /** templates/diff.css */
  css: string;
  /** templates/form.css when it exists: the paper form's look. */
  formCss?: string;
}

export interface DiffHtmlOptions {
  lang: Lang;
  layout: HtmlLayout;
  /** Extra stylesheet inserted first, e.g. the project's fonts as data: URLs (`--embed-fonts`). */
  fontCss?: string;
}

interface Seg {
  text: string;
  ins: boolean;
  del: boolean;
}
interface Badge {
  text: string;
  cls: string;
}
interface Cell {
  segs: Seg[];
  cls: string;
}
interface Merged {
  span: number;
  segs: Seg[];
}
interface HalfRow {
  level1: Merged | null;
  level2: Merged | null;
  cells: Cell[];
  badges: Badge[];
  /** A row that exists only on the other side: drawn as an empty band. */
  placeholder: boolean;
}
interface RowView {
  cls: string;
  inline: HalfRow | null;
  left: HalfRow | null;
  right: HalfRow | null;
}

const plain = (text: string): Seg[] => (text ? [{ text, ins: false, del: false }] : []);
const fromOps = (ops: readonly WordOp[], keep: 'both' | 'old' | 'new'): Seg[] =>
  ops
    .filter((o) => o.text !== '')
    .filter((o) => keep === 'both' || o.op === 'equal' || (keep === 'old' ? o.op === 'delete' : o.op === 'insert'))
    .map((o) => ({ text: o.text, ins: o.op === 'insert', del: o.op === 'delete' }));

/** Old and new text of one cell as segments for the layout's side. */
function textSegs(a: string | undefined, b: string | undefined, keep: 'both' | 'old' | 'new'): Seg[] {
  if (keep === 'old')
    return a === undefined ? [] : b === undefined || a === b ? plain(a) : fromOps(diffWords(a, b), 'old');
  if (keep === 'new')
    return b === undefined ? [] : a === undefined || a === b ? plain(b) : fromOps(diffWords(a, b), 'new');
  return fromOps(diffWords(a ?? '', b ?? ''), 'both');
}

/** Short values (type, number, unit) are replaced whole rather than diffed by word. */
function atomSegs(a: string | undefined, b: string | undefined, keep: 'both' | 'old' | 'new'): Seg[] {
  if (a === b || a === undefined || b === undefined) return plain((keep === 'old' ? a : b) ?? a ?? '');
  const del = a ? [{ text: a, ins: false, del: true }] : [];
  const ins = b ? [{ text: b, ins: true, del: false }] : [];
  return keep === 'old' ? del : keep === 'new' ? ins : [...del, ...ins];
}

const COLUMNS = ['name', 'type', 'value', 'unit', 'explanation', 'scoring', 'note'] as const;
type Column = (typeof COLUMNS)[number];
const text = (r: IndicatorRow, c: Column): string =>
  ({
    name: r.name,
    type: r.type,
    value: r.valueText,
    unit: r.unit,
    explanation: r.explanation,
    scoring: r.scoringText,
    note: r.note,
  })[c];
const ATOMIC: ReadonlySet<Column> = new Set(['type', 'value', 'unit']);
/** Which change kinds show in which column (for the cell's highlight and its weakened mark). */
const COLUMN_KINDS: Record<Column, Change['kind'][]> = {
  name: ['renamed'],
  type: ['type'],
  value: ['value'],
  unit: ['unit'],
  explanation: ['explanation'],
  scoring: ['scoring', 'points'],
  note: ['note'],
};

export function renderDiffHtml(report: DiffReport, src: DiffHtmlSources, opts: DiffHtmlOptions): string {
  const hb = Handlebars.create();
  // Our own stylesheets go in raw, as a partial (like the form's); data never does.
  hb.registerPartial('diff-css', [opts.fontCss ?? '', src.formCss ?? '', src.css].filter(Boolean).join('\n'));
  const template = hb.compile(src.page, { strict: true });
  const w = words(opts.lang);
  const side = opts.layout === 'side';

  const departments = report.departments.map((d) => {
    const a = d.from?.model;
    const b = d.to?.model;
    const changesOf = (ra: number | undefined, rb: number | undefined): Change[] =>
      d.changes.filter(
        (c) =>
          c.indicator &&
          c.indicator.row.from === (ra === undefined ? undefined : ra + 1) &&
          c.indicator.row.to === (rb === undefined ? undefined : rb + 1),
      );

    /** One side's cells of a display row: `x` old, `y` new; `keep` says which side (or both, inline) is drawn. */
    const half = (
      x: IndicatorRow | undefined,
      y: IndicatorRow | undefined,
      keep: 'both' | 'old' | 'new',
      changes: Change[],
    ): HalfRow => {
      const own = keep === 'old' ? x : keep === 'new' ? y : (y ?? x);
      if (!own)
        return {
          level1: null,
          level2: null,
          cells: COLUMNS.map(() => ({ segs: [], cls: 'gap' })),
          badges: [],
          placeholder: true,
        };
      const cells = COLUMNS.map((col) => {
        const ks = COLUMN_KINDS[col];
        const cs = changes.filter((c) => ks.includes(c.kind));
        const fa = x ? text(x, col) : undefined;
        const fb = y ? text(y, col) : undefined;
        // A row only on one side is wholly deleted or inserted.
        const segs =
          !x || !y
            ? fromOps([{ op: x ? 'delete' : 'insert', text: (fa ?? fb)! }], 'both')
            : ATOMIC.has(col)
              ? atomSegs(fa, fb, keep)
              : textSegs(fa, fb, keep);
        const cls = [
          col,
          cs.length || (x && y && fa !== fb) ? 'changed' : '',
          cs.some((c) => c.flags.includes('weakened')) ? 'weak' : '',
          cs.some((c) => c.flags.includes('strengthened')) ? 'strong' : '',
        ]
          .filter(Boolean)
          .join(' ');
        return { segs, cls };
      });
      const badges: Badge[] = [];
      for (const c of changes) {
        if (c.kind === 'moved')
          badges.push({
            text:
              c.field === 'group'
                ? `${changeLabel(c, opts.lang)}：${String(c.from)} → ${String(c.to)}`
                : `${w.kind.moved}：${w.row(Number(c.from))} → ${w.row(Number(c.to))}`,
            cls: 'info',
          });
        if (c.kind === 'renamed') badges.push({ text: w.kind.renamed, cls: 'info' });
        if (c.kind === 'points')
          badges.push({
            text: `${w.kind.points} ${formatNumber(Number(c.from))} → ${formatNumber(Number(c.to))}`,
            cls: c.flags.includes('weakened') ? 'weak' : 'info',
          });
        for (const f of c.flags)
          badges.push({
            text:
              flagText([f], opts.lang) +
              (c.kind === 'points' ? '' : opts.lang === 'en' ? ` (${w.kind[c.kind]})` : `（${w.kind[c.kind]}）`),
            cls: f === 'strengthened' ? 'strong' : 'weak',
          });
      }
      return { level1: null, level2: null, cells, badges, placeholder: false };
    };

    const rows: RowView[] = d.rows.map((ar) => {
      const x = ar.a !== undefined ? a!.rows[ar.a] : undefined;
      const y = ar.b !== undefined ? b!.rows[ar.b] : undefined;
      const cs = changesOf(ar.a, ar.b);
      const cls = !x ? 'added' : !y ? 'removed' : cs.length ? 'changed' : 'same';
      return side
        ? { cls, inline: null, left: half(x, y, 'old', cs), right: half(x, y, 'new', cs) }
        : { cls, inline: half(x, y, 'both', cs), left: null, right: null };
    });
    // Merged 一级/二级 cells over the display rows; a placeholder joins the group beside it.
    const place = (get: (r: RowView) => HalfRow | null, rowOf: (k: number) => IndicatorRow): void => {
      const keyRows = d.rows.map((_, k) => rowOf(k));
      const s1 = spans(keyRows, (r) => r.level1);
      const s2 = spans(keyRows, (r) => `${r.level1}\u0000${r.level2}`);
      rows.forEach((rv, k) => {
        const h = get(rv)!;
        if (s1[k]) h.level1 = { span: s1[k], segs: plain(keyRows[k]!.level1) };
        if (s2[k]) h.level2 = { span: s2[k], segs: plain(keyRows[k]!.level2) };
      });
    };
    const shown = (k: number, prefer: 'a' | 'b'): IndicatorRow => {
      const ar = d.rows[k]!;
      const ra = ar.a !== undefined ? a!.rows[ar.a] : undefined;
      const rb = ar.b !== undefined ? b!.rows[ar.b] : undefined;
      return (prefer === 'a' ? (ra ?? rb) : (rb ?? ra))!;
    };
    if (side) {
      place(
        (r) => r.left,
        (k) => shown(k, 'a'),
      );
      place(
        (r) => r.right,
        (k) => shown(k, 'b'),
      );
    } else
      place(
        (r) => r.inline,
        (k) => shown(k, 'b'),
      );

    const label = (m: FormModel | undefined, get: (m: FormModel) => string): string | undefined =>
      m ? get(m) : undefined;
    const field = (get: (m: FormModel) => string, keep: 'both' | 'old' | 'new'): Seg[] => {
      const fa = label(a, get);
      const fb = label(b, get);
      if (keep === 'both')
        return fa === undefined || fb === undefined
          ? fromOps([{ op: fa === undefined ? 'insert' : 'delete', text: (fa ?? fb)! }], 'both')
          : textSegs(fa, fb, 'both');
      return textSegs(fa, fb, keep);
    };
    const formText = (keep: 'both' | 'old' | 'new') => ({
      yearLine: field((m) => m.yearLine, keep),
      labels: [
        { label: LABELS.name, segs: field((m) => m.name, keep) },
        { label: LABELS.duties, segs: field((m) => m.dutiesText, keep) },
        { label: LABELS.goals, segs: field((m) => m.goalsText, keep) },
      ],
      review: [
        { label: LABELS.businessReview, segs: field((m) => m.signoff.businessReview, keep) },
        { label: LABELS.performanceReview, segs: field((m) => m.signoff.performanceReview, keep) },
      ],
      signature: field((m) => m.signatureLine, keep),
    });

    const n = countChanges(d.changes);
    const s = w.summary;
    const alerts = d.changes
      .filter((c) => c.flags.some((f) => f !== 'strengthened'))
      .map((c) => {
        const p = presentChange(c, d, opts.lang);
        return {
          what: [p.indicator, p.label].filter(Boolean).join(' · '),
          change: p.words ? '' : [p.from, p.to].filter(Boolean).join(' → '),
          flags: flagText(
            c.flags.filter((f) => f !== 'strengthened'),
            opts.lang,
          ),
        };
      });
    return {
      id: `dept-${d.code}`,
      title: `${d.name}（${d.code}）`,
      years: yearsText(d),
      status: w.status[d.status],
      statusCls: d.status,
      sides: sidesText(d, opts.lang),
      // A table new or gone as a whole has nothing to count.
      counts:
        (d.status === 'added' || d.status === 'removed') && !d.changes.length
          ? []
          : [
              { label: s.added, n: n.added, cls: 'added' },
              { label: s.removed, n: n.removed, cls: 'removed' },
              { label: s.renamed, n: n.renamed, cls: '' },
              { label: s.moved, n: n.moved, cls: '' },
              { label: s.modified, n: n.modified, cls: '' },
              { label: s.info, n: n.department, cls: '' },
              { label: s.weakened, n: n.weakened, cls: n.weakened ? 'weak' : '' },
            ],
      alerts,
      hasAlerts: alerts.length > 0,
      formTitle: (b ?? a)!.title,
      inline: side ? null : formText('both'),
      left: side ? formText('old') : null,
      right: side ? formText('new') : null,
      leftFile: d.from?.file ?? '',
      rightFile: d.to?.file ?? '',
      indicatorsLabel: LABELS.indicators,
      header: INDICATOR_HEADER,
      sectionSpan: rows.length + 1,
      rows,
    };
  });

  return template({
    lang: opts.lang === 'en' ? 'en' : 'zh-CN',
    docTitle: `jxmb diff ${report.fromLabel} → ${report.toLabel}`,
    heading: w.heading,
    compared: `${report.fromLabel} → ${report.toLabel}`,
    side,
    legend: {
      ins: opts.lang === 'en' ? 'inserted' : '新增',
      del: opts.lang === 'en' ? 'deleted' : '删除',
      weak: `⚠ ${w.flag.weakened}`,
      strong: `▲ ${w.flag.strengthened}`,
    },
    noDifferences:
      departments.length === 0 || report.departments.every((d) => d.status === 'unchanged') ? w.noDifferences : '',
    departments: departments.filter((_, i) => report.departments[i]!.status !== 'unchanged'),
  });
}
