/**
 * Printing diagnostics at the edge, in the format the user asked for.
 */
import type { CheckedFile } from '../check/check-file.ts';
import type { Diagnostic, LocatedDiagnostic } from '../check/diagnostic.ts';
import {
  type DiagnosticFormat,
  formatGithub,
  formatText,
  locateDiagnostic,
  summaryLine,
} from '../check/format-diagnostics.ts';
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
  const all: LocatedDiagnostic[] = [];
  if (settings?.file && settings.lineCounter) {
    for (const d of settings.diagnostics)
      all.push(locateDiagnostic(settings.file, d, settings.text, settings.lineCounter, lang));
  }
  for (const f of files)
    for (const d of f.diagnostics) all.push(locateDiagnostic(f.file, d, f.source.text, f.source.lineCounter, lang));
  return all;
}

/** Prints every diagnostic; returns the counts. */
export function report(
  files: CheckedFile[],
  settings: LoadedSettings | undefined,
  opts: ReportOptions,
): { errors: number; warnings: number; located: LocatedDiagnostic[] } {
  const located = locateAll(files, settings, opts.lang);
  const texts = new Map<string, string>(files.map((f) => [f.file, f.source.text]));
  if (settings?.file) texts.set(settings.file, settings.text);
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
    for (const d of located)
      opts.out(formatText(d, { color: opts.color, ...(texts.get(d.file) ? { text: texts.get(d.file)! } : {}) }));
  const errors = located.filter((d) => d.severity === 'error').length;
  const warnings = located.length - errors;
  if (opts.summary !== false && opts.format === 'text')
    opts.out(summaryLine(files.length, errors, warnings, opts.lang, opts.of));
  return { errors, warnings, located };
}

export const countBySeverity = (ds: Diagnostic[]): { errors: number; warnings: number } => ({
  errors: ds.filter((d) => d.severity === 'error').length,
  warnings: ds.filter((d) => d.severity === 'warning').length,
});
