/**
 * A one-sheet workbook description → the parts of an .xlsx package (SpreadsheetML, ECMA-376), written
 * directly as text: no object model, no theme, only what the form uses. Elements are written in the
 * order the schema requires (Excel "repairs" a file whose worksheet children are out of order).
 *
 * Text is always a shared string, never a formula: a value starting with `=` is just text. Characters
 * XML 1.0 cannot carry are written with Excel's `_xHHHH_` escape (and a literal `_xHHHH_` in the text
 * is protected as `_x005F_xHHHH_`), so every string reads back as it went in.
 */
import type { ZipEntry } from './zip.ts';

export interface Font {
  name: string;
  /** Points. */
  size: number;
  bold?: boolean;
  /** 1 roman, 2 swiss, 3 modern (Excel's family for CJK fonts), 4 script, 5 decorative. */
  family?: number;
  /** 134 = GB2312: tells Excel the font is a Simplified Chinese one. */
  charset?: number;
}

export interface Alignment {
  horizontal?: 'left' | 'center' | 'right';
  vertical?: 'top' | 'center' | 'bottom';
  wrapText?: boolean;
}

/** A cell format. Objects are compared by content: equal styles share one entry of cellXfs. */
export interface CellStyle {
  font: Font;
  alignment?: Alignment;
  /** A thin black line on all four sides. */
  border?: 'thin';
  /** A built-in number format id; 0 = General (the default). */
  numFmtId?: number;
  /** A number format code (`0.00`), registered as a custom format; wins over numFmtId. */
  numFmt?: string;
}

export interface Cell {
  /** A number is a numeric cell; a string a text cell; absent: a styled empty cell. */
  value?: string | number;
  style: CellStyle;
}

export interface Row {
  /** Points; absent: Excel's default height. */
  height?: number;
  /** By column, 0-based; holes are absent cells. */
  cells: (Cell | undefined)[];
}

/** 1-based, inclusive. */
export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** An in-cell dropdown: the value must be one of `items`. */
export interface ListValidation {
  range: Range;
  items: readonly string[];
  errorTitle: string;
  error: string;
}

export interface PageSetup {
  /** 9 = A4. */
  paperSize: number;
  orientation: 'portrait' | 'landscape';
  /** Scale to this many pages wide / tall (0 = as many as needed). */
  fitTo?: { width: number; height: number };
  horizontalCentered?: boolean;
  /** Inches. */
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  printArea?: Range;
  /** Rows repeated at the top of every printed page, 1-based inclusive. */
  printTitleRows?: { first: number; last: number };
  /** Excel header/footer codes (`&C`, `&P`, `&N`…). */
  oddFooter?: string;
  evenFooter?: string;
}

export interface Sheet {
  name: string;
  /** Column widths in Excel character units, column A first. */
  columns: readonly number[];
  /** Row 1 first. */
  rows: readonly Row[];
  merges: readonly Range[];
  validations: readonly ListValidation[];
  showGridLines: boolean;
  page: PageSetup;
}

export interface DocProps {
  title: string;
  subject: string;
  keywords: string;
  creator: string;
  lastModifiedBy: string;
  created: Date;
  modified: Date;
}

export interface Workbook {
  props: DocProps;
  sheet: Sheet;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The package's parts, in the order they go into the zip ([Content_Types].xml first). */
export function workbookParts(wb: Workbook): ZipEntry[] {
  const strings = new SharedStrings();
  const styles = new StyleTable();
  const sheet = sheetXml(wb.sheet, strings, styles);
  return [
    { name: '[Content_Types].xml', data: contentTypes() },
    { name: '_rels/.rels', data: rootRels() },
    { name: 'docProps/core.xml', data: coreXml(wb.props) },
    { name: 'docProps/app.xml', data: appXml(wb.sheet.name) },
    { name: 'xl/workbook.xml', data: workbookXml(wb.sheet) },
    { name: 'xl/_rels/workbook.xml.rels', data: workbookRels() },
    { name: 'xl/styles.xml', data: styles.xml() },
    { name: 'xl/sharedStrings.xml', data: strings.xml() },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ];
}

function contentTypes(): string {
  const o = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  const ml = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  return (
    HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    o('/xl/workbook.xml', `${ml}.sheet.main+xml`) +
    o('/xl/worksheets/sheet1.xml', `${ml}.worksheet+xml`) +
    o('/xl/styles.xml', `${ml}.styles+xml`) +
    o('/xl/sharedStrings.xml', `${ml}.sharedStrings+xml`) +
    o('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    o('/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml') +
    '</Types>'
  );
}

const rels = (items: ReadonlyArray<[type: string, target: string]>): string =>
  `${HEAD}<Relationships xmlns="${PKG_REL}">` +
  items.map(([t, target], i) => `<Relationship Id="rId${i + 1}" Type="${t}" Target="${target}"/>`).join('') +
  '</Relationships>';

const rootRels = (): string =>
  rels([
    [`${REL}/officeDocument`, 'xl/workbook.xml'],
    [`${PKG_REL}/metadata/core-properties`, 'docProps/core.xml'],
    [`${REL}/extended-properties`, 'docProps/app.xml'],
  ]);

const workbookRels = (): string =>
  rels([
    [`${REL}/worksheet`, 'worksheets/sheet1.xml'],
    [`${REL}/styles`, 'styles.xml'],
    [`${REL}/sharedStrings`, 'sharedStrings.xml'],
  ]);

function coreXml(p: DocProps): string {
  const when = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    HEAD +
    '<cp:coreProperties' +
    ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${text(p.title)}</dc:title>` +
    `<dc:subject>${text(p.subject)}</dc:subject>` +
    `<dc:creator>${text(p.creator)}</dc:creator>` +
    `<cp:keywords>${text(p.keywords)}</cp:keywords>` +
    `<cp:lastModifiedBy>${text(p.lastModifiedBy)}</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when(p.created)}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when(p.modified)}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

function appXml(sheetName: string): string {
  // The application that wrote it: jxmb (exceljs claimed "Microsoft Excel"; LibreOffice prints the seed's
  // workbook the same either way: same pages, same text, checked with soffice --convert-to pdf).
  return (
    HEAD +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"' +
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    '<Application>jxmb</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
    '<HeadingPairs><vt:vector size="2" baseType="variant">' +
    '<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>' +
    '</vt:vector></HeadingPairs>' +
    '<TitlesOfParts><vt:vector size="1" baseType="lpstr">' +
    `<vt:lpstr>${text(sheetName)}</vt:lpstr></vt:vector></TitlesOfParts>` +
    '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>' +
    '</Properties>'
  );
}

function workbookXml(sheet: Sheet): string {
  const names: string[] = [];
  const quoted = `'${sheet.name.replace(/'/g, "''")}'`;
  const { printArea: a, printTitleRows: t } = sheet.page;
  if (a)
    names.push(
      `<definedName name="_xlnm.Print_Area" localSheetId="0">${text(`${quoted}!${absolute(a)}`)}</definedName>`,
    );
  if (t)
    names.push(
      `<definedName name="_xlnm.Print_Titles" localSheetId="0">${text(`${quoted}!$${t.first}:$${t.last}`)}` +
        '</definedName>',
    );
  return (
    HEAD +
    `<workbook xmlns="${NS}" xmlns:r="${REL}">` +
    '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets><sheet name="${attr(sheet.name)}" sheetId="1" r:id="rId1"/></sheets>` +
    (names.length ? `<definedNames>${names.join('')}</definedNames>` : '') +
    '</workbook>'
  );
}

/** The worksheet, children in CT_Worksheet order. Fills `strings` and `styles` as cells are written. */
function sheetXml(sheet: Sheet, strings: SharedStrings, styles: StyleTable): string {
  const out: string[] = [HEAD, `<worksheet xmlns="${NS}" xmlns:r="${REL}">`];
  const { page } = sheet;
  if (page.fitTo) out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  const lastCol = Math.max(sheet.columns.length, ...sheet.rows.map((r) => r.cells.length), 1);
  out.push(`<dimension ref="A1:${cellRef(Math.max(1, sheet.rows.length), lastCol)}"/>`);
  out.push(
    `<sheetViews><sheetView${sheet.showGridLines ? '' : ' showGridLines="0"'} tabSelected="1" ` +
      'workbookViewId="0"/></sheetViews>',
  );
  out.push('<sheetFormatPr defaultRowHeight="15"/>');
  if (sheet.columns.length) {
    out.push('<cols>');
    sheet.columns.forEach((w, i) => out.push(`<col min="${i + 1}" max="${i + 1}" width="${num(w)}" customWidth="1"/>`));
    out.push('</cols>');
  }
  out.push('<sheetData>');
  sheet.rows.forEach((row, i) => {
    const r = i + 1;
    out.push(row.height === undefined ? `<row r="${r}">` : `<row r="${r}" ht="${num(row.height)}" customHeight="1">`);
    row.cells.forEach((cell, c) => {
      if (!cell) return;
      const ref = cellRef(r, c + 1);
      const s = styles.id(cell.style);
      const v = cell.value;
      if (typeof v === 'number' && Number.isFinite(v)) out.push(`<c r="${ref}" s="${s}"><v>${num(v)}</v></c>`);
      else if (v === undefined || v === '') out.push(`<c r="${ref}" s="${s}"/>`);
      else out.push(`<c r="${ref}" s="${s}" t="s"><v>${strings.id(String(v))}</v></c>`);
    });
    out.push('</row>');
  });
  out.push('</sheetData>');
  if (sheet.merges.length)
    out.push(
      `<mergeCells count="${sheet.merges.length}">` +
        sheet.merges.map((m) => `<mergeCell ref="${rangeRef(m)}"/>`).join('') +
        '</mergeCells>',
    );
  if (sheet.validations.length) {
    out.push(`<dataValidations count="${sheet.validations.length}">`);
    for (const v of sheet.validations) {
      // A literal list: quoted, comma-separated (an item cannot contain a comma; a quote is doubled).
      const list = `"${v.items.map((s) => s.replace(/"/g, '""')).join(',')}"`;
      out.push(
        '<dataValidation type="list" errorStyle="stop" showErrorMessage="1" ' +
          `errorTitle="${attr(v.errorTitle)}" error="${attr(v.error)}" sqref="${rangeRef(v.range)}">` +
          `<formula1>${text(list)}</formula1></dataValidation>`,
      );
    }
    out.push('</dataValidations>');
  }
  if (page.horizontalCentered) out.push('<printOptions horizontalCentered="1"/>');
  const m = page.margins;
  out.push(
    `<pageMargins left="${num(m.left)}" right="${num(m.right)}" top="${num(m.top)}" ` +
      `bottom="${num(m.bottom)}" header="${num(m.header)}" footer="${num(m.footer)}"/>`,
  );
  const fit = page.fitTo ? ` fitToWidth="${page.fitTo.width}" fitToHeight="${page.fitTo.height}"` : '';
  out.push(`<pageSetup paperSize="${page.paperSize}" orientation="${page.orientation}"${fit}/>`);
  if (page.oddFooter !== undefined || page.evenFooter !== undefined) {
    out.push('<headerFooter>');
    if (page.oddFooter !== undefined) out.push(`<oddFooter>${text(page.oddFooter)}</oddFooter>`);
    if (page.evenFooter !== undefined) out.push(`<evenFooter>${text(page.evenFooter)}</evenFooter>`);
    out.push('</headerFooter>');
  }
  out.push('</worksheet>');
  return out.join('');
}

/** The shared string table: each distinct text once, cells refer to it by index. */
class SharedStrings {
  private readonly ids = new Map<string, number>();
  private count = 0;

  id(s: string): number {
    this.count++;
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.ids.size));
    return id;
  }

  xml(): string {
    const out: string[] = [HEAD, `<sst xmlns="${NS}" count="${this.count}" uniqueCount="${this.ids.size}">`];
    for (const s of this.ids.keys()) {
      // Excel drops leading/trailing white space unless told to keep it.
      out.push(
        /^\s|\s$/.test(s) ? `<si><t xml:space="preserve">${xstring(s)}</t></si>` : `<si><t>${xstring(s)}</t></si>`,
      );
    }
    out.push('</sst>');
    return out.join('');
  }
}

/** Fonts, borders and cell formats, each deduplicated by content; index 0 of each is the default. */
class StyleTable {
  private readonly byObject = new Map<CellStyle, number>();
  private readonly byKey = new Map<string, number>();
  private readonly fonts = new Map<string, number>([[fontXml(DEFAULT_FONT), 0]]);
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  /** Custom number formats by code; ids from 164 (below are Excel's built-in ones). */
  private readonly numFmts = new Map<string, number>();

  /** The cellXfs index of a style (a style object seen before is found without re-keying it). */
  id(style: CellStyle): number {
    const seen = this.byObject.get(style);
    if (seen !== undefined) return seen;
    const fontXmlText = fontXml(style.font);
    let fontId = this.fonts.get(fontXmlText);
    if (fontId === undefined) this.fonts.set(fontXmlText, (fontId = this.fonts.size));
    const borderId = style.border === 'thin' ? 1 : 0;
    let numFmtId = style.numFmtId ?? 0;
    if (style.numFmt !== undefined) {
      numFmtId = this.numFmts.get(style.numFmt) ?? 164 + this.numFmts.size;
      this.numFmts.set(style.numFmt, numFmtId);
    }
    const a = style.alignment;
    const align = a
      ? `<alignment${a.horizontal ? ` horizontal="${a.horizontal}"` : ''}` +
        `${a.vertical ? ` vertical="${a.vertical}"` : ''}${a.wrapText ? ' wrapText="1"' : ''}/>`
      : '';
    const applied =
      `${numFmtId ? ' applyNumberFormat="1"' : ''} applyFont="1"` +
      `${borderId ? ' applyBorder="1"' : ''}${align ? ' applyAlignment="1"' : ''}`;
    const xf =
      `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="${borderId}" ` +
      `xfId="0"${applied}${align ? `>${align}</xf>` : '/>'}`;
    let id = this.byKey.get(xf);
    if (id === undefined) {
      id = this.xfs.length;
      this.xfs.push(xf);
      this.byKey.set(xf, id);
    }
    this.byObject.set(style, id);
    return id;
  }

  xml(): string {
    const side = (s: string) => `<${s} style="thin"><color rgb="FF000000"/></${s}>`;
    return (
      HEAD +
      `<styleSheet xmlns="${NS}">` +
      (this.numFmts.size
        ? `<numFmts count="${this.numFmts.size}">` +
          [...this.numFmts].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${attr(code)}"/>`).join('') +
          '</numFmts>'
        : '') +
      `<fonts count="${this.fonts.size}">${[...this.fonts.keys()].join('')}</fonts>` +
      // The first two fills are reserved by Excel (none, gray125) whether used or not.
      '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
      '<fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>' +
      ['left', 'right', 'top', 'bottom'].map(side).join('') +
      '<diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

/** The Normal style's font: Excel's default, so column widths (in its digit widths) mean what they always did. */
const DEFAULT_FONT: Font = { name: 'Calibri', size: 11, family: 2 };

function fontXml(f: Font): string {
  return (
    '<font>' +
    (f.bold ? '<b/>' : '') +
    `<sz val="${num(f.size)}"/><name val="${attr(f.name)}"/>` +
    (f.family !== undefined ? `<family val="${f.family}"/>` : '') +
    (f.charset !== undefined ? `<charset val="${f.charset}"/>` : '') +
    '</font>'
  );
}

/** `A1` from 1-based row and column. */
export function cellRef(row: number, col: number): string {
  let letters = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** `A1:B2`, or `A1` for a single cell. */
export function rangeRef(r: Range): string {
  const a = cellRef(r.top, r.left);
  const b = cellRef(r.bottom, r.right);
  return a === b ? a : `${a}:${b}`;
}

const absolute = (r: Range): string => rangeRef(r).replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');

/** Numbers as XML wants them: shortest round-trip form (`0.1`, `1e+21`; xsd:double accepts both). */
const num = (n: number): string => String(n);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Code points XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF) and unpaired surrogates. */
const ILLEGAL =
  /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE = /^[\ud800-\udfff]$/;

/** Element text: escaped, characters XML cannot hold dropped (for parts that have no escape for them). */
export function text(s: string): string {
  return s
    .replace(ILLEGAL, '')
    .replace(/[&<>]/g, (c) => ESCAPES[c]!)
    .replace(/\r/g, '&#13;');
}

/** Attribute text (double-quoted): also quotes, and white space that attribute normalisation would eat. */
export function attr(s: string): string {
  return s
    .replace(ILLEGAL, '')
    .replace(/[&<>"]/g, (c) => ESCAPES[c]!)
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Shared-string text (ST_Xstring): a literal `_xHHHH_` is protected as `_x005F_xHHHH_`, then CR and
 * characters XML cannot hold become `_xHHHH_` (Excel's escape; an unpaired surrogate, which UTF-8
 * cannot encode, becomes U+FFFD), then the XML escapes.
 */
export function xstring(s: string): string {
  return s
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
    .replace(ILLEGAL, (c) =>
      LONE_SURROGATE.test(c) ? '\ufffd' : `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
    )
    .replace(/\r/g, '_x000D_')
    .replace(/[&<>]/g, (c) => ESCAPES[c]!);
}
