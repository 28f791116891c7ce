/**
 * Page functions for the 自评表 (render/self-eval-form.ts writes the documents they read; run with
 * page-code/evaluate.ts: each uses only its arguments and the page's globals). Class names are the
 * renderer's, passed in as `c` (SELF_EVAL_CLASSES).
 */
import type { SelfEvalClasses } from '../../render/self-eval-form.ts';

/** The heights of a measuring document (render/self-eval-form.ts selfEvalMeasureHtml), CSS px. */
export function readSelfEvalMeasure(
  gap: number,
  c: SelfEvalClasses,
): {
  pageHeight: number;
  leadHeight: number;
  headerHeight: number;
  rows: number[];
  tailHeight: number;
} {
  const rect = (el: Element | null): DOMRect => {
    if (!el) throw new Error('measuring document is missing an element');
    return el.getBoundingClientRect();
  };
  const sheet = document.querySelector(`section.${c.sheet}.${c.measure}`);
  const blank = document.querySelector(`section.${c.sheet}.${c.blank}`);
  const top = rect(sheet).top;
  const head = rect(sheet!.querySelector(`tr.${c.head}`));
  const tail = rect(sheet!.querySelector(`tbody.${c.tail}`));
  const signature = rect(sheet!.querySelector(`.${c.signature}`));
  return {
    pageHeight: rect(blank!.querySelector(`.${c.footer}`)).top - rect(blank).top - gap,
    leadHeight: head.top - top,
    headerHeight: head.height,
    rows: Array.from(sheet!.querySelectorAll(`tbody.${c.rows} tr`), (tr) => tr.getBoundingClientRect().height),
    tailHeight: signature.bottom - tail.top,
  };
}

/**
 * The heights of several measuring documents shown one under the other, each body in its own
 * `<main>` (forms/self-eval.ts measureSelfEvals): as readSelfEvalMeasure, per `<main>`, in order.
 */
export function readSelfEvalMeasures(
  gap: number,
  c: SelfEvalClasses,
): {
  pageHeight: number;
  leadHeight: number;
  headerHeight: number;
  rows: number[];
  tailHeight: number;
}[] {
  const rect = (el: Element | null): DOMRect => {
    if (!el) throw new Error('measuring document is missing an element');
    return el.getBoundingClientRect();
  };
  return Array.from(document.querySelectorAll('main'), (main) => {
    const sheet = main.querySelector(`section.${c.sheet}.${c.measure}`);
    const blank = main.querySelector(`section.${c.sheet}.${c.blank}`);
    const top = rect(sheet).top;
    const head = rect(sheet!.querySelector(`tr.${c.head}`));
    const tail = rect(sheet!.querySelector(`tbody.${c.tail}`));
    const signature = rect(sheet!.querySelector(`.${c.signature}`));
    return {
      pageHeight: rect(blank!.querySelector(`.${c.footer}`)).top - rect(blank).top - gap,
      leadHeight: head.top - top,
      headerHeight: head.height,
      rows: Array.from(sheet!.querySelectorAll(`tbody.${c.rows} tr`), (tr) => tr.getBoundingClientRect().height),
      tailHeight: signature.bottom - tail.top,
    };
  });
}

/** How far each sheet's content reaches below the room above its footer (≤ 0: it fits), CSS px. */
export function readSelfEvalOverflow(gap: number, c: SelfEvalClasses): number[] {
  return Array.from(document.querySelectorAll(`section.${c.sheet}`), (sheet) => {
    const footer = sheet.querySelector(`.${c.footer}`)!.getBoundingClientRect();
    let bottom = sheet.getBoundingClientRect().top;
    for (const el of Array.from(sheet.children))
      if (!el.classList.contains(c.footer)) bottom = Math.max(bottom, el.getBoundingClientRect().bottom);
    return bottom - (footer.top - gap);
  });
}
