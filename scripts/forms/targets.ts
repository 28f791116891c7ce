/**
 * The targets form (部门（单位）整体绩效目标表) as a form kind: its checks and model from check/ and
 * model/, printed through the build's one print path (measured ahead, predicted, or printed during the
 * plan), and its Excel sheet.
 */
import { checkProject } from '../check/check-project.ts';
import { checkFiles, checkSource } from '../io/project.ts';
import type { DiffSide } from '../diff/changes.ts';
import { compareDepartments } from '../diff/compare.ts';
import { renderDiffHtml } from '../diff/format-html.ts';
import type { FormModel } from '../model/form-model.ts';
import { measureAhead, printForm } from '../build/print-form.ts';
import type { FormKind, RenderedDocument } from '../build/form-kind.ts';

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const targetsForm: FormKind<FormModel> = {
  id: 'targets',
  browserFormats: ['html', 'pdf'],
  checkFiles: (files, opts) =>
    checkFiles(files, {
      dataDir: opts.dataDir,
      root: opts.root,
      settings: opts.settings,
      cwd: opts.cwd,
      project: false,
      ...(opts.lean ? { lean: true } : {}),
      ...(opts.onChecked ? { onChecked: opts.onChecked } : {}),
      ...(opts.pace ? { pace: opts.pace } : {}),
    }),
  checkProject: (checked) => checkProject(checked),
  targetOf(c) {
    const data = c.data as { fiscal_year?: unknown; department?: { code?: unknown } } | undefined;
    const src = c.source.data as typeof data;
    for (const d of [data, src]) {
      if (
        d &&
        Number.isInteger(d.fiscal_year) &&
        typeof d.department?.code === 'string' &&
        CODE.test(d.department.code)
      )
        return { fiscalYear: d.fiscal_year as number, code: d.department.code };
    }
    return undefined;
  },
  indexColumns: (model) => ({
    indicators: model.rows.length,
    pointsSum: model.pointsSum,
    ...(ISO_DATE.test(model.filedIso) ? { filed: model.filedIso } : {}),
    // A model cached before reviewedIso existed has none (its check key changed with the model code).
    ...(ISO_DATE.test(model.reviewedIso ?? '') ? { reviewed: model.reviewedIso } : {}),
  }),
  diffHtml(from, to, settings, src) {
    const side = (s: typeof from): DiffSide | undefined => {
      const c = checkSource(s.shown, s.bytes, { settings, dataPath: s.dataPath });
      return c.model && c.data ? { file: c.file, data: c.data, model: c.model } : undefined;
    };
    const [a, b] = [side(from), side(to)];
    if (!a || !b) return undefined;
    const report = { fromLabel: from.label, toLabel: to.label, departments: [compareDepartments(a, b)] };
    return renderDiffHtml(report, src, { lang: 'zh', layout: 'inline' });
  },
  nameOf(c) {
    for (const d of [c.data, c.source.data] as { department?: { name?: unknown } }[]) {
      const name = d?.department?.name;
      if (typeof name === 'string' && name.trim()) return name.trim();
    }
    return undefined;
  },
  async render(doc, formats, ctx): Promise<RenderedDocument> {
    const wantHtml = formats.includes('html');
    const wantPdf = formats.includes('pdf');
    const form = wantHtml || wantPdf ? await printForm(doc, ctx, wantPdf) : undefined;
    // The workbook breaks its pages where the PDF does, so it comes after the print (~1 ms).
    const xlsx = formats.includes('xlsx')
      ? await ctx.renderXlsx!(doc.model, { settings: ctx.settings.settings, ...(form ? { pages: form.pages } : {}) })
      : undefined;
    return {
      files: { html: wantHtml ? form?.html : undefined, pdf: form?.pdf, xlsx },
      ...(form ? { pages: form.pages, overfull: form.overfull, requests: form.requests } : {}),
    };
  },
  prepare: (docs, ctx) => measureAhead(docs, ctx),
};
