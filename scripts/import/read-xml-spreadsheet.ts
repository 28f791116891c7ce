/**
 * Excel 2003 XML ("XML Spreadsheet 2003", SpreadsheetML) → one grid per worksheet, the same grids the
 * .xlsx reader makes: it is what many systems export under an .xls name. `<Worksheet ss:Name>` →
 * `<Table>` → `<Row ss:Index>` → `<Cell ss:Index ss:MergeAcross ss:MergeDown ss:StyleID>` → `<Data
 * ss:Type>` (rich text inside `<Data>` joined; a cell's `<Comment>` is not its text). Number formats
 * from `<Style><NumberFormat ss:Format>` (named ones such as `Percent` mapped to Excel's codes), so a
 * percentage reads `90%` as in Excel. Pure.
 */
import { importDiag, type ImportDiagnostic } from './grid.ts';
import { MAX_CELLS } from './limits.ts';
import { type ReadWorkbook, sheetGrid } from './read-xlsx.ts';
import { MAX_COL, MAX_ROW, type XlsxCell, type XlsxRange, type XlsxValue } from './xlsx-sheet.ts';
import { scanXml } from './xlsx-xml.ts';

/** Whether decoded text is an Excel 2003 XML workbook (looked for in its first 64 KB). */
export const isXmlSpreadsheet = (text: string): boolean =>
  /<(?:[\w.-]+:)?Workbook\b[^>]*urn:schemas-microsoft-com:office:spreadsheet/.test(text.slice(0, 65536));

/** SpreadsheetML's named number formats, as Excel format codes. */
const NAMED: Record<string, string> = {
  Percent: '0.00%',
  Fixed: '0.00',
  Standard: '#,##0.00',
  'Short Date': 'yyyy-mm-dd',
  'Medium Date': 'dd-mmm-yy',
  'Long Date': 'yyyy-mm-dd',
  'General Date': 'yyyy-mm-dd hh:mm',
};

/** Reads every worksheet. Never throws: a cell outside Excel's sheet is a diagnostic. */
export function readXmlSpreadsheet(xml: string): ReadWorkbook {
  const formats = new Map<string, string>();
  const sheets: Array<{ name: string; cells: XlsxCell[]; merges: XlsxRange[] }> = [];
  let styleId: string | undefined;
  let sheet: (typeof sheets)[number] | undefined;
  let row = 0;
  let col = 0;
  let cell: { row: number; col: number; type: string; style?: string; text: string } | undefined;
  let inData = 0;
  let inComment = 0;
  let keywords = '';
  let inKeywords = false;
  let filled = 0;
  let outside: string | undefined;

  scanXml(xml, {
    open(name, a, empty) {
      if (name === 'Style') styleId = a.ID;
      else if (name === 'NumberFormat' && styleId !== undefined && a.Format) {
        formats.set(styleId, NAMED[a.Format] ?? a.Format);
      } else if (name === 'Keywords') inKeywords = !empty;
      else if (name === 'Worksheet') {
        sheet = { name: a.Name ?? `Sheet${sheets.length + 1}`, cells: [], merges: [] };
        sheets.push(sheet);
        row = 0;
      } else if (name === 'Row' && sheet) {
        row = a.Index !== undefined ? Number(a.Index) : row + 1;
        col = 0;
        if (!(Number.isInteger(row) && row >= 1 && row <= MAX_ROW)) outside ??= `${sheet.name} Row ${a.Index}`;
      } else if (name === 'Cell' && sheet) {
        col = a.Index !== undefined ? Number(a.Index) : col + 1;
        if (!(Number.isInteger(col) && col >= 1 && col <= MAX_COL)) outside ??= `${sheet.name} Cell ${a.Index}`;
        const across = Math.max(0, Number(a.MergeAcross ?? 0) || 0);
        const down = Math.max(0, Number(a.MergeDown ?? 0) || 0);
        if (across || down) {
          const [bottom, right] = [Math.min(row + down, MAX_ROW), Math.min(col + across, MAX_COL)];
          sheet.merges.push({ top: row, left: col, bottom, right });
        }
        cell = { row, col, type: '', text: '', ...(a.StyleID !== undefined ? { style: a.StyleID } : {}) };
        // The next cell without an index follows the merged ones.
        col += across;
        if (empty) finish();
      } else if (cell && name === 'Comment') inComment += empty ? 0 : 1;
      else if (cell && name === 'Data' && !inComment) {
        cell.type = a.Type ?? 'String';
        inData += empty ? 0 : 1;
      }
    },
    close(name) {
      if (name === 'Style') styleId = undefined;
      else if (name === 'Keywords') inKeywords = false;
      else if (name === 'Worksheet') sheet = undefined;
      else if (name === 'Comment' && inComment) inComment--;
      else if (name === 'Data' && inData && !inComment) inData--;
      else if (name === 'Cell' && cell) finish();
    },
    text(text) {
      if (inKeywords) keywords += text;
      else if (cell && inData && !inComment) cell.text += text;
    },
  });

  function finish(): void {
    const c = cell!;
    cell = undefined;
    inData = inComment = 0;
    if (!c.type) return;
    filled++;
    let value: XlsxValue = c.text;
    if (c.type === 'Number') {
      const n = Number(c.text);
      if (c.text.trim() !== '' && Number.isFinite(n)) value = n;
    } else if (c.type === 'Boolean') value = c.text.trim() === '1' || /^true$/i.test(c.text.trim());
    else if (c.type === 'Error') value = { error: c.text };
    else if (c.type === 'DateTime') value = { date: c.text.trim() };
    const format = c.style === undefined ? undefined : formats.get(c.style);
    sheet!.cells.push({ row: c.row, col: c.col, value, ...(format && format !== 'General' ? { format } : {}) });
  }

  const refuse = (d: ImportDiagnostic): ReadWorkbook => ({ sheets: [], keywords: '', diagnostics: [d] });
  if (outside !== undefined) {
    const args = {
      detail: 'corrupt',
      reasonZh: `${outside} 超出工作表范围`,
      reason: `${outside} is outside the sheet`,
    };
    return refuse(importDiag('IMPORT_UNREADABLE', 'error', undefined, args));
  }
  if (filled > MAX_CELLS) {
    return refuse(
      importDiag('IMPORT_TOO_LARGE', 'error', undefined, { what: 'cells', size: filled, limit: MAX_CELLS }),
    );
  }
  const diagnostics: ImportDiagnostic[] = [];
  const grids = [];
  for (const s of sheets) {
    const grid = sheetGrid(s, false, diagnostics);
    if (!grid) return refuse(diagnostics.pop()!);
    grids.push(grid);
  }
  return { sheets: grids, keywords: keywords.trim(), diagnostics };
}
