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
import { parkModel, shareModel } from './park.ts';
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

/** Which models a build parks: all, those `pin` says yes to kept live until rendered (build/park.ts). */
export interface Park<M> {
  pin?: (model: M) => boolean;
}

/** A document that passed validation and will be rendered. */
export interface BuildDocument<M extends KindModel = FormModel> {
  checked: KindChecked<M>;
  /** Parked (build/park.ts) in a build from its plan until it renders: read it only to render it. */
  model: M;
  /** Year and code of its outputs (the model's), to be read without the model. */
  at: { fiscalYear: number; code: string };
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

/**
 * What a plan remembers of its sources for the next one, so that a dev session's rebuild re-checks only
 * the files that changed (planBuild's `reuse`). Kept by its caller, never written anywhere.
 */
export interface PlanMemory<M extends KindModel = FormModel> {
  /** The settings, kind and checking code it was made under: another, and the memory is not used. */
  inputs: string;
  /** Every source of the plan, in order. */
  files: readonly string[];
  /** Per source: its own check, before the rules across files (cloned for each use, never changed). */
  own: Map<string, { checked: KindChecked<M>; check?: CheckCache<M> }>;
  /**
   * Per valid source whose outputs are all up to date on disk (the caller records them after the run):
   * their content keys, records and pages, so an unchanged source is not planned (nor hashed) again.
   */
  outputs: Map<string, OutputsState>;
  /** Per source: its diagnostics after the rules across files, as a key (what a clash changed). */
  after: Map<string, string>;
}

/** A document's outputs as they are on disk (see PlanMemory.outputs). */
export interface OutputsState {
  keys: Partial<Record<OutputFormat, string>>;
  records: BuildRecords;
  pages?: number;
}

/** A plan made from an earlier one's memory: the sources in `changed` are read and checked again. */
export interface PlanReuse<M extends KindModel = FormModel> {
  memory: PlanMemory<M>;
  /** Absolute paths of the sources changed since (others are taken from the memory). */
  changed: ReadonlySet<string>;
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
  /** What the next plan may reuse (see PlanMemory); its `outputs` are the caller's to fill. */
  memory?: PlanMemory<M>;
  /**
   * With `reuse`: the sources whose check or outputs were planned afresh (changed, or touched by a
   * change through a rule across files); undefined: every source was (no memory could be used).
   */
  affected?: Set<string>;
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
    /** Re-check only the sources changed since an earlier plan of this kind, and keep its memory. */
    reuse?: PlanReuse<M>;
    /** Keep a memory for a later plan (see PlanMemory): a dev session does. */
    remember?: boolean;
    /** Each source as it is checked on its own (before the checks across files), by absolute path. */
    onChecked?: (abs: string, c: KindChecked<M>) => void;
    /** Targets files checked by a plan alongside, for a kind that reads them (self-evaluations). */
    handover?: TargetsHandover;
    /**
     * Park each source's model as soon as it is checked (build/park.ts): a build that holds thousands.
     * `pin`: the models to keep as they are until rendered (found by identity: a head start's).
     */
    park?: Park<M>;
    /** Awaited between sources when it returns a promise (KindCheckOptions.pace). */
    pace?: () => Promise<void> | undefined;
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
  // The memory serves only over the same sources (none added or removed: the caller re-plans in full).
  const same =
    hooks.reuse !== undefined &&
    hooks.reuse.memory.files.length === files.length &&
    hooks.reuse.memory.files.every((f, i) => f === files[i]);
  const remember = hooks.remember === true || hooks.reuse !== undefined;
  const cached = await checkWithCache(kind, files, opts, settings, {
    ...(hooks.onModel ? { onModel: hooks.onModel } : {}),
    ...(hooks.onChecked ? { onChecked: hooks.onChecked } : {}),
    ...(hooks.handover ? { handover: hooks.handover } : {}),
    ...(hooks.park ? { park: hooks.park } : {}),
    ...(hooks.pace ? { pace: hooks.pace } : {}),
    ...(same ? { reuse: hooks.reuse } : {}),
    remember,
  });
  const { checked, checks, memory } = cached;
  // Used only under the same settings and checking code as it was made under.
  const reuse = cached.reused ? hooks.reuse : undefined;
  const settingsFailed = hasErrors(settings.diagnostics);
  const documents: BuildDocument<M>[] = [];
  const failed: FailedSource<M>[] = [];
  // With the memory: what a change touched (itself, and any source whose diagnostics a rule across
  // files changed); the other documents' outputs are as the memory says.
  let affected: Set<string> | undefined;
  const recalled = new Map<BuildDocument<M>, OutputsState>();
  if (reuse && memory) {
    affected = new Set(reuse.changed);
    for (const [f, key] of memory.after) if (reuse.memory.after.get(f) !== key) affected.add(f);
  }
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
    const doc = {
      checked: c,
      at: { fiscalYear: m.fiscalYear, code: m.code },
      source: posix(path.relative(opts.root, abs)),
      warnings: c.diagnostics.filter((d) => d.severity === 'warning').length,
      outputs,
      ...(check ? { check } : {}),
    } as BuildDocument<M>;
    shareModel(c, doc);
    documents.push(doc);
    const known = reuse && !affected!.has(abs) ? reuse.memory.outputs.get(abs) : undefined;
    if (known) recalled.set(doc, known);
    else affected?.add(abs);
  });
  // The parsed YAML trees are done with (the diagnostics are placed, the models built): a province's
  // build holds thousands of sources, so keep only what printing and rendering need.
  for (const c of checked) {
    delete c.source.doc;
    delete c.source.data;
    delete c.data;
  }
  // A document the memory knows (unchanged source, same settings) has the outputs it recorded, all fresh.
  const formats = opts.formats;
  if (formats && documents.length) {
    for (const [doc, known] of recalled) {
      doc.keys = Object.fromEntries(formats.map((f) => [f, known.keys[f]]));
      doc.todo = formats.filter((f) => !known.keys[f] || !known.records[f] || known.records[f].key !== known.keys[f]);
      doc.records = Object.fromEntries(formats.flatMap((f) => (known.records[f] ? [[f, known.records[f]]] : [])));
      if (known.pages !== undefined) doc.pages = known.pages;
    }
    const rest = documents.filter((d) => !recalled.has(d) || d.todo!.length > 0);
    if (rest.length) await planOutputs(kind, rest, formats, settings.settings, opts.outDir, opts.force ?? false);
  }
  return {
    kind,
    settings,
    checked,
    documents,
    failed,
    settingsFailed,
    complete: opts.paths.length === 0 && !opts.shard,
    ...(remember && memory ? { memory } : {}),
    ...(affected ? { affected } : {}),
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
  how: {
    onModel?: (model: M) => void;
    onChecked?: (abs: string, c: KindChecked<M>) => void;
    handover?: TargetsHandover;
    reuse?: PlanReuse<M> | undefined;
    remember: boolean;
    park?: Park<M>;
    pace?: () => Promise<void> | undefined;
  },
): Promise<{
  checked: KindChecked<M>[];
  checks: (CheckCache<M> | undefined)[];
  memory?: PlanMemory<M>;
  reused: boolean;
}> {
  const { onModel, onChecked, handover, reuse, park } = how;
  const parkIt = (c: { model?: M }): void => {
    if (park && c.model !== undefined) parkModel(c, park.pin?.(c.model) ?? false);
  };
  /** The check to record for the next build: it shares the source's model (parked or not). */
  const checkRecord = (c: KindChecked<M>, key: string, diagnostics: CheckCache<M>['diagnostics']): CheckCache<M> => {
    const check = { key, diagnostics } as CheckCache<M>;
    shareModel(c, check);
    return check;
  };
  // The kind is part of the key: the same bytes are checked differently by another kind.
  const inputs = await checkInputsKey(`${kind.id}\0${settings.text}\0${JSON.stringify(settings.settings)}`);
  const remembered = reuse && reuse.memory.inputs === inputs ? reuse : undefined;
  /** An unchanged source's own check, as the memory has it (a copy: the rules across files add to it). */
  const recall = (abs: string): { checked: KindChecked<M>; check?: CheckCache<M> } | undefined => {
    const own = remembered && !remembered.changed.has(abs) ? remembered.memory.own.get(abs) : undefined;
    if (!own) return undefined;
    const c = own.checked;
    return {
      checked: { ...c, source: { ...c.source }, diagnostics: [...c.diagnostics] },
      ...(own.check ? { check: own.check } : {}),
    };
  };
  const recalled = files.map(recall);
  // A few reads at once, not every file's (a province has tens of thousands), and only a cache hit keeps
  // its bytes (its text is decoded from them); a miss is read again by the checks.
  const probes = await mapLimit(files, PROBES_AT_ONCE, async (abs, i) => {
    if (recalled[i]) return { hit: undefined };
    const target = dataTarget(opts.dataDir, abs);
    // Through the one reader: a FIFO is never opened, a link out of the project never followed.
    const bytes = target ? (await readSourceFile(abs, abs, [opts.root, opts.dataDir])).bytes : undefined;
    if (!target || !bytes) return { hit: undefined };
    const key = sourceCheckKey(inputs, posix(path.relative(opts.dataDir, abs)), bytes);
    const hit = await readSidecarCheck(opts.outDir, target.fiscalYear, target.code, key);
    return hit ? { key, hit, bytes } : { key, hit };
  });
  const misses = files.filter((_, i) => !probes[i]!.hit && !recalled[i]);
  const fresh = await kind.checkFiles(misses, {
    lean: true,
    dataDir: opts.dataDir,
    root: opts.root,
    settings: settings.settings,
    cwd: opts.cwd,
    ...(onModel || onChecked || park
      ? {
          onChecked: (c: KindChecked<M>) => {
            if (c.model) onModel?.(c.model);
            onChecked?.(path.resolve(opts.cwd, c.file), c);
            parkIt(c);
          },
        }
      : {}),
    ...(handover ? { handover } : {}),
    ...(how.pace ? { pace: how.pace } : {}),
  });
  const checked: KindChecked<M>[] = [];
  const checks: (CheckCache<M> | undefined)[] = [];
  let next = 0;
  files.forEach((abs, i) => {
    const { hit, key, bytes } = probes[i]!;
    const own = recalled[i];
    if (own) {
      checked.push(own.checked);
      checks.push(own.check);
      if (own.checked.model) onModel?.(own.checked.model);
      return;
    }
    if (hit) {
      // The kind's id is in the key, so a hit holds this kind's model.
      const model = hit.model as M;
      const text = decodeSource(bytes).text!.replace(/^\uFEFF/, '');
      const c: KindChecked<M> = {
        file: path.relative(opts.cwd, abs) || abs,
        source: { text, lineCounter: lineCounterFor(text), diagnostics: [] },
        diagnostics: [...hit.diagnostics],
        model,
      };
      onModel?.(model);
      parkIt(c);
      checked.push(c);
      checks.push(checkRecord(c, hit.key, hit.diagnostics));
      return;
    }
    const c = fresh[next++]!;
    checked.push(c);
    checks.push(key && 'model' in c ? checkRecord(c, key, c.diagnostics) : undefined);
  });
  // Each source's own check, before the rules across files, for the next plan: without the parsed
  // document (a province's worth would not fit), and with only the year and code of its data, all
  // that the rules across files read of a source that has errors of its own.
  const own = new Map<string, { checked: KindChecked<M>; check?: CheckCache<M> }>();
  checked.forEach((c, i) => {
    if (!how.remember) return;
    const d = c.model ? undefined : (c.data as { fiscal_year?: unknown; department?: { code?: unknown } } | undefined);
    const data = d ? { fiscal_year: d.fiscal_year, department: { code: d.department?.code } } : undefined;
    const { text, lineCounter } = c.source;
    const copy: KindChecked<M> = {
      file: c.file,
      source: { text, lineCounter, diagnostics: [] },
      diagnostics: [...c.diagnostics],
      ...(c.model ? { model: c.model } : {}),
      ...(data ? { data: data as unknown as KindChecked<M>['data'] } : {}),
    };
    const check = checks[i];
    own.set(files[i]!, { checked: copy, ...(check ? { check } : {}) });
  });
  kind.checkProject(checked);
  // A cross-file error (a code used twice) makes a cached check stale: do not record it.
  checked.forEach((c, i) => {
    if (!('model' in c)) checks[i] = undefined;
  });
  if (!how.remember) return { checked, checks, reused: false };
  const after = new Map(files.map((f, i) => [f, JSON.stringify(checked[i]!.diagnostics)]));
  return { checked, checks, memory: { inputs, files, own, outputs: new Map(), after }, reused: Boolean(remembered) };
}

/** Sources read at once while probing the build cache. */
const PROBES_AT_ONCE = 32;

/** `fn` over `items`, at most `limit` at once; the results in the items' order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
  // A few sidecars read at once (a province has tens of thousands), each model read once (it may be parked).
  await mapLimit(documents, PROBES_AT_ONCE, async (doc) => {
    const model = doc.model;
    doc.keys = Object.fromEntries(formats.map((f) => [f, outputKey(inputs, f, model)]));
    const records = await readSidecarRecords(outDir, doc.at.fiscalYear, doc.at.code);
    const fresh = force ? new Set<OutputFormat>() : await freshFormats(records, doc.keys, doc.outputs);
    doc.todo = formats.filter((f) => !fresh.has(f));
    doc.records = Object.fromEntries([...fresh].map((f) => [f, records![f]!]));
    const pages = fresh.size ? (await readSidecarEntry(outDir, doc.at.fiscalYear, doc.at.code))?.pages : undefined;
    if (pages !== undefined) doc.pages = pages;
  });
}
