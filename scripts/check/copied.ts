/**
 * A table copied forward: the same as last year's apart from the year. Pure: two tables' data in,
 * a verdict out; the caller finds last year's file.
 */
import type { DepartmentTargets } from '../model/types.generated.ts';

/** Sign-off dates are the first thing a copier changes and say nothing of the content. */
const DATES = new Set(['business_review', 'performance_review', 'filed']);

/** The table as content: no fiscal year, no sign-off dates, each year in text shifted to the one it follows. */
function content(t: DepartmentTargets, year: number): string {
  const shift = (s: string): string => s.replace(/(\d{4})年/g, (_m, y: string) => `Y${Number(y) - year}年`);
  return JSON.stringify(t, (key, value: unknown) =>
    key === 'fiscal_year' || DATES.has(key) ? undefined : typeof value === 'string' ? shift(value) : value,
  );
}

/**
 * Whether `current` is `previous` (the year before's table of the same department) with only the year
 * changed: years in its text may be shifted by one along with it (`2026年12月31日前` → `2027年…`) or
 * left as they were; sign-off dates are not compared.
 */
export function identicalApartFromYear(previous: DepartmentTargets, current: DepartmentTargets): boolean {
  if (previous.fiscal_year !== current.fiscal_year - 1) return false;
  const prev = content(previous, previous.fiscal_year);
  return (
    prev === content(current, current.fiscal_year) ||
    // Only fiscal_year changed: every year in the text is still last year's.
    prev === content(current, previous.fiscal_year)
  );
}
