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
  /** Indent levels of left- or right-aligned text (one level ≈ one character of the Normal font). */
  indent?: number;
}

/** Which sides of a cell carry a thin black line. */
export interface Sides {
  left: boolean;
  right: boolean;
  top: boolean;
  bottom: boolean;
}

/** A cell format. Objects are compared by content: equal styles share one entry of cellXfs. */
export interface CellStyle {
  font: Font;
  alignment?: Alignment;
  /** A thin black line on all four sides (`thin`), or on the sides named. */
  border?: 'thin' | Sides;
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

/** What a validation shows when an entry is refused. */
interface ValidationBase {
  /** The cells it applies to (several ranges become one space-separated sqref). */
  range: Range | readonly Range[];
  errorTitle: string;
  error: string;
}

/** An in-cell dropdown: the value must be one of `items`. */
export interface ListValidation extends ValidationBase {
  items: readonly string[];
}

/**
 * A dropdown whose choices are the cells a formula refers to (written without `=`), e.g.
 * `INDIRECT($B$7)`: the list follows another cell's value.
 */
export interface FormulaListValidation extends ValidationBase {
  source: string;
}

/** The value must be a number (any decimal between the largest numbers Excel holds). */
export interface DecimalValidation extends ValidationBase {
  decimal: true;
}

export type Validation = ListValidation | FormulaListValidation | DecimalValidation;

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
  /** Not shown among the tabs (a sheet of lists that validations refer to). */
  hidden?: boolean;
  /** Column widths in Excel character units, column A first. */
  columns: readonly number[];
  /** Row 1 first. */
  rows: readonly Row[];
  merges: readonly Range[];
  validations: readonly Validation[];
  showGridLines: boolean;
  /** Rows kept in view while scrolling (frozen above row `rows + 1`). */
  freezeRows?: number;
  /** Manual page breaks: each number is the last row of a printed page (1-based). */
  rowBreaks?: readonly number[];
  page?: PageSetup;
}

/** A workbook-wide name for a range (what INDIRECT resolves), e.g. 成本指标 → 'lists'!$A$2:$A$4. */
export interface DefinedName {
  name: string;
  /** The sheet (index in `sheets`) and range it names. */
  sheet: number;
  range: Range;
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
  /** The first is the active one; its page set-up prints the workbook. */
  sheets: readonly Sheet[];
  names?: readonly DefinedName[];
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The package's parts, in the order they go into the zip ([Content_Types].xml first). */
export function workbookParts(wb: Workbook): ZipEntry[] {
  const strings = new SharedStrings();
  const styles = new StyleTable();
  const sheets = wb.sheets.map((s, i) => sheetXml(s, i === 0, strings, styles));
  const count = wb.sheets.length;
  return [
    { name: '[Content_Types].xml', data: contentTypes(count) },
    { name: '_rels/.rels', data: rootRels() },
    { name: 'docProps/core.xml', data: coreXml(wb.props) },
    { name: 'docProps/app.xml', data: appXml(wb.sheets.map((s) => s.name)) },
    { name: 'xl/workbook.xml', data: workbookXml(wb.sheets, wb.names ?? []) },
    { name: 'xl/_rels/workbook.xml.rels', data: workbookRels(count) },
    { name: 'xl/styles.xml', data: styles.xml() },
    { name: 'xl/sharedStrings.xml', data: strings.xml() },
    ...sheets.map((data, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data })),
  ];
}

const sheetNumbers = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

function contentTypes(count: number): string {
  const o = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  const ml = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  return (
    HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    o('/xl/workbook.xml', `${ml}.sheet.main+xml`) +
    sheetNumbers(count)
      .map((n) => o(`/xl/worksheets/sheet${n}.xml`, `${ml}.worksheet+xml`))
      .join('') +
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

/** Sheets first (rId1…rIdN, as workbook.xml refers to them), then styles and strings. */
const workbookRels = (count: number): string =>
  rels([
    ...sheetNumbers(count).map((n): [string, string] => [`${REL}/worksheet`, `worksheets/sheet${n}.xml`]),
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

function appXml(sheetNames: readonly string[]): string {
  // The application that wrote it: jxmb (exceljs claimed "Microsoft Excel"; LibreOffice prints the seed's
  // workbook the same either way: same pages, same text, checked with soffice --convert-to pdf).
  return (
    HEAD +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"' +
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    '<Application>jxmb</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>' +
    '<HeadingPairs><vt:vector size="2" baseType="variant">' +
    '<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>' +
    `<vt:variant><vt:i4>${sheetNames.length}</vt:i4></vt:variant>` +
    '</vt:vector></HeadingPairs>' +
    `<TitlesOfParts><vt:vector size="${sheetNames.length}" baseType="lpstr">` +
    sheetNames.map((n) => `<vt:lpstr>${text(n)}</vt:lpstr>`).join('') +
    '</vt:vector></TitlesOfParts>' +
    '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>' +
    '</Properties>'
  );
}

const quoteSheet = (name: string): string => `'${name.replace(/'/g, "''")}'`;

function workbookXml(sheets: readonly Sheet[], defined: readonly DefinedName[]): string {
  // The print names first, then the given ones by name: a stable order, so the same bytes.
  const names: string[] = [...defined]
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    .map(
      (d) =>
        `<definedName name="${attr(d.name)}">` +
        `${text(`${quoteSheet(sheets[d.sheet]!.name)}!${absolute(d.range)}`)}</definedName>`,
    );
  const sheet = sheets[0]!;
  const quoted = quoteSheet(sheet.name);
  const { printArea: a, printTitleRows: t } = sheet.page ?? {};
  if (a)
    names.unshift(
      `<definedName name="_xlnm.Print_Area" localSheetId="0">${text(`${quoted}!${absolute(a)}`)}</definedName>`,
    );
  if (t)
    names.splice(
      a ? 1 : 0,
      0,
      `<definedName name="_xlnm.Print_Titles" localSheetId="0">${text(`${quoted}!$${t.first}:$${t.last}`)}` +
        '</definedName>',
    );
  return (
    HEAD +
    `<workbook xmlns="${NS}" xmlns:r="${REL}">` +
    '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>' +
    '<sheets>' +
    sheets
      .map(
        (sh, i) =>
          `<sheet name="${attr(sh.name)}" sheetId="${i + 1}"${sh.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`,
      )
      .join('') +
    '</sheets>' +
    (names.length ? `<definedNames>${names.join('')}</definedNames>` : '') +
    '</workbook>'
  );
}

/** The worksheet, children in CT_Worksheet order. Fills `strings` and `styles` as cells are written. */
function sheetXml(sheet: Sheet, active: boolean, strings: SharedStrings, styles: StyleTable): string {
  const out: string[] = [HEAD, `<worksheet xmlns="${NS}" xmlns:r="${REL}">`];
  const { page } = sheet;
  if (page?.fitTo) out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  const lastCol = Math.max(sheet.columns.length, ...sheet.rows.map((r) => r.cells.length), 1);
  out.push(`<dimension ref="A1:${cellRef(Math.max(1, sheet.rows.length), lastCol)}"/>`);
  const grid = sheet.showGridLines ? '' : ' showGridLines="0"';
  const view = `${grid}${active ? ' tabSelected="1"' : ''} workbookViewId="0"`;
  const f = sheet.freezeRows;
  out.push(
    f
      ? `<sheetViews><sheetView${view}><pane ySplit="${f}" topLeftCell="A${f + 1}" activePane="bottomLeft" ` +
          `state="frozen"/><selection pane="bottomLeft" activeCell="A${f + 1}" sqref="A${f + 1}"/></sheetView>` +
          '</sheetViews>'
      : `<sheetViews><sheetView${view}/></sheetViews>`,
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
    for (const v of sheet.validations) out.push(validationXml(v));
    out.push('</dataValidations>');
  }
  if (page) {
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
  }
  const breaks = sheet.rowBreaks ?? [];
  if (breaks.length) {
    // id: the last row of a page; max: the last column the break spans (all of them, as Excel writes it).
    out.push(
      `<rowBreaks count="${breaks.length}" manualBreakCount="${breaks.length}">` +
        breaks.map((r) => `<brk id="${r}" max="16383" man="1"/>`).join('') +
        '</rowBreaks>',
    );
  }
  out.push('</worksheet>');
  return out.join('');
}

/** One dataValidation element (no prompt: the dropdown itself says what is allowed). */
function validationXml(v: Validation): string {
  const sqref = (Array.isArray(v.range) ? v.range : [v.range as Range]).map(rangeRef).join(' ');
  const common =
    `errorStyle="stop" allowBlank="1" showErrorMessage="1" errorTitle="${attr(v.errorTitle)}" ` +
    `error="${attr(v.error)}" sqref="${sqref}"`;
  if ('decimal' in v)
    return (
      `<dataValidation type="decimal" operator="between" ${common}>` +
      `<formula1>${DECIMAL_MIN}</formula1><formula2>${DECIMAL_MAX}</formula2></dataValidation>`
    );
  // A literal list: quoted, comma-separated (an item cannot contain a comma; a quote is doubled).
  const source = 'items' in v ? `"${v.items.map((s) => s.replace(/"/g, '""')).join(',')}"` : v.source;
  return `<dataValidation type="list" ${common}><formula1>${text(source)}</formula1></dataValidation>`;
}

/** The range of a decimal validation: every number Excel can hold (its largest is 9.99…E+307). */
const DECIMAL_MIN = '-9.99999999999999E+307';
const DECIMAL_MAX = '9.99999999999999E+307';

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
  /** Borders by their XML; 0 is none. */
  private readonly borders = new Map<string, number>([[borderXml(NO_SIDES), 0]]);
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
    const borderText = borderXml(style.border === 'thin' ? ALL_SIDES : (style.border ?? NO_SIDES));
    let borderId = this.borders.get(borderText);
    if (borderId === undefined) this.borders.set(borderText, (borderId = this.borders.size));
    let numFmtId = style.numFmtId ?? 0;
    if (style.numFmt !== undefined) {
      numFmtId = this.numFmts.get(style.numFmt) ?? 164 + this.numFmts.size;
      this.numFmts.set(style.numFmt, numFmtId);
    }
    const a = style.alignment;
    const align = a
      ? `<alignment${a.horizontal ? ` horizontal="${a.horizontal}"` : ''}` +
        `${a.vertical ? ` vertical="${a.vertical}"` : ''}${a.wrapText ? ' wrapText="1"' : ''}` +
        `${a.indent ? ` indent="${a.indent}"` : ''}/>`
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
      `<borders count="${this.borders.size}">${[...this.borders.keys()].join('')}</borders>` +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

const NO_SIDES: Sides = { left: false, right: false, top: false, bottom: false };
const ALL_SIDES: Sides = { left: true, right: true, top: true, bottom: true };

/** A border with a thin black line on the sides named (children in CT_Border order). */
function borderXml(s: Sides): string {
  const side = (name: keyof Sides): string =>
    s[name] ? `<${name} style="thin"><color rgb="FF000000"/></${name}>` : `<${name}/>`;
  return `<border>${side('left')}${side('right')}${side('top')}${side('bottom')}<diagonal/></border>`;
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
