/** "Did you mean …?" for keys and enum values: the nearest candidate by edit distance. */

/** Optimal string alignment distance: a swap of two neighbours (uint → unit) costs one edit. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

/** The candidate closest to `input`, if it is close enough to be a plausible typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(input.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  const limit = Math.max(1, Math.floor([...input].length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/**
 * Up to `max` candidates nearest to `input`, nearest first: those within half the input's length in
 * edits, and any that contains the input or is contained in it.
 */
export function closestNames(input: string, candidates: readonly string[], max = 3): string[] {
  const lower = input.toLowerCase();
  const limit = Math.max(1, Math.ceil([...input].length / 2));
  return candidates
    .map((c) => {
      const cl = c.toLowerCase();
      return [c, distance(lower, cl), cl.includes(lower) || lower.includes(cl)] as const;
    })
    .filter(([c, d, contains]) => (d <= limit || contains) && c !== input)
    .sort((a, b) => a[1] - b[1])
    .slice(0, max)
    .map(([c]) => c);
}
