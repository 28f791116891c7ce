/**
 * Grids built in memory for the parser's tests: rows of strings → cells with worksheet addresses, and a
 * check that every text of a grid ended up somewhere (in the data, an indicator's note, or kept aside).
 */
import { expect } from 'vitest';
import { columnLetters, type Grid } from '../../scripts/import/grid.ts';
import { isoDate, type ParsedForm } from '../../scripts/import/parse-form.ts';
import { parseTarget } from '../../scripts/import/target-value.ts';
import { scoringSentence } from '../../scripts/model/scoring.ts';
import { SIGNOFF_TITLES } from '../../scripts/model/titles.ts';

/**
 * Rows of cell texts → a worksheet grid (`Sheet1!A1`…), empty strings as empty cells. A row given as a
 * string is split at tabs. A number-like string stays text unless given as a number.
 */
export function gridOf(rows: Array<string | Array<string | number>>, sheet = 'Sheet1'): Grid {
  return {
    kind: 'xlsx',
    sheet,
    rows: rows.map((r, i) =>
      (typeof r === 'string' ? (r === '' ? [] : r.split('\t')) : r).map((v, j) => ({
        text: String(v),
        ...(typeof v === 'number' ? { num: v } : {}),
        row: i + 1,
        col: j + 1,
        ref: { kind: 'cell' as const, sheet, address: `${columnLetters(j + 1)}${i + 1}` },
      })),
    ),
  };
}

/** `Sheet1!B7` of a diagnostic's position, '' when it has none. */
export const addr = (d: { at?: { kind: string; address?: string } }): string =>
  d.at?.kind === 'cell' ? (d.at.address ?? '') : '';

/** [code, address] of every diagnostic with a given code (or of all, but IMPORT_UNPLACED). */
export const found = (p: ParsedForm, code?: string): Array<[string, string]> =>
  p.diagnostics.filter((d) => (code ? d.code === code : d.code !== 'IMPORT_UNPLACED')).map((d) => [d.code, addr(d)]);

const squash = (s: string): string => s.replace(/\s+/g, '');

/**
 * Every non-empty cell text of `grid` appears in the parsed form: as data (any string or number of it, a
 * target also as its type + value + unit), in a note, or kept aside. `labels` are the texts that are the
 * form's own words (title, labels, headings), which need not reappear. A cell whose text is split in
 * the data (a label and its content in one cell, a target written `不低于95%`) counts when each of its
 * parts does.
 */
export function expectAllKept(grid: Grid, p: ParsedForm, labels: string[]): void {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') strings.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(p.data);
  // What the form prints: numbered duties and goals, the scoring sentence, a target in one piece.
  strings.push(p.data.duties.map((d, k) => `${k + 1}、${d}`).join(''));
  strings.push(p.data.goals.map((g, k) => `目标${k + 1}：${g}`).join(''));
  for (const i of p.data.indicators) {
    strings.push(`${i.type}${i.value}${i.unit ?? ''}`, `${i.value}${i.unit ?? ''}`, scoringSentence(i, i.scoring));
  }
  for (const u of p.unplaced) strings.push(u.text);
  const hay = squash(strings.join('\n'));
  // The form's own words: the signoff labels, and 定量 (said by the comparator the target then has).
  const label = new Set([...labels, ...Object.values(SIGNOFF_TITLES), '单位负责人', '定量'].map(squash));
  const there = (t: string): boolean => label.has(t) || hay.includes(t) || hay.includes(isoDate(t));
  const missing: string[] = [];
  for (const row of grid.rows) {
    for (const c of row) {
      const t = squash(c.text);
      if (!t || there(t)) continue;
      const target = parseTarget(c.text);
      if (target && hay.includes(squash(`${target.comparator ?? ''}${target.value}${target.unit}`))) continue;
      if (target && hay.includes(squash(`${target.value}${target.unit}`))) continue;
      // Labels and their content in one cell: the content must be there.
      const parts = c.text.split(/[：:\s]+/).filter(Boolean);
      if (parts.length > 1 && parts.every(there)) continue;
      missing.push(`${c.ref.kind === 'cell' ? c.ref.address : ''} ${c.text}`);
    }
  }
  expect(missing).toEqual([]);
}
