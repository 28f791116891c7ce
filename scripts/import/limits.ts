/**
 * How much an import may read, in one place. A real 部门整体绩效目标表 of 500 indicator rows is under
 * 1 MB unzipped and a few thousand cells; these caps leave ample room for that and refuse what can only
 * be a mistake or a zip bomb before it costs gigabytes of memory. Every refusal names the cap it hit.
 */

const MiB = 1024 * 1024;

/** An .xlsx file on disk (fonts and styles included) is well under this; larger is refused before unzipping. */
export const MAX_XLSX_BYTES = 20 * MiB;
/** Exported text: a table export is a few tens of KB. */
export const MAX_TEXT_BYTES = 1 * MiB;
/**
 * A web page holding the table: a published page with its styles and menus is a few hundred KB, an
 * "HTML saved as .xls" with Office's inline styles a few MB.
 */
export const MAX_HTML_BYTES = 10 * MiB;
/**
 * Elements of a web page (start tags, counted before parsing: the parsed tree costs about 1 KB of memory
 * each, so a page of 10^6 cells would need a gigabyte). A form of 500 indicators written by Word, spans
 * and all, has under 50 000.
 */
export const MAX_HTML_ELEMENTS = 200_000;
/** A .docx on disk (a scanned seal or photo included), refused before unzipping when larger. */
export const MAX_DOCX_BYTES = 20 * MiB;
/**
 * The XML parts of a .docx (`word/*.xml`) unzipped: the converter (mammoth) holds them as a tree costing
 * about 100 bytes of memory per byte. A form of 500 indicator rows is about 3 MB; a typical one 200 KB.
 */
export const MAX_DOCX_XML_BYTES = 4 * MiB;
/** An old .xls / .doc handed to LibreOffice; such files of a form are well under 1 MB. */
export const MAX_LEGACY_BYTES = 20 * MiB;
/** Parts (files) inside an .xlsx; Excel writes 10–30, a workbook with images a few hundred at most. */
export const MAX_ZIP_ENTRIES = 1000;
/** Bytes one part may unzip to; checked while inflating, whatever the zip's directory declares. */
export const MAX_ENTRY_BYTES = 64 * MiB;
/** Bytes all parts together may unzip to. */
export const MAX_TOTAL_BYTES = 256 * MiB;
/** Cells holding something (a value, a formula, rich text) in one worksheet, or non-empty cells of a text export. */
export const MAX_CELLS = 50_000;
/** Cell elements of one worksheet, empty formatted ones included (each costs memory when read). */
export const MAX_CELL_ELEMENTS = 500_000;
/** Cells of a sheet's grid, counting the blanks between filled cells (a stray cell far right widens a row). */
export const MAX_GRID_CELLS = 1_000_000;
/** Warnings of one code printed in full; the rest are counted in one line. */
export const MAX_WARNINGS_PER_CODE = 20;

/** `64 MiB`, `500 KB`, `12 B`: a byte count for messages. */
export function byteSize(n: number): string {
  if (n >= MiB) return `${Number((n / MiB).toFixed(1))} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
