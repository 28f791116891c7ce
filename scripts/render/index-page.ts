/**
 * IndexEntry[] → out/index.html: every fiscal year and department, links to its files, indicator
 * count, points total, warnings, and a filter box. Pure: template text and entries in, HTML out.
 *
 * The page opens from disk (file://): links are relative to the out folder, the stylesheet and the
 * few lines of filter script are inline, nothing is fetched. Unlike the form pages it may run script —
 * it is our page, not a document that gets signed. The template is compiled in strict mode and every
 * piece of data goes through `{{…}}` (escaped).
 */
import Handlebars from 'handlebars';
import { formatNumber } from '../model/scoring.ts';
import { OUTPUT_FORMATS, type IndexEntry, type OutputFormat } from './outputs.ts';

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
}

/** Link labels, in the order the page shows them. */
export const FORMAT_LABELS: Record<OutputFormat, string> = { pdf: 'PDF', html: 'HTML', xlsx: 'Excel' };

/** Year descending (the current year first), then department code: the order of the page and the manifest. */
export function compareEntries(
  a: Pick<IndexEntry, 'fiscalYear' | 'code'>,
  b: Pick<IndexEntry, 'fiscalYear' | 'code'>,
): number {
  return b.fiscalYear - a.fiscalYear || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** `2025/zhijiang-swkjgxj.pdf` → an href that works from file:// and on a server (segments encoded). */
export const relativeHref = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

interface LinkView {
  label: string;
  href: string | null;
}

interface RowView {
  code: string;
  name: string;
  source: string;
  indicators: number;
  points: string;
  pointsOff: boolean;
  warnings: number;
  search: string;
  links: LinkView[];
}

interface YearView {
  year: number;
  count: number;
  /** The year's points total when it differs from the page's. */
  pointsTotal: string | null;
  rows: RowView[];
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders the index page. Entries in any order; the page is sorted (year desc, code). */
export function renderIndexHtml(entries: readonly IndexEntry[], opts: IndexPageOptions): string {
  let template = compiled.get(opts.template);
  if (!template) {
    // An isolated Handlebars environment: no helpers or partials leak in from other templates.
    template = Handlebars.create().compile(opts.template, { strict: true });
    compiled.set(opts.template, template);
  }
  const sorted = [...entries].sort(compareEntries);
  const years: YearView[] = [];
  for (const e of sorted) {
    let y = years.at(-1);
    const total = opts.pointsTotalFor?.(e.fiscalYear) ?? opts.pointsTotal;
    if (y?.year !== e.fiscalYear)
      years.push(
        (y = {
          year: e.fiscalYear,
          count: 0,
          rows: [],
          pointsTotal: total !== undefined && total !== opts.pointsTotal ? formatNumber(total) : null,
        }),
      );
    y.count++;
    y.rows.push({
      code: e.code,
      name: e.name,
      source: e.source,
      indicators: e.indicators,
      points: formatNumber(e.pointsSum),
      pointsOff: total !== undefined && Math.abs(e.pointsSum - total) > 1e-9,
      warnings: e.warnings,
      search: `${e.fiscalYear} ${e.code} ${e.name}`.toLowerCase(),
      links: OUTPUT_FORMATS.map((f) => ({
        label: FORMAT_LABELS[f],
        href: e.outputs[f] ? relativeHref(e.outputs[f]) : null,
      })),
    });
  }
  return template({
    title: '部门整体绩效目标表 · 索引',
    departments: sorted.length,
    yearCount: years.length,
    withWarnings: sorted.filter((e) => e.warnings > 0).length,
    pointsTotal: opts.pointsTotal === undefined ? null : formatNumber(opts.pointsTotal),
    years,
    commit: opts.commit
      ? { short: opts.commit.sha.slice(0, 12), sha: opts.commit.sha, dirty: opts.commit.dirty }
      : null,
    toolVersion: opts.toolVersion ?? null,
  });
}
