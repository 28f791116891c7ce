/**
 * Bytes of a file holding 部门整体绩效目标表 → every form in it, with every problem as a diagnostic placed
 * in the source. The format is sniffed from the content, not the file name:
 *
 * | format                              | read by                                   | refs          |
 * | ----------------------------------- | ----------------------------------------- | ------------- |
 * | .xlsx (Excel, WPS)                  | our reader (read-xlsx.ts, zip-guard.ts)   | `Sheet1!H12`  |
 * | .xls / WPS .et (BIFF), .doc         | LibreOffice → .xlsx / .docx (`convert`)   | as converted  |
 * | .docx (Word, WPS)                   | mammoth → HTML (read-docx.ts)             | `表2 第3行第4列` |
 * | .html / "HTML saved as .xls"        | parse5 (read-html.ts)                     | `line:col`    |
 * | Excel 2003 XML (often named .xls)   | our reader (read-xml-spreadsheet.ts)      | `Sheet1!H12`  |
 * | tab/comma/semicolon-separated text  | read-tsv.ts (UTF-8, UTF-16, GBK)          | `line:col`    |
 *
 * Every format becomes grids (grid.ts), each split into its forms (`splitForms`) and parsed (parse-form.ts).
 * Pure: old binary formats are converted by a callback the command supplies (scripts/io/office-convert.ts).
 */
import { type Grid, importDiag, type ImportDiagnostic, type SourceRef } from './grid.ts';
import { byteSize, MAX_CELLS, MAX_LEGACY_BYTES } from './limits.ts';
import { hasTitle, type ParseOptions, parseForm, type ParsedForm } from './parse-form.ts';
import { readDocx } from './read-docx.ts';
import { decodeMarkup, headText, isMarkup, pageGrid, readHtmlPage } from './read-html.ts';
import { decodeText, readTsv } from './read-tsv.ts';
import { isXmlSpreadsheet, readXmlSpreadsheet } from './read-xml-spreadsheet.ts';
import { readXlsx } from './read-xlsx.ts';
import { splitForms as splitAtTitles } from './split-forms.ts';

/**
 * What a file was: `xlsx`; `xls` (an old workbook or WPS .et, read through LibreOffice); `ods`
 * (OpenDocument, LibreOffice's own, likewise); `xml` (Excel 2003 XML); `docx`; `doc` and `odt` (an old
 * Word or an OpenDocument text, through LibreOffice); `html`; `text` (tab-, comma- or semicolon-separated).
 */
export type SourceKind = 'xlsx' | 'xls' | 'ods' | 'xml' | 'docx' | 'doc' | 'odt' | 'html' | 'text';

/** An old binary format handed to LibreOffice, and what it is converted to. */
export type LegacyFormat = 'xls' | 'doc' | 'ods' | 'odt';

/**
 * The converted file, or why there is none: `missing` (LibreOffice is not installed), `failed` (it could
 * not open the file: damaged, password-protected, or not what it seems), `timeout` (it was stopped).
 */
export type Converted = { bytes: Uint8Array } | { error: 'missing' | 'failed' | 'timeout'; detail?: string };

/** Converts an old binary file (.xls → .xlsx, .doc → .docx); I/O, so supplied by the caller. */
export type OfficeConverter = (bytes: Uint8Array, from: LegacyFormat, to: 'xlsx' | 'docx') => Promise<Converted>;

export interface ImportOptions extends ParseOptions {
  /** Helps only where the content cannot tell (never to refuse a file). */
  fileName?: string;
  /** Without it, an .xls or .doc is refused with a message saying how to read it. */
  convert?: OfficeConverter;
}

/**
 * Every form found in one file: a workbook may hold one department per sheet, a sheet or a document
 * several forms one under another. `diagnostics` are the file's own when no form could be read
 * (unreadable, empty, too large, no title); once forms are found, each form's `diagnostics` is complete
 * on its own: the file-wide warnings (the encoding the text was read in) come first in every form, then
 * those about its cells, then the parser's.
 */
export interface ImportedFile {
  kind?: SourceKind;
  /** Every worksheet's name, in workbook order (xlsx, xls, xml). */
  sheets?: string[];
  /** The workbook's keywords property, or a page's `<meta name="keywords">` (jxmb's own carry the code). */
  keywords?: string;
  forms: ImportedForm[];
  diagnostics: ImportDiagnostic[];
}

export interface ImportedForm {
  kind?: SourceKind;
  /** The grid the form was read from: its part of a worksheet, a page or a document. */
  grid?: Grid;
  /** Every worksheet's name, in workbook order (xlsx). */
  sheets?: string[];
  /** The workbook's keywords property (jxmb's own xlsx carry the department code there). */
  keywords?: string;
  /** Present when a form was found. */
  parsed?: ParsedForm;
  diagnostics: ImportDiagnostic[];
}

/** The grids of one sheet or text that hold a form each: split at each title (one grid when there is one form). */
export const splitForms = (grid: Grid): Grid[] => splitAtTitles(grid);

/** What a file holds, before any form is looked for. */
interface Source {
  kind?: SourceKind;
  sheets?: string[];
  keywords?: string;
  grids: Grid[];
  /** Tables found in a document or page (a document without one is refused as such). */
  tables?: number;
  /** Errors: nothing was read. Warnings: about the whole file (no `at`) or one cell. */
  diagnostics: ImportDiagnostic[];
}

/**
 * Reads every 部门整体绩效目标表 in file bytes: every titled sheet of a workbook, every form of a sheet,
 * page or document. Never throws on bad input.
 */
export async function importFile(bytes: Uint8Array, opts: ImportOptions): Promise<ImportedFile> {
  let src: Source;
  try {
    src = await readSource(bytes, opts);
  } catch (e) {
    // A reader's bug must not become a stack trace: the file is reported unreadable, with the reason.
    const detail = String((e as Error)?.message ?? e).split('\n')[0]!;
    return { forms: [], diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail })] };
  }
  const head: ImportedFile = {
    ...(src.kind ? { kind: src.kind } : {}),
    ...(src.sheets ? { sheets: src.sheets } : {}),
    ...(src.keywords !== undefined ? { keywords: src.keywords } : {}),
    forms: [],
    diagnostics: src.diagnostics,
  };
  if (src.diagnostics.some((d) => d.severity === 'error')) return head;
  const noTable = (src.kind === 'docx' || src.kind === 'doc' || src.kind === 'html') && !src.tables;
  const titled = src.grids.filter(hasTitle);
  if (noTable || !titled.length) {
    const container = src.kind === 'doc' ? 'docx' : src.kind;
    const refusal = noTable
      ? importDiag('IMPORT_NO_TABLE', 'error', undefined, { container: container ?? '' })
      : importDiag('IMPORT_NO_TITLE', 'error', undefined, src.sheets ? { sheets: src.sheets.join('、') } : {});
    return { ...head, diagnostics: [...src.diagnostics, refusal] };
  }
  const fileWide = src.diagnostics.filter((d) => !d.at);
  const pieces = titled.flatMap((grid) => splitForms(grid));
  const cellWarnings = assign(
    src.diagnostics.filter((d) => d.at),
    pieces,
  );
  const forms = pieces.map((grid, i): ImportedForm => {
    const parsed = parseForm(grid, opts);
    const found = !parsed.diagnostics.some((d) => d.code === 'IMPORT_NO_TITLE');
    return {
      ...(src.kind ? { kind: src.kind } : {}),
      grid,
      ...(src.sheets ? { sheets: src.sheets } : {}),
      ...(src.keywords !== undefined ? { keywords: src.keywords } : {}),
      ...(found ? { parsed } : {}),
      diagnostics: [...fileWide, ...cellWarnings[i]!, ...parsed.diagnostics],
    };
  });
  return { ...head, diagnostics: [], forms };
}

/**
 * Each positioned warning to the form whose grid holds its row (same sheet, same row), else the first
 * form of its sheet, else (a text or page) the first form. A warning on a sheet holding no form (a
 * formula on a 填报说明 sheet) concerns nothing imported and goes to no form.
 */
function assign(warnings: ImportDiagnostic[], grids: Grid[]): ImportDiagnostic[][] {
  const out = grids.map((): ImportDiagnostic[] => []);
  const rowOf = (ref: SourceRef): string =>
    ref.kind === 'cell' ? `${ref.sheet}\u0000${/\d+$/.exec(ref.address)?.[0]}` : JSON.stringify(ref);
  const where = new Map<string, number>();
  grids.forEach((g, i) => {
    for (const row of g.rows) for (const c of row) if (!where.has(rowOf(c.ref))) where.set(rowOf(c.ref), i);
  });
  for (const w of warnings) {
    const at = w.at!;
    const i = where.get(rowOf(at)) ?? (at.kind === 'cell' ? grids.findIndex((g) => g.sheet === at.sheet) : 0);
    if (i >= 0) out[i]!.push(w);
  }
  return out;
}

/**
 * Reads the first 部门整体绩效目标表 in file bytes, as `importFile` reads them all; when there are more,
 * a warning names them. Never throws on bad input.
 */
export async function importForm(bytes: Uint8Array, opts: ImportOptions): Promise<ImportedForm> {
  const file = await importFile(bytes, opts);
  const first = file.forms[0];
  if (!first) {
    return {
      ...(file.kind ? { kind: file.kind } : {}),
      ...(file.sheets ? { sheets: file.sheets } : {}),
      ...(file.keywords !== undefined ? { keywords: file.keywords } : {}),
      diagnostics: file.diagnostics,
    };
  }
  if (file.forms.length === 1) return first;
  const where = (f: ImportedForm): string => f.grid?.sheet ?? '';
  const many = importDiag('IMPORT_MULTIPLE_FORMS', 'warning', undefined, {
    sheets: [...new Set(file.forms.map(where))].join('、'),
    chosen: where(first),
  });
  return { ...first, diagnostics: [many, ...first.diagnostics] };
}

const startsWith = (b: Uint8Array, sig: number[]): boolean => sig.every((x, i) => b[i] === x);
const unreadable = (detail: string, more: Record<string, string> = {}): Source => ({
  grids: [],
  diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail, ...more })],
});

/** The file's grids, whatever its format. */
async function readSource(bytes: Uint8Array, opts: ImportOptions): Promise<Source> {
  if (bytes.length === 0) return { grids: [], diagnostics: [importDiag('IMPORT_EMPTY', 'error', undefined)] };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const wb = await readXlsx(bytes);
    if (wb.zip === 'docx') return readWord(bytes, 'docx');
    if (wb.zip === 'ods') return convertAndRead(bytes, openDocumentKind(bytes), opts);
    const sheets = wb.sheets.map((g) => g.sheet ?? '');
    return { kind: 'xlsx', sheets, keywords: wb.keywords, grids: wb.sheets, diagnostics: wb.diagnostics };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return readLegacy(bytes, opts);
  // Formats a table is often saved in that are not a table.
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return unreadable('pdf');
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return unreadable('rtf');
  // Web pages and Excel 2003 XML: budget disclosures, and what many systems export under an .xls name.
  if (isMarkup(headText(bytes))) {
    const decoded = decodeMarkup(bytes);
    if (decoded.text === undefined) return { kind: 'html', grids: [], diagnostics: decoded.diagnostics };
    if (isXmlSpreadsheet(decoded.text)) {
      const wb = readXmlSpreadsheet(decoded.text);
      const sheets = wb.sheets.map((g) => g.sheet ?? '');
      const diagnostics = [...decoded.diagnostics, ...wb.diagnostics];
      return { kind: 'xml', sheets, keywords: wb.keywords, grids: wb.sheets, diagnostics };
    }
    const read = readHtmlPage(decoded.text);
    if (!read.page) return { kind: 'html', grids: [], diagnostics: [...decoded.diagnostics, ...read.diagnostics] };
    const laid = pageGrid(read.page, 'html', decoded.text);
    return {
      kind: 'html',
      ...(read.page.keywords !== undefined ? { keywords: read.page.keywords } : {}),
      grids: laid.grid ? [laid.grid] : [],
      tables: laid.tables,
      diagnostics: [...decoded.diagnostics, ...laid.diagnostics],
    };
  }
  const decoded = decodeText(bytes);
  if (decoded.text === undefined) return { kind: 'text', grids: [], diagnostics: decoded.diagnostics };
  if (decoded.text.trim() === '')
    return {
      kind: 'text',
      grids: [],
      diagnostics: [...decoded.diagnostics, importDiag('IMPORT_EMPTY', 'error', undefined)],
    };
  const grid = readTsv(decoded.text);
  const filled = grid.rows.reduce((n, r) => n + r.filter((c) => c.text.trim() !== '').length, 0);
  if (filled > MAX_CELLS) {
    const tooMany = importDiag('IMPORT_TOO_LARGE', 'error', undefined, {
      what: 'text-cells',
      size: filled,
      limit: MAX_CELLS,
    });
    return { kind: 'text', grids: [], diagnostics: [...decoded.diagnostics, tooMany] };
  }
  return { kind: 'text', grids: [grid], diagnostics: decoded.diagnostics };
}

async function readWord(bytes: Uint8Array, kind: 'docx' | 'doc' | 'odt'): Promise<Source> {
  const doc = await readDocx(bytes);
  return { kind, grids: doc.grid ? [doc.grid] : [], tables: doc.tables, diagnostics: doc.diagnostics };
}

/** An OLE2 compound file: a password-protected .xlsx/.docx, or an old .xls/.et/.doc (through LibreOffice). */
async function readLegacy(bytes: Uint8Array, opts: ImportOptions): Promise<Source> {
  const found = compoundKind(bytes);
  if (found === 'encrypted') {
    const name = opts.fileName ?? '';
    return unreadable(
      'encrypted',
      /\.docx?$/i.test(name) ? { app: 'word' } : /\.(?:xlsx?|et)$/i.test(name) ? { app: 'excel' } : {},
    );
  }
  const kind: LegacyFormat = found === 'doc' ? 'doc' : 'xls';
  const source = { kind, grids: [] };
  if (!opts.convert) return { ...source, ...unreadable(kind) };
  // Neither a workbook nor a document inside: LibreOffice would read the bytes as text and "convert" them.
  if (found === 'unknown') {
    return {
      ...source,
      ...unreadable('corrupt', {
        reasonZh: '这不是完整的旧版 Excel 或 Word 文件（其中找不到工作簿或文档数据，可能被截断）',
        reason: 'it is no whole old Excel or Word file (no workbook or document data in it; it may be truncated)',
      }),
    };
  }
  return convertAndRead(bytes, kind, opts);
}

/**
 * An OpenDocument file (zip with content.xml): a spreadsheet or a text, by the `mimetype` entry the format
 * stores first and uncompressed (any other shape is read as a spreadsheet).
 */
function openDocumentKind(bytes: Uint8Array): 'ods' | 'odt' {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  return head.includes('application/vnd.oasis.opendocument.text') ? 'odt' : 'ods';
}

/** A format only LibreOffice reads, converted (.xls/.ods → .xlsx, .doc/.odt → .docx) and read as that. */
async function convertAndRead(bytes: Uint8Array, kind: LegacyFormat, opts: ImportOptions): Promise<Source> {
  const source = { kind, grids: [] };
  if (!opts.convert) return { ...source, ...unreadable(kind) };
  if (bytes.length > MAX_LEGACY_BYTES) {
    const args = { size: byteSize(bytes.length), limit: byteSize(MAX_LEGACY_BYTES) };
    return { ...source, diagnostics: [importDiag('FILE_TOO_LARGE', 'error', undefined, args)] };
  }
  const word = kind === 'doc' || kind === 'odt';
  const converted = await opts.convert(bytes, kind, word ? 'docx' : 'xlsx');
  if ('error' in converted) {
    if (converted.error === 'missing') return { ...source, ...unreadable(kind, { reason: 'missing' }) };
    const args = { from: kind, reason: converted.error, ...(converted.detail ? { detail: converted.detail } : {}) };
    return { ...source, diagnostics: [importDiag('IMPORT_CONVERT_FAILED', 'error', undefined, args)] };
  }
  const out = converted.bytes;
  if (word) return readWord(out, kind);
  const wb = await readXlsx(out);
  const sheets = wb.sheets.map((g) => g.sheet ?? '');
  return { kind, sheets, keywords: wb.keywords, grids: wb.sheets, diagnostics: wb.diagnostics };
}

/**
 * What an OLE2 compound file (D0 CF 11 E0) holds, from its directory's stream names (UTF-16LE): a
 * password-protected .xlsx or .docx is such a file (an `EncryptedPackage`), as are Word's .doc
 * (`WordDocument`) and the old .xls / WPS .et (`Workbook`, or `Book` for Excel 5/95).
 */
function compoundKind(bytes: Uint8Array): 'encrypted' | 'doc' | 'xls' | 'unknown' {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (name: string): boolean => all.includes(Buffer.from(`${name}\0`, 'utf16le'));
  if (has('EncryptedPackage')) return 'encrypted';
  if (has('WordDocument')) return 'doc';
  if (has('Workbook') || has('Book')) return 'xls';
  return 'unknown';
}
