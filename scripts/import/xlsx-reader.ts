/**
 * An .xlsx reader for what import needs, and nothing more: every worksheet's name (in workbook order),
 * cells (shared, inline and rich text, numbers, booleans, errors, formulas with their saved results) with
 * their number formats, merged ranges, the 1904 date system flag and the document's keywords. Parts are
 * found by following the package's relations, so absolute (`/xl/…`) and relative targets both work.
 * Bytes in, cells out: no styles beyond number formats, no drawings, no formula evaluation. Pure.
 */
import { XlsxDamage } from './xlsx-damage.ts';
import { readSheet, type XlsxCell, type XlsxRange } from './xlsx-sheet.ts';
import { cellFormats } from './xlsx-styles.ts';
import { decodeOoxmlEscapes, scanXml } from './xlsx-xml.ts';
import { openZip, type ZipParts } from './xlsx-zip.ts';

export type { XlsxCell, XlsxRange, XlsxValue } from './xlsx-sheet.ts';
export { XlsxDamage } from './xlsx-damage.ts';

export interface XlsxSheet {
  name: string;
  /** The cells holding a value or a formula, in file order (by row, then column, as programs write them). */
  cells: XlsxCell[];
  merges: XlsxRange[];
}

export interface XlsxWorkbook {
  sheets: XlsxSheet[];
  /** Whether serial numbers count days from 1904 (old Mac workbooks) rather than from 1900. */
  date1904: boolean;
  /** The document's keywords property (`docProps/core.xml`), or ''. */
  keywords: string;
}

/** Reads a workbook; a damaged one gives the damage instead (never throws on bad input). */
export function readWorkbook(bytes: Uint8Array): { workbook: XlsxWorkbook } | { damage: XlsxDamage } {
  try {
    return { workbook: read(openZip(bytes)) };
  } catch (e) {
    if (e instanceof XlsxDamage) return { damage: e };
    throw e;
  }
}

function read(zip: ZipParts): XlsxWorkbook {
  const pkg = relations(zip, '');
  const bookPart = pkg.find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const bookXml = need(zip, bookPart);
  const rels = relations(zip, bookPart);
  const relPart = (type: string, fallback: string): string | undefined =>
    rels.find((r) => r.type.endsWith(type))?.target ?? (zip.has(fallback) ? fallback : undefined);

  const sstPart = relPart('/sharedStrings', 'xl/sharedStrings.xml');
  const sharedStrings = sstPart === undefined ? undefined : readSharedStrings(need(zip, sstPart));
  const stylesPart = relPart('/styles', 'xl/styles.xml');
  const formats = cellFormats(stylesPart === undefined ? undefined : zip.text(stylesPart));

  let date1904 = false;
  const listed: Array<{ name: string; id: string }> = [];
  scanXml(bookXml, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      else if (name === 'sheet' && a.id !== undefined) listed.push({ name: a.name ?? '', id: a.id });
    },
    close() {},
    text() {},
  });
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets: XlsxSheet[] = [];
  for (const { name, id } of listed) {
    const rel = byId.get(id);
    // Chart sheets and dialog sheets hold no cells.
    if (!rel?.type.endsWith('/worksheet')) continue;
    sheets.push({ name, ...readSheet(need(zip, rel.target), { part: rel.target, sharedStrings, formats }) });
  }

  const corePart = pkg.find((r) => r.type.endsWith('/core-properties'))?.target ?? 'docProps/core.xml';
  return { sheets, date1904, keywords: keywords(zip.text(corePart)) };
}

/** A part the workbook cannot be read without. */
function need(zip: ZipParts, part: string): string {
  const text = zip.text(part);
  if (text === undefined) throw new XlsxDamage(`缺少部件 ${part}`, `the part ${part} is missing`);
  return text;
}

interface Relation {
  id: string;
  type: string;
  /** The target as a part name (`xl/worksheets/sheet1.xml`). */
  target: string;
}

/** A part's relations to other parts (external links left out); `''` for the package's own. */
function relations(zip: ZipParts, part: string): Relation[] {
  const slash = part.lastIndexOf('/');
  const dir = part.slice(0, slash + 1);
  const xml = zip.text(`${dir}_rels/${part.slice(slash + 1)}.rels`);
  const out: Relation[] = [];
  if (xml === undefined) return out;
  scanXml(xml, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
      out.push({ id: a.Id, type: a.Type ?? '', target: resolve(dir, a.Target) });
    },
    close() {},
    text() {},
  });
  return out;
}

/** A relation's target as a part name: absolute (`/xl/…`) or relative to its source's folder. */
function resolve(dir: string, target: string): string {
  const parts: string[] = [];
  for (const seg of (target.startsWith('/') ? target : dir + target).split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** The shared strings, rich text joined into its plain text, phonetic guides (furigana) left out. */
function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  scanXml(xml, {
    open(name, _, empty) {
      if (name === 'si') {
        if (empty) strings.push('');
        else current = '';
      } else if (name === 'rPh') phonetic += empty ? 0 : 1;
      else if (name === 't') inText = !empty && !phonetic && current !== undefined;
    },
    close(name) {
      if (name === 'si' && current !== undefined) {
        strings.push(current);
        current = undefined;
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    text(text) {
      if (inText) current += decodeOoxmlEscapes(text);
    },
  });
  return strings;
}

/** The `cp:keywords` of the core properties. */
function keywords(xml: string | undefined): string {
  let out = '';
  let depth = 0;
  if (xml === undefined) return out;
  scanXml(xml, {
    open(name, _, empty) {
      if (!empty && (depth || name === 'keywords')) depth++;
    },
    close() {
      if (depth) depth--;
    },
    text(text) {
      if (depth) out += text;
    },
  });
  return out;
}
