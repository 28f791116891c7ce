/**
 * Diagnostics as people and machines read them: `file:line:col  error  CODE  message` with a caret
 * excerpt, JSON, or GitHub Actions annotations. Pure: returns strings.
 */
import type { LineCounter } from 'yaml';
import { escapeControls } from './characters.ts';
import type { Diagnostic, LocatedDiagnostic } from './diagnostic.ts';
import { type Lang, messageFor } from './messages.ts';

export type DiagnosticFormat = 'text' | 'json' | 'github';

/** Places a diagnostic at 1-based line and column (columns count characters, not UTF-16 units). */
export function locateDiagnostic(
  file: string,
  d: Diagnostic,
  text: string,
  lc: LineCounter,
  lang: Lang,
): LocatedDiagnostic {
  const at = (offset: number): { line: number; col: number } => {
    if (!text) return { line: 1, col: 1 };
    const lp = lc.linePos(Math.min(offset, text.length));
    const lineStart = offset - (lp.col - 1);
    return { line: lp.line, col: [...text.slice(lineStart, offset)].length + 1 };
  };
  const s = at(d.pos[0]);
  const e = at(d.pos[1]);
  return {
    file,
    line: s.line,
    column: s.col,
    endLine: e.line,
    endColumn: e.col,
    severity: d.severity,
    code: d.code,
    message: messageFor(d.code, d.args, lang),
  };
}

/** Terminal columns of one shown character, or of an escape standing for one. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u3000]/;
const isWideAstral = (ch: string): boolean =>
  ch.length === 2 && ch.codePointAt(0)! >= 0x20000 && ch.codePointAt(0)! <= 0x3fffd;
const width = (ch: string): number => (ch.length > 2 ? ch.length : WIDE.test(ch) || isWideAstral(ch) ? 2 : 1);
const oneLine = (s: string): string => escapeControls(s, { newlines: false });

export interface TextOptions {
  color: boolean;
  /** Source text, for the excerpt with a caret under the offending span. */
  text?: string;
  /** Or only the line the diagnostic starts on (a FileReport keeps those, not the whole text). */
  line?: string;
}

/** One diagnostic as terminal text, with the source line and a caret under the span. */
export function formatText(d: LocatedDiagnostic, opts: TextOptions): string {
  const c = (code: string, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev = d.severity === 'error' ? c('31;1', 'error') : c('33;1', 'warning');
  // File names and messages carry source text: a control in them is shown, never sent to the terminal.
  const where = `${oneLine(d.file)}:${d.line}:${d.column}`;
  const head = `${c('1', where)}  ${sev}  ${c('2', d.code)}  ${oneLine(d.message)}`;
  const source = opts.line ?? opts.text?.split('\n')[d.line - 1];
  if (source === undefined) return head;
  const line = source.replace(/\r$/, '');
  if (!line.trim()) return head;
  // Each character as shown: a control becomes its escape, and the caret goes under the escape.
  const all = [...line].map((ch) => (ch === '\t' ? ch : oneLine(ch)));
  const endCol = d.endLine === d.line ? Math.max(d.endColumn, d.column + 1) : all.length + 1;
  const { chars, from } = excerptWindow(all, d.column - 1);
  const pad = chars
    .slice(0, d.column - 1 - from)
    .map((ch) => (ch === '\t' ? '\t' : ' '.repeat(width(ch))))
    .join('');
  const marked = chars.slice(d.column - 1 - from, endCol - 1 - from).filter((ch) => ch !== ELLIPSIS);
  const caret = '^'.repeat(
    Math.max(
      1,
      marked.reduce((a, ch) => a + width(ch), 0),
    ),
  );
  const gutter = String(d.line).padStart(4);
  const under = `${c('2', `${' '.repeat(gutter.length)} | `)}${pad}${c(d.severity === 'error' ? '31' : '33', caret)}`;
  return `${head}\n${c('2', `${gutter} | `)}${chars.join('')}\n${under}`;
}

/** Terminal columns an excerpt may take: a 3,000-character line is shown around its column, not whole. */
export const EXCERPT_WIDTH = 100;
/** Columns kept before the marked character when the line is cut. */
const EXCERPT_BEFORE = 24;
const ELLIPSIS = '…';

/**
 * The part of a long line shown in an excerpt: it starts a little before `at` (a 0-based index into
 * `chars`) and ends within EXCERPT_WIDTH columns, with `…` where the line was cut. `from` is the index of
 * `chars[0]` in the whole line minus one for a leading `…`, so `at - from` still indexes the marked character.
 */
function excerptWindow(chars: string[], at: number): { chars: string[]; from: number } {
  const cols = (xs: string[]): number => xs.reduce((a, ch) => a + width(ch), 0);
  if (cols(chars) <= EXCERPT_WIDTH) return { chars, from: 0 };
  let start = at;
  for (let w = 0; start > 0 && w + width(chars[start - 1]!) <= EXCERPT_BEFORE; start--) w += width(chars[start - 1]!);
  let end = start;
  for (let w = start > 0 ? 1 : 0; end < chars.length && w + width(chars[end]!) <= EXCERPT_WIDTH - 1; end++) {
    w += width(chars[end]!);
  }
  const shown = chars.slice(start, end);
  if (end < chars.length) shown.push(ELLIPSIS);
  return start > 0 ? { chars: [ELLIPSIS, ...shown], from: start - 1 } : { chars: shown, from: 0 };
}

/** GitHub/Gitea Actions workflow command; escaping per the runner's rules. */
export function formatGithub(d: LocatedDiagnostic): string {
  const prop = (s: string): string =>
    s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const msg = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const kind = d.severity === 'error' ? 'error' : 'warning';
  // The runner decodes %0A back to a line break: source text is escaped to one visible line first.
  const file = prop(oneLine(d.file));
  const at = `line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn}`;
  return `::${kind} file=${file},${at},title=${prop(d.code)}::${msg(oneLine(`${d.code} ${d.message}`))}`;
}

/** A closing summary line; `of`: how many files there were, when only some were checked (validate --git). */
export function summaryLine(files: number, errors: number, warnings: number, lang: Lang, of?: number): string {
  if (of === undefined)
    return lang === 'en'
      ? `${files} file${files === 1 ? '' : 's'} checked: ${errors} ` +
          `error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
      : `检查了 ${files} 个文件：${errors} 个错误，${warnings} 个警告`;
  return lang === 'en'
    ? `${files} of ${of} file${of === 1 ? '' : 's'} checked (changed): ${errors} ` +
        `error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
    : `检查了 ${of} 个文件中改动的 ${files} 个：${errors} 个错误，${warnings} 个警告`;
}
