/**
 * No line over 120 characters in the files ESLint does not read: templates, the JSON Schema, CI scripts
 * and workflows (ESLint's max-len covers scripts/ and tests/). Characters, not bytes: a Chinese
 * character is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const MAX = 120;

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? files(rel) : [rel];
  });
}

/** `file:line (n)` for every line longer than MAX characters. */
function longLines(rel: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const n = [...line].length;
    return n > MAX ? [`${rel}:${i + 1} (${n})`] : [];
  });
}

describe('line length', () => {
  const checked = ['templates', 'schema', '.github', '.ci'].flatMap(files);

  it(`templates, schema and CI files keep every line within ${MAX} characters`, () => {
    expect(checked.length).toBeGreaterThan(10);
    expect(checked.flatMap((f) => longLines(f, readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('counts characters, not bytes', () => {
    expect(longLines('x', '表'.repeat(MAX))).toEqual([]);
    expect(longLines('x', `a\n${'表'.repeat(MAX + 1)}`)).toEqual([`x:2 (${MAX + 1})`]);
  });
});
