/**
 * File system edge: reading sources, finding data files, atomic writes.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, promises as fs, rmSync, writeFile as writeFileCb } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** Writes via a temporary file in the same folder and a rename: readers never see a partial file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  if (!MADE_DIRS.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    MADE_DIRS.add(dir);
  }
  await replaceAtomically(file, (tmp) => {
    const fd = createSync(tmp, () => openSync(tmp, 'wx'));
    return writeFd(fd, data).finally(() => closeSync(fd));
  });
}

/**
 * Puts a hard link to `src` at `file`, atomically (a link under a temporary name, renamed over). No
 * bytes are copied (the fonts are 9.4 MB in 300 files, written by every cold build otherwise). Fails
 * (for the caller to copy instead) where links are not possible: another file system, or one without
 * hard links. Safe to share the inode: every write here replaces a file, never edits it.
 */
export async function linkFileAtomic(src: string, file: string): Promise<void> {
  await replaceAtomically(file, async (tmp) => {
    createSync(tmp, () => linkSync(src, tmp));
  });
}

/**
 * Creates a temporary file beside `file` with `put`, then renames it over `file`; on failure removes it.
 * `put` creates the temporary file synchronously (then may fill it asynchronously): so whenever
 * JavaScript runs — a signal listener, an exit hook — every temporary file on disk is one TEMPS lists.
 * Created in the thread pool instead, a file could appear after a signal listener had cleaned up, while
 * the process was still ending (the browser pool waits for Chromium to go): a `.tmp` left behind.
 */
async function replaceAtomically(file: string, put: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    await put(tmp);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  } finally {
    TEMPS.delete(tmp);
  }
}

/** Runs a synchronous create of `tmp`; if its folder was removed since it was made (by hand, a test between builds), makes it again once. */
function createSync<T>(tmp: string, create: () => T): T {
  try {
    return create();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(path.dirname(tmp), { recursive: true });
    return create();
  }
}

/** Writes all of `data` to an open file, in the thread pool. */
const writeFd: (fd: number, data: string | Uint8Array) => Promise<void> = promisify(writeFileCb);

/** Folders writeFileAtomic made (or found) in this process: one mkdir each, not one per file. */
const MADE_DIRS = new Set<string>();

/** Temporary files being written now. */
const TEMPS = new Set<string>();

/**
 * A temporary name beside `file` (hidden, random), registered as in flight until the caller deletes
 * it from TEMPS: a signal that ends the process meanwhile removes it (guardSignals), as does an exit.
 */
export function tempPathFor(file: string): string {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  TEMPS.add(tmp);
  guardSignals();
  return tmp;
}

// Also when the process is ended from inside (jxmb.js exits quietly when its output pipe closes).
process.on('exit', () => removeTempFilesSync());

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let guarding = false;

/**
 * From the first atomic write on, SIGINT/SIGTERM/SIGHUP remove the temporary files in flight before
 * the process ends — in every command, with a browser pool up or not (the pool's own handler ends
 * Chromium). The listener then steps aside: if nothing else in the program listens
 * for the signal (jxmb dev does), it is raised again and ends the process as it would have.
 */
function guardSignals(): void {
  if (guarding) return;
  guarding = true;
  // First in line: the files go before any other listener (jxmb dev's ends the process at once).
  for (const s of SIGNALS) process.prependListener(s, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  removeTempFilesSync();
  for (const s of SIGNALS) process.off(s, onSignal);
  guarding = false;
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * Removes the temporary files of writes in flight, synchronously: for a process about to end (a
 * signal, an exit), so an interrupted build leaves no `.tmp` litter beside its outputs.
 */
function removeTempFilesSync(): void {
  for (const tmp of TEMPS) rmSync(tmp, { force: true });
  TEMPS.clear();
}

/**
 * Writes atomically only when the content differs from what is there; returns whether it wrote.
 * Unchanged files keep their mtime, so a rebuild that changes nothing touches nothing.
 */
export async function writeFileIfChanged(file: string, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const old = await readIfExists(file);
  if (old && Buffer.compare(old, bytes) === 0) return false;
  await writeFileAtomic(file, bytes);
  return true;
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw e;
  }
}

/** Every `<year>/<code>.yaml` under a data folder, sorted (deterministic order everywhere downstream). */
export async function findDataFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  let years: string[];
  try {
    years = await fs.readdir(dataDir);
  } catch {
    return [];
  }
  for (const y of years.sort()) {
    const dir = path.join(dataDir, y);
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    for (const f of (await fs.readdir(dir)).sort()) if (/\.ya?ml$/i.test(f) && !f.startsWith('.')) out.push(path.join(dir, f));
  }
  return out;
}

/** Expands user-given paths: files stay, folders become the YAML files below them. */
export async function expandPaths(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const stat = await fs.stat(abs).catch(() => undefined);
    // A folder named like a data file (`x.yaml/`) stays a path, to be reported as a folder, not searched.
    if (stat?.isDirectory() && !/\.ya?ml$/i.test(abs)) {
      const nested = await findDataFiles(abs);
      const direct = (await fs.readdir(abs)).filter((f) => /\.ya?ml$/i.test(f)).sort().map((f) => path.join(abs, f));
      out.push(...direct, ...nested);
    } else out.push(abs);
  }
  return [...new Set(out)];
}
