/**
 * Step 1 of a build: read and check the sources (exactly what `validate` does) and decide which
 * documents to render and which stale outputs to remove. No browser, no writes.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { hasErrors } from '../check/diagnostic.ts';
import { decodeSource, lineCounterFor } from '../load/load-yaml.ts';
import type { FormModel } from '../model/form-model.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/outputs.ts';
import { findBrowser } from '../browser/find.ts';
import { expandPaths, findDataFiles } from '../io/files.ts';
import { isSelfEvalPath } from '../model/self-eval.ts';
import { type LoadedSettings, loadSettings, readSourceFile } from '../io/project.ts';
import type { TargetsHandover } from '../io/self-eval.ts';
import type { FormKind, KindChecked, KindModel } from './form-kind.ts';
import type { FormMeasure } from '../render/paginate.ts';
import {
  type BuildRecords,
  type CheckCache,
  checkInputsKey,
  freshFormats,
  outputKey,
  renderInputsKey,
  sourceCheckKey,
} from './cache.ts';
import { readSidecarCheck, readSidecarEntry, readSidecarRecords } from './entries.ts';
import { dataTarget, outputPath, outputTarget, posix } from './paths.ts';

export interface BuildOptions<M extends KindModel = FormModel> {
  /** The form kind of the sources (scripts/forms/: the targets form is targetsForm). */
  kind: FormKind<M>;
  cwd: string;
  /** Project root (settings, relative source paths). */
  root: string;
  dataDir: string;
  outDir: string;
  formats: readonly OutputFormat[];
  /** Files or folders to build; empty: every data file under dataDir. */
  paths: readonly string[];
  /** Documents rendered at once (one browser page each). */
  jobs: number;
  /** Stop starting documents after the first failure. */
  failFast: boolean;
  /** Re-render every output even when its content key says it is up to date. */
  force?: boolean;
  /** Build only this deterministic part of the departments: shard `index` (1-based) of `count`. */
  shard?: Shard;
}

export interface Shard {
  index: number;
  count: number;
}

/**
 * Which shard a source belongs to: a stable hash of `<year>/<code>` (its path under the data folder),
 * so every machine of a CI matrix agrees without talking to the others.
 */
export function shardOf(key: string, count: number): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % count) + 1;
}

/** A document that passed validation and will be rendered. */
export interface BuildDocument<M extends KindModel = FormModel> {
  checked: KindChecked<M>;
  model: M;
  /** Source path relative to the project root, `/`-separated (`data/2025/x.yaml`). */
  source: string;
  warnings: number;
  /** Absolute output path per format (all formats, requested or not). */
  outputs: Record<OutputFormat, string>;
  /** Content key per requested format (build-cache.ts); absent when the caller does no caching. */
  keys?: Partial<Record<OutputFormat, string>>;
  /** Formats to render now (the others are up to date); absent: every format of the context. */
  todo?: OutputFormat[];
  /** What the sidecar recorded of the outputs that are up to date. */
  records?: BuildRecords;
  /** The check of its source, recorded in the sidecar for the next build (absent: not cached). */
  check?: CheckCache<M>;
  /** Its form's measurement, taken ahead with others' (measureAhead); used once, then dropped. */
  measure?: FormMeasure;
  /** Pages its sidecar recorded (kept in the index when only outputs without pages are rendered). */
  pages?: number;
}

/** A source that failed validation: nothing is rendered, and its old outputs are removed. */
export interface FailedSource<M extends KindModel = FormModel> {
  checked: KindChecked<M>;
  /** Where its outputs would be, as `<year>/<code>`: from its data if readable, else from its path. */
  targets: { fiscalYear: number; code: string }[];
  /** Source path relative to the project root, `/`-separated. */
  source: string;
  /** Its row on the board (有错误): the `<year>/<code>` of its place in the data folder, if it is in one. */
  row?: { fiscalYear: number; code: string; name?: string };
}

export interface BuildPlan<M extends KindModel = FormModel> {
  /** The form kind its sources are. */
  kind: FormKind<M>;
  settings: LoadedSettings;
  checked: KindChecked<M>[];
  documents: BuildDocument<M>[];
  failed: FailedSource<M>[];
  /** Settings with errors block every document (they change what is printed). */
  settingsFailed: boolean;
  /** Every data file was considered (no paths given): outputs of deleted sources can be pruned. */
  complete: boolean;
}

/** Year and code a file would be built under, guessed from `<year>/<code>.yaml` when its data is unreadable. */
function targetsOf<M extends KindModel>(
  kind: FormKind<M>,
  c: KindChecked<M>,
  abs: string,
  dataDir: string,
): FailedSource['targets'] {
  const out: FailedSource['targets'] = [];
  const fromData = kind.targetOf(c);
  if (fromData) out.push(fromData);
  const t = outputTarget(dataDir, abs);
  if (t && !out.some((o) => o.fiscalYear === t.fiscalYear && o.code === t.code)) out.push(t);
  return out;
}

/**
 * Step 1: check the sources and decide what to render. No browser, no writes.
 * With `formats`, each document's outputs are compared with the keys recorded beside them, and only
 * the stale ones are planned (`todo`); `force` plans everything.
 */
export async function planBuild<M extends KindModel = FormModel>(
  opts: Pick<BuildOptions<M>, 'kind' | 'cwd' | 'root' | 'dataDir' | 'outDir' | 'paths'> &
    Partial<Pick<BuildOptions<M>, 'formats' | 'force' | 'shard'>>,
  hooks: {
    onModel?: (model: M) => void;
    /** Each source as it is checked on its own (before the checks across files), by absolute path. */
    onChecked?: (abs: string, c: KindChecked<M>) => void;
    /** Targets files checked by a plan alongside, for a kind that reads them (self-evaluations). */
    handover?: TargetsHandover;
  } = {},
): Promise<BuildPlan<M>> {
  const { kind } = opts;
  const settings = await loadSettings(opts.root);
  // A folder given on the command line holds self-evaluations too: they are not targets files.
  let files = opts.paths.length
    ? kind.sources
      ? kind.sources.select(await expandPaths([...opts.paths], opts.cwd))
      : (await expandPaths([...opts.paths], opts.cwd)).filter((f) => !isSelfEvalPath(f))
    : await (kind.sources ? kind.sources.find(opts.dataDir) : findDataFiles(opts.dataDir));
  if (opts.shard) {
    const { index, count } = opts.shard;
    files = files.filter(
      // A department's self-evaluation goes to the shard of its targets file.
      (f) =>
        shardOf(
          posix(path.relative(opts.dataDir, f))
            .replace(/\.ya?ml$/i, '')
            .replace(/\.self-eval$/i, ''),
          count,
        ) === index,
    );
  }
  const { checked, checks } = await checkWithCache(kind, files, opts, settings, hooks);
  const settingsFailed = hasErrors(settings.diagnostics);
  const documents: BuildDocument<M>[] = [];
  const failed: FailedSource<M>[] = [];
  checked.forEach((c, i) => {
    const abs = files[i]!;
    if (!c.model || settingsFailed) {
      const at = outputTarget(opts.dataDir, abs);
      const name = kind.nameOf?.(c);
      failed.push({
        checked: c,
        targets: targetsOf(kind, c, abs, opts.dataDir),
        source: posix(path.relative(opts.root, abs)),
        ...(at ? { row: { ...at, ...(name ? { name } : {}) } } : {}),
      });
      return;
    }
    const m = c.model;
    const outputs = Object.fromEntries(
      OUTPUT_FORMATS.map((f) => [f, outputPath(opts.outDir, m.fiscalYear, m.code, f)]),
    ) as Record<OutputFormat, string>;
    const check = checks[i];
    documents.push({
      checked: c,
      model: m,
      source: posix(path.relative(opts.root, abs)),
      warnings: c.diagnostics.filter((d) => d.severity === 'warning').length,
      outputs,
      ...(check ? { check } : {}),
    });
  });
  // The parsed YAML trees are done with (the diagnostics are placed, the models built): a province's
  // build holds thousands of sources, so keep only what printing and rendering need.
  for (const c of checked) {
    delete c.source.doc;
    delete c.source.data;
    delete c.data;
  }
  if (opts.formats && documents.length)
    await planOutputs(kind, documents, opts.formats, settings.settings, opts.outDir, opts.force ?? false);
  return {
    kind,
    settings,
    checked,
    documents,
    failed,
    settingsFailed,
    complete: opts.paths.length === 0 && !opts.shard,
  };
}

/**
 * Checks the sources, reusing the check recorded in a source's sidecar when its key matches (same
 * bytes, place, settings and checking code), so an unchanged tree is not parsed again. Returns, per
 * file, the check to record for the next build (valid sources only).
 */
async function checkWithCache<M extends KindModel>(
  kind: FormKind<M>,
  files: string[],
  opts: Pick<BuildOptions, 'cwd' | 'root' | 'dataDir' | 'outDir'>,
  settings: LoadedSettings,
  hooks: Parameters<typeof planBuild<M>>[1] = {},
): Promise<{ checked: KindChecked<M>[]; checks: (CheckCache<M> | undefined)[] }> {
  const { onModel, onChecked, handover } = hooks;
  // The kind is part of the key: the same bytes are checked differently by another kind.
  const inputs = await checkInputsKey(`${kind.id}\0${settings.text}\0${JSON.stringify(settings.settings)}`);
  const probes = await Promise.all(
    files.map(async (abs) => {
      const target = dataTarget(opts.dataDir, abs);
      // Through the one reader: a FIFO is never opened, a link out of the project never followed.
      const bytes = target ? (await readSourceFile(abs, abs, [opts.root, opts.dataDir])).bytes : undefined;
      if (!target || !bytes) return { hit: undefined };
      const key = sourceCheckKey(inputs, posix(path.relative(opts.dataDir, abs)), bytes);
      const hit = await readSidecarCheck(opts.outDir, target.fiscalYear, target.code, key);
      return { key, hit, bytes };
    }),
  );
  const misses = files.filter((_, i) => !probes[i]!.hit);
  const fresh = await kind.checkFiles(misses, {
    dataDir: opts.dataDir,
    root: opts.root,
    settings: settings.settings,
    cwd: opts.cwd,
    ...(onModel || onChecked
      ? {
          onChecked: (c: KindChecked<M>) => {
            if (c.model) onModel?.(c.model);
            onChecked?.(path.resolve(opts.cwd, c.file), c);
          },
        }
      : {}),
    ...(handover ? { handover } : {}),
  });
  const checked: KindChecked<M>[] = [];
  const checks: (CheckCache<M> | undefined)[] = [];
  let next = 0;
  files.forEach((abs, i) => {
    const { hit, key, bytes } = probes[i]!;
    if (hit) {
      // The kind's id is in the key, so a hit holds this kind's model.
      const model = hit.model as M;
      const text = decodeSource(bytes).text!.replace(/^\uFEFF/, '');
      checked.push({
        file: path.relative(opts.cwd, abs) || abs,
        source: { text, lineCounter: lineCounterFor(text), diagnostics: [] },
        diagnostics: [...hit.diagnostics],
        model,
      });
      checks.push({ ...hit, model });
      onModel?.(model);
      return;
    }
    const c = fresh[next++]!;
    checked.push(c);
    checks.push(key && c.model ? { key, diagnostics: c.diagnostics, model: c.model } : undefined);
  });
  kind.checkProject(checked);
  // A cross-file error (a code used twice) makes a cached check stale: do not record it.
  checked.forEach((c, i) => {
    if (!c.model) checks[i] = undefined;
  });
  return { checked, checks };
}

/** Sets each document's content keys and the formats that need rendering. Reads sidecars only. */
async function planOutputs<M extends KindModel>(
  kind: FormKind<M>,
  documents: BuildDocument<M>[],
  formats: readonly OutputFormat[],
  settings: LoadedSettings['settings'],
  outDir: string,
  force: boolean,
): Promise<void> {
  const needsBrowser = formats.some((f) => kind.browserFormats.includes(f));
  const browser = needsBrowser ? (await findBrowser()).found?.path : undefined;
  const inputs = await renderInputsKey(settings, browser, kind.id);
  await Promise.all(
    documents.map(async (doc) => {
      doc.keys = Object.fromEntries(formats.map((f) => [f, outputKey(inputs, f, doc.model)]));
      const records = await readSidecarRecords(outDir, doc.model.fiscalYear, doc.model.code);
      const fresh = force ? new Set<OutputFormat>() : await freshFormats(records, doc.keys, doc.outputs);
      doc.todo = formats.filter((f) => !fresh.has(f));
      doc.records = Object.fromEntries([...fresh].map((f) => [f, records![f]!]));
      const pages = fresh.size
        ? (await readSidecarEntry(outDir, doc.model.fiscalYear, doc.model.code))?.pages
        : undefined;
      if (pages !== undefined) doc.pages = pages;
    }),
  );
}
