/** Shared test helpers: paths, the seed, and running the CLI in-process. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../scripts/cli.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEED_YAML = path.join(ROOT, 'data/2025/zhijiang-swkjgxj.yaml');
/** The reference instance, the official export of the 2025 table (a copy of shared/seed/000_30d5baf688f67f7e.txt). */
export const SEED_TXT = path.join(ROOT, 'tests/fixtures/reference/seed-2025.tsv');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');

export const seedText = (): string => readFileSync(SEED_TXT, 'utf8');

/** Runs `jxmb …` in-process; returns exit code and captured output. */
export async function runCli(argv: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Compares text with a golden file under tests/fixtures/golden/; `UPDATE_GOLDEN=1 npm test` rewrites it.
 * A missing golden file fails (it is never created silently outside an update run).
 */
export async function expectGolden(name: string, actual: string): Promise<void> {
  const { existsSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { expect } = await import('vitest');
  const file = path.join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file))
    throw new Error(`golden file ${path.relative(ROOT, file)} is missing: run UPDATE_GOLDEN=1 npx vitest run`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
