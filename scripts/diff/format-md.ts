/**
 * A diff as Markdown for a pull-request comment (GitHub and Gitea): a summary table of all
 * departments, then per department the weakened targets called out and a table of every change, old
 * and new side by side with <del>/<ins> marking the words that changed. Kept under the comment size
 * limit by leaving out trailing detail lines, with a note saying so. Pure: returns a string.
 */
import type { Lang } from '../check/messages.ts';
import { formatNumber } from '../model/scoring.ts';
import { countChanges, type DepartmentDiff, type DiffReport } from './changes.ts';
import { words } from './labels.ts';
import { flagText, type PresentedChange, presentChange, sidesText, yearsText } from './present.ts';
import type { WordOp } from './word-diff.ts';

/** GitHub rejects comments over 65536 characters; leave room for the marker and a heading. */
export const MD_MAX_CHARS = 60_000;

export interface MdOptions {
  lang: Lang;
  /** Upper bound on the length (UTF-16 code units, never fewer than characters). */
  maxChars?: number;
}

/**
 * Invisible and unbreakable (U+2060 WORD JOINER): put after `@` or `#`, or inside `://`, it stops the
 * forge from turning data into a mention, an issue link or a link, while the text reads the same.
 */
const WJ = '\u2060';

/**
 * Escapes text from the data for a Markdown table cell, a list item or a heading on GitHub and Gitea,
 * so that a value shows as itself and does nothing else:
 * - no HTML (`&`, `<`, `>` as entities) and no markup (`\` `` ` `` `*` `_` `~` `[` `]` `|` `#` backslashed;
 *   a list, ordered-list or setext marker at the start backslashed);
 * - line breaks (CRLF, LF, a lone CR, U+2028/2029) become `<br>`: a raw one would end the table row;
 * - no `@mention` (nobody is pinged), no `#123` / `GH-123` issue reference, no bare link or e-mail
 *   autolink (`http://`, `www.`, `mailto:`, `a@b.c`): a word joiner goes in the middle.
 * Ordinary text (Chinese, numbers, units, `%`, `≥`) comes out unchanged.
 */
export const mdEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_~[\]|#])/g, '\\$1')
    .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(\d{1,9})([.)])(?=\s|$)/, '$1$2\\$3')
    .replace(/^(\s*)((?:=+|-{2,})\s*)$/, '$1\\$2')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '<br>')
    .replace(/@(?=[\w-])/g, `@${WJ}`)
    .replace(/#(?=\d)/g, `#${WJ}`)
    .replace(/\b(gh)-(?=\d)/gi, `$1${WJ}-`)
    .replace(/\b([a-z][a-z\d+.-]*):(?=\/\/)/gi, `$1:${WJ}`)
    .replace(/\b(mailto|xmpp|tel):/gi, `$1:${WJ}`)
    .replace(/\b(www)\./gi, `$1${WJ}.`);

/** A code span holding `s` whatever it contains: a fence longer than any run of backticks inside. */
export const mdCode = (s: string): string => {
  const text = s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = /^`|`$/.test(text) || /^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
};

/** One side of a word diff; runs kept together are escaped as one text, so a split `@name` is still seen. */
const side = (ops: readonly WordOp[], keep: 'delete' | 'insert'): string => {
  const runs: { marked: boolean; text: string }[] = [];
  for (const o of ops) {
    if (o.op !== 'equal' && o.op !== keep) continue;
    const marked = o.op !== 'equal';
    const last = runs.at(-1);
    if (last && last.marked === marked) last.text += o.text;
    else runs.push({ marked, text: o.text });
  }
  const tag = keep === 'delete' ? 'del' : 'ins';
  return runs.map((r) => (r.marked ? `<${tag}>${mdEscape(r.text)}</${tag}>` : mdEscape(r.text))).join('');
};

function cells(p: PresentedChange): [string, string] {
  if (p.words) return [side(p.words, 'delete'), side(p.words, 'insert')];
  return [p.from ? mdEscape(p.from) : '', p.to ? mdEscape(p.to) : ''];
}

export function formatMarkdown(report: DiffReport, opts: MdOptions): string {
  const lang = opts.lang;
  const w = words(lang);
  const max = opts.maxChars ?? MD_MAX_CHARS;
  const changed = report.departments.filter((d) => d.status !== 'unchanged');
  const unchanged = report.departments.length - changed.length;

  // The labels (refs, paths) go in code spans that no backtick inside them can close.
  const compared = w
    .compared('\0from', '\0to')
    .replace('`\0from`', () => mdCode(report.fromLabel))
    .replace('`\0to`', () => mdCode(report.toLabel));
  const head: string[] = [`## ${w.heading}`, '', compared, ''];
  if (!changed.length) return [...head, w.noDifferences, ''].join('\n');
  const s = w.summary;
  head.push(
    `| ${s.department} | ${s.years} | ${s.added} | ${s.removed} | ${s.renamed} | ${s.moved} ` +
      `| ${s.modified} | ${s.info} | ${s.weakened} | ${s.points} |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const d of changed) {
    const n = countChanges(d.changes);
    const pts =
      d.from && d.to && d.from.model.pointsSum !== d.to.model.pointsSum
        ? `${formatNumber(d.from.model.pointsSum)} → ${formatNumber(d.to.model.pointsSum)}`
        : formatNumber((d.to ?? d.from)!.model.pointsSum);
    const status = d.status === 'added' || d.status === 'removed' ? ` · ${w.status[d.status]}` : '';
    const name = `${mdEscape(d.name)}（${mdEscape(d.code)}）${status}`;
    const z = (k: number): string => (k ? String(k) : '·');
    head.push(
      `| ${name} | ${yearsText(d)} | ${z(n.added)} | ${z(n.removed)} | ${z(n.renamed)} | ${z(n.moved)} ` +
        `| ${z(n.modified)} | ${z(n.department)} | ${n.weakened ? `**${n.weakened}**` : '·'} | ${pts} |`,
    );
  }
  if (unchanged)
    head.push(
      '',
      lang === 'en' ? `${unchanged} other department table(s) unchanged.` : `另有 ${unchanged} 个部门的表无变化。`,
    );

  const body: string[] = [];
  for (const d of changed) body.push(...department(d));

  // Everything fits: done. Otherwise keep whole lines (summary first) up to the budget, then say
  // how many were left out.
  const all = [...head, ...body, ''].join('\n');
  if (all.length <= max) return all;
  const lines = [...head, ...body];
  const kept: string[] = [];
  const reserve = 400;
  let size = 0;
  let i = 0;
  for (; i < lines.length; i++) {
    if (size + lines[i]!.length + 1 > max - reserve) break;
    kept.push(lines[i]!);
    size += lines[i]!.length + 1;
  }
  kept.push('', `> ✂️ ${w.truncated(lines.length - i)}`, '');
  return kept.join('\n');

  function department(d: DepartmentDiff): string[] {
    const out = ['', `### ${mdEscape(d.name)}（${mdEscape(d.code)}）${yearsText(d)}`, '', mdEscape(sidesText(d, lang))];
    if (!d.changes.length) return out;
    const presented = d.changes.map((c) => presentChange(c, d, lang, 24));
    const weak = presented.filter((p) => p.flags.some((f) => f !== 'strengthened'));
    if (weak.length) {
      out.push('', `> ⚠ ${w.weakenedBox(weak.length)}`);
      for (const p of weak) {
        const what = [p.indicator, p.label].filter(Boolean).map(mdEscape).join(' · ');
        const [from, to] = cells(p);
        out.push(
          `> - ${what}：${from}${from && to ? ' → ' : ''}${to}（${flagText(
            p.flags.filter((f) => f !== 'strengthened'),
            lang,
          )}）`,
        );
      }
    }
    const dept = presented.filter((p) => !p.indicator);
    const inds = presented.filter((p) => p.indicator);
    const table = (
      title: string,
      rows: PresentedChange[],
      first: (p: PresentedChange, prev: string) => string,
    ): void => {
      if (!rows.length) return;
      out.push(
        '',
        `#### ${title}`,
        '',
        `| | ${first === indicatorCell ? w.col.indicator : w.col.change} ` +
          `| ${first === indicatorCell ? `${w.col.change} | ` : ''}${w.col.from} | ${w.col.to} |`,
        `|---|---|${first === indicatorCell ? '---|' : ''}---|---|`,
      );
      let prev = '';
      for (const p of rows) {
        const mark =
          p.flags.includes('weakened') || p.flags.includes('group-dropped') || p.flags.includes('points-total-changed')
            ? '⚠'
            : p.flags.includes('strengthened')
              ? '▲'
              : kindMark(p);
        const [from, to] = cells(p);
        out.push(`| ${mark} | ${first(p, prev)} | ${from} | ${to} |`);
        prev = p.indicator;
      }
    };
    table(w.departmentInfo, dept, (p) => mdEscape(p.label));
    table(w.indicators, inds, indicatorCell);
    return out;
  }
}

/** The indicator once per run of its changes, then what changed. */
function indicatorCell(p: PresentedChange, prev: string): string {
  const label =
    p.change.kind === 'indicator-added' || p.change.kind === 'indicator-removed'
      ? `**${mdEscape(p.label)}**`
      : mdEscape(p.label);
  return `${p.indicator === prev ? '〃' : mdEscape(p.indicator)} | ${label}`;
}

const kindMark = (p: PresentedChange): string =>
  p.change.kind === 'indicator-added' ? '＋' : p.change.kind === 'indicator-removed' ? '－' : '';
