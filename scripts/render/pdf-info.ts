/**
 * PDF document information (Title, Author, Subject, Keywords, dates), written after Chromium.
 *
 * Chromium stamps the print time into CreationDate/ModDate and knows only the title. For reproducible
 * files (same input → same bytes) the dates must come from the source: here they are overwritten in
 * place (same length, so no offset moves), as are the DOM node ids in the structure tree; then a
 * complete Info dictionary is appended as a standard incremental update (new object, one-entry xref
 * section, trailer with /Prev). Pure: bytes in, bytes out.
 */
import { chinaWallClock, documentInstant, DOCUMENT_UTC_OFFSET_MINUTES } from './document-date.ts';

export interface PdfInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  /**
   * ISO date `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM[:SS]`), a time in China: CreationDate and ModDate are the
   * instant document-date.ts makes of it, the same the workbook's properties carry.
   */
  date: string;
}

/** Raised when the input is not a PDF this function understands (a bug, not bad user input). */
export class PdfStructureError extends Error {
  override name = 'PdfStructureError';
}

/** `2025-12-08` → `D:20251208000000+08'00'`: the document's instant (document-date.ts), in China time. */
export function pdfDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/.test(iso))
    throw new PdfStructureError(`not an ISO date: ${iso}`);
  const local = chinaWallClock(documentInstant(iso)).toISOString();
  const h = Math.floor(DOCUMENT_UTC_OFFSET_MINUTES / 60);
  const mm = DOCUMENT_UTC_OFFSET_MINUTES % 60;
  const zone = `+${String(h).padStart(2, '0')}'${String(mm).padStart(2, '0')}'`;
  return `D:${local.slice(0, 19).replace(/\D/g, '')}${zone}`;
}

/** A PDF text string: literal for printable ASCII, UTF-16BE hex with BOM otherwise. */
export function pdfString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** Returns a copy of `pdf` with its dates fixed and a full Info dictionary. */
export function setPdfInfo(pdf: Uint8Array, info: PdfInfo): Uint8Array {
  const text = latin1(pdf);
  if (!text.startsWith('%PDF-')) throw new PdfStructureError('not a PDF');
  const sx = text.lastIndexOf('startxref');
  const prev = sx >= 0 ? /^startxref\s+(\d+)/.exec(text.slice(sx)) : null;
  const trailerAt = text.lastIndexOf('trailer', sx);
  if (!prev || trailerAt < 0)
    throw new PdfStructureError('no classic xref trailer (xref streams are not expected from Chromium)');
  const trailer = text.slice(trailerAt, sx);
  const size = /\/Size\s+(\d+)/.exec(trailer);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer);
  if (!size || !root) throw new PdfStructureError('trailer without /Size or /Root');
  const date = pdfDate(info.date);

  // Chromium's own dates, rewritten in place with the source date (same length: offsets stay valid).
  const bytes = Buffer.from(pdf);
  const oldInfo = /\/Info\s+(\d+)\s+(\d+)\s+R/.exec(trailer);
  if (oldInfo) {
    const objAt = text.search(new RegExp(`(^|[\\r\\n])${oldInfo[1]}\\s+${oldInfo[2]}\\s+obj\\b`));
    const endAt = objAt >= 0 ? text.indexOf('endobj', objAt) : -1;
    if (objAt >= 0 && endAt > objAt) {
      const body = text.slice(objAt, endAt);
      for (const m of body.matchAll(/\/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)/g)) {
        const old = m[1]!;
        const fixed = date.length === old.length ? date : date.slice(0, old.length).padEnd(old.length, ' ');
        bytes.write(fixed, objAt + m.index + m[0].length - 1 - old.length, 'latin1');
      }
    }
  }

  stableNodeIds(bytes, text);

  const num = Number(size[1]);
  const nl = text.endsWith('\n') ? '' : '\n';
  const dict = [
    `/Title ${pdfString(info.title)}`,
    `/Author ${pdfString(info.author)}`,
    `/Subject ${pdfString(info.subject)}`,
    `/Keywords ${pdfString(info.keywords)}`,
    `/Creator ${pdfString(info.creator)}`,
    `/Producer ${pdfString(producerOf(text) ?? info.creator)}`,
    `/CreationDate (${date})`,
    `/ModDate (${date})`,
  ].join('\n');
  const obj = `${num} 0 obj\n<<${dict}>>\nendobj\n`;
  const objOffset = bytes.length + nl.length;
  const xrefOffset = objOffset + Buffer.byteLength(obj, 'latin1');
  const update =
    nl +
    obj +
    `xref\n0 1\n0000000000 65535 f \n${num} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${num + 1}\n/Root ${root[1]}\n/Info ${num} 0 R\n` +
    `/Prev ${prev[1]}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([bytes, Buffer.from(update, 'latin1')]));
}

/**
 * Tagged PDFs name their structure elements after DOM node ids (`(node00000240)`), which count up for
 * every document a browser renders: the second render of the same input would differ. They are
 * renumbered in place, in the same order and width (the ID tree stays sorted, no offset moves).
 */
function stableNodeIds(bytes: Buffer, text: string): void {
  const re = /\(node(\d+)\)/g;
  const ids = [...new Set([...text.matchAll(re)].map((m) => m[1]!))].sort(
    (a, b) => Number(a) - Number(b) || a.length - b.length,
  );
  const renumbered = new Map(ids.map((id, i) => [id, String(i + 1).padStart(id.length, '0')]));
  for (const m of text.matchAll(re)) {
    const next = renumbered.get(m[1]!)!;
    if (next.length === m[1]!.length) bytes.write(next, m.index + '(node'.length, 'latin1');
  }
}

/** Chromium's Producer (`Skia/PDF m156`), kept: it says what drew the pages. */
function producerOf(text: string): string | undefined {
  return /\/Producer\s*\(([\x20-\x27\x2a-\x5b\x5d-\x7e]*)\)/.exec(text)?.[1];
}
