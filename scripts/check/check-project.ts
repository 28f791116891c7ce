/** Rules across files: one department code per fiscal year. Pure. */
import { positionOf } from '../load/positions.ts';
import type { CheckedFile } from './check-file.ts';
import { diag, hasErrors } from './diagnostic.ts';

/** Adds cross-file diagnostics to the files in place, and drops the model of any file that now has errors. */
export function checkProject(files: CheckedFile[]): void {
  const seen = new Map<string, CheckedFile>();
  for (const f of files) {
    if (!f.data || !f.source.doc) continue;
    const key = `${f.data.fiscal_year}/${f.data.department.code}`;
    const other = seen.get(key);
    if (!other) {
      seen.set(key, f);
      continue;
    }
    f.diagnostics.push(
      diag('DUPLICATE_CODE', 'error', positionOf(f.source.doc, f.source.text, ['department', 'code']), {
        code: f.data.department.code,
        year: f.data.fiscal_year,
        other: other.file,
      }),
    );
    if (hasErrors(f.diagnostics)) delete f.model;
  }
}
