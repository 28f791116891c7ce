/** Rules across files: one department code per fiscal year. Pure. */
import { positionOf } from '../load/positions.ts';
import type { CheckedFile } from './check-file.ts';
import { diag, hasErrors } from './diagnostic.ts';

const baseName = (file: string): string =>
  file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.ya?ml$/i, '');

/** A file not checked in this run (`validate --git`: unchanged), known only by what the rules need. */
export interface KnownFile {
  file: string;
  fiscalYear: number;
  code: string;
}

interface Entry {
  file: string;
  year: number;
  code: string;
  checked?: CheckedFile;
}

/**
 * Adds cross-file diagnostics in place, and drops the model of any file that now has errors.
 * When one code is used twice, the file whose name does not match the code is the one at fault.
 * `known` files (not checked in this run) take part in the rule but get no diagnostics; a checked file
 * sharing its code only with known ones is flagged even when it is the one whose name matches: the
 * change brought the clash.
 */
export function checkProject(files: CheckedFile[], known: readonly KnownFile[] = []): void {
  const entries: Entry[] = [];
  for (const f of files) {
    const yc = f.data
      ? [f.data.fiscal_year, f.data.department.code]
      : f.model
        ? [f.model.fiscalYear, f.model.code]
        : undefined;
    if (yc) entries.push({ file: f.file, year: yc[0] as number, code: yc[1] as string, checked: f });
  }
  for (const k of known) entries.push({ file: k.file, year: k.fiscalYear, code: k.code });
  // With known files, the order of a whole-project run (by path), so the same file is the owner.
  if (known.length) entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = `${e.year}/${e.code}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const owner = group.find((e) => baseName(e.file) === e.code) ?? group[0]!;
    const flag = (e: Entry, other: Entry): void => {
      const f = e.checked!;
      // A file known from the build cache has no parsed document: its diagnostic goes to 1:1.
      const pos = f.source.doc
        ? positionOf(f.source.doc, f.source.text, ['department', 'code'])
        : ([0, 1] as [number, number]);
      f.diagnostics.push(diag('DUPLICATE_CODE', 'error', pos, { code: e.code, year: e.year, other: other.file }));
      if (hasErrors(f.diagnostics)) delete f.model;
    };
    for (const e of group) if (e !== owner && e.checked) flag(e, owner);
    if (owner.checked && group.every((e) => e === owner || !e.checked)) {
      if (known.length)
        flag(
          owner,
          group.find((e) => e !== owner)!,
        );
    }
  }
}
