/**
 * Old binary Office files (.xls, WPS .et, .doc) → .xlsx / .docx through LibreOffice, so the import never
 * parses a binary format itself. Each conversion runs `soffice --headless --convert-to` in a temporary
 * folder of its own, with its own LibreOffice profile (`-env:UserInstallation`, so it neither collides with
 * a LibreOffice the user has open nor with other conversions running at once), is killed (with everything
 * it started) when it runs past its timeout, and leaves nothing behind. The input is written to a file
 * there, never passed on a command line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Converted, LegacyFormat, OfficeConverter } from '../import/import-form.ts';

/** How long one conversion may take (LibreOffice starts in 2–4 s; a form converts in under a second). */
export const CONVERT_TIMEOUT_MS = 60_000;

/** Where LibreOffice is usually installed, besides PATH. */
function usualPlaces(): string[] {
  if (process.platform === 'darwin') return ['/Applications/LibreOffice.app/Contents/MacOS/soffice'];
  if (process.platform === 'win32') {
    const roots = [process.env.ProgramFiles, process.env['ProgramFiles(x86)']].filter((r): r is string => !!r);
    return roots.map((r) => path.join(r, 'LibreOffice', 'program', 'soffice.exe'));
  }
  const opt = (() => {
    try {
      return readdirSync('/opt')
        .filter((d) => /^libreoffice/i.test(d))
        .sort()
        .reverse()
        .map((d) => path.join('/opt', d, 'program', 'soffice'));
    } catch {
      return [];
    }
  })();
  return [
    '/usr/bin/soffice',
    '/usr/lib/libreoffice/program/soffice',
    '/usr/local/bin/soffice',
    ...opt,
    '/snap/bin/libreoffice',
  ];
}

/** The first of `names` on PATH. */
function onPath(names: string[]): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.com', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names)
      for (const ext of exts) {
        const p = path.join(dir, name + ext);
        if (existsSync(p)) return p;
      }
  }
  return undefined;
}

/**
 * LibreOffice's `soffice`: `JXMB_SOFFICE` when set, else on PATH (`soffice`, `libreoffice`), else where
 * installers put it (Debian/Ubuntu, /opt/libreoffice*, macOS, Windows Program Files). Undefined when absent.
 */
export function findSoffice(): string | undefined {
  const set = process.env.JXMB_SOFFICE;
  if (set) return existsSync(set) ? set : undefined;
  return onPath(['soffice', 'libreoffice']) ?? usualPlaces().find((p) => existsSync(p));
}

/** `LibreOffice 7.4.7.2 …`: the version soffice reports, or undefined when it does not start. */
export function sofficeVersion(soffice: string): string | undefined {
  const r = spawnSync(soffice, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  const line = r.status === 0 ? r.stdout.split('\n').find((l) => /\S/.test(l)) : undefined;
  return line?.trim() || undefined;
}

const FILTERS = { xlsx: 'xlsx:Calc MS Excel 2007 XML', docx: 'docx:MS Word 2007 XML' } as const;

export interface ConvertOptions {
  /** The soffice to run (default: `findSoffice()`). */
  soffice?: string;
  timeoutMs?: number;
}

/** Converts one file; never throws (a failure is returned as such). */
export async function convertOffice(
  bytes: Uint8Array,
  from: LegacyFormat,
  to: 'xlsx' | 'docx',
  opts: ConvertOptions = {},
): Promise<Converted> {
  const soffice = opts.soffice ?? findSoffice();
  if (!soffice) return { error: 'missing' };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jxmb-convert-'));
  try {
    const input = path.join(dir, `input.${from}`);
    const outDir = path.join(dir, 'out');
    await writeFile(input, bytes);
    const args = [
      `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`,
      '--headless',
      '--invisible',
      '--nologo',
      '--nodefault',
      '--norestore',
      '--nolockcheck',
      '--convert-to',
      FILTERS[to],
      '--outdir',
      outDir,
      input,
    ];
    const run = await runKilledAfter(soffice, args, opts.timeoutMs ?? CONVERT_TIMEOUT_MS);
    if (run.spawnError) return { error: 'missing', detail: run.spawnError };
    if (run.timedOut) return { error: 'timeout' };
    const out = await readFile(path.join(outDir, `input.${to}`)).catch(() => undefined);
    if (!out || out.length === 0) {
      // soffice says why on stderr ("Error: source file could not be loaded"), or nothing at all.
      const said = run.output
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !/javaldx|^convert /i.test(l))
        .pop();
      return { error: 'failed', ...(said ? { detail: said.slice(0, 200) } : {}) };
    }
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } catch (e) {
    return { error: 'failed', detail: String((e as Error)?.message ?? e).split('\n')[0] };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The converter `importFile` takes, running LibreOffice as above. */
export const officeConverter =
  (opts: ConvertOptions = {}): OfficeConverter =>
  (bytes, from, to) =>
    convertOffice(bytes, from, to, opts);

/**
 * Runs a command, killing it and every process it started (soffice is a script starting oosplash and
 * soffice.bin) when it passes `timeoutMs`. Its output (stdout and stderr, the last 4 KB) is kept.
 */
function runKilledAfter(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ timedOut: boolean; output: string; spawnError?: string }> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const group = process.platform !== 'win32';
    const child = spawn(cmd, args, { detached: group, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const keep = (b: Buffer): void => {
      output = (output + b.toString('utf8')).slice(-4096);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = (): void => {
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ timedOut: false, output, spawnError: e.message });
    });
    child.on('close', () => {
      clearTimeout(timer);
      // Whatever the launcher left running (it exited, a child did not) goes with it.
      if (group && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is empty: the normal case.
        }
      }
      resolve({ timedOut, output });
    });
  });
}
