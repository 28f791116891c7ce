/**
 * Printing diagnostics at the edge, in the format the user asked for.
 */
import type { CheckedFile } from '../check/check-file.ts';
import type { Diagnostic, LocatedDiagnostic } from '../check/diagnostic.ts';
import { type FileReport, fileReport } from '../check/file-report.ts';
import { type DiagnosticFormat, formatGithub, formatText, summaryLine } from '../check/format-diagnostics.ts';
import type { Lang } from '../check/messages.ts';
import type { LoadedSettings } from './project.ts';

export interface ReportOptions {
  format: DiagnosticFormat;
  lang: Lang;
  color: boolean;
  out: (s: string) => void;
  /** Print the closing summary line (text format only). */
  summary?: boolean;
  /** How many files there were when only some were checked (`validate --git`): the summary says "N of M". */
  of?: number;
}

export function locateAll(files: CheckedFile[], settings: LoadedSettings | undefined, lang: Lang): LocatedDiagnostic[] {
  return reportsOf(files, settings, lang).flatMap((r) => r.located);
}

/** The settings file's report, when it was read (its diagnostics are printed first). */
export function settingsReports(settings: LoadedSettings | undefined, lang: Lang): FileReport[] {
  if (!settings?.file || !settings.lineCounter) return [];
  const { file, text, lineCounter, diagnostics } = settings;
  return [fileReport({ file, source: { text, lineCounter, diagnostics: [] }, diagnostics }, lang)];
}

/** The settings file's report and each file's, in that order. */
function reportsOf(files: CheckedFile[], settings: LoadedSettings | undefined, lang: Lang): FileReport[] {
  return [...settingsReports(settings, lang), ...files.map((f) => fileReport(f, lang))];
}

/** Prints every diagnostic; returns the counts. */
export function report(
  files: CheckedFile[],
  settings: LoadedSettings | undefined,
  opts: ReportOptions,
): { errors: number; warnings: number; located: LocatedDiagnostic[] } {
  const reports = reportsOf(files, settings, opts.lang);
  return reportFiles(reports, { ...opts, checked: files.length });
}

/**
 * Prints reports (FileReport: what a checked file leaves for printing); returns the counts. `checked`:
 * how many files the summary line says were checked (default: the reports').
 */
export function reportFiles(
  reports: readonly FileReport[],
  opts: ReportOptions & { checked?: number },
): { errors: number; warnings: number; located: LocatedDiagnostic[] } {
  const located = reports.flatMap((r) => r.located);
  if (opts.format === 'json')
    opts.out(
      JSON.stringify(
        located.map(({ file, line, column, severity, code, message }) => ({
          file,
          line,
          column,
          severity,
          code,
          message,
        })),
        null,
        2,
      ),
    );
  else if (opts.format === 'github') for (const d of located) opts.out(formatGithub(d));
  else
    for (const r of reports)
      for (const d of r.located) {
        const line = r.lines[d.line];
        opts.out(formatText(d, { color: opts.color, ...(line !== undefined ? { line } : {}) }));
      }
  const errors = located.filter((d) => d.severity === 'error').length;
  const warnings = located.length - errors;
  if (opts.summary !== false && opts.format === 'text')
    opts.out(summaryLine(opts.checked ?? reports.length, errors, warnings, opts.lang, opts.of));
  return { errors, warnings, located };
}

export const countBySeverity = (ds: Diagnostic[]): { errors: number; warnings: number } => ({
  errors: ds.filter((d) => d.severity === 'error').length,
  warnings: ds.filter((d) => d.severity === 'warning').length,
});
