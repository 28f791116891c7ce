/**
 * The bureau's summary of each year's self-evaluations (render/summary.ts): `out/<year>/summary.html`
 * and `summary.xlsx`, written after the self-evaluations are planned, from every valid one of the year.
 * Only a full build writes them (a build of some paths does not see the whole year); a full build also
 * removes the summaries of years left without any self-evaluation. Files are written only when their
 * bytes change, so a rebuild writes nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileIfChanged } from '../io/files.ts';
import { readSummaryTemplate } from '../io/templates.ts';
import { TOOL_VERSION } from '../io/version.ts';
import type { SelfEvalModel } from '../render/self-eval-form.ts';
import {
  renderSummaryXlsx,
  SUMMARY_FILE,
  summarizeYear,
  summaryHtml,
  summaryInput,
  type SummaryInput,
} from '../render/summary.ts';
import { releaseModel } from './park.ts';
import type { BuildPlan } from './plan.ts';

export const summaryPath = (outDir: string, fiscalYear: number, ext: 'html' | 'xlsx'): string =>
  path.join(outDir, String(fiscalYear), `${SUMMARY_FILE}.${ext}`);

export interface WrittenSummaries {
  /** Files written (their bytes changed). */
  written: string[];
  /** Summaries of years without self-evaluations, removed. */
  removed: string[];
}

export async function writeSummaries(plan: BuildPlan<SelfEvalModel>, outDir: string): Promise<WrittenSummaries> {
  const done: WrittenSummaries = { written: [], removed: [] };
  if (!plan.complete || plan.settingsFailed) return done;
  // What a summary reads of each (the models may be parked: each read back, taken from, and let go).
  const byYear = new Map<number, SummaryInput[]>();
  for (const d of plan.documents) {
    const list = byYear.get(d.at.fiscalYear) ?? [];
    list.push(summaryInput(d.model));
    byYear.set(d.at.fiscalYear, list);
    releaseModel(d);
  }
  const excluded = new Map<number, number>();
  for (const f of plan.failed) {
    const year = f.targets[0]?.fiscalYear ?? f.row?.fiscalYear;
    if (year !== undefined) excluded.set(year, (excluded.get(year) ?? 0) + 1);
  }
  const template = byYear.size ? await readSummaryTemplate() : '';
  for (const [year, models] of [...byYear].sort((a, b) => a[0] - b[0])) {
    const s = summarizeYear(year, models, excluded.get(year) ?? 0);
    await fs.mkdir(path.join(outDir, String(year)), { recursive: true });
    const html = summaryPath(outDir, year, 'html');
    const xlsx = summaryPath(outDir, year, 'xlsx');
    if (await writeFileIfChanged(html, summaryHtml(s, template, TOOL_VERSION))) done.written.push(html);
    if (await writeFileIfChanged(xlsx, renderSummaryXlsx(s))) done.written.push(xlsx);
  }
  const years = await fs.readdir(outDir).catch(() => [] as string[]);
  for (const y of years) {
    if (!/^\d{4}$/.test(y) || byYear.has(Number(y))) continue;
    for (const ext of ['html', 'xlsx'] as const) {
      const file = summaryPath(outDir, Number(y), ext);
      if (
        await fs.rm(file).then(
          () => true,
          () => false,
        )
      )
        done.removed.push(file);
    }
  }
  return done;
}

/** The years under out/ that have a summary (the index links them). */
export async function summaryYears(outDir: string): Promise<Set<number>> {
  const years = await fs.readdir(outDir).catch(() => [] as string[]);
  const out = new Set<number>();
  for (const y of years)
    if (/^\d{4}$/.test(y) && (await fs.stat(summaryPath(outDir, Number(y), 'html')).catch(() => undefined)))
      out.add(Number(y));
  return out;
}
