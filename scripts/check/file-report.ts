/**
 * A checked file reduced to what is printed and what the rules across files need: its diagnostics placed
 * (line:col, message) with the source lines they point at, and its year and code with where the code is
 * written. `validate` over a province's thousands of files keeps these, never the parsed files, so its
 * memory does not grow with the files' size (issue 17). Pure; plain data (it crosses worker threads).
 */
import type { CheckedFile } from './check-file.ts';
import { type CodeClash, codePosition, identityOf } from './check-project.ts';
import { diag, type LocatedDiagnostic } from './diagnostic.ts';
import { locateDiagnostic } from './format-diagnostics.ts';
import { type Lang, messageFor } from './messages.ts';

export interface FileReport {
  file: string;
  located: LocatedDiagnostic[];
  /** The source lines the diagnostics point at, by line number (1-based): the excerpts under them. */
  lines: Record<number, string>;
  /** Its year and code (for the rules across files), and where the code is written, with that line. */
  identity?: { year: number; code: string; at: Place };
}

/** A span placed as a diagnostic is, and the text of its first line. */
export interface Place {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

/**
 * A copy of `s` that holds nothing else: V8 keeps a substring as a view of the string it was cut from, so
 * a code or a line kept from a file would keep the whole file's text alive (measured: ~19 KB a file).
 */
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

const lineOf = (text: string, line: number): string => {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return own(text.slice(start, end < 0 ? undefined : end));
};

/** The report of a checked file, its messages in `lang`. */
export function fileReport(c: CheckedFile, lang: Lang): FileReport {
  // The text is read only when something points into it (a lean build's clean file keeps it packed).
  const located = c.diagnostics.map((d) => {
    const l = locateDiagnostic(c.file, d, c.source.text, c.source.lineCounter, lang);
    return { ...l, file: own(l.file), message: own(l.message) };
  });
  const lines: Record<number, string> = {};
  if (located.length) {
    const text = c.source.text;
    for (const d of located) if (text && !(d.line in lines)) lines[d.line] = lineOf(text, d.line);
  }
  const report: FileReport = { file: own(c.file), located, lines };
  const id = identityOf(c);
  if (id) {
    const at = codePosition(c);
    let place: Place = { line: 1, column: 1, endLine: 1, endColumn: 2, text: '' };
    if (c.source.doc || c.codePos) {
      const { text, lineCounter } = c.source;
      const where = locateDiagnostic(c.file, diag('DUPLICATE_CODE', 'error', at), text, lineCounter, lang);
      const { line, column, endLine, endColumn } = where;
      place = { line, column, endLine, endColumn, text: text ? lineOf(text, line) : '' };
    }
    report.identity = { year: id.year, code: own(id.code), at: place };
  }
  return report;
}

/** DUPLICATE_CODE for a report whose code another file uses (codeClashes), placed at its code. */
export function addClash(report: FileReport, clash: Omit<CodeClash, 'index'>, lang: Lang): void {
  const at = report.identity?.at ?? { line: 1, column: 1, endLine: 1, endColumn: 1, text: '' };
  const { line, column, endLine, endColumn } = at;
  const args = { code: clash.code, year: clash.year, other: clash.other };
  const message = messageFor('DUPLICATE_CODE', args, lang);
  addLocated(
    report,
    { file: report.file, line, column, endLine, endColumn, severity: 'error', code: 'DUPLICATE_CODE', message },
    at.text,
  );
}

/** Adds a diagnostic found later (a rule across files) at its place among the report's, in order. */
export function addLocated(report: FileReport, d: LocatedDiagnostic, lineText: string): void {
  const i = report.located.findIndex((x) => x.line > d.line || (x.line === d.line && x.column > d.column));
  report.located.splice(i < 0 ? report.located.length : i, 0, d);
  if (!(d.line in report.lines)) report.lines[d.line] = lineText;
}

/** Whether a report carries errors. */
export const reportHasErrors = (r: FileReport): boolean => r.located.some((d) => d.severity === 'error');
