/**
 * Exported text → grid. Spreadsheets export tab-separated text in UTF-8, in UTF-16 ("Unicode text",
 * with a BOM, or without one from some tools) or, on older Chinese systems, in GBK; a cell holding a tab,
 * a newline or a quote is wrapped in double quotes with inner quotes doubled. Pure.
 */
import { mapGbPua } from './gb-pua.ts';
import { type Cell, type Grid, importDiag, type ImportDiagnostic } from './grid.ts';
import { byteSize, MAX_TEXT_BYTES } from './limits.ts';

export { MAX_TEXT_BYTES } from './limits.ts';

export interface DecodedText {
  text?: string;
  /** The encoding the bytes were read in. */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  diagnostics: ImportDiagnostic[];
}

/**
 * UTF-16 without a BOM, told by its NUL bytes: the tabs, line breaks and digits of a table are U+00xx,
 * so in little-endian text their NUL is mostly the odd byte of each pair, in big-endian the even one,
 * while binary data has NULs on both sides.
 */
function utf16Order(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes.length % 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  // A few NULs on the other side are characters such as 一 (U+4E00); binary has them evenly on both.
  if (odd > 1 && odd > 8 * even) return 'utf-16le';
  if (even > 1 && even > 8 * odd) return 'utf-16be';
  return undefined;
}

/**
 * Whether the first 8 KB already show binary data: NUL bytes not in the pattern of UTF-16, or control
 * characters no exported text holds (neither UTF-8 nor GBK uses bytes below 0x20 inside a character).
 */
function binaryHead(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  if (head.includes(0)) return utf16Order(head) === undefined;
  return head.some((b) => b <= 0x08 || (b >= 0x0e && b <= 0x1f));
}

/**
 * Decodes exported text: a BOM decides UTF-8/UTF-16; NUL bytes on one side of every pair mean UTF-16
 * without a BOM; otherwise strict UTF-8, then GB18030 (a superset of GBK/GB2312) when the bytes are not
 * UTF-8. Binary data is refused, never guessed at. The GBK/GB 18030 private-use code points of
 * characters Unicode has since encoded (gb-pua.ts) become those characters, whatever the encoding.
 */
export function decodeText(bytes: Uint8Array, maxBytes = MAX_TEXT_BYTES): DecodedText {
  // Binary first: a 3 MB file of binary data is "not text", not "text over the 1 MB limit".
  if (binaryHead(bytes))
    return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: 'binary' })] };
  if (bytes.length > maxBytes) {
    const args = { size: byteSize(bytes.length), limit: byteSize(maxBytes) };
    return { diagnostics: [importDiag('FILE_TOO_LARGE', 'error', undefined, args)] };
  }
  const decode = (enc: string, b: Uint8Array): string | undefined => {
    try {
      return new TextDecoder(enc, { fatal: true, ignoreBOM: true }).decode(b);
    } catch {
      return undefined;
    }
  };
  let text: string | undefined;
  let encoding: DecodedText['encoding'];
  const diagnostics: ImportDiagnostic[] = [];
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    [text, encoding] = [decode('utf-8', bytes.subarray(3)), 'utf-8'];
  else if (bytes[0] === 0xff && bytes[1] === 0xfe)
    [text, encoding] = [decode('utf-16le', bytes.subarray(2)), 'utf-16le'];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    [text, encoding] = [decode('utf-16be', bytes.subarray(2)), 'utf-16be'];
  else if (bytes.includes(0)) {
    encoding = utf16Order(bytes);
    if (!encoding) return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: 'binary' })] };
    text = decode(encoding, bytes);
    // A table has tabs or line breaks; text without any is something else read two bytes at a time.
    if (text !== undefined && !/[\t\n\r]/.test(text)) {
      return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: 'binary' })] };
    }
  } else {
    text = decode('utf-8', bytes);
    encoding = 'utf-8';
    if (text === undefined) {
      text = decode('gb18030', bytes);
      encoding = 'gb18030';
      if (text !== undefined)
        diagnostics.push(importDiag('IMPORT_ENCODING', 'warning', undefined, { encoding: 'GB18030 (GBK)' }));
    }
  }
  if (text === undefined)
    return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: 'encoding' })] };
  if (encoding === 'utf-16le' || encoding === 'utf-16be')
    diagnostics.push(importDiag('IMPORT_ENCODING', 'warning', undefined, { encoding: encoding.toUpperCase() }));
  // Control characters other than tab and line breaks mean this is not text a spreadsheet exported.
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text))
    return { diagnostics: [importDiag('IMPORT_UNREADABLE', 'error', undefined, { detail: 'binary' })] };
  // Characters an older GBK/GB 18030 decoder left in the private use area, as the standard ones.
  return { text: mapGbPua(text), encoding, diagnostics };
}

/**
 * The delimiter of exported text: tab, comma or semicolon (Excel's CSV where the decimal mark is a comma),
 * whichever separates fields on the most records of the first 200 (quoted fields, which may hold any of
 * them and line breaks, skipped); tab on a tie and when there is none. Chinese text writes its commas
 * full-width (，), so an ASCII comma in a table is a delimiter far more often than not.
 */
export function sniffDelimiter(text: string): '\t' | ',' | ';' {
  const seps = ['\t', ',', ';'] as const;
  const records = [0, 0, 0];
  const inRecord = [false, false, false];
  let quoted = false;
  let fieldStart = true;
  let n = 0;
  const endRecord = (): void => {
    for (let k = 0; k < 3; k++) {
      if (inRecord[k]) records[k]!++;
      inRecord[k] = false;
    }
    n++;
  };
  for (let i = 0; i < text.length && n < 200; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      continue;
    }
    const k = seps.indexOf(ch as (typeof seps)[number]);
    if (k >= 0) inRecord[k] = true;
    if (ch === '\n' || ch === '\r') {
      endRecord();
      fieldStart = true;
    } else fieldStart = k >= 0;
  }
  endRecord();
  let best = 0;
  for (let k = 1; k < 3; k++) if (records[k]! > records[best]!) best = k;
  return seps[best]!;
}

/**
 * Tab-, comma- or semicolon-separated text (RFC 4180 quoting) → grid; every cell keeps its [start, end)
 * offsets into `text`. The delimiter is sniffed from the content (`sniffDelimiter`) unless given.
 */
export function readTsv(text: string, sep: '\t' | ',' | ';' = sniffDelimiter(text)): Grid {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let i = 0;
  const n = text.length;
  const endRow = (): void => {
    // Trailing empty cells carry no information; keep rows short (the parser treats missing as empty).
    while (row.length && row[row.length - 1]!.text === '') row.pop();
    rows.push(row);
    row = [];
  };
  while (i <= n) {
    const rowNo = rows.length + 1;
    const col = row.length + 1;
    let start = i;
    let value: string;
    let end: number;
    const quoted = text[i] === '"' ? closingQuote(text, i, sep) : -1;
    if (quoted >= 0) {
      // A line break inside a cell is \n whatever the file's own (Windows exports write \r\n, old Mac \r).
      value = text
        .slice(i + 1, quoted)
        .replace(/""/g, '"')
        .replace(/\r\n?/g, '\n');
      start = i;
      end = quoted + 1;
      i = end;
    } else {
      let j = i;
      while (j < n && text[j] !== sep && text[j] !== '\n' && text[j] !== '\r') j++;
      value = text.slice(i, j);
      end = j;
      i = j;
    }
    row.push({ text: value, row: rowNo, col, ref: { kind: 'text', start, end } });
    if (i >= n) {
      endRow();
      break;
    }
    if (text[i] === sep) {
      i++;
      continue;
    }
    // A line break: \r\n, \n or a lone \r.
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    endRow();
    if (i === n) break;
  }
  return { kind: 'text', rows, text };
}

/**
 * The index of the quote closing a quoted field opened at `open`, or -1 when the field is not a
 * well-formed quoted field (then it is read literally: a cell may well begin with a quote mark).
 */
function closingQuote(text: string, open: number, sep: string): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] !== '"') continue;
    if (text[j + 1] === '"') {
      j++;
      continue;
    }
    const next = text[j + 1];
    return next === undefined || next === sep || next === '\n' || next === '\r' ? j : -1;
  }
  return -1;
}
