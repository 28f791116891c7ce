/**
 * Self-evaluations on disk: each read with the targets file it sits beside (`<code>.self-eval.yaml` next
 * to `<code>.yaml`), checked, and scored (check/self-eval.ts does the work; this reads the files).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CheckedFile } from '../check/check-file.ts';
import { type CheckedSelfEval, checkSelfEvalFile, type TargetsBeside } from '../check/self-eval.ts';
import { hasErrors } from '../check/diagnostic.ts';
import { SELF_EVAL_SUFFIX, selfEvalCodeOf } from '../model/self-eval.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import type { DepartmentTargets } from '../model/types.generated.ts';
import { glyphCoverage } from './fonts.ts';
import { checkSource, findProjectRoot, readAhead, readSourceFile } from './project.ts';

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
  /** Targets files being checked alongside (a build's targets plan): taken from it, not read twice. */
  handover?: TargetsHandover;
}

/**
 * Hands targets files from a build's targets plan to its self-evaluation plan as they are checked, so
 * the self-evaluations' plan, running alongside, does not read and check each targets file again. Only
 * files with a self-evaluation beside them are kept, each until it is taken: the two plans advance
 * together, so few are held at once. Once closed (the targets plan is done), a file never given is
 * read and checked from disk as before.
 */
export class TargetsHandover {
  readonly #given = new Map<string, Given>();
  readonly #waiting = new Map<string, (c: Given | undefined) => void>();
  #closed = false;
  /** The targets plan, waiting for room (pace). */
  #paced: (() => void)[] = [];

  /**
   * For the targets plan, between files: undefined to go on, or a promise to wait for while HELD_AT_MOST
   * files wait to be taken (the self-evaluations' plan reads each file as it comes and falls behind: at
   * 4,000 departments, 3,000 targets files with their texts were held). Never while that plan waits for
   * a file not yet given (then holding more is how it gets there).
   */
  pace(): Promise<void> | undefined {
    if (this.#closed || this.#given.size < HELD_AT_MOST || this.#waiting.size > 0) return undefined;
    return new Promise((resolve) => this.#paced.push(resolve));
  }

  #wake(): void {
    for (const go of this.#paced.splice(0)) go();
  }

  /** A targets file checked on its own (its cross-file checks not yet run: as a self-evaluation sees it). */
  give(abs: string, c: Pick<CheckedFile, 'diagnostics' | 'data'>): void {
    if (this.#closed) return;
    // Only what a self-evaluation reads of it (usable): not its text or parsed document.
    const kept: Given = { diagnostics: c.diagnostics.filter((d) => d.severity === 'error') };
    if (c.data) kept.data = c.data;
    const waiting = this.#waiting.get(abs);
    if (waiting) {
      this.#waiting.delete(abs);
      waiting(kept);
    } else if (existsSync(abs.replace(/\.ya?ml$/i, SELF_EVAL_SUFFIX))) this.#given.set(abs, kept);
  }

  /** The check of the targets file at `abs`, when the targets plan gives it; undefined when it will not. */
  take(abs: string): Promise<Given | undefined> {
    const c = this.#given.get(abs);
    if (c) {
      this.#given.delete(abs);
      this.#wake();
      return Promise.resolve(c);
    }
    if (this.#closed) return Promise.resolve(undefined);
    const taken = new Promise<Given | undefined>((resolve) => this.#waiting.set(abs, resolve));
    this.#wake();
    return taken;
  }

  /** The targets plan is done: whoever still waits reads from disk; nothing more is kept. */
  close(): void {
    this.#closed = true;
    this.#given.clear();
    this.#wake();
    for (const wake of this.#waiting.values()) wake(undefined);
    this.#waiting.clear();
  }
}

/** Targets files held for the self-evaluations at most, before the targets plan waits (pace). */
export const HELD_AT_MOST = 64;

/** What a self-evaluation takes of its checked targets file. */
type Given = Pick<CheckedFile, 'diagnostics' | 'data'>;

/** Reads and checks self-evaluations, each against its targets file. */
export function checkSelfEvalFiles(files: string[], opts: SelfEvalCheckFilesOptions): Promise<CheckedSelfEval[]>;
/** `keep`: what to keep of each, made as soon as it is checked (a build keeps thousands: a small part). */
export function checkSelfEvalFiles<T>(
  files: string[],
  opts: SelfEvalCheckFilesOptions,
  keep: (c: CheckedSelfEval) => T,
): Promise<T[]>;
export async function checkSelfEvalFiles<T>(
  files: string[],
  opts: SelfEvalCheckFilesOptions,
  keep: (c: CheckedSelfEval) => T = (c) => c as T,
): Promise<T[]> {
  const bounds = [opts.root ?? findProjectRoot(opts.cwd), opts.dataDir];
  const shownOf = (abs: string): string => path.relative(opts.cwd, abs) || abs;
  const coverage = glyphCoverage();
  const out: T[] = [];
  // Read ahead, as the targets files are (io/project.ts checkFiles): a build's targets plan waits for
  // this one when it falls behind (TargetsHandover.pace).
  const readOf = readAhead(files, shownOf, bounds);
  for (const [i, abs] of files.entries()) {
    const shown = shownOf(abs);
    const targets = await targetsBeside(abs, opts, bounds, shownOf);
    const { bytes, diagnostic } = await readOf(i);
    const rel = path.relative(opts.dataDir, abs);
    const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
    const base = { settings: opts.settings, targets, ...(inData ? { dataPath: rel } : {}) };
    if (!bytes) {
      const c = checkSelfEvalFile(shown, new Uint8Array(), base);
      out.push(keep({ ...c, diagnostics: [diagnostic] }));
      continue;
    }
    out.push(keep(checkSelfEvalFile(shown, bytes, { ...base, ...(coverage ? { coverage } : {}) })));
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
  const known = opts.checkedTargets?.get(abs) ?? (await opts.handover?.take(abs));
  if (known) return { file, exists: true, ...usable(known) };
  const { bytes, diagnostic } = await readSourceFile(abs, file, bounds);
  if (!bytes) return { file, exists: diagnostic.code !== 'FILE_NOT_FOUND' };
  const rel = path.relative(opts.dataDir, abs);
  const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
  const checked = checkSource(file, bytes, { settings: opts.settings, ...(inData ? { dataPath: rel } : {}) });
  return { file, exists: true, ...usable(checked) };
}

const usable = (c: Given): { data?: DepartmentTargets } =>
  c.data && !hasErrors(c.diagnostics) ? { data: c.data } : {};

/** A checked self-evaluation as the diagnostics report takes it. */
export const asReported = (c: CheckedSelfEval): CheckedFile => ({
  file: c.file,
  source: c.source,
  diagnostics: c.diagnostics,
});
