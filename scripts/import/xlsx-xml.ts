/**
 * Just enough XML for the parts of a workbook: elements, attributes and text, in document order, names
 * without their namespace prefix (`x:c` and `c` are the same cell). No DTD is read, so no entity defined
 * in the file is ever expanded (a "billion laughs" part costs nothing); only the five predefined entities
 * and character references are. Lenient, as spreadsheet programs are: a stray `<` is skipped. Pure.
 */

/** What a scan reports, in document order. */
export interface XmlHandler {
  /** A start tag; `empty` for `<x/>`, which is followed by no `close`. */
  open(name: string, attrs: Record<string, string>, empty: boolean): void;
  close(name: string): void;
  /** Character data with entities decoded and line ends normalised (CDATA included). */
  text(text: string): void;
}

// A start or end tag (quoted attribute values may hold `>`), CDATA, a comment, a declaration or
// processing instruction (a DOCTYPE's internal subset is skipped, never read), or text.
const TOKEN = new RegExp(
  [
    /<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.source,
    /<!\[CDATA\[([\s\S]*?)\]\]>/.source,
    /<!--[\s\S]*?-->|<[?!][^>]*>/.source,
    /([^<]+)/.source,
  ].join('|'),
  'g',
);
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Calls the handler for every element and text of `xml`. */
export function scanXml(xml: string, on: XmlHandler): void {
  for (const m of xml.matchAll(TOKEN)) {
    const [, slash, qname, rest, cdata, text] = m;
    if (text !== undefined) on.text(decodeXml(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text));
    else if (cdata !== undefined) on.text(cdata.replace(/\r\n?/g, '\n'));
    else if (qname !== undefined) {
      const name = localName(qname);
      if (slash) on.close(name);
      else {
        const empty = rest!.endsWith('/');
        on.open(name, attributes(empty ? rest!.slice(0, -1) : rest!), empty);
      }
    }
  }
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** Attributes by local name; namespace declarations left out (`xmlns:r` must not pass for `r`). */
function attributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (!source.includes('=')) return attrs;
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(source); m; m = ATTR.exec(source)) {
    const [, qname, dq, sq] = m;
    if (qname === 'xmlns' || qname!.startsWith('xmlns:')) continue;
    // XML normalises white space in attribute values: a tab or line end reads as a space.
    const value = dq ?? sq ?? '';
    attrs[localName(qname!)] = decodeXml(/[\t\n\r]/.test(value) ? value.replace(/\r\n|[\t\n\r]/g, ' ') : value);
  }
  return attrs;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references decoded; anything else is left as written. */
export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g, (whole, hex, dec, named) => {
    if (named) return NAMED[named as string]!;
    const code = hex ? parseInt(hex as string, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Characters OOXML writes as `_xHHHH_` (control characters and, as `_x005F_`, an underscore that would
 * otherwise start such an escape) turned back into themselves.
 */
export const decodeOoxmlEscapes = (s: string): string =>
  s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
