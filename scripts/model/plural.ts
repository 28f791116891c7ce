/** An English count with its noun: `1 file`, `2 files`, `1 entry`/`3 entries` (give `many` when irregular). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
