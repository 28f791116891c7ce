/**
 * A diff as JSON for other programs: every department with its status and every change with its
 * kind, indicator, from, to and flags. Stable key order; `words` (presentation) left out. Pure.
 */
import { countChanges, type DiffReport } from './changes.ts';

export const JSON_FORMAT_VERSION = 1;

export function toJson(report: DiffReport): object {
  return {
    version: JSON_FORMAT_VERSION,
    from: report.fromLabel,
    to: report.toLabel,
    differences: report.departments.some((d) => d.status !== 'unchanged'),
    departments: report.departments.map((d) => ({
      code: d.code,
      name: d.name,
      status: d.status,
      from: d.from
        ? { file: d.from.file, fiscalYear: d.from.model.fiscalYear, pointsSum: d.from.model.pointsSum }
        : null,
      to: d.to ? { file: d.to.file, fiscalYear: d.to.model.fiscalYear, pointsSum: d.to.model.pointsSum } : null,
      ...(d.baseline ? { baseline: true } : {}),
      counts: countChanges(d.changes),
      changes: d.changes.map((c) => ({
        kind: c.kind,
        ...(c.field !== undefined ? { field: c.field } : {}),
        ...(c.indicator ? { indicator: c.indicator } : {}),
        ...(c.item ? { item: c.item } : {}),
        from: c.from,
        to: c.to,
        ...(c.fields ? { fields: c.fields } : {}),
        flags: c.flags,
      })),
    })),
  };
}

export const formatJson = (report: DiffReport): string => JSON.stringify(toJson(report), null, 2);
