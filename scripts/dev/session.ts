/**
 * The rebuild session behind `jxmb dev`: one rebuild at a time (saves during a rebuild queue exactly one
 * more), each a full build of the data folder with the build itself (planBuild → runBuild: the targets
 * forms, then the self-evaluations' 自评表, as `jxmb build` does) on the one browser the session owns,
 * keeps warm across rebuilds and closes in close(). It counts the rebuilds that changed something (the
 * generation open pages compare with theirs) and keeps the overlay's problems.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../check/messages.ts';
import type { OutputFormat } from '../render/outputs.ts';
import { BuildBrowser } from '../build/build-browser.ts';
import type { OutputRecord } from '../build/cache.ts';
import { writeDiffPages } from '../build/diff-pages.ts';
import { outputRelPath } from '../build/entries.ts';
import type { KindModel } from '../build/form-kind.ts';
import { type BuildDocument, type BuildOptions, type BuildPlan, type PlanReuse, planBuild } from '../build/plan.ts';
import type { DocumentResult } from '../build/render-document.ts';
import { runBuild, type RunOptions, writeBuildIndex } from '../build/run.ts';
import { targetsPathOf } from '../io/self-eval.ts';
import { commitStaged, stageFile } from '../io/files.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';
import { selfEvalForm } from '../forms/self-eval.ts';
import { targetsForm } from '../forms/targets.ts';
import type { SelfEvalModel } from '../render/self-eval-form.ts';
import { OutputTargets } from './moved-outputs.ts';
import type { DevProblem } from './page.ts';
import { errorCount, overlayProblems, problemsKey } from './problems.ts';
import { ChangedDiagnostics, rebuildLine } from './terminal.ts';
import { epochNow, type WatchChange } from './watch.ts';

/** What a session builds, and where it reports. */
export interface DevSessionOptions {
  cwd: string;
  /** Project root (settings, relative source paths). */
  root: string;
  dataDir: string;
  outDir: string;
  formats: readonly OutputFormat[];
  /** Documents rendered at once. */
  jobs: number;
  lang: Lang;
  color: boolean;
  /** Terminal output (diagnostics, rebuild lines). */
  log: (s: string) => void;
}

/** What one rebuild did. */
export interface RebuildSummary {
  generation: number;
  /** `<year>/<code>` rendered this time. */
  rendered: string[];
  /** Output files removed (their source was deleted). */
  removed: string[];
  /** URL paths of outputs that changed (`/2025/x.html`). */
  changed: string[];
  errors: number;
  ms: number;
}

/**
 * When the steps of the last rebuild were done (epoch ms with a fraction, comparable with another
 * process's clock): `changed` (the first file event of the burst, when a watcher saw one), `started`,
 * `planned`, `html` (the edited departments' HTML written and pages told), `pdf`, `index`, `done`.
 * `jxmb bench` reports the edit loop's breakdown from these (read from the status URL).
 */
export type RebuildTimes = Partial<
  Record<'changed' | 'started' | 'planned' | 'html' | 'pdf' | 'index' | 'done', number>
>;

/** Sent to open pages after a rebuild that changed outputs or problems: each decides whether to reload. */
export interface ReloadEvent {
  generation: number;
  /** URL paths of outputs that changed. */
  changed: string[];
  problemsChanged: boolean;
  errors: number;
}

/** A stamp of out/index.html: whether a rebuild rewrote it (open index pages then reload). */
async function fileStamp(file: string): Promise<string> {
  const st = await fs.stat(file).catch(() => undefined);
  return st ? `${st.mtimeMs}:${st.ino}:${st.size}` : '';
}

/** A kind's plan for this rebuild, and the outputs its pruning removed. */
interface Planned {
  plan: BuildPlan<KindModel>;
  opts: BuildOptions<KindModel>;
  removed: string[];
}

/** What one rebuild has done so far: told to the open pages in steps, said in the terminal at the end. */
interface Tally {
  rendered: Set<string>;
  removed: string[];
  failures: DevProblem[];
  problemsChanged: boolean;
}

/** Owns the rebuild state and the browser; see the module comment. */
export class DevSession {
  readonly #opts: DevSessionOptions;
  readonly #onReload: (e: ReloadEvent) => void;
  /** Every rebuild plans the whole data folder, never stopping at a failure. */
  readonly #buildOptions: BuildOptions;
  /** The same over the self-evaluations (`<code>.self-eval.yaml`): their 自评表 previews. */
  readonly #selfEvalOptions: BuildOptions<SelfEvalModel>;
  /** The session's browser: lent to every rebuild, closed by close() alone. */
  readonly #browser: BuildBrowser;
  readonly #targets: OutputTargets;
  readonly #selfEvalTargets: OutputTargets;
  readonly #terminal: ChangedDiagnostics;
  #generation = 0;
  #problems: DevProblem[] = [];
  #problemsKey = '[]';
  #closed = false;
  /** The rebuild loop in flight, if any. */
  #running: Promise<void> | undefined;
  /** A change arrived during the running rebuild: one more follows it. */
  #queued = false;
  /** The steps of the last finished rebuild, and of the one running. */
  #lastTimes: RebuildTimes | undefined;
  #times: RebuildTimes = {};
  /**
   * What changed since the running rebuild read the files: the first event's time, and the paths
   * (undefined: anything may have changed, and the next rebuild reads everything).
   */
  #change: { since: number; paths: Set<string> | undefined } | undefined;
  /** The last plans of the two kinds (with their memory): the next rebuild re-checks what changed. */
  #last: [BuildPlan<KindModel>, BuildPlan<KindModel>] | undefined;

  /** `onReload` hears every rebuild that changed outputs or problems. */
  constructor(opts: DevSessionOptions, onReload: (e: ReloadEvent) => void) {
    this.#opts = opts;
    this.#onReload = onReload;
    this.#buildOptions = {
      kind: targetsForm,
      cwd: opts.cwd,
      root: opts.root,
      dataDir: opts.dataDir,
      outDir: opts.outDir,
      formats: opts.formats,
      paths: [],
      jobs: opts.jobs,
      failFast: false,
    };
    this.#selfEvalOptions = { ...this.#buildOptions, kind: selfEvalForm };
    this.#browser = new BuildBrowser({
      onRelaunch: (reason) => opts.log(`jxmb dev: 浏览器意外退出，已重新启动 the browser died (${reason}); relaunched`),
    });
    this.#targets = new OutputTargets(opts);
    this.#selfEvalTargets = new OutputTargets(opts);
    this.#terminal = new ChangedDiagnostics(opts);
  }

  /** Rebuilds that changed something so far. */
  get generation(): number {
    return this.#generation;
  }

  /** The overlay's problems after the last rebuild. */
  get problems(): DevProblem[] {
    return this.#problems;
  }

  /** Whether a rebuild is running (a queued one starts before the running one is done). */
  get building(): boolean {
    return this.#running !== undefined;
  }

  /** Browser launches so far (0 while nothing needed rendering). */
  get browserLaunches(): number {
    return this.#browser.launches;
  }

  /** When the steps of the last finished rebuild were done (see RebuildTimes). */
  get lastRebuild(): RebuildTimes | undefined {
    return this.#lastTimes;
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Rebuilds now (`change`: what the watcher saw; without it, anything may have changed, and every
   * source is read again); resolves when this rebuild and any queued one are done. After close(): nothing.
   */
  rebuild(change?: WatchChange): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const since = change?.since ?? epochNow();
    const before = this.#change;
    // Named paths add up; one burst that could not name what it changed makes the whole queue unnamed.
    const paths = (!before || before.paths) && change?.paths ? new Set(before?.paths) : undefined;
    for (const p of change?.paths ?? []) paths?.add(p);
    this.#change = { since: Math.min(since, before?.since ?? since), paths };
    if (this.#running) {
      this.#queued = true;
      return this.#running;
    }
    this.#running = this.#loop();
    return this.#running;
  }

  /** Resolves when no rebuild is running or queued. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Stops rebuilding: none starts from now on, the one in flight finishes its current documents (their
   * pages are the browser's), then the browser closes. Idempotent.
   */
  async close(): Promise<void> {
    this.#closed = true;
    try {
      await this.#running?.catch(() => undefined);
    } finally {
      await this.#browser.close();
    }
  }

  async #loop(): Promise<void> {
    try {
      do {
        this.#queued = false;
        const change = this.#change;
        this.#change = undefined;
        this.#times = { ...(change ? { changed: change.since } : {}), started: epochNow() };
        const tally: Tally = { rendered: new Set(), removed: [], failures: [], problemsChanged: false };
        try {
          const files = change?.paths && this.#last ? await this.#dataFiles(change.paths) : undefined;
          await (files ? this.#rebuildChanged(files, tally) : this.#rebuildAll(tally));
          this.#times.done = epochNow();
          this.#lastTimes = this.#times;
          const ms = Math.round(this.#times.done - this.#times.started!);
          const errors = errorCount(this.#problems);
          const line = rebuildLine({ ...tally, rendered: [...tally.rendered], errors, ms });
          if (line) this.#opts.log(line);
        } catch (e) {
          // What this rebuild did not finish, the next one reads afresh.
          this.#last = undefined;
          if (this.#closed) return;
          // An environment problem (no browser, disk full): say it, keep serving, try again on the next change.
          this.#opts.log(`jxmb dev: 重新生成失败 rebuild failed: ${(e as Error).message}`);
        }
      } while (this.#queued && !this.#closed);
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * The data files among the paths a burst of events named, or undefined when the burst may have
   * changed more than data files (the settings, a template, a folder): then everything is read again.
   * A name that is no data file (an editor's temporary file, renamed away since) is left out.
   */
  async #dataFiles(paths: ReadonlySet<string>): Promise<Set<string> | undefined> {
    const { dataDir } = this.#opts;
    const files = new Set<string>();
    for (const p of paths) {
      const rel = path.relative(dataDir, p);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const st = await fs.stat(p).catch(() => undefined);
      if (st?.isDirectory()) return undefined;
      // A deleted source is among them too: the plan, seeing the list of sources change, reads everything.
      if (/\.ya?ml$/i.test(p)) files.add(p);
    }
    return files;
  }

  /** Everything read, checked and planned afresh (the first rebuild; settings, templates, folders). */
  async #rebuildAll(tally: Tally): Promise<void> {
    const indexFile = path.join(this.#opts.outDir, 'index.html');
    const indexBefore = await fileStamp(indexFile);
    // The targets forms, then the self-evaluations (scored against the targets just checked): each a plan
    // and a run of its own kind, as `jxmb build` does; the second run's index holds both.
    const planned: Planned[] = [];
    const urls = new Set<string>();
    for (const [opts, targets] of [
      [this.#buildOptions, this.#targets],
      [this.#selfEvalOptions, this.#selfEvalTargets],
    ] as [BuildOptions<KindModel>, OutputTargets][]) {
      const k = await this.#plan(opts, targets);
      planned.push(k);
      this.#times.planned ??= epochNow();
      // Unlike `jxmb build`, a source that fails keeps its last good outputs: the overlay says why they
      // are not current.
      const built = await runBuild(k.plan, opts, {}, this.#runOptions());
      for (const u of this.#tallied(tally, built.results, [...k.removed, ...built.removed])) urls.add(u);
      this.#remember(k.plan, built.results);
    }
    this.#times.html = this.#times.pdf = this.#times.index = epochNow();
    this.#last = [planned[0]!.plan, planned[1]!.plan];
    if ((await fileStamp(indexFile)) !== indexBefore) urls.add('/index.html');
    this.#tell(tally, urls);
  }

  /** A kind's plan (reusing `reuse`'s memory for what did not change), reported, its gone sources pruned. */
  async #plan(opts: BuildOptions<KindModel>, targets: OutputTargets, reuse?: PlanReuse<KindModel>): Promise<Planned> {
    // With formats, the plan compares each output's content key with the one recorded beside it (the
    // build's incremental cache): `todo` is what is stale. A first rebuild over an up-to-date out/ renders
    // nothing and starts no browser.
    const plan = await planBuild(opts, reuse ? { reuse } : { remember: true });
    this.#terminal.report(plan);
    // Sources that are gone: their outputs go too (a source that merely fails keeps its last good ones).
    const removed = await targets.prune(plan);
    return { plan, opts, removed };
  }

  #runOptions(): RunOptions {
    return { browser: this.#browser, keepFailed: true, stop: () => this.#closed, emptyIndex: false };
  }

  /**
   * A save of data files: only they are read and checked again (the other sources, for the rules
   * across files too, come from the last plans' memory). The changed departments' HTML is written first
   * and the open pages told; then their PDF and Excel; then the index. A kind whose sources the change
   * did not touch is not planned at all.
   */
  async #rebuildChanged(changed: Set<string>, tally: Tally): Promise<void> {
    const [lastTargets, lastSelfEvals] = this.#last!;
    const reuse = (last: BuildPlan<KindModel>, files: Set<string>): PlanReuse<KindModel> | undefined =>
      last.memory ? { memory: last.memory, changed: files } : undefined;
    // A self-evaluation is scored against the targets file beside it: a change there changes it too.
    const seFiles = new Set([...changed].filter(isSelfEvalPath));
    for (const se of lastSelfEvals.memory?.files ?? []) if (changed.has(targetsPathOf(se))) seFiles.add(se);
    const planned = [
      await this.#plan(this.#buildOptions, this.#targets, reuse(lastTargets, changed)),
      ...(seFiles.size
        ? [await this.#plan(this.#selfEvalOptions, this.#selfEvalTargets, reuse(lastSelfEvals, seFiles))]
        : []),
    ];
    this.#last = [planned[0]!.plan, planned[1]?.plan ?? lastSelfEvals];
    this.#times.planned = epochNow();
    const indexFile = path.join(this.#opts.outDir, 'index.html');
    const indexBefore = await fileStamp(indexFile);
    // Per kind, only what the change touched (a plan that could not use its memory: all of it). Each
    // document's HTML is written and told as soon as it is laid out, before its PDF is printed; its
    // outputs are then written together as always (a record never describes bytes that are not there:
    // the HTML written early differs from its old record until then, so a killed rebuild renders it again).
    const urls = new Set<string>();
    for (const k of planned) for (const u of this.#tallied(tally, [], k.removed)) urls.add(u);
    const onHtml = async (doc: BuildDocument<KindModel>, html: string): Promise<void> => {
      commitStaged([await stageFile(doc.outputs.html, html)]);
      this.#times.html ??= epochNow();
      this.#tell(tally, new Set([...urls, this.#urlOf(doc.outputs.html)]));
      urls.clear();
    };
    const subs: BuildPlan<KindModel>[] = [];
    for (const k of planned) {
      const sub = this.#touched(k.plan);
      subs.push(sub);
      const built = await runBuild(sub, k.opts, {}, { ...this.#runOptions(), finish: false, onHtml });
      for (const u of this.#tallied(tally, built.results, built.removed)) urls.add(u);
      this.#remember(k.plan, built.results);
    }
    this.#times.pdf = epochNow();
    this.#times.html ??= this.#times.pdf;
    this.#tell(tally, urls);
    urls.clear();

    // Then the diff pages beside them, and the index and manifest over both kinds.
    for (const [i, k] of planned.entries()) {
      const diffs = await writeDiffPages(k.plan.kind, diffDocuments(k.plan, subs[i]!), {
        root: this.#opts.root,
        dataDir: this.#opts.dataDir,
        outDir: this.#opts.outDir,
        settings: k.plan.settings.settings,
        settingsText: k.plan.settings.text,
      });
      for (const u of this.#tallied(tally, [], diffs.removed)) urls.add(u);
      for (const f of diffs.written) urls.add(this.#urlOf(f));
    }
    // The memory knows every output's record: the manifest reads none of them again.
    const known = new Map<string, OutputRecord>();
    for (const plan of this.#last) {
      for (const d of plan.documents) {
        const st = plan.memory?.outputs.get(path.resolve(this.#opts.root, d.source));
        for (const [format, r] of Object.entries(st?.records ?? {}))
          known.set(outputRelPath(d.model.fiscalYear, d.model.code, format as OutputFormat), r);
      }
    }
    await writeBuildIndex(planned[0]!.plan, this.#opts, { emptyIndex: false, known });
    this.#times.index = epochNow();
    if ((await fileStamp(indexFile)) !== indexBefore) urls.add('/index.html');
    this.#tell(tally, urls);
  }

  /** The part of a plan a change touched: all of it when it could not use its memory. */
  #touched(plan: BuildPlan<KindModel>): BuildPlan<KindModel> {
    const affected = plan.affected;
    if (!affected) return plan;
    const documents = plan.documents.filter((d) => affected.has(path.resolve(this.#opts.root, d.source)));
    return { ...plan, documents, complete: false };
  }

  /**
   * Records what the results rendered (or failed) in the tally; returns the URL paths of the files they
   * wrote and of `removed`.
   */
  #tallied(tally: Tally, results: readonly DocumentResult<KindModel>[], removed: readonly string[]): string[] {
    const urlOf = (abs: string): string => this.#urlOf(abs);
    const urls: string[] = [];
    for (const r of results) {
      if (r.error) {
        const message = r.error.message.split('\n')[0]!;
        tally.failures.push({ renderFailure: { source: r.doc.source, message } });
        this.#opts.log(`${r.doc.source}: 生成失败 rendering failed: ${message}`);
        continue;
      }
      tally.rendered.add(`${r.doc.model.fiscalYear}/${r.doc.model.code}`);
      urls.push(...r.written.map(urlOf));
    }
    tally.removed.push(...removed.filter((f) => !tally.removed.includes(f)));
    urls.push(...removed.map(urlOf));
    return urls;
  }

  /** The URL path of a file under out/ (`/2025/x.html`). */
  #urlOf(abs: string): string {
    return '/' + path.relative(this.#opts.outDir, abs).split(path.sep).join('/');
  }

  /** Tells open pages what changed, with the problems as they are now (the last plans' and the tally's). */
  #tell(tally: Tally, urls: ReadonlySet<string>): void {
    const problems = overlayProblems(this.#last!, tally.failures, this.#opts.lang);
    const key = problemsKey(problems);
    const problemsChanged = key !== this.#problemsKey;
    this.#problems = problems;
    this.#problemsKey = key;
    if (problemsChanged) tally.problemsChanged = true;
    const changed = [...urls].sort();
    if (!changed.length && !problemsChanged) return;
    this.#generation++;
    this.#onReload({ generation: this.#generation, changed, problemsChanged, errors: errorCount(problems) });
  }

  /**
   * Fills the plan's memory with the documents whose outputs are all up to date now: planned so, or
   * rendered without error by this rebuild (`results`).
   */
  #remember(plan: BuildPlan<KindModel>, results: readonly DocumentResult<KindModel>[]): void {
    const memory = plan.memory;
    if (!memory) return;
    const final = new Map(results.map((r) => [r.doc, r]));
    for (const d of plan.documents) {
      const abs = path.resolve(this.#opts.root, d.source);
      const r = final.get(d);
      const records = r ? (r.error ? undefined : r.records) : d.todo?.length === 0 ? d.records : undefined;
      const keys = d.keys;
      if (!records || !keys) continue;
      if (!Object.entries(keys).every(([f, key]) => records[f as OutputFormat]?.key === key)) continue;
      const pages = r?.pages?.length ?? d.pages;
      memory.outputs.set(abs, { keys, records, ...(pages !== undefined ? { pages } : {}) });
    }
  }
}

/**
 * The documents whose diff page a change may have changed: the changed ones, and any of the same
 * department code in a later year (compared with the one that changed).
 */
function diffDocuments(plan: BuildPlan<KindModel>, sub: BuildPlan<KindModel>): BuildDocument<KindModel>[] {
  if (sub === plan) return plan.documents;
  const docs = new Set(sub.documents);
  for (const d of plan.documents)
    if (sub.documents.some((s) => s.model.code === d.model.code && s.model.fiscalYear < d.model.fiscalYear))
      docs.add(d);
  return [...docs];
}
