/**
 * Self-evaluations on disk: each read with the targets file it sits beside (`<code>.self-eval.yaml` next
 * to `<code>.yaml`), checked, and scored (check/self-eval.ts does the work; this reads the files).
 */
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { type CheckedSelfEval, checkSelfEvalFile, type TargetsBeside } from '../check/self-eval.ts';
import { hasErrors } from '../check/diagnostic.ts';
import { selfEvalCodeOf } from '../model/self-eval.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import { glyphCoverage } from './fonts.ts';
import { checkSource, findProjectRoot, readSourceFile } from './project.ts';

/** The targets file of a self-evaluation: same folder, `<code>.yaml`. */
export const targetsPathOf = (selfEval: string): string =>
  path.join(path.dirname(selfEval), `${selfEvalCodeOf(selfEval)}.yaml`);

export interface SelfEvalCheckFilesOptions {
  dataDir: string;
  settings: ResolvedSettings;
  cwd: string;
  root?: string;
  /** Targets files already checked in this run, by absolute path: not read twice. */
  checkedTargets?: ReadonlyMap<string, CheckedFile>;
}

/** Reads and checks self-evaluations, each against its targets file. */
export async function checkSelfEvalFiles(files: string[], opts: SelfEvalCheckFilesOptions): Promise<CheckedSelfEval[]> {
  const bounds = [opts.root ?? findProjectRoot(opts.cwd), opts.dataDir];
  const shownOf = (abs: string): string => path.relative(opts.cwd, abs) || abs;
  const coverage = glyphCoverage();
  const out: CheckedSelfEval[] = [];
  for (const abs of files) {
    const shown = shownOf(abs);
    const targets = await targetsBeside(abs, opts, bounds, shownOf);
    const { bytes, diagnostic } = await readSourceFile(abs, shown, bounds);
    const rel = path.relative(opts.dataDir, abs);
    const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
    const base = { settings: opts.settings, targets, ...(inData ? { dataPath: rel } : {}) };
    if (!bytes) {
      const c = checkSelfEvalFile(shown, new Uint8Array(), base);
      out.push({ ...c, diagnostics: [diagnostic] });
      continue;
    }
    out.push(checkSelfEvalFile(shown, bytes, { ...base, ...(coverage ? { coverage } : {}) }));
  }
  return out;
}

async function targetsBeside(
  selfEval: string,
  opts: SelfEvalCheckFilesOptions,
  bounds: string[],
  shownOf: (abs: string) => string,
): Promise<TargetsBeside> {
  const abs = targetsPathOf(selfEval);
  const file = shownOf(abs);
  const known = opts.checkedTargets?.get(abs);
  if (known) return { file, exists: true, ...usable(known) };
  const { bytes, diagnostic } = await readSourceFile(abs, file, bounds);
  if (!bytes) return { file, exists: diagnostic.code !== 'FILE_NOT_FOUND' };
  const rel = path.relative(opts.dataDir, abs);
  const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
  const checked = checkSource(file, bytes, { settings: opts.settings, ...(inData ? { dataPath: rel } : {}) });
  return { file, exists: true, ...usable(checked) };
}

const usable = (c: CheckedFile): { data?: DepartmentTargets } =>
  c.data && !hasErrors(c.diagnostics) ? { data: c.data } : {};

/** A checked self-evaluation as the diagnostics report takes it. */
export const asReported = (c: CheckedSelfEval): CheckedFile => ({
  file: c.file,
  source: c.source,
  diagnostics: c.diagnostics,
});
