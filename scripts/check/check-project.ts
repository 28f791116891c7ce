/** Rules across files: one department code per fiscal year. Pure. */
import { positionOf } from '../load/positions.ts';
import type { CheckedFile } from './check-file.ts';
import { diag, hasErrors } from './diagnostic.ts';

const baseName = (file: string): string => file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/i, '');

/**
 * Adds cross-file diagnostics in place, and drops the model of any file that now has errors.
 * When one code is used twice, the file whose name does not match the code is the one at fault.
 */
export function checkProject(files: CheckedFile[]): void {
  const groups = new Map<string, CheckedFile[]>();
  for (const f of files) {
    if (!f.data || !f.source.doc) continue;
    const key = `${f.data.fiscal_year}/${f.data.department.code}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const owners = group.filter((f) => baseName(f.file) === f.data!.department.code);
    const owner = owners[0] ?? group[0]!;
    for (const f of group) {
      if (f === owner) continue;
      f.diagnostics.push(
        diag('DUPLICATE_CODE', 'error', positionOf(f.source.doc!, f.source.text, ['department', 'code']), {
          code: f.data!.department.code,
          year: f.data!.fiscal_year,
          other: owner.file,
        }),
      );
      if (hasErrors(f.diagnostics)) delete f.model;
    }
  }
}
