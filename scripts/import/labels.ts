/**
 * The labelled rows above the indicator table (部门（单位）名称, 职责, 年度总体目标, and the 填报单位 line
 * many templates print under the title), found by the label's words (synonyms.ts), with their content
 * beside the label or inside its cell after it. Pure.
 */
import type { Cell, SourceRef } from './grid.ts';
import type { LabelField, Synonyms } from './synonyms.ts';

export interface LabelRow {
  field: LabelField;
  labelCell: Cell;
  /** The content: after the label in its own cell, else the next cell; undefined when there is none. */
  content?: { text: string; ref: SourceRef };
  /** What the label's own cell holds after the content that is not content (`金额单位：万元`). */
  tail?: string;
  /** The row's cells after the content. */
  rest: Cell[];
}

/**
 * Where a 填报单位's name ends inside its cell: at a wide gap or at the next label of the line
 * (`填报单位：某局    金额单位：万元`, `填报单位：某局 填报日期：2025.1.8`).
 */
const FILER_END = /\s{2,}|\s*(?=(?:金额单位|计量单位|单位|填报日期|日期|联系电话|填表人)\s*[：:])/;

/** The label row `cells` (a row's non-empty cells) is, if its first cell starts with a label. */
export function labelRow(cells: Cell[], syn: Synonyms): LabelRow | undefined {
  const labelCell = cells[0];
  const m = labelCell && syn.label(labelCell.text);
  if (!labelCell || !m) return undefined;
  const inline = m.rest.replace(/^[：:]/, '').trim();
  if (inline) {
    const end = m.field === 'filer' ? FILER_END.exec(inline) : null;
    const text = end ? inline.slice(0, end.index).trim() : inline;
    const tail = end ? inline.slice(end.index).trim() : '';
    return {
      field: m.field,
      labelCell,
      content: { text, ref: labelCell.ref },
      ...(tail ? { tail } : {}),
      rest: cells.slice(1),
    };
  }
  const next = cells[1];
  return {
    field: m.field,
    labelCell,
    ...(next ? { content: { text: next.text.trim(), ref: next.ref } } : {}),
    rest: cells.slice(2),
  };
}
