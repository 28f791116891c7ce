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

/** A file as the rule sees it: its path, year and code, and whether it was checked in this run. */
export interface CodeEntry {
  file: string;
  year: number;
  code: string;
  /** Checked in this run (it gets the diagnostic); false: known only (validate --git's unchanged files). */
  checked: boolean;
}

/** A checked entry (by index into the entries given) that uses a code another file already has. */
export interface CodeClash {
  index: number;
  code: string;
  year: number;
  /** The file it clashes with. */
  other: string;
}

/**
 * Which entries use a department code another file of the same year uses. When one code is used twice,
 * the file whose name does not match the code is the one at fault. With known files (not checked in
 * this run), a checked file sharing its code only with known ones is flagged even when it is the one
 * whose name matches: the change brought the clash.
 */
export function codeClashes(entries: readonly CodeEntry[]): CodeClash[] {
  const withKnown = entries.some((e) => !e.checked);
  const order = entries.map((e, index) => ({ ...e, index }));
  // With known files, the order of a whole-project run (by path), so the same file is the owner.
  if (withKnown) order.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const groups = new Map<string, typeof order>();
  for (const e of order) {
    const key = `${e.year}/${e.code}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const clashes: CodeClash[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const owner = group.find((e) => baseName(e.file) === e.code) ?? group[0]!;
    for (const e of group)
      if (e !== owner && e.checked) clashes.push({ index: e.index, code: e.code, year: e.year, other: owner.file });
    if (withKnown && owner.checked && group.every((e) => e === owner || !e.checked))
      clashes.push({
        index: owner.index,
        code: owner.code,
        year: owner.year,
        other: group.find((e) => e !== owner)!.file,
      });
  }
  return clashes.sort((a, b) => a.index - b.index);
}

/** Year and code of a checked file, from its data or (a build's cached check) its model. */
export function identityOf(f: CheckedFile): { year: number; code: string } | undefined {
  if (f.data) return { year: f.data.fiscal_year, code: f.data.department.code };
  if (f.identity) return f.identity;
  if (f.model) return { year: f.model.fiscalYear, code: f.model.code };
  return undefined;
}

/**
 * Where a file's department code is written: from its parsed document, or kept when that was let go; a
 * file known only from the build cache has neither, and its diagnostic goes to 1:1.
 */
export function codePosition(f: CheckedFile): [number, number] {
  if (f.source.doc) return positionOf(f.source.doc, f.source.text, ['department', 'code']);
  return f.codePos ?? [0, 1];
}

/**
 * Adds cross-file diagnostics in place (codeClashes), and drops the model of any file that now has
 * errors. `known` files take part in the rule but get no diagnostics.
 */
export function checkProject(files: CheckedFile[], known: readonly KnownFile[] = []): void {
  const checked: CheckedFile[] = [];
  const entries: CodeEntry[] = [];
  for (const f of files) {
    const id = identityOf(f);
    if (!id) continue;
    checked.push(f);
    entries.push({ file: f.file, ...id, checked: true });
  }
  for (const k of known) entries.push({ file: k.file, year: k.fiscalYear, code: k.code, checked: false });
  for (const c of codeClashes(entries)) {
    const f = checked[c.index]!;
    const pos = codePosition(f);
    f.diagnostics.push(diag('DUPLICATE_CODE', 'error', pos, { code: c.code, year: c.year, other: c.other }));
    if (hasErrors(f.diagnostics)) delete f.model;
  }
}
