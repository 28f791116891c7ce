/**
 * `jxmb gen-docs [--check]`: writes the generated parts of docs/ — docs/diagnostics.md whole, and the key
 * and scoring tables inside docs/format.md and docs/settings.md — from the code and the schemas.
 * `--check` (in `npm test`) fails when one is stale, naming the command that brings it up to date.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../_command.ts';
import {
  codesWithoutExample,
  diagnosticsMarkdown,
  fillBlocks,
  generatedBlocks,
  missingExamplesMessage,
  REGENERATE,
} from '../docs/generate.ts';
import { writeFileAtomic } from '../io/files.ts';

export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

/** Each generated doc: its path under docs/ and its text as it should be (given the text it has now). */
export function expectedDocs(current: (file: string) => string): { file: string; want: string; problem?: string }[] {
  const blocks = generatedBlocks();
  const inside = (file: string, names: string[]): { file: string; want: string; problem?: string } => {
    const have = current(file);
    const mine = Object.fromEntries(names.map((n) => [n, blocks[n]!]));
    const { text, found } = fillBlocks(have, mine);
    const lost = names.filter((n) => !found.includes(n));
    return lost.length
      ? { file, want: have, problem: `the markers of ${lost.join(', ')} are missing (see generate.ts: blockMarkers)` }
      : { file, want: text };
  };
  return [
    { file: 'diagnostics.md', want: diagnosticsMarkdown() },
    inside('format.md', ['format-keys', 'scoring-kinds']),
    inside('settings.md', ['settings-keys']),
  ];
}

export default defineCommand({
  meta: {
    name: 'gen-docs',
    description:
      '由代码和 schema 生成 docs/ 中的诊断代码列表和键的说明表。\n' +
      'Generate docs/diagnostics.md and the key tables in docs/format.md and docs/settings.md from the code.',
    examples: ['jxmb gen-docs', 'jxmb gen-docs --check'],
  },
  args: { check: { type: 'boolean', description: '只检查是否过期 only check that the docs are up to date' } },
  async run({ args, out, err }) {
    const missing = codesWithoutExample();
    if (missing.length) {
      err(`jxmb gen-docs: ${missingExamplesMessage(missing)}`);
      return 1;
    }
    const have = new Map<string, string>();
    for (const f of ['diagnostics.md', 'format.md', 'settings.md'])
      have.set(f, await fs.readFile(path.join(DOCS_DIR, f), 'utf8').catch(() => ''));
    const docs = expectedDocs((f) => have.get(f) ?? '');
    let failed = 0;
    for (const d of docs) {
      const rel = path.relative(process.cwd(), path.join(DOCS_DIR, d.file));
      if (d.problem) {
        err(`${rel}: ${d.problem}`);
        failed++;
      } else if (have.get(d.file) === d.want) {
        if (!args.check) out(`${rel} 已是最新 up to date`);
      } else if (args.check) {
        err(`${rel} 与代码不一致 is out of date with the code: run \`${REGENERATE}\``);
        failed++;
      } else {
        await writeFileAtomic(path.join(DOCS_DIR, d.file), d.want);
        out(`${rel} 已更新 written`);
      }
    }
    return failed ? 1 : 0;
  },
});
