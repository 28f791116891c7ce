/**
 * The project on disk: where its root, data folder and settings are, and reading + checking files.
 */
import { constants, existsSync, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { spill, unspill } from './spill.ts';
import type { LineCounter } from 'yaml';
import { checkFile, type CheckedFile, type CheckOptions } from '../check/check-file.ts';
import { checkProject, codePosition, type KnownFile } from '../check/check-project.ts';
import { diag, type Diagnostic, type DiagnosticCode } from '../check/diagnostic.ts';
import { checkSettingsSchema } from '../check/schema.ts';
import { lineCounterFor, loadSource } from '../load/load-yaml.ts';
import { DEFAULT_SETTINGS, resolveSettings, type ResolvedSettings } from '../model/settings.ts';
import type { DepartmentTargets, Settings } from '../model/types.generated.ts';
import { identicalApartFromYear } from '../check/copied.ts';
import { positionOf } from '../load/positions.ts';
import { glyphCoverage } from './fonts.ts';

export const SETTINGS_FILE = 'jxmb.settings.yaml';

/** The nearest folder at or above `cwd` holding jxmb.settings.yaml or a data/ folder; else cwd. */
export function findProjectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (
      existsSync(path.join(dir, SETTINGS_FILE)) ||
      (existsSync(path.join(dir, 'data')) && existsSync(path.join(dir, 'schema')))
    )
      return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

export interface LoadedSettings {
  settings: ResolvedSettings;
  file?: string;
  text: string;
  lineCounter?: LineCounter;
  diagnostics: Diagnostic[];
}

/** Reads jxmb.settings.yaml at the root; missing file → defaults. Errors come back as diagnostics. */
export async function loadSettings(root: string): Promise<LoadedSettings> {
  const file = path.join(root, SETTINGS_FILE);
  const rel = path.relative(process.cwd(), file) || file;
  // Read like a data file: a FIFO (or a link out of the project) in its place is reported, not opened.
  const { bytes, diagnostic } = await readSourceFile(file, rel, [root]);
  if (diagnostic && diagnostic.code !== 'FILE_NOT_FOUND') {
    const lineCounter = lineCounterFor('');
    return { settings: DEFAULT_SETTINGS, file: rel, text: '', lineCounter, diagnostics: [diagnostic] };
  }
  if (!bytes) return { settings: DEFAULT_SETTINGS, text: '', diagnostics: [] };
  const src = loadSource(bytes);
  const base = { file: rel, text: src.text, lineCounter: src.lineCounter };
  if (src.diagnostics.some((d) => d.code === 'FILE_EMPTY'))
    return { ...base, settings: DEFAULT_SETTINGS, diagnostics: [] };
  const loadErrors = src.diagnostics.map((d) => diag('SETTINGS_INVALID', 'error', d.pos, { detail: d.code }));
  if (src.data === undefined || !src.doc) return { ...base, settings: DEFAULT_SETTINGS, diagnostics: loadErrors };
  const schemaErrors = checkSettingsSchema(src.data, src.doc, src.text);
  if (schemaErrors.length) return { ...base, settings: DEFAULT_SETTINGS, diagnostics: schemaErrors };
  return { ...base, settings: resolveSettings(src.data as Settings), diagnostics: [] };
}

/** A source file's bytes, or why it was not read (a diagnostic at 1:1 naming it). */
export type SourceRead = { bytes: Buffer; diagnostic?: undefined } | { bytes?: undefined; diagnostic: Diagnostic };

const KINDS: [(s: Stats) => boolean, string, string][] = [
  [(s) => s.isFIFO(), 'named pipe (FIFO)', '命名管道（FIFO）'],
  [(s) => s.isSocket(), 'socket', '套接字（socket）'],
  [(s) => s.isCharacterDevice(), 'character device', '字符设备'],
  [(s) => s.isBlockDevice(), 'block device', '块设备'],
];

/** The real path of a bound (project root, data folder), once per process: there may be tens of thousands of files. */
const REAL_BOUNDS = new Map<string, Promise<string>>();
const realBound = (b: string): Promise<string> => {
  const abs = path.resolve(b);
  let real = REAL_BOUNDS.get(abs);
  if (!real) REAL_BOUNDS.set(abs, (real = fs.realpath(abs).catch(() => abs)));
  return real;
};

const inside = (dir: string, file: string): boolean => {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * The one way a data file is read (validate, build, diff, dev, import). Regular files only: a FIFO,
 * socket or device is never opened (opening a FIFO blocks until a writer comes), a directory is named as
 * one. A link is followed only when its real path stays inside `bounds` (the project root and the data
 * folder): a link in data/ to /etc/passwd is refused and its content never read. A file outside the
 * project that is not itself a link is read: the user named it on the command line.
 */
export async function readSourceFile(abs: string, shown: string, bounds: readonly string[]): Promise<SourceRead> {
  const fail = (code: DiagnosticCode, args: Record<string, string> = {}): SourceRead => ({
    diagnostic: diag(code, 'error', [0, 0], { path: shown, ...args }),
  });
  const failed = (e: NodeJS.ErrnoException, missing: readonly string[] = ['ENOENT']): SourceRead =>
    missing.includes(e.code ?? '') ? fail('FILE_NOT_FOUND') : fail('FILE_UNREADABLE', { reason: e.code ?? e.message });
  const special = (kind?: [unknown, string, string]): SourceRead =>
    fail('FILE_NOT_REGULAR', { kind: kind?.[1] ?? 'special file', kindZh: kind?.[2] ?? '特殊文件' });
  const link = await fs.lstat(abs).catch((e: NodeJS.ErrnoException) => e);
  if (link instanceof Error) return failed(link, ['ENOENT', 'ENOTDIR']);
  // A dangling link is a missing file; a loop of links (ELOOP) is said as such.
  const real = await fs.realpath(abs).catch((e: NodeJS.ErrnoException) => e);
  if (real instanceof Error) return failed(real);
  const realBounds = await Promise.all(bounds.map(realBound));
  const named = bounds.some((b) => inside(path.resolve(b), abs));
  if ((named || link.isSymbolicLink()) && !realBounds.some((b) => inside(b, real))) {
    return fail('FILE_OUTSIDE_PROJECT', { target: real });
  }
  const stat = await fs.stat(abs).catch((e: NodeJS.ErrnoException) => e);
  if (stat instanceof Error) return failed(stat);
  if (stat.isDirectory()) return fail('FILE_IS_DIRECTORY');
  const kind = KINDS.find(([is]) => is(stat));
  if (kind || !stat.isFile()) return special(kind);
  // Non-blocking, and checked again once open: the file may have been swapped for a FIFO meanwhile.
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!(await handle.stat()).isFile()) return special();
    return { bytes: await handle.readFile() };
  } catch (e) {
    return failed(e as NodeJS.ErrnoException);
  } finally {
    await handle?.close();
  }
}

/**
 * checkFile with what only the environment knows: the characters the bundled fonts can print
 * (GLYPH_MISSING). Every command that checks a source (validate, build, diff, import) goes through it.
 */
export function checkSource(shown: string, bytes: Uint8Array, opts: Omit<CheckOptions, 'coverage'>): CheckedFile {
  const coverage = glyphCoverage();
  return checkFile(shown, bytes, { ...opts, ...(coverage ? { coverage } : {}) });
}

/** Files read ahead of whoever takes them in order (readAhead). */
const READ_AHEAD = 32;

/**
 * Reads `files` (through readSourceFile) READ_AHEAD ahead of a caller that takes them in order: `readOf(i)`
 * is file i's read, to be asked for i = 0, 1, 2, … once each. Not all at once: a province has tens of
 * thousands, and a read waiting for its turn holds the file's bytes.
 */
export function readAhead(
  files: readonly string[],
  shownOf: (abs: string) => string,
  bounds: readonly string[],
): (i: number) => Promise<SourceRead> {
  const reads: (Promise<SourceRead> | undefined)[] = [];
  const read = (i: number): void => {
    if (i < files.length) reads[i] = readSourceFile(files[i]!, shownOf(files[i]!), bounds);
  };
  for (let i = 0; i < READ_AHEAD; i++) read(i);
  return (i) => {
    const r = reads[i]!;
    reads[i] = undefined;
    read(i + READ_AHEAD);
    return r;
  };
}

/** Reads and checks files (then the rules across them). A file that cannot be read gets a FILE_* diagnostic. */
export async function checkFiles(
  files: string[],
  opts: {
    dataDir: string;
    settings: ResolvedSettings;
    cwd: string;
    /** The project root: links out of it (and out of dataDir) are not followed. Default: found from cwd. */
    root?: string;
    project?: boolean;
    /** Files not checked in this run that still take part in the rules across files (validate --git). */
    known?: readonly KnownFile[];
    /** Keep each valid file small as soon as it is checked (leanChecked): a build of thousands. */
    lean?: boolean;
    onChecked?: (c: CheckedFile) => void;
    /** Awaited between files when it returns a promise (a build's handover to its self-evaluations). */
    pace?: () => Promise<void> | undefined;
  },
): Promise<CheckedFile[]> {
  // Checked one after another, letting the event loop turn between files: a cold build starts Chromium
  // meanwhile, and its DevTools messages would otherwise wait for the whole batch.
  const bounds = [opts.root ?? findProjectRoot(opts.cwd), opts.dataDir];
  const shownOf = (abs: string): string => path.relative(opts.cwd, abs) || abs;
  const readOf = readAhead(files, shownOf, bounds);
  const checked: CheckedFile[] = [];
  for (const [i, abs] of files.entries()) {
    const shown = shownOf(abs);
    const { bytes, diagnostic } = await readOf(i);
    let c: CheckedFile;
    if (!bytes) {
      c = checkFile(shown, new Uint8Array(), { settings: opts.settings });
      c = { ...c, diagnostics: [diagnostic] };
    } else {
      const rel = path.relative(opts.dataDir, abs);
      const inData = !rel.startsWith('..') && !path.isAbsolute(rel);
      c = checkSource(shown, bytes, { settings: opts.settings, ...(inData ? { dataPath: rel } : {}) });
    }
    // The model is copied before anyone sees it (a head start keys on it), the rest let go after: whoever
    // hears of the file (a self-evaluation's handover) may still take its data.
    if (opts.lean && c.model) {
      c.model = ownModel(c.model);
      c.identity = { year: c.model.fiscalYear, code: c.model.code };
    }
    checked.push(c);
    opts.onChecked?.(c);
    if (opts.lean) leanChecked(c);
    if (i + 1 < files.length) await (opts.pace?.() ?? new Promise((resolve) => setImmediate(resolve)));
  }
  if (opts.project !== false) checkProject(checked, opts.known);
  return checked;
}

/**
 * A valid checked file made small, for a build that holds thousands until they are rendered (issue 17):
 * where the code is written is kept for the rule across files, the rest as leanSource.
 */
export function leanChecked(c: CheckedFile): void {
  if (!('model' in c)) return;
  c.codePos = codePosition(c);
  leanSource(c);
}

/**
 * A valid checked source of any kind made small: the parsed document and data go (the model is built);
 * the text is kept deflated, read back only to place a diagnostic. With `lean`, the checks also copy the
 * model first (ownModel), so its strings no longer hold the file's whole text (V8 keeps a substring as a
 * view of the string it was cut from). A file with errors is kept whole: it is reported, and its outputs
 * found from its data.
 */
export function leanSource(c: Pick<CheckedFile, 'source' | 'data'> & { model?: unknown }): void {
  // `in`, not the value: a model may be parked already (build/park.ts), read back only when needed.
  if (!('model' in c)) return;
  delete c.source.doc;
  delete c.source.data;
  delete c.data;
  packText(c.source);
}

/** A copy of a model holding its own strings (the checks copy it before leanSource; see there). */
export const ownModel = <M>(model: M): M => structuredClone(model);

/** Replaces a source's text (and line counter) by a deflated copy set aside, read back whenever asked for. */
function packText(source: CheckedFile['source']): void {
  // Set aside on disk (io/spill.ts): 4,000 files held 70 MB of deflated texts in a heap snapshot.
  const packed = spill(deflateRawSync(Buffer.from(source.text, 'utf8'), { level: 1 }));
  const text = (): string => inflateRawSync(unspill(packed)).toString('utf8');
  Object.defineProperties(source, {
    text: { get: text, enumerable: true, configurable: true },
    lineCounter: { get: () => lineCounterFor(text()), enumerable: true, configurable: true },
  });
}

/**
 * What the rules across files need from files that are not checked (`validate --git`: the unchanged
 * ones): name, fiscal year and department code — parsed, never checked or reported. A file that cannot
 * be read or lacks either value is left out, as a whole run would leave it out of those rules.
 */
export async function readKnownFiles(
  files: string[],
  opts: { dataDir: string; cwd: string; root?: string },
): Promise<KnownFile[]> {
  const bounds = [opts.root ?? findProjectRoot(opts.cwd), opts.dataDir];
  const known: KnownFile[] = [];
  for (const abs of files) {
    const shown = path.relative(opts.cwd, abs) || abs;
    const { bytes } = await readSourceFile(abs, shown, bounds);
    if (!bytes) continue;
    const data = loadSource(bytes).data as { fiscal_year?: unknown; department?: { code?: unknown } } | undefined;
    const year = data && typeof data === 'object' ? data.fiscal_year : undefined;
    const code = data && typeof data === 'object' ? data.department?.code : undefined;
    if (typeof year === 'number' && typeof code === 'string') known.push({ file: shown, fiscalYear: year, code });
  }
  return known;
}

/**
 * `jxmb validate`: a table identical to last year's apart from the year (TABLE_UNCHANGED, a warning).
 * Last year's file is `<data>/<year-1>/<code>.yaml`, read from disk whether or not it was validated too.
 */
export async function flagCopiedTables(
  checked: CheckedFile[],
  dataDir: string,
  root: string,
  cwd: string,
): Promise<void> {
  for (const f of checked) {
    if (!f.data || !f.source.doc) continue;
    const prevAbs = path.join(dataDir, String(f.data.fiscal_year - 1), `${f.data.department.code}.yaml`);
    const shown = path.relative(cwd, prevAbs) || prevAbs;
    const { bytes } = await readSourceFile(prevAbs, shown, [root, dataDir]);
    if (!bytes) continue;
    const prev = loadSource(bytes);
    if (prev.data === undefined || typeof prev.data !== 'object') continue;
    if (!identicalApartFromYear(prev.data as DepartmentTargets, f.data)) continue;
    f.diagnostics.push(
      diag('TABLE_UNCHANGED', 'warning', positionOf(f.source.doc, f.source.text, ['fiscal_year']), { previous: shown }),
    );
    f.diagnostics.sort((a, b) => a.pos[0] - b.pos[0] || a.code.localeCompare(b.code));
  }
}
