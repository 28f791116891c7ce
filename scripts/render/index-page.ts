/**
 * IndexEntry[] → out/index.html, the bureau's status board: one row per department per fiscal year with
 * its status (通过 / 有警告 / 有错误 / 生成失败 / 未提交), its diagnostics one click away, dates, pages,
 * links to its files and to its diff against the year before; per-year headline counts, sorting, a
 * filter, years that jump and collapse. Pure: template text and entries in, HTML out.
 *
 * The page opens from disk (file://): links are relative to the out folder, the stylesheet and the
 * script are inline, nothing is fetched. A province has tens of thousands of rows, so the rows travel
 * as compact JSON by column (`boardData`: shared strings, runs, defaults; boardJson) and the page's
 * script draws only the rows on screen — the file stays small (20,000 rows ≈ 0.75 MB) and opening,
 * filtering or sorting costs about the same at any size. The template is compiled in strict mode;
 * the headings go through `{{…}}` (escaped), the JSON through `{{{…}}}` after `scriptJson` made it
 * safe inside a <script> element (no `<`, `>`, `&` or line separators left in it).
 */
import Handlebars from 'handlebars';
import { formatNumber } from '../model/scoring.ts';
import {
  entryStatus,
  type EntryStatus,
  OUTPUT_FORMATS,
  type IndexEntry,
  type OutputFormat,
  STATUS_LABELS,
} from './outputs.ts';

export interface IndexPageOptions {
  /** Source text of templates/index.hbs (read at the edge: scripts/build/entries.ts readIndexTemplate). */
  template: string;
  /** The bureau's points total (settings.points_total): departments whose sum differs are marked. */
  pointsTotal?: number;
  /** Per-year totals where settings override them (`years:`): those years' headings say their own total. */
  pointsTotalFor?: (fiscalYear: number) => number;
  /** The sources' git commit, as in manifest.json; shown in the page footer. */
  commit?: { sha: string; dirty: boolean };
  /** Tool version, shown in the footer. */
  toolVersion?: string;
  /** Years with a bureau summary of their self-evaluations (`<year>/summary.html`): the heading links it. */
  summaries?: ReadonlySet<number>;
}

/** Link labels, in the order the page shows them. */
export const FORMAT_LABELS: Record<OutputFormat, string> = { pdf: 'PDF', html: 'HTML', xlsx: 'Excel' };

/** Statuses in the board's order (its status column sorts by it, worst last). */
export const STATUS_ORDER: readonly EntryStatus[] = ['pass', 'warnings', 'errors', 'failed', 'missing'];

/** Year descending (the current year first), then department code: the order of the page and the manifest. */
export function compareEntries(
  a: Pick<IndexEntry, 'fiscalYear' | 'code'>,
  b: Pick<IndexEntry, 'fiscalYear' | 'code'>,
): number {
  return b.fiscalYear - a.fiscalYear || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** `2025/zhijiang-swkjgxj.pdf` → an href that works from file:// and on a server (segments encoded). */
export const relativeHref = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/** A row of the board: an entry, or a department missing this year (its previous year's entry). */
export interface BoardRow {
  entry: IndexEntry;
  status: EntryStatus;
}

/**
 * The board's rows, sorted (year desc, code): every entry, plus for every year after the first one
 * row per department that had a table in the previous year of the index and has none this year.
 */
export function boardRows(entries: readonly IndexEntry[]): BoardRow[] {
  const byYear = new Map<number, Map<string, IndexEntry>>();
  for (const e of entries) {
    if (!byYear.has(e.fiscalYear)) byYear.set(e.fiscalYear, new Map());
    byYear.get(e.fiscalYear)!.set(e.code, e);
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  // A table too broken to say its name (有错误) is called what its other years call it.
  const names = new Map<string, string>();
  for (const e of [...entries].sort((a, b) => a.fiscalYear - b.fiscalYear))
    if (!e.errors || e.name !== e.code) names.set(e.code, e.name);
  const rows: BoardRow[] = entries.map((entry) => ({
    entry: entry.errors && entry.name === entry.code ? { ...entry, name: names.get(entry.code) ?? entry.name } : entry,
    status: entryStatus(entry),
  }));
  years.forEach((year, i) => {
    if (i === 0) return;
    const now = byYear.get(year)!;
    for (const [code, before] of byYear.get(years[i - 1]!)!) {
      if (now.has(code)) continue;
      // Named as the year before; nothing else of that table carries over.
      const entry = { fiscalYear: year, code, name: before.name, source: '', indicators: 0, pointsSum: 0 };
      rows.push({ entry: { ...entry, warnings: 0, outputs: {} }, status: 'missing' });
    }
  });
  return rows.sort((a, b) => compareEntries(a.entry, b.entry));
}

/** Counts of a year's rows by status. */
export type StatusCounts = Record<EntryStatus, number>;

const noCounts = (): StatusCounts => ({ pass: 0, warnings: 0, errors: 0, failed: 0, missing: 0 });

/** `199/200 通过，1 有错误` — passed of all rows, then every other status that occurs. */
export function countsText(c: StatusCounts): string {
  const total = STATUS_ORDER.reduce((n, s) => n + c[s], 0);
  const rest = STATUS_ORDER.filter((s) => s !== 'pass' && c[s] > 0).map((s) => `，${c[s]} ${STATUS_LABELS[s].zh}`);
  return `${c.pass}/${total} 通过${rest.join('')}`;
}

/** `2025：199/200 通过，1 有错误` */
export const headline = (year: number, c: StatusCounts): string => `${year}：${countsText(c)}`;

/**
 * JSON that may stand inside a <script> element: the characters that could end it or confuse a parser
 * (`<`, `>`, `&`, U+2028, U+2029) as \u escapes, which JSON.parse reads back as they were.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Column positions of a row in the page's data (templates/index.hbs reads them by these names). */
export const ROW_FIELDS = [
  'year',
  'code',
  'name',
  'status',
  'indicators',
  'points',
  'pointsOff',
  'warnings',
  'errors',
  'filed',
  'reviewed',
  'pages',
  'files',
  'source',
  'diagnostics',
  'failed',
  // The department's 自评表 of that year, when built: its total (two decimals), grade, and outputs (bits).
  'score',
  'grade',
  'selfEvalFiles',
  // A self-evaluation that fails its checks (有错误): its errors and warnings, its diagnostics (an index
  // into `diagnostics`, -1 for none) and its source (0 at its usual place).
  'selfEvalErrors',
  'selfEvalWarnings',
  'selfEvalDiagnostics',
  'selfEvalSource',
] as const;

/** A self-evaluation's entry (`<code>.self-eval`, forms/self-eval.ts): shown on its department's row. */
const SELF_EVAL_ENTRY = /\.self-eval$/;

/**
 * Fields whose values are text: in the page's data an index into the shared `strings` (a name, a date or
 * a points total said once however many rows share it), or −1 for the number 0 (a source at its usual
 * place). The other fields are numbers.
 */
export const TEXT_FIELDS: ReadonlySet<(typeof ROW_FIELDS)[number]> = new Set([
  'code',
  'name',
  'points',
  'filed',
  'reviewed',
  'source',
  'failed',
  'score',
  'grade',
  'selfEvalSource',
]);

/**
 * A column of the page's data, whichever of four is shortest as JSON: the values one by one (an array);
 * runs, `{ r: [value, count, …] }` (the year of rows sorted by year); runs of the differences from one
 * value to the next, `{ g: [difference, count, …] }` (codes counting up, year after year); or a default
 * and the rows that differ, `{ d: value, x: [gap, value, …] }`, each gap the distance from the previous
 * such row (errors, failures and other columns that are mostly one value).
 */
export type Column = number[] | { r: number[] } | { g: number[] } | { d: number; x: number[] };

/** `[value, count, …]` of the values' runs. */
function runsOf(values: readonly number[]): number[] {
  const runs: number[] = [];
  for (const v of values)
    if (runs.length && runs[runs.length - 2] === v) runs[runs.length - 1]!++;
    else runs.push(v, 1);
  return runs;
}

/** Characters of a list of numbers as JSON (without its brackets). */
const jsonLength = (xs: readonly number[]): number => xs.reduce((n, v) => n + String(v).length + 1, 0);

/** The shortest encoding of a column of numbers (see Column). */
export function encodeColumn(values: readonly number[]): Column {
  const tally = new Map<number, number>();
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  let d = values[0] ?? 0;
  for (const [v, n] of tally) if (n > tally.get(d)!) d = v;
  const x: number[] = [];
  let last = -1;
  values.forEach((v, i) => {
    if (v === d) return;
    x.push(i - last, v);
    last = i;
  });
  const options: [Column, number][] = [
    [[...values], jsonLength(values)],
    [{ r: runsOf(values) }, 0],
    [{ g: runsOf(values.map((v, i) => (i ? v - values[i - 1]! : v))) }, 0],
    [{ d, x }, jsonLength(x) + String(d).length],
  ];
  for (const o of options) if (!Array.isArray(o[0]) && !('d' in o[0])) o[1] = jsonLength(Object.values(o[0])[0]!);
  return options.reduce((best, o) => (o[1] < best[1] ? o : best))[0];
}

/** A column's values again, `n` of them (the inverse of encodeColumn; the page has its own copy). */
export function decodeColumn(c: Column, n: number): number[] {
  if (Array.isArray(c)) return c;
  const out: number[] = [];
  if ('d' in c) {
    out.length = n;
    out.fill(c.d);
    for (let k = 0, i = -1; k < c.x.length; k += 2) out[(i += c.x[k]!)] = c.x[k + 1]!;
    return out;
  }
  const runs = 'r' in c ? c.r : c.g;
  for (let k = 0, v = 0; k < runs.length; k += 2)
    for (let j = 0; j < runs[k + 1]!; j++) out.push('r' in c ? runs[k]! : (v += runs[k]!));
  return out;
}

/** Bits of the `files` field: which outputs exist (the page builds their links from year and code). */
export const FILE_BITS: Record<OutputFormat | 'diff', number> = { pdf: 1, html: 2, xlsx: 4, diff: 8 };

type RowData = (string | number)[];

interface YearView {
  year: number;
  headline: string;
  /** The headline without its year (under the year's heading). */
  counts: string;
  /** The year's points total when it differs from the page's. */
  pointsTotal: string | null;
  tally: StatusCounts;
  /** The year's self-evaluation summary, relative to out/ (null: none). */
  summary: string | null;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** The score, grade and output bits of a department's self-evaluation (none on a row without a table). */
function selfEvalData(se: IndexEntry | undefined, status: EntryStatus): [string, string, number] {
  if (!se?.selfEval || status === 'missing') return ['', '', 0];
  let files = 0;
  for (const f of OUTPUT_FORMATS) if (se.outputs[f]) files |= FILE_BITS[f];
  return [se.selfEval.total.toFixed(2), se.selfEval.grade, files];
}

/**
 * A self-evaluation that fails its checks: its errors, warnings, diagnostics (pushed onto `diagnostics`,
 * its index) and source; zeros for one that passes or is not there.
 */
function selfEvalProblems(
  se: IndexEntry | undefined,
  status: EntryStatus,
  diagnostics: (string | number)[][][],
): [number, number, number, string | number] {
  if (!se?.errors || status === 'missing') return [0, 0, -1, 0];
  let diag = -1;
  if (se.diagnostics?.length) {
    diag = diagnostics.length;
    diagnostics.push(se.diagnostics.map((d) => [d.severity === 'error' ? 0 : 1, d.code, d.line, d.col, d.message]));
  }
  const usual = se.source === `data/${se.fiscalYear}/${se.code}.yaml`;
  return [se.errors, se.warnings, diag, usual ? 0 : se.source];
}

/**
 * The page's data, by column (a province's 20,000 rows in about a megabyte): every text said once in
 * `strings`, each column encoded the shortest way (encodeColumn); diagnostics as [severity, code, line,
 * col, message] with the code and message indices into `strings` too.
 */
function boardJson(data: readonly RowData[], diagnostics: (string | number)[][][]): Record<string, unknown> {
  // The same list of diagnostics on many rows (the same warning in every year) is said once.
  const lists: (string | number)[][][] = [];
  const listIds = new Map<string, number>();
  const listOf = diagnostics.map((ds) => {
    const key = JSON.stringify(ds);
    let i = listIds.get(key);
    if (i === undefined) listIds.set(key, (i = lists.push(ds) - 1));
    return i;
  });
  // Text by how often it occurs, the most frequent first: the commonest get the shortest indices.
  const textCols = ROW_FIELDS.map((f, k) => (TEXT_FIELDS.has(f) ? k : -1)).filter((k) => k >= 0);
  const uses = new Map<string, number>();
  const count = (s: string): void => void uses.set(s, (uses.get(s) ?? 0) + 1);
  for (const k of textCols) for (const r of data) if (r[k] !== 0) count(String(r[k]));
  for (const ds of lists)
    for (const d of ds) {
      count(String(d[1]));
      count(String(d[4]));
    }
  // Stable: equally frequent text in the order first met (codes in the rows' order count up by one).
  const strings = [...uses.keys()].sort((a, b) => uses.get(b)! - uses.get(a)!);
  const ids = new Map(strings.map((s, i) => [s, i]));
  const cols: Record<string, Column> = {};
  ROW_FIELDS.forEach((f, k) => {
    const text = TEXT_FIELDS.has(f);
    const diag = f === 'diagnostics' || f === 'selfEvalDiagnostics';
    cols[f] = encodeColumn(
      data.map((r) => {
        const v = r[k]!;
        if (text) return v === 0 ? -1 : ids.get(String(v))!;
        return diag && v !== -1 ? listOf[Number(v)]! : Number(v);
      }),
    );
  });
  return {
    fields: ROW_FIELDS,
    statuses: STATUS_ORDER.map((s) => STATUS_LABELS[s].zh),
    files: FILE_BITS,
    n: data.length,
    text: ROW_FIELDS.filter((f) => TEXT_FIELDS.has(f)),
    cols,
    diagnostics: lists.map((ds) =>
      ds.map(([sev, code, line, col, msg]) => [sev, ids.get(String(code))!, line, col, ids.get(String(msg))!]),
    ),
    strings,
  };
}

/** Renders the index page. Entries in any order; the page is sorted (year desc, code). */
export function renderIndexHtml(entries: readonly IndexEntry[], opts: IndexPageOptions): string {
  let template = compiled.get(opts.template);
  if (!template) {
    // An isolated Handlebars environment: no helpers or partials leak in from other templates.
    template = Handlebars.create().compile(opts.template, { strict: true });
    compiled.set(opts.template, template);
  }
  // Self-evaluations are not rows of their own: each goes beside its department's targets documents.
  const selfEvals = new Map<string, IndexEntry>();
  for (const e of entries)
    if (SELF_EVAL_ENTRY.test(e.code)) selfEvals.set(`${e.fiscalYear}/${e.code.replace(SELF_EVAL_ENTRY, '')}`, e);
  entries = entries.filter((e) => !SELF_EVAL_ENTRY.test(e.code));
  const rows = boardRows(entries);
  const years: YearView[] = [];
  const data: RowData[] = [];
  // Each row's diagnostics: [severity (0 error, 1 warning), code, line, col, message].
  const diagnostics: (string | number)[][][] = [];
  for (const { entry: e, status } of rows) {
    let y = years.at(-1);
    const total = opts.pointsTotalFor?.(e.fiscalYear) ?? opts.pointsTotal;
    if (y?.year !== e.fiscalYear)
      years.push(
        (y = {
          year: e.fiscalYear,
          headline: '',
          counts: '',
          tally: noCounts(),
          pointsTotal: total !== undefined && total !== opts.pointsTotal ? formatNumber(total) : null,
          summary: opts.summaries?.has(e.fiscalYear) ? `${e.fiscalYear}/summary.html` : null,
        }),
      );
    y.tally[status]++;
    const built = status !== 'errors' && status !== 'missing';
    let files = 0;
    for (const f of OUTPUT_FORMATS) if (e.outputs[f]) files |= FILE_BITS[f];
    if (e.diff) files |= FILE_BITS.diff;
    let diag = -1;
    if (e.diagnostics?.length) {
      diag = diagnostics.length;
      diagnostics.push(e.diagnostics.map((d) => [d.severity === 'error' ? 0 : 1, d.code, d.line, d.col, d.message]));
    }
    data.push([
      e.fiscalYear,
      e.code,
      e.name,
      STATUS_ORDER.indexOf(status),
      built ? e.indicators : -1,
      built ? formatNumber(e.pointsSum) : '',
      built && total !== undefined && Math.abs(e.pointsSum - total) > 1e-9 ? 1 : 0,
      e.warnings,
      e.errors ?? 0,
      e.filed ?? '',
      e.reviewed ?? '',
      e.pages ?? -1,
      files,
      // The usual place as 0 (the page spells it out): thousands of rows, a fifth of the bytes.
      e.source === `data/${e.fiscalYear}/${e.code}.yaml` ? 0 : e.source,
      diag,
      e.failed ?? '',
      ...selfEvalData(selfEvals.get(`${e.fiscalYear}/${e.code}`), status),
      ...selfEvalProblems(selfEvals.get(`${e.fiscalYear}/${e.code}`), status, diagnostics),
    ]);
  }
  for (const y of years) {
    y.headline = headline(y.year, y.tally);
    y.counts = countsText(y.tally);
  }
  const tables = rows.filter((r) => r.status !== 'missing').length;
  return template({
    title: '部门整体绩效目标表 · 状态',
    yearCount: years.length,
    tables,
    departments: new Set(entries.map((e) => e.code)).size,
    pointsTotal: opts.pointsTotal === undefined ? null : formatNumber(opts.pointsTotal),
    years,
    boardData: scriptJson(boardJson(data, diagnostics)),
    commit: opts.commit
      ? { short: opts.commit.sha.slice(0, 12), sha: opts.commit.sha, dirty: opts.commit.dirty }
      : null,
    toolVersion: opts.toolVersion ?? null,
  });
}

/** A row of the page's data as an object (tests and tools read the board back with readBoard). */
export type BoardDataRow = Record<(typeof ROW_FIELDS)[number], string | number>;

/** The rows and diagnostics a rendered index page carries, the inverse of renderIndexHtml's data. */
export function readBoard(html: string): { rows: BoardDataRow[]; statuses: string[]; diagnostics: unknown[][][] } {
  const m = /<script type="application\/json" id="board-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no board data in the page');
  type Data = {
    fields: string[];
    statuses: string[];
    n: number;
    text: string[];
    cols: Record<string, Column>;
    diagnostics: number[][][];
    strings: string[];
  };
  const d = JSON.parse(m[1]!) as Data;
  const text = new Set(d.text);
  const cols = d.fields.map((f) =>
    decodeColumn(d.cols[f]!, d.n).map((v) => (text.has(f) ? (v < 0 ? 0 : d.strings[v]!) : v)),
  );
  const rows = Array.from(
    { length: d.n },
    (_, i) => Object.fromEntries(d.fields.map((f, k) => [f, cols[k]![i]!])) as BoardDataRow,
  );
  const diagnostics = d.diagnostics.map((ds) =>
    ds.map(([sev, code, line, col, msg]) => [sev, d.strings[code!], line, col, d.strings[msg!]]),
  );
  for (const r of rows) if (r.source === 0) r.source = `data/${r.year}/${r.code}.yaml`;
  for (const r of rows) if (r.selfEvalSource === 0) r.selfEvalSource = `data/${r.year}/${r.code}.self-eval.yaml`;
  return { rows, statuses: d.statuses, diagnostics };
}
