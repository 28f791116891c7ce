/**
 * Several forms on one sheet (or in one document), one under another → one grid per form, split at each
 * form's title. Each grid keeps the source's rows where they were (the other forms' rows left empty), so
 * every cell keeps its address and `rows[i]` stays source row i + 1. Pure.
 */
import type { Grid } from './grid.ts';
import { type ExtraSynonyms, normKey, synonyms } from './synonyms.ts';
import { typeWord } from './target-value.ts';

/**
 * 部门（单位）整体绩效目标表 and its local variants (部门整体支出绩效目标表, 整体绩效目标申报表, with or
 * without a year or the department's name before it), not a project's 项目支出绩效目标表.
 */
const TITLE_RE = /整体.{0,4}绩效目标.{0,4}表/;

/** Bracketed parts: a year or a note after the form's name (`（2025年度）`, `（单位：万元）`). */
const BRACKETED_RE = /[（(【[][^（()）【】[\]]*[）)】\]]/g;
/** What may follow the form's name, brackets aside: spaces and a year (`\n2025年度`), nothing else. */
const TITLE_END_RE = /表[\s\d年度]*$/;
/** Sentence punctuation: a line holding it is a sentence (a 说明 paragraph, a duty), not a title. */
const SENTENCE_RE = /[，,。；;！!？?：:]/;
/** An attachment's mark before the title (`附件2：`, `附表1`), the one place a title may have a colon. */
const ATTACHMENT_RE = /^附[件表]\s*[\d一二三四五六七八九十]*\s*[：:]?/;
/** A numbered line (`1、`, `（2）`): an item of a list, not a title. */
const NUMBERED_RE = /^(?:\d+\s*[、.．]|[（(]\s*[\d一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+、)/;

/**
 * Whether a cell is a form's title: a short line naming the form (…整体绩效目标表, …整体绩效目标申报表,
 * with a year or the department before it, a bracketed year after), without sentence punctuation; not a
 * line of notes, a numbered item or a sentence that mentions the form.
 */
export function isTitle(text: string): boolean {
  const t = text.trim().replace(ATTACHMENT_RE, '').trim();
  const bare = t.replace(BRACKETED_RE, '');
  return (
    t.length <= 64 &&
    TITLE_RE.test(t) &&
    TITLE_END_RE.test(bare) &&
    !SENTENCE_RE.test(bare) &&
    !NUMBERED_RE.test(t) &&
    !/^(?:填表)?(?:说明|注|备注)/.test(normKey(t))
  );
}

/** Whether a grid holds a 绩效目标表 (its title). */
export const hasTitle = (grid: Grid): boolean => grid.rows.some((r) => r.some((c) => isTitle(c.text)));

/**
 * The grids of one sheet or text that hold a form each: split at each title row that follows a form's
 * body (a label, a header word or an indicator's type since the last title; a title repeated right under
 * another is the same form's). Rows before the first title belong to the first form. One grid (the same
 * object) when there is at most one form.
 */
export function splitForms(grid: Grid, extra?: ExtraSynonyms): Grid[] {
  const syn = synonyms(extra);
  const starts: number[] = [];
  let body = false;
  grid.rows.forEach((row, i) => {
    if (row.some((c) => isTitle(c.text))) {
      if (!starts.length || body) starts.push(i);
      body = false;
      return;
    }
    const first = row.find((c) => c.text.trim() !== '');
    body ||=
      (first !== undefined && syn.label(first.text) !== undefined) ||
      row.some((c) => {
        const h = syn.header(c.text);
        return (h !== undefined && h !== 'band' && h !== 'seq') || typeWord(c.text) !== undefined;
      });
  });
  if (starts.length < 2) return [grid];
  starts[0] = 0;
  return starts.map((start, k) => {
    const end = starts[k + 1] ?? grid.rows.length;
    return { ...grid, rows: grid.rows.map((r, i) => (i >= start && i < end ? r : [])) };
  });
}
