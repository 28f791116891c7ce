/** Shared by the diff tests: fixture folders (tests/fixtures/diff-*), loading both sides, golden files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { checkFile } from '../../scripts/check/check-file.ts';
import type { DepartmentDiff, DiffReport, DiffSide } from '../../scripts/diff/changes.ts';
import { compareDepartments } from '../../scripts/diff/compare.ts';
import { resolveSettings } from '../../scripts/model/settings.ts';
import type { Settings } from '../../scripts/model/types.generated.ts';
import { FIXTURES, ROOT } from '../helpers.ts';

/** Every `tests/fixtures/diff-*` folder holding an old.yaml/new.yaml pair. */
export const PAIR_FIXTURES = readdirSync(FIXTURES)
  .filter((d) => d.startsWith('diff-') && existsSync(path.join(FIXTURES, d, 'old.yaml')))
  .sort();

interface FixtureMeta {
  description: string;
  /** Settings per side, for pairs the default settings would reject (a dropped 一级, another points total). */
  settings?: { old?: Settings; new?: Settings };
}

export const fixtureMeta = (name: string): FixtureMeta =>
  JSON.parse(readFileSync(path.join(FIXTURES, name, 'fixture.json'), 'utf8')) as FixtureMeta;

/** A validated side; fails the test when the file has errors (fixtures must be valid tables). */
export function loadSide(file: string, shown: string, settings?: Settings): DiffSide {
  const c = checkFile(shown, readFileSync(file), { settings: resolveSettings(settings) });
  expect(
    c.diagnostics.filter((d) => d.severity === 'error'),
    `${shown} must validate`,
  ).toEqual([]);
  return { file: shown, data: c.data!, model: c.model! };
}

/** The comparison of one fixture folder, labelled `old.yaml` → `new.yaml`. */
export function fixtureDiff(name: string): { report: DiffReport; diff: DepartmentDiff } {
  const meta = fixtureMeta(name);
  const a = loadSide(path.join(FIXTURES, name, 'old.yaml'), 'old.yaml', meta.settings?.old);
  const b = loadSide(path.join(FIXTURES, name, 'new.yaml'), 'new.yaml', meta.settings?.new);
  const diff = compareDepartments(a, b);
  return { report: { fromLabel: 'old.yaml', toLabel: 'new.yaml', departments: [diff] }, diff };
}

/** Compares with a golden file (path relative to the repository); `UPDATE_GOLDEN=1` rewrites it. */
export function expectFile(rel: string, actual: string): void {
  const file = path.join(ROOT, rel);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file))
    throw new Error(`golden file ${rel} is missing: run UPDATE_GOLDEN=1 npx vitest run tests/diff`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
