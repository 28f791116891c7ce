/**
 * Test-side writers of the containers the import reads, made independently of the importer: an HTML
 * page and a Word document (.docx, through the test zip writer) holding paragraphs and tables with
 * merged cells, and the reference table laid out with the merges the official template has.
 */
import { seedText } from '../helpers.ts';
import { part, writeZip } from './_zip.ts';

/** A cell of a table as HTML and Word write it: covered cells are not written. */
export interface SpanCell {
  text: string;
  colspan?: number;
  rowspan?: number;
}
export type Block = string | SpanCell[][];

/** The reference export's rows, cell by cell (it has no quoted fields). */
export const seedRows = (): string[][] =>
  seedText()
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.split('\t'));

/**
 * The reference table with the template's merges: the 绩效指标 label down the indicator rows, each
 * 一级/二级 down its run, and a label's value across the row. Laid out again, it is the export's grid.
 */
export function seedMerged(): Block[] {
  const rows = seedRows();
  const blocks: Block[] = [];
  const table: SpanCell[][] = [];
  const covered = new Set<string>();
  const indicator = (r: number): boolean => (rows[r]?.[3] ?? '') !== '' && (rows[r]?.[4] ?? '') !== '';
  rows.forEach((row, r) => {
    // Lines outside the table (the title, the year, blanks, the 说明 block) are paragraphs.
    if (row.length === 1) {
      blocks.push(...(table.length ? [table.splice(0)] : []), row[0]!);
      return;
    }
    const out: SpanCell[] = [];
    row.forEach((text, c) => {
      if (covered.has(`${r},${c}`)) return;
      const cell: SpanCell = { text };
      if (c === 1 && row.slice(2).every((t) => t === '') && row.length > 2) {
        cell.colspan = row.length - 1;
        for (let k = 2; k < row.length; k++) covered.add(`${r},${k}`);
      }
      // The header row counts as an indicator row: its 绩效指标 label runs down all of them.
      if (text && c <= 2 && indicator(r)) {
        let down = 1;
        while (indicator(r + down) && rows[r + down]![c] === '') down++;
        if (down > 1) {
          cell.rowspan = down;
          for (let k = 1; k < down; k++) covered.add(`${r + k},${c}`);
        }
      }
      out.push(cell);
    });
    table.push(out);
  });
  if (table.length) blocks.push(table);
  return blocks;
}

/** The reference export's rows as blocks without merges (one table, lines outside it as paragraphs). */
export function seedPlain(): Block[] {
  const blocks: Block[] = [];
  let table: SpanCell[][] = [];
  for (const row of seedRows()) {
    if (row.length === 1) {
      if (table.length) blocks.push(table);
      table = [];
      blocks.push(row[0]!);
    } else table.push(row.map((text) => ({ text })));
  }
  if (table.length) blocks.push(table);
  return blocks;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Blocks → an HTML page (`\n` in a cell as `<br>`); `head` goes into `<head>`. */
export function htmlPage(blocks: Block[], head = '<meta charset="utf-8">'): string {
  const body = blocks.map((b) =>
    typeof b === 'string'
      ? `<p>${esc(b)}</p>`
      : '<table border="1">\n' +
        b
          .map(
            (row) =>
              '  <tr>' +
              row
                .map((c) => {
                  const span =
                    (c.colspan ? ` colspan="${c.colspan}"` : '') + (c.rowspan ? ` rowspan="${c.rowspan}"` : '');
                  return `<td${span}>${esc(c.text).replace(/\n/g, '<br>')}</td>`;
                })
                .join('') +
              '</tr>\n',
          )
          .join('') +
        '</table>',
  );
  const top = `<!DOCTYPE html>\n<html><head>${head}<title>jxmb test</title></head>\n<body>\n`;
  return `${top}${body.join('\n')}\n</body></html>\n`;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const runs = (text: string): string =>
  text
    .split('\n')
    .map((t) => `<w:t xml:space="preserve">${esc(t)}</w:t>`)
    .join('<w:br/>');
const para = (text: string): string => (text ? `<w:p><w:r>${runs(text)}</w:r></w:p>` : '<w:p/>');

/** A table as Word writes it: `gridSpan` across, `vMerge` down (a continuation cell in each row below). */
function wordTable(rows: SpanCell[][]): string {
  // Where each cell of the laid-out grid comes from.
  const laid: Array<Array<{ cell: SpanCell; top: boolean; left: boolean } | undefined>> = rows.map(() => []);
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row) {
      while (laid[r]![col]) col++;
      for (let dr = 0; dr < (cell.rowspan ?? 1); dr++)
        for (let dc = 0; dc < (cell.colspan ?? 1); dc++)
          laid[r + dr]![col + dc] = { cell, top: dr === 0, left: dc === 0 };
      col += cell.colspan ?? 1;
    }
  });
  const width = Math.max(...laid.map((r) => r.length));
  const grid = `<w:tblGrid>${'<w:gridCol w:w="1000"/>'.repeat(width)}</w:tblGrid>`;
  const trs = laid.map((row) => {
    const tcs: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const at = row[c];
      if (!at || !at.left) continue;
      const span = at.cell.colspan ?? 1;
      const props =
        (span > 1 ? `<w:gridSpan w:val="${span}"/>` : '') +
        ((at.cell.rowspan ?? 1) > 1 ? (at.top ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>') : '');
      tcs.push(
        `<w:tc><w:tcPr><w:tcW w:w="${1000 * span}" w:type="dxa"/>${props}</w:tcPr>` +
          `${para(at.top ? at.cell.text : '')}</w:tc>`,
      );
    }
    return `<w:tr>${tcs.join('')}</w:tr>`;
  });
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${grid}${trs.join('')}</w:tbl>`;
}

/** The XML of a document holding the blocks. */
export const documentXml = (blocks: Block[]): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>` +
  blocks.map((b) => (typeof b === 'string' ? para(b) : wordTable(b))).join('') +
  '<w:sectPr/></w:body></w:document>';

/** A .docx holding `document.xml` (the three parts Word needs to open it). */
export function docx(document: string): Uint8Array {
  const types =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" ' +
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
    'Target="word/document.xml"/></Relationships>';
  return writeZip([part('[Content_Types].xml', types), part('_rels/.rels', rels), part('word/document.xml', document)]);
}

/** The grid a reader should make of blocks: a paragraph a row of one cell, a table laid out, covered cells ''. */
export function laidOut(blocks: Block[]): string[][] {
  const out: string[][] = [];
  for (const b of blocks) {
    if (typeof b === 'string') {
      // An empty paragraph is no row: a page shows nothing there.
      if (b) out.push([b]);
      continue;
    }
    const laid: string[][] = b.map(() => []);
    const taken: boolean[][] = b.map(() => []);
    b.forEach((row, r) => {
      let col = 0;
      for (const cell of row) {
        while (taken[r]![col]) col++;
        for (let dr = 0; dr < (cell.rowspan ?? 1); dr++)
          for (let dc = 0; dc < (cell.colspan ?? 1); dc++) {
            taken[r + dr]![col + dc] = true;
            laid[r + dr]![col + dc] = dr === 0 && dc === 0 ? cell.text : '';
          }
        col += cell.colspan ?? 1;
      }
    });
    for (const row of laid) {
      const filled = Array.from(row, (t) => t ?? '');
      while (filled.length && filled.at(-1) === '') filled.pop();
      out.push(filled);
    }
  }
  return out;
}

let gbkCodes: Map<string, number[]> | undefined;

/** Text in GBK (Node's TextEncoder writes only UTF-8): each character's two bytes found by decoding them all. */
export function gbk(s: string): Uint8Array {
  if (!gbkCodes) {
    gbkCodes = new Map();
    const decoder = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const c = decoder.decode(new Uint8Array([a, b]));
        if (!gbkCodes.has(c)) gbkCodes.set(c, [a, b]);
      }
  }
  const out: number[] = [];
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkCodes.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
