/**
 * Running typed page functions in a sealed page, several in one DevTools round trip.
 *
 * Page code is written as ordinary TypeScript functions (type-checked with lib DOM) and sent as their
 * source text, the way puppeteer's page.evaluate sends any function. Two rules keep that source valid in
 * the page:
 * - a page function uses nothing from its module — no imports, no module constants — only its
 *   arguments (passed as JSON-like values) and the page's globals;
 * - the TypeScript loader (tsx, with esbuild's keepNames) wraps named inner functions in `__name(…)`, a
 *   helper that exists in Node, not in the page: every call below runs the function where `__name` is
 *   defined as the identity (tests/browser/page-code.test.ts runs each page function in Chromium).
 * The page's own JavaScript is disabled (sealPage): this code runs over the DevTools protocol
 * (Runtime.callFunctionOn), which setJavaScriptEnabled(false) does not stop.
 */
import type { Page } from 'puppeteer-core';

/** A page function with the arguments to call it with. */
export interface PageCall<R> {
  readonly fn: (...args: never[]) => R;
  readonly args: readonly unknown[];
}

/** A call of `fn` with `args` in the page (typed: the arguments are the function's). */
export function call<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): PageCall<Awaited<R>> {
  return { fn: fn as unknown as (...args: never[]) => Awaited<R>, args };
}

/** The results of calls, in order. */
export type Results<T extends readonly PageCall<unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends PageCall<infer R> ? R : never;
};

/**
 * Runs the calls in the page in order, in one round trip, awaiting each; resolves to their results.
 * An error thrown in the page rejects with its message.
 */
export async function evaluateAll<const T extends readonly PageCall<unknown>[]>(
  page: Page,
  ...calls: T
): Promise<Results<T>> {
  return (await page.evaluate(runner(calls.map((c) => c.fn)), ...calls.map((c) => c.args))) as Results<T>;
}

/** Runs one call in the page. */
export async function evaluateIn<R>(page: Page, c: PageCall<R>): Promise<R> {
  return (await evaluateAll(page, c))[0];
}

/** The function sent for a list of page functions (one per list: same functions, same source). */
function runner(fns: readonly ((...args: never[]) => unknown)[]): () => unknown {
  const source =
    'async function (...argLists) {\n  const __name = (f) => f;\n  const fns = [\n' +
    fns.map((f) => `(${sourceOf(f)})`).join(',\n') +
    '\n  ];\n  const out = [];\n  for (let i = 0; i < fns.length; i++) out.push(await fns[i](...argLists[i]));\n' +
    '  return out;\n}';
  let f = RUNNERS.get(source);
  if (!f) {
    // puppeteer sends a function as its toString(): this one's is the runner's source.
    f = Object.assign(() => undefined, { toString: () => source });
    RUNNERS.set(source, f);
  }
  return f;
}
const RUNNERS = new Map<string, () => unknown>();

/** A function's source as an expression (a method shorthand `f() {}` made a function expression). */
function sourceOf(fn: (...args: never[]) => unknown): string {
  const s = fn.toString();
  if (/^(async\s+)?(function\b|\(|[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*\s*=>)/u.test(s)) return s;
  return s.startsWith('async ') ? `async function ${s.slice(6)}` : `function ${s}`;
}
