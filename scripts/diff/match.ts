/**
 * Which indicator of one table is which indicator of the other. In order of trust:
 * 1. the same `id` on both sides (an id pins identity through renames and moves);
 * 2. the same 一级/二级/三级 — duplicates (the seed has 引进高中层次人才 twice) paired in order;
 * 3. the same 三级 name in another group: the indicator moved;
 * 4. within one 二级, a left-over pair with similar names and the same target: a rename.
 * Whatever is left was removed (old side) or added (new side). Pure.
 */
import type { IndicatorRow } from '../model/form-model.ts';
import { normalizeName } from '../check/characters.ts';
import { similarity } from './word-diff.ts';

export type MatchedBy = 'id' | 'key' | 'name' | 'similar';

export interface MatchedPair {
  /** Row index in the old table. */
  a: number;
  /** Row index in the new table. */
  b: number;
  by: MatchedBy;
}

export interface IndicatorMatch {
  /** Sorted by the new table's order. */
  pairs: MatchedPair[];
  /** Old rows with no counterpart, in order. */
  removed: number[];
  /** New rows with no counterpart, in order. */
  added: number[];
}

/** Below this name similarity two indicators are not a rename unless their target and explanation agree. */
export const RENAME_NAME_SIMILARITY = 0.5;
const RENAME_WITH_SAME_TARGET = 0.3;

const groupKey = (r: IndicatorRow): string => `${r.level1}\u0000${r.level2}`;
/** Names compare as the duplicate check compares them: an invisible character or a width change is no rename. */
const nameKey = (r: IndicatorRow): string => normalizeName(r.name);
const fullKey = (r: IndicatorRow): string => `${groupKey(r)}\u0000${nameKey(r)}`;
/** The same target value: the same number however it is written (95, 95.0), else the same text. */
export const sameValue = (x: IndicatorRow, y: IndicatorRow): boolean =>
  typeof x.value === 'number' && typeof y.value === 'number' ? x.value === y.value : x.valueText === y.valueText;

const sameTarget = (x: IndicatorRow, y: IndicatorRow): boolean =>
  x.type === y.type && sameValue(x, y) && x.unit === y.unit;

/** How alike two indicators of the same 二级 are, or undefined when they are not a plausible rename. */
export function renameScore(x: IndicatorRow, y: IndicatorRow): number | undefined {
  const names = similarity(x.name, y.name);
  const target = sameTarget(x, y);
  const explained = x.explanation === y.explanation;
  const plausible = names >= RENAME_NAME_SIMILARITY || (target && (names >= RENAME_WITH_SAME_TARGET || explained));
  if (!plausible) return undefined;
  return names + (target ? 0.5 : 0) + (explained ? 0.25 : 0) + 0.25 * similarity(x.explanation, y.explanation);
}

export function matchIndicators(a: readonly IndicatorRow[], b: readonly IndicatorRow[]): IndicatorMatch {
  const pairs: MatchedPair[] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const take = (i: number, j: number, by: MatchedBy): void => {
    pairs.push({ a: i, b: j, by });
    usedA.add(i);
    usedB.add(j);
  };
  const free = (rows: readonly IndicatorRow[], used: Set<number>): number[] =>
    rows.map((_, i) => i).filter((i) => !used.has(i));

  // 1. ids. An id on one side only says nothing: the name decides below.
  const idsA = new Map<string, number>();
  a.forEach((r, i) => r.id && !idsA.has(r.id) && idsA.set(r.id, i));
  b.forEach((r, j) => {
    const i = r.id ? idsA.get(r.id) : undefined;
    if (i !== undefined && !usedA.has(i)) take(i, j, 'id');
  });

  // 2 and 3: equal keys paired in order of appearance.
  const byKey = (key: (r: IndicatorRow) => string, by: MatchedBy): void => {
    const queues = new Map<string, number[]>();
    for (const i of free(a, usedA)) {
      const k = key(a[i]!);
      queues.set(k, [...(queues.get(k) ?? []), i]);
    }
    for (const j of free(b, usedB)) {
      const i = queues.get(key(b[j]!))?.shift();
      if (i !== undefined) take(i, j, by);
    }
  };
  byKey(fullKey, 'key');
  byKey(nameKey, 'name');

  // 4. renames: best-scoring pairs first, ties broken by position (deterministic).
  const candidates: Array<{ i: number; j: number; score: number }> = [];
  for (const i of free(a, usedA)) {
    for (const j of free(b, usedB)) {
      if (groupKey(a[i]!) !== groupKey(b[j]!)) continue;
      const score = renameScore(a[i]!, b[j]!);
      if (score !== undefined) candidates.push({ i, j, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  for (const c of candidates) if (!usedA.has(c.i) && !usedB.has(c.j)) take(c.i, c.j, 'similar');

  pairs.sort((x, y) => x.b - y.b);
  return { pairs, removed: free(a, usedA), added: free(b, usedB) };
}
