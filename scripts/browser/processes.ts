/**
 * The browser's processes and profile folders: waiting for a process group to end, killing a browser
 * with everything it started, and removing profile folders that killed builds left behind.
 */
import type { ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Blocks until the process group led by `pid` (the browser and its helpers) has exited, at most `ms`.
 * Linux reads /proc; elsewhere a short pause has to do.
 */
export function waitGone(pid: number, ms: number): void {
  const pause = (t: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, t);
  if (process.platform !== 'linux') return pause(200);
  for (const end = Date.now() + ms; Date.now() < end && groupAlive(pid);) pause(20);
}

/** Whether a process of the group led by `pid` still runs (Linux, from /proc; elsewhere: unknown, false). */
function groupAlive(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm)": state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** waitGone without blocking the event loop. */
export async function waitGoneAsync(pid: number, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (!groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Chromium profile folders are `<tmpdir>/jxmb-chrome-<pid of the jxmb process>-XXXXXX`. */
export const PROFILE_PREFIX = 'jxmb-chrome-';
const PROFILE_NAME = /^jxmb-chrome-(?:(\d+)-)?[A-Za-z0-9]{6}$/;
let staleProfilesRemoved = false;

/**
 * Removes the profile folders that builds killed outright (SIGKILL, a power cut) left in `dir`: those
 * whose owning process is gone. A folder of a live process is never touched; one named the old way,
 * without a pid, only when no process uses it (Linux: no command line names it) and it is over a
 * minute old. Once per process, at the first launch; best effort (a folder that resists is left).
 */
export function removeStaleProfiles(dir = os.tmpdir(), force = false): string[] {
  if (staleProfilesRemoved && !force) return [];
  staleProfilesRemoved = true;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => PROFILE_NAME.test(n));
  } catch {
    return removed;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    try {
      const stat = lstatSync(full);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      const pid = PROFILE_NAME.exec(name)![1];
      const stale = pid ? !processAlive(Number(pid)) : Date.now() - stat.mtimeMs > 60_000 && !profileInUse(full);
      if (!stale) continue;
      rmSync(full, { recursive: true, force: true, maxRetries: 3 });
      removed.push(full);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** Whether process `pid` exists and has not exited (a zombie has). A process of another user counts. */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Whether a running process was started with `--user-data-dir=<profile>` (Linux; elsewhere: assume so). */
function profileInUse(profile: string): boolean {
  if (process.platform !== 'linux') return true;
  const needle = `--user-data-dir=${profile}`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(needle)) return true;
    } catch {
      // ended while we looked
    }
  }
  return false;
}

/** Kills a browser and everything it started (it leads its own process group on POSIX). */
export function killTree(p: ChildProcess | null | undefined): void {
  if (!p?.pid || p.exitCode !== null || p.signalCode !== null) return;
  try {
    if (process.platform === 'win32') p.kill('SIGKILL');
    else process.kill(-p.pid, 'SIGKILL');
  } catch {
    p.kill('SIGKILL');
  }
}
