/**
 * File system edge: reading sources, finding data files, atomic writes.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  promises as fs,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFile as writeFileCb,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isSelfEvalPath } from '../model/self-eval.ts';

/** Writes via a temporary file in the same folder and a rename: readers never see a partial file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await ensureDir(path.dirname(file));
  await replaceAtomically(file, (tmp) => {
    const fd = createSync(tmp, () => openSync(tmp, 'wx'));
    return writeFd(fd, data).finally(() => closeSync(fd));
  }).catch((e: unknown) => {
    throw aboutFile(e, file);
  });
}

/** A file written in full under a temporary name beside `file`, not yet in place (stageFile). */
export interface StagedFile {
  file: string;
  tmp: string;
}

/**
 * Writes `data` in full to a temporary file beside `file` and leaves it there: nothing a reader sees
 * has changed yet. A full disk fails here, before any output is replaced. commitStaged puts the files
 * in place, discardStaged drops them; a signal meanwhile removes them (they stay in TEMPS).
 */
export async function stageFile(file: string, data: string | Uint8Array): Promise<StagedFile> {
  await ensureDir(path.dirname(file));
  const tmp = tempPathFor(file);
  try {
    const fd = createSync(tmp, () => openSync(tmp, 'wx'));
    await writeFd(fd, data).finally(() => closeSync(fd));
  } catch (e) {
    rmSync(tmp, { force: true });
    TEMPS.delete(tmp);
    throw aboutFile(e, file);
  }
  return { file, tmp };
}

/**
 * Renames staged files over their targets, in order and synchronously: no signal listener runs between
 * two of them, so an interrupted build sees all of them in place or none. Anything but a file in the way
 * of one fails the lot before the first rename.
 */
export function commitStaged(staged: readonly StagedFile[]): void {
  for (const s of staged) {
    const stat = lstatOrUndefined(s.file);
    if (!stat || stat.isFile()) continue;
    const message = `${s.file} 不是文件（是文件夹或其他），无法替换 is in the way: not a file`;
    throw Object.assign(new Error(message), { code: 'EISDIR', path: s.file });
  }
  for (const s of staged) {
    try {
      renameSync(s.tmp, s.file);
    } catch (e) {
      throw aboutFile(e, s.file);
    }
    TEMPS.delete(s.tmp);
  }
}

/** Removes staged files that will not be committed (a later one failed). */
export function discardStaged(staged: readonly StagedFile[]): void {
  for (const s of staged) {
    if (!TEMPS.has(s.tmp)) continue;
    rmSync(s.tmp, { force: true });
    TEMPS.delete(s.tmp);
  }
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Makes a folder (and its parents) once per process, one level at a time: Node's recursive mkdir loops
 * forever where mkdir answers ENOENT for a folder whose parent exists (/proc, some FUSE and network file
 * systems), and under a read-only or forbidden parent it reports ENOENT instead of the real reason
 * (EROFS, EACCES). Each error names the folder it is about.
 */
export async function ensureDir(dir: string): Promise<void> {
  if (MADE_DIRS.has(dir)) return;
  makeDirsSync(dir);
  MADE_DIRS.add(dir);
}

/** The synchronous walk behind ensureDir (a few system calls): the missing levels, top down. */
function makeDirsSync(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = statOrUndefined(d);
    if (st?.isDirectory()) break;
    if (st) {
      throw aboutFile(Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' }), d);
    }
    missing.unshift(d);
    if (d === path.dirname(d)) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // The parent is there (made or found just now), yet the folder cannot be: the file system refuses it.
      if (code === 'ENOENT') throw aboutFile(Object.assign(e as Error, { code: 'EMKDIR' }), d);
      throw aboutFile(e, d);
    }
  }
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a level above is a file; the walk goes on up and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw aboutFile(e, p);
  }
}

/**
 * Makes `dir` and creates and removes an empty file in it: a read-only or forbidden folder fails here,
 * with its path and reason (environmentProblem), before any work is done for it. Not a space check.
 */
export async function checkWritable(dir: string): Promise<void> {
  await ensureDir(dir);
  const probe = await stageFile(path.join(dir, 'probe'), '').catch((e: unknown) => {
    throw aboutFile(e, dir);
  });
  discardStaged([probe]);
}

/**
 * A failed write's error names the file meant, not its temporary name (or none: a full disk fails a
 * `write` without a path), so the message can say which output could not be written.
 */
function aboutFile(e: unknown, file: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string') err.path = file;
  return e;
}

/** Error codes that say the disk or the permissions stopped a write: not a bug, not the input. */
const ENVIRONMENT_CODES: Record<string, 'space' | 'readonly' | 'access' | 'files' | 'io' | 'notdir'> = {
  ENOSPC: 'space',
  EDQUOT: 'space',
  EFBIG: 'space',
  EROFS: 'readonly',
  EACCES: 'access',
  EPERM: 'access',
  EMFILE: 'files',
  ENFILE: 'files',
  EIO: 'io',
  // Set by ensureDir: a path through a file, or a file system that will not make the folder.
  ENOTDIR: 'notdir',
  EMKDIR: 'notdir',
};

/**
 * One line saying which path could not be written and what to do, when `e` is a problem of the
 * environment (disk full, read-only, no permission…); undefined for anything else. `shown` turns the
 * absolute path into what the user typed (relative to the working folder).
 */
export function environmentProblem(e: unknown, shown: (p: string) => string = (p) => p): string | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  const kind = err && typeof err.code === 'string' ? ENVIRONMENT_CODES[err.code] : undefined;
  if (!kind) return undefined;
  const where = err!.path ? shown(err!.path) : '输出文件夹 the output folder';
  switch (kind) {
    case 'space':
      return (
        `磁盘空间不足（或超出配额），无法写入 ${where}：` +
        '请释放空间后重新生成，或用 --out 指定空间足够的文件夹 ' +
        `no space left (or quota exceeded) writing ${where} (${err!.code}): ` +
        'free some space and build again, or choose another folder with --out'
      );
    case 'readonly':
      return (
        `${where} 所在的文件系统是只读的，无法写入：请用 --out 指定可写的文件夹 ` +
        `${where} is on a read-only file system (${err!.code}): choose a writable folder with --out`
      );
    case 'access':
      return (
        `没有权限写入 ${where}：请检查该文件夹的权限，或用 --out 指定可写的文件夹 ` +
        `no permission to write ${where} (${err!.code}): check its permissions, or choose a writable folder with --out`
      );
    case 'notdir':
      return (
        `无法创建文件夹 ${where}（路径中有同名的文件，或该文件系统不允许在此创建文件夹）：请用 --out 指定可写的文件夹 ` +
        `cannot create the folder ${where} (${err!.code}: a file stands in the path, or the file system ` +
        'refuses it): choose a writable folder with --out'
      );
    case 'files':
      return (
        `打开的文件太多，无法写入 ${where}：` +
        '请调高打开文件数上限（ulimit -n）或减少 --jobs ' +
        `too many open files writing ${where} (${err!.code}): raise ulimit -n or lower --jobs`
      );
    default:
      return (
        `读写 ${where} 时磁盘出错：请检查磁盘，或用 --out 指定其他文件夹 ` +
        `an I/O error on ${where} (${err!.code}): check the disk, or choose another folder with --out`
      );
  }
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

/**
 * Runs a synchronous create of `tmp`; if its folder was removed since it was made (by hand, a test between builds),
 * makes it again once.
 */
function createSync<T>(tmp: string, create: () => T): T {
  try {
    return create();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    makeDirsSync(path.dirname(tmp));
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
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR')
      return undefined;
    throw e;
  }
}

/**
 * Every `<year>/<code>.yaml` under a data folder, sorted (deterministic order everywhere downstream): the
 * targets files. A self-evaluation beside them (`<code>.self-eval.yaml`) is not one: findSelfEvalFiles.
 */
export async function findDataFiles(dataDir: string): Promise<string[]> {
  return (await findYamlFiles(dataDir)).filter((f) => !isSelfEvalPath(f));
}

/** Every `<year>/<code>.self-eval.yaml` under a data folder, sorted. */
export async function findSelfEvalFiles(dataDir: string): Promise<string[]> {
  return (await findYamlFiles(dataDir)).filter(isSelfEvalPath);
}

async function findYamlFiles(dataDir: string): Promise<string[]> {
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
    for (const f of (await fs.readdir(dir)).sort())
      if (/\.ya?ml$/i.test(f) && !f.startsWith('.')) out.push(path.join(dir, f));
  }
  return out;
}

/**
 * Expands user-given paths: files stay, folders become the YAML files below them — targets files and
 * self-evaluations alike (isSelfEvalPath tells them apart; commands about targets drop the others).
 */
export async function expandPaths(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const stat = await fs.stat(abs).catch(() => undefined);
    // A folder named like a data file (`x.yaml/`) stays a path, to be reported as a folder, not searched.
    if (stat?.isDirectory() && !/\.ya?ml$/i.test(abs)) {
      const nested = await findYamlFiles(abs);
      const direct = (await fs.readdir(abs))
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => path.join(abs, f));
      out.push(...direct, ...nested);
    } else out.push(abs);
  }
  return [...new Set(out)];
}
