/** The bench's generated index entries: exactly the rows asked for, every status, names like the generator's. */
import { describe, expect, it } from 'vitest';
import { departmentNames, generateDepartment } from '../../scripts/bench/generate.ts';
import { generateIndexEntries } from '../../scripts/bench/index-entries.ts';
import { boardRows as rowsOf } from '../../scripts/render/index-page.ts';
import type { IndexEntry } from '../../scripts/render/outputs.ts';

/** The board's rows: self-evaluations go beside their department's row (renderIndexHtml), not in rows of their own. */
const boardRows = (entries: IndexEntry[]) => rowsOf(entries.filter((e) => !e.code.endsWith('.self-eval')));

describe('generateIndexEntries', () => {
  it('a board of exactly `rows` rows, over four years, at any size', () => {
    for (const rows of [1, 4, 10, 53, 4000, 20001])
      expect(boardRows(generateIndexEntries({ rows, seed: 1 }))).toHaveLength(rows);
  });

  it('every status of the board, self-evaluations beside the tables, deterministic from the seed', () => {
    const entries = generateIndexEntries({ rows: 4000, seed: 3 });
    expect(generateIndexEntries({ rows: 4000, seed: 3 })).toEqual(entries);
    const statuses = new Set(boardRows(entries).map((r) => r.status));
    expect([...statuses].sort()).toEqual(['errors', 'failed', 'missing', 'pass', 'warnings']);
    expect(new Set(entries.map((e) => e.fiscalYear))).toEqual(new Set([2023, 2024, 2025, 2026]));
    const selfEvals = entries.filter((e) => e.code.endsWith('.self-eval'));
    expect(selfEvals.length).toBeGreaterThan(2000);
    expect(selfEvals.some((e) => e.errors)).toBe(true);
    // Each department one name, its own, in every year.
    const names = new Map<string, Set<string>>();
    for (const e of entries)
      if (!e.code.endsWith('.self-eval')) names.set(e.code, (names.get(e.code) ?? new Set()).add(e.name));
    expect([...names.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...names.values()].map((s) => [...s][0])).size).toBe(names.size);
  });

  it('departmentNames names the departments generateDepartment makes', () => {
    const names = departmentNames(5, 900);
    for (const i of [0, 1, 450, 899]) {
      const d = generateDepartment(5, i);
      expect(names[i]).toEqual({ code: d.department.code, name: d.department.name });
    }
  });
});
