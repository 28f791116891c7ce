/**
 * A Word document (.docx, also as WPS saves it) → one grid. The zip is checked first (`zip-guard.ts`:
 * sizes, CRCs, and the XML the converter will parse, so a huge or bombed document is refused before it
 * costs memory); mammoth (a maintained docx → HTML converter that keeps merged cells as colspan/rowspan)
 * turns it into HTML, read as a page (`read-html.ts`) with refs to the document's tables and paragraphs
 * (`表2 第3行第4列`, `第5段`). Images are left out, external files never fetched. Pure (in memory).
 */
import mammoth from 'mammoth';
import { type Grid, importDiag, type ImportDiagnostic } from './grid.ts';
import { byteSize, MAX_DOCX_BYTES } from './limits.ts';
import { pageGrid, readHtmlPage } from './read-html.ts';
import { checkZip } from './zip-guard.ts';

export interface ReadDocument {
  grid?: Grid;
  /** Tables holding data (a table of tables counts as the tables inside it). */
  tables: number;
  diagnostics: ImportDiagnostic[];
}

/** Reads a .docx. Never throws on bad input: a damaged or oversized file is a diagnostic. */
export async function readDocx(bytes: Uint8Array): Promise<ReadDocument> {
  const refuse = (d: ImportDiagnostic): ReadDocument => ({ tables: 0, diagnostics: [d] });
  if (bytes.length > MAX_DOCX_BYTES) {
    return refuse(
      importDiag('FILE_TOO_LARGE', 'error', undefined, {
        size: byteSize(bytes.length),
        limit: byteSize(MAX_DOCX_BYTES),
      }),
    );
  }
  const zip = checkZip(bytes, ['docx']);
  if (zip.diagnostics.length) return { tables: 0, diagnostics: zip.diagnostics };
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
      },
    );
    html = result.value;
  } catch (e) {
    // A document the zip check passed but Word's XML inside is broken.
    const reason = String((e as Error)?.message ?? e).split('\n')[0]!;
    const args = { detail: 'corrupt', container: 'docx', reasonZh: `Word 文档的内容无法解析（${reason}）`, reason };
    return refuse(importDiag('IMPORT_UNREADABLE', 'error', undefined, args));
  }
  const read = readHtmlPage(html);
  if (!read.page) return { tables: 0, diagnostics: read.diagnostics.map((d) => withContainer(d)) };
  return pageGrid(read.page, 'docx');
}

const withContainer = (d: ImportDiagnostic): ImportDiagnostic => ({ ...d, args: { ...d.args, container: 'docx' } });
