/**
 * docs/ is generated from the code where it can be: every diagnostic code has an example, and the files
 * written by `jxmb gen-docs` are what the code gives today. A failure names the command that fixes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../scripts/check/diagnostic.ts';
import { messageFor } from '../scripts/check/messages.ts';
import { DOCS_DIR, expectedDocs } from '../scripts/commands/gen-docs.ts';
import { DIAGNOSTIC_EXAMPLES } from '../scripts/docs/diagnostic-examples.ts';
import {
  codesWithoutExample,
  diagnosticsMarkdown,
  fillBlocks,
  missingExamplesMessage,
  REGENERATE,
} from '../scripts/docs/generate.ts';
import { departmentSchema } from '../scripts/check/schema.ts';
import { ROOT, runCli } from './helpers.ts';

const read = (f: string): string => {
  try {
    return readFileSync(path.join(DOCS_DIR, f), 'utf8');
  } catch {
    return '';
  }
};

describe('docs/diagnostics.md', () => {
  it('every diagnostic code has an example', () => {
    const missing = codesWithoutExample();
    // The message says what to do; an empty list passes.
    expect(missing, missing.length ? missingExamplesMessage(missing) : '').toEqual([]);
  });
  it('no example for a code that does not exist', () => {
    const known = new Set<string>(DIAGNOSTIC_CODES);
    expect(Object.keys(DIAGNOSTIC_EXAMPLES).filter((c) => !known.has(c))).toEqual([]);
  });
  it('each example fills its message: no empty placeholders left in either language', () => {
    for (const c of DIAGNOSTIC_CODES) {
      const ex = DIAGNOSTIC_EXAMPLES[c]!;
      for (const lang of ['zh', 'en'] as const) {
        const m = messageFor(c, ex.args, lang);
        // An argument the message needs but the example lacks shows as an empty quote or a dangling colon.
        expect([c, lang, m], m).not.toEqual([c, lang, expect.stringMatching(/“”|""|（）|\(\)|：$|: $|^\s*$/)]);
      }
    }
  });
  it('lists every code with its severity and both messages, in the order of diagnostic.ts', () => {
    const doc = diagnosticsMarkdown();
    const headings = [...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...DIAGNOSTIC_CODES]);
    const points = doc.split('\n## ').find((s) => s.startsWith('POINTS_TOTAL\n'))!;
    const ex = DIAGNOSTIC_EXAMPLES.POINTS_TOTAL!;
    expect(points).toContain(`- Severity: ${ex.severity}`);
    const unescaped = points.replace(/\\(.)/g, '$1');
    expect(unescaped).toContain(`- English: ${messageFor('POINTS_TOTAL', ex.args, 'en')}`);
  });
  it('the committed docs are up to date', () => {
    for (const d of expectedDocs(read)) {
      expect(d.problem, `docs/${d.file}`).toBeUndefined();
      expect(read(d.file) === d.want, `docs/${d.file} is out of date: run \`${REGENERATE}\``).toBe(true);
    }
  });
});

describe('generated blocks in docs/format.md and docs/settings.md', () => {
  it('every scoring kind of the schema is in the scoring table, with its printed sentence', () => {
    const format = read('format.md');
    for (const kind of departmentSchema.$defs!.scoring!.properties!.kind!.enum as string[])
      expect(format).toMatch(new RegExp(`^\\| \`${kind}\` \\|.*→ .+ \\|$`, 'm'));
  });
  it('every top-level key of the schema is in the key table', () => {
    const format = read('format.md');
    for (const k of Object.keys(departmentSchema.properties!)) expect(format).toContain(`| \`${k}\` |`);
  });
  it('fillBlocks replaces only between the markers and reports a block whose markers are gone', () => {
    const doc = read('settings.md');
    const filled = fillBlocks(doc, { 'settings-keys': 'NEW' });
    expect(filled.found).toEqual(['settings-keys']);
    expect(filled.text.startsWith(doc.slice(0, doc.indexOf('<!-- BEGIN GENERATED')))).toBe(true);
    expect(filled.text).toMatch(/-->\n\nNEW\n\n<!-- END GENERATED settings-keys -->/);
    expect(fillBlocks('no markers', { 'settings-keys': 'NEW' })).toEqual({ text: 'no markers', found: [] });
  });
});

describe('jxmb gen-docs --check', () => {
  it('passes on the committed docs', async () => {
    const r = await runCli(['gen-docs', '--check'], ROOT);
    expect([r.code, r.err]).toEqual([0, '']);
  });
});

describe('the README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  it('links every doc', () => {
    for (const f of ['format.md', 'settings.md', 'editor.md', 'diagnostics.md']) expect(readme).toContain(`docs/${f}`);
  });
  it('lists every command in the command table', async () => {
    const { COMMANDS } = await import('../scripts/cli.ts');
    for (const name of Object.keys(COMMANDS)) expect(readme).toMatch(new RegExp(`^\\| \`jxmb ${name}\\b`, 'm'));
  });
});
