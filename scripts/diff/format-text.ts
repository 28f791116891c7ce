/**
 * A diff for the terminal (and for `git diff` through the diff driver): one block per department,
 * changes grouped under their indicator, prose as a word diff. Without colour, words are marked the
 * way `git diff --word-diff=plain` marks them: `[-old-]{+new+}`. Pure: returns a string.
 */
import type { Lang } from '../check/messages.ts';
import { countChanges, type DepartmentDiff, type DiffReport } from './changes.ts';
import { words } from './labels.ts';
import { flagText, type PresentedChange, presentChange, sidesText, yearsText } from './present.ts';
import type { WordOp } from './word-diff.ts';
import { escapeControls } from '../check/characters.ts';

export interface TextOptions {
  lang: Lang;
  color: boolean;
}

const SGR = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33;1',
  cyan: '36',
  del: '31;9',
  ins: '32;4',
} as const;

export function formatText(report: DiffReport, opts: TextOptions): string {
  const c = (k: keyof typeof SGR, s: string): string => (opts.color && s ? `\x1b[${SGR[k]}m${s}\x1b[0m` : s);
  // Every text from the tables (names, values, file names, git refs) goes through e: a control character
  // in the data is shown as an escape, never sent to the terminal (or git's pager) to act on.
  const e = (s: string): string => escapeControls(s);
  const w = words(opts.lang);
  const wordDiff = (ops: readonly WordOp[]): string =>
    ops
      .map((o) => {
        const t = e(o.text);
        if (o.op === 'equal') return t;
        if (o.op === 'delete') return opts.color ? c('del', t) : `[-${t}-]`;
        return opts.color ? c('ins', t) : `{+${t}+}`;
      })
      .join('');
  const lines: string[] = [c('bold', `jxmb diff  ${e(report.fromLabel)} → ${e(report.toLabel)}`)];
  const changed = report.departments.filter((d) => d.status !== 'unchanged');
  if (!changed.length) {
    lines.push(w.noDifferences);
    return lines.join('\n');
  }
  for (const d of changed) lines.push('', ...department(d));
  return lines.join('\n');

  function department(d: DepartmentDiff): string[] {
    const title = `${c('bold', `${e(d.name)}（${e(d.code)}）`)}  ${yearsText(d)}  ${c('cyan', w.status[d.status])}`;
    const out = [title, c('dim', `  ${e(sidesText(d, opts.lang))}`)];
    if (!d.changes.length) return out;
    const n = countChanges(d.changes);
    const s = w.summary;
    const parts = [
      `${s.added} ${n.added}`,
      `${s.removed} ${n.removed}`,
      `${s.renamed} ${n.renamed}`,
      `${s.moved} ${n.moved}`,
      `${s.modified} ${n.modified}`,
      `${s.info} ${n.department}`,
    ];
    out.push(`  ${parts.join(' · ')}${n.weakened ? ` · ${c('yellow', `${s.weakened} ${n.weakened}`)}` : ''}`);
    let current = '';
    for (const ch of d.changes) {
      const p = escaped(presentChange(ch, d, opts.lang));
      const colour = p.flags.includes('strengthened') && p.flags.length === 1 ? 'green' : 'yellow';
      const flags = p.flags.length ? `  ${c(colour, flagText(p.flags, opts.lang))}` : '';
      if (ch.kind === 'indicator-added') {
        current = '';
        out.push(`  ${c('green', `+ ${p.indicator}`)}  ${p.to}${flags}`);
        continue;
      }
      if (ch.kind === 'indicator-removed') {
        current = '';
        out.push(`  ${c('red', `- ${p.indicator}`)}  ${p.from}${flags}`);
        continue;
      }
      let indent = '  ';
      if (p.indicator) {
        if (p.indicator !== current) out.push(`  ${c('bold', `~ ${p.indicator}`)}`);
        current = p.indicator;
        indent = '      ';
      } else current = '';
      const body = p.words
        ? wordDiff(p.words)
        : `${p.from ? c('red', p.from) : ''}${p.from && p.to ? ' → ' : ''}${p.to ? c('green', p.to) : ''}`;
      out.push(`${indent}${p.label}  ${body}${flags}`);
    }
    return out;
  }
}

/** A presented change with its texts escaped for a terminal (its word diff is escaped where it is shown). */
function escaped(p: PresentedChange): PresentedChange {
  const e = escapeControls;
  return { ...p, indicator: e(p.indicator), label: e(p.label), from: e(p.from), to: e(p.to) };
}
