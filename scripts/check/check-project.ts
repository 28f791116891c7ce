/** Rules across files: one department code per fiscal year. Pure. */
import { positionOf } from '../load/positions.ts';
import type { CheckedFile } from './check-file.ts';
import { diag, hasErrors } from './diagnostic.ts';

const baseName = (file: string): string =>
  file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.ya?ml$/i, '');

/**
 * Adds cross-file diagnostics in place, and drops the model of any file that now has errors.
 * When one code is used twice, the file whose name does not match the code is the one at fault.
 */
export function checkProject(files: CheckedFile[]): void {
  const groups = new Map<string, CheckedFile[]>();
  const yearCode = (f: CheckedFile): [number, string] | undefined =>
    f.data ? [f.data.fiscal_year, f.data.department.code] : f.model ? [f.model.fiscalYear, f.model.code] : undefined;
  for (const f of files) {
    const yc = yearCode(f);
    if (!yc) continue;
    const key = `${yc[0]}/${yc[1]}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const owners = group.filter((f) => baseName(f.file) === yearCode(f)![1]);
    const owner = owners[0] ?? group[0]!;
    for (const f of group) {
      if (f === owner) continue;
      const [year, code] = yearCode(f)!;
      // A file known from the build cache has no parsed document: its diagnostic goes to 1:1.
      const pos = f.source.doc
        ? positionOf(f.source.doc, f.source.text, ['department', 'code'])
        : ([0, 1] as [number, number]);
      f.diagnostics.push(diag('DUPLICATE_CODE', 'error', pos, { code, year, other: owner.file }));
      if (hasErrors(f.diagnostics)) delete f.model;
    }
  }
}
