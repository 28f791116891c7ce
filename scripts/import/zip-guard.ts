/**
 * Looks inside an .xlsx before the reader (xlsx-reader.ts) does. A zip library that unzips every part in
 * full and believes the zip's own sizes (exceljs through JSZip, which import once used) let an 824 KB
 * workbook holding 800 MB of zeros cost 2.6 GB, and a damaged part go unnoticed (JSZip does not check
 * CRCs). Here each part is inflated under the caps of `limits.ts` (inflating stops as soon as a cap is
 * passed), its size and CRC are compared with the directory, and each worksheet's cells are counted, so
 * what reaches the reader is known to be whole and of bounded size. The directory's declared sizes are
 * checked too, but never trusted. Pure.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { importDiag, type ImportDiagnostic } from './grid.ts';
import {
  byteSize,
  MAX_CELL_ELEMENTS,
  MAX_CELLS,
  MAX_DOCX_XML_BYTES,
  MAX_ENTRY_BYTES,
  MAX_TOTAL_BYTES,
  MAX_ZIP_ENTRIES,
} from './limits.ts';

/** What a zip holds, when it is not a workbook. */
export type ZipKind = 'xlsx' | 'docx' | 'pptx' | 'ods' | 'zip';

export interface ZipCheck {
  kind?: ZipKind;
  /** Empty when the workbook may be handed to the reader. */
  diagnostics: ImportDiagnostic[];
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

class Refusal extends Error {
  constructor(readonly diagnostic: ImportDiagnostic) {
    super(diagnostic.code);
  }
}

/** A damaged part or directory: the reason in both languages, and the part when known. */
const corrupt = (zh: string, en: string, entry?: string): Refusal =>
  new Refusal(
    importDiag('IMPORT_UNREADABLE', 'error', undefined, {
      detail: 'corrupt',
      reasonZh: zh,
      reason: en,
      ...(entry ? { entry } : {}),
    }),
  );
type Cap = 'entry' | 'total' | 'entries' | 'cells' | 'elements' | 'document';
/** `declared`: the size is what the zip's directory states (nothing was inflated), not what was counted. */
const tooLarge = (what: Cap, size: string | number, limit: string | number, at: string, declared = false): Refusal =>
  new Refusal(
    importDiag('IMPORT_TOO_LARGE', 'error', undefined, {
      what,
      size,
      limit,
      entry: at,
      ...(declared ? { declared: 1 } : {}),
    }),
  );
const refuse = (detail: string): ZipCheck => ({
  diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail })],
});
const DAMAGED_DIR = ['zip 的文件目录损坏', 'the zip directory is damaged'] as const;
const DAMAGED_ZIP64 = ['zip64 目录记录损坏', 'the zip64 directory record is damaged'] as const;

/**
 * Checks a zip's directory and every part's size and CRC; never throws. Only the kinds in `accept` are
 * checked through: any other is refused as what it is (a Word document given to the workbook reader).
 * A .docx is held to one more cap, on the XML its converter parses (`MAX_DOCX_XML_BYTES`), and its
 * refusals say `container: 'docx'`, so messages speak of a document, not a workbook.
 */
export function checkZip(bytes: Uint8Array, accept: readonly ZipKind[] = ['xlsx']): ZipCheck {
  const seen: { kind?: ZipKind } = {};
  try {
    return inspect(bytes, accept, seen);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const d = e.diagnostic;
    const docx = seen.kind === 'docx' || (seen.kind === undefined && !accept.includes('xlsx'));
    return { ...seen, diagnostics: [docx ? { ...d, args: { ...d.args, container: 'docx' } } : d] };
  }
}

function inspect(bytes: Uint8Array, accept: readonly ZipKind[], seen: { kind?: ZipKind }): ZipCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const within = (at: number, len: number): boolean => at >= 0 && len >= 0 && at + len <= bytes.length;

  // The end-of-directory record is within the last 64 KB (its comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw corrupt(
      '找不到 zip 的文件目录（文件不完整，可能下载或复制时被截断）',
      'the zip directory is missing (the file is truncated)',
    );
  }
  let count = u16(eocd + 10);
  let dirOffset = u32(eocd + 16);
  if ((count === 0xffff || dirOffset === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
    const z64 = u64(eocd - 12);
    if (!within(z64, 56) || u32(z64) !== 0x06064b50) throw corrupt(...DAMAGED_ZIP64);
    count = u64(z64 + 32);
    dirOffset = u64(z64 + 48);
  }
  if (count > MAX_ZIP_ENTRIES) {
    // Refused before the directory is read; a Word document is still told by its main part's name.
    const dir = Buffer.from(
      bytes.buffer,
      bytes.byteOffset + Math.min(dirOffset, eocd),
      eocd - Math.min(dirOffset, eocd),
    );
    if (dir.includes('word/document.xml')) seen.kind = 'docx';
    throw tooLarge('entries', count, MAX_ZIP_ENTRIES, '');
  }

  const entries: Entry[] = [];
  let at = dirOffset;
  for (let k = 0; k < count; k++) {
    if (!within(at, 46) || u32(at) !== 0x02014b50) throw corrupt(...DAMAGED_DIR);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    if (!within(at + 46, nameLen + extraLen)) throw corrupt(...DAMAGED_DIR);
    const e: Entry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen)).replace(/^\//, ''),
      flags: u16(at + 8),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressed: u32(at + 20),
      size: u32(at + 24),
      local: u32(at + 42),
    };
    // Sizes too big for 32 bits live in the zip64 extra field, in this order.
    for (let x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen; x += 4 + u16(x + 2)) {
      if (u16(x) !== 0x0001) continue;
      let p = x + 4;
      for (const key of ['size', 'compressed', 'local'] as const) {
        if (e[key] !== 0xffffffff) continue;
        if (!within(p, 8)) throw corrupt(...DAMAGED_ZIP64, e.name);
        e[key] = u64(p);
        p += 8;
      }
    }
    entries.push(e);
    at += 46 + nameLen + extraLen + u16(at + 32);
  }

  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  const kind: ZipKind = names.has('xl/workbook.xml')
    ? 'xlsx'
    : names.has('word/document.xml')
      ? 'docx'
      : names.has('ppt/presentation.xml')
        ? 'pptx'
        : names.has('content.xml') && names.has('mimetype')
          ? 'ods'
          : 'zip';
  // Zip-level encryption (not how Office encrypts, but some tools do): nothing can be read.
  if (entries.some((e) => e.flags & 1)) return { kind, ...refuse('encrypted') };
  if (!accept.includes(kind)) return { kind, ...refuse(kind) };
  seen.kind = kind;
  // The XML of a Word document that its converter parses into a tree (about 100 bytes of memory for
  // each byte of XML), images and fonts left out.
  const docXml = (e: Entry): boolean => kind === 'docx' && /^word\/[^/]+\.xml$/i.test(e.name);

  // Declared sizes first: a directory admitting to a bomb is refused without inflating anything.
  let declared = 0;
  let declaredXml = 0;
  for (const e of entries) {
    if (e.size > MAX_ENTRY_BYTES) throw tooLarge('entry', byteSize(e.size), byteSize(MAX_ENTRY_BYTES), e.name, true);
    declared += e.size;
    if (declared > MAX_TOTAL_BYTES) {
      throw tooLarge('total', byteSize(declared), byteSize(MAX_TOTAL_BYTES), e.name, true);
    }
    if (docXml(e) && (declaredXml += e.size) > MAX_DOCX_XML_BYTES) {
      throw tooLarge('document', byteSize(declaredXml), byteSize(MAX_DOCX_XML_BYTES), e.name, true);
    }
  }

  const sheetCells = new Map<string, { filled: number; all: number }>();
  const small = new Map<string, string>();
  let total = 0;
  let xml = 0;
  for (const e of entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    if (!within(e.local, 30) || u32(e.local) !== 0x04034b50) {
      throw corrupt('部件的本地文件头损坏', 'its local header is damaged', e.name);
    }
    const start = e.local + 30 + u16(e.local + 26) + u16(e.local + 28);
    if (!within(start, e.compressed))
      throw corrupt('部件不完整（文件被截断）', 'it is cut short (the file is truncated)', e.name);
    const data = bytes.subarray(start, start + e.compressed);
    const room = Math.max(1, Math.min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - total));
    let out: Uint8Array;
    if (e.method === 0) {
      if (data.length > room) throw overflow(e.name, total, data.length);
      out = data;
    } else if (e.method === 8) {
      try {
        // Node stops inflating once the output would pass maxOutputLength: a bomb never unfolds.
        out = inflateRawSync(data, { maxOutputLength: room });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw overflow(e.name, total, room + 1);
        throw corrupt('部件的压缩数据损坏', 'its compressed data is damaged', e.name);
      }
    } else {
      const m = e.method;
      throw corrupt(`部件使用了不支持的压缩方式（${m}）`, `it uses an unsupported compression method (${m})`, e.name);
    }
    if (out.length !== e.size) {
      throw corrupt('部件解压后的大小与 zip 目录不符', 'its unzipped size differs from the zip directory', e.name);
    }
    if (crc32(out) !== e.crc) {
      throw corrupt('部件的校验和（CRC）不符，内容已损坏', 'its CRC does not match: the content is damaged', e.name);
    }
    total += out.length;
    if (docXml(e) && (xml += out.length) > MAX_DOCX_XML_BYTES) {
      throw tooLarge('document', byteSize(xml), byteSize(MAX_DOCX_XML_BYTES), e.name);
    }
    const lower = e.name.toLowerCase();
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(lower)) sheetCells.set(lower, countCells(out));
    if (lower === 'xl/workbook.xml' || lower === 'xl/_rels/workbook.xml.rels') {
      small.set(lower, new TextDecoder().decode(out));
    }
  }

  if (kind === 'docx') return { kind, diagnostics: [] };
  const workbook = small.get('xl/workbook.xml') ?? '';
  const rels = small.get('xl/_rels/workbook.xml.rels');
  // A part the workbook needs but the zip lacks: a lenient reader would read its cells as empty (no
  // sheets, or every text blank) and the file would pass for "not a form".
  if (rels === undefined && /<(?:[\w.-]+:)?sheet\b/.test(workbook)) {
    throw corrupt('缺少部件 xl/_rels/workbook.xml.rels', 'the part xl/_rels/workbook.xml.rels is missing');
  }
  for (const r of relationships(rels ?? '')) {
    if (/\/(?:worksheet|sharedStrings)$/.test(r.type) && !names.has(r.target.toLowerCase())) {
      throw corrupt(`缺少部件 ${r.target}`, `the part ${r.target} is missing`);
    }
  }
  const sheetName = sheetNames(workbook, rels ?? '');
  for (const [part, n] of sheetCells) {
    const name = sheetName.get(part) ?? part;
    if (n.filled > MAX_CELLS) throw tooLarge('cells', n.filled, MAX_CELLS, name);
    if (n.all > MAX_CELL_ELEMENTS) throw tooLarge('elements', n.all, MAX_CELL_ELEMENTS, name);
  }
  return { kind, diagnostics: [] };
}

/** The cap a part passed while inflating: its own, or the workbook's total. */
function overflow(name: string, before: number, size: number): Refusal {
  return MAX_TOTAL_BYTES - before < MAX_ENTRY_BYTES
    ? tooLarge('total', `${byteSize(before + size)}+`, byteSize(MAX_TOTAL_BYTES), name)
    : tooLarge('entry', `${byteSize(size)}+`, byteSize(MAX_ENTRY_BYTES), name);
}

/** Cell elements of a worksheet's XML, and those holding something (not written `<c …/>`). */
function countCells(xml: Uint8Array): { filled: number; all: number } {
  const text = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString('latin1');
  let filled = 0;
  let all = 0;
  for (const m of text.matchAll(/<(?:[\w.-]+:)?c(?=[\s/>])[^>]*>/g)) {
    all++;
    if (!m[0].endsWith('/>')) filled++;
  }
  return { filled, all };
}

/** The workbook's relations to its parts (external links left out), targets as part names. */
function relationships(rels: string): Array<{ id: string; type: string; target: string }> {
  const out: Array<{ id: string; type: string; target: string }> = [];
  for (const m of rels.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(m[0])?.[1];
    const [id, type, t] = [attr('Id'), attr('Type') ?? '', attr('Target')];
    if (!id || !t || attr('TargetMode') === 'External') continue;
    out.push({ id, type, target: partName(unescapeXml(t)) });
  }
  return out;
}

/** A relation's target as a part name: absolute (`/xl/…`) or relative to `xl/`, with `.` and `..` resolved. */
function partName(target: string): string {
  const parts: string[] = [];
  for (const seg of (target.startsWith('/') ? target : `xl/${target}`).split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Worksheet part (`xl/worksheets/sheet1.xml`) → the sheet's name, from the workbook and its relations. */
function sheetNames(workbook: string, rels: string): Map<string, string> {
  const target = new Map(relationships(rels).map((r) => [r.id, r.target.toLowerCase()]));
  const names = new Map<string, string>();
  for (const m of workbook.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\b(?:[\w.-]+:)?id="([^"]*)"/.exec(m[0])?.[1];
    const part = id ? target.get(id) : undefined;
    if (name && part) names.set(part, unescapeXml(name));
  }
  return names;
}

const unescapeXml = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
