/**
 * The year-end 自评表 (SELF-EVAL.md) as a form kind: its sources are the `<code>.self-eval.yaml` files,
 * each checked and scored against the targets file beside it (check/self-eval.ts); its outputs are
 * `out/<year>/<code>.self-eval.pdf|html|xlsx`. The model holds what the targets file contributes (goals,
 * indicators, rules' scores), so a changed targets file changes its key and re-renders it.
 *
 * Printed like the targets form, more simply: the rows are measured once in Chromium on a page of the
 * build's pool, cut into pages (render/self-eval-form.ts), shown, checked for overflow and printed.
 */
import type { Page } from 'puppeteer-core';
import { FOOTER_GAP_PX, MEASURE_BATCH, printPdf, showDocument } from '../browser/form-page.ts';
import { call } from '../browser/page-code/evaluate.ts';
import {
  readSelfEvalMeasure,
  readSelfEvalMeasures,
  readSelfEvalOverflow,
} from '../browser/page-code/self-eval-code.ts';
import type { FormKind, KindChecked, RenderedDocument } from '../build/form-kind.ts';
import { findSelfEvalFiles } from '../io/files.ts';
import { leanSource, ownModel } from '../io/project.ts';
import { checkSelfEvalFiles } from '../io/self-eval.ts';
import { readSelfEvalCss } from '../io/templates.ts';
import { TOOL_VERSION } from '../io/version.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';
import { setPdfInfo } from '../render/pdf-info.ts';
import type { PageSlice } from '../render/paginate.ts';
import {
  paginateSelfEval,
  SELF_EVAL_CLASSES,
  SELF_EVAL_CODE_SUFFIX,
  SELF_EVAL_TITLE,
  type SelfEvalMeasure,
  type SelfEvalModel,
  type SelfEvalPage,
  selfEvalHtml,
  selfEvalMeasureHtml,
  selfEvalModel,
} from '../render/self-eval-form.ts';
import { renderSelfEvalXlsx } from '../render/self-eval-xlsx.ts';
import { targetsPathOf } from '../io/self-eval.ts';
import { existsSync } from 'node:fs';

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

let css: Promise<string> | undefined;

export interface PrintedSelfEval {
  html: string;
  pdf?: Uint8Array;
  pages: SelfEvalPage[];
}

/**
 * Measures several 自评表 in one swap: their measuring documents' bodies one under the other, each in
 * its own `<main>` (the sheets have a fixed width, so a row measures the same alone or in a batch), at
 * most MEASURE_BATCH at a time, per year folder. One swap and one layout for several costs less than
 * one each, as for the targets form (browser/form-page.ts measureForms).
 */
export async function measureSelfEvals(
  page: Page,
  models: readonly SelfEvalModel[],
  sheetCss: string,
): Promise<SelfEvalMeasure[]> {
  const out = new Array<SelfEvalMeasure>(models.length);
  const byYear = new Map<number, number[]>();
  models.forEach((m, i) => byYear.set(m.fiscalYear, [...(byYear.get(m.fiscalYear) ?? []), i]));
  for (const index of byYear.values()) {
    for (let start = 0; start < index.length; start += MEASURE_BATCH) {
      const batch = index.slice(start, start + MEASURE_BATCH);
      const html = batch.map((i) => selfEvalMeasureHtml(models[i]!, { css: sheetCss }));
      const first = html[0]!;
      const head = first.slice(0, first.indexOf('<body'));
      const bodies = html.map((h) => h.slice(h.indexOf('>', h.indexOf('<body')) + 1, h.lastIndexOf('</body>')));
      const m = models[batch[0]!]!;
      const [measured] = await showDocument(
        page,
        `${m.fiscalYear}/${m.code}.html`,
        `${head}<body>${bodies.join('')}</body></html>`,
        call(readSelfEvalMeasures, FOOTER_GAP_PX, SELF_EVAL_CLASSES),
      );
      if (measured.length !== batch.length) throw new Error(`measured ${measured.length} forms of ${batch.length}`);
      batch.forEach((i, k) => (out[i] = measured[k]!));
    }
  }
  return out;
}

/** Measurements taken ahead in a batch (selfEvalForm.prepare), each used once by its render. */
const measuredAhead = new WeakMap<SelfEvalModel, SelfEvalMeasure>();

/**
 * Measures (unless `measured` is given), paginates, checks and (with `pdf`) prints one 自评表 on a
 * sealed page.
 */
export async function printSelfEval(
  page: Page,
  m: SelfEvalModel,
  sheetCss: string,
  pdf: boolean,
  measured?: SelfEvalMeasure,
): Promise<PrintedSelfEval> {
  const docPath = `${m.fiscalYear}/${m.code}.html`;
  const opts = { css: sheetCss };
  const [measure] = measured
    ? [measured]
    : await showDocument(
        page,
        docPath,
        selfEvalMeasureHtml(m, opts),
        call(readSelfEvalMeasure, FOOTER_GAP_PX, SELF_EVAL_CLASSES),
      );
  let room = measure.pageHeight;
  let pages: SelfEvalPage[] = [];
  let html = '';
  for (let attempt = 0; ; attempt++) {
    pages = paginateSelfEval(measure, room);
    html = selfEvalHtml(m, pages, opts);
    const [overflows] = await showDocument(
      page,
      docPath,
      html,
      call(readSelfEvalOverflow, FOOTER_GAP_PX, SELF_EVAL_CLASSES),
    );
    // A page with a single row (or the title block alone) cannot be helped by cutting again.
    const fixable = overflows.filter(
      (o, i) => o > 0.5 && pages[i]!.end - pages[i]!.start + (pages[i]!.lead ? 1 : 0) > 1,
    );
    if (fixable.length === 0) break;
    if (attempt >= 3) throw new Error(`page content overflows by ${Math.max(...fixable).toFixed(1)}px`);
    room -= Math.ceil(Math.max(...fixable)) + 1;
  }
  if (!pdf) return { html, pages };
  const raw = await printPdf(page);
  return {
    html,
    pages,
    pdf: setPdfInfo(raw, {
      title: `${m.name} ${m.fiscalYear}年度 ${SELF_EVAL_TITLE}`,
      author: m.name,
      subject: `${m.title}${m.yearLine}`,
      keywords: [m.title, `${m.fiscalYear}年度`, m.name, m.department].join(', '),
      creator: `jxmb ${TOOL_VERSION}`,
      date: m.filedIso ?? `${m.fiscalYear + 1}-01-01`,
    }),
  };
}

export const selfEvalForm: FormKind<SelfEvalModel> = {
  id: 'self-eval',
  browserFormats: ['html', 'pdf'],
  sources: {
    find: (dataDir) => findSelfEvalFiles(dataDir),
    // A targets file given on the command line brings its self-evaluation along (when there is one).
    select: (expanded) => [
      ...new Set(
        expanded.flatMap((f) => {
          if (isSelfEvalPath(f)) return [f];
          const beside = f.replace(/\.ya?ml$/i, '.self-eval.yaml');
          return existsSync(beside) && targetsPathOf(beside) === f ? [beside] : [];
        }),
      ),
    ],
  },
  async checkFiles(files, opts) {
    const options = {
      dataDir: opts.dataDir,
      settings: opts.settings,
      cwd: opts.cwd,
      root: opts.root,
      ...(opts.handover ? { handover: opts.handover } : {}),
    };
    // Each kept small as soon as it is checked with `lean` (its model copied, text packed), as targets are.
    return checkSelfEvalFiles(files, options, (c): KindChecked<SelfEvalModel> => {
      const out: KindChecked<SelfEvalModel> = { file: c.file, source: c.source, diagnostics: c.diagnostics };
      if (c.evaluation && c.data && c.targets) out.model = selfEvalModel(c.targets, c.data, c.evaluation);
      if (opts.lean && out.model) out.model = ownModel(out.model);
      opts.onChecked?.(out);
      if (opts.lean) leanSource(out);
      return out;
    });
  },
  checkProject: () => undefined,
  targetOf(c) {
    const d = c.source.data as { fiscal_year?: unknown; department?: unknown } | undefined;
    if (d && Number.isInteger(d.fiscal_year) && typeof d.department === 'string' && CODE.test(d.department))
      return { fiscalYear: d.fiscal_year as number, code: `${d.department}${SELF_EVAL_CODE_SUFFIX}` };
    return undefined;
  },
  indexColumns: (m) => ({
    indicators: m.rows.length,
    pointsSum: m.pointsTotal,
    ...(m.filedIso ? { filed: m.filedIso } : {}),
    selfEval: { total: m.total, grade: m.grade, pointsTotal: m.pointsTotal },
  }),
  nameOf: (c) => c.model?.name,
  // The forms a worker is about to print, measured together (a failure leaves each to measure itself).
  async prepare(docs, ctx) {
    const models = docs
      .filter((d) => (d.todo ?? ctx.formats).some((f) => f === 'html' || f === 'pdf'))
      .map((d) => d.model);
    if (!ctx.pool || models.length < 2) return;
    css ??= readSelfEvalCss();
    const sheetCss = await css;
    const measured = await ctx.pool.withPage((page) => measureSelfEvals(page, models, sheetCss)).catch(() => undefined);
    measured?.forEach((m, i) => measuredAhead.set(models[i]!, m));
  },
  async render(doc, formats, ctx): Promise<RenderedDocument> {
    const wantHtml = formats.includes('html');
    const wantPdf = formats.includes('pdf');
    css ??= readSelfEvalCss();
    const sheetCss = await css;
    const measured = measuredAhead.get(doc.model);
    measuredAhead.delete(doc.model);
    const printed =
      wantHtml || wantPdf
        ? await ctx.pool!.withPage((page) => printSelfEval(page, doc.model, sheetCss, wantPdf, measured))
        : undefined;
    // The workbook breaks its pages where the PDF does, so it comes after the print.
    const xlsx = formats.includes('xlsx')
      ? renderSelfEvalXlsx(doc.model, printed ? { pages: printed.pages } : {})
      : undefined;
    const pages = printed?.pages.map((p): PageSlice => ({ start: p.start, end: p.end, lead: p.lead, review: p.tail }));
    return {
      files: { html: wantHtml ? printed?.html : undefined, pdf: printed?.pdf, xlsx },
      ...(pages ? { pages } : {}),
    };
  },
};
