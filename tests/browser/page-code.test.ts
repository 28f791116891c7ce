/**
 * Page code (scripts/browser/page-code/): typed functions run in a sealed page over the DevTools protocol,
 * several in one round trip; the `__name` helper the TypeScript loader (tsx) writes into named inner
 * functions is defined in the page; and no code under scripts/ reaches for puppeteer's private members.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserPool } from '../../scripts/browser/pool.ts';
import { loadSealed } from '../../scripts/browser/form-page.ts';
import { call, evaluateAll, evaluateIn } from '../../scripts/browser/page-code/evaluate.ts';
import { testPool } from '../render/render-helpers.ts';

const SCRIPTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../scripts');

// What tsx (esbuild keepNames) makes of `const twice = (n) => n * 2` inside a function.
declare const __name: <F>(f: F, name: string) => F;
function withKeptName(n: number): number {
  const twice = __name((k: number) => k * 2, 'twice');
  return twice(n);
}

let pool: BrowserPool;
beforeAll(async () => {
  pool = await testPool();
}, 120_000);
afterAll(async () => {
  await pool?.close();
});

describe('running page functions', () => {
  it('runs a function using __name in a sealed page, its own JavaScript off', async () => {
    const [js, value] = await pool.withPage(async (page) => {
      await loadSealed(page, 'page-code.html', '<!doctype html><html><body><p>x</p></body></html>');
      return [page.isJavaScriptEnabled(), await evaluateIn(page, call(withKeptName, 21))];
    });
    expect(js).toBe(false);
    expect(value).toBe(42);
  });

  it('runs several calls in one round trip, in order, with their own arguments', async () => {
    const out = await pool.withPage(async (page) => {
      await loadSealed(page, 'page-code.html', '<!doctype html><html><body><p>x</p></body></html>');
      return evaluateAll(
        page,
        call((tag: string) => {
          document.body.append(document.createElement(tag));
          return document.body.children.length;
        }, 'div'),
        call(async (sel: string) => document.querySelectorAll(sel).length, 'p, div'),
      );
    });
    expect(out).toEqual([2, 2]);
  });

  it('rejects with the message of an error thrown in the page', async () => {
    const err = await pool
      .withPage(async (page) => {
        await loadSealed(page, 'page-code.html', '<!doctype html><html><body></body></html>');
        return evaluateIn(
          page,
          call(() => {
            throw new Error('measuring document is missing an element');
          }),
        );
      })
      .catch((e: unknown) => e);
    expect(String(err)).toContain('measuring document is missing an element');
  });
});

/** Every .ts and .js file under scripts/ but the compiled copy. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

/** Private member access: `._client()`, `obj._x`, `obj['_x']`. */
const PRIVATE = /\.\s*_[A-Za-z]\w*|\[\s*['"`]_[A-Za-z]\w*['"`]\s*\]|\b_client\b/;

describe('puppeteer, public API only', () => {
  it('no source under scripts/ uses a private (_-prefixed) member', () => {
    const files = sources(SCRIPTS);
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (PRIVATE.test(line) ? [`${path.relative(SCRIPTS, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('the scan would see one', () => {
    expect(PRIVATE.test('const client = (page as any)._client();')).toBe(true);
    expect(PRIVATE.test("page['_client']")).toBe(true);
    expect(PRIVATE.test('page.pdf(PDF_OPTIONS)')).toBe(false);
  });
});
