/**
 * One slip, one message. A line indented one space off, a Tab or a full-width space in an indent, an
 * unclosed quote or bracket: the YAML parser reports the slip and then a dozen errors that follow from
 * it (valid lines read in the wrong context). Here the slip is found by trying the repairs a person
 * would make — re-indent one line to a column its neighbours use, close the quote or bracket at the end
 * of its line — and keeping the one after which the parse is clean (or cleanest). The slip is reported
 * once, at its line; the errors that the repair makes vanish were its consequences and are dropped;
 * the errors that remain are the file's own and are reported too. Pure: text in, diagnostics out.
 */
import { type Document, isScalar, type LineCounter, Scalar, visit } from 'yaml';
import { diag, type Diagnostic } from '../check/diagnostic.ts';

/** Codes a slip can hide behind: the parser's words for a broken structure. */
const STRUCTURAL: ReadonlySet<string> = new Set([
  'YAML_SYNTAX',
  'YAML_TAB_INDENT',
  'FULLWIDTH_INDENT',
  'FULLWIDTH_COLON',
]);
/** Repairs tried in all, per file: each is one parse of the file (a few ms). */
const MAX_TRIALS = 240;
/** Slips explained in one file; past that the parser's own words are kept. */
const MAX_SLIPS = 8;
/** Lines around the first error whose indentation is tried. */
const BEFORE = 4;
const AFTER = 1;

interface Line {
  /** 1-based. */
  n: number;
  start: number;
  /** The line without its `\r`. */
  text: string;
  /** Its leading blanks: spaces, Tabs, U+3000. */
  lead: string;
}

interface Repair {
  from: number;
  to: number;
  insert: string;
  line: number;
  diagnostic: Diagnostic;
  /** Higher is likelier, among repairs that leave as few errors. */
  score: number;
}

const splitLines = (text: string): Line[] => {
  const out: Line[] = [];
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const t = raw.replace(/\r$/, '');
    out.push({ n: i + 1, start, text: t, lead: /^[ \t\u3000]*/.exec(t)![0] });
    start += raw.length + 1;
  });
  return out;
};

const isContent = (l: Line): boolean => l.text.slice(l.lead.length) !== '' && !l.text.startsWith('#', l.lead.length);
const spacesOnly = (l: Line): boolean => /^ *$/.test(l.lead);
const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

/**
 * The diagnostics of `text` with its slips explained. `analyse` is the load stage's own reading of a
 * text (scan + parse, no slips); it is called on the original and on each repair tried.
 */
export function explainSlips(text: string, analyse: (t: string) => Diagnostic[]): Diagnostic[] {
  const first = analyse(text);
  if (!errorsOf(first).some((d) => STRUCTURAL.has(d.code))) return first;
  let current = text;
  let diagnostics = first;
  const applied: Repair[] = [];
  let trials = 0;
  // Tabs and full-width spaces first, all at once: each is a slip wherever it is, and one left in place
  // would keep the parse broken while the others are tried.
  const lines = splitLines(text);
  const content = lines.filter(isContent);
  const odd = content.filter((l) => !spacesOnly(l) && !inBlockScalar(lines, l));
  if (odd.length) {
    const freq = frequencies(content);
    const repairs = odd
      .map((l) => indentRepairs(l, content, freq).sort((a, b) => b.score - a.score)[0])
      .filter((r): r is Repair => r !== undefined)
      .reverse();
    let repaired = text;
    for (const r of repairs) repaired = repaired.slice(0, r.from) + r.insert + repaired.slice(r.to);
    const ds = analyse(repaired);
    trials++;
    if (errorsOf(ds).length < errorsOf(first).length) {
      applied.push(...repairs);
      current = repaired;
      diagnostics = ds;
    }
  }
  while (applied.length < MAX_SLIPS && trials < MAX_TRIALS) {
    const errors = errorsOf(diagnostics);
    if (!errors.some((d) => STRUCTURAL.has(d.code))) break;
    const lines = splitLines(current);
    const candidates = repairsFor(lines, errors, current);
    let best: { repair: Repair; diagnostics: Diagnostic[]; errors: number } | undefined;
    for (const repair of candidates) {
      if (trials++ >= MAX_TRIALS) break;
      const repaired = current.slice(0, repair.from) + repair.insert + current.slice(repair.to);
      const ds = analyse(repaired);
      const n = errorsOf(ds).length;
      if (n >= errors.length) continue;
      // Candidates come likeliest first: the first that leaves no error wins, else the likeliest that helps.
      if (n === 0) {
        best = { repair, diagnostics: ds, errors: n };
        break;
      }
      best ??= { repair, diagnostics: ds, errors: n };
    }
    if (!best) break;
    applied.push(best.repair);
    current = current.slice(0, best.repair.from) + best.repair.insert + current.slice(best.repair.to);
    diagnostics = best.diagnostics;
  }
  if (applied.length === 0) return first;
  // Positions back into the original text: repair k's own position is in the text after repairs 0..k-1.
  const back = (k: number, pos: number): number => {
    for (let i = k - 1; i >= 0; i--) {
      const r = applied[i]!;
      if (pos >= r.from + r.insert.length) pos += r.to - r.from - r.insert.length;
      else if (pos > r.from) pos = r.from;
    }
    return pos;
  };
  const moved = (d: Diagnostic, k: number): Diagnostic => ({ ...d, pos: [back(k, d.pos[0]), back(k, d.pos[1])] });
  const slips = applied.map((r, k) => moved(r.diagnostic, k));
  const slipLines = new Set(slips.map((d) => lineNumber(text, d.pos[0])));
  // The parser's words about a repaired line are now said by its slip.
  const rest = diagnostics
    .map((d) => moved(d, applied.length))
    .filter((d) => !(slipLines.has(lineNumber(text, d.pos[0])) && STRUCTURAL.has(d.code)));
  return [...slips, ...rest];
}

const lineNumber = (text: string, offset: number): number => {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** The repairs worth trying for these errors, likeliest first. */
function repairsFor(lines: Line[], errors: Diagnostic[], text: string): Repair[] {
  const firstLine = Math.min(...errors.map((d) => lineNumber(text, d.pos[0])));
  const content = lines.filter(isContent);
  const freq = frequencies(content);
  const out: Repair[] = [];
  const near = content.filter((l) => l.n >= firstLine - BEFORE && l.n <= firstLine + AFTER);
  for (const l of near) out.push(...indentRepairs(l, content, freq));
  for (const l of content) if (l.n <= firstLine + AFTER) out.push(...closeRepairs(l));
  return out.sort((a, b) => b.score - a.score);
}

/** How many lines start in each column. */
function frequencies(content: Line[]): Map<number, number> {
  const freq = new Map<number, number>();
  for (const l of content) if (spacesOnly(l)) freq.set(l.lead.length, (freq.get(l.lead.length) ?? 0) + 1);
  return freq;
}

/** Whether a line is the text of a `|` or `>` block, where a Tab or a full-width space is text. */
function inBlockScalar(lines: Line[], l: Line): boolean {
  const spaces = /^ */.exec(l.text)![0].length;
  for (let k = l.n - 2; k >= 0; k--) {
    const x = lines[k]!;
    if (!isContent(x)) continue;
    if (!spacesOnly(x) && /^ */.exec(x.text)![0].length >= spaces) continue;
    if (x.lead.length >= spaces && spacesOnly(x)) continue;
    return /(?::|^ *-)[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(x.text);
  }
  return false;
}

/** The column of a line's key: after its dashes for a list item that opens a mapping (`  - level1: …` → 4). */
const keyColumn = (l: Line): number => l.lead.length + (/^(?:- +)*/.exec(l.text.slice(l.lead.length))?.[0].length ?? 0);
const isItem = (l: Line): boolean => /^-( |$)/.test(l.text.slice(l.lead.length));
const opensBlock = (l: Line): boolean => /:[ \t]*(?:#.*)?$/.test(l.text);

/**
 * Re-indent one line to each column its neighbours use. Likelier first: a column where a line of the
 * same kind (a key, a list item) stands nearby; one that fits the block it opens or sits in with the
 * file's usual step; the smallest change; a column many lines use.
 */
function indentRepairs(l: Line, content: Line[], freq: Map<number, number>): Repair[] {
  const around = content.filter((x) => x !== l && Math.abs(x.n - l.n) <= 8 && spacesOnly(x));
  const targets = new Set<number>([0]);
  for (const x of around) {
    targets.add(x.lead.length);
    targets.add(keyColumn(x));
  }
  const have = spacesOnly(l) ? l.lead.length : -1;
  const item = isItem(l);
  const step = usualStep(content);
  const i = content.indexOf(l);
  const prev = content[i - 1];
  const next = content[i + 1];
  const out: Repair[] = [];
  for (const want of targets) {
    if (want === have) continue;
    const sibling = siblingLine(content, l, want, item);
    // Opening a block: its first line one step in (a list may also start at the key's own column).
    let fit = 0;
    if (opensBlock(l) && next && spacesOnly(next)) {
      const d = next.lead.length - want;
      fit += d === step || (d === 0 && isItem(next) && step === 0) ? 1 : -1;
    }
    if (prev && opensBlock(prev) && spacesOnly(prev)) fit += want === keyColumn(prev) + step ? 1 : -1;
    const diff = have >= 0 ? Math.abs(have - want) : 0;
    const common = Math.max(-99, Math.min(99, (freq.get(want) ?? 0) - (have >= 0 ? (freq.get(have) ?? 0) : 0)));
    const score = (sibling !== undefined ? 1e6 : 0) + fit * 1e4 - diff * 100 + common;
    const args = { line: l.n, want, wantColumn: want + 1, sibling: sibling ?? '?', what: item ? 'item' : 'key' };
    const tab = l.lead.indexOf('\t');
    const fw = l.lead.indexOf('\u3000');
    let d: Diagnostic;
    if (tab >= 0) d = diag('YAML_TAB_INDENT', 'error', [l.start + tab, l.start + tab + 1], args);
    else if (fw >= 0) d = diag('FULLWIDTH_INDENT', 'error', [l.start + fw, l.start + fw + 1], args);
    else {
      const at = l.start + l.lead.length;
      d = diag('YAML_INDENT', 'error', [at, at + 1], { ...args, have, diff, more: have > want ? 1 : 0 });
    }
    out.push({ from: l.start, to: l.start + l.lead.length, insert: ' '.repeat(want), line: l.n, diagnostic: d, score });
  }
  return out;
}

/** How far a block's lines usually sit inside the key that opens it (2 in the seed). */
function usualStep(content: Line[]): number {
  const counts = new Map<number, number>();
  content.forEach((l, i) => {
    const next = content[i + 1];
    if (!next || !opensBlock(l) || !spacesOnly(l) || !spacesOnly(next)) return;
    const d = next.lead.length - keyColumn(l);
    if (d >= 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  });
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 2;
}

/**
 * The nearest line of the same kind (a key, a list item) in the same block, above, else below, that starts
 * in column `want`: a line further left in between closes the block.
 */
function siblingLine(content: Line[], l: Line, want: number, item: boolean): number | undefined {
  const i = content.indexOf(l);
  const same = (x: Line): boolean => (item ? isItem(x) && x.lead.length === want : keyColumn(x) === want);
  for (const dir of [-1, 1]) {
    for (let k = i + dir; k >= 0 && k < content.length; k += dir) {
      const x = content[k]!;
      if (!spacesOnly(x)) continue;
      if (same(x)) return x.n;
      if (x.lead.length < want) break;
    }
  }
  return undefined;
}

/** A value opened with a quote or bracket that its line does not close: close it at the end of the line. */
function closeRepairs(l: Line): Repair[] {
  const m = /^[ \t\u3000]*(?:-[ \t]+)*(?:[^\s#'"[\]{},][^#:]*?:[ \t]+)?(?=["'[{])/.exec(l.text);
  if (!m) return [];
  const open = m[0].length;
  const closers: string[] = [];
  let opener = -1;
  for (let i = open; i < l.text.length; i++) {
    const c = l.text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      for (; j < l.text.length; j++) {
        if (c === '"' && l.text[j] === '\\') j++;
        else if (l.text[j] === c) {
          if (c === "'" && l.text[j + 1] === "'") j++;
          else break;
        }
      }
      if (j >= l.text.length) {
        if (closers.length === 0) opener = i;
        closers.push(c);
        break;
      }
      i = j;
    } else if (c === '[' || c === '{') {
      if (closers.length === 0) opener = i;
      closers.push(c === '[' ? ']' : '}');
    } else if ((c === ']' || c === '}') && closers.length) {
      closers.pop();
    } else if (c === '#' && /\s/.test(l.text[i - 1] ?? ' ') && closers.length === 0) break;
  }
  if (closers.length === 0 || opener < 0) return [];
  const end = l.start + l.text.trimEnd().length;
  const ch = l.text[opener]!;
  const close = ch === '[' ? ']' : ch === '{' ? '}' : ch;
  return [
    {
      from: end,
      to: end,
      insert: closers.reverse().join(''),
      line: l.n,
      diagnostic: diag('YAML_UNCLOSED', 'error', [l.start + opener, l.start + opener + 1], {
        open: ch,
        close,
        line: l.n,
      }),
      score: 0,
    },
  ];
}

/**
 * The slip that parses: a list item indented more than its siblings is read as the continuation of the
 * item above (`  - 甲` then `   - 乙` is one item, “甲 - 乙”). No parser error, but two items became one.
 */
export function continuationSlips(doc: Document.Parsed, text: string, lc: LineCounter): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = splitLines(text);
  visit(doc, {
    Scalar(_k, node) {
      if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return;
      const first = lc.linePos(node.range[0]).line;
      const last = lc.linePos(Math.max(node.range[0], node.range[1] - 1)).line;
      if (last <= first) return;
      // The dash of the item this scalar is (or is in): the nearest line at or above it that starts with one.
      const owner = lines
        .slice(0, first)
        .reverse()
        .find((l) => /^ *- /.test(l.text));
      for (let n = first + 1; n <= last; n++) {
        const l = lines[n - 1]!;
        if (!owner || !/^ *-[ \t]/.test(l.text) || !spacesOnly(l)) continue;
        const want = owner.lead.length;
        const have = l.lead.length;
        if (have <= want) continue;
        const at = l.start + have;
        out.push(
          diag('YAML_INDENT', 'error', [at, at + 1], {
            line: n,
            want,
            wantColumn: want + 1,
            sibling: owner.n,
            what: 'item',
            have,
            diff: have - want,
            more: 1,
            joined: 1,
          }),
        );
      }
    },
  });
  return out;
}
