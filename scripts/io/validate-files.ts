/**
 * `validate`'s run over a project's files, in flat memory (issue 17). Each targets file is read, checked,
 * compared with last year's (TABLE_UNCHANGED) and reduced to its FileReport — with its self-evaluation,
 * when that is checked too, against it — before the next is read: what stays per file is its report
 * (its diagnostics, their lines, its year and code), never the parsed file. The rules across files then
 * run over the reports. With many files the units are shared among worker threads (check-worker.ts),
 * one per core: checking is CPU-bound and the files are independent.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { codeClashes, type CodeEntry, type KnownFile } from '../check/check-project.ts';
import { addClash, type FileReport, fileReport } from '../check/file-report.ts';
import type { Lang } from '../check/messages.ts';
import type { ResolvedSettings } from '../model/settings.ts';
import { checkFiles, flagCopiedTables } from './project.ts';
import { asReported, checkSelfEvalFiles, targetsPathOf } from './self-eval.ts';

export interface ValidateOptions {
  dataDir: string;
  settings: ResolvedSettings;
  cwd: string;
  /** The project root (links out of it are not followed; last year's tables are read under it). */
  root: string;
  lang: Lang;
  /** Files not checked in this run that take part in the rules across files (validate --git). */
  known?: readonly KnownFile[];
  /**
   * Worker threads to check with; default: one per core when there are at least WORKERS_FROM units, else
   * none (starting a worker costs more than checking a few files).
   */
  workers?: number;
}

/** One piece of work: a targets file, its self-evaluation, or both (the self-evaluation checked against it). */
export interface Unit {
  target?: string;
  selfEval?: string;
}

export interface UnitReports {
  target?: FileReport;
  selfEval?: FileReport;
}

/** Below this many units, checking in the main thread is faster than starting workers. */
export const WORKERS_FROM = 64;

/** The options a unit is checked under (what crosses into a worker: plain data). */
export type UnitOptions = Omit<ValidateOptions, 'known' | 'workers'>;

/** Checks one unit and reduces it to its reports (in the main thread or in a worker). */
export async function checkUnit(unit: Unit, opts: UnitOptions): Promise<UnitReports> {
  const out: UnitReports = {};
  const base = { dataDir: opts.dataDir, settings: opts.settings, cwd: opts.cwd, root: opts.root };
  if (unit.target) {
    const [checked] = await checkFiles([unit.target], { ...base, project: false });
    await flagCopiedTables([checked!], opts.dataDir, opts.root, opts.cwd);
    out.target = fileReport(checked!, opts.lang);
    if (unit.selfEval) {
      const checkedTargets = new Map([[unit.target, checked!]]);
      const [evaluation] = await checkSelfEvalFiles([unit.selfEval], { ...base, checkedTargets });
      out.selfEval = fileReport(asReported(evaluation!), opts.lang);
    }
  } else if (unit.selfEval) {
    const [evaluation] = await checkSelfEvalFiles([unit.selfEval], base);
    out.selfEval = fileReport(asReported(evaluation!), opts.lang);
  }
  return out;
}

/**
 * Checks `files` (targets) and `selfEvals`, then the rules across files; returns the reports in the
 * order given, targets first. A self-evaluation whose targets file is among `files` is checked with it.
 */
export async function validateFiles(
  files: readonly string[],
  selfEvals: readonly string[],
  opts: ValidateOptions,
): Promise<{ targets: FileReport[]; selfEvals: FileReport[] }> {
  const { known, workers: asked, ...unitOpts } = opts;
  const targetSet = new Set(files);
  const paired = new Map<string, string>();
  for (const s of selfEvals) {
    const t = targetsPathOf(s);
    if (targetSet.has(t) && !paired.has(t)) paired.set(t, s);
  }
  const pairedSelfEvals = new Set(paired.values());
  const units: Unit[] = [
    ...files.map((target) => ({ target, ...(paired.has(target) ? { selfEval: paired.get(target)! } : {}) })),
    ...selfEvals.filter((s) => !pairedSelfEvals.has(s)).map((selfEval) => ({ selfEval })),
  ];
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const workers = asked ?? (units.length >= WORKERS_FROM && cores > 1 ? cores : 0);
  const results = workers > 0 ? await inWorkers(units, unitOpts, workers) : await inThisThread(units, unitOpts);

  const targets = results.slice(0, files.length).map((r) => r.target!);
  // The rules across files, over the reports (and the files only known).
  const entries: CodeEntry[] = [];
  const owners: FileReport[] = [];
  for (const r of targets)
    if (r.identity) {
      entries.push({ file: r.file, year: r.identity.year, code: r.identity.code, checked: true });
      owners.push(r);
    }
  for (const k of known ?? []) entries.push({ file: k.file, year: k.fiscalYear, code: k.code, checked: false });
  const clashed: { target: string; clash: KnownFile }[] = [];
  for (const c of codeClashes(entries)) {
    addClash(owners[c.index]!, c, opts.lang);
    const abs = files[targets.indexOf(owners[c.index]!)]!;
    clashed.push({ target: abs, clash: { file: c.other, fiscalYear: c.year, code: c.code } });
  }
  const bySelfEval = new Map<string, FileReport>();
  results.forEach((r, i) => {
    const s = units[i]!.selfEval;
    if (s && r.selfEval) bySelfEval.set(s, r.selfEval);
  });
  // A self-evaluation checked with its targets before they were found to clash: checked again against
  // the targets with that error, as a run checking every file first would have (rare: read twice).
  for (const { target, clash } of clashed) {
    const s = paired.get(target);
    if (!s) continue;
    const base = { dataDir: opts.dataDir, settings: opts.settings, cwd: opts.cwd, root: opts.root };
    const [checked] = await checkFiles([target], { ...base, known: [clash] });
    const [evaluation] = await checkSelfEvalFiles([s], { ...base, checkedTargets: new Map([[target, checked!]]) });
    bySelfEval.set(s, fileReport(asReported(evaluation!), opts.lang));
  }
  return { targets, selfEvals: selfEvals.map((s) => bySelfEval.get(s)!) };
}

async function inThisThread(units: readonly Unit[], opts: UnitOptions): Promise<UnitReports[]> {
  const out: UnitReports[] = [];
  for (const u of units) out.push(await checkUnit(u, opts));
  return out;
}

/** What a worker sends back for a unit. */
export type WorkerReply = { id: number; reports: UnitReports } | { id: number; error: string };

/** Checks the units in `count` worker threads, each taking the next unit when it is done with one. */
async function inWorkers(units: readonly Unit[], opts: UnitOptions, count: number): Promise<UnitReports[]> {
  const out = new Array<UnitReports>(units.length);
  let next = 0;
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = startWorker(opts);
      let inFlight = 0;
      const give = (): void => {
        if (next < units.length) {
          const id = next++;
          inFlight++;
          worker.postMessage({ id, unit: units[id] });
        } else if (inFlight === 0) void worker.terminate().then(() => resolve());
      };
      worker.on('message', (m: WorkerReply) => {
        if ('error' in m) {
          next = units.length;
          void worker.terminate();
          reject(new Error(m.error));
          return;
        }
        out[m.id] = m.reports;
        inFlight--;
        give();
      });
      worker.on('error', reject);
      // Two units in flight per worker: it never waits for the next one to arrive.
      give();
      give();
    });
  await Promise.all(Array.from({ length: Math.min(count, units.length) }, run));
  return out;
}

/**
 * A worker running check-worker: the compiled copy beside this chunk (scripts/dist/), or the TypeScript
 * through tsx when jxmb runs from source (a worker does not inherit the tsx loader: it registers it first).
 */
function startWorker(opts: UnitOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./check-worker.js', here), { workerData: opts });
  const tsx = path.join(path.dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');
  const source = new URL('./check-worker.ts', here).href;
  const boot =
    `import(${JSON.stringify(pathToFileURL(tsx).href)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: opts });
}
