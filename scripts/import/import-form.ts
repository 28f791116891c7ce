/**
 * Bytes of an .xlsx or of exported text → the form's data, with every problem as a diagnostic placed in
 * the source. The format is sniffed from the content, not the file name; files it cannot read (old .xls,
 * Word documents, encrypted workbooks) are named as what they are. Pure (the xlsx reader unzips in memory).
 */
import { type Grid, importDiag, type ImportDiagnostic } from './grid.ts';
import { MAX_CELLS } from './limits.ts';
import { hasTitle, type ParseOptions, parseForm, type ParsedForm } from './parse-form.ts';
import { decodeText, readTsv } from './read-tsv.ts';
import { readXlsx } from './read-xlsx.ts';
import { splitForms as splitAtTitles } from './split-forms.ts';

/**
 * Every form found in one file: a workbook may hold one department per sheet, a sheet or a document
 * several forms one under another. `diagnostics` are the file's own (unreadable, empty, too large);
 * each form carries those found in it.
 */
export interface ImportedFile {
  kind?: ImportedForm['kind'];
  /** Every worksheet's name, in workbook order (xlsx). */
  sheets?: string[];
  /** The workbook's keywords property (jxmb's own xlsx carry the department code there). */
  keywords?: string;
  forms: ImportedForm[];
  diagnostics: ImportDiagnostic[];
}

/** The grids of one sheet or text that hold a form each: split at each title (one grid when there is one form). */
export const splitForms = (grid: Grid): Grid[] => splitAtTitles(grid);

/**
 * Reads every 部门整体绩效目标表 in file bytes. `fileName` helps only where the content cannot tell
 * (never to refuse a file). Never throws on bad input.
 */
export async function importFile(bytes: Uint8Array, opts: ParseOptions & { fileName?: string }): Promise<ImportedFile> {
  const one = await importForm(bytes, opts);
  const fileLevel = (f: ImportedForm): ImportedFile => ({
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.sheets ? { sheets: f.sheets } : {}),
    ...(f.keywords !== undefined ? { keywords: f.keywords } : {}),
    forms: [],
    diagnostics: f.diagnostics,
  });
  if (!one.parsed || !one.grid) return fileLevel(one);
  if (one.kind !== 'xlsx') return { ...fileLevel(one), diagnostics: [], forms: [one] };
  // A workbook: every sheet with a title is read, and every form on it.
  const wb = await readXlsx(bytes);
  const forms: ImportedForm[] = [];
  for (const sheet of wb.sheets.filter(hasTitle)) {
    const cellWarnings = wb.diagnostics.filter((d) => d.at?.kind === 'cell' && d.at.sheet === sheet.sheet);
    for (const grid of splitForms(sheet)) {
      const parsed = parseForm(grid, opts);
      forms.push({
        kind: 'xlsx',
        grid,
        ...(one.sheets ? { sheets: one.sheets } : {}),
        ...(one.keywords !== undefined ? { keywords: one.keywords } : {}),
        parsed,
        diagnostics: [...cellWarnings, ...parsed.diagnostics],
      });
    }
  }
  return { ...fileLevel(one), diagnostics: [], forms };
}

export interface ImportedForm {
  kind?: 'xlsx' | 'text';
  /** The grid the form was read from (the chosen worksheet of a workbook). */
  grid?: Grid;
  /** Every worksheet's name, in workbook order (xlsx). */
  sheets?: string[];
  /** The workbook's keywords property (jxmb's own xlsx carry the department code there). */
  keywords?: string;
  /** Present when a form was found. */
  parsed?: ParsedForm;
  diagnostics: ImportDiagnostic[];
}

const startsWith = (b: Uint8Array, sig: number[]): boolean => sig.every((x, i) => b[i] === x);

/** Reads the first 部门整体绩效目标表 in file bytes (importFile reads them all). Never throws on bad input. */
export async function importForm(bytes: Uint8Array, opts: ParseOptions): Promise<ImportedForm> {
  if (bytes.length === 0) return { diagnostics: [importDiag('IMPORT_EMPTY', 'error', undefined)] };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return importWorkbook(bytes, opts);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: compoundKind(bytes) })] };
  }
  // Formats a table is often saved in that are text-like but not a table export.
  const unreadable = (detail: string): ImportDiagnostic[] => [
    importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail }),
  ];
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { diagnostics: unreadable('pdf') };
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return { diagnostics: unreadable('rtf') };
  const decoded = decodeText(bytes);
  if (decoded.text === undefined) return { kind: 'text', diagnostics: decoded.diagnostics };
  // Web pages and Excel 2003 XML: what many systems export under an .xls name.
  const markup = /<(?:html|table)\b|urn:schemas-microsoft-com:office:spreadsheet/i;
  if (/^\s*</.test(decoded.text) && markup.test(decoded.text.slice(0, 65536))) {
    return { kind: 'text', diagnostics: unreadable('html') };
  }
  if (decoded.text.trim() === '')
    return { kind: 'text', diagnostics: [...decoded.diagnostics, importDiag('IMPORT_EMPTY', 'error', undefined)] };
  const grid = readTsv(decoded.text);
  const filled = grid.rows.reduce((n, r) => n + r.filter((c) => c.text.trim() !== '').length, 0);
  if (filled > MAX_CELLS) {
    const args = { what: 'text-cells', size: filled, limit: MAX_CELLS };
    const tooMany = importDiag('IMPORT_TOO_LARGE', 'error', undefined, args);
    return { kind: 'text', diagnostics: [...decoded.diagnostics, tooMany] };
  }
  const parsed = parseForm(grid, opts);
  const diagnostics = [...decoded.diagnostics, ...parsed.diagnostics];
  return {
    kind: 'text',
    grid,
    diagnostics,
    ...(diagnostics.some((d) => d.code === 'IMPORT_NO_TITLE') ? {} : { parsed }),
  };
}

async function importWorkbook(bytes: Uint8Array, opts: ParseOptions): Promise<ImportedForm> {
  const wb = await readXlsx(bytes);
  const sheets = wb.sheets.map((g) => g.sheet ?? '');
  if (wb.diagnostics.some((d) => d.severity === 'error')) return { kind: 'xlsx', sheets, diagnostics: wb.diagnostics };
  const forms = wb.sheets.filter(hasTitle);
  if (!forms.length) {
    return {
      kind: 'xlsx',
      sheets,
      keywords: wb.keywords,
      diagnostics: [importDiag('IMPORT_NO_TITLE', 'error', undefined, { sheets: sheets.join('、') })],
    };
  }
  const grid = forms[0]!;
  const parsed = parseForm(grid, opts);
  // Cell warnings of the sheet read (a formula without its result), before what the parser made of them.
  const cellWarnings = wb.diagnostics.filter((d) => d.at?.kind === 'cell' && d.at.sheet === grid.sheet);
  const diagnostics = [...cellWarnings, ...parsed.diagnostics];
  if (forms.length > 1) {
    diagnostics.unshift(
      importDiag('IMPORT_MULTIPLE_FORMS', 'warning', undefined, {
        sheets: forms.map((g) => g.sheet).join('、'),
        chosen: grid.sheet ?? '',
      }),
    );
  }
  return { kind: 'xlsx', grid, sheets, keywords: wb.keywords, parsed, diagnostics };
}

/**
 * What an OLE2 compound file (D0 CF 11 E0) holds, from its directory's stream names (UTF-16LE): a
 * password-protected .xlsx is such a file too, as are Word's .doc and the old .xls / WPS .et.
 */
function compoundKind(bytes: Uint8Array): 'encrypted' | 'doc' | 'xls' {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (name: string): boolean => all.includes(Buffer.from(name, 'utf16le'));
  if (has('EncryptedPackage')) return 'encrypted';
  if (has('WordDocument')) return 'doc';
  return 'xls';
}
