/**
 * A province's status board without a build: IndexEntry values for `rows` rows of out/index.html, the
 * departments the bench's generator names (generate.ts), over four fiscal years, with every status the
 * board shows. Pure and deterministic from the seed; the bench renders them (render/index-page.ts) and
 * opens the page in Chromium (bench/index-board.ts).
 */
import type { EntryDiagnostic, IndexEntry } from '../render/outputs.ts';
import { createRng, departmentNames } from './generate.ts';

export interface IndexEntriesOptions {
  /** Rows of the board: tables plus the 未提交 rows of departments missing in the newest year. */
  rows: number;
  seed: number;
  /** The newest fiscal year (default 2026); the board has it and the three before it. */
  newestYear?: number;
}

const YEARS = 4;

const iso = (y: number, m: number, d: number): string =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Entries whose board has exactly `rows` rows (year by year, newest first, each year's departments
 * 0…per−1): in the newest year one department in 53 has no table (未提交); one in 7 has warnings, one
 * in 97 errors, one in 211 a failed rendering; the years before the newest have self-evaluations
 * (one in 89 of them failing its checks) and, after the oldest, a diff against the year before.
 */
export function generateIndexEntries(opts: IndexEntriesOptions): IndexEntry[] {
  const newest = opts.newestYear ?? 2026;
  const per = Math.ceil(opts.rows / YEARS);
  // Past the generator's county × bureau × unit names, a number keeps each department's name its own.
  const seen = new Map<string, number>();
  const names = departmentNames(opts.seed, per).map(({ code, name }) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { code, name: n > 1 ? `${name}第${n}分部` : name };
  });
  const rng = createRng(opts.seed ^ 0x51ed);
  const out: IndexEntry[] = [];
  let left = opts.rows;
  // Departments the year before the newest has: only they can be missing (未提交) in the newest.
  const before = Math.max(0, Math.min(per, opts.rows - per));
  for (let y = newest; y > newest - YEARS && left > 0; y--) {
    const count = Math.min(per, left);
    left -= count;
    for (let k = 0; k < count; k++) {
      const { code, name } = names[k]!;
      // Missing this year: the row is the board's own (its previous year's entry must exist).
      if (y === newest && k % 53 === 7 && k < before) continue;
      const errors = k % 97 === 3 ? 1 + (k % 3) : 0;
      const warnings = k % 7 === 0 ? 1 + (k % 3) : 0;
      const diagnostics: EntryDiagnostic[] = [
        ...Array.from({ length: errors }, (_, j) => ({
          severity: 'error' as const,
          code: 'YAML_SYNTAX',
          line: 20 + j * 7,
          col: 5,
          message: `第 ${20 + j * 7} 行缩进比同一层的键少 2 个空格`,
        })),
        ...Array.from({ length: warnings }, (_, j) => ({
          severity: 'warning' as const,
          code: 'DEADLINE_BEFORE_YEAR',
          line: 100 + j * 9,
          col: 12,
          message: `完成时限早于 ${y} 年度`,
        })),
      ];
      const day = rng.int(1, 20);
      const base = `${y}/${code}`;
      const entry: IndexEntry = {
        fiscalYear: y,
        code,
        name,
        source: `data/${y}/${code}.yaml`,
        indicators: errors ? 0 : rng.int(15, 60),
        pointsSum: errors ? 0 : 90,
        warnings,
        outputs: errors ? {} : { pdf: `${base}.pdf`, html: `${base}.html`, xlsx: `${base}.xlsx` },
        ...(errors ? { errors } : {}),
        ...(!errors && k % 211 === 5 ? { failed: 'Chromium 超时 timed out after 60 s' } : {}),
        ...(diagnostics.length ? { diagnostics } : {}),
        filed: iso(y - 1, 12, day),
        reviewed: iso(y - 1, 12, day + rng.int(1, 8)),
        ...(errors ? {} : { pages: rng.int(2, 6) }),
        ...(y > newest - YEARS + 1 && !errors ? { diff: `${base}.diff.html` } : {}),
      };
      out.push(entry);
      if (y === newest || errors) continue;
      const seCode = `${code}.self-eval`;
      const seBroken = k % 89 === 11;
      const total = Math.round((70 + rng.next() * 30) * 100) / 100;
      out.push({
        fiscalYear: y,
        code: seCode,
        name,
        source: `data/${y}/${seCode}.yaml`,
        indicators: entry.indicators,
        pointsSum: 100,
        warnings: seBroken ? 1 : 0,
        outputs: seBroken ? {} : { pdf: `${base}.self-eval.pdf`, html: `${base}.self-eval.html` },
        ...(seBroken
          ? {
              errors: 1,
              diagnostics: [
                { severity: 'error', code: 'SELF_EVAL_UNKNOWN_INDICATOR', line: 14, col: 11, message: '没有这个指标' },
                { severity: 'warning', code: 'SELF_EVAL_OVERSPENT', line: 8, col: 10, message: '全年执行数超过预算数' },
              ],
            }
          : {
              selfEval: {
                total,
                grade: total >= 90 ? '优' : total >= 80 ? '良' : total >= 60 ? '中' : '差',
                pointsTotal: 100,
              },
            }),
      });
    }
  }
  return out;
}
