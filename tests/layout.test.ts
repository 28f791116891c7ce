/**
 * The layout is the map (STYLE.md, README "Layout"): one folder per stage or concern, arrows pointing down.
 * This reads every import under scripts/ and fails on an arrow the table below does not allow, and on a
 * pure stage reaching for the disk, a process or the browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../scripts');

/** The stages that take data and return data. */
const PURE = ['load', 'check', 'model', 'render', 'diff', 'import', 'docs'];

/**
 * Which folders each folder may import from (besides itself). `(root)` is cli.ts, _command.ts, jxmb.js;
 * `(schema)` the JSON Schema and package.json outside scripts/.
 */
const ALLOWED: Record<string, readonly string[]> = {
  model: ['(schema)'],
  load: ['model', 'check'],
  check: ['load', 'model', 'render', '(schema)'],
  render: ['model'],
  diff: ['model', 'check', 'render'],
  import: ['model', 'check', 'load'],
  docs: ['model', 'check'],
  io: [...PURE, '(schema)'],
  browser: [...PURE, 'io'],
  forge: [...PURE, 'io'],
  build: [...PURE, 'io', 'browser', 'forge'],
  forms: [...PURE, 'io', 'browser', 'build'],
  dev: [...PURE, 'io', 'browser', 'build', 'forms'],
  bench: [...PURE, 'io', 'browser', 'build', 'forms'],
  setup: [...PURE, 'io', 'browser'],
  commands: [...PURE, 'io', 'browser', 'build', 'forms', 'dev', 'forge', 'bench', 'setup', '(root)'],
  '(root)': ['commands', 'io', 'check', 'setup', 'dist'],
};

/** Modules a pure stage must not import: the disk, processes, the network, the browser. */
const IMPURE = /^(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads|os)$|^puppeteer/;

interface Edge {
  file: string;
  line: number;
  from: string;
  to: string;
  spec: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' ? [] : sources(p);
    return /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** The folder under scripts/ a path is in, `(root)` for scripts/ itself, `(schema)` outside it. */
function folderOf(abs: string): string {
  const rel = path.relative(SCRIPTS, abs);
  if (rel.startsWith('..')) return '(schema)';
  const parts = rel.split(path.sep);
  return parts.length === 1 ? '(root)' : parts[0]!;
}

/** Every import, export-from and dynamic import() with a string literal, with its line. */
function imports(file: string): { spec: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; line: number }[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (const m of text.matchAll(re)) {
    out.push({ spec: m[2]!, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

function edges(): Edge[] {
  return sources(SCRIPTS).flatMap((file) => {
    const from = folderOf(file);
    return imports(file).map(({ spec, line }) => ({
      file: path.relative(SCRIPTS, file),
      line,
      from,
      spec,
      to: spec.startsWith('.') ? folderOf(path.resolve(path.dirname(file), spec)) : spec,
    }));
  });
}

/** The arrows the table does not allow, as `file:line from → to (spec)`. */
function wrongArrows(list: readonly Edge[]): string[] {
  return list
    .filter((e) => e.spec.startsWith('.') && e.to !== e.from && !ALLOWED[e.from]?.includes(e.to))
    .map((e) => `${e.file}:${e.line} ${e.from} → ${e.to} (${e.spec})`);
}

/** Imports of pure stages that reach the disk, a process, the network or the browser. */
function impureImports(list: readonly Edge[]): string[] {
  return list.filter((e) => PURE.includes(e.from) && IMPURE.test(e.spec)).map((e) => `${e.file}:${e.line} ${e.spec}`);
}

describe('the layout', () => {
  const all = edges();

  it('knows every folder (a new one must be placed in the table)', () => {
    expect(all.length).toBeGreaterThan(300);
    const unknown = [...new Set(all.map((e) => e.from))].filter((f) => !(f in ALLOWED));
    expect(unknown).toEqual([]);
  });

  it('arrows point down: each folder imports only from those below it', () => {
    expect(wrongArrows(all)).toEqual([]);
  });

  it('pure stages touch no disk, process, network or browser', () => {
    expect(impureImports(all)).toEqual([]);
  });

  it('would see a wrong arrow and an impure import', () => {
    const e = { file: 'render/x.ts', line: 3, from: 'render', spec: '../browser/pool.ts', to: 'browser' };
    expect(wrongArrows([e])).toEqual(['render/x.ts:3 render → browser (../browser/pool.ts)']);
    expect(impureImports([{ ...e, spec: 'node:fs', to: 'node:fs' }])).toEqual(['render/x.ts:3 node:fs']);
    expect(impureImports([{ ...e, spec: 'node:zlib', to: 'node:zlib' }])).toEqual([]);
  });
});
