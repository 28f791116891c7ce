/**
 * The review rows and the signature line under the table (业务股室审核, 绩效股室审核, 填表人, 联系电话,
 * 填报日期, 单位负责人签字): labels and values in one cell or spread over several. Pure.
 */
import { SIGNOFF_TITLES } from '../model/titles.ts';
import type { Signoff } from '../model/types.generated.ts';
import { type Cell, importDiag, type ImportDiagnostic, type SourceRef } from './grid.ts';

const SIGNOFF_LABELS = [
  '业务股室审核',
  '绩效股室审核',
  '填表人',
  '联系电话',
  '填报日期',
  '单位负责人签字',
  '单位负责人',
] as const;
const SIGNOFF_RE = new RegExp(`(${SIGNOFF_LABELS.join('|')})\\s*[：:]?`, 'g');
export const SIGNOFF_START_RE = new RegExp(`^(?:${SIGNOFF_LABELS.join('|')})`);
const SIGNOFF_FIELD: Record<(typeof SIGNOFF_LABELS)[number], keyof Signoff> = {
  业务股室审核: 'business_review',
  绩效股室审核: 'performance_review',
  填表人: 'preparer',
  联系电话: 'phone',
  填报日期: 'filed',
  单位负责人签字: 'head',
  单位负责人: 'head',
};
const DATE_FIELDS = new Set<keyof Signoff>(['business_review', 'performance_review', 'filed']);

/** Whether a text holds a signoff label anywhere. */
export const hasSignoffLabel = (text: string): boolean => new RegExp(SIGNOFF_RE.source).test(text);

/** `2025.12.8`, `2025-12-08`, `2025/12/8`, `2025年12月8日` → `2025-12-08`; anything else unchanged. */
export function isoDate(s: string): string {
  const m = /^(\d{4})\s*[.\-/年．]\s*(\d{1,2})\s*[.\-/月．]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  if (!m) return s.trim();
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

export interface SignoffReader {
  /** Reads one row holding signoff labels (and their values, or values for the label before). */
  row(cells: Cell[]): void;
  /**
   * The signoff, every field not found reported (without a position) and left empty; `missing` lists
   * every field reported missing (here or at its label), so a check of the empty value is not a second
   * report of the same thing.
   */
  finish(): { signoff: Signoff; refs: Partial<Record<keyof Signoff, SourceRef>>; missing: Array<keyof Signoff> };
}

/** A reader of signoff rows; what has no place goes to `keepAside`. */
export function signoffReader(
  diagnostics: ImportDiagnostic[],
  keepAside: (c: Cell, text?: string) => void,
): SignoffReader {
  const signoff: Partial<Record<keyof Signoff, string>> = {};
  const refs: Partial<Record<keyof Signoff, SourceRef>> = {};
  let pendingLabel: { field: keyof Signoff; cell: Cell } | undefined;
  const missing: Array<keyof Signoff> = [];
  /** A label with no value: reported at its cell (once), the field left empty. */
  const missingAt = (field: keyof Signoff, c: Cell): void => {
    if (signoff[field] !== undefined) return;
    diagnostics.push(importDiag('IMPORT_MISSING', 'error', c.ref, { what: SIGNOFF_TITLES[field] }));
    signoff[field] = '';
    missing.push(field);
  };
  const assign = (field: keyof Signoff, value: string, c: Cell, date: string | undefined): void => {
    if (signoff[field] !== undefined) return keepAside(c, value);
    signoff[field] = DATE_FIELDS.has(field) ? (date ?? isoDate(value)) : value;
    refs[field] = c.ref;
  };
  return {
    row(cells) {
      for (const c of cells) {
        const t = c.text;
        const marks = [...t.matchAll(SIGNOFF_RE)];
        if (!marks.length) {
          if (pendingLabel) {
            assign(pendingLabel.field, t.trim(), c, c.date);
            pendingLabel = undefined;
          } else keepAside(c);
          continue;
        }
        const before = t.slice(0, marks[0]!.index).trim();
        if (before) keepAside(c, before);
        marks.forEach((m, i) => {
          const last = i + 1 === marks.length;
          const value = t.slice(m.index + m[0].length, last ? undefined : marks[i + 1]!.index).trim();
          const field = SIGNOFF_FIELD[m[1] as (typeof SIGNOFF_LABELS)[number]];
          if (value) assign(field, value, c, undefined);
          // Only a cell's last label may have its value in the next cell (`联系电话： 填报日期：…`: none).
          else if (last) pendingLabel = { field, cell: c };
          else missingAt(field, c);
        });
      }
      if (pendingLabel) {
        missingAt(pendingLabel.field, pendingLabel.cell);
        pendingLabel = undefined;
      }
    },
    finish() {
      const fields = Object.keys(SIGNOFF_TITLES) as Array<keyof Signoff>;
      const absent = fields.filter((f) => signoff[f] === undefined);
      // A table without its review and signature rows at all (as published tables are): one finding, not six.
      const whole = absent.length === fields.length;
      if (whole) {
        const what = `审核与签字（${fields.map((f) => SIGNOFF_TITLES[f]).join('、')}）`;
        diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what }));
      }
      for (const f of absent) {
        if (!whole) diagnostics.push(importDiag('IMPORT_MISSING', 'error', undefined, { what: SIGNOFF_TITLES[f] }));
        signoff[f] = '';
        missing.push(f);
      }
      return { signoff: signoff as Signoff, refs, missing };
    },
  };
}
