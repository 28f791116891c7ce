/**
 * A web page (or the HTML a Word document converts to) → one grid, read the way a browser shows it.
 * Budget disclosures publish the form as an HTML table; many systems export "HTML saved as .xls"; mammoth
 * turns a .docx into HTML of the same shape. parse5 (the WHATWG parser browsers follow) builds the tree,
 * so unclosed `<td>`s, entities and stray tags read as in a browser.
 *
 * The grid stacks the page in reading order: text outside tables (a title, the 填报单位 line, a 说明)
 * becomes one-cell rows, each table its rows. A table holding tables is layout: its own cells are read as
 * text around the inner tables, whose rows are the data ("innermost rows"). `colspan`/`rowspan` are laid
 * out as a workbook's merged cells are: the text in the top-left cell, the cells it covers empty. Cell
 * text is the browser's: white space collapsed (non-breaking spaces included), `<br>` and block children
 * (`<p>`, `<div>`, `<li>`…) as line breaks, `<pre>` kept as written. Scripts, styles, the `<head>` and
 * LibreOffice's cell `<comment>`s are not text. Pure.
 */
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { mapGbPua } from './gb-pua.ts';
import { type Cell, type Grid, importDiag, type ImportDiagnostic, type SourceRef } from './grid.ts';
import { byteSize, MAX_CELLS, MAX_GRID_CELLS, MAX_HTML_BYTES, MAX_HTML_ELEMENTS } from './limits.ts';
import { type DecodedText, decodeText } from './read-tsv.ts';

/** Charsets a page may declare that are taken at their word: Unicode and the Chinese ones. */
const TRUSTED_CHARSETS = new Set(['utf-8', 'gbk', 'gb18030', 'big5']);

/**
 * A page's (or an XML file's) text. A byte-order mark decides; else the charset it declares in its first
 * 4 KB (`<meta charset>`, `<meta http-equiv="Content-Type" content="…; charset=gb2312">`, `<?xml …
 * encoding>`) when that is UTF-8 or a Chinese charset and the bytes are valid in it; else the same
 * sniffing as exported text (UTF-16 by its NULs, UTF-8, then GB18030). A page declaring a Western
 * charset (iso-8859-1 for a page really in GBK is common) is sniffed instead, never read as mojibake.
 * Either way GBK/GB 18030 private-use code points of standard characters become them (gb-pua.ts).
 */
export function decodeMarkup(bytes: Uint8Array): DecodedText {
  if (bytes.length > MAX_HTML_BYTES) {
    const args = { size: byteSize(bytes.length), limit: byteSize(MAX_HTML_BYTES) };
    return { diagnostics: [importDiag('FILE_TOO_LARGE', 'error', undefined, args)] };
  }
  const bom = (bytes[0] === 0xef && bytes[1] === 0xbb) || (bytes[0] === 0xff && bytes[1] === 0xfe);
  if (!bom && !(bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
    const label =
      /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ??
      /<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1];
    let decoder: TextDecoder | undefined;
    try {
      decoder = label ? new TextDecoder(label, { fatal: true }) : undefined;
    } catch {
      decoder = undefined;
    }
    if (decoder && TRUSTED_CHARSETS.has(decoder.encoding)) {
      try {
        const text = decoder.decode(bytes);
        if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { text: mapGbPua(text), diagnostics: [] };
      } catch {
        // Mislabelled (a page saved in GBK under a utf-8 meta): sniffed below.
      }
    }
  }
  return decodeText(bytes, MAX_HTML_BYTES);
}

/**
 * The start of a file as text, to tell markup from exported text before decoding it all: UTF-16 by its
 * byte-order mark or NUL bytes, anything else byte by byte (tags are ASCII in every charset used here).
 */
export function headText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 65536 & ~1);
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head);
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  if (odd > 8 * even && odd > 1) return new TextDecoder('utf-16le').decode(head);
  if (even > 8 * odd && even > 1) return new TextDecoder('utf-16be').decode(head);
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
}

/** Whether the start of a file is a web page or XML table (what many systems export under an .xls name). */
export const isMarkup = (head: string): boolean =>
  /^\s*</.test(head) && /<(?:html|table)\b|urn:schemas-microsoft-com:office:spreadsheet/i.test(head);

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Where a piece of the page is: [start, end) offsets into the HTML text. */
interface Span {
  start: number;
  end: number;
}

/** Text outside tables, between two block boundaries. */
interface Paragraph extends Span {
  kind: 'paragraph';
  text: string;
}

interface RawCell extends Span {
  text: string;
  colspan: number;
  /** 0: to the table's last row. */
  rowspan: number;
}

interface Table {
  kind: 'table';
  rows: RawCell[][];
}

export type HtmlBlock = Paragraph | Table;

export interface HtmlPage {
  blocks: HtmlBlock[];
  /** `<meta name="keywords">` (jxmb's own files carry the department code there). */
  keywords?: string;
}

const SKIP = new Set([
  'head',
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'svg',
  'math',
  'select',
  'comment',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'legend',
  'li',
  'listing',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'ul',
  // Cells and rows of a layout table: each is its own line of text.
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
]);

const isElement = (n: Node): n is Element => 'tagName' in n;
const attr = (e: Element, name: string): string | undefined => e.attrs.find((a) => a.name === name)?.value;
const span = (n: Node): Span | undefined => {
  const loc = 'sourceCodeLocation' in n ? n.sourceCodeLocation : undefined;
  return loc ? { start: loc.startOffset, end: loc.endOffset } : undefined;
};

/**
 * Text as a browser lays it out: runs of white space collapse to one space, none at the start or end of
 * a line; `<br>` is a line break, a block boundary one line break (never a blank line).
 */
class TextBuilder {
  private out = '';
  private space = false;
  private block = false;
  start = -1;
  end = -1;

  private mark(s: Span | undefined): void {
    if (!s) return;
    if (this.start < 0 || s.start < this.start) this.start = s.start;
    if (s.end > this.end) this.end = s.end;
  }

  private emit(content: string): void {
    const atLineStart = this.out === '' || this.out.endsWith('\n');
    if (this.block && !atLineStart) this.out += '\n';
    else if (this.space && !atLineStart) this.out += ' ';
    this.out += content;
    this.space = false;
    this.block = false;
  }

  text(t: string, at: Span | undefined, pre: boolean): void {
    if (pre) {
      if (t === '') return;
      this.mark(at);
      this.emit(t.replace(/\r\n?/g, '\n'));
      return;
    }
    const collapsed = t.replace(/[ \t\n\r\f\u00a0]+/g, ' ');
    if (collapsed === '') return;
    if (collapsed === ' ') {
      this.space = true;
      return;
    }
    this.mark(at);
    if (collapsed.startsWith(' ')) this.space = true;
    this.emit(collapsed.trim());
    if (collapsed.endsWith(' ')) this.space = true;
  }

  lineBreak(at: Span | undefined): void {
    this.mark(at);
    this.out += '\n';
    this.space = false;
    this.block = false;
  }

  boundary(): void {
    this.block = true;
  }

  get empty(): boolean {
    return this.out.trim() === '';
  }

  /** The text, without the line breaks and spaces a trailing `<br>` or padding leaves at its ends. */
  take(): string {
    const t = this.out.replace(/^[\s\n]+|[\s\n]+$/g, '');
    this.out = '';
    this.space = false;
    this.block = false;
    this.start = -1;
    this.end = -1;
    return t;
  }
}

/** Whether an element has a table among its descendants (it is then a layout table, not data). */
function holdsTable(e: Element): boolean {
  for (const c of e.childNodes) if (isElement(c) && (c.tagName === 'table' || holdsTable(c))) return true;
  return false;
}

/** The text of an element's content (a cell's, a caption's). */
function textOf(e: Element): string {
  const b = new TextBuilder();
  const walk = (n: Node, pre: boolean): void => {
    if (n.nodeName === '#text') return b.text((n as DefaultTreeAdapterTypes.TextNode).value, span(n), pre);
    if (!isElement(n) || SKIP.has(n.tagName)) return;
    if (n.tagName === 'br') return b.lineBreak(span(n));
    const block = BLOCK.has(n.tagName);
    if (block) b.boundary();
    for (const c of n.childNodes) walk(c, pre || n.tagName === 'pre' || n.tagName === 'textarea');
    if (block) b.boundary();
  };
  for (const c of e.childNodes) walk(c, false);
  return b.take();
}

/** Rows of a table without tables inside, in document order (the `<tbody>` a parser adds included). */
function tableRows(table: Element): RawCell[][] {
  const rows: RawCell[][] = [];
  const visit = (e: Element): void => {
    for (const c of e.childNodes) {
      if (!isElement(c)) continue;
      if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') visit(c);
      else if (c.tagName === 'tr') {
        const row: RawCell[] = [];
        for (const td of c.childNodes) {
          if (!isElement(td) || (td.tagName !== 'td' && td.tagName !== 'th')) continue;
          const at = span(td) ?? { start: 0, end: 0 };
          // As browsers clamp them: colspan 1–1000, rowspan 0–65534 (0: to the end of the table).
          const n = (v: string | undefined, min: number, max: number, dflt: number): number => {
            const x = v === undefined ? NaN : parseInt(v, 10);
            return Number.isNaN(x) ? dflt : Math.min(max, Math.max(min, x));
          };
          row.push({
            text: textOf(td),
            ...at,
            colspan: n(attr(td, 'colspan'), 1, 1000, 1),
            rowspan: n(attr(td, 'rowspan'), 0, 65534, 1),
          });
        }
        rows.push(row);
      }
    }
  };
  visit(table);
  return rows;
}

/**
 * The page's blocks in reading order. Undefined with a diagnostic when the page is too large to parse
 * within bounded memory (elements are counted on the raw text first).
 */
export function readHtmlPage(html: string): { page?: HtmlPage; diagnostics: ImportDiagnostic[] } {
  // Start tags counted on the raw text, before the tree (about 1 KB each) is built.
  let elements = 0;
  for (let i = html.indexOf('<'); i >= 0 && elements <= MAX_HTML_ELEMENTS; i = html.indexOf('<', i + 1)) {
    const c = html.charCodeAt(i + 1) | 32;
    if (c >= 97 && c <= 122) elements++;
  }
  if (elements > MAX_HTML_ELEMENTS) {
    const args = { what: 'html-elements', size: `${MAX_HTML_ELEMENTS}+`, limit: MAX_HTML_ELEMENTS };
    return { diagnostics: [importDiag('IMPORT_TOO_LARGE', 'error', undefined, args)] };
  }
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const blocks: HtmlBlock[] = [];
  let keywords: string | undefined;
  const b = new TextBuilder();
  const flush = (): void => {
    const [start, end] = [b.start, b.end];
    const text = b.take();
    if (text) blocks.push({ kind: 'paragraph', text, start, end });
  };
  const walk = (n: Node, pre: boolean): void => {
    if (n.nodeName === '#text') return b.text((n as DefaultTreeAdapterTypes.TextNode).value, span(n), pre);
    if (!isElement(n)) return;
    if (n.tagName === 'meta' && attr(n, 'name')?.toLowerCase() === 'keywords') keywords ??= attr(n, 'content');
    if (SKIP.has(n.tagName)) {
      if (n.tagName === 'head') for (const c of n.childNodes) if (isElement(c) && c.tagName === 'meta') walk(c, pre);
      return;
    }
    if (n.tagName === 'br') return b.lineBreak(span(n));
    if (n.tagName === 'table' && !holdsTable(n)) {
      flush();
      const caption = n.childNodes.find((c): c is Element => isElement(c) && c.tagName === 'caption');
      if (caption) {
        const at = span(caption);
        const text = textOf(caption);
        if (text) blocks.push({ kind: 'paragraph', text, start: at?.start ?? 0, end: at?.end ?? 0 });
      }
      blocks.push({ kind: 'table', rows: tableRows(n) });
      return;
    }
    const block = BLOCK.has(n.tagName);
    if (block) flush();
    for (const c of n.childNodes) walk(c, pre || n.tagName === 'pre' || n.tagName === 'textarea');
    if (block) flush();
  };
  for (const c of doc.childNodes) walk(c, false);
  flush();
  return { page: { blocks, ...(keywords !== undefined ? { keywords } : {}) }, diagnostics: [] };
}

/** How cells of the grid are referred to: offsets into the page, or a Word document's tables and paragraphs. */
export type HtmlRefs = 'html' | 'docx';

/**
 * The page's blocks → one grid: a paragraph is a row of one cell, a table its rows with spans laid out.
 * Undefined with a diagnostic when the laid-out grid or its filled cells pass the caps.
 */
export function pageGrid(
  page: HtmlPage,
  refs: HtmlRefs,
  text?: string,
): { grid?: Grid; tables: number; diagnostics: ImportDiagnostic[] } {
  const rows: Cell[][] = [];
  let tables = 0;
  let paragraphs = 0;
  let size = 0;
  let filled = 0;
  const tooLarge = (what: string, n: number, limit: number, table?: number) => ({
    tables,
    diagnostics: [
      importDiag('IMPORT_TOO_LARGE', 'error', undefined, {
        what,
        size: n,
        limit,
        container: refs,
        ...(table ? { table } : {}),
      }),
    ],
  });
  for (const block of page.blocks) {
    if (block.kind === 'paragraph') {
      paragraphs++;
      const ref: SourceRef =
        refs === 'docx'
          ? { kind: 'paragraph', index: paragraphs }
          : { kind: 'text', start: block.start, end: block.end };
      rows.push([{ text: block.text, row: rows.length + 1, col: 1, ref }]);
      filled++;
      continue;
    }
    tables++;
    const table = tables;
    const laid: Array<Array<{ cell: RawCell; master: boolean }>> = block.rows.map(() => []);
    for (let r = 0; r < block.rows.length; r++) {
      let col = 0;
      for (const cell of block.rows[r]!) {
        while (laid[r]![col]) col++;
        const down = cell.rowspan === 0 ? block.rows.length - r : Math.min(cell.rowspan, block.rows.length - r);
        size += down * cell.colspan;
        if (size > MAX_GRID_CELLS) return tooLarge('grid', size, MAX_GRID_CELLS, table);
        for (let dr = 0; dr < down; dr++)
          for (let dc = 0; dc < cell.colspan; dc++) laid[r + dr]![col + dc] = { cell, master: dr === 0 && dc === 0 };
        col += cell.colspan;
      }
    }
    laid.forEach((cells, r) => {
      const rowNo = rows.length + 1;
      let last = cells.length;
      while (last > 0 && !(cells[last - 1]?.master && cells[last - 1]!.cell.text)) last--;
      const row: Cell[] = [];
      let before = cells.find(Boolean)?.cell.start ?? 0;
      for (let c = 0; c < last; c++) {
        const at = cells[c];
        // A covered cell is shown where its merged cell starts; a gap a short row leaves, after the cell before it.
        const [start, end] = at
          ? at.master
            ? [at.cell.start, at.cell.end]
            : [at.cell.start, at.cell.start]
          : [before, before];
        if (at) before = at.cell.end;
        const ref: SourceRef =
          refs === 'docx' ? { kind: 'table', table, row: r + 1, col: c + 1 } : { kind: 'text', start, end };
        const value = at?.master ? at.cell.text : '';
        if (value) filled++;
        row.push({ text: value, row: rowNo, col: c + 1, ref });
      }
      rows.push(row);
    });
    if (filled > MAX_CELLS) return tooLarge('cells', filled, MAX_CELLS, table);
  }
  if (filled > MAX_CELLS) return tooLarge('cells', filled, MAX_CELLS);
  const grid: Grid = { kind: refs, rows, ...(refs === 'html' && text !== undefined ? { text } : {}) };
  return { grid, tables, diagnostics: [] };
}
