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
import type { KindModel } from '../build/form-kind.ts';
import { type BuildOptions, type BuildPlan, planBuild } from '../build/plan.ts';
import { runBuild } from '../build/run.ts';
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

/** Owns the rebuild state and the browser; see the module comment. */
export class DevSession {
  readonly #opts: DevSessionOptions;
  readonly #onReload: (e: ReloadEvent) => void;
  /** Every rebuild is a full build of the data folder, never stopping at a failure. */
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
  /** The steps of the last finished rebuild, and of the one running. */
  #lastTimes: RebuildTimes | undefined;
  #times: RebuildTimes = {};
  /** What changed since the running rebuild read the files: the first event's time. */
  #change: { since: number } | undefined;
  /** The rebuild loop in flight, if any. */
  #running: Promise<void> | undefined;
  /** A change arrived during the running rebuild: one more follows it. */
  #queued = false;

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
   * Rebuilds now (`change`: what the watcher saw; without it, anything may have changed); resolves when
   * this rebuild and any queued one are done. After close(): nothing.
   */
  rebuild(change?: WatchChange): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const since = change?.since ?? epochNow();
    this.#change = { since: Math.min(since, this.#change?.since ?? since) };
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
        this.#times = { ...(this.#change ? { changed: this.#change.since } : {}), started: epochNow() };
        this.#change = undefined;
        try {
          await this.#rebuildOnce();
          this.#times.done = epochNow();
          this.#lastTimes = this.#times;
        } catch (e) {
          if (this.#closed) return;
          // An environment problem (no browser, disk full): say it, keep serving, try again on the next change.
          this.#opts.log(`jxmb dev: 重新生成失败 rebuild failed: ${(e as Error).message}`);
        }
      } while (this.#queued && !this.#closed);
    } finally {
      this.#running = undefined;
    }
  }

  async #rebuildOnce(): Promise<RebuildSummary> {
    const { outDir, log, lang } = this.#opts;
    const started = Date.now();
    // The index is compared before and after, to tell open pages whether it changed.
    const indexFile = path.join(outDir, 'index.html');
    const indexBefore = await fileStamp(indexFile);
    // The targets forms, then the self-evaluations (scored against the targets just checked): each a plan
    // and a run of its own kind, as `jxmb build` does; the second run's index holds both.
    const targets = await this.#rebuildKind(this.#buildOptions, this.#targets);
    this.#times.index = epochNow();
    const selfEvals = await this.#rebuildKind(this.#selfEvalOptions, this.#selfEvalTargets);
    const kinds = [targets, selfEvals];

    const urlOf = (abs: string): string => '/' + path.relative(outDir, abs).split(path.sep).join('/');
    const rendered: string[] = [];
    const removed: string[] = [];
    const changedUrls = new Set<string>();
    const renderFailures: DevProblem[] = [];
    for (const k of kinds) {
      removed.push(...k.removed);
      for (const r of k.results) {
        if (r.error) {
          const message = r.error.message.split('\n')[0]!;
          renderFailures.push({ renderFailure: { source: r.source, message } });
          log(`${r.source}: 生成失败 rendering failed: ${message}`);
          continue;
        }
        rendered.push(r.doc);
        for (const f of r.written) changedUrls.add(urlOf(f));
      }
    }
    if ((await fileStamp(indexFile)) !== indexBefore) changedUrls.add('/index.html');
    for (const f of removed) changedUrls.add(urlOf(f));
    const changed = [...changedUrls].sort();

    const problems = overlayProblems(
      kinds.map((k) => k.plan),
      renderFailures,
      lang,
    );
    const key = problemsKey(problems);
    const problemsChanged = key !== this.#problemsKey;
    this.#problems = problems;
    this.#problemsKey = key;
    const errors = errorCount(problems);

    if (changed.length || problemsChanged) {
      this.#generation++;
      this.#onReload({ generation: this.#generation, changed, problemsChanged, errors });
    }
    this.#times.html = this.#times.pdf = epochNow();
    const ms = Date.now() - started;
    const line = rebuildLine({ rendered, removed, errors, problemsChanged, ms });
    if (line) log(line);
    return { generation: this.#generation, rendered, removed, changed, errors, ms };
  }

  /** One kind's plan and run over the session's browser: what it rendered, failed and removed. */
  async #rebuildKind<M extends KindModel>(
    opts: BuildOptions<M>,
    targets: OutputTargets,
  ): Promise<{
    plan: BuildPlan<KindModel>;
    results: { doc: string; source: string; error?: Error; written: readonly string[] }[];
    removed: string[];
  }> {
    // With formats, the plan compares each output's content key with the one recorded beside it (the
    // build's incremental cache): `todo` is what is stale. A first rebuild over an up-to-date out/ renders
    // nothing and starts no browser.
    const plan = await planBuild(opts);
    this.#times.planned ??= epochNow();
    this.#terminal.report(plan);
    // Sources that are gone: their outputs go too (a source that merely fails keeps its last good ones).
    const removed = await targets.prune(plan);
    // Unlike `jxmb build`, a source that fails keeps its last good outputs: the overlay says why they
    // are not current.
    const built = await runBuild(
      plan,
      opts,
      {},
      { browser: this.#browser, keepFailed: true, stop: () => this.#closed, emptyIndex: false },
    );
    removed.push(...built.removed);
    const results = built.results.map((r) => ({
      doc: `${r.doc.model.fiscalYear}/${r.doc.model.code}`,
      source: r.doc.source,
      written: r.written,
      ...(r.error ? { error: r.error } : {}),
    }));
    return { plan, results, removed };
  }
}
