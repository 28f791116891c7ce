/**
 * Word-level diff of free text (duties, goals, names, explanations, scoring sentences). Chinese has no
 * spaces, so words come from ICU's dictionary segmentation (`Intl.Segmenter('zh', {granularity:
 * 'word'})`): `考核新增规模工业企业情况` → 考核|新增|规模|工业|企业|情况. A Node built without full ICU
 * falls back to single characters, which is coarser to read but never wrong. Pure.
 */

export type WordOpKind = 'equal' | 'delete' | 'insert';
export interface WordOp {
  op: WordOpKind;
  text: string;
}

const segmenter: Intl.Segmenter | undefined =
  typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : undefined;

/** The text as words (and the punctuation and spaces between them); joining them gives the text back. */
export function segmentWords(text: string): string[] {
  if (!segmenter) return [...text];
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Above this many DP cells the middle of a diff is shown as one replacement (texts here are short). */
const MAX_CELLS = 4_000_000;

/** Longest common subsequence of two token lists, as index pairs in order. */
export function lcsPairs<T>(
  a: readonly T[],
  b: readonly T[],
  eq: (x: T, y: T) => boolean = (x, y) => x === y,
): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) return [];
  // dp[i][j] = LCS length of a[i..] and b[j..], one flat array.
  const w = m + 1;
  const dp = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * w + j] = eq(a[i]!, b[j]!)
        ? dp[(i + 1) * w + j + 1]! + 1
        : Math.max(dp[(i + 1) * w + j]!, dp[i * w + j + 1]!);
    }
  }
  const out: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (eq(a[i]!, b[j]!)) {
      out.push([i, j]);
      i++;
      j++;
    } else if (dp[(i + 1) * w + j]! >= dp[i * w + j + 1]!) i++;
    else j++;
  }
  return out;
}

function push(ops: WordOp[], op: WordOpKind, text: string): void {
  if (!text) return;
  const last = ops[ops.length - 1];
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

/** Within each run of changes, deletions first then insertions: `[-old-]{+new+}` reads best. */
function normalise(ops: WordOp[]): WordOp[] {
  const out: WordOp[] = [];
  for (let i = 0; i < ops.length;) {
    if (ops[i]!.op === 'equal') {
      push(out, 'equal', ops[i]!.text);
      i++;
      continue;
    }
    let del = '';
    let ins = '';
    for (; i < ops.length && ops[i]!.op !== 'equal'; i++) {
      if (ops[i]!.op === 'delete') del += ops[i]!.text;
      else ins += ops[i]!.text;
    }
    push(out, 'delete', del);
    push(out, 'insert', ins);
  }
  return out;
}

/**
 * Folds a one-character "equal" island (a lone `，` or `的`) between two changes into the change:
 * `[-a-]，[-b-]` is harder to read than one replacement.
 */
function absorbIslands(ops: WordOp[]): WordOp[] {
  const out: WordOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    const prev = out[out.length - 1];
    const next = ops[i + 1];
    if (o.op === 'equal' && [...o.text].length <= 1 && prev && prev.op !== 'equal' && next && next.op !== 'equal') {
      out.push({ op: 'delete', text: o.text }, { op: 'insert', text: o.text });
    } else out.push({ ...o });
  }
  return normalise(out);
}

/** The word-level edit script turning `a` into `b`. Joining equal+delete gives `a`; equal+insert gives `b`. */
export function diffWords(a: string, b: string): WordOp[] {
  if (a === b) return a ? [{ op: 'equal', text: a }] : [];
  const ta = segmentWords(a);
  const tb = segmentWords(b);
  // Common prefix and suffix first: most edits touch a few words in the middle.
  let pre = 0;
  while (pre < ta.length && pre < tb.length && ta[pre] === tb[pre]) pre++;
  let suf = 0;
  while (suf < ta.length - pre && suf < tb.length - pre && ta[ta.length - 1 - suf] === tb[tb.length - 1 - suf]) suf++;
  const ma = ta.slice(pre, ta.length - suf);
  const mb = tb.slice(pre, tb.length - suf);
  const ops: WordOp[] = [];
  push(ops, 'equal', ta.slice(0, pre).join(''));
  let i = 0;
  let j = 0;
  for (const [pi, pj] of lcsPairs(ma, mb)) {
    push(ops, 'delete', ma.slice(i, pi).join(''));
    push(ops, 'insert', mb.slice(j, pj).join(''));
    push(ops, 'equal', ma[pi]!);
    i = pi + 1;
    j = pj + 1;
  }
  push(ops, 'delete', ma.slice(i).join(''));
  push(ops, 'insert', mb.slice(j).join(''));
  push(ops, 'equal', ta.slice(ta.length - suf).join(''));
  const result = absorbIslands(normalise(ops));
  // A rewrite that keeps only scattered words reads better as one replacement.
  const kept = result.filter((o) => o.op === 'equal').reduce((n, o) => n + [...o.text].length, 0);
  if ((2 * kept) / ([...a].length + [...b].length) < REWRITE_BELOW)
    return [...(a ? [{ op: 'delete' as const, text: a }] : []), ...(b ? [{ op: 'insert' as const, text: b }] : [])];
  return result;
}

/** Share of unchanged text under which a diff is shown as a whole replacement. */
export const REWRITE_BELOW = 0.4;

/** The `from` side of an edit script. */
export const oldText = (ops: readonly WordOp[]): string =>
  ops
    .filter((o) => o.op !== 'insert')
    .map((o) => o.text)
    .join('');
/** The `to` side of an edit script. */
export const newText = (ops: readonly WordOp[]): string =>
  ops
    .filter((o) => o.op !== 'delete')
    .map((o) => o.text)
    .join('');

/**
 * Shortens long unchanged stretches to `context` characters either side of a change (`…`), so a
 * one-word edit in a 200-character goal shows as one line.
 */
export function trimContext(ops: readonly WordOp[], context = 16): WordOp[] {
  const out: WordOp[] = [];
  ops.forEach((o, k) => {
    if (o.op !== 'equal') {
      out.push(o);
      return;
    }
    const chars = [...o.text];
    const first = k === 0;
    const last = k === ops.length - 1;
    const keep = (first ? 0 : context) + (last ? 0 : context);
    if (chars.length <= keep + 1) {
      out.push(o);
      return;
    }
    const head = first ? '' : chars.slice(0, context).join('');
    const tail = last ? '' : chars.slice(chars.length - context).join('');
    out.push({ op: 'equal', text: `${head}…${tail}` });
  });
  return out;
}

/** Character-level similarity 0…1 (2·LCS / total length); used to recognise renamed indicators. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const ca = [...a];
  const cb = [...b];
  if (!ca.length || !cb.length) return 0;
  return (2 * lcsPairs(ca, cb).length) / (ca.length + cb.length);
}
