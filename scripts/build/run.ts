/**
 * Step 3 of a build: the run. Remove stale outputs, render the documents concurrently on one shared
 * browser (lent by its owner, build-browser.ts), write out/index.html and out/manifest.json, and say
 * what happened. `build` is the whole of it for the command line: plan and run, with a cold build's
 * head start, under one browser owner.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MEASURE_BATCH } from '../browser/form-page.ts';
import { checkWritable, environmentProblem, writeFileIfChanged } from '../io/files.ts';
import { writeFontAssets } from '../io/fonts.ts';
import { SETTINGS_FILE } from '../io/project.ts';
import { TEMPLATES_DIR } from '../io/templates.ts';
import { settingsForYear } from '../model/settings.ts';
import { BuildBrowser, closeWhileFinishing } from './build-browser.ts';
import { writeDiffPages } from './diff-pages.ts';
import { markSidecarFailed, readEntrySidecars, writeEntrySidecar, writeIndexAndManifest } from './entries.ts';
import { type BuildDocument, type BuildOptions, type BuildPlan, planBuild } from './plan.ts';
import { pinModel, releaseModel } from './park.ts';
import { Collector } from '../io/collect.ts';
import type { KindModel } from './form-kind.ts';
import type { FormModel } from '../model/form-model.ts';
import { createRenderContext, type RenderContext } from './render-context.ts';
import type { OutputRecord } from './cache.ts';
import {
  type DocumentResult,
  failedEntry,
  indexEntry,
  removeOutputs,
  renderDocument,
  verifiedRecords,
} from './render-document.ts';

const firstLine = (s: string): string => s.split('\n')[0]!.slice(0, 500);

export interface BuildHooks<M extends KindModel = FormModel> {
  /** A document finished (rendered or failed). */
  onDocument?: (result: DocumentResult<M>, done: number, total: number, ctx: RenderContext) => void | Promise<void>;
  /** A document is starting. */
  onStart?: (doc: BuildDocument<M>) => void;
  /** Chromium died and is being relaunched. */
  onRelaunch?: (reason: string) => void;
}

export interface BuildResult<M extends KindModel = FormModel> {
  plan: BuildPlan<M>;
  results: DocumentResult<M>[];
  /** Documents not started because of --fail-fast. */
  skipped: BuildDocument<M>[];
  /** Documents whose outputs were all up to date (nothing rendered). */
  upToDate: BuildDocument<M>[];
  /** Stale outputs removed (absolute). */
  removed: string[];
  /** out/index.html and out/manifest.json. */
  index: { indexFile: string; manifestFile: string };
  /** Browser launches (1 normally; more if Chromium crashed and was relaunched). */
  launches: number;
  /**
   * How the forms' pagination heights were had: predicted, measured in the browser, predicted but missed
   * (then measured).
   */
  heights: { predicted: number; measured: number; missed: number; calibrations: number };
  /** Forms printed while the sources were still being checked (a cold build's head start). */
  printedAhead: number;
  /**
   * The disk or its permissions failed a document's write (full, read-only…): the documents after it
   * were not started (`skipped`), since they would fail the same way.
   */
  environment?: Error;
}

/**
 * Runs `fn` over `items` with at most `limit` at once, in order of start; stops starting when `stop()`.
 * `prepare` (optional) runs first for a chunk of the items a worker is about to do (the build measures
 * their forms in one go). Chunks are guided: a worker takes about 1/(2·limit) of what is left, at most
 * `chunk`, so at the end no worker is left holding a long chunk while the others idle.
 */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  stop: () => boolean,
  prepare?: { chunk: number; run: (items: T[]) => Promise<void> },
  /** Called once every item has been taken by a worker (the last ones may still be running). */
  onAllTaken?: () => void,
): Promise<T[]> {
  const skipped: T[] = [];
  let next = 0;
  const workers = Math.max(1, Math.min(limit, items.length));
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const size = prepare
        ? Math.max(1, Math.min(prepare.chunk, Math.floor((items.length - next) / (2 * workers))))
        : 1;
      const chunk = items.slice(next, next + size);
      next += chunk.length;
      if (next >= items.length) onAllTaken?.();
      if (prepare && !stop()) await prepare.run(chunk);
      for (const item of chunk) {
        if (stop()) skipped.push(item);
        else await fn(item);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  onAllTaken?.();
  return skipped;
}

/** How a run differs for its caller (the dev session); the defaults are `jxmb build`'s. */
export interface RunOptions {
  /**
   * The browser, when the caller owns it (a dev session keeps one warm across rebuilds): the run uses
   * its pool and leaves it open. Without it, the run owns a browser of its own and closes it.
   */
  browser?: BuildBrowser;
  /** Sources that fail their checks keep their last good outputs (dev shows them under an overlay). */
  keepFailed?: boolean;
  /** Stop starting documents once this says so (dev: the server is closing). */
  stop?: () => boolean;
  /** Write out/index.html even when nothing was ever built (default true; dev serves a placeholder). */
  emptyIndex?: boolean;
  /**
   * Write the index and manifest, and the diff pages, at the end (default true). A dev rebuild renders
   * the edited departments' HTML in a run without them, tells the open pages, then runs the rest.
   */
  finish?: boolean;
  /**
   * Records of outputs outside the plan known to match their bytes (a dev rebuild's plan holds only
   * what changed; the session knows the rest): the manifest takes their hashes instead of reading them.
   */
  known?: ReadonlyMap<string, OutputRecord>;
  /** Hears each document's HTML before its PDF is printed (see RenderContext.onHtml). */
  onHtml?: RenderContext['onHtml'];
  /** Every document has been started (the last may still be printing), or there are none: once. */
  onAllStarted?: () => void;
}

/** What the render phase leaves for the index phase. */
export interface Rendered<M extends KindModel = FormModel> {
  results: DocumentResult<M>[];
  skipped: BuildDocument<M>[];
  upToDate: BuildDocument<M>[];
  removed: string[];
  launches: number;
  heights: BuildResult<M>['heights'];
  printedAhead: number;
  environment?: Error;
}

/**
 * Step 3: the whole build for a plan. The caller prints diagnostics. The browser is `run.browser`'s
 * (lent: left open), or the run's own, closed while the index is written.
 */
export async function runBuild<M extends KindModel>(
  plan: BuildPlan<M>,
  opts: BuildOptions<M>,
  hooks: BuildHooks<M> = {},
  run: RunOptions = {},
): Promise<BuildResult<M>> {
  if (run.browser) return writeIndex(plan, opts, run, await renderPlan(plan, opts, hooks, run, run.browser));
  const browser = new BuildBrowser({
    ...(hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {}),
    maxPages: opts.jobs,
  });
  return closeWhileFinishing(
    browser,
    () => renderPlan(plan, opts, hooks, run, browser),
    (r) => writeIndex(plan, opts, run, r),
  );
}

/**
 * Work of another form kind run alongside the build's own (the 自评表 beside the targets forms): started
 * with the build's plan (it may plan meanwhile), told by `planned` whether the build's plan was made and
 * the build goes on (false: do nothing more), then rendered on the same browser and pages while the
 * build's documents are. It renders only (renderPlan); `known` is what its documents' outputs were
 * verified or written as, for the one index and manifest written when both are done.
 */
export type Alongside<A> = (
  browser: BuildBrowser,
  planned: Promise<boolean>,
  /** Every document of the build's own has been started: the pages are free to take another kind. */
  started: Promise<void>,
) => Promise<{ value: A; known: Map<string, OutputRecord> } | undefined>;

/**
 * Plan and run, for the command line. A cold build (`early`) starts Chromium before it plans, measuring
 * and printing the first forms while later sources are still being checked (HeadStart). `onPlan` sees
 * the plan first; false: stop there (nothing to build). `alongside` then starts on the same browser
 * (one launch, no idle pages between the kinds) and the index is written once, after both. The
 * browser's one owner is this function.
 */
export async function build<A = never>(
  opts: BuildOptions,
  hooks: BuildHooks & {
    early?: boolean;
    onPlan?: (plan: BuildPlan) => boolean | void;
    /** Each source as it is checked on its own (planBuild's onChecked). */
    onChecked?: (abs: string, c: BuildPlan['checked'][number]) => void;
    /** Awaited between sources when it returns a promise (planBuild's pace). */
    pace?: () => Promise<void> | undefined;
    alongside?: Alongside<A>;
  } = {},
): Promise<{ plan: BuildPlan; result?: BuildResult; alongside?: A }> {
  const browser = new BuildBrowser({
    ...(hooks.onRelaunch ? { onRelaunch: hooks.onRelaunch } : {}),
    maxPages: opts.jobs,
  });
  let plan: BuildPlan | undefined;
  let other: { value: A; known: Map<string, OutputRecord> } | undefined;
  const result = await closeWhileFinishing(
    browser,
    async () => {
      const early = hooks.early ? await browser.startEarly(opts.jobs, opts.formats) : undefined;
      let go!: (ok: boolean) => void;
      const planned = new Promise<boolean>((resolve) => (go = resolve));
      // The other kind prints once the build's own documents have all been started: a page switching
      // between kinds loads the other kind's shell (its stylesheet) each time, ~100 ms.
      let allStarted!: () => void;
      const started = new Promise<void>((resolve) => (allStarted = resolve));
      const alongside = hooks.alongside?.(browser, planned, started);
      // Settled below in every case (a plan that throws still waits for it: it may be writing).
      alongside?.catch(() => undefined);
      try {
        plan = await planBuild(opts, {
          ...(early ? { onModel: (m) => early.headStart.add(m) } : {}),
          park: { pin: (m) => early?.headStart.has(m) ?? false },
          ...(hooks.onChecked ? { onChecked: hooks.onChecked } : {}),
          ...(hooks.pace ? { pace: hooks.pace } : {}),
        });
      } catch (e) {
        go(false);
        allStarted();
        await alongside?.catch(() => undefined);
        throw e;
      }
      const goOn = hooks.onPlan?.(plan) !== false;
      go(goOn);
      if (!goOn) {
        allStarted();
        await alongside?.catch(() => undefined);
        return undefined;
      }
      const [own, beside] = await Promise.allSettled([
        renderPlan(plan, opts, hooks, { onAllStarted: allStarted }, browser).finally(allStarted),
        alongside,
      ]);
      if (own.status === 'rejected') throw own.reason;
      if (beside.status === 'rejected') throw beside.reason;
      other = beside.value;
      return own.value;
    },
    async (r) => (r ? writeIndex(plan!, opts, {}, r, other?.known) : undefined),
  );
  return { plan: plan!, ...(result ? { result } : {}), ...(other ? { alongside: other.value } : {}) };
}

/**
 * The render phase: stale outputs removed, documents rendered and written. No index: runBuild and build
 * write it (once, after every kind rendered).
 */
export async function renderPlan<M extends KindModel>(
  plan: BuildPlan<M>,
  opts: Omit<BuildOptions, 'kind'>,
  hooks: BuildHooks<M>,
  run: RunOptions,
  browser: BuildBrowser,
): Promise<Rendered<M>> {
  const removed: string[] = [];
  const results: DocumentResult<M>[] = [];
  let skipped: BuildDocument<M>[] = [];
  const toRender = plan.documents.filter((d) => d.todo === undefined || d.todo.length > 0);
  const upToDate = plan.documents.filter((d) => d.todo !== undefined && d.todo.length === 0);
  // The browser and the xlsx writer are loaded only for the formats something still needs.
  const needed = opts.formats.filter((f) => toRender.some((d) => (d.todo ?? opts.formats).includes(f)));
  browser.early?.headStart.close();
  const ctx = toRender.length
    ? await createRenderContext(
        {
          ...opts,
          kind: plan.kind,
          formats: needed,
          forms: toRender.length,
          ...(run.onHtml ? { onHtml: run.onHtml } : {}),
        },
        plan.settings,
        browser,
      )
    : undefined;
  // Chromium starts while the sidecars, stale outputs and fonts below are seen to (if not started yet).
  if (!browser.early) void ctx?.pool?.warm(opts.jobs);
  // A read-only or forbidden out/ is found before anything is rendered for nothing.
  // A source that fails its checks loses its outputs (they no longer say what it says). Settings with
  // errors fail every source, though none of them changed: their outputs, all of out/, are kept.
  const invalid = plan.settingsFailed || run.keepFailed ? [] : plan.failed;
  if (toRender.length || invalid.length) await checkWritable(opts.outDir);
  // Up-to-date documents only refresh their sidecar (warnings or the source path may have changed).
  for (const doc of upToDate) {
    await writeEntrySidecar(opts.outDir, indexEntry(doc, opts.outDir, plan.kind), doc.records, doc.check);
    releaseModel(doc);
  }
  for (const f of invalid) for (const t of f.targets) removed.push(...(await removeOutputs(opts.outDir, t)));
  // Each stays on the board as 有错误, with its diagnostics (unless a valid table of the plan is there).
  const planned = new Set(plan.documents.map((d) => `${d.at.fiscalYear}/${d.at.code}`));
  for (const f of invalid) {
    const entry = failedEntry(f);
    if (entry && !planned.has(`${entry.fiscalYear}/${entry.code}`)) await writeEntrySidecar(opts.outDir, entry);
  }
  if (plan.complete) removed.push(...(await pruneDeletedSources(plan, opts)));
  // The fonts the .html outputs link to: copied while the forms render (rendering serves its fonts
  // from memory), done before the index is written.
  const fontsWritten = ctx?.pool ? writeFontAssets(opts.outDir, writeFileIfChanged) : undefined;
  // Awaited in any case below, so a failure to copy is reported, not left unhandled.
  fontsWritten?.catch(() => undefined);

  let failed = false;
  let environment: Error | undefined;
  let done = 0;
  // The heap kept near what is live (io/collect.ts): a long build's memory must not grow with its length.
  const collector = new Collector();
  if (ctx) {
    skipped = await eachLimit(
      toRender,
      // One document more than pages: while one writes its files, every page has a form to print.
      ctx.pool ? opts.jobs + 1 : opts.jobs,
      async (doc) => {
        pinModel(doc);
        hooks.onStart?.(doc);
        const r = await renderDocument(doc, ctx);
        // Its previous outputs and sidecar stay as they were (the last good build of it, in the index
        // and manifest); the build reports it failed. Their records' keys no longer match, so the
        // next build renders it again.
        if (r.error) failed = true;
        if (r.error && !environment && environmentProblem(r.error)) environment = r.error;
        // On the board as 生成失败, with what went wrong, over its last good outputs.
        if (r.error && !environmentProblem(r.error))
          await markSidecarFailed(opts.outDir, indexEntry(doc, opts.outDir, plan.kind), firstLine(r.error.message));
        results.push(r);
        await hooks.onDocument?.(r, ++done, toRender.length, ctx);
        releaseModel(doc);
        collector.done();
      },
      () => Boolean(environment) || Boolean(run.stop?.()) || (opts.failFast && (failed || plan.failed.length > 0)),
      plan.kind.prepare
        ? {
            chunk: MEASURE_BATCH,
            run: (docs) => {
              // Measured together, then rendered one by one: each keeps the one model it was measured by.
              for (const d of docs) pinModel(d);
              return plan.kind.prepare!(docs, ctx);
            },
          }
        : undefined,
      run.onAllStarted,
    );
  }
  run.onAllStarted?.();
  await fontsWritten;
  // Each department's 对比上年 page, beside its forms (unchanged pairs are not compared again).
  if (!environment && !run.stop?.() && run.finish !== false) {
    const diffs = await writeDiffPages(plan.kind, plan.documents, {
      root: opts.root,
      dataDir: opts.dataDir,
      outDir: opts.outDir,
      settings: plan.settings.settings,
      settingsText: plan.settings.text,
    });
    removed.push(...diffs.removed);
  }
  const heights = { ...(ctx?.measurer?.stats ?? { predicted: 0, measured: 0, missed: 0, calibrations: 0 }) };
  return {
    results,
    skipped,
    upToDate,
    removed,
    launches: browser.launches,
    heights,
    printedAhead: ctx?.headStart?.used ?? 0,
    ...(environment ? { environment } : {}),
  };
}

/** The index phase: out/index.html and out/manifest.json over everything built so far. */
async function writeIndex<M extends KindModel>(
  plan: BuildPlan<M>,
  opts: Omit<BuildOptions, 'kind'>,
  run: RunOptions,
  r: Rendered<M>,
  /** Outputs of another kind rendered alongside, verified or written (their hashes, for the manifest). */
  alsoKnown?: ReadonlyMap<string, OutputRecord>,
): Promise<BuildResult<M>> {
  const order = new Map(plan.documents.map((d, i) => [d, i]));
  r.results.sort((a, b) => order.get(a.doc)! - order.get(b.doc)!);
  const indexFile = path.join(opts.outDir, 'index.html');
  const manifestFile = path.join(opts.outDir, 'manifest.json');
  if (run.finish === false) return { plan, ...r, index: { indexFile, manifestFile } };
  return { plan, ...r, index: await writeBuildIndex(plan, opts, run, r.results, alsoKnown) };
}

/**
 * out/index.html and out/manifest.json over everything built so far (the sidecars), `results` being
 * what this run rendered; for a run whose caller writes the index itself (RunOptions.finish false).
 */
export async function writeBuildIndex<M extends KindModel>(
  plan: BuildPlan<M>,
  opts: Pick<BuildOptions, 'outDir' | 'dataDir' | 'root'>,
  run: Pick<RunOptions, 'emptyIndex' | 'known'>,
  results: readonly DocumentResult<M>[] = [],
  /** Outputs of another kind rendered alongside, verified or written (their hashes, for the manifest). */
  alsoKnown?: ReadonlyMap<string, OutputRecord>,
): Promise<BuildResult<M>['index']> {
  // The index covers everything built so far (sidecars), not only this run's documents. The manifest
  // takes the hashes checked or written by this build; any other output is hashed from its bytes.
  const { entries: all } = await readEntrySidecars(opts.outDir);
  const indexFile = path.join(opts.outDir, 'index.html');
  const known = new Map(run.known);
  for (const [f, rec] of verifiedRecords(plan.documents, results)) known.set(f, rec);
  const written =
    all.length || run.emptyIndex !== false || existsSync(indexFile)
      ? await writeIndexAndManifest(opts.outDir, all, {
          known: new Map([...known, ...(alsoKnown ?? [])]),
          dataDir: opts.dataDir,
          extraSourcePaths: [path.join(opts.root, SETTINGS_FILE), TEMPLATES_DIR],
          pointsTotal: plan.settings.settings.points_total,
          pointsTotalFor: (year: number) => settingsForYear(plan.settings.settings, year).points_total,
        })
      : { indexFile, manifestFile: path.join(opts.outDir, 'manifest.json') };
  return { indexFile: written.indexFile, manifestFile: written.manifestFile };
}

/** In a full build, outputs whose source file is gone are removed (their sidecar names the source). */
async function pruneDeletedSources<M extends KindModel>(
  plan: BuildPlan<M>,
  opts: Pick<BuildOptions, 'outDir' | 'root'>,
): Promise<string[]> {
  const built = new Set(plan.documents.map((d) => `${d.at.fiscalYear}/${d.at.code}`));
  const removed: string[] = [];
  const { entries: existing } = await readEntrySidecars(opts.outDir);
  for (const e of existing) {
    if (built.has(`${e.fiscalYear}/${e.code}`) || existsSync(path.resolve(opts.root, e.source))) continue;
    removed.push(...(await removeOutputs(opts.outDir, e)));
  }
  return removed;
}
