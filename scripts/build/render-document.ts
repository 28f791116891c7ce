/**
 * Step 2 of a build: render one document and write its files and sidecar atomically; and what a
 * document's outputs are recorded as (index entry, verified records) or removed by.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { commitStaged, discardStaged, stageFile, type StagedFile } from '../io/files.ts';
import {
  ENTRY_DIAGNOSTICS,
  type EntryDiagnostic,
  type IndexEntry,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../render/outputs.ts';
import type { CheckedFile } from '../check/check-file.ts';
import { locateDiagnostic } from '../check/format-diagnostics.ts';
import type { PageSlice } from '../render/paginate.ts';
import type { RequestLogEntry } from '../browser/form-page.ts';
import { type BuildRecords, type OutputRecord, recordOf } from './cache.ts';
import { diffRelPath, outputRelPath, removeEntrySidecar, stageEntrySidecar, stageRecordsDropped } from './entries.ts';
import { outputPath, posix } from './paths.ts';
import type { BuildDocument, FailedSource } from './plan.ts';
import type { FormKind, KindModel } from './form-kind.ts';
import type { FormModel } from '../model/form-model.ts';
import type { RenderContext } from './render-context.ts';

export interface DocumentResult<M extends KindModel = FormModel> {
  doc: BuildDocument<M>;
  /** Files written (absolute). */
  written: string[];
  /** What its sidecar now records of every output it has (those kept and those written). */
  records?: BuildRecords;
  pages?: PageSlice[];
  /** Pages whose single row (or title block) is taller than a page, so their end is cut off. */
  overfull?: number[];
  requests?: RequestLogEntry[];
  error?: Error;
}

/** The order a document's outputs are staged and reported in. */
const WRITE_ORDER: readonly OutputFormat[] = ['html', 'pdf', 'xlsx'];

/**
 * Step 2: render one document in the context's formats and write its files and sidecar, all or none:
 * when rendering or writing fails, its previous outputs and sidecar are left exactly as they were.
 */
export async function renderDocument<M extends KindModel>(
  doc: BuildDocument<M>,
  ctx: RenderContext,
): Promise<DocumentResult<M>> {
  const kind = ctx.kind as FormKind<M>;
  const staged: StagedFile[] = [];
  try {
    const files = new Map<string, string | Uint8Array>();
    const formats = doc.todo ?? ctx.formats;
    const form = await kind.render(doc, formats, ctx);
    const rendered = WRITE_ORDER.map((f) => [f, form.files[f]] as const);
    const records: BuildRecords = { ...doc.records };
    const replaced: OutputFormat[] = [];
    for (const [format, data] of rendered) {
      if (data === undefined) continue;
      files.set(doc.outputs[format], data);
      replaced.push(format);
      const key = doc.keys?.[format];
      if (key) records[format] = recordOf(key, data);
    }
    // Everything rendered, then everything written in full under temporary names (a full disk fails
    // here, with the previous outputs and their records untouched), then put in place in one
    // synchronous step: first the sidecar without the records of the outputs being replaced, then the
    // outputs, then the sidecar recording them. A record never describes bytes that are not there, and
    // a signal (handled between JavaScript steps) finds the department wholly old or wholly new.
    for (const [file, data] of files) staged.push(await stageFile(file, data));
    const dropped = await stageRecordsDropped(ctx.outDir, doc.model.fiscalYear, doc.model.code, replaced);
    if (dropped) staged.unshift(dropped);
    const pages = form.pages?.length ?? doc.pages;
    const entry = { ...indexEntry(doc, ctx.outDir, kind), ...(pages !== undefined ? { pages } : {}) };
    const build = doc.keys ? records : undefined;
    const sidecar = await stageEntrySidecar(ctx.outDir, entry, build, doc.check, Boolean(dropped));
    if (sidecar) staged.push(sidecar);
    commitStaged(staged);
    return {
      doc,
      written: [...files.keys()],
      ...(doc.keys ? { records } : {}),
      ...(form.pages ? { pages: form.pages } : {}),
      ...(form.overfull ? { overfull: form.overfull } : {}),
      ...(form.requests ? { requests: form.requests } : {}),
    };
  } catch (e) {
    discardStaged(staged);
    return { doc, written: [], error: e as Error };
  }
}

/**
 * The output records whose bytes this run checked (planBuild's fresh formats) or wrote (the results),
 * by path under out/: the manifest takes their hashes; any other output is hashed from its bytes.
 */
export function verifiedRecords<M extends KindModel>(
  documents: readonly BuildDocument<M>[],
  results: readonly DocumentResult<M>[],
): Map<string, OutputRecord> {
  const known = new Map<string, OutputRecord>();
  const add = (doc: BuildDocument<M>, records: BuildRecords | undefined): void => {
    for (const [f, r] of Object.entries(records ?? {})) {
      known.set(outputRelPath(doc.at.fiscalYear, doc.at.code, f as OutputFormat), r);
    }
  };
  for (const doc of documents) add(doc, doc.records);
  for (const r of results) if (!r.error) add(r.doc, r.records);
  return known;
}

/**
 * The document's index entry; `outputs` is filled from the files on disk when the index is written.
 * Its pages are the ones recorded before (a render that prints sets them anew).
 */
export function indexEntry<M extends KindModel>(doc: BuildDocument<M>, outDir: string, kind: FormKind<M>): IndexEntry {
  const outputs: IndexEntry['outputs'] = {};
  for (const f of OUTPUT_FORMATS) outputs[f] = posix(path.relative(outDir, doc.outputs[f]));
  const diagnostics = entryDiagnostics(doc.checked);
  return {
    fiscalYear: doc.model.fiscalYear,
    code: doc.model.code,
    name: doc.model.name,
    source: doc.source,
    ...kind.indexColumns(doc.model),
    warnings: doc.warnings,
    outputs,
    ...(diagnostics.length ? { diagnostics } : {}),
    ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
  };
}

/** The index row of a source that fails its checks (有错误): its errors and warnings, no outputs. */
export function failedEntry<M extends KindModel>(f: FailedSource<M>): IndexEntry | undefined {
  if (!f.row) return undefined;
  const diagnostics = entryDiagnostics(f.checked);
  return {
    fiscalYear: f.row.fiscalYear,
    code: f.row.code,
    name: f.row.name ?? f.row.code,
    source: f.source,
    indicators: 0,
    pointsSum: 0,
    warnings: f.checked.diagnostics.filter((d) => d.severity === 'warning').length,
    // Settings with errors fail a source with none of its own: it still does not build.
    errors: Math.max(1, f.checked.diagnostics.filter((d) => d.severity === 'error').length),
    outputs: {},
    ...(diagnostics.length ? { diagnostics } : {}),
  };
}

/** A checked source's diagnostics as the board lists them (located, in Chinese, errors first). */
export function entryDiagnostics(c: Pick<CheckedFile, 'file' | 'source' | 'diagnostics'>): EntryDiagnostic[] {
  const ds = [...c.diagnostics].sort(
    (a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.pos[0] - b.pos[0],
  );
  return ds.slice(0, ENTRY_DIAGNOSTICS).map((d) => {
    const l = locateDiagnostic(c.file, d, c.source.text, c.source.lineCounter, 'zh');
    return { severity: l.severity, code: l.code, line: l.line, col: l.column, message: l.message };
  });
}

/**
 * Removes a source's sidecar, then its outputs (it fails validation now, or it was deleted): in that
 * order, so a build ended halfway leaves outputs without a record (rendered again), never a record
 * without its output.
 */
export async function removeOutputs(outDir: string, target: { fiscalYear: number; code: string }): Promise<string[]> {
  const removed: string[] = [];
  await removeEntrySidecar(outDir, target.fiscalYear, target.code);
  for (const f of OUTPUT_FORMATS) {
    const file = outputPath(outDir, target.fiscalYear, target.code, f);
    // Only files we could have written: a folder or anything else in the way is left alone.
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  // Its diff against the year before goes with its forms.
  const diff = path.join(outDir, diffRelPath(target.fiscalYear, target.code));
  if ((await fs.lstat(diff).catch(() => undefined))?.isFile()) {
    await fs.rm(diff, { force: true });
    removed.push(diff);
  }
  return removed;
}
