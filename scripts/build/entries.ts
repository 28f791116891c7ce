/**
 * Per-department index metadata on disk, and writing the index page + manifest.
 *
 * The build writes one sidecar per department beside its outputs, `out/<year>/<code>.entry.json`
 * (an IndexEntry). `jxmb index` reads them all back, so out/ folders built by several CI shards and
 * merged can be indexed without the sources or a browser: the sidecars carry the name, indicator
 * count, points and warnings; the files present on disk decide which links the index shows.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareEntries, renderIndexHtml } from '../render/index-page.ts';
import {
  ENTRY_DIAGNOSTICS,
  type EntryDiagnostic,
  OUTPUT_FORMATS,
  type IndexEntry,
  type OutputFormat,
} from '../render/outputs.ts';
import type { BuildRecords, CheckCache, OutputRecord } from './cache.ts';
import { readIfExists, stageFile, type StagedFile, writeFileIfChanged } from '../io/files.ts';
import { buildManifest, gitSourceCommit, type Manifest, type SourceCommit, writeManifest } from './manifest.ts';
import { TOOL_VERSION } from '../io/version.ts';
import { summaryYears } from './summary-pages.ts';
import { SUMMARY_FILE } from '../render/summary.ts';

export const SIDECAR_SUFFIX = '.entry.json';
export const INDEX_FILE = 'index.html';
const SIDECAR_KIND = 'jxmb/index-entry';
const SIDECAR_VERSION = 1;

/** templates/index.hbs of this installation. */
export const INDEX_TEMPLATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates/index.hbs');

/** `<outDir>/<year>/<code>.entry.json` */
export const sidecarPath = (outDir: string, fiscalYear: number, code: string): string =>
  path.join(outDir, String(fiscalYear), `${code}${SIDECAR_SUFFIX}`);

/** Its diff against the previous year, beside its forms: `2025/<code>.diff.html` (relative to out/). */
export const DIFF_SUFFIX = '.diff.html';
export const diffRelPath = (fiscalYear: number, code: string): string => `${fiscalYear}/${code}${DIFF_SUFFIX}`;

/** The output path of one format, relative to the out folder: `2025/<code>.pdf`. */
export const outputRelPath = (fiscalYear: number, code: string, format: OutputFormat): string =>
  `${fiscalYear}/${code}.${format}`;

/** An entry with a fixed key order (outputs in OUTPUT_FORMATS order): same entry, same bytes. */
function canonicalEntry(e: IndexEntry): IndexEntry {
  const outputs: IndexEntry['outputs'] = {};
  for (const f of OUTPUT_FORMATS) if (e.outputs[f]) outputs[f] = e.outputs[f];
  return {
    fiscalYear: e.fiscalYear,
    code: e.code,
    name: e.name,
    source: e.source,
    indicators: e.indicators,
    pointsSum: e.pointsSum,
    warnings: e.warnings,
    outputs,
    ...(e.errors ? { errors: e.errors } : {}),
    ...(e.failed !== undefined ? { failed: e.failed } : {}),
    ...(e.diagnostics?.length
      ? {
          diagnostics: e.diagnostics.slice(0, ENTRY_DIAGNOSTICS).map((d) => ({
            severity: d.severity,
            code: d.code,
            line: d.line,
            col: d.col,
            message: d.message,
          })),
        }
      : {}),
    ...(e.filed ? { filed: e.filed } : {}),
    ...(e.reviewed ? { reviewed: e.reviewed } : {}),
    ...(e.selfEval
      ? { selfEval: { total: e.selfEval.total, grade: e.selfEval.grade, pointsTotal: e.selfEval.pointsTotal } }
      : {}),
    ...(e.pages !== undefined ? { pages: e.pages } : {}),
  };
}

/**
 * Writes the department's sidecar atomically (call after its outputs are in place), only if it
 * changed. `build` records each output's content key, size and sha256 (see build-cache.ts).
 */
export async function writeEntrySidecar(
  outDir: string,
  entry: IndexEntry,
  build?: BuildRecords,
  check?: CheckCache,
): Promise<string> {
  const file = sidecarPath(outDir, entry.fiscalYear, entry.code);
  await writeFileIfChanged(file, sidecarText(entry, build, check));
  return file;
}

/** The sidecar's bytes. */
function sidecarText(entry: IndexEntry, build?: BuildRecords, check?: CheckCache): string {
  const records: BuildRecords = {};
  for (const f of OUTPUT_FORMATS)
    if (build?.[f]) records[f] = { key: build[f].key, size: build[f].size, sha256: build[f].sha256 };
  const doc = {
    kind: SIDECAR_KIND,
    version: SIDECAR_VERSION,
    entry: canonicalEntry(entry),
    ...(build ? { build: records } : {}),
    ...(check ? { check: { key: check.key, diagnostics: check.diagnostics, model: check.model } } : {}),
  };
  // One line: a machine file (hundreds per build), half the bytes of an indented one.
  return `${JSON.stringify(doc)}\n`;
}

/**
 * The department's new sidecar, written under a temporary name for commitStaged to put in place after
 * its outputs; undefined when the one on disk already says the same (unless `always`: it is about to be
 * replaced by a staged stageRecordsDropped).
 */
export async function stageEntrySidecar(
  outDir: string,
  entry: IndexEntry,
  build?: BuildRecords,
  check?: CheckCache,
  always = false,
): Promise<StagedFile | undefined> {
  const file = sidecarPath(outDir, entry.fiscalYear, entry.code);
  const text = sidecarText(entry, build, check);
  if (!always && (await readIfExists(file).catch(() => undefined))?.equals(Buffer.from(text))) return undefined;
  return stageFile(file, text);
}

/**
 * The sidecar on disk without the records of `formats`, staged (undefined when it records none of them):
 * committed before those outputs are replaced, so that at no moment does a record describe a file that
 * is no longer the one it recorded. The rest (index entry, other records) stays as it was.
 */
export async function stageRecordsDropped(
  outDir: string,
  fiscalYear: number,
  code: string,
  formats: readonly OutputFormat[],
): Promise<StagedFile | undefined> {
  const file = sidecarPath(outDir, fiscalYear, code);
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let doc: { build?: Record<string, unknown> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return undefined;
  }
  if (!doc?.build || typeof doc.build !== 'object' || !formats.some((f) => f in doc.build!)) return undefined;
  for (const f of formats) delete doc.build[f];
  return stageFile(file, `${JSON.stringify(doc)}\n`);
}

/** The output records a sidecar holds (undefined when there is none or it is unreadable). */
export async function readSidecarRecords(
  outDir: string,
  fiscalYear: number,
  code: string,
): Promise<BuildRecords | undefined> {
  const text = await fs.readFile(sidecarPath(outDir, fiscalYear, code), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : recordsOf(text);
}

/** The entry a sidecar on disk holds (undefined when there is none or it cannot be used). */
export async function readSidecarEntry(
  outDir: string,
  fiscalYear: number,
  code: string,
): Promise<IndexEntry | undefined> {
  const text = await fs.readFile(sidecarPath(outDir, fiscalYear, code), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const e = parseSidecar(text);
  return typeof e === 'string' ? undefined : e;
}

/**
 * Marks a department's rendering as failed in its sidecar, leaving the rest (its last good entry and
 * the records of its outputs, which no longer match, so the next build renders it again) as it was.
 * Without a sidecar, one is written for `entry` with no records. Best effort: a disk that cannot take
 * it has already been reported with the failure.
 */
export async function markSidecarFailed(outDir: string, entry: IndexEntry, message: string): Promise<void> {
  const file = sidecarPath(outDir, entry.fiscalYear, entry.code);
  try {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    const doc = text === undefined ? undefined : (JSON.parse(text) as { entry?: unknown });
    const old = text === undefined ? undefined : parseSidecar(text);
    if (doc && old && typeof old !== 'string') {
      // As written (its outputs as recorded), with the mark.
      doc.entry = canonicalEntry({ ...(doc.entry as IndexEntry), failed: message });
      await writeFileIfChanged(file, `${JSON.stringify(doc)}\n`);
    } else await writeFileIfChanged(file, sidecarText({ ...entry, failed: message }));
  } catch {
    // Reported by the build already (the failure itself).
  }
}

/** The check a sidecar recorded when its key is `key` (else undefined: check the source again). */
export async function readSidecarCheck(
  outDir: string,
  fiscalYear: number,
  code: string,
  key: string,
): Promise<CheckCache | undefined> {
  const text = await fs.readFile(sidecarPath(outDir, fiscalYear, code), 'utf8').catch(() => undefined);
  if (text === undefined || !text.includes(key)) return undefined;
  try {
    const check = (JSON.parse(text) as { check?: CheckCache }).check;
    return check?.key === key && Array.isArray(check.diagnostics) && check.model && typeof check.model === 'object'
      ? check
      : undefined;
  } catch {
    return undefined;
  }
}

function recordsOf(text: string): BuildRecords | undefined {
  try {
    return recordsIn(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The output records of a parsed sidecar. */
function recordsIn(doc: unknown): BuildRecords | undefined {
  try {
    const build = (doc as { build?: Record<string, Partial<OutputRecord>> } | null)?.build;
    if (!build || typeof build !== 'object') return undefined;
    const out: BuildRecords = {};
    for (const f of OUTPUT_FORMATS) {
      const r = build[f];
      if (r && typeof r.key === 'string' && typeof r.size === 'number' && typeof r.sha256 === 'string')
        out[f] = { key: r.key, size: r.size, sha256: r.sha256 };
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Removes a department's sidecar (its source was deleted or now fails validation). */
export async function removeEntrySidecar(outDir: string, fiscalYear: number, code: string): Promise<void> {
  await fs.rm(sidecarPath(outDir, fiscalYear, code), { force: true });
}

export interface SidecarProblem {
  file: string;
  message: string;
}

export interface SidecarScan {
  /** Entries whose `outputs` list exactly the files present on disk, sorted (year desc, code). */
  entries: IndexEntry[];
  /** What the sidecars record of each output, by path relative to the out folder (spares re-hashing). */
  records: Map<string, OutputRecord>;
  /** Sidecars that could not be used, and outputs without a sidecar (file relative to the out folder). */
  problems: SidecarProblem[];
}

/** Sidecars read at once (readEntrySidecars). */
const SIDECARS_AT_ONCE = 64;

/**
 * Every sidecar under `outDir/<year>/`. The links come from the files actually present, not from
 * what the sidecar says was written, so a partial merge never links to a missing file.
 */
export async function readEntrySidecars(outDir: string): Promise<SidecarScan> {
  const entries: IndexEntry[] = [];
  const problems: SidecarProblem[] = [];
  const records = new Map<string, OutputRecord>();
  const years = (await fs.readdir(outDir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && /^\d{4}$/.test(d.name))
    .map((d) => d.name)
    .sort();
  for (const year of years) {
    const names = (await fs.readdir(path.join(outDir, year))).sort();
    const present = new Set(names);
    const described = new Set<string>();
    const sidecars = names.filter((n) => n.endsWith(SIDECAR_SUFFIX) && !n.startsWith('.'));
    // Read SIDECARS_AT_ONCE at a time, parsed in order: a province's year has thousands, each holding
    // its check (the model) too — read all at once, 8,000 of them took 200 MB.
    let texts: string[] = [];
    for (const [i, name] of sidecars.entries()) {
      if (i % SIDECARS_AT_ONCE === 0) {
        const batch = sidecars.slice(i, i + SIDECARS_AT_ONCE);
        texts = await Promise.all(batch.map((n) => fs.readFile(path.join(outDir, year, n), 'utf8')));
      }
      const rel = `${year}/${name}`;
      const { entry: parsed, doc } = parseSidecarDoc(texts[i % SIDECARS_AT_ONCE]!);
      if (typeof parsed === 'string') {
        problems.push({ file: rel, message: parsed });
        continue;
      }
      const code = name.slice(0, -SIDECAR_SUFFIX.length);
      if (String(parsed.fiscalYear) !== year || parsed.code !== code) {
        problems.push({
          file: rel,
          message:
            `内容是 ${parsed.fiscalYear}/${parsed.code}，与文件位置不符 ` +
            `describes ${parsed.fiscalYear}/${parsed.code}, not ${year}/${code}`,
        });
        continue;
      }
      const outputs: IndexEntry['outputs'] = {};
      for (const f of OUTPUT_FORMATS) {
        const file = `${code}.${f}`;
        described.add(file);
        if (present.has(file)) outputs[f] = outputRelPath(parsed.fiscalYear, code, f);
      }
      described.add(`${code}${DIFF_SUFFIX}`);
      for (const [f, r] of Object.entries(recordsIn(doc) ?? {}))
        records.set(outputRelPath(parsed.fiscalYear, code, f as OutputFormat), r);
      const diff = present.has(`${code}${DIFF_SUFFIX}`) ? { diff: diffRelPath(parsed.fiscalYear, code) } : {};
      entries.push({ ...parsed, outputs, ...diff });
    }
    for (const name of names) {
      const ext = path.extname(name).slice(1);
      // A diff page is not a form (its department's sidecar may be gone with its source).
      const isDiff = name.endsWith(DIFF_SUFFIX);
      if (
        (OUTPUT_FORMATS as readonly string[]).includes(ext) &&
        !described.has(name) &&
        !isDiff &&
        !name.startsWith('.')
      ) {
        problems.push({
          file: `${year}/${name}`,
          message:
            `没有对应的 ${SIDECAR_SUFFIX}，未列入索引（重新生成该部门）` +
            `no ${SIDECAR_SUFFIX} beside it, not indexed (rebuild that department)`,
        });
      }
    }
  }
  entries.sort(compareEntries);
  return { entries, records, problems };
}

/** A sidecar's entry, or what is wrong with it. */
export function parseSidecar(text: string): IndexEntry | string {
  return parseSidecarDoc(text).entry;
}

/** A sidecar's entry (or what is wrong with it) and the whole parsed document. */
function parseSidecarDoc(text: string): { entry: IndexEntry | string; doc: unknown } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { entry: '不是有效的 JSON not valid JSON', doc: undefined };
  }
  return { entry: entryIn(doc), doc };
}

function entryIn(doc: unknown): IndexEntry | string {
  const d = doc as { kind?: unknown; version?: unknown; entry?: Record<string, unknown> };
  if (d?.kind !== SIDECAR_KIND) return `不是 jxmb 索引条目 not a jxmb index entry (kind ≠ ${SIDECAR_KIND})`;
  if (d.version !== SIDECAR_VERSION)
    return (
      `版本 ${String(d.version)} 不受支持，请用本版本 jxmb 重新生成 ` +
      `unsupported version ${String(d.version)}: rebuild with this jxmb`
    );
  const e = d.entry;
  const bad = (field: string): string => `字段 ${field} 缺失或类型不对 field ${field} is missing or has the wrong type`;
  if (!e || typeof e !== 'object') return bad('entry');
  if (!Number.isInteger(e.fiscalYear)) return bad('fiscalYear');
  for (const k of ['code', 'name', 'source'] as const) if (typeof e[k] !== 'string') return bad(k);
  if (!Number.isInteger(e.indicators)) return bad('indicators');
  if (typeof e.pointsSum !== 'number' || !Number.isFinite(e.pointsSum)) return bad('pointsSum');
  if (!Number.isInteger(e.warnings)) return bad('warnings');
  // A self-evaluation's entry is `<code>.self-eval` (render/self-eval-form.ts).
  if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.self-eval)?$/.test(e.code as string)) return bad('code');
  const se = e.selfEval as { total?: unknown; grade?: unknown; pointsTotal?: unknown } | undefined;
  if (
    se !== undefined &&
    (typeof se !== 'object' ||
      se === null ||
      typeof se.total !== 'number' ||
      typeof se.grade !== 'string' ||
      typeof se.pointsTotal !== 'number')
  )
    return bad('selfEval');
  if (e.errors !== undefined && !Number.isInteger(e.errors)) return bad('errors');
  if (e.failed !== undefined && typeof e.failed !== 'string') return bad('failed');
  if (e.pages !== undefined && !Number.isInteger(e.pages)) return bad('pages');
  for (const k of ['filed', 'reviewed'] as const)
    if (e[k] !== undefined && (typeof e[k] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e[k]))) return bad(k);
  const diagnostics = e.diagnostics === undefined ? [] : diagnosticsIn(e.diagnostics);
  if (!diagnostics) return bad('diagnostics');
  return {
    fiscalYear: e.fiscalYear as number,
    code: e.code as string,
    name: e.name as string,
    source: e.source as string,
    indicators: e.indicators as number,
    pointsSum: e.pointsSum,
    warnings: e.warnings as number,
    outputs: {},
    ...(e.errors ? { errors: e.errors as number } : {}),
    ...(e.failed !== undefined ? { failed: e.failed } : {}),
    ...(diagnostics.length ? { diagnostics } : {}),
    ...(e.filed !== undefined ? { filed: e.filed as string } : {}),
    ...(e.reviewed !== undefined ? { reviewed: e.reviewed as string } : {}),
    ...(se
      ? { selfEval: { total: se.total as number, grade: se.grade as string, pointsTotal: se.pointsTotal as number } }
      : {}),
    ...(e.pages !== undefined ? { pages: e.pages as number } : {}),
  };
}

/** A sidecar's diagnostics, or undefined when they are not a list of located diagnostics. */
function diagnosticsIn(v: unknown): EntryDiagnostic[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: EntryDiagnostic[] = [];
  for (const d of v as Record<string, unknown>[]) {
    if (
      !d ||
      (d.severity !== 'error' && d.severity !== 'warning') ||
      typeof d.code !== 'string' ||
      !Number.isInteger(d.line) ||
      !Number.isInteger(d.col) ||
      typeof d.message !== 'string'
    )
      return undefined;
    out.push({ severity: d.severity, code: d.code, line: d.line as number, col: d.col as number, message: d.message });
  }
  return out;
}

/** Reads templates/index.hbs (once per run; the renderer caches the compiled template by its text). */
export async function readIndexTemplate(file = INDEX_TEMPLATE): Promise<string> {
  return fs.readFile(file, 'utf8');
}

export interface WriteIndexOptions {
  /** The data folder, for the git commit in the manifest and the page; omitted → no commit recorded. */
  dataDir?: string;
  /** More source paths whose uncommitted changes make the build "dirty" (e.g. jxmb.settings.yaml). */
  extraSourcePaths?: string[];
  /** settings.points_total: the index marks departments whose points differ. */
  pointsTotal?: number;
  /** The total that applies to one fiscal year (settings `years:`). */
  pointsTotalFor?: (fiscalYear: number) => number;
  /** Template text; default: templates/index.hbs. */
  template?: string;
  /** Recorded size and sha256 of outputs (readEntrySidecars().records): files of that size are not re-hashed. */
  known?: ReadonlyMap<string, { size: number; sha256: string }>;
}

export interface WrittenIndex {
  indexFile: string;
  manifestFile: string;
  manifest: Manifest;
  commit?: SourceCommit;
}

/**
 * Writes out/index.html and out/manifest.json for the given entries (the build passes the entries of
 * everything it knows about; `jxmb index` passes readEntrySidecars().entries). Both atomically.
 */
export async function writeIndexAndManifest(
  outDir: string,
  entries: readonly IndexEntry[],
  opts: WriteIndexOptions = {},
): Promise<WrittenIndex> {
  const sorted = [...entries].sort(compareEntries);
  const commit = opts.dataDir ? await gitSourceCommit(opts.dataDir, opts.extraSourcePaths) : undefined;
  const template = opts.template ?? (await readIndexTemplate());
  const summaries = await summaryYears(outDir);
  const html = renderIndexHtml(sorted, {
    template,
    toolVersion: TOOL_VERSION,
    summaries,
    ...(opts.pointsTotal !== undefined ? { pointsTotal: opts.pointsTotal } : {}),
    ...(opts.pointsTotalFor ? { pointsTotalFor: opts.pointsTotalFor } : {}),
    ...(commit ? { commit } : {}),
  });
  // Each year's summary is listed too, its source the folder of the year's self-evaluations.
  const extra = [...summaries].flatMap((year) => {
    const se = sorted.find((e) => e.fiscalYear === year && e.code.endsWith('.self-eval'));
    const source = se ? path.posix.dirname(se.source) : String(year);
    return (['html', 'xlsx'] as const).map((format) => ({
      path: `${year}/${SUMMARY_FILE}.${format}`,
      source,
      fiscalYear: year,
      code: SUMMARY_FILE,
      format,
    }));
  });
  const manifest = await buildManifest(outDir, sorted, {
    extra,
    ...(commit ? { commit } : {}),
    ...(opts.known ? { known: opts.known } : {}),
  });
  const indexFile = path.join(outDir, INDEX_FILE);
  await writeFileIfChanged(indexFile, html);
  const manifestFile = await writeManifest(outDir, manifest);
  return { indexFile, manifestFile, manifest, ...(commit ? { commit } : {}) };
}
