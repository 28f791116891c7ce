/**
 * Load stage: bytes → decoded text → YAML document → plain data, with every problem as a diagnostic.
 * Pure: no file system, no console. Never throws on bad input.
 */
import { type Document, isAlias, isScalar, LineCounter, parseAllDocuments, visit, type Node, Scalar } from 'yaml';
import { diag, type Diagnostic } from '../check/diagnostic.ts';
import { continuationSlips, explainSlips } from './slips.ts';
import { isPlainDecimal } from '../model/scoring.ts';

/** Load errors after which the data is still worth checking (their own spot is then not re-reported). */
export const RECOVERABLE: ReadonlySet<string> = new Set(['UNQUOTED_COMPARATOR', 'YAML_DUPLICATE_KEY']);

/** Larger inputs are refused: a real table is a few tens of KB; this bounds time and memory. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface LoadedSource {
  /** Decoded text with any BOM removed; all diagnostic offsets index into it. */
  text: string;
  lineCounter: LineCounter;
  /** The parsed document, when the text got that far. */
  doc?: Document.Parsed;
  /** Plain data, only when there was no error that makes the data unreliable. */
  data?: unknown;
  /**
   * An indicator value as it was written, when it is a decimal (`/indicators/3/value` → `12.50`): the
   * data holds the number 12.5, and the form prints what was written, trailing zeros included.
   */
  numberTexts?: Map<string, string>;
  diagnostics: Diagnostic[];
}

const kb = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;

/** Decodes bytes as strict UTF-8 (a BOM is accepted and dropped). */
export function decodeSource(bytes: Uint8Array): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      diagnostics: [diag('FILE_TOO_LARGE', 'error', [0, 0], { size: kb(bytes.length), limit: kb(MAX_FILE_BYTES) })],
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, diagnostics: [] };
  } catch {
    const at = firstInvalidUtf8(bytes);
    // Line breaks are the same byte in GBK as in UTF-8: the line is known even though the text is not.
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    return { diagnostics: [diag('FILE_NOT_UTF8', 'error', [0, 0], { byte: at + 1, line })] };
  }
}

/** Index of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0) return i;
    for (let k = 1; k < n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n;
  }
  return 0;
}

/** Lines that a YAML parser would misread in ways worth explaining in the user's terms. */
function scanLines(text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const fw = /^[ ]*\u3000/.exec(line);
    if (fw) out.push(diag('FULLWIDTH_INDENT', 'error', [offset + fw[0].length - 1, offset + fw[0].length]));
    const colon = /^([ \u3000]*(?:- )?)([A-Za-z_][A-Za-z0-9_]*)[ ]*：/.exec(line);
    if (colon) {
      const start = offset + colon[0].length - 1;
      out.push(diag('FULLWIDTH_COLON', 'error', [start, start + 1], { key: colon[2]! }));
    }
    const dir = /^%(\S+)(.*)$/.exec(line);
    if (dir && !(dir[1] === 'YAML' && dir[2]!.trim() === '1.2')) {
      out.push(
        diag('YAML_DIRECTIVE', 'error', [offset, offset + line.replace(/\r$/, '').length], {
          directive: line.replace(/\r$/, ''),
        }),
      );
    }
    offset += line.length + 1;
  }
  return out;
}

const lineOf = (lc: LineCounter, offset: number): number => lc.linePos(offset).line;

/** The scan and the parse of a text, with the parser's errors in the user's terms (slips not yet explained). */
function syntaxOf(text: string): { doc?: Document.Parsed; lineCounter: LineCounter; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = scanLines(text);
  const explainedLines = new Set(diagnostics.map((d) => lineOf(lineCounterFor(text), d.pos[0])));

  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    version: '1.2',
  });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc || doc.contents === null) return { doc, lineCounter, diagnostics };
  for (const extra of list.slice(1)) {
    const at = extra.range[0];
    diagnostics.push(diag('YAML_MULTI_DOC', 'error', [Math.max(0, text.lastIndexOf('---', at)), at + 3]));
  }

  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos: [number, number] = [e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)];
    if (explainedLines.has(lineOf(lineCounter, pos[0]))) continue;
    if (e.code === 'DUPLICATE_KEY') {
      diagnostics.push(duplicateKey(doc, pos, lineCounter));
    } else if (e.code === 'TAG_RESOLVE_FAILED') {
      diagnostics.push(
        diag('YAML_TAG', 'error', pos, { tag: /!\S*/.exec(text.slice(pos[0], pos[1] + 20))?.[0] ?? '' }),
      );
    } else if (e.code === 'TAB_AS_INDENT') {
      diagnostics.push(diag('YAML_TAB_INDENT', 'error', pos));
    } else if (e.code === 'BAD_DIRECTIVE' || (e.code === 'MISSING_CHAR' && /^%/.test(text.slice(pos[0])))) {
      diagnostics.push(diag('YAML_DIRECTIVE', 'error', pos, { directive: text.slice(pos[0], pos[1]) }));
    } else if (/block scalar header/i.test(e.message) && /type:\s*>/.test(lineText(text, pos[0]))) {
      const m = /type:\s*(>=?)/.exec(lineText(text, pos[0]))!;
      const start = text.lastIndexOf('\n', pos[0] - 1) + 1 + m.index + m[0].length - m[1]!.length;
      diagnostics.push(
        diag('UNQUOTED_COMPARATOR', 'error', [start, start + m[1]!.length], {
          text: m[1]!,
          symbol: m[1] === '>=' ? '≥' : '>',
        }),
      );
    } else {
      diagnostics.push(
        diag('YAML_SYNTAX', e.name === 'YAMLWarning' ? 'warning' : 'error', pos, {
          detail: e.message.split('\n')[0]!,
          yamlCode: e.code,
        }),
      );
    }
  }

  // A generic syntax error on a line that already has a specific explanation only adds noise.
  const specific = new Set(
    diagnostics.filter((d) => d.code !== 'YAML_SYNTAX').map((d) => lineOf(lineCounter, d.pos[0])),
  );
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    if (diagnostics[i]!.code === 'YAML_SYNTAX' && specific.has(lineOf(lineCounter, diagnostics[i]!.pos[0])))
      diagnostics.splice(i, 1);
  }
  // A list item indented past its siblings parses, as part of the item above: a slip all the same.
  if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...continuationSlips(doc, text, lineCounter));
  return { doc, lineCounter, diagnostics };
}

/** Parses decoded text. Returns data only when no error makes it unreliable. */
export function parseSource(text: string): LoadedSource {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = syntaxOf(text);
  const { doc, lineCounter } = parsed;
  const explainedLines = new Set(
    parsed.diagnostics
      .filter((d) => d.code === 'FULLWIDTH_INDENT' || d.code === 'FULLWIDTH_COLON' || d.code === 'YAML_DIRECTIVE')
      .map((d) => lineOf(lineCounter, d.pos[0])),
  );
  // One slip, one message: the errors that follow from a misindented line or an unclosed quote are dropped.
  const diagnostics = explainSlips(text, (t) => (t === text ? parsed.diagnostics : syntaxOf(t).diagnostics));
  if (!doc || doc.contents === null) {
    if (diagnostics.length === 0) diagnostics.push(diag('FILE_EMPTY', 'error', [0, 0]));
    return { text, lineCounter, doc, diagnostics };
  }

  let aliases = false;
  visit(doc, {
    Node(_key, node: Node) {
      if (isAlias(node)) {
        aliases = true;
        diagnostics.push(diag('YAML_ALIAS', 'error', nodeRange(node)));
      } else if (node.anchor) {
        aliases = true;
        const start = text.lastIndexOf('&' + node.anchor, node.range?.[0] ?? 0);
        diagnostics.push(
          diag('YAML_ALIAS', 'error', [Math.max(0, start), Math.max(0, start) + node.anchor.length + 1]),
        );
      }
      if (
        node.tag &&
        node.tag !== 'tag:yaml.org,2002:str' &&
        !doc.warnings.some(
          (w) =>
            w.code === 'TAG_RESOLVE_FAILED' &&
            w.pos[0] <= (node.range?.[0] ?? 0) &&
            (node.range?.[0] ?? 0) <= w.pos[1] + 1,
        )
      ) {
        const at = nodeRange(node);
        const lineStart = text.lastIndexOf('\n', at[0] - 1) + 1;
        const m = /(!\S*)\s*$/.exec(text.slice(lineStart, at[0]));
        if (m) {
          const start = lineStart + m.index;
          diagnostics.push(diag('YAML_TAG', 'error', [start, start + m[1]!.length], { tag: m[1]! }));
        }
      }
    },
    Pair(_key, pair) {
      // `type: >=` parses as an empty folded block when nothing follows on the line.
      if (isScalar(pair.key) && pair.key.value === 'type' && isScalar(pair.value)) {
        const v = pair.value;
        if (
          (v.type === Scalar.BLOCK_FOLDED || v.type === Scalar.BLOCK_LITERAL) &&
          !explainedLines.has(lineOf(lineCounter, nodeRange(v)[0]))
        ) {
          const t = /^[>|][+-]?=?/.exec(text.slice(nodeRange(v)[0]))?.[0] ?? '>';
          if (!diagnostics.some((d) => d.code === 'UNQUOTED_COMPARATOR')) {
            diagnostics.push(
              diag('UNQUOTED_COMPARATOR', 'error', [nodeRange(v)[0], nodeRange(v)[0] + t.length], {
                text: t,
                symbol: t.includes('=') ? '≥' : '>',
              }),
            );
          }
        }
      }
    },
  });

  // After these the document is still a faithful tree (one value is empty or one key repeated), so
  // the schema and rules can go on to report the file's other problems in the same run.
  const fatal = diagnostics.some((d) => d.severity === 'error' && !RECOVERABLE.has(d.code));
  if (fatal || aliases) return { text, lineCounter, doc, diagnostics };
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  if (data === null || data === undefined) {
    diagnostics.push(diag('FILE_EMPTY', 'error', [0, 0]));
    return { text, lineCounter, doc, diagnostics };
  }
  return { text, lineCounter, doc, data, diagnostics, ...numberTextsOf(doc, data, text) };
}

/** The decimals among the indicator values, as written (LoadedSource.numberTexts). */
function numberTextsOf(doc: Document.Parsed, data: unknown, text: string): { numberTexts?: Map<string, string> } {
  const inds = (data as { indicators?: unknown }).indicators;
  if (!Array.isArray(inds)) return {};
  const out = new Map<string, string>();
  inds.forEach((ind: { value?: unknown } | null, i) => {
    if (typeof ind?.value !== 'number') return;
    const node = doc.getIn(['indicators', i, 'value'], true);
    if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return;
    const written = text.slice(node.range[0], node.range[1]).trim();
    if (isPlainDecimal(written, ind.value)) out.set(`/indicators/${i}/value`, written);
  });
  return out.size ? { numberTexts: out } : {};
}

/** Decode and parse in one step. */
export function loadSource(bytes: Uint8Array): LoadedSource {
  const decoded = decodeSource(bytes);
  if (decoded.text === undefined) return { text: '', lineCounter: new LineCounter(), diagnostics: decoded.diagnostics };
  return parseSource(decoded.text);
}

function nodeRange(node: Node): [number, number] {
  const r = node.range;
  return r ? [r[0], Math.max(r[1], r[0] + 1)] : [0, 0];
}

function lineText(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Line starts of a text, for placing offsets when there is no parse (the parser fills its own). */
export function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

function duplicateKey(doc: Document.Parsed, pos: [number, number], lc: LineCounter): Diagnostic {
  let key = '';
  let firstLine: number | undefined;
  let keyRange: [number, number] = pos;
  visit(doc, {
    Map(_k, map) {
      const keys = map.items.map((p) => p.key).filter((k): k is Scalar => isScalar(k));
      const dup = keys.find((k) => k.range && k.range[0] <= pos[0] && pos[0] < Math.max(k.range[1], k.range[0] + 1));
      if (!dup) return;
      const first = keys.find((k) => k.value === dup.value);
      key = String(dup.value);
      keyRange = [dup.range![0], dup.range![1]];
      if (first && first !== dup) firstLine = lc.linePos(first.range![0]).line;
    },
  });
  return diag('YAML_DUPLICATE_KEY', 'error', keyRange, { key, firstLine: firstLine ?? '?' });
}
