/**
 * What `jxmb import` says: an import's diagnostics at their place in the source (one file), and the
 * report of a batch — per source file the forms found, the YAML written and the counts, the files that
 * need a person first — as text or one JSON document. Pure: returns strings or calls `say`.
 */
import type { CheckedFile } from '../check/check-file.ts';
import { escapeControls } from '../check/characters.ts';
import type { DiagnosticCode, Severity } from '../check/diagnostic.ts';
import { formatText } from '../check/format-diagnostics.ts';
import { type Lang, messageFor } from '../check/messages.ts';
import { locate, rangeOf } from '../load/positions.ts';
import { describeRef, type Grid, type ImportDiagnostic, type SourceRef } from './grid.ts';
import { MAX_WARNINGS_PER_CODE } from './limits.ts';
import type { ParsedForm } from './parse-form.ts';

const paint = (color: boolean, code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
/** Names and cell text come from the files: shown escaped, never sent to the terminal raw. */
const safe = (t: string): string => escapeControls(t, { newlines: false });

/** Where an import diagnostic is: `file:Sheet1!H12`, `file:12:3`, or the file. */
export function importWhere(file: string, d: ImportDiagnostic, grid: Grid | undefined): string {
  if (!d.at) return file;
  return `${file}:${describeRef(d.at, d.at.kind === 'text' ? grid?.text : undefined)}`;
}

/**
 * Prints import diagnostics at their place in the source: `file:Sheet1!H12`, `file:12:3`, or the file.
 * A sheet full of stray cells gives thousands of one warning: the first MAX_WARNINGS_PER_CODE of each
 * code and severity are printed, the rest counted in one line, so the output stays readable.
 */
export function printImport(
  say: (s: string) => void,
  file: string,
  grid: Grid | undefined,
  ds: ImportDiagnostic[],
  lang: Lang,
  color: boolean,
): void {
  const seen = new Map<string, number>();
  for (const d of ds) {
    const key = `${d.severity} ${d.code}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > MAX_WARNINGS_PER_CODE) continue;
    const message = messageFor(d.code, d.args, lang);
    if (d.at?.kind === 'text' && grid?.text !== undefined) {
      const [line, column] = describeRef(d.at, grid.text).split(':').map(Number) as [number, number];
      say(
        formatText(
          { file, line, column, endLine: line, endColumn: column, severity: d.severity, code: d.code, message },
          { color },
        ),
      );
    } else {
      const sev = d.severity === 'error' ? paint(color, '31;1', 'error') : paint(color, '33;1', 'warning');
      const where = paint(color, '1', safe(importWhere(file, d, grid)));
      say(`${where}  ${sev}  ${paint(color, '2', d.code)}  ${safe(message)}`);
    }
  }
  for (const [key, n] of seen) {
    if (n <= MAX_WARNINGS_PER_CODE) continue;
    const [severity, code] = key.split(' ') as [string, string];
    const more = n - MAX_WARNINGS_PER_CODE;
    const kind =
      lang === 'en' ? (severity === 'error' ? 'errors' : 'warnings') : severity === 'error' ? '错误' : '警告';
    say(
      lang === 'en'
        ? `${safe(file)}  … and ${more} more ${kind} of the same kind (${code}), not listed`
        : `${safe(file)}  …以及另外 ${more} 条同类${kind}（${code}），未逐条列出`,
    );
  }
}

/**
 * The check of a written YAML without its findings about values the import already reported missing
 * (`IMPORT_MISSING` at the source, left empty): an empty `phone: ""` is then not reported a second time
 * as EMPTY_VALUE, nor an empty date as DATE_INVALID.
 */
export function withoutRepeats(checked: CheckedFile, missing: ParsedForm['missing']): CheckedFile {
  const doc = checked.source.doc;
  if (!doc || !missing?.length) return checked;
  const spans = missing.flatMap((p) => {
    const r = rangeOf(locate(doc, p).node);
    return r ? [r] : [];
  });
  const repeated = (offset: number): boolean => spans.some((r) => r[0] <= offset && offset < r[1]);
  return { ...checked, diagnostics: checked.diagnostics.filter((d) => !repeated(d.pos[0])) };
}

/** The source cell of the smallest imported value whose YAML span holds an offset. */
export function sourceFinder(
  checked: CheckedFile,
  sources: ParsedForm['sources'],
): (offset: number) => SourceRef | undefined {
  const doc = checked.source.doc;
  if (!doc) return () => undefined;
  const spans = sources.flatMap((s) => {
    const r = rangeOf(locate(doc, s.path).node);
    return r ? [{ r, ref: s.ref }] : [];
  });
  return (offset) => {
    let best: (typeof spans)[number] | undefined;
    for (const s of spans)
      if (s.r[0] <= offset && offset < s.r[1] && (!best || s.r[1] - s.r[0] < best.r[1] - best.r[0])) best = s;
    return best?.ref;
  };
}

/** A diagnostic as the report carries it: its place as a path the user can open, its message in words. */
export interface ReportedDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** `src.xlsx:Sheet1!H12`, `src.tsv:12:3`, `data/2025/x.yaml:14:7`, or a file alone. */
  where: string;
  message: string;
  /** For a finding in the written YAML: the cell or line of the source the value came from. */
  source?: string;
}

export interface FormResult {
  department: string;
  /** null when none could be had (no year read, no code derived). */
  code: string | null;
  year: number | null;
  /** The YAML's path as shown (written, or to be written in a dry run); null when none could be made. */
  output: string | null;
  written: boolean;
  /** Not written (or in a dry run: would not be) for a reason of its own: no year or code, exists, a duplicate. */
  blocked: boolean;
  errors: number;
  warnings: number;
  diagnostics: ReportedDiagnostic[];
}

export interface FileResult {
  source: string;
  forms: FormResult[];
  /** The file's own diagnostics (unreadable, no form in it), before any form's. */
  diagnostics: ReportedDiagnostic[];
  errors: number;
  warnings: number;
  /** Why no form was read from the file, in words. */
  problem?: string;
}

export interface Totals {
  files: number;
  forms: number;
  written: number;
  /** Forms that would be written (a dry run), or were. */
  planned: number;
  errors: number;
  warnings: number;
  /** Files from which no form could be read. */
  failed: number;
}

const count = (ds: readonly ReportedDiagnostic[], s: Severity): number => ds.filter((d) => d.severity === s).length;

/** A file's result with its counts and problem filled in from its diagnostics and forms. */
export function fileResult(source: string, diagnostics: ReportedDiagnostic[], forms: FormResult[]): FileResult {
  const errors = count(diagnostics, 'error') + forms.reduce((n, f) => n + f.errors, 0);
  const warnings = count(diagnostics, 'warning') + forms.reduce((n, f) => n + f.warnings, 0);
  const problem = forms.length ? undefined : diagnostics.find((d) => d.severity === 'error')?.message;
  return { source, forms, errors, warnings, ...(problem !== undefined ? { problem } : {}), diagnostics };
}

/** A form's result with its counts filled in from its diagnostics. */
export const formResult = (f: Omit<FormResult, 'errors' | 'warnings'>): FormResult => ({
  department: f.department,
  code: f.code,
  year: f.year,
  output: f.output,
  written: f.written,
  blocked: f.blocked,
  errors: count(f.diagnostics, 'error'),
  warnings: count(f.diagnostics, 'warning'),
  diagnostics: f.diagnostics,
});

/** 0 failed (no form read), 1 with errors, 2 with warnings, 3 clean: the order files need a person in. */
export const urgency = (f: FileResult): number => (!f.forms.length ? 0 : f.errors ? 1 : f.warnings ? 2 : 3);

/** Files needing a person first (failed, errors, warnings, clean), by source path within each group. */
export const sortResults = (files: readonly FileResult[]): FileResult[] =>
  [...files].sort((a, b) => urgency(a) - urgency(b) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));

export function totals(files: readonly FileResult[]): Totals {
  return {
    files: files.length,
    forms: files.reduce((n, f) => n + f.forms.length, 0),
    written: files.reduce((n, f) => n + f.forms.filter((x) => x.written).length, 0),
    planned: files.reduce((n, f) => n + f.forms.filter((x) => x.output !== null && !x.blocked).length, 0),
    errors: files.reduce((n, f) => n + f.errors, 0),
    warnings: files.reduce((n, f) => n + f.warnings, 0),
    failed: files.filter((f) => urgency(f) === 0).length,
  };
}

/** The report as one JSON document (stdout of `--format json`). */
export function reportJson(files: readonly FileResult[], opts: { dryRun: boolean }): string {
  const sorted = sortResults(files);
  return JSON.stringify({ dryRun: opts.dryRun, files: sorted, totals: totals(sorted) }, null, 2);
}

/** How many of a form's errors are listed under it in the text report (all are in the JSON). */
export const LISTED_PER_FORM = 10;

/** The report as lines of text for a terminal or a log. */
export function reportText(
  files: readonly FileResult[],
  opts: { lang: Lang; color: boolean; dryRun: boolean },
): string[] {
  const en = opts.lang === 'en';
  const c = (code: string, s: string): string => paint(opts.color, code, s);
  const n = (k: number, zh: string, one: string, many = `${one}s`): string =>
    en ? `${k} ${k === 1 ? one : many}` : `${k} ${zh}`;
  const counts = (e: number, w: number): string =>
    `${n(e, '个错误', 'error')}${en ? ', ' : '，'}${n(w, '个警告', 'warning')}`;
  const TAGS: Array<[string, string, string]> = [
    ['31;1', '失败', 'FAILED'],
    ['31;1', '有错误', 'ERRORS'],
    ['33;1', '有警告', 'WARNINGS'],
    ['32', '通过', 'OK'],
  ];
  const lines: string[] = [];
  const sorted = sortResults(files);
  for (const f of sorted) {
    const [tagColor, zh, eng] = TAGS[urgency(f)]!;
    const tag = c(tagColor, en ? eng : zh);
    const head = `${tag}  ${c('1', safe(f.source))}`;
    if (!f.forms.length) {
      lines.push(`${head}  ${safe(f.problem ?? f.diagnostics[0]?.message ?? '')}`);
      for (const d of f.diagnostics.slice(1)) lines.push(`    ${d.severity}  ${d.code}  ${safe(d.message)}`);
      continue;
    }
    lines.push(`${head}  ${n(f.forms.length, '张表', 'form')}${en ? '; ' : '；'}${counts(f.errors, f.warnings)}`);
    for (const d of f.diagnostics) lines.push(`    ${safe(d.where)}  ${d.severity}  ${d.code}  ${safe(d.message)}`);
    for (const form of f.forms) {
      const output = form.output
        ? form.written
          ? `→ ${safe(form.output)}`
          : opts.dryRun && !form.blocked
            ? `→ ${safe(form.output)}${en ? ' (dry run: not written)' : '（试运行，未写入）'}`
            : `✗ ${safe(form.output)}${en ? ' (not written)' : '（未写入）'}`
        : en
          ? '(nothing written)'
          : '（未写入）';
      const who = `${safe(form.department || (en ? '(no name)' : '（无部门名称）'))} ${form.year ?? '?'}`;
      lines.push(`  ${who}  ${output}  ${counts(form.errors, form.warnings)}`);
      const listed = form.diagnostics.filter((d) => d.severity === 'error');
      for (const d of listed.slice(0, LISTED_PER_FORM)) {
        const from = d.source ? `  (${en ? 'source' : '源文件'} ${safe(d.source)})` : '';
        lines.push(`    ${safe(d.where)}  ${c('31;1', 'error')}  ${d.code}  ${safe(d.message)}${from}`);
      }
      if (listed.length > LISTED_PER_FORM) {
        const more = listed.length - LISTED_PER_FORM;
        lines.push(en ? `    … and ${more} more ${more === 1 ? 'error' : 'errors'}` : `    …以及另外 ${more} 个错误`);
      }
    }
  }
  const t = totals(sorted);
  const written = opts.dryRun
    ? en
      ? `${t.planned} would be written (dry run)`
      : `试运行，将写入 ${t.planned} 个 YAML`
    : en
      ? `${t.written} YAML written`
      : `写入 ${t.written} 个 YAML`;
  lines.push(
    en
      ? `${n(t.files, '', 'file')}, ${n(t.forms, '', 'form')}: ${written}; ${counts(t.errors, t.warnings)}; ` +
          `${t.failed} not imported`
      : `共 ${t.files} 个文件、${t.forms} 张表：${written}；${counts(t.errors, t.warnings)}；${t.failed} 个文件未能导入`,
  );
  if (t.errors + t.warnings > 0)
    lines.push(
      en
        ? 'Each file’s warnings in full: jxmb import FILE --dry-run'
        : '某个文件的全部警告：jxmb import 文件 --dry-run',
    );
  return lines;
}

/** A progress line for a terminal: `[=====     ] 12/40 name`, at most `width` columns wide. */
export function progressLine(done: number, total: number, label: string, width = 80): string {
  const bar = 20;
  const filled = total ? Math.round((done / total) * bar) : bar;
  const head = `[${'='.repeat(filled)}${' '.repeat(bar - filled)}] ${done}/${total} `;
  const room = Math.max(0, width - head.length - 1);
  const chars = [...safe(label)];
  // Chinese characters take two columns: cut by columns, keeping the end of a long path.
  let cols = 0;
  let i = chars.length;
  while (i > 0 && cols + (chars[i - 1]!.charCodeAt(0) > 0x2e80 ? 2 : 1) <= room) {
    cols += chars[i - 1]!.charCodeAt(0) > 0x2e80 ? 2 : 1;
    i--;
  }
  return head + (i > 0 ? `…${chars.slice(i + 1).join('')}` : chars.join(''));
}
