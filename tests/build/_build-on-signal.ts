/**
 * Run as a child process by tests/commands/build-integrity.test.ts: `jxmb build` in the project folder
 * given, with the renames that put outputs in place watched. Right after the first output of a
 * department is in place it says `ready` and holds on until the parent has sent its SIGINT (the parent
 * then creates the file named by $SIGNALLED) — asynchronously if that rename was asynchronous (the signal
 * is handled meanwhile, between that department's formats), by blocking if it was synchronous (the signal
 * waits until the step is done) — so the SIGINT lands between two formats of one department.
 * Past a deadline without the signal it says so on stderr and goes on; the parent then sees the build end
 * by itself rather than by the signal.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { syncBuiltinESMExports } from 'node:module';
import { main } from '../../scripts/cli.ts';

const [dir, ...argv] = process.argv.slice(2);
const OUTPUT = /[/\\]\d{4}[/\\][^/\\]+\.(pdf|html|xlsx)$/;
let said = false;

const first = (to: unknown): boolean => {
  if (said || !OUTPUT.test(String(to))) return false;
  said = true;
  process.stdout.write(`ready ${String(to)}\n`);
  return true;
};

const SIGNALLED = process.env.SIGNALLED!;
const DEADLINE_MS = 30_000;
const existsSync = fs.existsSync;
const late = (): void => void process.stderr.write(`no SIGINT within ${DEADLINE_MS / 1000} s\n`);

/** Blocks the thread until the parent has signalled: the signal is handled after the step. */
const holdSync = (): void => {
  const deadline = Date.now() + DEADLINE_MS;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(SIGNALLED)) {
    if (Date.now() > deadline) return late();
    Atomics.wait(cell, 0, 0, 10);
  }
};

/** Waits with the event loop running: the signal is handled during the wait (it comes before the file). */
const hold = async (): Promise<void> => {
  const deadline = Date.now() + DEADLINE_MS;
  while (!existsSync(SIGNALLED)) {
    if (Date.now() > deadline) return late();
    await sleep(10);
  }
};

const renameSync = fs.renameSync;
fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
  renameSync(from, to);
  if (first(to)) holdSync();
};
const rename = fs.promises.rename;
fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike): Promise<void> => {
  await rename(from, to);
  if (first(to)) await hold();
};
// The named imports of node:fs (files.ts imports renameSync by name) follow the patched object.
syncBuiltinESMExports();

process.exitCode = await main(['build', ...argv], { cwd: dir!, isTTY: false });
