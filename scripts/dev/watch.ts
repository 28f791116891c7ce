/**
 * What `jxmb dev` watches with: every save must be seen, however it is made — written in place,
 * renamed over the old file (`sed -i`, `git checkout`, editors' atomic saves, vim's backup-rename),
 * deleted and created again, in a folder that did not exist (`data/2027/`), or many at once (a branch
 * switch).
 *
 * Why not `fs.watch(dir, { recursive: true })`: on Linux, Node 20 implements it by watching each file,
 * and a file replaced by a rename is a new file nobody watches — later saves were silently missed.
 * Here each directory is watched on its own (a directory's watch sees whatever happens to its
 * entries), and after every burst of events the trees are walked again: new folders get a watch,
 * vanished ones lose theirs, a folder replaced by another of the same name is watched anew.
 *
 * `poll` (network shares, where change notifications do not come): the trees are walked every `poll`
 * ms and a change of any file's size, times or inode, or of a recently changed file's content, counts.
 * Also used, with a note, when the system refuses to watch (inotify's limit reached).
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, promises as fs, type Stats, watch } from 'node:fs';
import path from 'node:path';

export interface WatchRoot {
  dir: string;
  /** The whole tree (data, templates), or the folder alone (the project root, for the settings file). */
  recursive: boolean;
  /** Which names in the folder alone count (non-recursive roots); default: all. */
  accept?: (name: string) => boolean;
}

export interface TreeWatcherOptions {
  roots: readonly WatchRoot[];
  /** Paths never watched nor counted (out/, when it lies inside a watched tree). */
  ignore?: (abs: string) => boolean;
  /** Called once per burst of changes, after `debounceMs` of quiet. */
  onChange: (change: WatchChange) => void;
  debounceMs: number;
  /** Poll every this many ms instead of waiting for notifications. */
  poll?: number;
  log: (s: string) => void;
  /** `fs.watch`, or a stand-in (tests: a system that refuses). */
  watch?: typeof watch;
}

/** One burst of changes. */
export interface WatchChange {
  /** When its first event came (epoch ms, fractional). */
  since: number;
  /**
   * Files and folders named by its events (absolute); undefined when something changed that cannot be
   * named (an event without a name, a folder made or removed, a switch to polling): anything may have.
   */
  paths?: string[];
}

/** Now, as epoch ms with a fraction (comparable across processes, unlike performance.now()). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface TreeWatcher {
  /** `poll` when asked for, or when notifications could not be had. */
  readonly mode: 'events' | 'poll';
  /** Folders being watched (events mode). */
  watchedDirs(): string[];
  /** Resolves when the first walk is done: a change after this is seen. */
  ready: Promise<void>;
  close(): void;
}

/** Editors' swap, lock and backup files say nothing about the data. */
export const isNoise = (name: string): boolean =>
  /(^|[\\/])(\.#|#)|\.sw[a-px]$|~$|(^|[\\/])4913$|\.(tmp|part|crdownload)$|(^|[\\/])\.~lock\./.test(name);

/** Recently changed files (within this window) are also compared by content: coarse timestamps. */
const RECENT_MS = 5_000;

interface Walked {
  dirs: Map<string, number>;
  files: Map<string, Stats>;
}

export function watchTrees(opts: TreeWatcherOptions): TreeWatcher {
  let closed = false;
  let mode: 'events' | 'poll' = opts.poll ? 'poll' : 'events';
  const ignored = (abs: string): boolean => opts.ignore?.(abs) ?? false;

  /** Every folder (with its inode) and file under the roots; a missing root is simply empty. */
  async function walk(): Promise<Walked> {
    const dirs = new Map<string, number>();
    const files = new Map<string, Stats>();
    const visit = async (dir: string, root: WatchRoot, depth: number): Promise<void> => {
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st?.isDirectory()) return;
      dirs.set(dir, st.ino);
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      await Promise.all(
        entries.map(async (e) => {
          const abs = path.join(dir, e.name);
          if (ignored(abs) || isNoise(e.name)) return;
          if (e.isDirectory() || e.isSymbolicLink()) {
            const s = await fs.stat(abs).catch(() => undefined);
            if (s?.isDirectory()) {
              // Hidden folders (.git) are not data; a link loop ends at a depth no project has.
              if (root.recursive && !e.name.startsWith('.') && depth < 32) await visit(abs, root, depth + 1);
              return;
            }
            if (s?.isFile() && (root.accept?.(e.name) ?? true)) files.set(abs, s);
            return;
          }
          if (!e.isFile() || !(root.accept?.(e.name) ?? true)) return;
          const s = await fs.stat(abs).catch(() => undefined);
          if (s) files.set(abs, s);
        }),
      );
    };
    for (const root of opts.roots) await visit(root.dir, root, 0);
    return { dirs, files };
  }

  // ---- change notifications: one watch per folder, re-synced after each burst ----

  /** Folder → its watch and the inode it was opened on. */
  const watchers = new Map<string, { w: FSWatcher; ino: number }>();
  /** The folders holding each root: a root removed and made again (a branch switch) is seen there. */
  const parents = new Map<string, FSWatcher>();
  /**
   * Paths named by events since the last sync. A folder among them may have been removed and made
   * again, and a new folder can get the old one's inode number: its watch (and those below it) are
   * opened anew rather than trusted.
   */
  const touched = new Set<string>();
  /** Folders the system would not let us watch (permissions), said once. */
  const refused = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();
  /** The burst being gathered: when it began and what it named (undefined paths: unnamed changes). */
  let pending: { since: number; paths: Set<string> | undefined } | undefined;
  const note = (abs: string | undefined): void => {
    pending ??= { since: epochNow(), paths: new Set() };
    if (abs === undefined) pending.paths = undefined;
    else pending.paths?.add(abs);
  };
  /**
   * The burst gathered so far. None: its events went with an earlier sync's callback, and this sync may
   * have found files in folders not watched when they were written: unnamed, so everything is read.
   */
  const take = (): WatchChange => {
    const p = pending ?? { since: epochNow(), paths: undefined };
    pending = undefined;
    return { since: p.since, ...(p.paths ? { paths: [...p.paths].sort() } : {}) };
  };

  const fallBackToPolling = (e: NodeJS.ErrnoException, dir: string): void => {
    if (mode === 'poll' || closed) return;
    const limit = e.code === 'ENOSPC' || e.code === 'EMFILE';
    opts.log(
      `jxmb dev: 无法监视 cannot watch ${dir}（${e.code ?? e.message}` +
        `${limit ? '：已达系统监视数上限 inotify limit reached' : ''}）；` +
        `改为每秒轮询 polling every second instead (--poll)`,
    );
    mode = 'poll';
    for (const { w } of watchers.values()) w.close();
    watchers.clear();
    for (const w of parents.values()) w.close();
    parents.clear();
    // Mid-session, changes may have been lost while switching: the first walk counts as one.
    note(undefined);
    startPolling(1000, started);
  };

  /** An event naming `abs` (undefined: naming nothing that can be trusted) starts or extends a burst. */
  const burst = (abs: string | undefined): void => {
    if (closed) return;
    note(abs);
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Watches first (a new folder's files are then seen), then the rebuild, which reads everything.
      syncing = syncing
        .then(sync)
        .catch((e: Error) => {
          note(undefined);
          opts.log(`jxmb dev: 监视出错 watching failed: ${e.message}`);
        })
        .then(() => {
          if (!closed && mode === 'events') opts.onChange(take());
        });
    }, opts.debounceMs);
  };

  const open = (dir: string, onEvent: (name: string | null) => void): FSWatcher | undefined => {
    try {
      const w = (opts.watch ?? watch)(dir, { persistent: true }, (_event, name) => {
        onEvent(name === null ? null : String(name));
      });
      // The folder went away (or is unreadable now): the next walk decides.
      w.on('error', () => {
        w.close();
        if (watchers.get(dir)?.w === w) watchers.delete(dir);
        burst(undefined);
      });
      return w;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      // One unreadable folder is no reason to poll everything: say so once, watch the rest.
      if (err.code === 'EACCES' || err.code === 'EPERM') {
        if (!refused.has(dir)) {
          opts.log(
            `jxmb dev: 无权监视 cannot watch ${dir}（${err.code}）：` + '请检查该文件夹的权限 check its permissions',
          );
        }
        refused.add(dir);
        return undefined;
      }
      fallBackToPolling(err, dir);
      return undefined;
    }
  };

  async function sync(): Promise<void> {
    if (closed || mode !== 'events') return;
    const renewed = [...touched];
    touched.clear();
    const { dirs } = await walk();
    if (closed || mode !== 'events') return;
    const under = (dir: string, top: string): boolean => dir === top || dir.startsWith(top + path.sep);
    for (const [dir, entry] of watchers) {
      if (dirs.get(dir) === entry.ino && !renewed.some((t) => under(dir, t))) continue;
      entry.w.close();
      watchers.delete(dir);
    }
    for (const [dir, ino] of dirs) {
      if (watchers.has(dir)) continue;
      const root = opts.roots.find((r) => r.dir === dir);
      const w = open(dir, (name) => {
        if (name !== null && (isNoise(name) || ignored(path.join(dir, name)))) return;
        if (name !== null) touched.add(path.join(dir, name));
        if (name !== null && root && !root.recursive && root.accept && !root.accept(name)) return;
        burst(name === null ? undefined : path.join(dir, name));
      });
      if (mode !== 'events') return;
      if (w) watchers.set(dir, { w, ino });
    }
    for (const root of opts.roots) {
      const parent = path.dirname(root.dir);
      if (parents.has(root.dir) || parent === root.dir) continue;
      const base = path.basename(root.dir);
      const w = open(parent, (name) => {
        if (name !== null && name !== base) return;
        touched.add(root.dir);
        burst(undefined);
      });
      if (mode !== 'events') return;
      if (w) parents.set(root.dir, w);
    }
  }

  // ---- polling ----

  let pollTimer: NodeJS.Timeout | undefined;
  let last: Map<string, string> | undefined;
  const hashes = new Map<string, string>();

  async function snapshot(): Promise<Map<string, string>> {
    const { dirs, files } = await walk();
    const now = Date.now();
    const snap = new Map<string, string>();
    for (const [dir, ino] of dirs) snap.set(dir, `d:${ino}`);
    for (const [file, s] of files) {
      let key = `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
      // Within the same timestamp tick (a share with 1–2 s resolution) a same-size save changes nothing
      // above: the content decides.
      if (Math.abs(now - s.mtimeMs) < RECENT_MS || Math.abs(now - s.ctimeMs) < RECENT_MS) {
        const body = await fs.readFile(file).catch(() => undefined);
        const h = body ? createHash('sha256').update(body).digest('hex') : '';
        hashes.set(file, h);
        key += `:${h}`;
      } else if (hashes.has(file)) {
        key += `:${hashes.get(file)}`;
      }
      snap.set(file, key);
    }
    return snap;
  }

  /** Paths added, removed or changed between two snapshots. */
  const differing = (a: Map<string, string>, b: Map<string, string>): string[] => {
    const out = new Set<string>();
    for (const [k, v] of b) if (a.get(k) !== v) out.add(k);
    for (const k of a.keys()) if (!b.has(k)) out.add(k);
    return [...out].sort();
  };

  function startPolling(every: number, changedNow: boolean): void {
    const tick = async (): Promise<void> => {
      if (closed) return;
      try {
        const snap = await snapshot();
        if (closed) return;
        if (last) {
          const paths = differing(last, snap);
          if (paths.length) opts.onChange({ since: epochNow(), paths });
        }
        last = snap;
      } catch (e) {
        opts.log(`jxmb dev: 轮询失败 polling failed: ${(e as Error).message}`);
      }
      if (!closed) pollTimer = setTimeout(() => void tick(), every);
    };
    polled = snapshot().then((snap) => {
      if (closed) return;
      last = snap;
      if (changedNow) opts.onChange(take());
      pollTimer = setTimeout(() => void tick(), every);
    });
  }

  /** The first walk is done: from now on a fallback to polling may have missed something. */
  let started = false;
  let polled: Promise<void> = Promise.resolve();
  if (mode === 'poll') startPolling(Math.max(50, opts.poll!), false);
  else syncing = sync();
  // When the first sync fell back to polling, ready is when polling has its first snapshot.
  const ready = syncing
    .then(() => polled)
    .then(() => {
      started = true;
    });

  return {
    get mode() {
      return mode;
    },
    watchedDirs: () => [...watchers.keys()].sort(),
    ready,
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(pollTimer);
      for (const { w } of watchers.values()) w.close();
      watchers.clear();
      for (const w of parents.values()) w.close();
      parents.clear();
    },
  };
}
