/**
 * The class names of the form's document: the one place they are spelled. The templates write them with
 * the `cls` helper (`class="{{cls 'sheet'}}"`, html.ts), the page code that measures and checks a form
 * finds elements by them (browser/page-code/, passed as an argument: page functions see no module
 * constant), and the text predictor tells its kinds of box by them (predict/). templates/form.css is
 * kept to the same names by a test (tests/render/classes.test.ts), since a stylesheet cannot import.
 */
export const FORM_CLASSES = {
  /** `<main>`: one form's document (a measuring batch shows several). */
  document: 'form-document',
  /** `<section>`: one printed page. */
  sheet: 'sheet',
  /** With `sheet`: the measuring document's unbroken sheet (no page height). */
  measure: 'measure',
  /** `<h1>` and `<p>` of the first page: the form's title and its year line. */
  title: 'title',
  year: 'year',
  /** `<table>`: the form's grid; with `probes`, the measuring document's table of label probes. */
  table: 'form',
  probes: 'probes',
  /** `<tbody>`s: the lead's label rows, the indicators, the two reviews. */
  labels: 'labels',
  indicators: 'indicators',
  reviews: 'review',
  /** `<tr>`: the indicators' header row. */
  head: 'head',
  /** `<th>`s: the indicators' section label, the merged 一级/二级 labels (`group` with `level1`/`level2`). */
  section: 'section',
  group: 'group',
  level1: 'level1',
  level2: 'level2',
  /** A lead or review row: its label `<th>`, the lead's text `<td>`, a review's text `<td>`. */
  label: 'label',
  text: 'text',
  review: 'review',
  /** An indicator row's `<td>`s, in the form's column order. */
  name: 'name',
  type: 'type',
  value: 'value',
  unit: 'unit',
  explanation: 'explanation',
  scoring: 'scoring',
  note: 'note',
  /** With a cell's own class: its text has break marks (`<wbr>`, render/word-breaks.ts), laid out keep-all. */
  keep: 'keep',
  /** `<p>` under the table: signatures and date. */
  signature: 'signature',
  /** `<footer>` of every sheet: 第 X 页 共 Y 页. */
  footer: 'page-footer',
  /** `<col>`s, one per column of the grid. */
  colLabel: 'c-label',
  colLevel1: 'c-level1',
  colLevel2: 'c-level2',
  colName: 'c-name',
  colType: 'c-type',
  colValue: 'c-value',
  colUnit: 'c-unit',
  colExplanation: 'c-explanation',
  colScoring: 'c-scoring',
  colNote: 'c-note',
} as const;

/** The form's class names, by role. */
export type FormClasses = typeof FORM_CLASSES;
/** A role with a class name. */
export type FormClass = keyof FormClasses;

/** The class name of `role`; throws for a role that has none (a template's typo fails the render). */
export function formClass(role: string): string {
  if (!Object.hasOwn(FORM_CLASSES, role)) throw new Error(`templates: no class for "${role}" in FORM_CLASSES`);
  return FORM_CLASSES[role as FormClass];
}
