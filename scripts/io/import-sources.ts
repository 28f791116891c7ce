/**
 * The disk side of `jxmb import`: the files a folder holds that may be tables, reading one safely, the
 * departments already in data/, and a `--codes` file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { normalizeName } from '../check/characters.ts';
import { importDiag, type ImportDiagnostic } from '../import/grid.ts';
import { byteSize } from '../import/limits.ts';
import { loadSource } from '../load/load-yaml.ts';
import { findDataFiles } from './files.ts';
import { readSourceFile } from './project.ts';

/** What a folder is searched for: workbooks, Word documents, text exports and web pages. */
export const IMPORT_EXTENSIONS: readonly string[] = [
  ...['.xlsx', '.xlsm', '.xls', '.et', '.ods', '.docx', '.doc', '.wps', '.odt', '.csv', '.tsv', '.txt'],
  ...['.htm', '.html'],
];

/** Folders never searched: build output and dependencies (their .xlsx/.html are jxmb's own or not tables). */
const SKIPPED_DIRS = new Set(['node_modules', 'out']);

/** A file to import; `bound` is the folder it was found in: a link in it may lead only inside. */
export interface ImportSource {
  abs: string;
  bound?: string;
}

/** No table is this large; a larger file is not read at all (memory stays bounded). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

const inside = (dir: string, p: string): boolean => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * The files to import from command-line paths, in order: a file as given (whatever its name), a folder
 * searched recursively for IMPORT_EXTENSIONS in name order. Hidden files and folders, Office's `~$` lock
 * files, links to folders, `out/`, `node_modules/` and the folders in `skip` (data/, the output) are
 * left out. A path that does not exist is kept, to be reported as missing.
 */
export async function collectSources(
  paths: readonly string[],
  cwd: string,
  skip: readonly string[],
): Promise<ImportSource[]> {
  const out: ImportSource[] = [];
  const seen = new Set<string>();
  const add = (s: ImportSource): void => {
    if (seen.has(s.abs)) return;
    seen.add(s.abs);
    out.push(s);
  };
  const skipped = skip.map((d) => path.resolve(d));
  const walk = async (dir: string, root: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('~$')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !skipped.includes(abs)) await walk(abs, root);
      } else if (e.isFile() || e.isSymbolicLink()) {
        // A link is read only if it stays inside the folder given (readImportSource); one to a folder is not followed.
        if (IMPORT_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) add({ abs, bound: root });
      }
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (stat?.isDirectory()) await walk(abs, abs);
    else add({ abs });
  }
  return out;
}

/** A source file's bytes, or why it cannot be read (missing, a folder, a FIFO, a link out, too large). */
export async function readImportSource(
  src: ImportSource,
  shown: string,
): Promise<{ bytes: Uint8Array; diagnostic?: undefined } | { bytes?: undefined; diagnostic: ImportDiagnostic }> {
  const size = (await fs.stat(src.abs).catch(() => undefined))?.size ?? 0;
  if (size > MAX_SOURCE_BYTES) {
    const args = { path: shown, size: byteSize(size), limit: byteSize(MAX_SOURCE_BYTES) };
    return { diagnostic: importDiag('FILE_TOO_LARGE', 'error', undefined, args) };
  }
  // A file named on the command line is read wherever it is (links included); one found in a folder only
  // if it stays inside that folder.
  const bounds = [src.bound ?? path.parse(src.abs).root];
  const read = await readSourceFile(src.abs, shown, bounds);
  if (read.bytes) return { bytes: read.bytes };
  return { diagnostic: importDiag(read.diagnostic.code, 'error', undefined, read.diagnostic.args) };
}

/** A department in data/: its code and name, from one of its files. */
export interface KnownDepartment {
  code: string;
  name: string;
  file: string;
}

/** Every department code and name in the data folder's files (unreadable or odd files skipped). */
export async function readDepartments(dataDir: string): Promise<KnownDepartment[]> {
  const out: KnownDepartment[] = [];
  for (const f of await findDataFiles(dataDir)) {
    // Through the one reader: a FIFO or a link out of the data folder among them is skipped, not opened.
    const { bytes } = await readSourceFile(f, f, [dataDir]);
    if (!bytes) continue;
    const data = loadSource(bytes).data as { department?: { code?: unknown; name?: unknown } } | undefined;
    const dept = data?.department;
    if (typeof dept?.code === 'string' && typeof dept.name === 'string' && normalizeName(dept.name))
      out.push({ code: dept.code, name: dept.name, file: f });
  }
  return out;
}

/** Whether a path is inside a folder (or is it). */
export const isInside = inside;
