/**
 * Page functions for showing and measuring forms (run with page-code/evaluate.ts: each uses only its
 * arguments and the page's globals). Class names are the templates', passed in as `c` (FORM_CLASSES of
 * render/classes.ts); the tags and data attributes are the templates' too (templates/).
 */
import type { FormClasses } from '../../render/classes.ts';

/** Forces layout (web fonts with unicode-range load only when layout needs them), then waits for fonts. */
export async function fontsReady(): Promise<string> {
  void document.body.offsetHeight;
  await document.fonts.ready;
  return document.fonts.status;
}

/**
 * Replaces the body and title with a document's, lays it out, and waits for fonts only when layout
 * asked for one not loaded yet (status is 'loading' then). Throws if they do not load.
 */
export async function swapBody(title: string, body: string): Promise<void> {
  document.title = title;
  document.body.outerHTML = body;
  void document.body.offsetHeight;
  if (document.fonts.status !== 'loaded') await document.fonts.ready;
  if (document.fonts.status !== 'loaded') throw new Error(`fonts did not load (${document.fonts.status})`);
}

/** The geometry of one measuring document, as readMeasures reads it. */
export interface RawMeasure {
  pageHeight: number;
  leadHeight: number;
  headerHeight: number;
  reviewHeight: number;
  lead: { title: number; rows: number[] };
  rows: number[];
  probes: Record<string, number>;
}

/**
 * Reads the geometry of every measuring document shown (one per `main.form-document`, in order; a
 * batch shows several one under the other, see measureForms). `gap`: room kept above the page footer.
 */
export function readMeasures(gap: number, c: FormClasses): RawMeasure[] {
  const rect = (el: Element | null | undefined): DOMRect => {
    if (!el) throw new Error('measuring document is missing an element');
    return el.getBoundingClientRect();
  };
  return Array.from(document.querySelectorAll(`main.${c.document}`), (main) => {
    const [sheet, blank] = Array.from(main.querySelectorAll(`section.${c.sheet}`));
    if (!sheet || !blank) throw new Error('measuring document is missing an element');
    const top = rect(sheet).top;
    const head = rect(sheet.querySelector(`tr.${c.head}`));
    const firstReview = rect(sheet.querySelector(`tbody.${c.reviews} tr`));
    const signature = rect(sheet.querySelector(`.${c.signature}`));
    const labels = Array.from(sheet.querySelectorAll(`tbody.${c.labels} tr`), (tr) => rect(tr));
    const probes: Record<string, number> = {};
    for (const tr of Array.from(main.querySelectorAll<HTMLElement>('tr[data-probe]')))
      probes[tr.dataset.probe!] = rect(tr).height;
    return {
      pageHeight: rect(blank.querySelector(`.${c.footer}`)).top - rect(blank).top - gap,
      leadHeight: head.top - top,
      headerHeight: head.height,
      reviewHeight: signature.bottom - firstReview.top,
      lead: { title: (labels.length ? labels[0]!.top : head.top) - top, rows: labels.map((r) => r.height) },
      rows: Array.from(sheet.querySelectorAll('tr[data-row]'), (tr) => rect(tr).height),
      probes,
    };
  });
}

/** How far each sheet's content reaches past its room (≤ 0: fits); `gap` and `c` as readMeasures's. */
export function readOverflow(gap: number, c: FormClasses): number[] {
  return Array.from(document.querySelectorAll(`section.${c.sheet}`), (sheet) => {
    const top = sheet.getBoundingClientRect().top;
    const footer = sheet.querySelector(`.${c.footer}`)!.getBoundingClientRect().top;
    let bottom = top;
    for (const child of Array.from(sheet.children)) {
      if (!child.classList.contains(c.footer)) bottom = Math.max(bottom, child.getBoundingClientRect().bottom);
    }
    return bottom - (footer - gap);
  });
}

/** One text box's lines: where each starts in its text, and its top and bottom (px). */
export interface BoxLineRead {
  text: string;
  starts: number[];
  tops: number[];
  bottoms: number[];
}

/** What readBoxLines reads of one row: its height and its text boxes' lines (null: a box with markup). */
export interface BoxRead {
  height: number;
  cells: (BoxLineRead | null)[];
}

/**
 * The lines of the text boxes of some rows of the measuring document shown (`row`: an indicator row's
 * cells, as ROW_CELLS; `lead`: a label row's text cell), and each row's height. A new line starts where
 * a character's box lies below the middle of the line before (a glyph of another font on the same line
 * may sit a few px lower, never half a line). `c`: the class names (FORM_CLASSES).
 */
export function readBoxLines(targets: readonly (readonly ['row' | 'lead', number])[], c: FormClasses): BoxRead[] {
  const sheet = document.querySelector(`main.${c.document} section.${c.sheet}`)!;
  const rows = sheet.querySelectorAll('tr[data-row]');
  const leads = sheet.querySelectorAll(`tbody.${c.labels} tr`);
  const range = document.createRange();
  const box = (el: Element | null): BoxLineRead | null => {
    const out: BoxLineRead = { text: el ? el.textContent : '', starts: [], tops: [], bottoms: [] };
    if (!el || !el.firstChild) return out;
    const node = el.firstChild;
    if (node.nodeType !== 3 || el.childNodes.length !== 1) return null;
    const t = (node as Text).data;
    let mid = -Infinity;
    for (let i = 0; i < t.length;) {
      const c = t.charCodeAt(i);
      const step = c >= 0xd800 && c < 0xdc00 && i + 1 < t.length ? 2 : 1;
      range.setStart(node, i);
      range.setEnd(node, i + step);
      let r: DOMRect | null = null;
      for (const x of Array.from(range.getClientRects())) {
        if (x.height > 0) {
          r = x;
          break;
        }
      }
      if (r && r.top > mid) {
        out.starts.push(i);
        out.tops.push(r.top);
        out.bottoms.push(r.bottom);
        mid = (r.top + r.bottom) / 2;
      } else if (r) out.bottoms[out.bottoms.length - 1] = Math.max(out.bottoms[out.bottoms.length - 1]!, r.bottom);
      i += step;
    }
    return out;
  };
  return targets.map(([kind, i]) => {
    const tr = (kind === 'row' ? rows[i] : leads[i])!;
    const cells = kind === 'row' ? Array.from(tr.querySelectorAll('td'), box) : [box(tr.querySelector(`td.${c.text}`))];
    return { height: tr.getBoundingClientRect().height, cells };
  });
}
